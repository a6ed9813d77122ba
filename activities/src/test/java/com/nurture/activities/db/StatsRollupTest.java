package com.nurture.activities.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.groups.Tuple.tuple;

import com.nurture.activities.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The rollup (V20: flags on the ledger rows, step_counts_daily, program_entrants) kept by the
 * triggers gives the numbers a recount from the raw tables gives, after a mix of writes as the
 * send path, the event intake, tracking and the journey mirror make them.
 */
class StatsRollupTest {
  private final Jdbi jdbi = TestDatabase.jdbi();
  private final String program = "rollup-" + UUID.randomUUID().toString().substring(0, 8);
  /** 06:00 UTC: the first day of the period is a partial one (read from the ledger rows). */
  private static final Instant T0 = Instant.parse("2026-10-01T06:00:00Z");

  private String lead() {
    String id = program + "-" + UUID.randomUUID().toString().substring(0, 8);
    jdbi.onDemand(LeadDao.class).upsert(id, id + "@example.com", "", "opt_in", Map.of());
    return id;
  }

  /** Claims a send as the activity does, then dates it {@code at} (the claim is dated now). */
  private String claim(String lead, String step, String variant, int version, Instant at) {
    String key = lead + "/j/" + program + "/" + step + "/" + UUID.randomUUID();
    jdbi.onDemand(MessageDao.class).claim(key, lead, lead + "@example.com", program, version, step, step, variant, "s",
        "sending", "<" + UUID.randomUUID() + "@nurture.test>");
    jdbi.useHandle(h -> h.execute("UPDATE messages SET created_at = ? WHERE idempotency_key = ?", at, key));
    return key;
  }

  private String sent(String lead, String step, String variant, Instant at) {
    String key = claim(lead, step, variant, 1, at);
    jdbi.onDemand(MessageDao.class).markSent(key, at.plusSeconds(1));
    return key;
  }

  private String messageId(String key) {
    return jdbi.withHandle(h -> h.createQuery("SELECT message_id FROM messages WHERE idempotency_key = ?").bind(0, key)
        .mapTo(String.class).one());
  }

  private void event(String lead, String type, Instant at, Map<String, Object> properties) {
    jdbi.onDemand(EventDao.class).insert(lead, UUID.randomUUID().toString(), type, at, properties);
  }

  private long hit(String key, String lead, String kind, boolean human, Instant at) {
    TrackingDao tracking = jdbi.onDemand(TrackingDao.class);
    String token = jdbi.withHandle(h -> SendStatements.issueLinks(h, key, messageId(key), lead, program, 1, "s", "t", "",
        List.of(new LinkToken(UUID.randomUUID().toString().replace("-", "").substring(0, 22), kind,
            "https://x.example/" + kind)))).get(0).token();
    return tracking.hit(token, key, lead, kind, at, "GET", "", "", human, human ? "" : "scanner");
  }

  private void handOff(String lead, Instant at) {
    jdbi.useHandle(h -> h.execute("INSERT INTO handoffs (handoff_key, lead_id, reason, score, priority, sla_due_at,"
        + " created_at) VALUES (?, ?, 'score', 75, 'normal', ?, ?)", lead + "/" + at, lead, at.plusSeconds(86400), at));
  }

  private void journey(String lead, String inProgram, int version, String status, Instant at) {
    journey(lead, inProgram, version, status, T0.minusSeconds(3600), at);
  }

  private void journey(String lead, String inProgram, int version, String status, Instant enrolledAt, Instant at) {
    jdbi.onDemand(JourneyDao.class).upsert(lead, "lead-" + lead, "run", inProgram, version, status, "", null,
        enrolledAt, 0, at);
  }

