package com.nurture.api.core;

import com.nurture.activities.mail.EmailRenderer;
import com.nurture.activities.mail.EmailTemplate;
import com.nurture.activities.mail.MailSettings;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.workflows.activities.EmailActivities;
import com.nurture.workflows.activities.JourneyActivities;
import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.activities.OperatorAlert;
import com.nurture.workflows.activities.HandOff;
import com.nurture.workflows.activities.ProgramActivities;
import com.nurture.workflows.activities.SalesActivities;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.journey.JourneyInput;
import com.nurture.workflows.journey.JourneyView;
import com.nurture.workflows.journey.LeadEvent;
import com.nurture.workflows.journey.LeadJourneyWorkflow;
import com.nurture.workflows.journey.LeadJourneyWorkflowImpl;
import com.nurture.workflows.program.Program;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Preview: runs the production journey workflow for one imagined lead on Temporal's in-process,
 * time-skipping test server, with scripted events at offsets, and returns the timeline it
 * produced. Side effects are captured, not performed: nothing is sent or stored, subjects are
 * rendered with the real templates.
 */
public final class Simulator {
  /** An event the script sends at {@code at} after the start. */
  public record ScriptedEvent(Duration at, EventType type, Map<String, Object> properties) {}

  public record Script(Map<String, Object> lead, Instant start, Duration horizon, List<ScriptedEvent> events) {}

  /** One line of the simulated timeline; {@code day} is days since the start. */
  public record Entry(Instant at, double day, String kind, Map<String, Object> detail) {}

  public record Result(String program, Instant start, String status, String reason, List<Entry> timeline,
      long elapsedMillis) {}

  private static final Duration STEP = Duration.ofDays(7);
  private final TemplateCatalog templates;
  private final EmailRenderer renderer;
  private final Function<String, Optional<Program>> catalog;

  public Simulator(TemplateCatalog templates, MailSettings mail, Function<String, Optional<Program>> catalog) {
    this.templates = templates;
    this.renderer = new EmailRenderer(mail);
    this.catalog = catalog;
  }

  public Result run(Program program, Script script) {
    long began = System.nanoTime();
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder().setInitialTime(script.start()).build());
    try {
      Capture capture = new Capture(script.lead(), () -> Instant.ofEpochMilli(env.currentTimeMillis()));
      Worker worker = env.newWorker(LeadJourneyWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(LeadJourneyWorkflowImpl.class);
      worker.registerActivitiesImplementations(capture);
      env.start();
      LeadJourneyWorkflow wf = env.getWorkflowClient().newWorkflowStub(LeadJourneyWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId("simulation").setTaskQueue(LeadJourneyWorkflow.TASK_QUEUE).build());
      WorkflowClient.start(wf::run, JourneyInput.enrol("simulation", script.lead(), program));

      List<Entry> events = new ArrayList<>();
      int n = 0;
      for (ScriptedEvent e : script.events().stream().sorted(Comparator.comparing(ScriptedEvent::at)).toList()) {
        sleepUntil(env, script.start().plus(e.at()));
        Instant at = Instant.ofEpochMilli(env.currentTimeMillis());
        wf.event(new LeadEvent("simulated-" + (n++), e.type(), at, e.properties()));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("type", e.type().wireName());
        if (!e.properties().isEmpty()) {
          d.put("properties", e.properties());
        }
        events.add(entry(script.start(), at, "event", d));
      }
      Instant end = script.start().plus(script.horizon());
      JourneyView view = wf.view();
      while (!view.status().isTerminal() && env.currentTimeMillis() < end.toEpochMilli()) {
        Duration left = Duration.between(Instant.ofEpochMilli(env.currentTimeMillis()), end);
        env.sleep(left.compareTo(STEP) < 0 ? left : STEP);
        view = wf.view();
      }
      List<Entry> timeline = new ArrayList<>(events);
      for (JourneyTransition t : capture.transitions) {
        timeline.add(entry(script.start(), t.at(), t.kind(), t.detail()));
      }
      timeline.sort(Comparator.comparing(Entry::at));
      String status = view.status().isTerminal() ? view.status().name() : view.status().name() + " (still running at the horizon)";
      return new Result(program.ref(), script.start(), status, view.exitReason().orElse(""), timeline,
          (System.nanoTime() - began) / 1_000_000);
    } finally {
      env.close();
    }
  }

  private static void sleepUntil(TestWorkflowEnvironment env, Instant when) {
    long wait = when.toEpochMilli() - env.currentTimeMillis();
    if (wait > 0) {
      env.sleep(Duration.ofMillis(wait));
    }
  }

  private static Entry entry(Instant start, Instant at, String kind, Map<String, Object> detail) {
    double day = Math.round(Duration.between(start, at).toMinutes() / 14.4) / 100.0;
    return new Entry(at, day, kind, detail);
  }

  /** The activities, captured: a send renders its subject and reports SENT; nothing leaves the JVM. */
  private final class Capture implements EmailActivities, JourneyActivities, ProgramActivities, SalesActivities {
    final List<JourneyTransition> transitions = new CopyOnWriteArrayList<>();
    private final Map<String, Object> lead;
    private final java.util.function.Supplier<Instant> clock;

    Capture(Map<String, Object> lead, java.util.function.Supplier<Instant> clock) {
      this.lead = lead;
      this.clock = clock;
    }

    @Override
    public void recordHandOff(HandOff handOff) {
      // The hand-off is on the timeline (handed_off); a preview tells sales nothing.
    }

    @Override
    public void notifySales(HandOff handOff) {
    }

    @Override
    public void notifyTask(OperatorAlert alert) {
    }

    @Override
    public void notifyOwner(HandOff handOff) {
    }

    @Override
    public void recordOutcome(String handOffKey, String outcome) {
    }

    @Override
    public void recordSendFailed(String idempotencyKey, String reason) {
      // The preview's sends never fail transiently: nothing to record.
    }

    @Override
    public SendOutcome sendEmail(SendRequest r) {
      EmailTemplate template = templates.forLead(r.template(), lead).orElseThrow(() ->
          io.temporal.failure.ApplicationFailure.newNonRetryableFailure("unknown template " + r.template(), "TemplateNotFound"));
      EmailTemplate chosen = r.subject().isEmpty() ? template
          : new EmailTemplate(template.id(), r.subject(), template.text(), template.html());
      String subject = renderer.render(chosen, lead, "https://unsubscribe.invalid/preview").subject();
      SendOutcome.Status status = r.heldOut() ? SendOutcome.Status.HELD_OUT : SendOutcome.Status.SENT;
      return new SendOutcome(status, "<preview>", subject, template.id(), clock.get());
    }

    @Override
    public void recordTransition(JourneyTransition transition) {
      if (transitions.stream().noneMatch(t -> t.dedupeKey().equals(transition.dedupeKey()))) {
        transitions.add(transition);
      }
    }

    @Override
    public void suppress(String leadId, String reason) {
      // captured by the "unsubscribed" transition
    }

    @Override
    public void raiseAlert(OperatorAlert alert) {
      // the transitions show what raised it
    }

    @Override
    public Optional<Program> latestProgram(String programId) {
      return catalog.apply(programId);
    }
  }
}
