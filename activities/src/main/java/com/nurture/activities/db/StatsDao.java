package com.nurture.activities.db;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.sqlobject.SqlObject;

/**
 * The statistics operators read (docs/analytics.md), aggregated in PostgreSQL over the business
 * record: the send ledger, events, tracking hits, hand-offs, the journeys mirror and the timeline.
 * Every condition is a constant fragment; values are bound, never spliced.
 */
public interface StatsDao extends SqlObject {
  /** What to count: one program (and optionally one version), or all; a period; a lead segment. */
  record Scope(Optional<String> program, Optional<Integer> version, Instant from, Instant to, Optional<String> segment) {}

  /** Events that count against the email they answer (docs/analytics.md, "Attribution"). */
  String EMAIL_EVENTS = "'email_opened', 'email_clicked', 'replied', 'unsubscribed', 'complained', 'bounced'";
  /** What makes a lead engaged: a person's action, never an open (docs/analytics.md, "Engaged"). */
  String ENGAGEMENT_EVENTS = "'email_clicked', 'replied', 'content_downloaded', 'form_submitted', "
      + "'webinar_registered', 'webinar_attended', 'demo_requested'";

  /**
   * A period cut for the day counters: the whole UTC days {@code [firstDay, endDay)} read from a
   * {@code *_daily} table, and the partial days {@code [from, edgeStart)} and {@code [edgeEnd, to)}
   * read from the rows themselves (an index range of at most two days).
   */
  record Days(Instant edgeStart, Instant edgeEnd) {
    static Days of(Scope scope) {
      Instant firstMidnight = scope.from().truncatedTo(ChronoUnit.DAYS);
      if (firstMidnight.isBefore(scope.from())) {
        firstMidnight = firstMidnight.plus(1, ChronoUnit.DAYS);
      }
      Instant lastMidnight = scope.to().truncatedTo(ChronoUnit.DAYS);
      boolean days = firstMidnight.isBefore(lastMidnight);
      return new Days(days ? firstMidnight : scope.to(), days ? lastMidnight : scope.to());
    }

    Query bind(Query q) {
      return q.bind("edgeStart", edgeStart).bind("edgeEnd", edgeEnd)
          .bind("firstDay", LocalDate.ofInstant(edgeStart, ZoneOffset.UTC))
          .bind("endDay", LocalDate.ofInstant(edgeEnd, ZoneOffset.UTC));
    }
  }

  /**
   * Folds the rollup's journal (V34: the ledger's changes since the last fold) into its counters and
   * entrants, after a fold under way: what a reader of {@link #steps} and {@link #outcome} does first,
   * so that they count every write committed before it. Call it in a statement of its own (a handle
   * without a transaction): inside a longer transaction it would hold the fold's lock, and the locks
   * of every row it folded, until that transaction ends. The number of journal rows folded.
   */
  default long foldJournal() {
    return foldJournal(true);
  }

  /**
   * {@link #foldJournal()}; with {@code wait} false it returns 0 at once while another session folds
   * (the background {@link StepCountFolder}, whose next round folds what this one left).
   */
  default long foldJournal(boolean wait) {
    return getHandle().createQuery("SELECT step_counts_fold(:wait)").bind("wait", wait).mapTo(Long.class).one();
  }

