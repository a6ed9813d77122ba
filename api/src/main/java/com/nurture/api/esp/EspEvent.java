package com.nurture.api.esp;

import java.time.Instant;

/**
 * One provider's delivery event, normalised: what happened to which of our emails.
 *
 * @param provider the provider's name as in the path (standard, mailgun, ...)
 * @param id the provider's stable id for the event (a redelivery carries the same one)
 * @param kind what happened
 * @param messageId our Message-ID, in angle brackets ("" when the provider did not give it)
 * @param email the recipient's address ("" when not given); used only when the Message-ID matches nothing
 * @param hard for a bounce: permanent (hard) rather than temporary (soft)
 * @param diagnostic the provider's reason or SMTP response, "" when none
 * @param url for a click: the link, "" otherwise
 */
public record EspEvent(String provider, String id, Kind kind, String messageId, String email, boolean hard,
    String diagnostic, Instant occurredAt, String url) {

  public enum Kind { DELIVERED, DEFERRED, BOUNCED, COMPLAINED, OPENED, CLICKED }

  public EspEvent {
    messageId = normaliseMessageId(messageId);
    email = email == null ? "" : email.trim();
    diagnostic = diagnostic == null ? "" : diagnostic;
    url = url == null ? "" : url;
  }

  /** {@code <id@host>} whether or not the provider kept the angle brackets; "" for none. */
  public static String normaliseMessageId(String id) {
    if (id == null || id.isBlank()) {
      return "";
    }
    String t = id.trim();
    if (!t.startsWith("<")) {
      t = "<" + t;
    }
    if (!t.endsWith(">")) {
      t = t + ">";
    }
    return t;
  }
}
