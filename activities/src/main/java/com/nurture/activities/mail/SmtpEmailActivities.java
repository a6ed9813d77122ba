package com.nurture.activities.mail;

import com.nurture.activities.db.AlertDao;
import com.nurture.activities.db.DatabaseOutage;
import com.nurture.activities.db.LeadRecord;
import com.nurture.activities.db.MessageDao;
import com.nurture.activities.db.MessageRow;
import com.nurture.activities.db.LeadPreference;
import com.nurture.activities.db.PreferenceDao;
import com.nurture.activities.db.SendStatements;
import com.nurture.activities.db.SuppressionDao;
import com.nurture.workflows.activities.EmailActivities;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.email.EmailBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SendEmail activity over SMTP (Simple Java Mail), idempotent through the ledger in
 * {@code messages} (DESIGN section 5):
 * <ol>
 *   <li>in one transaction: check the suppression list and the lead's own preference (a pause, or
 *       "fewer emails": at most one per 30 days; a send it holds back is recorded as
 *       {@code suppressed_by_preference} and reported to the journey as HELD_OUT, so the journey
 *       goes on), claim the idempotency key;</li>
 *   <li>send over SMTP with a Message-ID derived from the key;</li>
 *   <li>mark the key sent.</li>
 * </ol>
 * Rendering in step 1 rewrites the email's links to tracked ones ({@link MessageLinks}); their
 * tokens are recorded in the same transaction, in one statement after rendering, so the ledger
 * holds exactly the links that went out, and a retry reuses them.
 * A retry that finds the key sent returns the earlier result. One that finds it still "sending" (a
 * process died between 1 and 3) does not resend: it raises an operator alert instead. A definite
 * SMTP failure releases the claim so the retry sends. A database that is away when step 3 (or the
 * release) is written is waited for, as long as the attempt may run: only this attempt knows what
 * SMTP did, so losing that write to a restart would turn a sent email into an "unknown" one.
 */
public final class SmtpEmailActivities implements EmailActivities {
  private static final Logger log = LoggerFactory.getLogger(SmtpEmailActivities.class);
  /** A ledger write waiting for the database gives up this long before the attempt's deadline. */
  private static final Duration OUTCOME_MARGIN = Duration.ofSeconds(5);
  /** How long a ledger write waits for the database when not running as an activity. */
  private static final Duration OUTCOME_WAIT_OUTSIDE_ACTIVITY = Duration.ofSeconds(30);
  /** A lead that asked for fewer emails gets at most one per this period. */
  public static final Duration FEWER_EMAILS_PERIOD = Duration.ofDays(30);
  /** The ledger status of a send the lead's preference held back. */
  public static final String SUPPRESSED_BY_PREFERENCE = "suppressed_by_preference";

  private final Jdbi jdbi;
  private final TemplateCatalog templates;
  private final EmailRenderer renderer;
  private final UnsubscribeTokens tokens;
  private final MailSettings settings;
  private final Mailer mailer;
  private final Clock clock;

  public SmtpEmailActivities(Jdbi jdbi, TemplateCatalog templates, UnsubscribeTokens tokens, MailSettings settings,
      Mailer mailer, Clock clock) {
    this.jdbi = jdbi;
    this.templates = templates;
    this.renderer = new EmailRenderer(settings);
    this.tokens = tokens;
    this.settings = settings;
    this.mailer = mailer;
    this.clock = clock;
  }

  /** What the claim transaction decided. */
  private sealed interface Claim {
    /** @param replyTo the message's own Reply-To address, when a reply domain is configured */
    record Send(LeadRecord lead, RenderedEmail email, String token, String template, Optional<String> replyTo)
        implements Claim {}
    record Done(SendOutcome outcome) implements Claim {}
  }