  /**
   * Per step and variant from the rollup (V20, V27): the whole UTC days of the period from
   * {@code step_counts_daily}, the partial days at its ends from the flags on the ledger rows
   * (the MQL within 30 days is one of them, {@code mql_30d}). Gives what {@link #recountSteps} gives,
   * once the journal is folded ({@link #foldJournal}).
   */
  default List<StepStatsRow> steps(Scope scope) {
    String sql = """
        WITH counts AS (
          SELECT step_id, variant, min(first_at) AS first_at, sum(entered)::bigint AS entered, sum(sent)::bigint AS sent,
                 sum(failed)::bigint AS failed, sum(held_out)::bigint AS held_out, sum(suppressed)::bigint AS suppressed,
                 sum(unknown)::bigint AS unknown, sum(bounced)::bigint AS bounced, sum(human_opens)::bigint AS human_opens,
                 sum(machine_opens)::bigint AS machine_opens, sum(human_clicks)::bigint AS human_clicks,
                 sum(bot_clicks)::bigint AS bot_clicks, sum(replies)::bigint AS replies,
                 sum(unsubscribes)::bigint AS unsubscribes, sum(complaints)::bigint AS complaints,
                 sum(mql_30d)::bigint AS mql_30d
          FROM step_counts_daily
          WHERE program_id = :program %1$s AND day >= :firstDay AND day < :endDay
          GROUP BY step_id, variant, program_version, day -- a day's shards (V32) first: its entries are their sum
          UNION ALL
          SELECT step_id, variant, created_at, 1, (status = 'sent')::int, (status = 'failed')::int,
                 (status = 'held_out')::int, (status IN ('suppressed', 'suppressed_by_preference'))::int,
                 (status IN ('sending', 'retrying', 'unknown'))::int, (status = 'sent' AND bounced)::int,
                 (status = 'sent' AND human_opened)::int, (status = 'sent' AND machine_opened)::int,
                 (status = 'sent' AND human_clicked)::int, (status = 'sent' AND bot_clicked)::int,
                 (status = 'sent' AND replied)::int, (status = 'sent' AND unsubscribed)::int,
                 (status = 'sent' AND complained)::int, (status = 'sent' AND mql_30d)::int
          FROM messages
          WHERE program_id = :program %1$s
            AND ((created_at >= :from AND created_at < :edgeStart) OR (created_at >= :edgeEnd AND created_at < :to)))
        SELECT step_id, variant, sum(entered) AS entered, sum(sent) AS sent, sum(failed) AS failed,
               sum(held_out) AS held_out, sum(suppressed) AS suppressed, sum(unknown) AS unknown,
               sum(bounced) AS bounced, sum(human_opens) AS human_opens, sum(machine_opens) AS machine_opens,
               sum(human_clicks) AS human_clicks, sum(bot_clicks) AS bot_clicks, sum(replies) AS replies,
               sum(unsubscribes) AS unsubscribes, sum(complaints) AS complaints, sum(mql_30d) AS mql_30d
        FROM counts GROUP BY step_id, variant HAVING sum(entered) > 0
        ORDER BY min(first_at) FILTER (WHERE entered > 0), step_id, variant""".formatted(version(scope, ""));
    Query q = Days.of(scope).bind(bind(getHandle().createQuery(sql), scope));
    return q.map(ConstructorMapper.of(StepStatsRow.class)).list();
  }

  /**
   * Sent emails in scope ({@code sent}) followed by a hand-off of their lead within 30 days. OFFSET 0
   * keeps the lookup per hand-off (the lead's ledger rows by index) instead of a scan of the ledger.
   */
  private static String mql30d(String sent) {
    return """
        mql AS (
          SELECT x.step_id, x.variant, count(DISTINCT x.id) AS mql_30d
          FROM handoffs h CROSS JOIN LATERAL (
            SELECT x.id, x.step_id, x.variant FROM messages x
            WHERE x.lead_id = h.lead_id AND %1$s AND coalesce(x.sent_at, x.created_at) <= h.created_at
              AND coalesce(x.sent_at, x.created_at) > h.created_at - interval '30 days'
            OFFSET 0) x
          WHERE h.created_at >= :from
          GROUP BY x.step_id, x.variant)""".formatted(sent);
  }

