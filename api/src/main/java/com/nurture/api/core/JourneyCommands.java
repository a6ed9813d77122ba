package com.nurture.api.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.db.JourneyDao;
import com.nurture.activities.db.JourneyRow;
import com.nurture.activities.db.LeadReads;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.representations.HistoryPage;
import com.nurture.api.representations.JourneyResponse;
import com.nurture.workflows.journey.JourneyCommand;
import com.nurture.workflows.journey.JourneyView;
import com.nurture.workflows.journey.EventDeliveries;
import com.nurture.workflows.journey.EventDelivery;
import com.nurture.workflows.journey.LeadEvent;
import com.nurture.workflows.journey.LeadJourneyWorkflow;
import com.nurture.workflows.journey.SalesFeedback;
import com.nurture.workflows.program.Program;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A lead's journey after its start, through Temporal: view, command, migrate, sales feedback, signal, history. */
public final class JourneyCommands {
  private static final Logger log = LoggerFactory.getLogger(JourneyCommands.class);

  private final TemporalConnection temporal;
  private final Jdbi jdbi;
  private final ProgramCatalog programs;
  private final ObjectMapper json;
  private final JourneyMirror mirror;
  private final EventOutbox outbox;

  public JourneyCommands(TemporalConnection temporal, Jdbi jdbi, ProgramCatalog programs, ObjectMapper json,
      JourneyMirror mirror) {
    this.temporal = temporal;
    this.jdbi = jdbi;
    this.programs = programs;
    this.json = json;
    this.mirror = mirror;
    this.outbox = new EventOutbox(jdbi);
  }

  /** The lead's journey row; the lead (for its 404) and the row on one pooled connection. */
  private JourneyRow row(String leadId) {
    return jdbi.withHandle(h -> {
      JourneyService.lead(h, leadId);
      return LeadReads.journey(h, leadId).orElseThrow(() -> ProblemException.notFound(outbox.waitingEnrolment(h, leadId)
          .map(w -> "lead '" + leadId + "' has no journey yet: its enrolment in " + w.program().orElse("its track")
              + " waits since " + w.since() + " for the workflow service, and starts when it answers")
          .orElse("lead '" + leadId + "' has no journey; enrol it with POST /v1/leads/" + leadId + "/journey")));
    });
  }

  /**
   * The whole story of the lead's journey, live or ended. Temporal is asked first, for a closed
   * workflow too (it answers the {@code view} query while the namespace keeps the workflow); when
   * it cannot answer, PostgreSQL does (the mirror row, the send ledger, the timeline's exit). The
   * answer carries Temporal's status of the workflow and the latest hand-off; a workflow closed by
   * failure, termination, time-out or cancellation raises one {@code journey_workflow_closed}
   * alert per run.
   */
  public JourneyResponse view(String leadId) {
    return mirror.view(row(leadId));
  }

  /** An update's answer: the workflow ran it, so it is running; with the latest hand-off. */
  private JourneyResponse updated(JourneyRow row, JourneyView view) {
    return JourneyResponse.live(row, view).with(JourneyResponse.RUNNING, mirror.handOff(row));
  }

  public JourneyResponse command(String leadId, JourneyCommand command) {
    JourneyRow row = row(leadId);
    try {
      return updated(row, temporal.slow(() -> stub(row).command(command)));
    } catch (WorkflowUpdateException e) {
      String reason = e.getCause() instanceof ApplicationFailure f ? f.getOriginalMessage() : e.getMessage();
      throw ProblemException.conflict("cannot " + command.kind().name().toLowerCase() + " this journey: " + reason);
    } catch (WorkflowNotFoundException e) {
      throw ProblemException.conflict("cannot " + command.kind().name().toLowerCase() + " this journey: it has ended ("
          + row.status() + ")");
    }
  }

  /**
   * A bulk migration's outcome: who moved, and who was refused and why. In a dry run ({@code
   * dryRun}) nothing moved: {@code migrated} lists who would move ({@link MigrationPlan}).
   */
  public record Migration(String to, List<String> migrated, List<Map<String, String>> refused,
      @com.fasterxml.jackson.annotation.JsonProperty("dry_run") boolean dryRun) {}

  /** Moves one lead's journey to a version of its program (default: the latest). 409 with the reason when it cannot. */
  public JourneyResponse migrate(String leadId, Optional<Integer> version) {
    JourneyRow row = row(leadId);
    Program target = target(row.programId(), version);
    try {
      return updated(row, temporal.slow(() -> stub(row).migrate(target)));
    } catch (WorkflowUpdateException e) {
      throw ProblemException.conflict("cannot migrate to " + target.ref() + ": " + reason(e));
    } catch (WorkflowNotFoundException e) {
      throw ProblemException.conflict("cannot migrate: the journey has ended (" + row.status() + ")");
    }
  }

