package com.nurture.api.console;

/**
 * Bounce and complaint rates of a period against the bulk-sender thresholds (docs/deliverability.md):
 * complaints under 0.3% of delivered email (Gmail's and Yahoo's rule since 2024; aim under 0.1%),
 * bounces under 2% of sent email (the usual ESP guidance). Delivered = sent - bounced
 * (docs/analytics.md). Rates are null when nothing was sent (delivered).
 */
public record DeliveryHealth(long sent, long bounced, long complaints, Double bounceRate, Double complaintRate,
    boolean bounceOver, boolean complaintOver, boolean complaintAboveTarget) {
  /** Complaints per delivered email above this break the bulk-sender rules. */
  public static final double COMPLAINT_LIMIT = 0.003;
  /** Complaints per delivered email to aim under. */
  public static final double COMPLAINT_TARGET = 0.001;
  /** Bounces per sent email above this hurt the sender's reputation. */
  public static final double BOUNCE_LIMIT = 0.02;

  public static DeliveryHealth of(long sent, long bounced, long complaints) {
    long delivered = Math.max(0, sent - bounced);
    Double bounceRate = sent == 0 ? null : (double) bounced / sent;
    Double complaintRate = delivered == 0 ? null : (double) complaints / delivered;
    return new DeliveryHealth(sent, bounced, complaints, bounceRate, complaintRate,
        bounceRate != null && bounceRate > BOUNCE_LIMIT, complaintRate != null && complaintRate > COMPLAINT_LIMIT,
        complaintRate != null && complaintRate > COMPLAINT_TARGET);
  }
}