  @Test
  void theRollupGivesWhatARecountOfTheRawTablesGives() {
    String a = lead();
    String b = lead();
    String c = lead();
    String d = lead();
    String e = lead();
    String held = lead();
    Duration day = Duration.ofDays(1);

    String a1 = sent(a, "welcome", "", T0);
    String b1 = sent(b, "welcome", "", T0.plusSeconds(60));
    String c1 = sent(c, "welcome", "", T0.plus(day));
    String d1 = sent(d, "welcome", "", T0.plus(day));
    String e1 = claim(e, "welcome", "", 1, T0.plus(day));
    jdbi.onDemand(MessageDao.class).markFailed(e1, "550 no such user");
    claim(held, "welcome", "", 1, T0);
    jdbi.useHandle(h -> h.execute("UPDATE messages SET status = 'held_out' WHERE lead_id = ?", held));
    String a2 = sent(a, "subject", "a", T0.plus(day.multipliedBy(3)));
    String b2 = sent(b, "subject", "b", T0.plus(day.multipliedBy(3)));
    String c2 = claim(c, "subject", "a", 2, T0.plus(day.multipliedBy(3)));
    jdbi.onDemand(MessageDao.class).markRetrying(c2, "421 try later");
    // an open that arrives before its email's outcome is recorded counts once it is
    String d2 = claim(d, "subject", "b", 1, T0.plus(day.multipliedBy(4)));
    event(d, "email_opened", T0.plus(day.multipliedBy(4)).plusSeconds(30), Map.of("message_id", messageId(d2)));
    jdbi.onDemand(MessageDao.class).markSent(d2, T0.plus(day.multipliedBy(4)).plusSeconds(1));

    // human opens (twice on a1: one), a machine open event (not a human open), clicks, a bounce
    event(a, "email_opened", T0.plusSeconds(3600), Map.of("message_id", messageId(a1)));
    event(a, "email_opened", T0.plusSeconds(7200), Map.of("message_id", messageId(a1).replaceAll("[<>]", "")));
    event(b, "email_opened", T0.plusSeconds(600), Map.of("message_id", messageId(b1), "machine", true));
    event(a, "email_clicked", T0.plusSeconds(3700), Map.of("message_id", messageId(a1)));
    event(c, "email_clicked", T0.plus(day).plusSeconds(99), Map.of("message_id", messageId(c1)));
    event(b, "bounced", T0.plusSeconds(120), Map.of("message_id", messageId(b1), "hard", true));
    event(c, "email_opened", T0.plusSeconds(60), Map.of("message_id", "<unknown@elsewhere>"));
    // machine opens and bot clicks from tracking; a human click later found to be a bot's
    hit(c1, c, "open", false, T0.plus(day).plusSeconds(5));
    hit(c1, c, "open", false, T0.plus(day).plusSeconds(6));
    hit(d1, d, "click", false, T0.plus(day).plusSeconds(7));
    long human = hit(a2, a, "click", true, T0.plus(day.multipliedBy(3)).plusSeconds(9));
    hit(a2, a, "open", true, T0.plus(day.multipliedBy(3)).plusSeconds(8));
    jdbi.onDemand(TrackingDao.class).markBot(a2, T0.plus(day.multipliedBy(3)), T0.plus(day.multipliedBy(3)).plusSeconds(60),
        "honeypot");
    assertThat(human).isPositive();
    // answers naming no email of ours: the lead's last sent email before them
    event(d, "unsubscribed", T0.plus(day).plusSeconds(3600), Map.of("channel", "unsubscribe_link"));
    event(a, "replied", T0.plus(day.multipliedBy(3)).plusSeconds(7200), Map.of("message_id", "<reply@lead.example>"));
    event(b, "complained", T0.plus(day.multipliedBy(3)).plusSeconds(60), Map.of("message_id", messageId(b2)));

    handOff(a, T0.plus(day.multipliedBy(4)));
    handOff(b, T0.plus(day.multipliedBy(2)));
    handOff(c, T0.plus(day.multipliedBy(40)));
    journey(a, program, 1, "ACTIVE", T0.plusSeconds(10));
    journey(a, program, 1, "COMPLETED", T0.plus(day.multipliedBy(5)));
    jdbi.onDemand(TimelineDao.class).append(a, T0.plus(day.multipliedBy(5)), "exited", Map.of("reason", "not a fit"),
        a + "/exit");
    jdbi.onDemand(TimelineDao.class).append(b, T0.plus(day.multipliedBy(5)), "unsubscribed", Map.of(), b + "/u");
    journey(b, program, 1, "UNSUBSCRIBED", T0.plus(day.multipliedBy(5)));
    journey(c, "elsewhere-" + program, 1, "COMPLETED", T0.plus(day.multipliedBy(5)));
    journey(e, program, 1, "ACTIVE", T0.plusSeconds(20));
    journey(e, "elsewhere-" + program, 1, "ACTIVE", T0.plus(day)); // moved on: enrolment no longer in the program

    StatsDao stats = folded();
    List<StatsDao.Scope> scopes = List.of(
        scope(Optional.empty(), Instant.parse("2026-09-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")),
        scope(Optional.empty(), T0.minusSeconds(3600), T0.plus(day.multipliedBy(3)).plusSeconds(1)),
        scope(Optional.empty(), T0.plus(day).minusSeconds(1), T0.plus(day).plusSeconds(3600)),
        scope(Optional.of(1), T0.minusSeconds(1), T0.plus(day.multipliedBy(10))),
        scope(Optional.of(2), T0.minusSeconds(1), T0.plus(day.multipliedBy(10))));
    for (StatsDao.Scope scope : scopes) {
      assertThat(stats.steps(scope)).as("steps in %s", scope).isEqualTo(stats.recountSteps(scope));
      assertThat(stats.outcome(scope)).as("outcome in %s", scope).isEqualTo(stats.recountOutcome(scope));
    }

    // and the numbers are the ones worked out above, not two equal mistakes
    List<StepStatsRow> steps = stats.steps(scopes.get(0));
    StepStatsRow welcome = steps.get(0);
    assertThat(welcome.stepId()).isEqualTo("welcome");
    assertThat(List.of(welcome.entered(), welcome.sent(), welcome.failed(), welcome.heldOut(), welcome.bounced(),
        welcome.humanOpens(), welcome.machineOpens(), welcome.humanClicks(), welcome.botClicks(),
        welcome.unsubscribes(), welcome.mql30d())).containsExactly(6L, 4L, 1L, 1L, 1L, 1L, 1L, 2L, 1L, 1L, 2L);
    StepStatsRow subjectA = steps.stream().filter(r -> r.variant().equals("a")).findFirst().orElseThrow();
    assertThat(List.of(subjectA.entered(), subjectA.sent(), subjectA.unknown(), subjectA.replies(),
        subjectA.botClicks(), subjectA.humanOpens())).containsExactly(2L, 1L, 1L, 1L, 1L, 0L);
    StepStatsRow subjectB = steps.stream().filter(r -> r.variant().equals("b")).findFirst().orElseThrow();
    assertThat(List.of(subjectB.sent(), subjectB.humanOpens(), subjectB.complaints())).containsExactly(2L, 1L, 1L);
    ProgramOutcomeRow outcome = stats.outcome(scopes.get(0));
    assertThat(List.of(outcome.enrolled(), outcome.mql(), outcome.heldOut(), outcome.nurtured()))
        .containsExactly(6L, 3L, 1L, 4L);
    assertThat(outcome.exits()).extracting(ExitCountRow::reason).containsExactlyInAnyOrder("not a fit", "unsubscribed");
  }

