package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.scoring.ScoringModel;
import com.nurture.workflows.scoring.ScoringModelParser;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The journey core's rules, one concern at a time, without Temporal: each test runs in milliseconds. */
class JourneyCoreTest {
  private static final String DRIP = """
      id: drip
      send_policy: none
      steps:
        - { id: hello, send: hello }
        - { id: pause, wait: 3d }
        - { id: next, send: next }
      """;

  @Test
  void stepInterpreterSendsWaitsAndEnds() {
    CoreDriver d = new CoreDriver(DRIP).begin();
    assertThat(d.block).isInstanceOfSatisfying(Effect.Send.class,
        s -> assertThat(s.request().stepId()).isEqualTo("hello"));
    d.sent();
    assertThat(d.block).isEqualTo(new Effect.Sleep(Optional.of(d.now.plus(Duration.ofDays(3)))));
    d.at(Duration.ofDays(1));
    assertThat(d.block).as("an early look changes nothing").isEqualTo(new Effect.Sleep(Optional.of(d.now.plus(Duration.ofDays(2)))));
    d.wake();
    assertThat(d.block).isInstanceOf(Effect.Send.class);
    d.sent();
    assertThat(d.block).isInstanceOfSatisfying(Effect.End.class,
        e -> assertThat(e.result()).isEqualTo(new JourneyResult(JourneyStatus.COMPLETED, "program complete", 2)));
    assertThat(d.kinds()).containsExactly("enrolled", "email_sent", "waiting", "email_sent", "completed");
  }

  @Test
  void eventReactionsEndOnUnsubscribeAndHoldOnReply() {
    CoreDriver unsubscribed = new CoreDriver(DRIP).begin().sent();
    unsubscribed.event(EventType.UNSUBSCRIBED, Map.of());
    assertThat(unsubscribed.status()).isEqualTo(JourneyStatus.UNSUBSCRIBED);
    assertThat(unsubscribed.effects(Effect.Suppress.class)).singleElement()
        .satisfies(s -> assertThat(s.reason()).startsWith("unsubscribed"));
    assertThat(unsubscribed.block).isInstanceOf(Effect.End.class);

    CoreDriver replied = new CoreDriver(DRIP).begin().sent();
    replied.event(EventType.REPLIED, Map.of("channel", "linkedin"));
    assertThat(replied.status()).isEqualTo(JourneyStatus.WAITING_FOR_HUMAN);
    assertThat(replied.effects(Effect.CreateTask.class)).extracting(t -> t.alert().kind())
        .containsExactly("non_standard_channel", "reply");
    // Held with its wait stopped; resumes by itself after 5 days with the 3 days it had left.
    assertThat(replied.block).isEqualTo(new Effect.Sleep(Optional.of(replied.now.plus(Duration.ofDays(5)))));
    replied.wake();
    assertThat(replied.status()).isEqualTo(JourneyStatus.ACTIVE);
    assertThat(replied.block).isEqualTo(new Effect.Sleep(Optional.of(replied.now.plus(Duration.ofDays(3)))));
  }

  @Test
  void graduationHandsTheGoldenLeadToSalesWithHighPriority() {
    ScoringModel scoring = ScoringModelParser.parse(resource("nurture/scoring.yaml"));
    JourneyInput input = JourneyInput.enrol("golden", Map.of("role", "director", "employees", 250,
        "industry", "logistics"), CoreDriver.PARSER.parse(DRIP, 1));
    input.state().withScoring(scoring);
    CoreDriver d = new CoreDriver(input).begin().sent();
    d.event(EventType.CONTENT_DOWNLOADED, Map.of("asset_type", "whitepaper"));
    d.at(Duration.ofHours(2));
    d.event(EventType.PAGE_VISITED, Map.of("page", "pricing"));
    assertThat(d.status()).isEqualTo(JourneyStatus.HANDED_OFF);
    assertThat(d.effects(Effect.HandOffToSales.class)).singleElement()
        .satisfies(h -> assertThat(h.handOff().priority()).isEqualTo("high"));
    assertThat(d.kinds()).contains("scored", "handed_off");
  }

