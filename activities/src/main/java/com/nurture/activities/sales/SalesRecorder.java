package com.nurture.activities.sales;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nurture.activities.db.HandOffDao;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.LeadRecord;
import com.nurture.activities.mail.MailSettings;
import com.nurture.activities.mail.SmtpEmailActivities;
import java.util.Optional;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.email.EmailBuilder;
import com.nurture.workflows.activities.HandOff;
import com.nurture.workflows.activities.OperatorAlert;
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
    String who = lead.map(LeadRecord::email).orElse(h.leadId());
    emailOwner(lead, h.leadId(), h.key(), "hand-off", "Hand-off (" + h.priority() + " priority): " + who,
        ownerText(h, who));
  }

  /**
   * Emails the lead's owner (its {@code owner_email}, else the default owner) once per {@code key}.
   * A crash between the send and the record sends a second copy on retry, with the same Message-ID:
   * an internal note may arrive twice, never not at all.
   */
  private void emailOwner(Optional<LeadRecord> lead, String leadId, String key, String what, String subject, String text) {
    String owner = lead.map(l -> l.attribute("owner_email")).filter(a -> !a.isBlank()).orElse(settings.defaultOwner());
    if (owner.isBlank()) {
      log.info("{} {} of lead {}: the lead has no owner_email and no default owner is configured", what, key, leadId);
      return;
    }
    HandOffDao dao = jdbi.onDemand(HandOffDao.class);
    if (dao.ownerNotified(key)) {
      return;
    }
    String messageId = "<" + what.replace("-", "") + "-" + digest(key) + "@" + mail.domain() + ">";
    Email email = EmailBuilder.startingBlank()
        .from(mail.fromName(), mail.fromAddress())
        .to(com.nurture.activities.mail.MailAddresses.toAscii(owner))
        .withSubject(subject)
        .withPlainText(text)
        .fixingMessageId(messageId)
        .buildEmail();
    SmtpEmailActivities.sendAndWait(mailer, email);
    dao.ownerNotifiedNow(key, owner, messageId, clock.instant());
    log.info("{} {} of lead {}: owner emailed", what, key, leadId);
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
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("handoff_id", h.key());
    data.put("lead_id", h.leadId());
    lead(h.leadId(), data);
    data.put("reason", h.reason());
    data.put("score", h.score());
    data.put("priority", h.priority());
    data.put("sla_due_at", h.slaDueAt().toString());
    data.put("events", h.events());
    deliver(h.key(), "lead.handed_off", h.at(), data, "hand-off " + h.key() + " of lead " + h.leadId());
  }

  @Override
  public void notifyTask(OperatorAlert alert) {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("task_id", alert.dedupeKey());
    data.put("lead_id", alert.leadId());
    lead(alert.leadId(), data);
    data.put("kind", alert.kind());
    data.put("message", alert.message());
    data.put("detail", alert.detail());
    deliver("task/" + alert.dedupeKey(), "lead.task_created", clock.instant(), data,
        alert.kind() + " task for lead " + alert.leadId());
    if (alert.kind().equals("reply") && settings.ownerEmails()) {
      // The person who answers a reply reads it in the note: the text (quoted history stripped) is in it.
      Optional<LeadRecord> lead = jdbi.onDemand(LeadDao.class).find(alert.leadId());
      String who = lead.map(LeadRecord::email).orElse(alert.leadId());
      Object text = alert.detail().get("text");
      emailOwner(lead, alert.leadId(), "task/" + alert.dedupeKey(), "reply", "Reply from " + who,
          "A lead you own replied to a nurture email: " + who + "\n\n"
              + (text == null || String.valueOf(text).isBlank() ? "(no text)" : String.valueOf(text).strip()) + "\n\n"
              + alert.message() + "\nResume the journey with POST /v1/leads/" + alert.leadId() + "/journey/resume.\n");
    }
  }

  private void lead(String leadId, Map<String, Object> data) {
    jdbi.onDemand(LeadDao.class).find(leadId).ifPresent(lead -> {
      data.put("email", lead.email());
      data.put("attributes", lead.attributes());
    });
  }

  /**
   * POSTs {@code {type, timestamp, data}} to the sales endpoint, signed per Standard Webhooks with a
   * webhook-id stable for {@code key} (receivers deduplicate by it). Throws until the endpoint
   * answers 2xx, so Temporal retries with backoff; every attempt is logged in webhook_deliveries.
   */
  private void deliver(String key, String type, java.time.Instant at, Map<String, Object> data, String what) {
    if (!settings.webhookConfigured()) {
      log.info("{}: no sales webhook configured; the alert list has it", what);
      return;
    }
    int attempt = Activity.getExecutionContext().getInfo().getAttempt();
    String id = "msg_" + digest(key);
    long timestamp = clock.instant().getEpochSecond();
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("type", type);
    payload.put("timestamp", at.toString());
    payload.put("data", data);
    String body;
    try {
      body = json.writeValueAsString(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
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
      dao.delivery(key, attempt, response.statusCode(), ok ? null : truncate(response.body()));
      if (!ok) {
        throw ApplicationFailure.newFailure("the sales endpoint answered " + response.statusCode(), "WebhookRejected");
      }
      log.info("{} delivered to sales (attempt {})", what, attempt);
    } catch (IOException e) {
      dao.delivery(key, attempt, null, truncate(String.valueOf(e)));
      throw ApplicationFailure.newFailureWithCause("the sales endpoint did not answer: " + e, "WebhookUnreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
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
