package com.nurture.activities.db;

import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(JourneyRow.class)
public interface JourneyDao {
  String FIND = "SELECT * FROM journeys WHERE lead_id = :leadId";

  @SqlQuery(FIND)
  Optional<JourneyRow> find(@Bind("leadId") String leadId);

  /** The journeys of these leads (none for a lead that never had one), in no particular order. */
  @SqlQuery("SELECT * FROM journeys WHERE lead_id = ANY(:leadIds)")
  java.util.List<JourneyRow> findAll(@Bind("leadIds") String[] leadIds);

  /** Journeys still running a version of a program (for migrating them). */
  @SqlQuery("""
      SELECT * FROM journeys WHERE program_id = :programId AND program_version = :version
        AND status NOT IN ('GRADUATED', 'RECYCLED', 'DISQUALIFIED', 'UNSUBSCRIBED', 'COMPLETED', 'UNCONFIRMED')
      ORDER BY lead_id LIMIT :limit""")
  java.util.List<JourneyRow> running(@Bind("programId") String programId, @Bind("version") int version,
      @Bind("limit") int limit);

  /**
   * Written by the API on enrolment; the workflow's own transitions win whether they came first or
   * not: the row is dated {@code requestedAt}, taken before the workflow was started, so every
   * transition (dated by the workflow's clock, at or after its start) is newer.
   */
  @SqlUpdate("""
      INSERT INTO journeys (lead_id, workflow_id, run_id, program_id, program_version, status, current_step, enrolled_at,
                            updated_at)
      VALUES (:leadId, :workflowId, :runId, :programId, :programVersion, :status, :currentStep, :requestedAt, :requestedAt)
      ON CONFLICT (lead_id) DO NOTHING""")
  int insertIfAbsent(@Bind("leadId") String leadId, @Bind("workflowId") String workflowId, @Bind("runId") String runId,
      @Bind("programId") String programId, @Bind("programVersion") int programVersion, @Bind("status") String status,
      @Bind("currentStep") String currentStep, @Bind("requestedAt") Instant requestedAt);

  /**
   * Written by the workflow on every transition (through {@link JourneyStatements#upsert}); an older
   * transition arriving late does not overwrite a newer one.
   */
  String UPSERT = """
      INSERT INTO journeys (lead_id, workflow_id, run_id, program_id, program_version, status, current_step,
                            next_action_at, enrolled_at, score, updated_at)
      VALUES (:leadId, :workflowId, :runId, :programId, :programVersion, :status, :currentStep, :nextActionAt,
              :enrolledAt, :score, :at)
      ON CONFLICT (lead_id) DO UPDATE SET workflow_id = excluded.workflow_id, run_id = excluded.run_id,
        program_id = excluded.program_id, program_version = excluded.program_version, status = excluded.status,
        current_step = excluded.current_step, next_action_at = excluded.next_action_at,
        enrolled_at = excluded.enrolled_at, score = excluded.score, updated_at = excluded.updated_at
      WHERE journeys.updated_at <= excluded.updated_at""";

  @SqlUpdate(UPSERT)
  void upsert(@Bind("leadId") String leadId, @Bind("workflowId") String workflowId, @Bind("runId") String runId,
      @Bind("programId") String programId, @Bind("programVersion") int programVersion, @Bind("status") String status,
      @Bind("currentStep") String currentStep, @Bind("nextActionAt") Instant nextActionAt,
      @Bind("enrolledAt") Instant enrolledAt, @Bind("score") int score, @Bind("at") Instant at);
}