  /**
   * What {@link #migrateAll} would do, decided from the journeys mirror without asking any
   * workflow: who would move and who would be refused, and why.
   */
  public Migration migrationDryRun(String programId, int from, Optional<Integer> to, int limit) {
    Program target = target(programId, to);
    Program running = target(programId, Optional.of(from));
    return MigrationPlan.of(running, target, jdbi.onDemand(JourneyDao.class).running(programId, from, limit));
  }

  /** Moves every running journey on {@code programId@from} to {@code to} (default: latest), up to {@code limit}. */
  public Migration migrateAll(String programId, int from, Optional<Integer> to, int limit) {
    Program target = target(programId, to);
    List<String> migrated = new ArrayList<>();
    List<Map<String, String>> refused = new ArrayList<>();
    for (JourneyRow row : jdbi.onDemand(JourneyDao.class).running(programId, from, limit)) {
      try {
        temporal.slow(() -> stub(row).migrate(target));
        migrated.add(row.leadId());
      } catch (WorkflowUpdateException e) {
        refused.add(Map.of("lead_id", row.leadId(), "reason", reason(e)));
      } catch (WorkflowNotFoundException e) {
        refused.add(Map.of("lead_id", row.leadId(), "reason", "the journey has ended"));
      }
    }
    log.info("migrated {} journeys from {}@{} to {} ({} refused)", migrated.size(), programId, from, target.ref(), refused.size());
    return new Migration(target.ref(), migrated, refused, false);
  }

  private Program target(String programId, Optional<Integer> version) {
    return (version.isPresent() ? programs.version(programId, version.get()) : programs.latest(programId))
        .orElseThrow(() -> ProblemException.notFound("no program " + programId + version.map(v -> "@" + v).orElse("")));
  }

  private static String reason(WorkflowUpdateException e) {
    return e.getCause() instanceof ApplicationFailure f ? f.getOriginalMessage() : e.getMessage();
  }

  /** Sales' answer to a hand-off; 409 with the reason when the lead is not handed off. */
  public JourneyResponse salesFeedback(String leadId, SalesFeedback feedback) {
    JourneyRow row = row(leadId);
    try {
      return updated(row, temporal.slow(() -> stub(row).salesFeedback(feedback)));
    } catch (WorkflowUpdateException e) {
      throw ProblemException.conflict("cannot record sales feedback: " + reason(e));
    } catch (WorkflowNotFoundException e) {
      throw ProblemException.conflict("cannot record sales feedback: the journey has ended (" + row.status() + ")");
    }
  }

  /**
   * The event, and the programs it triggers, to the lead's running journey in one signal: the
   * journey decides what they mean. @return false when the lead has no running journey
   */
  public boolean deliver(String leadId, LeadEvent event, List<Program> triggered) {
    return deliverAll(leadId, List.of(new EventDelivery(event, triggered)));
  }

  /**
   * Several events of the lead, each with the programs it triggers, to its running journey in order,
   * in one signal ({@code deliverAll}; one alone goes as {@code deliver}, and all do with {@code
   * temporal.deliver_all} off); at most {@link EventDeliveries#MAX}. @return false when the lead has no
   * running journey
   */
  public boolean deliverAll(String leadId, List<EventDelivery> deliveries) {
    var row = mirror.row(leadId);
    return JourneyService.runs(row) && deliverAll(row.get(), deliveries);
  }

  /**
   * {@link #deliverAll(String, List)} to the journey of {@code row}, read running just before (in the
   * transaction that stored the events): false when it has ended since.
   */
  public boolean deliverAll(JourneyRow row, List<EventDelivery> deliveries) {
    if (deliveries.isEmpty() || deliveries.size() > EventDeliveries.MAX) {
      throw new IllegalArgumentException("one signal carries 1 to " + EventDeliveries.MAX + " events, not " + deliveries.size());
    }
    return mirror.signal(row, running -> {
      if (deliveries.size() == 1) {
        running.deliver(deliveries.get(0));
      } else if (temporal.deliverAll()) {
        running.deliverAll(new EventDeliveries(deliveries));
      } else { // temporal.deliver_all off: workers of an earlier release may still run this journey
        deliveries.forEach(running::deliver);
      }
    });
  }

  /** A page of the journey's workflow history, payloads decoded, activities and timers named by step. */
  public HistoryPage history(String leadId, int pageSize, long afterEventId) {
    return new JourneyHistory(temporal, json).page(row(leadId), pageSize, afterEventId);
  }

  private LeadJourneyWorkflow stub(JourneyRow row) {
    return mirror.stub(row.workflowId());
  }
}
