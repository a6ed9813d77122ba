package com.nurture.api.resources;

import static com.nurture.api.resources.PublicPages.esc;
import static com.nurture.api.resources.PublicPages.page;

import com.nurture.activities.consent.ConfirmationTokens;
import com.nurture.activities.db.ConfirmationDao;
import com.nurture.activities.db.ConfirmationRow;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.PreferenceDao;
import com.nurture.activities.mail.UnsubscribeTokens;
import com.nurture.api.core.EventIntake;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.journey.LeadEvent;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * The double opt-in link, {@code /confirm/{token}}. GET shows a Confirm button and changes nothing
 * (mail scanners open links); POST confirms: the consent evidence is kept (time, token, user agent,
 * keyed hash of the IP address), the lead's consent becomes {@code double_opt_in}, and its journey
 * gets {@code consent_confirmed} through the same intake as API events. Confirming twice is
 * harmless; an unknown token, or one past its journey's deadline, confirms nothing.
 */
@Path("/confirm/{token}")
@Produces(MediaType.TEXT_HTML + ";charset=utf-8")
public class ConfirmResource {
  private static final Logger log = LoggerFactory.getLogger(ConfirmResource.class);
  private final Jdbi jdbi;
  private final UnsubscribeTokens fingerprints;
  private final ConfirmationTokens tokens;
  private final EventIntake intake;
  private final String company;
  private final Clock clock;

  public ConfirmResource(Jdbi jdbi, UnsubscribeTokens fingerprints, ConfirmationTokens tokens, EventIntake intake,
      String company, Clock clock) {
    this.jdbi = jdbi;
    this.fingerprints = fingerprints;
    this.tokens = tokens;
    this.intake = intake;
    this.company = company;
    this.clock = clock;
  }

  @GET
  @ApiResponse(responseCode = "200", description = "the confirmation page (or, once confirmed, the thank-you page)",
      content = @Content(mediaType = "text/html"))
  @ApiResponse(responseCode = "404", description = "the link is not valid", content = @Content(mediaType = "text/html"))
  @ApiResponse(responseCode = "410", description = "the link has expired", content = @Content(mediaType = "text/html"))
  public Response show(@PathParam("token") String token) {
    Optional<ConfirmationRow> row = find(token);
    if (row.isEmpty()) {
      return unknown();
    }
    if (row.get().confirmedAt().isPresent()) {
      return confirmedPage();
    }
    if (row.get().expired(clock.instant())) {
      return expired();
    }
    return page(Response.Status.OK, "Confirm your subscription",
        "<p>Press the button to confirm that you want to receive email from " + esc(company) + ".</p>"
            + "<form method=\"post\"><button type=\"submit\">Confirm</button></form>"
            + "<p>If you did not ask for this, close this page: you will hear nothing more from us.</p>");
  }

  @POST
  @Consumes(MediaType.WILDCARD)
  @ApiResponse(responseCode = "200", description = "confirmed: the thank-you page",
      content = @Content(mediaType = "text/html"))
  @ApiResponse(responseCode = "404", description = "the link is not valid", content = @Content(mediaType = "text/html"))
  @ApiResponse(responseCode = "410", description = "the link has expired", content = @Content(mediaType = "text/html"))
  public Response confirm(@PathParam("token") String token, @HeaderParam("User-Agent") String userAgent,
      @Context HttpServletRequest http) {
    Optional<ConfirmationRow> found = find(token);
    if (found.isEmpty()) {
      return unknown();
    }
    ConfirmationRow row = found.get();
    Instant now = clock.instant();
    if (row.confirmedAt().isEmpty() && row.expired(now)) {
      return expired();
    }
    String ipHash = http == null || http.getRemoteAddr() == null ? null : fingerprints.fingerprint(http.getRemoteAddr());
    boolean first = jdbi.inTransaction(h -> {
      boolean confirmed = h.attach(ConfirmationDao.class).confirm(row.tokenSha256(), now);
      if (confirmed) {
        h.attach(PreferenceDao.class).evidence(row.leadId(), "confirm", token, PublicPages.userAgent(userAgent), ipHash, now);
        h.attach(ConfirmationDao.class).markDoubleOptIn(row.leadId());
      }
      return confirmed;
    });
    // Delivered on every POST (the event id is the same each time, so the journey sees it once):
    // a crash between the commit and the delivery is healed by the lead pressing the button again.
    jdbi.onDemand(LeadDao.class).find(row.leadId()).ifPresent(lead -> intake.accept(lead,
        new LeadEvent("confirm/" + row.tokenSha256().substring(0, 24), EventType.CONSENT_CONFIRMED,
            row.confirmedAt().orElse(now), Map.of("journey_key", row.journeyKey()))));
    if (first) {
      log.info("lead {} confirmed its subscription (journey {})", row.leadId(), row.journeyKey());
    }
    return confirmedPage();
  }

  private Optional<ConfirmationRow> find(String token) {
    if (!ConfirmationTokens.wellFormed(token)) {
      return Optional.empty();
    }
    // The row proves we issued the token; the key it names must still be configured (rotation).
    return jdbi.onDemand(ConfirmationDao.class).find(ConfirmationTokens.hash(token))
        .filter(row -> tokens.verifies(token, row.leadId(), row.journeyKey()));
  }

  private Response confirmedPage() {
    return page(Response.Status.OK, "Thank you: you're subscribed",
        "<p>Your subscription to email from " + esc(company) + " is confirmed. Every email has a link to "
            + "unsubscribe or get fewer emails.</p>");
  }

  private static Response unknown() {
    return page(Response.Status.NOT_FOUND, "This link is not valid",
        "<p>This confirmation link is damaged or was not issued by us. Use the link in the email exactly as it arrived.</p>");
  }

  private static Response expired() {
    return page(Response.Status.GONE, "This link has expired",
        "<p>This confirmation link is no longer valid, so nothing was confirmed. Sign up again to get a new one.</p>");
  }
}
