package com.nurture.api.core;

import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.db.JourneyDao;
import com.nurture.activities.db.JourneyRow;
import com.nurture.activities.db.LeadReads;
import com.nurture.activities.db.LeadRecord;
import com.nurture.activities.db.TimelineDao;
import com.nurture.activities.journal.LeadFacts;
import com.nurture.api.core.EnrolmentChecks.Checked;
import com.nurture.api.core.EnrolmentChecks.Track;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.representations.EnrolmentQueued;
import com.nurture.api.representations.JourneyResponse;
import com.nurture.workflows.journey.JourneyInput;
import com.nurture.workflows.journey.JourneySettings;
import com.nurture.workflows.journey.JourneyStatus;
import com.nurture.workflows.journey.JourneySearchAttributes;
import com.nurture.workflows.journey.LeadEvent;
import com.nurture.workflows.journey.IntakeLane;
import com.nurture.workflows.journey.LeadJourneyWorkflow;
import com.nurture.workflows.journey.TrackOffer;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.scoring.ScoringModel;
import com.nurture.workflows.scoring.Tracks;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting journeys through Temporal: enrol (or queue the enrolment while Temporal is away), start
 * or offer the programs events trigger, and re-enter recycled leads on renewed interest. A journey,
 * once started, is read and commanded through {@link JourneyCommands}.
 */
public final class JourneyService {
  private static final Logger log = LoggerFactory.getLogger(JourneyService.class);

  /**
   * How an enrolment went: this call started the journey (201), found it (200), or, Temporal away or
   * late, queued the enrolment in the outbox to start when Temporal answers (202).
   */
  public enum Outcome {
    STARTED(201), FOUND(200), QUEUED(202);

    public final int status;

    Outcome(int status) {
      this.status = status;
    }
  }

  /** An enrolment's answer: the journey it started or found; or, queued, what waits. */
  public record Enrolment(Outcome outcome, Optional<JourneyResponse> journey, Optional<EnrolmentQueued> queued) {
    static Enrolment of(Outcome outcome, JourneyResponse journey) {
      return new Enrolment(outcome, Optional.of(journey), Optional.empty());
    }

    static Enrolment queued(String leadId, EventOutbox.WaitingEnrolment waiting) {
      return new Enrolment(Outcome.QUEUED, Optional.empty(),
          Optional.of(EnrolmentQueued.of(leadId, waiting.program(), waiting.since())));
    }

    /** The answer's body: the journey, or what waits. */
    public Object body() {
      return journey.<Object>map(j -> j).orElseGet(queued::orElseThrow);
    }
  }

  private final TemporalConnection temporal;
  private final Jdbi jdbi;
  private final ProgramCatalog programs;
  private final Clock clock;

  private final LeadFacts facts;
  private final EnrolmentChecks checks;
  private final JourneyMirror mirror;
  private final EventOutbox outbox;
  private final ScoringModel scoring = ProgramCatalog.shippedScoringModel();

  /** What every new journey starts with (config.yml journeys and sales.sla), and the re-entry cool-down. */
  private final JourneySettings settings;

  public JourneyService(TemporalConnection temporal, Jdbi jdbi, ProgramCatalog programs, Clock clock,
      JourneySettings settings, JourneyMirror mirror) {
    this.settings = settings;
    this.facts = new LeadFacts(jdbi, Optional.of(scoring));
    this.mirror = mirror;
    this.outbox = new EventOutbox(jdbi);
    this.checks = new EnrolmentChecks(jdbi, programs, facts, scoring, outbox, clock, mirror);
    this.temporal = temporal;
    this.jdbi = jdbi;
    this.programs = programs;
    this.clock = clock;
  }

  public LeadRecord lead(String leadId) {
    return jdbi.withHandle(h -> lead(h, leadId));
  }

  static LeadRecord lead(Handle h, String leadId) {
    return LeadReads.lead(h, leadId)
        .orElseThrow(() -> ProblemException.notFound("no lead with id '" + leadId + "'; create it with PUT /v1/leads/" + leadId));
  }


  /**
   * Enrols a lead in the named program, or, with none named, in the track of its fit x engagement
   * quadrant (scoring.yaml {@code tracks}). Idempotent: a lead with a journey gets that journey.
   * Temporal away or late: the enrolment waits in the outbox ({@link #enrolQueued} starts it).
   */
  public Enrolment enrol(String leadId, Optional<String> programId) {
    Checked checked = checks.run(leadId, programId);
    // Idempotent: a lead with a journey gets that journey (Temporal asked, its row read once, here).
    if (checked.existing().isPresent()) {
      return Enrolment.of(Outcome.FOUND, mirror.view(checked.existing().get()));
    }
    return startOrQueue(checked, programId);
  }

