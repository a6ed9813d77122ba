package com.nurture.api.core;

import com.nurture.activities.db.TimelineDao;
import com.nurture.activities.inbound.InboundMail;
import com.nurture.activities.inbound.ReplyClassifier;
import com.nurture.activities.inbound.ReplyMatcher;
import com.nurture.api.representations.EventAccepted;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.journey.LeadEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An email that arrived for Nurture, whatever brought it (an inbound webhook, the dev mail server):
 * matched to its lead, classified, and handed to the same intake as API events. A person's reply
 * becomes a {@code replied} event (the journey waits for a human; the alert carries the text); an
 * auto-reply is put on the timeline only; a delivery report becomes a {@code bounced} event.
 */
public final class InboundReplies {
  private static final Logger log = LoggerFactory.getLogger(InboundReplies.class);

  /** What became of an inbound email, and how it was matched ("in-reply-to", "reply-to", "sender"). */
  public record Outcome(String outcome, Optional<String> leadId, Optional<String> matchedBy,
      Optional<EventAccepted> event) {}

  private final Jdbi jdbi;
  private final ReplyMatcher matcher;
  private final EventIntake intake;

  public InboundReplies(Jdbi jdbi, EventIntake intake) {
    this.jdbi = jdbi;
    this.matcher = new ReplyMatcher(jdbi);
    this.intake = intake;
  }

  public Outcome receive(InboundMail mail, Instant now) {
    ReplyClassifier.Kind kind = ReplyClassifier.classify(mail);
    String key = key(mail);
    Optional<ReplyMatcher.Match> match = matcher.match(mail);
    if (match.isEmpty()) {
      log.info("inbound email {} ({}) matches no lead; ignored", key, kind.getClass().getSimpleName());
      return new Outcome("unmatched", Optional.empty(), Optional.empty(), Optional.empty());
    }
    var lead = match.get().lead();
    if (kind instanceof ReplyClassifier.Kind.AutoReply auto) {
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("reason", auto.reason());
      detail.put("message_id", mail.messageId());
      detail.put("matched_by", match.get().by());
      jdbi.onDemand(TimelineDao.class).append(lead.id(), now, "auto_reply", detail, "auto_reply/" + lead.id() + "/" + key);
      log.info("auto-reply {} from lead {} recorded ({})", key, lead.id(), auto.reason());
      return new Outcome("auto_reply", Optional.of(lead.id()), Optional.of(match.get().by()), Optional.empty());
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    LeadEvent event;
    if (kind instanceof ReplyClassifier.Kind.Bounce bounce) {
      properties.put("hard", bounce.hard());
      properties.put("status", bounce.status());
      properties.put("diagnostic", bounce.diagnostic());
      properties.put("source", "delivery report");
      event = new LeadEvent("dsn/" + key, EventType.BOUNCED, now, properties);
    } else {
      properties.put("channel", "email");
      properties.put("matched_by", match.get().by());
      properties.put("message_id", mail.messageId());
      properties.put("text", ((ReplyClassifier.Kind.Reply) kind).text());
      event = new LeadEvent("reply/" + key, EventType.REPLIED, now, properties);
    }
    EventAccepted accepted = intake.accept(lead, event);
    log.info("inbound email {} from lead {}: {} ({})", key, lead.id(), event.type().wireName(),
        accepted.duplicate() ? "a repeat" : "new");
    return new Outcome(event.type() == EventType.BOUNCED ? "bounce" : "reply", Optional.of(lead.id()),
        Optional.of(match.get().by()), Optional.of(accepted));
  }

  /** Stable for the email: its Message-ID, else what it says (a redelivery is the same event). */
  static String key(InboundMail mail) {
    String basis = mail.messageId().isEmpty() ? mail.from() + "\n" + mail.subject() + "\n" + mail.text() : mail.messageId();
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