  /**
   * V32: a send's writes made by sessions of different shards are counted once, and a step's order is
   * that of its first day whose shards' entries sum above zero. V34: the writes only journal their
   * changes; the fold before the read adds them to the counters.
   */
  @Test
  void aSendsWritesInDifferentShardsCountAsOneAndAStepIsOrderedByItsFirstEntryStillCounted() {
    // Each write in its own session on a chosen shard (V32): a send's claim, its outcome and an open
    // in three shards; a ledger row moved to the next day, and one removed, by sessions of other shards.
    Instant d = Instant.parse("2026-10-10T10:00:00Z");
    Duration day = Duration.ofDays(1);
    String a = lead();
    String b = lead();
    String c = lead();
    String x = lead();
    String a1 = claimIn(1, a, "welcome", d);
    inShard(2, h -> h.attach(MessageDao.class).markSent(a1, d.plusSeconds(1)));
    inShard(3, h -> h.attach(EventDao.class).insert(a, UUID.randomUUID().toString(), "email_opened", d.plusSeconds(60),
        Map.of("message_id", messageId(a1))));
    String b1 = claimIn(4, b, "welcome", d.plusSeconds(5));
    inShard(4, h -> h.attach(MessageDao.class).markSent(b1, d.plusSeconds(6)));
    inShard(5, h -> h.execute("UPDATE messages SET created_at = created_at + interval '1 day' WHERE idempotency_key = ?", b1));
    // "second" had its first entry on the first day, removed since: its first entry still counted is on the
    // third day, after "third"'s on the second.
    String c1 = claimIn(6, c, "second", d.minusSeconds(3600));
    inShard(7, h -> h.execute("DELETE FROM messages WHERE idempotency_key = ?", c1));
    String x1 = claimIn(8, x, "second", d.plus(day.multipliedBy(2)));
    inShard(8, h -> h.attach(MessageDao.class).markSent(x1, d.plus(day.multipliedBy(2)).plusSeconds(1)));
    String c2 = claimIn(9, c, "third", d.plus(day));
    inShard(9, h -> h.attach(MessageDao.class).markSent(c2, d.plus(day).plusSeconds(1)));

    // V34: the writes are journalled, their counter rows written by the fold (before the read)
    assertThat(countersOf(program)).as("counter rows before a fold").isZero();
    assertThat(journalled(program))
        .as("journal rows: 5 claims, each written and re-dated (out and in); 4 outcomes; an open; a row moved a day"
            + " (out and in); a removal")
        .isEqualTo(5 * 3 + 4 + 1 + 2 + 1);
    StatsDao stats = folded();
    StatsDao.Scope wholeDays = scope(Optional.empty(), Instant.parse("2026-10-09T00:00:00Z"),
        Instant.parse("2026-10-20T00:00:00Z"));
    assertThat(stats.steps(wholeDays)).isEqualTo(stats.recountSteps(wholeDays));
    assertThat(stats.steps(wholeDays)).extracting(StepStatsRow::stepId, StepStatsRow::entered, StepStatsRow::sent,
            StepStatsRow::humanOpens)
        .containsExactly(tuple("welcome", 2L, 2L, 1L), tuple("third", 1L, 1L, 0L), tuple("second", 1L, 1L, 0L));
    StatsDao.Scope partial = scope(Optional.empty(), d.minusSeconds(7200), d.plus(day).plusSeconds(3600));
    assertThat(stats.steps(partial)).isEqualTo(stats.recountSteps(partial));
  }