  @Override
  public SendOutcome sendEmail(SendRequest request) {
    long attemptStarted = System.currentTimeMillis();
    String key = request.idempotencyKey();
    String messageId = messageId(key);
    Claim claim;
    try {
      claim = jdbi.inTransaction(h -> claim(h, request, key, messageId));
    } catch (PermanentFailure f) {
      // The claim transaction rolled back: record the failure on its own, so the ledger shows it.
      jdbi.useTransaction(h -> {
        MessageDao messages = h.attach(MessageDao.class);
        messages.claim(key, request.leadId(), f.email, request.programId(), request.programVersion(), request.stepId(),
            request.template(), request.variant(), "", "failed", messageId);
        messages.markFailed(key, f.getMessage());
        messages.failedBecause(key, f.getMessage());
      });
      throw permanent(request, f.getMessage(), null);
    }
    if (claim instanceof Claim.Done done) {
      return done.outcome();
    }
    Claim.Send send = (Claim.Send) claim;
    try {
      deliver(send, messageId);
    } catch (RuntimeException e) {
      SendFailure failure = SendFailure.of(e);
      if (failure.hardBounce()) {
        // The receiving server refused the mailbox: a hard bounce at send. The address is suppressed
        // at once and the journey hears SUPPRESSED (it ends, as for a bounced{hard} event).
        recordOutcome(key, "failed", attemptStarted,
            h -> h.attach(MessageDao.class).markFailed(key, "hard bounce at send: " + failure.reason()));
        jdbi.useExtension(SuppressionDao.class,
            d -> d.suppress(send.lead().email(), "hard bounce at send: " + failure.reason(), request.leadId()));
        log.warn("send {} of lead {}: hard bounce at send, address suppressed: {}", request.stepId(), request.leadId(),
            failure.reason());
        return new SendOutcome(SendOutcome.Status.SUPPRESSED, messageId, send.email().subject(), send.template(),
            clock.instant());
      }
      if (failure.permanent()) {
        recordOutcome(key, "failed", attemptStarted, h -> h.attach(MessageDao.class).markFailed(key, failure.reason()));
        throw permanent(request, failure.reason(), e);
      }
      recordOutcome(key, "retrying", attemptStarted, h -> h.attach(MessageDao.class).markRetrying(key, failure.reason()));
      log.warn("SMTP send of {} to lead {} failed; it will be retried: {}", key, request.leadId(), failure.reason());
      throw ApplicationFailure.newFailureWithCause("SMTP send failed: " + failure.reason(), "SmtpFailure", e);
    }
    Instant at = clock.instant();
    recordOutcome(key, "sent", attemptStarted, h -> SendStatements.markSent(h, key, at));
    log.info("sent {} ({}) to lead {} as {}", send.template(), request.stepId(), request.leadId(), messageId);
    return new SendOutcome(SendOutcome.Status.SENT, messageId, send.email().subject(), send.template(), at);
  }

  @Override
  public void recordSendFailed(String idempotencyKey, String reason) {
    if (jdbi.withExtension(MessageDao.class, m -> m.markFailed(idempotencyKey, reason)) == 1) {
      log.warn("send {} given up: {}", idempotencyKey, reason);
    }
  }