  /**
   * {@link #enrol} for a caller that needs only how it went (an MA system's call). For a lead enrolled
   * already it skips the view's workflow query (a task a worker answers, replaying the journey when it
   * is not cached) and only describes the workflow, so a run closed from outside still raises its
   * alert, as reading the journey does.
   */
  public Outcome enrolIfNew(String leadId, Optional<String> programId) {
    Checked checked = checks.run(leadId, programId);
    if (checked.existing().isPresent()) {
      mirror.execution(checked.existing().get());
      return Outcome.FOUND;
    }
    return startOrQueue(checked, programId).outcome();
  }

  /**
   * The start, or, when Temporal is away or does not answer within {@code temporal.call_timeout}
   * (presumed down, UNAVAILABLE or DEADLINE_EXCEEDED), the enrolment queued in the outbox behind the
   * lead's waiting entries: a 202 instead of a 503 the client would have to retry (an MA system's
   * webhook often does not). A start that did happen but was answered late is found by the queued
   * one's start (already started), so the lead still has one journey. While an enrolment of the lead
   * waits, a repeat is answered with it (202), whatever program it names, until it has started.
   */
  private Enrolment startOrQueue(Checked checked, Optional<String> programId) {
    String leadId = checked.lead().id();
    if (checked.queued().isPresent()) {
      // A repeat while one waits is that one, even with Temporal back: started here, the journey would
      // take the events waiting behind it as history (scored, never reacted to) and then ignore them.
      return Enrolment.queued(leadId, checked.queued().get());
    }
    try {
      return Enrolment.of(Outcome.STARTED, start(checked));
    } catch (RuntimeException e) {
      if (!TemporalAvailability.isUnavailable(e)) {
        throw e;
      }
      Instant now = clock.instant();
      EventOutbox.WaitingEnrolment waiting = jdbi.inTransaction(h -> {
        Optional<Long> seq = outbox.enqueueEnrolment(h, leadId, programId, IntakeLane.ONE_AT_A_TIME);
        if (seq.isPresent()) {
          noteEnrolment(h, leadId, now, "enrolment_queued", programId.orElse(checked.program().id()),
              "the workflow service did not answer in time; the journey starts when it does", String.valueOf(seq.get()));
        }
        return outbox.waitingEnrolment(h, leadId).orElse(new EventOutbox.WaitingEnrolment(programId, now));
      });
      log.warn("enrolment of lead {} in {} queued: Temporal did not answer ({}); it starts when Temporal does", leadId,
          programId.orElse("its track"), e instanceof ProblemException ? "presumed down" : e.getClass().getSimpleName());
      return Enrolment.queued(leadId, waiting);
    }
  }

  /**
   * Starts an enrolment the outbox kept while Temporal was away ({@link OutboxDispatcher}), with the
   * checks of a new enrolment made again now: a lead that has a journey meanwhile keeps it, and one
   * that can no longer be enrolled (unsubscribed, outside the audience, the program withdrawn) is not
   * started, {@code enrolment_refused} on its timeline with the reason. The journey takes as history
   * only the events stored before its enrolment was queued: those accepted after it wait behind it in
   * the outbox and reach the journey as events, which it reacts to. @throws RuntimeException when
   * Temporal is still away or late (the entry waits on)
   */
  public void enrolQueued(LeadRecord lead, Optional<String> programId, IntakeLane lane) {
    if (mirror.row(lead.id()).isPresent()) { // a journey meanwhile: a trigger's, or the late start's own row
      log.info("queued enrolment of lead {}: it has a journey already", lead.id());
      return;
    }
    Checked checked;
    try {
      checked = checks.run(lead.id(), programId);
    } catch (ProblemException refused) {
      refuseQueued(lead, programId, refused);
      return;
    }
    if (checked.existing().isPresent()) {
      log.info("queued enrolment of lead {}: it has a journey already ({})", lead.id(), checked.existing().get().status());
      return;
    }
    java.util.Set<String> later = jdbi.withHandle(h -> outbox.waitingEvents(h, lead.id()));
    List<LeadEvent> history = checked.history().stream().filter(e -> !later.contains(e.id())).toList();
    start(checked.lead(), checked.program(), Optional.empty(), checked.track(), history, lane);
  }