  /**
   * {@link #steps} counted again from the raw tables (the ledger, events, tracking hits), as before
   * the rollup: what the rollup is checked against (StatsRollupTest).
   */
  default List<StepStatsRow> recountSteps(Scope scope) {
    String sent = "x.program_id = :program" + version(scope, "x.")
        + " AND x.status = 'sent' AND x.created_at >= :from AND x.created_at < :to";
    String sql = """
        WITH ledger AS (
          SELECT step_id, variant, min(created_at) AS first_at, count(*) AS entered,
                 count(*) FILTER (WHERE status = 'sent') AS sent,
                 count(*) FILTER (WHERE status = 'failed') AS failed,
                 count(*) FILTER (WHERE status = 'held_out') AS held_out,
                 count(*) FILTER (WHERE status IN ('suppressed', 'suppressed_by_preference')) AS suppressed,
                 count(*) FILTER (WHERE status IN ('sending', 'retrying', 'unknown')) AS unknown
          FROM messages WHERE program_id = :program %1$s AND created_at >= :from AND created_at < :to
          GROUP BY step_id, variant),
        ev AS MATERIALIZED (
          SELECT lead_id, type, occurred_at, btrim(properties ->> 'message_id', '<>') AS mid,
                 coalesce(properties ->> 'machine', '') = 'true' AS machine
          FROM events WHERE type IN (%2$s) AND occurred_at >= :from),
        attributed AS (
          SELECT x.id, x.step_id, x.variant, ev.type, ev.machine
          FROM ev JOIN messages x ON btrim(x.message_id, '<>') = ev.mid AND x.lead_id = ev.lead_id
          WHERE ev.type <> 'replied' AND %3$s
          UNION ALL
          SELECT x.id, x.step_id, x.variant, ev.type, ev.machine FROM ev
          CROSS JOIN LATERAL (
            SELECT l.id FROM messages l
            WHERE l.lead_id = ev.lead_id AND l.status = 'sent' AND l.created_at <= ev.occurred_at
              AND l.created_at > ev.occurred_at - interval '30 days'
            ORDER BY l.created_at DESC LIMIT 1) last
          JOIN messages x ON x.id = last.id
          WHERE (ev.mid IS NULL OR ev.mid = '' OR ev.type = 'replied') AND %3$s),
        flags AS (
          SELECT step_id, variant, id, bool_or(type = 'email_opened' AND NOT machine) AS opened,
                 bool_or(type = 'email_clicked') AS clicked, bool_or(type = 'replied') AS replied,
                 bool_or(type = 'unsubscribed') AS unsubscribed, bool_or(type = 'complained') AS complained,
                 bool_or(type = 'bounced') AS bounced
          FROM attributed GROUP BY step_id, variant, id),
        engagement AS (
          SELECT step_id, variant, count(*) FILTER (WHERE bounced) AS bounced, count(*) FILTER (WHERE opened) AS human_opens,
                 count(*) FILTER (WHERE clicked) AS human_clicks, count(*) FILTER (WHERE replied) AS replies,
                 count(*) FILTER (WHERE unsubscribed) AS unsubscribes, count(*) FILTER (WHERE complained) AS complaints
          FROM flags GROUP BY step_id, variant),
        machines AS (
          SELECT x.step_id, x.variant, count(DISTINCT x.id) FILTER (WHERE h.kind = 'open') AS machine_opens,
                 count(DISTINCT x.id) FILTER (WHERE h.kind = 'click') AS bot_clicks
          FROM tracking_hits h JOIN messages x ON x.idempotency_key = h.idempotency_key
          WHERE NOT h.human AND h.at >= :from AND %3$s
          GROUP BY x.step_id, x.variant),
        %4$s
        SELECT l.step_id, l.variant, l.entered, l.sent, l.failed, l.held_out, l.suppressed, l.unknown,
               coalesce(e.bounced, 0) AS bounced, coalesce(e.human_opens, 0) AS human_opens,
               coalesce(k.machine_opens, 0) AS machine_opens, coalesce(e.human_clicks, 0) AS human_clicks,
               coalesce(k.bot_clicks, 0) AS bot_clicks, coalesce(e.replies, 0) AS replies,
               coalesce(e.unsubscribes, 0) AS unsubscribes, coalesce(e.complaints, 0) AS complaints,
               coalesce(q.mql_30d, 0) AS mql_30d
        FROM ledger l LEFT JOIN engagement e USING (step_id, variant) LEFT JOIN machines k USING (step_id, variant)
        LEFT JOIN mql q USING (step_id, variant)
        ORDER BY l.first_at, l.step_id, l.variant""".formatted(version(scope, ""), EMAIL_EVENTS, sent, mql30d(sent));
    return bind(getHandle().createQuery(sql), scope).map(ConstructorMapper.of(StepStatsRow.class)).list();
  }

