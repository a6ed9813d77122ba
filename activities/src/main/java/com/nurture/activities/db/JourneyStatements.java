package com.nurture.activities.db;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * The statements every journey transition runs (its {@code journeys} row, its timeline entries), on
 * JDBI's fluent API, for the reason {@link SendStatements} gives: through the DAOs, the transitions'
 * local activity attached {@link JourneyDao} and {@link TimelineDao} anew on every call, and in a
 * burst's profile that machinery was most of its CPU (docs/benchmarks.md, "2026-12-07 06:23-09:07").
 * The SQL is the DAO methods' own.
 */
public final class JourneyStatements {
  /** A timeline entry to append: {@link TimelineDao#append}'s parameters. */
  public record Entry(String leadId, Instant at, String kind, Map<String, Object> detail, String dedupeKey) {}

  private JourneyStatements() {}

  /** As {@link JourneyDao#upsert}. */
  public static void upsert(Handle h, String leadId, String workflowId, String runId, String programId,
      int programVersion, String status, String currentStep, Instant nextActionAt, Instant enrolledAt, int score,
      Instant at) {
    FluentStatement.update(h, JourneyDao.UPSERT, JourneyDao.class, "upsert").bind("leadId", leadId)
        .bind("workflowId", workflowId).bind("runId", runId).bind("programId", programId)
        .bind("programVersion", programVersion).bind("status", status).bind("currentStep", currentStep)
        .bind("nextActionAt", nextActionAt).bind("enrolledAt", enrolledAt).bind("score", score).bind("at", at)
        .execute();
  }

  /**
   * As {@link TimelineDao#append} for each entry, in order, in one batch (one round trip): a
   * transition's entries, and the API's accepted events' ({@code EventIntake}).
   */
  public static void append(Handle h, List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    PreparedBatch batch = FluentStatement.batch(h, TimelineDao.APPEND, TimelineDao.class, "append");
    for (Entry e : entries) {
      batch.bind("leadId", e.leadId()).bind("at", e.at()).bind("kind", e.kind())
          .bindByType("detail", e.detail(), JsonObjectColumn.TYPE).bind("dedupeKey", e.dedupeKey()).add();
    }
    batch.execute();
  }
}
