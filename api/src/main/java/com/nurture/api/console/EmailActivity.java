package com.nurture.api.console;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What happened to each email a lead was sent, as the program statistics count it
 * (docs/analytics.md, "Attribution"): an event naming the email's Message-ID counts against that
 * email; a reply (and any event naming none) against the latest email sent in the 30 days before
 * it. Opens and clicks by people are the {@code email_opened} (not machine) and {@code email_clicked}
 * events; machine opens and bot clicks are the tracked hits that were not a person's.
 */
public final class EmailActivity {
  /** An event or reply is credited to the latest email sent within this before it. */
  static final Duration WINDOW = Duration.ofDays(30);

  /** One send-ledger row of the lead. */
  public record Sent(long id, String idempotencyKey, String messageId, String step, String variant, String subject,
      String status, Instant createdAt, Optional<Instant> sentAt) {
    Instant at() {
      return sentAt.orElse(createdAt);
    }
  }

  /** One of the lead's email events: its type, when, the Message-ID it names ("" for none), a machine's. */
  public record Event(String type, Instant at, String messageId, boolean machine) {}

  /** One tracked hit (open pixel or link) of an email: the idempotency key of its send, a person's or not. */
  public record Hit(String idempotencyKey, String kind, boolean human) {}

  /** An email and what became of it; {@code delivery} is sent, delivered, bounced, or the ledger's status. */
  public record Row(Sent email, String delivery, int humanOpens, int machineOpens, int humanClicks, int botClicks,
      int replies, boolean unsubscribed, boolean complained) {}

  private EmailActivity() {}

  public static List<Row> of(List<Sent> emails, List<Event> events, List<Hit> hits) {
    List<Row> rows = new ArrayList<>();
    List<Sent> sent = emails.stream().filter(e -> e.status().equals("sent")).sorted(Comparator.comparing(Sent::at)).toList();
    for (Sent e : emails) {
      int humanOpens = 0;
      int humanClicks = 0;
      int replies = 0;
      boolean bounced = false;
      boolean unsubscribed = false;
      boolean complained = false;
      for (Event ev : events) {
        if (!creditedTo(ev, sent).map(s -> s.id() == e.id()).orElse(false)) {
          continue;
        }
        switch (ev.type()) {
          case "email_opened" -> humanOpens += ev.machine() ? 0 : 1;
          case "email_clicked" -> humanClicks++;
          case "replied" -> replies++;
          case "bounced" -> bounced = true;
          case "unsubscribed" -> unsubscribed = true;
          case "complained" -> complained = true;
          default -> { }
        }
      }
      int machineOpens = (int) hits.stream().filter(h -> h.idempotencyKey().equals(e.idempotencyKey()) && !h.human()
          && h.kind().equals("open")).count();
      int botClicks = (int) hits.stream().filter(h -> h.idempotencyKey().equals(e.idempotencyKey()) && !h.human()
          && h.kind().equals("click")).count();
      String delivery = !e.status().equals("sent") ? e.status() : bounced ? "bounced" : "delivered";
      rows.add(new Row(e, delivery, humanOpens, machineOpens, humanClicks, botClicks, replies, unsubscribed, complained));
    }
    return rows;
  }

  /** The email an event counts against: the one its Message-ID names, else the latest sent in the 30 days before it. */
  static Optional<Sent> creditedTo(Event ev, List<Sent> sentInOrder) {
    String mid = bare(ev.messageId());
    if (!mid.isEmpty() && !ev.type().equals("replied")) {
      return sentInOrder.stream().filter(s -> bare(s.messageId()).equals(mid)).findFirst();
    }
    Sent latest = null;
    for (Sent s : sentInOrder) {
      if (!s.at().isAfter(ev.at()) && s.at().isAfter(ev.at().minus(WINDOW))) {
        latest = s;
      }
    }
    return Optional.ofNullable(latest);
  }

  private static String bare(String messageId) {
    String m = messageId == null ? "" : messageId.trim();
    if (m.startsWith("<")) {
      m = m.substring(1);
    }
    if (m.endsWith(">")) {
      m = m.substring(0, m.length() - 1);
    }
    return m;
  }
}