  /**
   * A queued enrolment the checks refuse now. Not when its lead was erased meanwhile (dropped, nothing
   * written), nor when the start that was answered late did happen (the journey runs, its mirror row
   * not yet written by its first transition): that would leave the events behind it to be handed over
   * as if no journey ran, so it throws and the entry is tried again shortly, when the row is there.
   */
  private void refuseQueued(LeadRecord lead, Optional<String> programId, ProblemException refused) {
    if (jdbi.withHandle(h -> LeadReads.lead(h, lead.id())).isEmpty()) {
      log.info("queued enrolment of lead {} dropped: the lead is gone", lead.id());
      return;
    }
    JourneyExecutions.Execution execution = mirror.describe(LeadJourneyWorkflow.workflowId(lead.id()));
    if (execution.status().equals(JourneyResponse.UNKNOWN)) {
      throw ProblemException.unavailable("the workflow service did not describe the journey; retry shortly");
    }
    if (execution.known() && !execution.closed()) {
      throw new IllegalStateException("lead " + lead.id() + ": a journey runs (a start answered late) without its mirror row yet");
    }
    Instant now = clock.instant();
    jdbi.useHandle(h -> noteEnrolment(h, lead.id(), now, "enrolment_refused", programId.orElse("track"),
        refused.problem().detail(), String.valueOf(now.toEpochMilli())));
    log.info("queued enrolment of lead {} in {} not started: {}", lead.id(), programId.orElse("its track"),
        refused.problem().detail());
  }

  /** A queued enrolment's timeline entry ({@code kind}: queued or refused), keyed by {@code kind/lead/key}. */
  private static void noteEnrolment(Handle h, String leadId, Instant at, String kind, String program, String reason,
      String key) {
    Map<String, Object> detail = new java.util.LinkedHashMap<>();
    detail.put("program", program);
    detail.put("reason", reason);
    h.attach(TimelineDao.class).append(leadId, at, kind, detail, kind + "/" + leadId + "/" + key);
  }

  private JourneyResponse start(Checked checked) {
    return start(checked.lead(), checked.program(), Optional.empty(), checked.track(), checked.history(),
        IntakeLane.ONE_AT_A_TIME);
  }

  public boolean inAudience(LeadRecord lead, Program program) {
    return program.audience().map(a -> a.test(facts.of(lead, clock.instant()))).orElse(true);
  }

  /**
   * A program an event triggered: offered to the running journey (which switches if it outranks the
   * running program), or started when the lead has no running journey. Leads that unsubscribed,
   * were disqualified or graduated to sales are not started again. @return what happened, for the timeline
   */
  public String triggered(LeadRecord lead, Program program, LeadEvent event, IntakeLane lane) {
    Optional<JourneyRow> row = mirror.row(lead.id());
    if (runs(row)) {
      if (mirror.signal(row.get(),
          running -> running.offer(new TrackOffer(event.id(), program, "event " + event.type().wireName() + " " + event.id())))) {
        return "offered to the running journey";
      }
      log.info("journey of lead {} ended before the trigger arrived; starting {}", lead.id(), program.ref());
    }
    Optional<String> refused = reentryRefusal(lead, row);
    if (refused.isPresent()) {
      return refused.get();
    }
    start(lead, program, Optional.of(event), Optional.empty(), facts.history(lead), lane);
    return "started";
  }

  /**
   * Why the lead cannot start a new journey run now, or empty when it can: UNSUBSCRIBED,
   * DISQUALIFIED and GRADUATED never re-enter; RECYCLED waits out the cool-down; the address must
   * still be mailable.
   */
  private Optional<String> reentryRefusal(LeadRecord lead, Optional<JourneyRow> row) {
    boolean mailable = !checks.suppressed(lead) && !"none".equals(lead.consent());
    return com.nurture.workflows.journey.Reentry.refusal(row.map(r -> JourneyStatus.valueOf(r.status())),
        row.map(JourneyRow::updatedAt).orElse(clock.instant()), mailable, settings.reentryCooldown(), clock.instant());
  }

  private boolean showsRenewedInterest(LeadEvent event) {
    Tracks tracks = scoring.tracks();
    return tracks.on() && tracks.showsRenewedInterest(event.seen(0));
  }

  private static boolean recycled(Optional<JourneyRow> row) {
    return row.isPresent() && row.get().status().equals("RECYCLED");
  }

  /** Whether {@link #reenterOnInterest} would act on this event, given the lead's journey (read already). */
  public boolean mayReenter(Optional<JourneyRow> row, LeadEvent event) {
    return recycled(row) && showsRenewedInterest(event);
  }

  /** Whether this journey runs: there is one, and it has not ended ({@link JourneyCommands#deliver} signals it). */
  public static boolean runs(Optional<JourneyRow> row) {
    return row.isPresent() && !JourneyStatus.valueOf(row.get().status()).isTerminal();
  }