  /**
   * Writes what SMTP did with the message (sent, failed, retrying) to the ledger. Only this attempt
   * knows it: were the write lost to a database outage (a restart), the retry would find the row
   * still 'sending' and could only call it 'unknown', raise an alert and leave the journey without
   * the email it sent. So a write that fails because the database is away is tried again, with
   * backoff, while this attempt may run; any other failure, or an outage outlasting the attempt, is
   * thrown as before.
   */
  private void recordOutcome(String key, String outcome, long attemptStarted, Consumer<Handle> write) {
    long deadline = System.nanoTime() + outcomeWait(attemptStarted).toNanos();
    long pauseMillis = 200;
    for (int attempt = 1; ; attempt++) {
      try {
        jdbi.useHandle(write::accept);
        if (attempt > 1) {
          log.info("recorded send {} as {} once the database was back ({} attempts)", key, outcome, attempt);
        }
        return;
      } catch (JdbiException e) {
        if (!DatabaseOutage.is(e) || System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) >= deadline) {
          throw e;
        }
        if (attempt == 1) {
          log.warn("the database is away: send {} is recorded as {} when it is back ({})", key, outcome,
              SendFailure.of(e).reason());
        }
        try {
          Thread.sleep(pauseMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pauseMillis = Math.min(pauseMillis * 2, 2_000);
      }
    }
  }

  /**
   * How long a ledger write may wait for the database: until shortly before this attempt's
   * start-to-close (or the activity's schedule-to-close) runs out, so the attempt still ends by
   * itself; outside an activity (tests, tools) a fixed while. A local activity's info has no
   * started time: its attempt began when this method's caller did ({@code attemptStarted}).
   */
  private static Duration outcomeWait(long attemptStarted) {
    ActivityInfo info;
    try {
      info = Activity.getExecutionContext().getInfo();
    } catch (IllegalStateException notInAnActivity) {
      return OUTCOME_WAIT_OUTSIDE_ACTIVITY;
    }
    if (info.getStartToCloseTimeout().isZero()) {
      return OUTCOME_WAIT_OUTSIDE_ACTIVITY;
    }
    long started = info.isLocal() || info.getStartedTimestamp() <= 0 ? attemptStarted : info.getStartedTimestamp();
    long end = started + info.getStartToCloseTimeout().toMillis();
    if (!info.isLocal() && !info.getScheduleToCloseTimeout().isZero()) {
      end = Math.min(end, info.getScheduledTimestamp() + info.getScheduleToCloseTimeout().toMillis());
    }
    return Duration.ofMillis(Math.max(0, end - System.currentTimeMillis() - OUTCOME_MARGIN.toMillis()));
  }

  /** A send that cannot succeed by trying again: the workflow applies the program's on_send_failure. */
  private static ApplicationFailure permanent(SendRequest request, String reason, Throwable cause) {
    log.warn("send {} of lead {} failed permanently: {}", request.stepId(), request.leadId(), reason);
    return ApplicationFailure.newNonRetryableFailureWithCause(reason, SendFailure.PERMANENT_TYPE,
        cause == null ? null : new RuntimeException(cause.getClass().getSimpleName()));
  }

  /** A permanent failure found while claiming (unknown template, unrenderable message). */
  private static final class PermanentFailure extends RuntimeException {
    final String email;

    PermanentFailure(String reason, String email) {
      super(reason);
      this.email = email;
    }
  }

  private Claim claim(Handle h, SendRequest r, String key, String messageId) {
    SendStatements.ClaimRead read = SendStatements.claimRead(h, key, r.leadId());
    Optional<MessageRow> existing = read.message();
    if (existing.isPresent()) {
      MessageDao messages = h.attach(MessageDao.class);
      MessageRow m = existing.get();
      switch (m.status()) {
        case "sent":
          return new Claim.Done(new SendOutcome(SendOutcome.Status.ALREADY_SENT, m.messageId(), m.subject(), m.template(),
              m.sentAt().orElse(m.createdAt())));
        case "suppressed":
          return new Claim.Done(new SendOutcome(SendOutcome.Status.SUPPRESSED, "", m.subject(), m.template(), m.createdAt()));
        case "held_out", SUPPRESSED_BY_PREFERENCE:
          return new Claim.Done(new SendOutcome(SendOutcome.Status.HELD_OUT, "", m.subject(), m.template(), m.createdAt()));
        case "failed":
          throw ApplicationFailure.newNonRetryableFailure(messages.lastError(key).orElse("the send failed earlier"),
              SendFailure.PERMANENT_TYPE);
        case "unknown":
          return new Claim.Done(new SendOutcome(SendOutcome.Status.OUTCOME_UNKNOWN, m.messageId(), m.subject(),
              m.template(), m.createdAt()));
        case "sending":
          messages.markUnknown(key);
          h.attach(AlertDao.class).raise(r.leadId(), "send_outcome_unknown",
              "A send was interrupted after it was claimed; it may or may not have reached the lead. It was not resent.",
              detail("idempotency_key", key, "step", r.stepId(), "message_id", m.messageId()),
              "send_outcome_unknown/" + key);
          log.warn("send {} was interrupted mid-flight earlier; not resending (alert raised)", key);
          return new Claim.Done(new SendOutcome(SendOutcome.Status.OUTCOME_UNKNOWN, m.messageId(), m.subject(),
              m.template(), m.createdAt()));
        default:
          break; // retrying: claim again below
      }
    }
    SendStatements.Recipient recipient = read.recipient().orElseThrow(() ->
        ApplicationFailure.newNonRetryableFailure("lead " + r.leadId() + " does not exist", "LeadNotFound"));
    LeadRecord lead = recipient.lead();
    EmailTemplate template = templates.forLead(r.template(), lead.attributes()).orElseThrow(() ->
        new PermanentFailure("template " + r.template() + " does not exist", lead.email()));
    Instant now = clock.instant();
    if (recipient.suppressed()) {
      if (existing.isEmpty()) {
        claimAs(h, r, key, lead.email(), template.id(), "", "suppressed", messageId);
      }
      log.info("not sending {} to lead {}: the address is suppressed", key, r.leadId());
      return new Claim.Done(new SendOutcome(SendOutcome.Status.SUPPRESSED, "", "", template.id(), now));
    }
    Optional<String> held = heldByPreference(h, recipient.preference(), lead.id(), now);
    if (held.isPresent()) {
      if (existing.isEmpty()) {
        claimAs(h, r, key, lead.email(), template.id(), "", SUPPRESSED_BY_PREFERENCE, messageId);
      }
      log.info("not sending {} to lead {}: {}", key, r.leadId(), held.get());
      // The journey sees a step recorded but not sent (as for a hold-out) and goes on; the ledger says why.
      return new Claim.Done(new SendOutcome(SendOutcome.Status.HELD_OUT, "", "", template.id(), now));
    }
    String token = tokens.issue(lead.id(), lead.email());
    EmailTemplate chosen = r.subject().isEmpty() ? template
        : new EmailTemplate(template.id(), r.subject(), template.text(), template.html());
    MessageLinks links = new MessageLinks(new MessageLinks.Message(key, messageId, r.leadId(), r.programId(),
        r.programVersion(), r.stepId(), template.id(), r.variant()), settings.publicUrl().toString(),
        settings.resourceUrl());
    RenderedEmail email;
    try {
      // Links are tracked only in mail that goes out: a held-out send records its subject, no tokens.
      email = renderer.render(chosen, personalisation(lead), settings.unsubscribeUrl(token),
          r.heldOut() ? LinkTracker.NONE : links);
    } catch (RuntimeException e) {
      throw new PermanentFailure("template " + template.id() + " cannot be rendered: "
          + SendFailure.of(e).reason(), lead.email());
    }
    if (r.heldOut()) {
      if (existing.isEmpty()) {
        claimAs(h, r, key, lead.email(), template.id(), email.subject(), "held_out", messageId);
      }
      log.info("held out {} for lead {} (control group): recorded, not sent", key, r.leadId());
      return new Claim.Done(new SendOutcome(SendOutcome.Status.HELD_OUT, "", email.subject(), template.id(), now));
    }
    // The links and the Reply-To token are recorded with the claim, so the ledger holds exactly what went
    // out; a retry reads back the ones its first attempt recorded.
    Optional<String> replyToken;
    int claimed;
    if (existing.isEmpty()) {
      replyToken = settings.replyDomain().map(domain -> ReplyAddresses.newToken());
      SendStatements.FirstClaim first = SendStatements.claimSending(h, key, r.leadId(), lead.email(), r.programId(),
          r.programVersion(), r.stepId(), template.id(), r.variant(), email.subject(), messageId, replyToken,
          links.offered());
      email = links.swap(email, first.links());
      claimed = first.claimed();
    } else {
      email = links.record(email, (m, offered) -> SendStatements.issueLinks(h, m.idempotencyKey(), m.messageId(),
          m.leadId(), m.programId(), m.programVersion(), m.stepId(), m.template(), m.variant(), offered));
      claimed = h.attach(MessageDao.class).reclaimRetrying(key, lead.email(), email.subject());
      replyToken = settings.replyDomain().isEmpty() ? Optional.empty()
          : SendStatements.replyToken(h, key, ReplyAddresses.newToken());
    }
    if (claimed == 0) {
      throw ApplicationFailure.newFailure("send " + key + " was claimed concurrently; retrying to read its outcome",
          "ConcurrentClaim");
    }
    return new Claim.Send(lead, email, token, template.id(), replyToken.flatMap(settings::replyTo));
  }

  private static int claimAs(Handle h, SendRequest r, String key, String email, String template, String subject,
      String status, String messageId) {
    return SendStatements.claim(h, key, r.leadId(), email, r.programId(), r.programVersion(), r.stepId(), template,
        r.variant(), subject, status, messageId);
  }

  /**
   * The lead's own choice on the unsubscribe page, read on every send so it holds from the moment
   * it is recorded: paused (nothing until the pause ends) or fewer emails (at most one per
   * {@link #FEWER_EMAILS_PERIOD}). @return why this send is held back, or empty to send
   */
  private static Optional<String> heldByPreference(Handle h, Optional<LeadPreference> preference, String leadId,
      Instant now) {
    if (preference.isEmpty()) {
      return Optional.empty();
    }
    LeadPreference p = preference.get();
    if (LeadPreference.PAUSED.equals(p.mode()) && p.pausedUntil() != null && now.isBefore(p.pausedUntil())) {
      return Optional.of("the lead paused email until " + p.pausedUntil());
    }
    if (LeadPreference.FEWER.equals(p.mode()) && h.attach(PreferenceDao.class).sentSince(leadId, now.minus(FEWER_EMAILS_PERIOD))) {
      return Optional.of("the lead asked for fewer emails and was mailed within the last 30 days");
    }
    return Optional.empty();
  }

  private void deliver(Claim.Send send, String messageId) {
    String name = (send.lead().attribute("first_name") + " " + send.lead().attribute("last_name")).trim();
    var builder = EmailBuilder.startingBlank()
        .from(settings.fromName(), settings.fromAddress());
    send.replyTo().ifPresent(address -> builder.withReplyTo(settings.fromName(), address));
    Email email = builder
        // An internationalised domain goes out in its ASCII form: SMTP without SMTPUTF8 needs it.
        .to(name.isEmpty() ? null : name, MailAddresses.toAscii(send.lead().email()))
        .withSubject(send.email().subject())
        .withPlainText(send.email().text())
        .withHTMLText(send.email().html())
        .withHeader("List-Unsubscribe", "<" + settings.unsubscribeUrl(send.token()) + ">, <mailto:"
            + settings.unsubscribeMailto() + "?subject=unsubscribe%20" + send.token() + ">")
        .withHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
        .fixingMessageId(messageId)
        .buildEmail();
    sendAndWait(mailer, email);
  }

  /** Hands the email to the SMTP server and waits (60 s at most) for it to accept or refuse it. */
  public static void sendAndWait(Mailer mailer, Email email) {
    try {
      mailer.sendMail(email).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the SMTP server did not answer within 60s", e);
    }
  }

  /** The lead as templates see it: attributes plus the id and address. */
  static Map<String, Object> personalisation(LeadRecord lead) {
    Map<String, Object> scope = new LinkedHashMap<>(lead.attributes());
    scope.put("lead_id", lead.id());
    scope.put("email", lead.email());
    return scope;
  }

  /** Stable for a key, so a resend (if one ever happened) is recognisable as the same message. */
  String messageId(String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return "<" + HexFormat.of().formatHex(digest, 0, 20) + "@" + settings.domain() + ">";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> detail(String... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
