package com.nurture.api.bench;

import com.nurture.activities.mail.SmtpEmailActivities;
import com.nurture.activities.mail.SmtpPool;
import com.nurture.activities.mail.SmtpServer;
import com.nurture.worker.WorkerTuning;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.simplejavamail.api.mailer.Mailer;

/**
 * The scheduled burst's baselines and its timer lateness (bench/run), on the Temporal server and
 * SMTP server the journeys used, in the same run:
 * <ul>
 *   <li>{@code bare TARGET SMTP_PORT N THREADS}: a bare workflow per lead that sleeps until one
 *       instant, then calls one activity sending the same email over the same pooled SMTP
 *       connections as the worker (same worker tuning); time from the instant until every email is
 *       accepted, the timers' lateness; then a raw pooled SMTP loop of N emails (4 threads, the
 *       pool Nurture uses).</li>
 *   <li>{@code lateness TARGET DUE_EPOCH_MS IDS_FILE}: the lateness of the journeys' timer due at
 *       that instant (fired minus due, from each workflow's history), one workflow id per line.</li>
 * </ul>
 * Prints {@code RESULT {json}} lines that bench/run turns into its table.
 */
public final class BurstBench {
  private BurstBench() {}

  static final AtomicInteger SENT = new AtomicInteger();
  static volatile Mailer mailer;

  @WorkflowInterface
  public interface BareBurst {
    /** @param local send as a local activity (inside the workflow task the timer wakes), not an activity task */
    @WorkflowMethod
    void run(long dueEpochMs, int index, boolean local);
  }

  @ActivityInterface
  public interface BareSend {
    void send(int index);
  }

