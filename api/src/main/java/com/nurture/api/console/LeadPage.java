package com.nurture.api.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.nurture.api.representations.JourneyResponse;
import com.nurture.api.representations.LeadResponse;
import com.nurture.api.representations.ScorePoint;
import com.nurture.api.representations.TimelinePage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One lead: attributes, journey status and step, score over time, the emails with their delivery,
 * opens, clicks and replies, the timeline, the hand-off, the decoded workflow history, the actions
 * an operator may take, and the link to the workflow in the Temporal Web UI.
 */
public final class LeadPage extends ConsolePage {
  /** A workflow history event as the page lists it (the whole event, decoded, in {@code json}). */
  public record HistoryEvent(long id, String time, String type, String step, String what, String json) {}

  private final LeadResponse lead;
  private final Optional<JourneyResponse> journey;
  private final List<ScorePoint> scores;
  private final List<EmailActivity.Row> emails;
  private final List<TimelinePage.Item> timeline;
  private final List<HistoryEvent> history;
  private final String historyError;
  private final Optional<TemporalUi> temporalUi;

  LeadPage(ConsoleContext context, LeadResponse lead, Optional<JourneyResponse> journey, List<ScorePoint> scores,
      List<EmailActivity.Row> emails, List<TimelinePage.Item> timeline, List<HistoryEvent> history, String historyError,
      Optional<TemporalUi> temporalUi) {
    super("lead.ftlh", context, "lead.title", "leads");
    this.lead = lead;
    this.journey = journey;
    this.scores = scores;
    this.emails = emails;
    this.timeline = timeline;
    this.history = history;
    this.historyError = historyError;
    this.temporalUi = temporalUi;
  }

  @Override
  public String getTitle() {
    return t("lead.title", lead.id());
  }

  public LeadResponse getLead() {
    return lead;
  }

  /** The lead's attributes, sorted by name, each as text. */
  public Map<String, String> getAttributes() {
    Map<String, String> a = new TreeMap<>();
    lead.attributes().forEach((k, v) -> a.put(k, v == null ? "" : String.valueOf(v)));
    return a;
  }

  public JourneyResponse getJourney() {
    return journey.orElse(null);
  }

  /** May the journey be paused, resumed, exited (as the workflow would allow; it checks again). */
  public boolean isPausable() {
    return journey.map(j -> j.status().equals("ACTIVE")).orElse(false);
  }

  public boolean isResumable() {
    return journey.map(j -> j.status().equals("PAUSED") || j.status().equals("WAITING_FOR_HUMAN")).orElse(false);
  }

  public boolean isRunning() {
    return journey.map(j -> j.exitReason() == null).orElse(false);
  }

  public String getScoreChart() {
    return new ChartSpec(scores.stream().map(ScorePoint::at).toList(),
        List.of(new ChartSpec.Series(t("lead.score.total"), scores.stream().map(ScorePoint::total).toList())), false).json();
  }

  public List<ScorePoint> getScores() {
    return scores;
  }

  public List<EmailActivity.Row> getEmails() {
    return emails;
  }

  public List<TimelinePage.Item> getTimeline() {
    return timeline;
  }

  /** A timeline entry's detail as "name: value" pairs. */
  public String detail(Map<String, Object> detail) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(detail).forEach((k, v) -> parts.add(k + ": " + v));
    return String.join(" · ", parts);
  }

  public List<HistoryEvent> getHistory() {
    return history;
  }

  public String getHistoryError() {
    return historyError;
  }

  /** The workflow in the Temporal Web UI, or "" when no UI is configured. */
  public String getTemporalLink() {
    return journey.flatMap(j -> temporalUi.map(ui -> TemporalUi.workflowLink(ui, j.workflowId()))).orElse("");
  }

  /** Decoded history events as the page lists them. */
  static List<HistoryEvent> historyEvents(JsonNode events) {
    List<HistoryEvent> list = new ArrayList<>();
    if (events == null) {
      return list;
    }
    for (JsonNode e : events) {
      JsonNode n = e.path("nurture");
      list.add(new HistoryEvent(e.path("eventId").asLong(), e.path("eventTime").asText(""),
          e.path("eventType").asText(""), n.path("step").asText(""), n.path("what").asText(""), e.toPrettyString()));
    }
    return list;
  }
}
