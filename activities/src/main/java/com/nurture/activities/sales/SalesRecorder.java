package com.nurture.activities.sales;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nurture.activities.db.HandOffDao;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.LeadRecord;
import com.nurture.activities.mail.MailSettings;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.email.EmailBuilder;
import com.nurture.workflows.activities.HandOff;
import com.nurture.workflows.activities.SalesActivities;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hand-offs in PostgreSQL, and the signed webhook that tells the sales system. */
public final class SalesRecorder implements SalesActivities {
  private static final Logger log = LoggerFactory.getLogger(SalesRecorder.class);
  private final Jdbi jdbi;
  private final SalesSettings settings;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ObjectMapper json = new ObjectMapper().findAndRegisterModules()
      .disable(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final Mailer mailer;
  private final MailSettings mail;

  public SalesRecorder(Jdbi jdbi, SalesSettings settings, Clock clock, Mailer mailer, MailSettings mail) {
    this.jdbi = jdbi;
    this.settings = settings;
    this.clock = clock;
    this.mailer = mailer;
    this.mail = mail;
  }

  @Override
  public void notifyOwner(HandOff h) {
    if (!settings.ownerEmails()) {
      return;
    }
    Optional<LeadRecord> lead = jdbi.onDemand(LeadDao.class).find(h.leadId());
    String owner = lead.map(l -> l.attribute("owner_email")).filter(a -> !a.isBlank()).orElse(settings.defaultOwner());
    if (owner.isBlank()) {
      log.info("hand-off {} of lead {}: the lead has no owner_email and no default owner is configured", h.key(), h.leadId());
      return;
    }
    HandOffDao dao = jdbi.onDemand(HandOffDao.class);
    if (dao.ownerNotified(h.key())) {
      return;
    }
    String messageId = "<handoff-" + digest(h.key()) + "@" + mail.domain() + ">";
    String who = lead.map(LeadRecord::email).orElse(h.leadId());
    Email email = EmailBuilder.startingBlank()
        .from(mail.fromName(), mail.fromAddress())
        .to(owner)
        .withSubject("Hand-off (" + h.priority() + " priority): " + who)
        .withPlainText(ownerText(h, who))
        .fixingMessageId(messageId)
        .buildEmail();
    try {
      mailer.sendMail(email).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    } catch (ExecutionException | TimeoutException e) {
      throw ApplicationFailure.newFailureWithCause("the owner email could not be sent: " + e, "OwnerMailFailed", e);
    }
    // A crash between the send and this line sends the owner a second copy on retry, with the same
    // Message-ID: an internal note may arrive twice, never not at all.
    dao.ownerNotifiedNow(h.key(), owner, messageId, clock.instant());
    log.info("hand-off {} of lead {}: owner {} emailed", h.key(), h.leadId(), owner);
  }

  private static String ownerText(HandOff h, String who) {
    StringBuilder b = new StringBuilder();
    b.append("A lead you own was handed to sales: ").append(who).append("\n\n")
        .append("Why: ").append(h.reason()).append('\n')
        .append("Score: ").append(h.score()).append('\n')
        .append("Priority: ").append(h.priority()).append('\n')
        .append("Follow up by: ").append(h.slaDueAt()).append(" (SLA)\n");
    if (!h.events().isEmpty()) {
      b.append("\nWhat the lead did:\n");
      h.events().forEach(e -> b.append("- ").append(e.get("type")).append(" (").append(e.get("event_id")).append(") at ")
          .append(e.get("at")).append(", ").append(e.get("points")).append(" points\n"));
    }
    b.append("\nRecord the outcome with POST /v1/leads/").append(h.leadId())
        .append("/sales-feedback: accepted, rejected or not_now.\n");
    return b.toString();
  }

  @Override
  public void recordHandOff(HandOff h) {
    jdbi.onDemand(HandOffDao.class).insert(h.key(), h.leadId(), h.reason(), h.score(), h.priority(), h.events(),
        h.slaDueAt(), h.at());
  }

  @Override
  public void recordOutcome(String handOffKey, String outcome) {
    jdbi.onDemand(HandOffDao.class).outcome(handOffKey, outcome);
  }

  @Override
  public void notifySales(HandOff h) {
    if (!settings.webhookConfigured()) {
      log.info("hand-off {} of lead {}: no sales webhook configured; the alert list has it", h.key(), h.leadId());
      return;
    }
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    String id = "msg_" + digest(h.key());
    long timestamp = clock.instant().getEpochSecond();
    String body = body(h);
    HttpRequest request = HttpRequest.newBuilder(URI.create(settings.webhookUrl()))
        .timeout(Duration.ofSeconds(20))
        .header("content-type", "application/json")
        .header("webhook-id", id)
        .header("webhook-timestamp", String.valueOf(timestamp))
        .header("webhook-signature", new StandardWebhooks(settings.webhookSecret()).sign(id, timestamp, body))
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
        .build();
    HandOffDao dao = jdbi.onDemand(HandOffDao.class);
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      boolean ok = response.statusCode() / 100 == 2;
      dao.delivery(h.key(), attempt, response.statusCode(), ok ? null : truncate(response.body()));
      if (!ok) {
        throw ApplicationFailure.newFailure("the sales endpoint answered " + response.statusCode(), "WebhookRejected");
      }
      log.info("hand-off {} of lead {} delivered to sales (attempt {})", h.key(), h.leadId(), attempt);
    } catch (IOException e) {
      dao.delivery(h.key(), attempt, null, truncate(String.valueOf(e)));
      throw ApplicationFailure.newFailureWithCause("the sales endpoint did not answer: " + e, "WebhookUnreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    }
  }

  private String body(HandOff h) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("handoff_id", h.key());
    data.put("lead_id", h.leadId());
    jdbi.onDemand(LeadDao.class).find(h.leadId()).ifPresent(lead -> {
      data.put("email", lead.email());
      data.put("attributes", lead.attributes());
    });
    data.put("reason", h.reason());
    data.put("score", h.score());
    data.put("priority", h.priority());
    data.put("sla_due_at", h.slaDueAt().toString());
    data.put("events", h.events());
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("type", "lead.handed_off");
    payload.put("timestamp", h.at().toString());
    payload.put("data", data);
    try {
      return json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String truncate(String s) {
    return s == null ? null : s.length() > 500 ? s.substring(0, 500) : s;
  }

  private static String digest(String key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
