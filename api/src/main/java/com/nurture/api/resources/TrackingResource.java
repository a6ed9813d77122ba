package com.nurture.api.resources;

import com.codahale.metrics.MetricRegistry;
import com.nurture.activities.db.EventDao;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.TimelineDao;
import com.nurture.activities.db.TrackedLink;
import com.nurture.activities.db.TrackingDao;
import com.nurture.api.core.EngagementDuplicates;
import com.nurture.api.core.EventIntake;
import com.nurture.api.tracking.Cidr;
import com.nurture.api.tracking.ClickClassifier;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.journey.LeadEvent;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * The public tracking endpoints behind every sent email's links and open pixel (no auth: the
 * random token is the credential, and it stands for one message and one URL).
 * <ul>
 *   <li>{@code GET|HEAD /t/c/{token}}: 302 to the URL recorded for the token, and nowhere else; an
 *       unknown, altered or expired token is a 404 page, never a redirect (no open redirect). A HEAD
 *       gets the same 302 as a GET, so a scanner sees what a reader would, but it is recorded as a
 *       bot click. A human click enters as {@code email_clicked} through {@link EventIntake}, like
 *       an API event; a bot click is recorded ({@code email_clicked_bot} on the timeline, with the
 *       reason) and never reaches the journey.</li>
 *   <li>{@code GET /t/o/{token}}: a 1x1 transparent GIF. An open by a person's mail client enters as
 *       {@code email_opened}; one by a privacy proxy or prefetcher is recorded
 *       ({@code email_opened_machine}, {@code machine: true} and the reason) and, by default, not
 *       delivered.</li>
 * </ul>
 */
@Path("/t")
public class TrackingResource {
  private static final Logger log = LoggerFactory.getLogger(TrackingResource.class);
  /** 128 bits, base64url without padding, as MessageLinks issues them. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}");
  private static final byte[] GIF = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

  private final Jdbi jdbi;
  private final EventIntake intake;
  private final ClickClassifier classifier;
  private final Duration linkLifetime;
  private final boolean deliverMachineOpens;
  private final MetricRegistry metrics;
  private final Clock clock;
  private final EngagementDuplicates duplicates;

  public TrackingResource(Jdbi jdbi, EventIntake intake, ClickClassifier classifier, Duration linkLifetime,
      boolean deliverMachineOpens, MetricRegistry metrics, Clock clock) {
    this.jdbi = jdbi;
    this.intake = intake;
    this.classifier = classifier;
    this.linkLifetime = linkLifetime;
    this.deliverMachineOpens = deliverMachineOpens;
    this.metrics = metrics;
    this.clock = clock;
    this.duplicates = new EngagementDuplicates(jdbi);
  }

  @GET
  @Path("c/{token}")
  @ApiResponse(responseCode = "302", description = "to the link's target (Location)")
  @ApiResponse(responseCode = "404", description = "the link is not valid", content = @Content(mediaType = "text/html"))
  public Response click(@PathParam("token") String token, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
      @Context HttpServletRequest request) {
    return click("GET", token, userAgent, request);
  }

  /** Scanners must see what a reader sees: the same 302. The click is recorded as a bot's. */
  @HEAD
  @Path("c/{token}")
  @ApiResponse(responseCode = "302", description = "to the link's target (Location), as GET answers")
  @ApiResponse(responseCode = "404", description = "the link is not valid")
  public Response clickHead(@PathParam("token") String token, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
      @Context HttpServletRequest request) {
    return click("HEAD", token, userAgent, request);
  }

