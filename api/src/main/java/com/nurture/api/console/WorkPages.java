package com.nurture.api.console;

import com.nurture.api.representations.HandOffItem;
import com.nurture.api.representations.SuppressionResponse;
import com.nurture.api.resources.AlertResource;
import java.util.List;

/** The pages where people work a list: the sales queue, alerts, suppressions. */
public final class WorkPages {
  private WorkPages() {}

  /** Open hand-offs by SLA due, with accept / reject / not-now for sales. */
  public static final class SalesQueuePage extends ConsolePage {
    private final List<HandOffItem> handoffs;
    private final String nextPage;
    private final String notNowDefault;

    SalesQueuePage(ConsoleContext context, List<HandOffItem> handoffs, String nextPage, String notNowDefault) {
      super("sales.ftlh", context, "sales.title", "sales");
      this.handoffs = handoffs;
      this.nextPage = nextPage;
      this.notNowDefault = notNowDefault;
    }

    public List<HandOffItem> getHandoffs() {
      return handoffs;
    }

    public String getNextPage() {
      return nextPage;
    }

    /** The not-now date offered (the form's default: 30 days on). */
    public String getNotNowDefault() {
      return notNowDefault;
    }

    /** Time left until the SLA is due, as hours and minutes ("-3h 05m" when overdue). */
    public String left(long seconds) {
      long abs = Math.abs(seconds);
      return (seconds < 0 ? "-" : "") + (abs / 3600) + "h " + String.format("%02d", (abs % 3600) / 60) + "m";
    }
  }

  /** Alerts, open by default, with acknowledge where the role may. */
  public static final class AlertsPage extends ConsolePage {
    private final List<AlertResource.Alert> alerts;
    private final String status;
    private final String nextPage;

    AlertsPage(ConsoleContext context, List<AlertResource.Alert> alerts, String status, String nextPage) {
      super("alerts.ftlh", context, "alerts.title", "alerts");
      this.alerts = alerts;
      this.status = status;
      this.nextPage = nextPage;
    }

    public List<AlertResource.Alert> getAlerts() {
      return alerts;
    }

    public String getStatus() {
      return status;
    }

    public String getNextPage() {
      return nextPage;
    }

    /** An operator may acknowledge any alert; sales only those about a lead sales works. */
    public boolean mayAck(AlertResource.Alert alert) {
      return alert.ackedAt() == null && (isOperator() || (isSales() && AlertResource.SALES_KINDS.contains(alert.kind())));
    }
  }

  /** The suppression list, with add and remove. */
  public static final class SuppressionsPage extends ConsolePage {
    private final List<SuppressionResponse> suppressions;
    private final String nextPage;

    SuppressionsPage(ConsoleContext context, List<SuppressionResponse> suppressions, String nextPage) {
      super("suppressions.ftlh", context, "suppressions.title", "suppressions");
      this.suppressions = suppressions;
      this.nextPage = nextPage;
    }

    public List<SuppressionResponse> getSuppressions() {
      return suppressions;
    }

    public String getNextPage() {
      return nextPage;
    }
  }
}