  public static class BareBurstImpl implements BareBurst {
    private final BareSend send = Workflow.newActivityStub(BareSend.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).build());
    private final BareSend localSend = Workflow.newLocalActivityStub(BareSend.class,
        LocalActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(2)).build());

    @Override
    public void run(long dueEpochMs, int index, boolean local) {
      Workflow.sleep(Duration.ofMillis(Math.max(1, dueEpochMs - Workflow.currentTimeMillis())));
      (local ? localSend : send).send(index);
    }
  }

  public static class BareSendImpl implements BareSend {
    @Override
    public void send(int index) {
      SmtpEmailActivities.sendAndWait(mailer, SmtpStageBench.email(index));
      SENT.incrementAndGet();
    }
  }

  public static void main(String[] args) throws Exception {
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(args[1]).build());
    WorkflowClient client = WorkflowClient.newInstance(service);
    switch (args[0]) {
      case "bare" -> bare(client, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), false);
      case "bare-local" -> bare(client, Integer.parseInt(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]), true);
      case "lateness" -> {
        List<String> ids = Files.readAllLines(Path.of(args[3])).stream().filter(s -> !s.isBlank()).toList();
        Stats s = lateness(client, ids, Long.parseLong(args[2]), 16);
        result("lateness.nurture", s.p50, s.label(), "ms",
            "n=" + s.n);
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
    service.shutdownNow();
    System.exit(0);
  }

  private static void bare(WorkflowClient client, int smtpPort, int n, int threads, boolean local) throws Exception {
    mailer = new SmtpServer("127.0.0.1", smtpPort, "", "", "smtp").mailer(Optional.empty(), SmtpPool.DEFAULT);
    String queue = "bench-bare-" + UUID.randomUUID().toString().substring(0, 6);
    WorkerTuning t = WorkerTuning.DEFAULT;
    WorkerFactory factory = WorkerFactory.newInstance(client, t.factoryOptions().build());
    // The same worker options as Nurture's (slots, poller behaviour): the baseline differs only in its work.
    io.temporal.worker.Worker worker = factory.newWorker(queue, t.workerOptions());
    worker.registerWorkflowImplementationTypes(BareBurstImpl.class);
    worker.registerActivitiesImplementations(new BareSendImpl());
    factory.start();
    // The first starts measure the server's start rate; the instant is set so every start lands before it.
    double rate = rateOf(client, queue, 0, Math.min(n, 200), threads, Long.MAX_VALUE / 2, local);
    long due = System.currentTimeMillis() + (long) ((n / Math.max(rate, 1)) * 1.3 * 1000) + 15_000;
    long started = System.currentTimeMillis();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(queue + "-" + i);
    }
    // The probe's 200 workflows sleep "forever": terminate them (not counted).
    for (int i = 0; i < Math.min(n, 200); i++) {
      client.newUntypedWorkflowStub(queue + "-probe-" + i).terminate("probe");
    }
    rateOf(client, queue, 0, n, threads, due, local);
    double startSeconds = (System.currentTimeMillis() - started) / 1000.0;
    System.out.printf("bare: %d workflows started in %.1f s (%.1f/s); all due at %tT%n", n, startSeconds, n / startSeconds, due);
    if (System.currentTimeMillis() > due) {
      System.out.println("bare: the starts ran past the instant; the drain below includes start time");
    }
    Thread.sleep(Math.max(0, due - System.currentTimeMillis()));
    long t0 = System.nanoTime();
    Double first = null;
    while (SENT.get() < n) {
      if (first == null && SENT.get() > 0) {
        first = (System.nanoTime() - t0) / 1e9;
      }
      Thread.sleep(100);
    }
    double drained = (System.nanoTime() - t0) / 1e9;
    System.out.printf("bare burst (%s): %d emails at the SMTP server %.1f s after the instant (%.1f/s); first after %.1f s%n",
        local ? "local activity" : "activity", n, drained, n / drained, first == null ? 0 : first);
    String bare = local ? "bare_local" : "bare";
    result("burst." + bare, drained, "", "s", "n=" + n);
    Stats s = lateness(client, ids.subList(0, Math.min(n, 10_000)), due, 16);
    result("lateness." + bare, s.p50, s.label(), "ms", "n=" + s.n);
    factory.shutdown();
    if (local) {
      return;
    }
    // Raw pooled SMTP loop: N emails over Nurture's pool (SmtpPool.DEFAULT) from 4 threads.
    long r0 = System.nanoTime();
    SmtpStageBench.timed(n, 4, SmtpStageBench.rawSend(mailer));
    double raw = (System.nanoTime() - r0) / 1e9;
    System.out.printf("raw pooled SMTP loop: %d emails in %.1f s (%.1f/s)%n", n, raw, n / raw);
    result("burst.raw", raw, "", "s", "n=" + n);
  }

  /** Starts workflows [from, to) from threads; returns starts per second. */
  private static double rateOf(WorkflowClient client, String queue, int from, int to, int threads, long due,
      boolean local) throws Exception {
    boolean probe = due > System.currentTimeMillis() + Duration.ofDays(365).toMillis();
    long t0 = System.nanoTime();
    SmtpStageBench.timed(to - from, threads, i -> WorkflowClient.start(client.newWorkflowStub(BareBurst.class,
        WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(queue + (probe ? "-probe-" : "-") + (from + i))
            .build())::run, probe ? System.currentTimeMillis() + Duration.ofDays(3).toMillis() : due, from + i, local));
    return (to - from) / ((System.nanoTime() - t0) / 1e9);
  }

  record Stats(int n, double p50, double p95, double max) {
    String label() {
      return String.format("p50 %.0f / p95 %.0f / max %.0f ms", p50, p95, max);
    }
  }

  /** Fired minus due of each workflow's timer due nearest the instant (within 5 s of it). */
  static Stats lateness(WorkflowClient client, List<String> ids, long dueEpochMs, int threads) throws Exception {
    ConcurrentLinkedQueue<Double> late = new ConcurrentLinkedQueue<>();
    SmtpStageBench.timed(ids.size(), threads, i -> {
      WorkflowExecutionHistory h = client.fetchHistory(ids.get(i));
      Map<Long, HistoryEvent> started = new HashMap<>();
      double best = Double.NaN;
      long bestDistance = Long.MAX_VALUE;
      for (HistoryEvent e : h.getEvents()) {
        if (e.getEventType() == EventType.EVENT_TYPE_TIMER_STARTED) {
          started.put(e.getEventId(), e);
        } else if (e.getEventType() == EventType.EVENT_TYPE_TIMER_FIRED) {
          HistoryEvent s = started.get(e.getTimerFiredEventAttributes().getStartedEventId());
          if (s == null) {
            continue;
          }
          long due = millis(s.getEventTime()) + s.getTimerStartedEventAttributes().getStartToFireTimeout().getSeconds() * 1000
              + s.getTimerStartedEventAttributes().getStartToFireTimeout().getNanos() / 1_000_000;
          long distance = Math.abs(due - dueEpochMs);
          if (distance < bestDistance) {
            bestDistance = distance;
            best = millis(e.getEventTime()) - due;
          }
        }
      }
      if (bestDistance <= 5_000) {
        late.add(best);
      }
    });
    List<Double> sorted = new ArrayList<>(late);
    sorted.sort(Double::compare);
    if (sorted.isEmpty()) {
      return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
    }
    return new Stats(sorted.size(), at(sorted, 0.50), at(sorted, 0.95), sorted.get(sorted.size() - 1));
  }

  private static double at(List<Double> sorted, double q) {
    return sorted.get(Math.min(sorted.size() - 1, (int) (q * sorted.size())));
  }

  private static long millis(com.google.protobuf.Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }

  /** A phase mark for bench/cpu-share.py, which charges each second's CPU to the phase running. */
  static void phase(String name) {
    System.out.println("PHASE " + name);
    System.out.flush();
  }

  /** One figure for bench/run's table: a JSON line (key; value; an optional text shown instead; unit; note). */
  static void result(String figure, double value, String text, String unit, String note) {
    System.out.printf("RESULT {\"figure\":\"%s\",\"value\":%s,\"text\":\"%s\",\"unit\":\"%s\",\"note\":\"%s\"}%n",
        figure, Double.isNaN(value) ? "null" : String.format(java.util.Locale.ROOT, "%.3f", value), text, unit, note);
  }
}