  @GET
  @Path("o/{token}")
  @ApiResponse(responseCode = "200", description = "a transparent 1x1 GIF",
      content = @Content(mediaType = "image/gif", schema = @Schema(types = "string", contentMediaType = "image/gif")))
  @ApiResponse(responseCode = "404", description = "the link is not valid", content = @Content(mediaType = "text/html"))
  public Response open(@PathParam("token") String token, @HeaderParam(HttpHeaders.USER_AGENT) String userAgent,
      @Context HttpServletRequest request) {
    Instant now = clock.instant();
    Optional<TrackedLink> found = link(token, now).filter(l -> l.kind().equals("open"));
    if (found.isEmpty()) {
      return notFound();
    }
    TrackedLink link = found.get();
    try {
      recordOpen(link, now, userAgent == null ? "" : userAgent, remote(request));
    } catch (RuntimeException e) {
      log.warn("open of {} not recorded: {}", link.idempotencyKey(), e.toString());
    }
    return Response.ok(GIF, "image/gif").header(HttpHeaders.CACHE_CONTROL, "no-store, no-cache, max-age=0").build();
  }

  private Response click(String method, String token, String userAgent, HttpServletRequest request) {
    Instant now = clock.instant();
    Optional<TrackedLink> found = link(token, now).filter(l -> !l.kind().equals("open"));
    if (found.isEmpty()) {
      return notFound();
    }
    TrackedLink link = found.get();
    URI target;
    try {
      target = URI.create(link.url());
    } catch (IllegalArgumentException e) {
      return notFound();
    }
    // The reader is sent on even if recording fails: the click's record is ours, the link is theirs.
    try {
      recordClick(link, method, now, userAgent == null ? "" : userAgent, remote(request));
    } catch (RuntimeException e) {
      log.warn("click on {} not recorded: {}", link.idempotencyKey(), e.toString());
    }
    return Response.status(Response.Status.FOUND).location(target)
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .header("Referrer-Policy", "no-referrer")
        .build();
  }

  private void recordClick(TrackedLink link, String method, Instant now, String userAgent, String ip) {
    ClickClassifier.Settings s = classifier.settings();
    Duration lookBack = max(s.honeypotWindow(), s.burstWindow());
    TrackingDao dao = jdbi.onDemand(TrackingDao.class);
    List<ClickClassifier.EarlierClick> earlier = dao.clicksBetween(link.idempotencyKey(), now.minus(lookBack), now)
        .stream().map(h -> new ClickClassifier.EarlierClick(h.at(), h.token(), h.kind().equals("honeypot"))).toList();
    boolean honeypot = link.kind().equals("honeypot");
    ClickClassifier.Verdict verdict = classifier.click(new ClickClassifier.Click(method, userAgent, Cidr.literal(ip),
        now, link.token(), honeypot, dao.sentAt(link.idempotencyKey()), earlier));
    long hit = dao.hit(link.token(), link.idempotencyKey(), link.leadId(), "click", now, method, ip, userAgent,
        verdict.human(), verdict.reason());
    if (honeypot) {
      // Clicks just before the honeypot's were the same scanner: counted as bot from now on.
      int reclassified = dao.markBot(link.idempotencyKey(), now.minus(s.honeypotWindow()), now, "near_honeypot_click");
      if (reclassified > 0) {
        log.info("{} earlier click(s) on {} reclassified as bot (honeypot)", reclassified, link.idempotencyKey());
      }
    }
    Map<String, Object> properties = properties(link);
    if (!honeypot) {
      properties.put("url", link.url());
    }
    if (verdict.human()) {
      metrics.meter("tracking.clicks.human").mark();
      String eventId = "click-" + shortHash(link.token()) + "-" + now.getEpochSecond() / 60;
      if (!reportedByProvider(link, EventType.EMAIL_CLICKED, link.url(), now, eventId, properties)) {
        jdbi.onDemand(LeadDao.class).find(link.leadId()).ifPresent(lead -> intake.accept(lead,
            new LeadEvent(eventId, EventType.EMAIL_CLICKED, now, properties)));
      }
    } else {
      metrics.meter("tracking.clicks.bot").mark();
      properties.put("reason", verdict.reason());
      properties.put("method", method);
      jdbi.onDemand(TimelineDao.class).append(link.leadId(), now, "email_clicked_bot", properties, "click-bot/" + hit);
      log.info("bot click on {} ({}): {}", link.idempotencyKey(), link.kind(), verdict.reason());
    }
  }

