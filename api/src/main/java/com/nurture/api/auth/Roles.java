package com.nurture.api.auth;

/** API roles: who may call what (DESIGN section 8). */
public final class Roles {
  /** Marketing-automation systems: leads, enrolment, behaviour events. */
  public static final String MA = "ma";
  /** Sales: events (and, later, feedback on hand-offs). */
  public static final String SALES = "sales";
  /** People running Nurture: journeys, timelines, histories, commands. */
  public static final String OPERATOR = "operator";

  private Roles() {}
}