  /**
   * The leads that entered the scope's program(s) in the period, with when they entered and their
   * holdout arm: a lead enters at its first email-step row (any status) or, for a journey now in
   * the program, at its enrolment, whichever is first; held out when any of its rows is held_out.
   * (One join of two aggregates, no HAVING: the planner estimates its size and hash-joins it.)
   */
  private static String cohort(Scope scope) {
    String program = scope.program().isPresent() ? "program_id = :program" + version(scope, "") : "true";
    String journeyProgram = scope.program().isPresent() ? "j.program_id = :program" + version(scope, "j.") : "true";
    String segment = scope.segment().isPresent()
        ? "JOIN leads l ON l.id = coalesce(e.lead_id, j.lead_id)"
            + " AND lower(regexp_replace(trim(l.attributes ->> 'industry'), '\\s+', '-', 'g')) = lower(:segment)"
        : "";
    return """
        entries AS (
          SELECT lead_id, min(created_at) AS first_at, bool_or(status = 'held_out') AS held_out,
                 bool_or(status = 'sent') AS sent
          FROM messages WHERE %s GROUP BY lead_id),
        c AS (
          SELECT coalesce(e.lead_id, j.lead_id) AS lead_id, least(e.first_at, j.enrolled_at) AS entered_at,
                 coalesce(e.held_out, false) AS held_out, coalesce(e.sent, false) AS sent
          FROM entries e FULL JOIN (SELECT j.lead_id, j.enrolled_at FROM journeys j WHERE %s) j ON j.lead_id = e.lead_id
          %s
          WHERE least(e.first_at, j.enrolled_at) >= :from AND least(e.first_at, j.enrolled_at) < :to)""".formatted(program,
        journeyProgram, segment);
  }

  /**
   * The entrants' MQL outcome and their exits from the rollup (V20, V27): the entrants, their
   * holdout arms and exits counted per day in {@code entrant_counts_daily} (the partial days at the
   * period's ends from the {@code program_entrants} rows), and the MQL entrants alone read for the
   * MQL counts and the time to MQL (their {@code mql_at}, the first hand-off since they entered).
   * Gives what {@link #recountOutcome} gives, once the journal is folded ({@link #foldJournal}).
   */
  default ProgramOutcomeRow outcome(Scope scope) {
    String sql = """
        WITH counts AS (
          SELECT exit_status, exit_reason, entrants, nurtured, held_out FROM entrant_counts_daily
          WHERE program_id = :program AND program_version = :entrantsVersion AND day >= :firstDay AND day < :endDay
          UNION ALL
          SELECT coalesce(exit_status, ''),
                 CASE WHEN exit_status IS NULL THEN '' ELSE coalesce(exit_reason, lower(exit_status)) END, 1,
                 (sent AND NOT held_out)::int, held_out::int
          FROM program_entrants
          WHERE program_id = :program AND program_version = :entrantsVersion
            AND ((entered_at >= :from AND entered_at < :edgeStart) OR (entered_at >= :edgeEnd AND entered_at < :to))),
        exits AS (
          SELECT exit_status AS status, exit_reason AS reason, sum(entrants)::bigint AS leads
          FROM counts WHERE exit_status <> '' GROUP BY 1, 2 HAVING sum(entrants) > 0),
        mql AS (
          SELECT extract(epoch FROM mql_at - entered_at) AS seconds, held_out, sent FROM program_entrants
          WHERE program_id = :program AND program_version = :entrantsVersion AND entered_at >= :from AND entered_at < :to
            AND mql_at IS NOT NULL)
        SELECT (SELECT coalesce(sum(entrants), 0) FROM counts) AS enrolled, count(*) AS mql,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median_seconds_to_mql,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90_seconds_to_mql,
               (SELECT coalesce(sum(nurtured), 0) FROM counts) AS nurtured,
               count(*) FILTER (WHERE sent AND NOT held_out) AS nurtured_mql,
               (SELECT coalesce(sum(held_out), 0) FROM counts) AS held_out,
               count(*) FILTER (WHERE held_out) AS held_out_mql,
               (SELECT coalesce(json_agg(json_build_object('status', status, 'reason', reason, 'leads', leads)
                                         ORDER BY leads DESC, status, reason), '[]'::json)
                FROM exits)::text AS exits
        FROM mql""";
    Query q = getHandle().createQuery(sql).bind("entrantsVersion", scope.version().orElse(0));
    return outcome(Days.of(scope).bind(q), scope);
  }