  private void recordOpen(TrackedLink link, Instant now, String userAgent, String ip) {
    ClickClassifier.Verdict verdict = classifier.open(userAgent, Cidr.literal(ip));
    long hit = jdbi.onDemand(TrackingDao.class).hit(link.token(), link.idempotencyKey(), link.leadId(), "open", now,
        "GET", ip, userAgent, verdict.human(), verdict.reason());
    Map<String, Object> properties = properties(link);
    if (!verdict.human()) {
      metrics.meter("tracking.opens.machine").mark();
      properties.put("machine", true);
      properties.put("reason", verdict.reason());
      jdbi.onDemand(TimelineDao.class).append(link.leadId(), now, "email_opened_machine", properties, "open-machine/" + hit);
      if (!deliverMachineOpens) {
        return;
      }
    } else {
      metrics.meter("tracking.opens.human").mark();
    }
    String eventId = "open-" + shortHash(link.token()) + "-" + now.getEpochSecond() / 60;
    if (reportedByProvider(link, EventType.EMAIL_OPENED, "", now, eventId, properties)) {
      return;
    }
    jdbi.onDemand(LeadDao.class).find(link.leadId()).ifPresent(lead -> intake.accept(lead,
        new LeadEvent(eventId, EventType.EMAIL_OPENED, now, properties)));
  }

  /**
   * Whether an email service provider's webhook reported this open or click already
   * (EngagementDuplicates): then it is put on the timeline as a duplicate and not delivered again.
   */
  private boolean reportedByProvider(TrackedLink link, EventType type, String url, Instant now, String eventId,
      Map<String, Object> properties) {
    if (jdbi.onDemand(EventDao.class).receivedAt(link.leadId(), eventId).isPresent()) {
      return false; // this minute's event exists: the intake treats the repeat as the same event
    }
    var engagement = new EngagementDuplicates.Engagement(link.leadId(), type, link.messageId(), url, now);
    Optional<String> of = duplicates.duplicateOf(EngagementDuplicates.Source.TRACKING, engagement);
    of.ifPresent(d -> {
      Map<String, Object> detail = new LinkedHashMap<>(properties);
      detail.put("event_id", eventId);
      duplicates.record(engagement, d, detail, "tracking-duplicate/" + eventId);
      log.info("{} {} on {} duplicates {}; not delivered", type.wireName(), eventId, link.idempotencyKey(), d);
    });
    return of.isPresent();
  }

  private Optional<TrackedLink> link(String token, Instant now) {
    if (token == null || !TOKEN.matcher(token).matches()) {
      return Optional.empty();
    }
    return jdbi.onDemand(TrackingDao.class).find(token)
        .filter(l -> l.createdAt().plus(linkLifetime).isAfter(now));
  }

  private static Map<String, Object> properties(TrackedLink link) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("message_id", link.messageId());
    p.put("program", link.programId());
    p.put("step", link.stepId());
    p.put("template", link.template());
    p.put("variant", link.variant());
    return p;
  }

  private static String remote(HttpServletRequest request) {
    String ip = request == null ? null : request.getRemoteAddr();
    return ip == null ? "" : ip;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Response notFound() {
    String html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>Link not found</title></head>"
        + "<body style=\"font-family:Arial,Helvetica,sans-serif;max-width:32em;margin:3em auto;padding:0 1em\">"
        + "<h1 style=\"font-size:1.4em\">This link is not valid</h1>"
        + "<p>The link is damaged, has expired, or was not issued by us. Use the link in the email exactly as it "
        + "arrived.</p></body></html>";
    return Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_HTML + ";charset=utf-8").entity(html)
        .header(HttpHeaders.CACHE_CONTROL, "no-store").build();
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
