package com.nurture.workflows.journey;

import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import com.nurture.workflows.scoring.ScoringModel;
import com.nurture.workflows.scoring.ScoringModelParser;

/**
 * Records the histories {@link HistoryReplayTest} replays: each shipped program run end to end, and
 * scenarios that exercise every handler. Run it when a change to the workflow is meant to be
 * compatible and a new shipped program appears, and commit the files:
 * <pre>
 *   ./mvnw -q -pl workflows test-compile exec:java -Dexec.classpathScope=test \
 *       -Dexec.mainClass=com.nurture.workflows.journey.HistoryRecorder
 * </pre>
 * Arguments name the histories to record (default: all). Record only new ones: the old files are
 * what proves journeys started by an earlier release still replay.
 * Never re-record to make a failing replay pass: a failing replay means running journeys would break.
 */
public final class HistoryRecorder {
  static final Path DIRECTORY = Path.of("src/test/resources/histories");
  private static final ProgramParser PARSER = new ProgramParser(t -> true);

  private static java.util.Set<String> only = java.util.Set.of();

  /** Prepended to every recorded name: "core-" records the scenarios again on the journey core. */
  private static String prefix = "";

  public static void main(String[] args) throws Exception {
    java.util.List<String> names = new java.util.ArrayList<>(java.util.List.of(args));
    if (!names.isEmpty() && names.get(0).startsWith("--prefix=")) {
      prefix = names.remove(0).substring("--prefix=".length());
    }
    only = java.util.Set.copyOf(names);
    Files.createDirectories(DIRECTORY);
    ScoringModel scoring = ScoringModelParser.parse(resource("nurture/scoring.yaml"));
    Program education = PARSER.parse(resource("nurture/programs/product-education.yaml"), 1);
    Program onboarding = PARSER.parse(resource("nurture/programs/onboarding.yaml"), 1);
    record("lead-intelligence", education, input -> input.state().withScoring(scoring)
        .withAssignedTrack("product-education", "medium/low"), activities -> activities.catalog.put("onboarding",
        onboarding), wf -> {
      sleep(Duration.ofDays(1));
      wf.event(new LeadEvent("w-1", EventType.WEBINAR_ATTENDED, now(), Map.of()));
      sleep(Duration.ofDays(7));
      wf.event(new LeadEvent("b-1", EventType.PAGE_VISITED, now(), Map.of("page", "blog")));
      wf.event(new LeadEvent("b-2", EventType.PAGE_VISITED, now(), Map.of("page", "blog")));
      wf.event(new LeadEvent("b-3", EventType.PAGE_VISITED, now(), Map.of("page", "blog")));
      wf.event(new LeadEvent("c-1", EventType.EMAIL_CLICKED, now(), Map.of()));
      sleep(Duration.ofHours(1));
      wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.REJECTED, java.util.Optional.empty(), "too early", "sdr"));
      sleep(Duration.ofDays(30));
    });
    for (String shipped : HistoryReplayTest.SHIPPED) {
      Program p = PARSER.parse(resource("nurture/programs/" + shipped + ".yaml"), 1);
      // The accelerated track waits for sales at its sales touch: sales sends the lead back.
      record("shipped-" + shipped, p, !shipped.equals("accelerated") ? wf -> { } : wf -> {
        sleep(Duration.ofDays(5));
        wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.REJECTED, java.util.Optional.empty(), "voicemail", "sdr"));
      });
    }
    record("reply-pause-resume", PARSER.parse(resource("nurture/programs/onboarding.yaml"), 1), wf -> {
      sleep(Duration.ofDays(1));
      wf.event(new LeadEvent("r-1", EventType.REPLIED, now(), Map.of("channel", "email")));
      sleep(Duration.ofDays(2));
      wf.command(new JourneyCommand(JourneyCommand.Kind.RESUME, "answered", "ops"));
      sleep(Duration.ofDays(1));
      wf.command(new JourneyCommand(JourneyCommand.Kind.PAUSE, "holiday", "ops"));
      sleep(Duration.ofDays(1));
      wf.command(new JourneyCommand(JourneyCommand.Kind.RESUME, "back", "ops"));
    });
    record("step-kinds-and-preemption", PARSER.parse("""
        id: scenario
        priority: 5
        send_policy: { base: waking-hours, min_gap: 1h }
        holdout_percent: 0
        steps:
          - id: hello
            send: { template: hello, variants: [ { id: a, subject: "A" }, { id: b, subject: "B" } ] }
          - id: engaged
            wait_for: { any: [ { event: email_clicked, step: hello } ], timeout: 2d }
            on_event: route
            on_timeout: route
          - id: route
            branch:
              - when: { event_seen: { type: page_visited, where: { page: pricing } } }
                goto: hand-off
              - else: bye
          - { id: hand-off, handoff: { reason: pricing } }
          - { id: bye, exit: done }
        """, 1), wf -> {
      sleep(Duration.ofHours(2));
      wf.offer(new TrackOffer("evt-1", PARSER.parse("""
          id: urgent
          priority: 50
          send_policy: none
          steps: [ { id: now, send: { template: now, immediate: true } }, { id: settle, wait: 1h } ]
          on_complete: resume_previous
          """, 1), "test"));
      sleep(Duration.ofHours(3));
      wf.event(new LeadEvent("v-1", EventType.PAGE_VISITED, now(), Map.of("page", "pricing")));
      wf.event(new LeadEvent("c-1", EventType.EMAIL_CLICKED, now(), Map.of("step", "hello")));
      sleep(Duration.ofHours(1));
      wf.command(new JourneyCommand(JourneyCommand.Kind.EXIT, "seen enough", "ops"));
    });
    recordBehaviours(scoring);

    // One signal per event (deliver): the event with the programs it triggers, on each engine.
    if (prefix.isEmpty()) {
      Program pricing = PARSER.parse("""
          id: pricing
          priority: 50
          send_policy: none
          trigger: { event: page_visited, where: { page: pricing } }
          steps: [ { id: explainer, send: explainer } ]
          on_complete: resume_previous
          """, 1);
      Program rivals = PARSER.parse("""
          id: rivals
          priority: 90
          send_policy: none
          audience: { attribute: industry, eq: competitor }
          steps: [ { id: r, send: r } ]
          """, 1);
      for (String engine : java.util.List.of("legacy", "core")) {
        Consumer<JourneyInput> onEngine = input -> {
          if (engine.equals("legacy")) {
            input.state().onLegacyEngine();
          }
        };
        record(engine + "-event-delivery", onboarding, onEngine, activities -> { }, wf -> {
          sleep(Duration.ofDays(1));
          LeadEvent visit = new LeadEvent("visit", EventType.PAGE_VISITED, now(), Map.of("page", "pricing"));
          wf.deliver(new EventDelivery(visit, java.util.List.of(rivals, pricing)));
          sleep(Duration.ofDays(30));
        });
        // Several events of the lead in one signal (deliverAll), as a batch hands them over: the
        // second triggers a program, the third repeats the first's id (counted once).
        record(engine + "-events-delivered-together", onboarding, onEngine, activities -> { }, wf -> {
          sleep(Duration.ofDays(1));
          LeadEvent blog = new LeadEvent("blog", EventType.PAGE_VISITED, now(), Map.of("page", "blog"));
          LeadEvent visit = new LeadEvent("visit", EventType.PAGE_VISITED, now(), Map.of("page", "pricing"));
          wf.deliverAll(new EventDeliveries(java.util.List.of(new EventDelivery(blog, java.util.List.of()),
              new EventDelivery(visit, java.util.List.of(rivals, pricing)), new EventDelivery(blog, java.util.List.of()))));
          sleep(Duration.ofDays(30));
        });
      }
    }

    // A run on the legacy engine (started before the journey core) that reaches code guarded by the
    // change ids added for it afterwards: a failing send (send-failure-policy) and a wait woken by
    // events (cancel-woken-timers).
    if (prefix.isEmpty()) {
      record("legacy-send-failure-and-woken-wait", PARSER.parse("""
          id: legacy
          send_policy: none
          on_send_failure: skip
          steps:
            - { id: broken, send: broken }
            - { id: pause, wait: 3d }
            - { id: next, send: next }
          """, 1), input -> input.state().onLegacyEngine(), activities -> activities.failingPermanently.add("broken"),
          wf -> {
            sleep(Duration.ofDays(1));
            wf.event(new LeadEvent("o-1", EventType.EMAIL_OPENED, now(), Map.of()));
            sleep(Duration.ofHours(1));
            wf.event(new LeadEvent("o-2", EventType.EMAIL_OPENED, now(), Map.of()));
          });
    }
  }

  /**
   * The behaviours the scenarios above do not reach, recorded with the code of their day (so with the
   * getVersion markers it wrote): every sales answer and the SLA escalations, replies, inactivity,
   * re-entry, offers, continue-as-new with work pending, migration, tracks after a rejection, failed
   * sends and the other ways a journey ends. Each lead scores with the shipped model, as the API enrols it.
   */
  private static void recordBehaviours(ScoringModel scoring) throws IOException {
    Consumer<JourneyInput> scored = input -> input.state().withScoring(scoring);
    Consumer<RecordingActivities> none = activities -> { };
    Program qualify = PARSER.parse("""
        id: qualify
        send_policy: none
        steps:
          - { id: hello, send: hello }
          - { id: to-sales, handoff: { reason: asked for a demo } }
          - { id: after-sales, send: after-sales }
        """, 1);
    Program nurture = PARSER.parse("""
        id: nurture
        send_policy: none
        steps:
          - { id: hello, send: hello }
          - { id: long, wait: 60d }
          - { id: after, send: after }
        """, 1);
    Program reEngagement = PARSER.parse(resource("nurture/programs/dormant-re-engagement.yaml"), 1);
    Program education = PARSER.parse(resource("nurture/programs/product-education.yaml"), 1);
    Program onboarding = PARSER.parse(resource("nurture/programs/onboarding.yaml"), 1);

    // A review-site lead skips nurture: handed to sales at enrolment, before any email; sales accepts it.
    record("sales-accepted-fast-track", qualify, input -> {
      input.state().withScoring(scoring);
      input.state().attributes.put("source", "g2");
    }, none, wf -> {
      sleep(Duration.ofHours(2));
      wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.ACCEPTED, java.util.Optional.empty(), "meeting booked",
          "sdr"));
    });

    // No feedback: escalations at the SLA (24h) and at twice it (48h); then sales rejects (resume where it stopped).
    record("sales-sla-escalations-then-rejected", qualify, scored, none, wf -> {
      sleep(Duration.ofHours(50));
      wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.REJECTED, java.util.Optional.empty(), "no answer", "sdr"));
    });

    // Not now: paused until the date, then dormant re-engagement is loaded (LoadProgram) and runs to its end.
    record("sales-not-now-re-engagement", qualify, scored,
        activities -> activities.catalog.put(SalesLoop.RE_ENGAGEMENT, reEngagement), wf -> {
          sleep(Duration.ofHours(3));
          wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.NOT_NOW,
              java.util.Optional.of(now().plus(Duration.ofDays(30))), "budget next quarter", "ae"));
          sleep(Duration.ofDays(32));
          wf.event(event("v-1", EventType.PAGE_VISITED, Map.of("page", "blog")));
        });

    // An email reply no one answers resumes by itself after reply_resume_after (5d) with the rest of
    // the wait; competitor interest and a reply outside email are tasks for a person (webhooks).
    record("reply-auto-resume-and-other-channels", PARSER.parse("""
        id: conversation
        send_policy: none
        steps:
          - { id: hello, send: hello }
          - { id: pause-1, wait: 3d }
          - { id: next, send: next }
          - { id: pause-2, wait: 7d }
          - { id: last, send: last }
        """, 1), scored, none, wf -> {
      sleep(Duration.ofDays(1));
      wf.event(event("r-1", EventType.REPLIED, Map.of("channel", "email")));
      sleep(Duration.ofDays(8));
      wf.event(event("v-1", EventType.PAGE_VISITED, Map.of("page", "comparison")));
      sleep(Duration.ofDays(1));
      wf.event(event("r-2", EventType.REPLIED, Map.of("channel", "linkedin")));
      sleep(Duration.ofDays(1));
      wf.command(new JourneyCommand(JourneyCommand.Kind.RESUME, "answered on LinkedIn", "ops"));
    });

    // A high-fit lead waiting a year for a demo request: a quiet alert after 21 quiet days (again after
    // a click starts a new quiet period), then recycled 180 days after that click, mid-wait_for.
    record("inactivity-recycle-in-wait-for-and-quiet-alert", PARSER.parse("""
        id: patient
        send_policy: none
        steps:
          - { id: hello, send: hello }
          - id: reacted
            wait_for: { any: [ { event: demo_requested } ], timeout: 365d }
            on_timeout: bye
          - { id: bye, send: bye }
        """, 1), input -> {
      input.state().withScoring(scoring);
      input.state().attributes.put("role", "vp");
    }, none, wf -> {
      sleep(Duration.ofDays(30));
      wf.event(event("c-1", EventType.EMAIL_CLICKED, Map.of()));
    });

    // Recycled mid-wait after 180 days; an open is not engagement.
    record("inactivity-recycle-in-wait", PARSER.parse("""
        id: very-patient
        send_policy: none
        steps:
          - { id: hello, send: hello }
          - { id: very-long, wait: 300d }
          - { id: later, send: later }
        """, 1), scored, none, wf -> {
      sleep(Duration.ofDays(100));
      wf.event(event("o-1", EventType.EMAIL_OPENED, Map.of()));
    });

    // Re-entry is decided in the API (JourneyService.reenterOnInterest): the recycled lead's workflow id
    // starts a new run on the track of its quadrant now, with its stored events seen and scored, the
    // renewed-interest event as its trigger, timings and SLA from the configuration. This is that run.
    Instant at = Instant.parse("2026-03-03T09:00:00Z");
    LeadEvent interest = new LeadEvent("dl-again", EventType.CONTENT_DOWNLOADED, at.minus(Duration.ofMinutes(5)),
        Map.of("asset_type", "roi_calculator"));
    java.util.List<LeadEvent> stored = java.util.List.of(
        new LeadEvent("old-1", EventType.WEBINAR_ATTENDED, at.minus(Duration.ofDays(251)), Map.of()),
        new LeadEvent("old-2", EventType.FORM_SUBMITTED, at.minus(Duration.ofDays(250)), Map.of("form", "newsletter")),
        interest);
    Map<String, Object> attributes = Map.of("industry", "logistics", "employees", 150);
    java.util.List<com.nurture.workflows.condition.SeenEvent> facts = new java.util.ArrayList<>();
    stored.forEach(e -> facts.add(e.seen(facts.size())));
    var quadrant = scoring.tracks().quadrant(scoring.scoreOf(
        com.nurture.workflows.condition.ConditionContext.of(attributes, n -> 0, facts, at)));
    String track = scoring.tracks().programFor(quadrant).orElseThrow();
    record("reentry-after-recycle", PARSER.parse(resource("nurture/programs/" + track + ".yaml"), 1), input -> {
      input.state().withScoring(scoring).withSettings(JourneySettings.DEFAULTS).withHistory(stored);
      input.state().withAssignedTrack(track, quadrant.key());
      input.startedBy(interest);
    }, none, wf -> {
      sleep(Duration.ofDays(5));
      wf.event(event("c-1", EventType.EMAIL_CLICKED, Map.of()));
    });

    // Offers: a lower-priority program is recorded, a higher one pre-empts the wait (the same offer
    // twice counts once), an offer of the running program is recorded, and on_complete:
    // resume_previous goes back with the rest of the wait.
    Program pricing = PARSER.parse("""
        id: pricing
        priority: 50
        send_policy: none
        steps:
          - { id: explainer, send: pricing-explainer }
          - { id: settle, wait: 1d }
          - { id: follow-up, send: pricing-follow-up }
        on_complete: resume_previous
        """, 2);
    record("preemption-resume-previous", PARSER.parse("""
        id: nurture
        priority: 10
        send_policy: none
        steps:
          - { id: a, send: a }
          - { id: long-wait, wait: 10d }
          - { id: b, send: b }
        """, 1), scored, none, wf -> {
      sleep(Duration.ofDays(3));
      wf.offer(new TrackOffer("evt-low", PARSER.parse("""
          id: newsletter
          priority: 5
          steps: [ { id: n, send: n } ]
          """, 1), "newsletter signup"));
      sleep(Duration.ofMinutes(1));
      wf.offer(new TrackOffer("evt-pricing", pricing, "page_visited pricing"));
      sleep(Duration.ofMinutes(1));
      wf.offer(new TrackOffer("evt-pricing", pricing, "page_visited pricing"));
      sleep(Duration.ofHours(2));
      wf.offer(new TrackOffer("evt-pricing-2", pricing, "page_visited pricing"));
    });

    // Continue-as-new while a hand-off webhook is still being retried (the sales endpoint is down):
    // events and an offer that arrive meanwhile are carried to the next run, which handles them first.
    java.util.List<WorkflowExecutionHistory> runs = record("continue-as-new-with-pending-work", PARSER.parse("""
        id: long-life
        send_policy: none
        steps:
          - { id: hello, send: hello }
          - { id: long, wait: 10d }
          - { id: after, send: after }
        """, 1), input -> input.state().withScoring(scoring)
            .withSettings(JourneySettings.DEFAULTS.withHistoryLimit(CONTINUE_AS_NEW_AT)), none,
        (wf, activities) -> {
          sleep(Duration.ofDays(1));
          activities.salesDownUntil = now().plus(Duration.ofHours(2));
          wf.event(event("demo", EventType.DEMO_REQUESTED, Map.of()));
          sleep(Duration.ofHours(1));
          wf.event(event("v-1", EventType.PAGE_VISITED, Map.of("page", "blog")));
          sleep(Duration.ofMinutes(1));
          wf.event(event("o-1", EventType.EMAIL_OPENED, Map.of()));
          sleep(Duration.ofMinutes(1));
          wf.offer(new TrackOffer("evt-pricing", pricing, "page_visited pricing"));
          sleep(Duration.ofHours(3));
          wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.REJECTED, java.util.Optional.empty(), "not yet",
              "sdr"));
        });
    if (prefix.isEmpty() && !runs.isEmpty() && (!runs.get(0).getLastEvent().hasWorkflowExecutionContinuedAsNewEventAttributes()
        || !runs.get(0).getLastEvent().getWorkflowExecutionContinuedAsNewEventAttributes().getInput().getPayloads(0)
            .getData().toStringUtf8().matches("(?s).*\"pendingOffers\":\\[\\{\"id\":\"evt-pricing\".*"))) {
      throw new IllegalStateException("continue-as-new-with-pending-work: the first run must continue as new with the"
          + " offer still pending; has the scenario changed? Adjust CONTINUE_AS_NEW_AT");
    }

    // Migration at the step the journey is on, keeping the pending wait; refused migrations (a version
    // without that step, the version it already runs) are rejected by the validator.
    Program v1 = PARSER.parse("""
        id: course
        send_policy: none
        steps:
          - { id: one, send: one }
          - { id: pause, wait: 10d }
          - { id: two, send: two }
        """, 1);
    Program v2 = PARSER.parse("""
        id: course
        send_policy: none
        steps:
          - { id: one, send: one }
          - { id: pause, wait: 10d }
          - { id: two, send: two-rewritten }
          - { id: extra, send: three }
        """, 2);
    Program v3 = PARSER.parse("""
        id: course
        send_policy: none
        steps:
          - { id: one, send: one }
          - { id: two, send: two }
        """, 3);
    record("migration", v1, scored, none, wf -> {
      sleep(Duration.ofDays(4));
      refused(() -> wf.migrate(v3));
      wf.migrate(v2);
      refused(() -> wf.migrate(v2));
    });

    // tracks.after_rejection names a program: a rejected lead starts it; the owner was emailed at the hand-off.
    ScoringModel toEducation = ScoringModelParser.parse(resource("nurture/scoring.yaml")
        .replace("after_rejection: resume", "after_rejection: product-education"));
    record("after-rejection-program", nurture, input -> input.state().withScoring(toEducation),
        activities -> activities.catalog.put("product-education", education), wf -> {
          sleep(Duration.ofHours(1));
          wf.event(event("demo", EventType.DEMO_REQUESTED, Map.of()));
          sleep(Duration.ofHours(1));
          wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.REJECTED, java.util.Optional.empty(), "no budget",
              "sdr"));
        });

    // tracks.after_rejection: matrix, reassign off: a quadrant change is only noted; a rejected lead
    // moves to the track of its quadrant then.
    ScoringModel toMatrix = ScoringModelParser.parse(resource("nurture/scoring.yaml")
        .replace("after_rejection: resume", "after_rejection: matrix").replace("reassign: true", "reassign: false"));
    record("after-rejection-matrix", education,
        input -> input.state().withScoring(toMatrix).withAssignedTrack("product-education", "medium/low"),
        activities -> activities.catalog.put("onboarding", onboarding), wf -> {
          sleep(Duration.ofDays(1));
          wf.event(event("w-1", EventType.WEBINAR_ATTENDED, Map.of()));
          sleep(Duration.ofDays(8));
          wf.event(event("demo", EventType.DEMO_REQUESTED, Map.of()));
          sleep(Duration.ofHours(1));
          wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.REJECTED, java.util.Optional.empty(), "too small",
              "sdr"));
        });

    // A composite MQL definition graduates once every part holds; sales accepts.
    ScoringModel composite = ScoringModelParser.parse("""
        fit:
          - { when: { attribute: employees, gte: 100 }, points: 20 }
        events:
          content_downloaded: 30
          page_visited: { by: page, values: { pricing: 5 }, points: 1 }
        mql_threshold: off
        velocity: { window: 7d, threshold: 1000 }
        mql_definitions:
          - name: enterprise-pricing
            when:
              all:
                - { score: total, gte: 100 }
                - { event_seen: { type: page_visited, where: { page: pricing } } }
                - { attribute: employees, gte: 100 }
        """);
    record("composite-mql-graduation", nurture, input -> {
      input.state().withScoring(composite);
      input.state().attributes.put("employees", 500);
    }, none, wf -> {
      for (int i = 1; i <= 3; i++) {
        sleep(Duration.ofDays(4));
        wf.event(event("dl-" + i, EventType.CONTENT_DOWNLOADED, Map.of()));
      }
      sleep(Duration.ofHours(1));
      wf.event(event("pricing", EventType.PAGE_VISITED, Map.of("page", "pricing")));
      sleep(Duration.ofHours(1));
      wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.ACCEPTED, java.util.Optional.empty(), "", "sdr"));
    });

    // Earlier behaviour makes the lead an MQL already: handed off at the first step boundary, before
    // any email; sent back, it is not handed over again for the same reason; quiet for 21 days (high fit).
    record("graduation-at-step-boundary", nurture, input -> {
      input.state().attributes.putAll(Map.of("employees", 250, "role", "VP", "industry", "software"));
      Instant before = now().minus(Duration.ofDays(10));
      input.state().withScoring(scoring).withHistory(java.util.List.of(
          new LeadEvent("old-1", EventType.CONTENT_DOWNLOADED, before, Map.of("asset_type", "case_study")),
          new LeadEvent("old-2", EventType.WEBINAR_ATTENDED, before.plus(Duration.ofDays(1)), Map.of()),
          new LeadEvent("old-3", EventType.FORM_SUBMITTED, before.plus(Duration.ofDays(9)), Map.of("form", "newsletter"))));
    }, none, wf -> {
      sleep(Duration.ofHours(2));
      wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.REJECTED, java.util.Optional.empty(), "not yet", "sdr"));
    });

    // A send that fails for good ('email_failed', a send_failed alert; the journey goes on) and one
    // whose outcome is unknown (not resent).
    Program mailings = PARSER.parse("""
        id: mailings
        send_policy: none
        steps:
          - { id: broken, send: missing-template }
          - { id: gap-1, wait: 1d }
          - { id: unsure, send: interrupted }
          - { id: gap-2, wait: 1d }
          - { id: fine, send: fine }
        """, 1);
    Consumer<RecordingActivities> failingAndUnsure = activities -> {
      activities.failingTemplates.add("missing-template");
      activities.statusByTemplate.put("interrupted", com.nurture.workflows.activities.SendOutcome.Status.OUTCOME_UNKNOWN);
    };
    record("send-failed-and-outcome-unknown", mailings, scored, failingAndUnsure, wf -> { });

    // A control-group lead: its email is held out; then its address is suppressed and the next send ends the journey.
    record("held-out-then-suppressed", PARSER.parse("""
        id: control-group
        send_policy: none
        holdout_percent: 100
        steps:
          - { id: first, send: first }
          - { id: gap, wait: 1d }
          - { id: second, send: second }
        """, 1), scored, none, (wf, activities) -> {
      sleep(Duration.ofHours(12));
      activities.suppressedLeads.add("held-out-then-suppressed");
    });

    // The lead's own events end the journey.
    record("ended-by-unsubscribe", nurture, scored, none, wf -> {
      sleep(Duration.ofDays(1));
      wf.event(event("u-1", EventType.UNSUBSCRIBED, Map.of()));
    });
    record("ended-by-hard-bounce", nurture, scored, none, wf -> {
      sleep(Duration.ofDays(1));
      wf.event(event("b-1", EventType.BOUNCED, Map.of("hard", false)));
      sleep(Duration.ofDays(1));
      wf.event(event("b-2", EventType.BOUNCED, Map.of("bounce_type", "permanent")));
    });
    record("ended-by-disqualification", nurture, scored, none, wf -> {
      sleep(Duration.ofDays(1));
      wf.event(event("a-1", EventType.ATTRIBUTE_CHANGED, Map.of("role", "vp")));
      sleep(Duration.ofDays(1));
      wf.event(event("q-1", EventType.DISQUALIFIED, Map.of("reason", "competitor")));
    });

    // on_complete: start loads the next program (LoadProgram); a program that is not published ends
    // the journey with a missing_program alert.
    record("on-complete-start", PARSER.parse("""
        id: first-course
        send_policy: none
        on_complete: { start: second-course }
        steps: [ { id: intro, send: intro } ]
        """, 1), scored, activities -> activities.catalog.put("second-course", PARSER.parse("""
        id: second-course
        send_policy: none
        on_complete: { start: retired-course }
        steps: [ { id: deeper, send: deeper } ]
        """, 3)), wf -> { });

    // Double opt-in: a pending lead is sent a confirmation first; one confirms (a reply before it
    // only alerts), the other never does and ends UNCONFIRMED. Core only: the legacy engine has none.
    record("double-opt-in-confirmed", nurture, scored.andThen(input -> input.state().requiringConfirmation(Duration.ofDays(7))),
        none, wf -> {
          sleep(Duration.ofDays(1));
          wf.event(event("r-1", EventType.REPLIED, Map.of("channel", "email", "text", "what is this?")));
          sleep(Duration.ofDays(1));
          wf.event(event("confirm/c1", EventType.CONSENT_CONFIRMED, Map.of()));
          sleep(Duration.ofDays(1));
          wf.event(event("u-1", EventType.UNSUBSCRIBED, Map.of()));
        });
    record("double-opt-in-unconfirmed", nurture, scored.andThen(input -> input.state().requiringConfirmation(Duration.ofDays(7))),
        none, wf -> { });

    // Search attributes (change id search-attributes) and summaries on every timer and activity: a
    // shipped program end to end, and a journey whose status, step and score all move (a reply holds
    // it for a person, an operator resumes it, a demo request hands it off, sales accepts). The lead
    // has an owner id (NurtureOwner, set at start) and an owner address (never in an attribute).
    Consumer<JourneyInput> owned = scored.andThen(input -> input.state().attributes.putAll(
        Map.of("owner_id", "sdr-7", "owner_email", "owner@example.com")));
    record("searchable-onboarding", onboarding, owned, none, wf -> { });
    // The priority lane (the welcome's send scheduled with priority 1) and change id merged-records:
    // a send's email_sent entry and the next step's entries written by one local activity.
    record("lane-onboarding", onboarding, owned, none, wf -> { });
    // Change id local-sends: the welcome (immediate) stays an activity task in the priority lane; every
    // later, scheduled send is a local activity inside the workflow task its wait's timer wakes. Then
    // a scheduled send that fails for good and one whose outcome is unknown, as local activities.
    record("local-sends-onboarding", onboarding, owned, none, wf -> { });
    record("local-send-failed-and-outcome-unknown", mailings, scored, failingAndUnsure, wf -> { });
    // A scheduled send's local attempt fails transiently (SMTP briefly away): retried as an activity task.
    record("local-send-retried-as-activity", PARSER.parse("""
        id: mailings
        send_policy: none
        steps:
          - { id: gap, wait: 1d }
          - { id: later, send: later }
        """, 1), scored, activities -> activities.transientSendFailures.set(2), wf -> { });
    record("searchable-reply-hand-off", nurture, owned, none, wf -> {
      sleep(Duration.ofDays(1));
      wf.event(event("p-1", EventType.PAGE_VISITED, Map.of("page", "blog")));
      sleep(Duration.ofHours(1));
      wf.event(event("r-1", EventType.REPLIED, Map.of("channel", "email")));
      sleep(Duration.ofDays(1));
      wf.command(new JourneyCommand(JourneyCommand.Kind.RESUME, "answered", "ops"));
      sleep(Duration.ofDays(1));
      wf.event(event("demo", EventType.DEMO_REQUESTED, Map.of()));
      sleep(Duration.ofHours(1));
      wf.salesFeedback(new SalesFeedback(SalesFeedback.Outcome.ACCEPTED, java.util.Optional.empty(), "meeting booked",
          "sdr"));
    });
  }

  /**
   * The history length at which {@code continue-as-new-with-pending-work} continues as new: the
   * workflow task that handles the demo request starts at event 19 (found by recording the scenario
   * without a limit), so the first run hands off, then continues as new while the webhook is retried.
   */
  private static final int CONTINUE_AS_NEW_AT = 19;

  /** An update the validator rejects: nothing reaches the history. */
  private static void refused(Runnable update) {
    try {
      update.run();
      throw new IllegalStateException("the update was accepted");
    } catch (io.temporal.client.WorkflowUpdateException expected) {
      System.out.println("refused: " + expected.getCause().getMessage());
    }
  }

  private static TestWorkflowEnvironment env;

  private static void sleep(Duration d) {
    env.sleep(d);
  }

  private static Instant now() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }

  private static LeadEvent event(String id, EventType type, Map<String, Object> properties) {
    return new LeadEvent(id, type, now(), properties);
  }

  private static void record(String name, Program program, Consumer<LeadJourneyWorkflow> script) throws IOException {
    record(name, program, input -> { }, activities -> { }, script);
  }

  private static void record(String name, Program program, Consumer<JourneyInput> setUp,
      Consumer<RecordingActivities> catalog, Consumer<LeadJourneyWorkflow> script) throws IOException {
    record(name, program, setUp, catalog, (wf, activities) -> script.accept(wf));
  }

  /**
   * Runs the journey under the script until it ends and writes its history. A journey that
   * continued as new writes one file per run: the first as {@code name}, the next ones as
   * {@code name-run-2}, {@code name-run-3}...
   */
  private static java.util.List<WorkflowExecutionHistory> record(String name, Program program,
      Consumer<JourneyInput> setUp, Consumer<RecordingActivities> catalog,
      BiConsumer<LeadJourneyWorkflow, RecordingActivities> script) throws IOException {
    java.util.List<WorkflowExecutionHistory> runs = new java.util.ArrayList<>();
    if (!only.isEmpty() && !only.contains(name)) {
      return runs;
    }
    name = prefix + name;
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setInitialTime(Instant.parse("2026-03-03T09:00:00Z")).build());
    JourneySearchAttributes.definitions().forEach(env::registerSearchAttribute);
    try {
      Worker worker = env.newWorker(LeadJourneyWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(LeadJourneyWorkflowImpl.class);
      RecordingActivities activities = new RecordingActivities(HistoryRecorder::now);
      catalog.accept(activities);
      worker.registerActivitiesImplementations(activities);
      env.start();
      WorkflowClient client = env.getWorkflowClient();
      String id = LeadJourneyWorkflow.workflowId(name);
      JourneyInput input = JourneyInput.enrol(name, Map.of("industry", "logistics", "employees", 150), program);
      setUp.accept(input);
      // Started as the API starts a journey: with its search attributes (files recorded before
      // the search-attributes change id were started without).
      LeadJourneyWorkflow wf = client.newWorkflowStub(LeadJourneyWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(LeadJourneyWorkflow.TASK_QUEUE)
              .setTypedSearchAttributes(JourneySearchAttributes.atStart(input)).build());
      String runId = WorkflowClient.start(wf::run, input).getRunId();
      script.accept(wf, activities);
      WorkflowStub.fromTyped(wf).getResult(JourneyResult.class);
      for (int run = 1; runId != null; run++) {
        WorkflowExecutionHistory history = client.fetchHistory(id, runId);
        runs.add(history);
        String file = run == 1 ? name : name + "-run-" + run;
        Files.writeString(DIRECTORY.resolve(file + ".json"), history.toJson(true));
        System.out.println("recorded " + file);
        HistoryEvent last = history.getLastEvent();
        runId = last.hasWorkflowExecutionContinuedAsNewEventAttributes()
            ? last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId() : null;
      }
    } finally {
      env.close();
    }
    return runs;
  }

  static String resource(String path) throws IOException {
    try (InputStream in = HistoryRecorder.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("missing " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