  /** {@link #outcome} computed again from the raw tables, as before the rollup (StatsRollupTest). */
  default ProgramOutcomeRow recountOutcome(Scope scope) {
    String cohort = cohort(scope) + """
        ,
        exits AS (
          SELECT j.status, coalesce(nullif(r.reason, ''), r.kind, lower(j.status)) AS reason, count(*) AS leads
          FROM c JOIN journeys j ON j.lead_id = c.lead_id AND j.program_id = :program
          LEFT JOIN LATERAL (
            SELECT t.kind, t.detail ->> 'reason' AS reason FROM timeline t
            WHERE t.lead_id = j.lead_id AND t.at >= c.entered_at AND t.kind IN ('exited', 'recycled', 'completed',
              'unsubscribed', 'suppressed', 'email_suppressed', 'disqualified', 'unconfirmed', 'sales_accepted')
            ORDER BY t.id DESC LIMIT 1) r ON true
          WHERE j.status IN ('COMPLETED', 'RECYCLED', 'DISQUALIFIED', 'UNSUBSCRIBED', 'UNCONFIRMED', 'GRADUATED')
          GROUP BY 1, 2)""";
    return outcome(getHandle().createQuery(outcomeSql(cohort)), scope);
  }

  /** The outcome over the entrants {@code c} and their {@code exits}. */
  private static String outcomeSql(String entrantsAndExits) {
    return "WITH " + entrantsAndExits + """
        ,
        mql AS (
          SELECT c.lead_id, min(h.created_at) AS at FROM c JOIN handoffs h ON h.lead_id = c.lead_id AND h.created_at >= c.entered_at
          GROUP BY c.lead_id)
        SELECT count(*) AS enrolled, count(q.at) AS mql,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM q.at - c.entered_at)) AS median_seconds_to_mql,
               percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM q.at - c.entered_at)) AS p90_seconds_to_mql,
               count(*) FILTER (WHERE c.sent AND NOT c.held_out) AS nurtured,
               count(q.at) FILTER (WHERE c.sent AND NOT c.held_out) AS nurtured_mql,
               count(*) FILTER (WHERE c.held_out) AS held_out,
               count(q.at) FILTER (WHERE c.held_out) AS held_out_mql,
               (SELECT coalesce(json_agg(json_build_object('status', status, 'reason', reason, 'leads', leads)
                                         ORDER BY leads DESC, status, reason), '[]'::json)
                FROM exits)::text AS exits
        FROM c LEFT JOIN mql q ON q.lead_id = c.lead_id""";
  }

  private static ProgramOutcomeRow outcome(Query query, Scope scope) {
    return bind(query, scope).map((rs, ctx) -> new ProgramOutcomeRow(rs.getLong("enrolled"),
        rs.getLong("mql"), seconds(rs, "median_seconds_to_mql"), seconds(rs, "p90_seconds_to_mql"),
        rs.getLong("nurtured"), rs.getLong("nurtured_mql"), rs.getLong("held_out"), rs.getLong("held_out_mql"),
        exits(rs.getString("exits")))).one();
  }

  private static Optional<Double> seconds(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(v);
  }

