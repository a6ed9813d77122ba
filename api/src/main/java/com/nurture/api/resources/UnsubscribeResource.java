package com.nurture.api.resources;

import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.LeadPreference;
import com.nurture.activities.db.PreferenceDao;
import com.nurture.activities.db.SuppressionDao;
import com.nurture.activities.mail.UnsubscribeTokens;
import com.nurture.api.core.EventIntake;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.journey.LeadEvent;
import jakarta.ws.rs.Consumes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.HexFormat;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import static com.nurture.api.resources.PublicPages.esc;
import static com.nurture.api.resources.PublicPages.page;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * The public unsubscribe endpoint behind every email's link and List-Unsubscribe header. GET shows
 * the choices (mail scanners follow links, so GET changes nothing): unsubscribe from everything,
 * fewer emails (at most one a month), or a 30-day pause. POST applies the choice at once, with no
 * cookie or login, and answers 200 with no redirect; a POST without a choice (RFC 8058 one-click)
 * unsubscribes. Every choice is recorded as consent evidence; the raw IP address never is.
 */
@Path("/u/{token}")
@Produces(MediaType.TEXT_HTML + ";charset=utf-8")
public class UnsubscribeResource {
  /** The choices the page offers. */
  static final String ALL = "unsubscribe";
  static final String FEWER = "fewer";
  static final String PAUSE = "pause";
  /** The most of a POST body read: the form holds one short field. */
  private static final int MAX_BODY = 4096;
  /** How long "pause" stops email. */
  static final Duration PAUSE_FOR = Duration.ofDays(30);
  private static final Logger log = LoggerFactory.getLogger(UnsubscribeResource.class);
  private final Jdbi jdbi;
  private final UnsubscribeTokens tokens;
  private final EventIntake intake;
  private final String company;
  private final Clock clock;

  public UnsubscribeResource(Jdbi jdbi, UnsubscribeTokens tokens, EventIntake intake, String company, Clock clock) {
    this.jdbi = jdbi;
    this.tokens = tokens;
    this.intake = intake;
    this.company = company;
    this.clock = clock;
  }

  @GET
  @ApiResponse(responseCode = "200", description = "the preferences page", content = @Content(mediaType = "text/html"))
  @ApiResponse(responseCode = "400", description = "the link is not valid", content = @Content(mediaType = "text/html"))
  public Response confirm(@PathParam("token") String token) {
    return tokens.verify(token)
        .map(s -> page(Response.Status.OK, "Your email preferences",
            "<p>You get these emails from " + esc(company) + " at <strong>" + esc(mask(s.email())) + "</strong>. "
                + "What would you like?</p>"
                // One-click clients POST without a choice: that unsubscribes, as RFC 8058 requires.
                + "<form method=\"post\"><input type=\"hidden\" name=\"choice\" value=\"" + ALL + "\">"
                + "<button type=\"submit\">Unsubscribe from everything</button></form>"
                + "<form method=\"post\"><input type=\"hidden\" name=\"choice\" value=\"" + FEWER + "\">"
                + "<button type=\"submit\">Receive fewer emails (at most one a month)</button></form>"
                + "<form method=\"post\"><input type=\"hidden\" name=\"choice\" value=\"" + PAUSE + "\">"
                + "<button type=\"submit\">Pause emails for 30 days</button></form>"))
        .orElseGet(UnsubscribeResource::invalid);
  }