  /**
   * Renewed interest that no trigger claimed: a RECYCLED lead whose event is one of the track
   * matrix's {@code reentry_on} re-enters on the track of its quadrant now (its new behaviour
   * included). On the timeline as {@code reentry}, whatever the outcome. @return the outcome, when the event was renewed interest
   */
  public Optional<String> reenterOnInterest(LeadRecord lead, LeadEvent event, IntakeLane lane) {
    if (!showsRenewedInterest(event)) {
      return Optional.empty();
    }
    Optional<JourneyRow> row = mirror.row(lead.id());
    if (!recycled(row)) {
      return Optional.empty();
    }
    List<LeadEvent> history = facts.history(lead);
    Track track = checks.trackFor(lead, history);
    Optional<Program> program = programs.latest(track.program());
    String outcome = reentryRefusal(lead, row).orElseGet(() -> program.isEmpty()
        ? "not started: the track's program " + track.program() + " is not published" : null);
    if (outcome == null) {
      start(lead, program.get(), Optional.of(event), Optional.of(track), history, lane);
      outcome = "re-entered on " + program.get().ref();
    }
    Map<String, Object> detail = new java.util.LinkedHashMap<>();
    detail.put("event_id", event.id());
    detail.put("quadrant", track.quadrant().key());
    detail.put("program", track.program());
    detail.put("outcome", outcome);
    jdbi.onDemand(com.nurture.activities.db.TimelineDao.class).append(lead.id(), event.occurredAt(), "reentry", detail,
        "reentry/" + lead.id() + "/" + event.id());
    log.info("renewed interest of recycled lead {} ({} {}): {}", lead.id(), event.type().wireName(), event.id(), outcome);
    return Optional.of(outcome);
  }

  /**
   * @param history the lead's stored events, seen and scored by the journey from its start
   * @param lane one lead at a time, or a batch's: the workflow's Temporal priority (IntakeLane)
   */
  private JourneyResponse start(LeadRecord lead, Program program, Optional<LeadEvent> trigger, Optional<Track> track,
      List<LeadEvent> history, IntakeLane lane) {
    String leadId = lead.id();
    String workflowId = LeadJourneyWorkflow.workflowId(leadId);
    WorkflowExecution execution;
    // Before the start: the mirror row written below must date from before every transition of the journey.
    Instant requested = clock.instant();
    boolean confirming = "pending".equals(lead.consent());
    if (temporal.presumedDown()) {
      throw ProblemException.unavailable("the workflow service is not answering; retry shortly");
    }
    try {
      JourneyInput input = JourneyInput.enrol(leadId, LeadFacts.attributes(lead), program);
      input.state().withScoring(scoring).withSettings(settings).withHistory(history);
      if (confirming) {
        // Double opt-in: the journey first asks the lead to confirm, and starts the program when it does.
        input.state().requiringConfirmation(settings.confirmWithin());
      }
      track.ifPresent(t -> input.state().withAssignedTrack(t.program(), t.quadrant().key()));
      trigger.ifPresent(input::startedBy);
      // Searchable from the start (status, program, version, first step, owner id; never an address
      // or a name); the journey keeps them current. The summary names the lead by id only.
      WorkflowOptions.Builder options = WorkflowOptions.newBuilder().setWorkflowId(workflowId)
          .setTaskQueue(LeadJourneyWorkflow.TASK_QUEUE)
          .setTypedSearchAttributes(JourneySearchAttributes.atStart(input))
          .setStaticSummary("lead " + leadId + " in " + program.ref());
      lane.workflowPriority().ifPresent(options::setPriority);
      // A sign-up's first workflow task in the start's answer, run by this process's worker: under a
      // burst the worker's pollers all serve its sticky queue, and the task would wait unpolled
      // (docs/architecture.md, "Eager start for sign-ups").
      options.setDisableEagerExecution(!(temporal.eagerStart() && lane.startsEagerly()));
      LeadJourneyWorkflow stub = temporal.client().newWorkflowStub(LeadJourneyWorkflow.class, options.build());
      execution = temporal.call(() -> WorkflowClient.start(stub::run, input));
      log.info("enrolled lead {} in {} ({})", leadId, program.ref(), execution.getRunId());
    } catch (WorkflowExecutionAlreadyStarted e) {
      execution = e.getExecution();
    }
    String runId = execution.getRunId();
    // The mirror row and the answer on one pooled connection (the DAO calls inside share it).
    return jdbi.withHandle(h -> {
      JourneyDao journeys = h.attach(JourneyDao.class);
      journeys.insertIfAbsent(leadId, workflowId, runId, program.id(),
          program.version(), confirming ? JourneyStatus.AWAITING_CONFIRMATION.name() : JourneyStatus.ACTIVE.name(),
          program.steps().get(0).id(), requested);
      // Just started (or found running): the ledger and timeline have nothing of it yet, or the first send.
      // The lead was read for the checks: only its journey row is read again.
      JourneyRow row = LeadReads.journey(h, leadId).orElseThrow(
          () -> new IllegalStateException("lead " + leadId + ": no journey row after its start"));
      return mirror.mirror(row).with(JourneyResponse.RUNNING, null);
    });
  }
}
