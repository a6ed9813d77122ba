package com.nurture.activities.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestDatabase;
import java.time.Duration;
import java.time.Instant;
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
    String token = tracking.issueOrFind(UUID.randomUUID().toString().replace("-", "").substring(0, 22), key,
        messageId(key), lead, program, 1, "s", "t", "", kind, "https://x.example/" + kind);
    return tracking.hit(token, key, lead, kind, at, "GET", "", "", human, human ? "" : "scanner");
  }

  private void handOff(String lead, Instant at) {
    jdbi.useHandle(h -> h.execute("INSERT INTO handoffs (handoff_key, lead_id, reason, score, priority, sla_due_at,"
        + " created_at) VALUES (?, ?, 'score', 75, 'normal', ?, ?)", lead + "/" + at, lead, at.plusSeconds(86400), at));
  }

  private void journey(String lead, String inProgram, int version, String status, Instant at) {
    jdbi.onDemand(JourneyDao.class).upsert(lead, "lead-" + lead, "run", inProgram, version, status, "", null,
        T0.minusSeconds(3600), 0, at);
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

    StatsDao stats = jdbi.onDemand(StatsDao.class);
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

  private StatsDao.Scope scope(Optional<Integer> version, Instant from, Instant to) {
    return new StatsDao.Scope(Optional.of(program), version, from, to, Optional.empty());
  }
}