  /**
   * V34: a send's claim, its outcome and an open of the email each write one journal row and touch
   * neither a counter row nor the lead's entrants, not even to look them up; once folded, the
   * counters and the entrant are the recount's.
   */
  @Test
  void aClaimAnOutcomeAndAnOpenEachJournalOneRowAndTouchNoCounter() {
    Instant d = Instant.now(); // the claim's own time: re-dating it would be a fourth change
    String a = lead();
    String key = a + "/j/" + program + "/welcome/" + UUID.randomUUID();
    List<Long> claim = writesIn(11, h -> h.attach(MessageDao.class).claim(key, a, a + "@example.com", program, 1,
        "welcome", "welcome", "", "s", "sending", "<" + UUID.randomUUID() + "@nurture.test>"));
    List<Long> outcome = writesIn(11, h -> h.attach(MessageDao.class).markSent(key, d.plusSeconds(1)));
    List<Long> open = writesIn(11, h -> h.attach(EventDao.class).insert(a, UUID.randomUUID().toString(), "email_opened",
        d.plusSeconds(60), Map.of("message_id", messageId(key))));
    for (List<Long> write : List.of(claim, outcome, open)) {
      assertThat(write).as("journal rows written, counter rows updated or written, entrant rows written, entrant scans")
          .containsExactly(1L, 0L, 0L, 0L);
    }
    assertThat(journalled(program)).isEqualTo(3);
    StatsDao stats = folded();
    // whole UTC days around the claim: read from the counter rows, not the ledger rows
    Instant today = d.truncatedTo(java.time.temporal.ChronoUnit.DAYS);
    StatsDao.Scope day = scope(Optional.empty(), today.minus(Duration.ofDays(1)), today.plus(Duration.ofDays(2)));
    assertThat(journalled(program)).as("folded before the read").isZero();
    assertThat(stats.steps(day)).isEqualTo(stats.recountSteps(day));
    assertThat(countersOf(program)).isOne();
    assertThat(stats.steps(day)).extracting(StepStatsRow::entered, StepStatsRow::sent, StepStatsRow::unknown,
        StepStatsRow::humanOpens).containsExactly(tuple(1L, 1L, 0L, 1L));
    assertThat(stats.outcome(day).nurtured()).isEqualTo(1L);
    assertThat(stats.outcome(day)).isEqualTo(stats.recountOutcome(day));
  }

