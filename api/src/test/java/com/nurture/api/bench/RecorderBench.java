package com.nurture.api.bench;

import com.nurture.activities.TestDatabase;
import com.nurture.activities.db.JourneyDao;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.TimelineDao;
import com.nurture.activities.journal.JourneyRecorder;
import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.journey.JourneyStatus;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * A burst email's last record, the wake-up's {@code RecordTransitions} ({@code email_sent} and
 * {@code completed}, one journey state), written by {@link JourneyRecorder} beside the same
 * transitions written through the two SQL objects, one upsert and one append each, as the recorder
 * did before 08c6e67 (the baseline). One thread, the test database, blocks of 500 calls alternating
 * between the two on fresh leads, the first block of each untimed:
 * {@code java -cp "$BENCH_CP" com.nurture.api.bench.RecorderBench [calls]} (BENCH_CP as bench/run sets it).
 */
public final class RecorderBench {
  private static final Instant ENROLLED = Instant.parse("2026-01-01T00:00:00Z");
  private static final int BLOCK = 500;

  private RecorderBench() {}

  public static void main(String[] args) {
    int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    if (calls < 2 * BLOCK) {
      throw new IllegalArgumentException("at least " + 2 * BLOCK + " calls: blocks of " + BLOCK
          + " alternate, and the first of each is a warm-up");
    }
    Jdbi jdbi = TestDatabase.jdbi();
    JourneyRecorder recorder = new JourneyRecorder(jdbi);
    String run = UUID.randomUUID().toString().substring(0, 8);
    List<String> leads = new ArrayList<>();
    for (int i = 0; i < 2 * calls; i++) {
      String lead = "recorder-bench-" + run + "-" + i;
      leads.add(lead);
      jdbi.onDemand(LeadDao.class).upsert(lead, lead + "@example.com", "", "", Map.of());
      recorder.recordTransitions(List.of(transition(lead, JourneyStatus.ACTIVE, "enrolled", ENROLLED, 0)));
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] wall = new long[2];
    long[] cpu = new long[2];
    int[] timed = new int[2];
    for (int block = 0; block * BLOCK < leads.size(); block++) {
      int which = block % 2;
      long wallStart = System.nanoTime();
      long cpuStart = threads.getCurrentThreadCpuTime();
      List<String> these = leads.subList(block * BLOCK, Math.min(leads.size(), (block + 1) * BLOCK));
      for (String lead : these) {
        Instant sent = ENROLLED.plusSeconds(60);
        List<JourneyTransition> end = List.of(transition(lead, JourneyStatus.COMPLETED, "email_sent", sent, 1),
            transition(lead, JourneyStatus.COMPLETED, "completed", sent.plusMillis(3), 2));
        if (which == 0) {
          throughSqlObjects(jdbi, end);
        } else {
          recorder.recordTransitions(end);
        }
      }
      if (block >= 2) { // the first block of each: warm-up
        wall[which] += System.nanoTime() - wallStart;
        cpu[which] += threads.getCurrentThreadCpuTime() - cpuStart;
        timed[which] += these.size();
      }
    }
    String[] names = {"the SQL objects (baseline)", "JourneyRecorder"};
    for (int k = 0; k < 2; k++) {
      System.out.printf("  %-27s %5d calls: %.3f ms a call, %.3f ms of the calling thread's CPU%n", names[k], timed[k],
          wall[k] / 1e6 / timed[k], cpu[k] / 1e6 / timed[k]);
    }
    System.out.printf("  JourneyRecorder / baseline: wall %.2fx, CPU %.2fx%n", (double) wall[1] / timed[1] / wall[0] * timed[0],
        (double) cpu[1] / timed[1] / cpu[0] * timed[0]);
  }

  private static JourneyTransition transition(String lead, JourneyStatus status, String kind, Instant at, int seq) {
    boolean waiting = status == JourneyStatus.ACTIVE;
    return new JourneyTransition(lead, "wf-" + lead, "run", "news", 1, status, waiting ? "news" : "",
        waiting ? Optional.of(at.plusSeconds(60)) : Optional.empty(), ENROLLED, 0, kind,
        Map.of("step", "news", "template", "newsletter"), at, "wf-" + lead + "/k/" + seq);
  }

  /** The baseline: each transition's upsert and append through the SQL objects, in one transaction. */
  private static void throughSqlObjects(Jdbi jdbi, List<JourneyTransition> transitions) {
    jdbi.useTransaction(h -> {
      JourneyDao journeys = h.attach(JourneyDao.class);
      TimelineDao timeline = h.attach(TimelineDao.class);
      for (JourneyTransition t : transitions) {
        journeys.upsert(t.leadId(), t.workflowId(), t.runId(), t.programId(), t.programVersion(), t.status().name(),
            t.currentStep(), t.nextActionAt().orElse(null), t.enrolledAt(), t.score(), t.at());
        timeline.append(t.leadId(), t.at(), t.kind(), t.detail(), t.dedupeKey());
      }
    });
  }
}
