package com.nurture.api.console;

import com.nurture.api.analytics.Funnel;
import com.nurture.api.resources.AlertResource;
import java.util.List;

/** The overview: the funnel with conversion rates, sends per day, bounce and complaint rates, open alerts. */
public final class OverviewPage extends ConsolePage {
  /** Days of sends, bounces and complaints the overview shows. */
  public static final int DAYS = 30;
  private final Funnel funnel;
  private final List<ConsoleQueries.DailySends> sends;
  private final DeliveryHealth health;
  private final List<AlertResource.Alert> alerts;

  OverviewPage(ConsoleContext context, Funnel funnel, List<ConsoleQueries.DailySends> sends, DeliveryHealth health,
      List<AlertResource.Alert> alerts) {
    super("overview.ftlh", context, "overview.title", "overview");
    this.funnel = funnel;
    this.sends = sends;
    this.health = health;
    this.alerts = alerts;
  }

  public Funnel getFunnel() {
    return funnel;
  }

  public DeliveryHealth getHealth() {
    return health;
  }

  public List<AlertResource.Alert> getAlerts() {
    return alerts;
  }

  public int getDays() {
    return DAYS;
  }

  public long getSentTotal() {
    return sends.stream().mapToLong(ConsoleQueries.DailySends::sent).sum();
  }

  public String getSendsChart() {
    return new ChartSpec(sends.stream().map(d -> d.day().atStartOfDay(java.time.ZoneOffset.UTC).toInstant()).toList(),
        List.of(new ChartSpec.Series(t("overview.sends.series"), sends.stream().map(ConsoleQueries.DailySends::sent).toList())),
        true).json();
  }

  public String getComplaintLimit() {
    return pct(DeliveryHealth.COMPLAINT_LIMIT);
  }

  public String getComplaintTarget() {
    return pct(DeliveryHealth.COMPLAINT_TARGET);
  }

  public String getBounceLimit() {
    return pct(DeliveryHealth.BOUNCE_LIMIT);
  }
}
