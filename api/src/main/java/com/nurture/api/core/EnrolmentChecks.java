package com.nurture.api.core;

import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.db.JourneyRow;
import com.nurture.activities.db.LeadReads;
import com.nurture.activities.db.LeadRecord;
import com.nurture.activities.journal.LeadFacts;
import com.nurture.api.errors.Problem;
import com.nurture.api.errors.ProblemException;
import com.nurture.workflows.journey.LeadEvent;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.scoring.ScoringModel;
import com.nurture.workflows.scoring.Tracks;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Whether a lead may be enrolled now, and in what ({@link JourneyService}'s enrolments): the lead,
 * its journey if it has one, the program (named, or its quadrant's track), its address and consent,
 * the program's audience, and its enrolment waiting in the outbox. A refusal is a {@link ProblemException}.
 */
final class EnrolmentChecks {
  private final Jdbi jdbi;
  private final ProgramCatalog programs;
  private final LeadFacts facts;
  private final ScoringModel scoring;
  private final EventOutbox outbox;
  private final Clock clock;
  private final JourneyMirror mirror;

  EnrolmentChecks(Jdbi jdbi, ProgramCatalog programs, LeadFacts facts, ScoringModel scoring, EventOutbox outbox,
      Clock clock, JourneyMirror mirror) {
    this.jdbi = jdbi;
    this.programs = programs;
    this.facts = facts;
    this.scoring = scoring;
    this.outbox = outbox;
    this.clock = clock;
    this.mirror = mirror;
  }

  /**
   * The checks on one pooled connection (JDBI's handle scope: the DAO calls inside share it), none
   * held across the start: one borrow, not seven, per enrolment.
   */
  Checked run(String leadId, Optional<String> programId) {
    return jdbi.withHandle(h -> check(leadId, programId));
  }

  /**
   * What an enrolment's checks found: the lead's journey row when it has one, else what its start
   * needs, and its enrolment waiting in the outbox when one does.
   */
  record Checked(Optional<JourneyRow> existing, LeadRecord lead, Program program, Optional<Track> track,
      List<LeadEvent> history, Optional<EventOutbox.WaitingEnrolment> queued) {
    static Checked alreadyEnrolled(LeadRecord lead, JourneyRow row) {
      return new Checked(Optional.of(row), lead, null, Optional.empty(), List.of(), Optional.empty());
    }
  }

  private Checked check(String leadId, Optional<String> programId) {
    LeadRecord lead = jdbi.withHandle(h -> JourneyService.lead(h, leadId));
    if (programId.isEmpty()) {
      Optional<JourneyRow> row = mirror.row(leadId);
      if (row.isPresent()) {
        return Checked.alreadyEnrolled(lead, row.get());
      }
    }
    List<LeadEvent> history = facts.history(lead);
    Optional<Track> track = programId.isPresent() ? Optional.empty() : Optional.of(trackFor(lead, history));
    String id = programId.orElseGet(() -> track.orElseThrow().program());
    Program program = programs.latest(id)
        .orElseThrow(() -> programId.isPresent()
            ? new ProblemException(jakarta.ws.rs.core.Response.Status.NOT_FOUND, "no published program '" + id + "'",
                List.of(new com.nurture.api.errors.FieldError("program", "unknown program '" + id + "'")))
            : ProblemException.conflict("the track matrix names program '" + id + "' for quadrant "
                + track.orElseThrow().quadrant().key() + ", but it is not published"));
    // A named program is checked here, after it is known to exist (an unknown one is a 404 first);
    // without one, the journey was read at the top.
    if (programId.isPresent()) {
      Optional<JourneyRow> row = mirror.row(leadId);
      if (row.isPresent()) {
        return Checked.alreadyEnrolled(lead, row.get());
      }
    }
    if (suppressed(lead)) {
      throw ProblemException.conflict("the lead's address is on the suppression list (unsubscribed); it cannot be enrolled");
    }
    if ("none".equals(lead.consent())) {
      throw ProblemException.conflict("the lead has not consented to email (consent: none); it cannot be enrolled");
    }
    if (!program.audience().map(a -> a.test(facts.of(lead, history, clock.instant()))).orElse(true)) {
      throw new ProblemException(Problem.UNPROCESSABLE, "lead '" + leadId + "' is outside the audience of program '"
          + program.id() + "'", List.of(new com.nurture.api.errors.FieldError("program",
              "the lead does not meet this program's audience condition")));
    }
    return new Checked(Optional.empty(), lead, program, track, history,
        jdbi.withHandle(h -> outbox.waitingEnrolment(h, leadId)));
  }

  /** A track the matrix chose: the quadrant, and its program. */
  record Track(Tracks.Quadrant quadrant, String program) {}

  /** The track of the lead's quadrant now (its fit, and its engagement from the events it sent). */
  Track trackFor(LeadRecord lead, List<LeadEvent> history) {
    Tracks tracks = scoring.tracks();
    if (!tracks.on()) {
      throw new ProblemException(Problem.UNPROCESSABLE, "no program named, and no track matrix is configured",
          List.of(new com.nurture.api.errors.FieldError("program", "is required when scoring.yaml has no tracks")));
    }
    Tracks.Quadrant q = tracks.quadrant(scoring.scoreOf(facts.of(lead, history, clock.instant())));
    return new Track(q, tracks.programFor(q).orElseThrow());
  }


  boolean suppressed(LeadRecord lead) {
    return jdbi.withHandle(h -> LeadReads.suppressed(h, lead.email()));
  }
}