  private static List<ExitCountRow> exits(String json) {
    try {
      return List.of(new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, ExitCountRow[].class));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("exits as the database wrote them: " + json, e);
    }
  }

  default FunnelRow funnel(Scope scope) {
    String sql = "WITH " + cohort(scope) + """
        ,
        engaged AS (
          SELECT c.lead_id, min(e.occurred_at) AS at FROM c JOIN events e ON e.lead_id = c.lead_id
          WHERE e.type IN (%s) AND e.occurred_at >= c.entered_at GROUP BY c.lead_id),
        hs AS (
          SELECT c.lead_id, h.created_at, h.outcome, h.outcome_at,
                 least((SELECT min(w.at) FROM webhook_deliveries w
                        WHERE w.handoff_key = h.handoff_key AND w.status_code BETWEEN 200 AND 299),
                       (SELECT o.sent_at FROM owner_notifications o WHERE o.handoff_key = h.handoff_key),
                       h.outcome_at) AS reached_at
          FROM c JOIN handoffs h ON h.lead_id = c.lead_id AND h.created_at >= c.entered_at),
        sales AS (
          SELECT lead_id, min(created_at) AS mql_at, min(reached_at) AS handed_off_at,
                 min(outcome_at) FILTER (WHERE outcome = 'accepted') AS accepted_at
          FROM hs GROUP BY lead_id),
        graduated AS (
          SELECT c.lead_id, min(t.at) AS at FROM c JOIN journeys j ON j.lead_id = c.lead_id AND j.status = 'GRADUATED'
          JOIN timeline t ON t.lead_id = c.lead_id AND t.kind = 'sales_accepted' AND t.at >= c.entered_at
          GROUP BY c.lead_id),
        customers AS (
          SELECT c.lead_id, min(e.occurred_at) AS at FROM c JOIN events e ON e.lead_id = c.lead_id
          WHERE e.type = 'converted_to_customer' AND e.occurred_at >= c.entered_at GROUP BY c.lead_id),
        s AS (
          SELECT c.entered_at, e.at AS engaged_at, x.mql_at, x.handed_off_at, x.accepted_at, g.at AS graduated_at,
                 k.at AS customer_at
          FROM c LEFT JOIN engaged e ON e.lead_id = c.lead_id LEFT JOIN sales x ON x.lead_id = c.lead_id
          LEFT JOIN graduated g ON g.lead_id = c.lead_id LEFT JOIN customers k ON k.lead_id = c.lead_id)
        SELECT count(*) AS enrolled, count(engaged_at) AS engaged, count(mql_at) AS mql,
               count(handed_off_at) AS handed_off, count(accepted_at) AS accepted, count(graduated_at) AS graduated,
               count(customer_at) AS customers,
               %s AS enrolled_to_engaged, %s AS engaged_to_mql, %s AS mql_to_handed_off,
               %s AS handed_off_to_accepted, %s AS accepted_to_graduated, %s AS graduated_to_customer,
               %s AS enrolled_to_mql
        FROM s""".formatted(ENGAGEMENT_EVENTS, median("entered_at", "engaged_at"), median("engaged_at", "mql_at"),
        median("mql_at", "handed_off_at"), median("handed_off_at", "accepted_at"),
        median("accepted_at", "graduated_at"), median("graduated_at", "customer_at"), median("entered_at", "mql_at"));
    return bind(getHandle().createQuery(sql), scope).map(ConstructorMapper.of(FunnelRow.class)).one();
  }

  /** Median seconds from {@code a} to {@code b} over the leads that reached both, {@code b} not before {@code a}. */
  private static String median(String a, String b) {
    return "percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM %2$s - %1$s)) FILTER (WHERE %2$s >= %1$s)"
        .formatted(a, b);
  }

  private static String version(Scope scope, String alias) {
    return scope.version().isPresent() ? " AND " + alias + "program_version = :version" : "";
  }

  private static Query bind(Query q, Scope scope) {
    q.bind("from", scope.from()).bind("to", scope.to());
    scope.program().ifPresent(p -> q.bind("program", p));
    scope.version().ifPresent(v -> q.bind("version", v.intValue()));
    scope.segment().ifPresent(s -> q.bind("segment", s));
    return q;
  }
}
