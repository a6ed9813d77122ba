package com.nurture.api.console;

import jakarta.ws.rs.core.Response;

/** The role checks of console pages and actions: the same roles the API asks for (docs/api.md). */
public final class ConsoleAccess {
  private ConsoleAccess() {}

  public static ConsoleSession requireOperator(ConsoleContext context) {
    ConsoleSession s = context.signedIn();
    if (!s.isOperator()) {
      throw forbidden(context);
    }
    return s;
  }

  /** Sales or operator (the sales queue, alerts). */
  public static ConsoleSession requireSalesOrOperator(ConsoleContext context) {
    ConsoleSession s = context.signedIn();
    if (!s.seesSalesQueue()) {
      throw forbidden(context);
    }
    return s;
  }

  public static ConsoleSession requireSales(ConsoleContext context) {
    ConsoleSession s = context.signedIn();
    if (!s.isSales()) {
      throw forbidden(context);
    }
    return s;
  }

  private static ConsoleRefusal forbidden(ConsoleContext context) {
    return new ConsoleRefusal(Response.Status.FORBIDDEN, context.text().get("error.role"));
  }
}