  @Test
  void salesLoopEscalatesTwiceThenAnswersAreRecorded() {
    CoreDriver d = new CoreDriver("""
        id: qualify
        send_policy: none
        steps: [ { id: hand, handoff: { reason: test } }, { id: after, send: after } ]
        """).begin();
    assertThat(d.status()).isEqualTo(JourneyStatus.HANDED_OFF);
    d.wake();
    d.wake();
    assertThat(d.effects(Effect.RaiseAlert.class)).extracting(a -> a.alert().kind())
        .containsExactly("handoff", "sla_breach", "sla_breach");
    assertThat(d.block).as("no third escalation").isEqualTo(new Effect.Sleep(Optional.empty()));
    d.then(d.journey.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.REJECTED, Optional.empty(),
        "not yet", "sdr"), d.now));
    assertThat(d.effects(Effect.RecordSalesOutcome.class)).singleElement()
        .satisfies(o -> assertThat(o.outcome()).isEqualTo("rejected"));
    assertThat(d.block).as("back to nurture: the next step's send").isInstanceOf(Effect.Send.class);
  }

  @Test
  void trackSwitchingPreemptsAndResumesWithTheRestOfTheWait() {
    CoreDriver d = new CoreDriver(DRIP).begin().sent();
    d.at(Duration.ofDays(1));
    Program urgent = CoreDriver.PARSER.parse("""
        id: urgent
        priority: 50
        send_policy: none
        steps: [ { id: now, send: now } ]
        on_complete: resume_previous
        """, 1);
    TrackOffer offer = new TrackOffer("o-1", urgent, "test");
    assertThat(d.journey.admit(offer)).isTrue();
    d.then(d.journey.consider(offer, d.now));
    assertThat(d.block).isInstanceOfSatisfying(Effect.Send.class,
        s -> assertThat(s.request().programId()).isEqualTo("urgent"));
    d.sent();
    assertThat(d.block).isEqualTo(new Effect.Sleep(Optional.of(d.now.plus(Duration.ofDays(2)))));
    assertThat(d.kinds()).containsSubsequence("preempted", "email_sent", "resumed_previous");
  }

  @Test
  void journeyClocksRecycleAfterInactivityDuringALongWait() {
    CoreDriver d = new CoreDriver("""
        id: slow
        send_policy: none
        steps: [ { id: hello, send: hello }, { id: long, wait: 365d }, { id: never, send: never } ]
        """).begin().sent();
    assertThat(d.block).isEqualTo(new Effect.Sleep(Optional.of(d.now.plus(Duration.ofDays(180)))));
    d.wake();
    assertThat(d.status()).isEqualTo(JourneyStatus.RECYCLED);
    assertThat(d.block).isInstanceOf(Effect.End.class);
  }

  @Test
  void aFailedSendSkipsOrPausesAsTheProgramSays() {
    CoreDriver skip = new CoreDriver(DRIP).begin();
    skip.then(skip.journey.sendFailed(true, "invalid header", skip.now));
    assertThat(skip.kinds()).contains("send_failed");
    assertThat(skip.block).as("on to the wait").isInstanceOf(Effect.Sleep.class);
    assertThat(skip.effects(Effect.RecordSendFailed.class)).as("a permanent failure is already in the ledger").isEmpty();

    CoreDriver pause = new CoreDriver(DRIP.replace("send_policy: none", "send_policy: none\non_send_failure: pause")).begin();
    pause.then(pause.journey.sendFailed(false, "connection refused", pause.now));
    assertThat(pause.status()).isEqualTo(JourneyStatus.PAUSED);
    assertThat(pause.effects(Effect.RecordSendFailed.class)).singleElement()
        .satisfies(f -> assertThat(f.reason()).startsWith("gave_up after 1d"));
    assertThat(pause.block).isEqualTo(new Effect.Sleep(Optional.empty()));
  }

  private static String resource(String path) {
    try {
      return HistoryRecorder.resource(path);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
