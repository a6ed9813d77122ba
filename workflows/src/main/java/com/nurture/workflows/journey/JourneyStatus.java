package com.nurture.workflows.journey;

/** Where a lead's journey stands (DESIGN section 2). */
public enum JourneyStatus {
  ACTIVE,
  PAUSED,
  WAITING_FOR_HUMAN,
  HANDED_OFF,
  GRADUATED,
  RECYCLED,
  DISQUALIFIED,
  UNSUBSCRIBED,
  COMPLETED;

  /** A terminal journey sends nothing more and its workflow has ended (or is ending). */
  public boolean isTerminal() {
    return switch (this) {
      case GRADUATED, RECYCLED, DISQUALIFIED, UNSUBSCRIBED, COMPLETED -> true;
      default -> false;
    };
  }
}