  /**
   * Applies the choice at once: {@code unsubscribe} (also what a body without a choice means, such
   * as RFC 8058's {@code List-Unsubscribe=One-Click}), {@code fewer} or {@code pause}. Each is
   * recorded as consent evidence: when, the token, the user agent, a keyed hash of the IP address.
   */
  @POST
  @Consumes(MediaType.WILDCARD)
  @ApiResponse(responseCode = "200", description = "the choice is recorded: its page",
      content = @Content(mediaType = "text/html"))
  @ApiResponse(responseCode = "400", description = "the link is not valid, or the choice is unknown",
      content = @Content(mediaType = "text/html"))
  public Response choose(@PathParam("token") String token, @HeaderParam("Content-Type") String contentType,
      @HeaderParam("User-Agent") String userAgent, @Context HttpServletRequest http, InputStream in) throws IOException {
    // A choice is a few bytes; a public endpoint reads no more than it needs.
    String body = in == null ? null : new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8);
    Optional<UnsubscribeTokens.Subject> subject = tokens.verify(token);
    if (subject.isEmpty()) {
      return invalid();
    }
    UnsubscribeTokens.Subject s = subject.get();
    String choice = choice(contentType, body);
    if (choice == null) {
      return page(Response.Status.BAD_REQUEST, "Unknown choice",
          "<p>Please go back and pick one of the options.</p>");
    }
    Instant now = clock.instant();
    String ipHash = http == null || http.getRemoteAddr() == null ? null : tokens.fingerprint(http.getRemoteAddr());
    String agent = PublicPages.userAgent(userAgent);
    switch (choice) {
      case FEWER -> {
        jdbi.useTransaction(h -> {
          PreferenceDao p = h.attach(PreferenceDao.class);
          p.set(s.leadId(), LeadPreference.FEWER, null, now);
          p.evidence(s.leadId(), FEWER, token, agent, ipHash, now);
        });
        log.info("lead {} asked for fewer emails through the link", s.leadId());
        return page(Response.Status.OK, "You'll hear from us less",
            "<p>" + esc(mask(s.email())) + " will get at most one email a month from " + esc(company) + ".</p>");
      }
      case PAUSE -> {
        Instant until = now.plus(PAUSE_FOR);
        jdbi.useTransaction(h -> {
          PreferenceDao p = h.attach(PreferenceDao.class);
          p.set(s.leadId(), LeadPreference.PAUSED, until, now);
          p.evidence(s.leadId(), PAUSE, token, agent, ipHash, now);
        });
        log.info("lead {} paused email for 30 days through the link", s.leadId());
        return page(Response.Status.OK, "Emails paused",
            "<p>" + esc(mask(s.email())) + " will get no emails from " + esc(company) + " for 30 days.</p>");
      }
      default -> {
        jdbi.useTransaction(h -> {
          h.attach(SuppressionDao.class).suppress(s.email(), "unsubscribe link", s.leadId());
          h.attach(PreferenceDao.class).evidence(s.leadId(), ALL, token, agent, ipHash, now);
        });
        jdbi.onDemand(LeadDao.class).find(s.leadId()).ifPresent(lead -> intake.accept(lead,
            new LeadEvent("unsubscribe-link-" + shortHash(token), EventType.UNSUBSCRIBED, now,
                Map.of("channel", "unsubscribe_link"))));
        log.info("lead {} unsubscribed through the link", s.leadId());
        return page(Response.Status.OK, "You're unsubscribed",
            "<p>" + esc(mask(s.email())) + " will get no more of these emails from " + esc(company) + ".</p>");
      }
    }
  }

  /** The choice a POST makes: {@code choice} in a form body; none (one-click, empty body) unsubscribes; null when unknown. */
  static String choice(String contentType, String body) {
    if (body == null || contentType == null
        || !contentType.toLowerCase(java.util.Locale.ROOT).startsWith(MediaType.APPLICATION_FORM_URLENCODED)) {
      return ALL;
    }
    String chosen = null;
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      if (name.equals("choice")) {
        chosen = URLDecoder.decode(eq < 0 ? "" : pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    if (chosen == null) {
      return ALL;
    }
    return switch (chosen) {
      case ALL, FEWER, PAUSE -> chosen;
      default -> null;
    };
  }

  private static Response invalid() {
    return page(Response.Status.BAD_REQUEST, "This link is not valid",
        "<p>This unsubscribe link is damaged or was not issued by us. Use the link in the email exactly as it arrived, "
            + "or reply to the email and ask to be removed.</p>");
  }

  /** p***@example.com: enough to recognise, not enough to harvest. */
  static String mask(String email) {
    int at = email.indexOf('@');
    return at <= 1 ? email : email.charAt(0) + "***" + email.substring(at);
  }

  private static String shortHash(String token) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
