package com.nurture.workflows.activities;

import java.time.Instant;

/** What became of a {@link SendRequest}; {@code template} is the one used (a segment variant, perhaps). */
public record SendOutcome(Status status, String messageId, String subject, String template, Instant at) {
  public enum Status {
    /** Handed to the SMTP server now. */
    SENT,
    /** Sent by an earlier attempt; nothing was sent again. */
    ALREADY_SENT,
    /** The address is on the suppression list; nothing was sent. */
    SUPPRESSED,
    /**
     * An earlier attempt died between claiming and confirming the send: it may or may not have gone
     * out. Not resent (a duplicate is worse than a gap); an operator alert was raised.
     */
    OUTCOME_UNKNOWN,
    /** The lead is in the program's control group: recorded as held out, nothing sent. */
    HELD_OUT
  }
}
