package com.nurture.workflows.journey;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import com.nurture.workflows.activities.HandOff;
import com.nurture.workflows.condition.SeenEvent;
import com.nurture.workflows.scoring.ScoredEvent;
import com.nurture.workflows.scoring.ScoringModel;

/**
 * The journey's mutable state: the workflow owns one, and carries it across continue-as-new. Pure
 * data plus the few transitions that are worth testing without Temporal (holding and releasing a
 * wait, recording touches).
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY,
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public final class JourneyState {
  static final int TOUCHES_KEPT = 10;
  static final int EVENTS_KEPT = 500;
  /** Event ids the core remembers for deduplication (the most recent; older repeats are the API's to refuse). */
  static final int SEEN_IDS_KEPT = 500;
  /** Events the core keeps whole, for conditions and wait_for (the most recent). */
  static final int CORE_EVENTS_KEPT = 150;
  /** Scored events the core keeps one by one; older ones are summed per week (see {@link #keepScoredBounded}). */
  static final int CORE_SCORED_KEPT = 150;
  /** Weekly sums kept for older engagement (about two years; older points have decayed to nothing). */
  static final int ROLLUPS_KEPT = 104;
  static final String ROLLUP = "rollup/";

  /** The engine a run executes: the journey core. Inputs recorded before it existed read 0 (legacy). */
  static final int CORE_ENGINE = 2;
  int engine;

  JourneyStatus status = JourneyStatus.ACTIVE;
  /** Index into the program's steps of the step being (or about to be) interpreted. */
  int stepIndex;
  /** How many times each step has started; part of the send idempotency key. */
  Map<String, Integer> occurrences = new HashMap<>();
  /** When the current wait step ends; null when not waiting. */
  Instant waitUntil;
  /** What was left of a wait when the journey was held (paused or waiting for a human). */
  Duration heldRemaining;
  /** Ids of events (and offers) seen, oldest first: a repeat is ignored. A LinkedHashSet, so the order survives JSON. */
  LinkedHashSet<String> seenEventIds = new LinkedHashSet<>();
  /** Stable id of this journey across runs of its workflow: the first run's id. */
  String journeyKey;
  Instant enrolledAt;
  String exitReason;
  List<Touch> touches = new ArrayList<>();
  int emailsSent;
  long transitionSeq;
  /** The lead's attributes as of enrolment, updated by attribute_changed events. */
  Map<String, Object> attributes = new HashMap<>();
  /** The most recent events (at most {@link #EVENTS_KEPT}), for conditions and wait_for. */
  List<SeenEvent> seen = new ArrayList<>();
  /** How many events the journey has seen in all: the next event's seq. */
  long seenCount;
  /** The first event seq a running wait_for step counts. */
  long waitForFrom;
  /**
   * Continue as new once the history has this many events (0: only when Temporal suggests it).
   * Small in tests, so a test crosses a run boundary.
   */
  int historyLimit = JourneySettings.DEFAULTS.historyLimit();
  /** Events and offers received but not yet processed when the run continued as new. */
  List<LeadEvent> pendingEvents = new ArrayList<>();
  List<TrackOffer> pendingOffers = new ArrayList<>();
  /** The scoring model the journey scores with; null when the journey does not score. */
  ScoringModel scoring;
  /** Fit points from the lead's attributes (recomputed when they change). */
  int fitPoints;
  /** Engagement points earned, per event (the most recent {@link #EVENTS_KEPT}). */
  List<ScoredEvent> scored = new ArrayList<>();
  /** How long sales has to follow up a hand-off before the first escalation (the second at twice). */
  Duration handOffSla = JourneySettings.DEFAULTS.handOffSla();
  /** The open hand-off, when the journey runs the sales loop for it (null otherwise). */
  HandOff handOff;
  /** Escalations raised for the open hand-off (0, 1 or 2). */
  int slaAlerts;
  /** Sales said "not now": nothing is sent until then, then the re-engagement program starts. */
  Instant notNowUntil;
  /** A journey waiting for a person after a reply resumes by itself after this long (zero: never). */
  Duration replyResumeAfter = JourneySettings.DEFAULTS.replyResumeAfter();
  /** When the journey began waiting for a person. */
  Instant heldForHumanAt;
  /** The last engagement (click, visit, download, reply, form, webinar, demo; not an open). */
  Instant lastEngagementAt;
  /** No engagement for this long recycles the journey (zero: never). */
  Duration inactivityLimit = JourneySettings.DEFAULTS.inactivity();
  /** Transient send failures are retried this long before the journey gives up on the send. */
  Duration sendRetryLimit = JourneySettings.DEFAULTS.sendRetryLimit();
  /** Programs pre-empted by higher-priority ones, the most recent last. */
  List<SuspendedTrack> suspended = new ArrayList<>();
  /** The graduation rules that held at the last evaluation: a rule fires when it starts to hold. */
  Set<String> graduationHolding = new LinkedHashSet<>();
  /** The program the fit x engagement matrix chose (null when the program was named or triggered). */
  String assignedTrack;
  /** The quadrant ("high/low") the lead was last assigned by; null when not assigned by the matrix. */
  String quadrant;
  /** The quiet period (its start: the last engagement, or enrolment) a quiet-lead alert was raised for. */
  Instant quietAlertedFor;
  /** When the lead's recent emails went out (any program), for the send policy's gap and cap. */
  List<Instant> sendTimes = new ArrayList<>();

  /**
   * Double opt-in: how long the lead has to confirm (null: its consent needs no confirmation). Set
   * at enrolment for a lead whose consent is {@code pending}; inputs recorded before double opt-in read null.
   */
  Duration confirmWithin;
  /** When an unconfirmed journey ends as UNCONFIRMED (set when the confirmation is requested). */
  Instant confirmBy;

  public static JourneyState fresh() {
    JourneyState state = new JourneyState();
    state.engine = CORE_ENGINE;
    state.historyLimit = JourneySettings.DEFAULTS.historyLimit();
    return state;
  }

  /** The journey first asks the lead to confirm its subscription, and waits this long for it. */
  public JourneyState requiringConfirmation(Duration within) {
    if (within == null || within.isNegative() || within.isZero()) {
      throw new IllegalArgumentException("the confirmation window must be longer than zero");
    }
    this.confirmWithin = within;
    return this;
  }

  /** The same state, run by the code of journeys started before the core (for recording their histories). */
  public JourneyState onLegacyEngine() {
    engine = 0;
    return this;
  }

  /** The same state, scoring the lead with {@code model} (fit, engagement, graduation to sales). */
  public JourneyState withScoring(ScoringModel model) {
    scoring = model;
    return this;
  }

  /**
   * The same state, with the configured journey settings (config.yml {@code journeys} and
   * {@code sales.sla}), all in one call. The settings are copied into the state's own fields,
   * whose JSON shape recorded histories depend on.
   */
  public JourneyState withSettings(JourneySettings settings) {
    replyResumeAfter = settings.replyResumeAfter();
    inactivityLimit = settings.inactivity();
    handOffSla = settings.handOffSla();
    sendRetryLimit = settings.sendRetryLimit();
    historyLimit = settings.historyLimit();
    return this;
  }

  /** The same state, on the track the fit x engagement matrix chose for {@code quadrant} ("high/low"). */
  public JourneyState withAssignedTrack(String programId, String quadrantKey) {
    assignedTrack = programId;
    quadrant = quadrantKey;
    return this;
  }

  /**
   * The same state, having seen the lead's earlier events (oldest first) and scored them, so the
   * score continues from what the lead did before this journey (and across re-entries). The
   * inactivity and quiet-lead clocks still start at enrolment: old engagement does not age a new journey.
   */
  public JourneyState withHistory(List<LeadEvent> earlier) {
    for (LeadEvent e : earlier) {
      if (markSeen(e.id())) {
        SeenEvent seenEvent = see(e);
        if (scoring != null) {
          scoring.earn(e.id(), seenEvent, scored);
        }
      }
    }
    while (scored.size() > EVENTS_KEPT) {
      scored.remove(0);
    }
    return this;
  }

  public JourneyStatus status() {
    return status;
  }

  /** Stops the clock of a running wait: the remaining time is kept for {@link #release}. */
  void hold(JourneyStatus heldStatus, Instant now) {
    if (waitUntil != null) {
      Duration left = Duration.between(now, waitUntil);
      heldRemaining = left.isNegative() ? Duration.ZERO : left;
      waitUntil = null;
    }
    status = heldStatus;
  }

  /** Restarts the clock of a held wait with the time that was left, not the full duration. */
  void release(Instant now) {
    if (heldRemaining != null) {
      waitUntil = now.plus(heldRemaining);
      heldRemaining = null;
    }
    status = JourneyStatus.ACTIVE;
  }

  void end(JourneyStatus terminal, String reason) {
    status = terminal;
    exitReason = reason;
    waitUntil = null;
    heldRemaining = null;
  }

  /** @return false when the event id was seen before (the event must be ignored) */
  boolean markSeen(String eventId) {
    return seenEventIds.add(eventId);
  }

  /**
   * {@link #markSeen}, remembering only the {@value #SEEN_IDS_KEPT} most recent ids, so the state
   * stays small for a lead that does a lot. The journey core uses this; runs on the legacy code
   * keep every id, as their histories did.
   */
  boolean markSeenRecent(String eventId) {
    if (!seenEventIds.add(eventId)) {
      return false;
    }
    while (seenEventIds.size() > SEEN_IDS_KEPT) {
      seenEventIds.remove(seenEventIds.iterator().next());
    }
    return true;
  }

  int nextOccurrence(String stepId) {
    return occurrences.merge(stepId, 1, Integer::sum);
  }

  SeenEvent see(LeadEvent e) {
    return see(e, EVENTS_KEPT);
  }

  /** Sees the event, keeping the {@code kept} most recent. */
  SeenEvent see(LeadEvent e, int kept) {
    SeenEvent seenEvent = e.seen(seenCount++);
    seen.add(seenEvent);
    while (seen.size() > kept) {
      seen.remove(0);
    }
    return seenEvent;
  }

  /**
   * Keeps the {@value #CORE_SCORED_KEPT} most recent scored events one by one and sums older ones
   * into one entry per week (its Monday, UTC; id {@code rollup/<date>}), so a lead's engagement
   * score keeps what it earned long ago (decayed from the week's start) while the state stays
   * small. At most {@value #ROLLUPS_KEPT} weekly sums are kept.
   */
  void keepScoredBounded() {
    long single = scored.stream().filter(x -> !x.eventId().startsWith(ROLLUP)).count();
    while (single > CORE_SCORED_KEPT) {
      ScoredEvent oldest = scored.stream().filter(x -> !x.eventId().startsWith(ROLLUP)).findFirst().orElseThrow();
      scored.remove(oldest);
      single--;
      java.time.LocalDate day = oldest.at().atZone(java.time.ZoneOffset.UTC).toLocalDate();
      Instant week = day.minusDays(day.getDayOfWeek().getValue() - 1L).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      String id = ROLLUP + week.toString().substring(0, 10);
      int at = -1;
      for (int i = 0; i < scored.size(); i++) {
        if (scored.get(i).eventId().equals(id)) {
          at = i;
        }
      }
      if (at >= 0) {
        ScoredEvent sum = scored.get(at);
        scored.set(at, new ScoredEvent(id, sum.type(), sum.at(), sum.points() + oldest.points()));
      } else {
        int insert = 0;
        while (insert < scored.size() && scored.get(insert).eventId().startsWith(ROLLUP)
            && scored.get(insert).at().isBefore(week)) {
          insert++;
        }
        scored.add(insert, new ScoredEvent(id, oldest.type(), week, oldest.points()));
      }
    }
    while (scored.stream().filter(x -> x.eventId().startsWith(ROLLUP)).count() > ROLLUPS_KEPT) {
      scored.remove(0);
    }
  }

  /** The step whose email an event is about: its step property, or the step its message id was sent by. */
  String stepOf(SeenEvent e) {
    String step = e.properties().getOrDefault("step", "");
    if (!step.isEmpty()) {
      return step;
    }
    String messageId = e.properties().getOrDefault("message_id", "");
    return messageId.isEmpty() ? "" : touches.stream().filter(t -> messageId.equals(t.messageId()))
        .map(Touch::stepId).findFirst().orElse("");
  }

  void recordSend(Instant at) {
    sendTimes.add(at);
    if (sendTimes.size() > 50) {
      sendTimes.remove(0);
    }
  }

  /** The lead's own time zone, when its attributes name a valid one. */
  java.util.Optional<java.time.ZoneId> leadZone() {
    Object tz = attributes.get("timezone");
    try {
      return tz == null || String.valueOf(tz).isBlank() ? java.util.Optional.empty()
          : java.util.Optional.of(java.time.ZoneId.of(String.valueOf(tz)));
    } catch (java.time.DateTimeException e) {
      return java.util.Optional.empty();
    }
  }

  void addTouch(Touch touch) {
    touches.add(touch);
    if (touches.size() > TOUCHES_KEPT) {
      touches.remove(0);
    }
  }
}
