package com.nurture.workflows.journey;

/** Where a lead's journey stands (DESIGN section 2). */
public enum JourneyStatus {
  ACTIVE,
  /** Double opt-in: the confirmation email is out; nothing else is sent until the lead follows its link. */
  AWAITING_CONFIRMATION,
  PAUSED,
  WAITING_FOR_HUMAN,
  HANDED_OFF,
  GRADUATED,
  RECYCLED,
  DISQUALIFIED,
  UNSUBSCRIBED,
  COMPLETED,
  /** Double opt-in: the lead did not confirm in time; nothing was sent but the confirmation email. */
  UNCONFIRMED;

  /** A terminal journey sends nothing more and its workflow has ended (or is ending). */
  public boolean isTerminal() {
    return switch (this) {
      case GRADUATED, RECYCLED, DISQUALIFIED, UNSUBSCRIBED, COMPLETED, UNCONFIRMED -> true;
      default -> false;
    };
  }
}