  /**
   * What {@code write} did, in its transaction on {@code shard}: the rows it wrote into the journal,
   * the rows it updated or wrote in step_counts_daily and in program_entrants, and the scans of
   * program_entrants and its indexes.
   */
  private List<Long> writesIn(int shard, java.util.function.Consumer<org.jdbi.v3.core.Handle> write) {
    List<Long> counts = new ArrayList<>();
    inShard(shard, h -> {
      write.accept(h);
      counts.addAll(h.createQuery("""
          SELECT pg_stat_get_xact_tuples_inserted('step_count_journal'::regclass),
                 pg_stat_get_xact_tuples_updated('step_counts_daily'::regclass)
                   + pg_stat_get_xact_tuples_inserted('step_counts_daily'::regclass),
                 pg_stat_get_xact_tuples_updated('program_entrants'::regclass)
                   + pg_stat_get_xact_tuples_inserted('program_entrants'::regclass),
                 pg_stat_get_xact_numscans('program_entrants'::regclass)
                   + (SELECT sum(pg_stat_get_xact_numscans(indexrelid)) FROM pg_index
                      WHERE indrelid = 'program_entrants'::regclass)::bigint""")
          .map((rs, ctx) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))).one());
    });
    return counts;
  }

  private long countersOf(String inProgram) {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM step_counts_daily WHERE program_id = ?")
        .bind(0, inProgram).mapTo(Long.class).one());
  }

  private long journalled(String inProgram) {
    return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM step_count_journal WHERE program_id = ?")
        .bind(0, inProgram).mapTo(Long.class).one());
  }

  /** The journal folded into the counters and entrants, as a reader does first. */
  private void fold() {
    jdbi.onDemand(StatsDao.class).foldJournal();
  }

  /** The statistics, the journal folded first (as ProgramStatsResource does). */
  private StatsDao folded() {
    fold();
    return jdbi.onDemand(StatsDao.class);
  }

  /** Runs {@code write} in one transaction whose counter rows are those of {@code shard}. */
  private void inShard(int shard, java.util.function.Consumer<org.jdbi.v3.core.Handle> write) {
    jdbi.useTransaction(h -> {
      h.execute("SELECT set_config('nurture.counter_shard', ?, true)", String.valueOf(shard));
      write.accept(h);
    });
  }

  /** {@link #claim} in one transaction on {@code shard}. */
  private String claimIn(int shard, String lead, String step, Instant at) {
    String key = lead + "/j/" + program + "/" + step + "/" + UUID.randomUUID();
    inShard(shard, h -> {
      h.attach(MessageDao.class).claim(key, lead, lead + "@example.com", program, 1, step, step, "", "s", "sending",
          "<" + UUID.randomUUID() + "@nurture.test>");
      h.execute("UPDATE messages SET created_at = ? WHERE idempotency_key = ?", at, key);
    });
    return key;
  }

  /**
   * V27: the emails' MQL flags, the entrants' MQL times and the entrants' day counters, kept by the
   * triggers through hand-offs written before and after the emails' outcomes, a hand-off moved and
   * one removed, an enrolment moved past the lead's hand-off and exit reasons changed by later
   * notes, equal what SQL over the raw tables computes, and what step_counts_rebuild() rebuilds.
   */
  @Test
  void theMqlCountersAndTheEntrantCountersFollowEveryChange() {
    Duration day = Duration.ofDays(1);
    Duration hour = Duration.ofHours(1);
    String p = lead();
    String q = lead();
    String r = lead();
    String s = lead();
    String u = lead();
    String v = lead();

    sent(p, "welcome", "", T0);
    handOff(p, T0.plus(day.multipliedBy(2))); // 48 h after p entered: p's welcome reached MQL within 30 days
    sent(p, "subject", "a", T0.plus(day.multipliedBy(3))); // after the hand-off: not followed by one
    journey(p, program, 1, "COMPLETED", T0, T0.plus(day.multipliedBy(4)));
    // q is handed off between its email's claim and its outcome: an MQL entrant, but its email went
    // out after the hand-off (the flag turns true at the hand-off, false at the send)
    String q1 = claim(q, "welcome", "", 1, T0.plus(day));
    handOff(q, T0.plus(day).plusSeconds(60));
    assertThat(flag(q1)).isTrue();
    jdbi.onDemand(MessageDao.class).markSent(q1, T0.plus(day).plusSeconds(120));
    assertThat(flag(q1)).isFalse();
    // r enrols, is handed off 3 hours later, then its enrolment is moved after the hand-off: no MQL
    journey(r, program, 1, "ACTIVE", T0.plus(day.multipliedBy(2)), T0.plus(day.multipliedBy(2)));
    handOff(r, T0.plus(day.multipliedBy(2)).plus(hour.multipliedBy(3)));
    assertThat(mqlAt(r)).isPresent();
    journey(r, program, 1, "ACTIVE", T0.plus(day.multipliedBy(2)).plus(hour.multipliedBy(5)),
        T0.plus(day.multipliedBy(3)));
    assertThat(mqlAt(r)).isEmpty();
    sent(r, "welcome", "", T0.plus(day.multipliedBy(3)));
    // s is held out, handed off after 10 days, its journey completes and two notes change its reason
    claim(s, "welcome", "", 1, T0);
    jdbi.useHandle(h -> h.execute("UPDATE messages SET status = 'held_out' WHERE lead_id = ?", s));
    handOff(s, T0.plus(day.multipliedBy(10)));
    journey(s, program, 1, "COMPLETED", T0, T0.plus(day.multipliedBy(11)));
    TimelineDao timeline = jdbi.onDemand(TimelineDao.class);
    timeline.append(s, T0.plus(day.multipliedBy(11)), "exited", Map.of("reason", "not a fit"), s + "/exit");
    assertThat(exitReasons()).containsExactlyInAnyOrder("completed", "not a fit");
    timeline.append(s, T0.plus(day.multipliedBy(12)), "recycled", Map.of("reason", "stale"), s + "/recycled");
    // u's hand-off is moved 35 days after its email; v's is removed
    sent(u, "welcome", "", T0.plus(day.multipliedBy(5)));
    handOff(u, T0.plus(day.multipliedBy(5)).plus(hour));
    jdbi.useHandle(h -> h.execute("UPDATE handoffs SET created_at = ? WHERE lead_id = ?", T0.plus(day.multipliedBy(40)), u));
    sent(v, "welcome", "", T0.plus(day.multipliedBy(6)));
    handOff(v, T0.plus(day.multipliedBy(6)).plus(hour));
    jdbi.useHandle(h -> h.execute("DELETE FROM handoffs WHERE lead_id = ?", v));

    StatsDao stats = folded();
    List<StatsDao.Scope> scopes = List.of(
        scope(Optional.empty(), Instant.parse("2026-09-01T00:00:00Z"), Instant.parse("2026-11-01T00:00:00Z")),
        scope(Optional.empty(), T0.minusSeconds(3600), T0.plus(day.multipliedBy(3)).plusSeconds(1)),
        scope(Optional.empty(), T0.plus(day).minusSeconds(1), T0.plus(day.multipliedBy(2)).plus(hour.multipliedBy(12))),
        scope(Optional.of(1), T0.plus(day).plusSeconds(30), T0.plus(day.multipliedBy(6))));
    List<List<Map<String, Object>>> counters = counters();
    assertThat(counters.get(0)).as("entrant day counters").isEqualTo(counters.get(1));
    assertThat(counters.get(2)).as("MQL within 30 days per step and day").isEqualTo(counters.get(3));
    assertThat(counters.get(4)).as("MQL time per entrant").isEqualTo(counters.get(5));
    List<Object> answers = new ArrayList<>();
    for (StatsDao.Scope scope : scopes) {
      assertThat(stats.steps(scope)).as("steps in %s", scope).isEqualTo(stats.recountSteps(scope));
      assertThat(stats.outcome(scope)).as("outcome in %s", scope).isEqualTo(stats.recountOutcome(scope));
      answers.add(List.of(stats.steps(scope), stats.outcome(scope)));
    }

    // the numbers worked out above, not two equal mistakes
    assertThat(stats.steps(scopes.get(0))).extracting(StepStatsRow::stepId, StepStatsRow::sent, StepStatsRow::mql30d)
        .containsExactly(tuple("welcome", 5L, 1L),
            tuple("subject", 1L, 0L));
    ProgramOutcomeRow outcome = stats.outcome(scopes.get(0));
    assertThat(List.of(outcome.enrolled(), outcome.mql(), outcome.nurtured(), outcome.nurturedMql(), outcome.heldOut(),
        outcome.heldOutMql())).containsExactly(6L, 4L, 5L, 3L, 1L, 1L);
    // q after 60 s, p after 48 h, s after 240 h, u after 35 days: median between p and s, p90 between s and u
    assertThat(outcome.medianSecondsToMql().orElseThrow()).isCloseTo((48 + 240) * 3600 / 2.0, within(0.001));
    assertThat(outcome.p90SecondsToMql().orElseThrow()).isCloseTo(240 * 3600 + 0.7 * (35 * 24 - 240) * 3600, within(0.001));
    assertThat(outcome.exits()).containsExactlyInAnyOrder(new ExitCountRow("COMPLETED", "completed", 1),
        new ExitCountRow("COMPLETED", "stale", 1));

    // the rebuild after a bulk load gives the same counters and answers
    jdbi.useTransaction(h -> h.createQuery("SELECT count(*) FROM (SELECT step_counts_rebuild()) r").mapTo(Long.class).one());
    assertThat(counters()).isEqualTo(counters);
    for (int i = 0; i < scopes.size(); i++) {
      assertThat(List.of(stats.steps(scopes.get(i)), stats.outcome(scopes.get(i)))).isEqualTo(answers.get(i));
    }
  }

  /**
   * V34: a lead whose entry into a version is known only from a ledger row still in the journal when
   * its journey, moved on to the next version, ends: once the fold dates that entry, the entrant gets
   * the reason of the lead's last ending note since, as the rebuild gives it (not the bare status).
   */
  @Test
  void anEntryDatedByTheFoldAfterItsJourneyEndedTakesTheReasonOfTheLastNote() {
    Duration day = Duration.ofDays(1);
    String a = lead();
    journey(a, program, 1, "ACTIVE", T0, T0);
    claim(a, "welcome", "", 1, T0.plus(day)); // journalled, not folded yet
    journey(a, program, 2, "ACTIVE", T0.plus(day.multipliedBy(2)), T0.plus(day.multipliedBy(2))); // v1's enrolment left
    journey(a, program, 2, "COMPLETED", T0.plus(day.multipliedBy(2)), T0.plus(day.multipliedBy(3)));
    jdbi.onDemand(TimelineDao.class).append(a, T0.plus(day.multipliedBy(3)), "exited", Map.of("reason", "not a fit"),
        a + "/exit");
    fold();
    List<Map<String, Object>> kept = entrantRows(a);
    assertThat(kept).extracting(r -> r.get("program_version"), r -> r.get("exit_reason"))
        .containsExactly(tuple(0, "not a fit"), tuple(1, "not a fit"), tuple(2, "not a fit"));
    jdbi.useTransaction(h -> h.createQuery("SELECT count(*) FROM (SELECT step_counts_rebuild()) r").mapTo(Long.class).one());
    assertThat(entrantRows(a)).isEqualTo(kept);
  }

  private List<Map<String, Object>> entrantRows(String lead) {
    return jdbi.withHandle(h -> h.createQuery("""
            SELECT program_version, entered_at, held_out, sent, exit_status, exit_reason FROM program_entrants
            WHERE lead_id = ? ORDER BY program_version""")
        .bind(0, lead).mapToMap().list());
  }

  private boolean flag(String key) {
    return jdbi.withHandle(h -> h.createQuery("SELECT mql_30d FROM messages WHERE idempotency_key = ?").bind(0, key)
        .mapTo(Boolean.class).one());
  }

  private Optional<Instant> mqlAt(String lead) {
    return jdbi.withHandle(h -> h.createQuery("SELECT mql_at FROM program_entrants WHERE lead_id = ? AND program_version = 0")
        .bind(0, lead).mapTo(Instant.class).findOne());
  }

  private List<String> exitReasons() {
    fold();
    return jdbi.withHandle(h -> h.createQuery("SELECT exit_reason FROM entrant_counts_daily WHERE program_id = ?"
        + " AND program_version = 0 AND exit_status <> '' GROUP BY day, exit_status, exit_reason HAVING sum(entrants) <> 0")
        .bind(0, program).mapTo(String.class).list());
  }

  /** Each kept counter of the program, then the same computed from the raw tables. */
  private List<List<Map<String, Object>>> counters() {
    fold();
    List<String> sql = List.of("""
        SELECT program_version, day, exit_status, exit_reason, sum(entrants)::bigint AS entrants,
               sum(nurtured)::bigint AS nurtured, sum(held_out)::bigint AS held_out
        FROM entrant_counts_daily WHERE program_id = :program GROUP BY 1, 2, 3, 4
        HAVING (sum(entrants), sum(nurtured), sum(held_out)) <> (0, 0, 0) ORDER BY 1, 2, 3, 4""", """
        SELECT program_version, (entered_at AT TIME ZONE 'UTC')::date AS day, coalesce(exit_status, '') AS exit_status,
               CASE WHEN exit_status IS NULL THEN '' ELSE coalesce(exit_reason, lower(exit_status)) END AS exit_reason,
               count(*) AS entrants, count(*) FILTER (WHERE sent AND NOT held_out) AS nurtured,
               count(*) FILTER (WHERE held_out) AS held_out
        FROM program_entrants WHERE program_id = :program AND entered_at IS NOT NULL GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4""", """
        SELECT program_version, step_id, variant, day, sum(mql_30d)::bigint AS mql_30d FROM step_counts_daily
        WHERE program_id = :program GROUP BY 1, 2, 3, 4 HAVING sum(entered) <> 0 ORDER BY 1, 2, 3, 4""", """
        SELECT program_version, step_id, variant, (created_at AT TIME ZONE 'UTC')::date AS day,
               count(*) FILTER (WHERE status = 'sent' AND EXISTS (
                 SELECT 1 FROM handoffs h WHERE h.lead_id = x.lead_id AND coalesce(x.sent_at, x.created_at) <= h.created_at
                   AND coalesce(x.sent_at, x.created_at) > h.created_at - interval '30 days')) AS mql_30d
        FROM messages x WHERE program_id = :program GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4""", """
        SELECT lead_id, program_version, mql_at FROM program_entrants WHERE program_id = :program ORDER BY 1, 2""", """
        SELECT e.lead_id, e.program_version,
               (SELECT min(h.created_at) FROM handoffs h WHERE h.lead_id = e.lead_id AND h.created_at >= e.entered_at) AS mql_at
        FROM program_entrants e WHERE program_id = :program ORDER BY 1, 2""");
    return jdbi.withHandle(h -> sql.stream().map(q -> h.createQuery(q).bind("program", program).mapToMap().list()).toList());
  }

  private StatsDao.Scope scope(Optional<Integer> version, Instant from, Instant to) {
    return new StatsDao.Scope(Optional.of(program), version, from, to, Optional.empty());
  }
}
