package com.nurture.api.resources;

import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.SuppressionDao;
import com.nurture.activities.mail.UnsubscribeTokens;
import com.nurture.api.core.EventIntake;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.journey.LeadEvent;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public unsubscribe endpoint behind every email's link and List-Unsubscribe header. GET shows
 * a confirmation page (mail scanners follow links, so GET changes nothing); POST unsubscribes at
 * once, with no cookie or login, and answers 200 with no redirect (RFC 8058 one-click).
 */
@Path("/u/{token}")
@Produces(MediaType.TEXT_HTML + ";charset=utf-8")
public class UnsubscribeResource {
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
  public Response confirm(@PathParam("token") String token) {
    return tokens.verify(token)
        .map(s -> page(Response.Status.OK, "Unsubscribe?",
            "<p>Stop receiving these emails from " + esc(company) + " at <strong>" + esc(mask(s.email())) + "</strong>?</p>"
                + "<form method=\"post\"><button type=\"submit\">Unsubscribe</button></form>"))
        .orElseGet(UnsubscribeResource::invalid);
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  public Response unsubscribe(@PathParam("token") String token) {
    return tokens.verify(token).map(s -> {
      jdbi.onDemand(SuppressionDao.class).suppress(s.email(), "unsubscribe link", s.leadId());
      jdbi.onDemand(LeadDao.class).find(s.leadId()).ifPresent(lead -> intake.accept(lead,
          new LeadEvent("unsubscribe-link-" + shortHash(token), EventType.UNSUBSCRIBED, clock.instant(),
              Map.of("channel", "unsubscribe_link"))));
      log.info("lead {} unsubscribed through the link", s.leadId());
      return page(Response.Status.OK, "You're unsubscribed",
          "<p>" + esc(mask(s.email())) + " will get no more of these emails from " + esc(company) + ".</p>");
    }).orElseGet(UnsubscribeResource::invalid);
  }

  private static Response invalid() {
    return page(Response.Status.BAD_REQUEST, "This link is not valid",
        "<p>This unsubscribe link is damaged or was not issued by us. Use the link in the email exactly as it arrived, "
            + "or reply to the email and ask to be removed.</p>");
  }

  private static Response page(Response.Status status, String title, String body) {
    String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" + esc(title) + "</title></head>"
        + "<body style=\"font-family:Arial,Helvetica,sans-serif;max-width:32em;margin:3em auto;padding:0 1em\">"
        + "<h1 style=\"font-size:1.4em\">" + esc(title) + "</h1>" + body + "</body></html>";
    return Response.status(status).entity(html).build();
  }

  /** p***@example.com: enough to recognise, not enough to harvest. */
  static String mask(String email) {
    int at = email.indexOf('@');
    return at <= 1 ? email : email.charAt(0) + "***" + email.substring(at);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
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
