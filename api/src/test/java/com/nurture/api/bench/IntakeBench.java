package com.nurture.api.bench;

import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.workflows.journey.EventDelivery;
import com.nurture.workflows.journey.JourneyInput;
import com.nurture.workflows.journey.JourneySearchAttributes;
import com.nurture.workflows.journey.JourneySettings;
import com.nurture.workflows.program.Program;
import com.nurture.workflows.program.ProgramParser;
import com.nurture.workflows.scoring.ScoringModel;
import com.nurture.workflows.journey.EventType;
import com.nurture.workflows.journey.LeadEvent;
import com.nurture.workflows.journey.LeadJourneyWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Intake throughput beside the raw SDK on the same Temporal server, in the same run
 * (bench/intake.sh): enrolment through the API (POST /v1/leads/{id}/journey) against starting a
 * trivial workflow with a raw {@code WorkflowClient}, and events through the API
 * (POST /v1/leads/{id}/events) against raw signals to the same running journeys; same number of
 * client threads each. Every path is first run, untimed, on other leads: as many as the optional sixth
 * argument says (bench/run: BENCH_INTAKE_WARM, by default as many as are timed), else a tenth of the
 * leads (at most 100), so the JIT has compiled it before anything is timed. A tenth was not enough: the
 * JVM's JIT compilers still took 2-4 s of CPU in each events phase and 11-13 s in each enrolment phase
 * (bench/cpu-share.py's threads), more in the API's phases, whose code the raw paths do not run. The phases that run journeys (the API's
 * enrolments, the raw starts of the same journey, the raw signals, the API's events) are also timed
 * until the worker is idle again ({@link WorkerTasks}): until the journeys took what was sent. Each
 * events phase starts with its journeys evicted from the worker's cache, and prints the cache's hits
 * and misses over it. Args: API port, API key, Temporal target, leads, threads[, warm-up leads].
 */
public final class IntakeBench {
  private IntakeBench() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    String key = args[1];
    String target = args[2];
    int n = Integer.parseInt(args[3]);
    int threads = Integer.parseInt(args[4]);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(target).build());
    WorkflowClient client = WorkflowClient.newInstance(service);
    String run = UUID.randomUUID().toString().substring(0, 6);
    String base = "http://127.0.0.1:" + port;

    List<String> leads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      leads.add("bench-" + run + "-" + i);
    }
    List<String> rawLeads = leads.stream().map(l -> "raw" + l).toList();
    // Leads to warm each path first (the JIT compiles the API's request path, the SDK's client and the
    // worker's journey code before anything is timed): as many as asked, else ten percent, at most 100.
    int w = args.length > 5 ? Integer.parseInt(args[5]) : Math.min(100, Math.max(1, n / 10));
    List<String> warm = java.util.stream.IntStream.range(0, w).mapToObj(i -> "warm-" + run + "-" + i).toList();
    List<String> warmRaw = warm.stream().map(l -> "raw" + l).toList();
    // Leads exist before the timed part (enrolment is what is measured).
    phase("store-leads");
    for (List<String> group : List.of(leads, rawLeads, warm, warmRaw)) {
      timed(group, threads, lead -> send(http, key, "PUT", base + "/v1/leads/" + lead,
          "{\"email\":\"" + lead + "@example.com\",\"first_name\":\"Pat\"}", 201));
    }

    // Raw baseline: start a trivial workflow (no worker needed: a start is persisted and answered).
    Call rawStart = lead -> WorkflowStub.fromTyped(client.newWorkflowStub(
        LeadJourneyWorkflow.class, WorkflowOptions.newBuilder().setWorkflowId("raw-" + lead)
            .setTaskQueue("bench-raw-no-worker").build())).start();
    // Enrolment through the API (the long onboarding program: journeys keep running).
    Call apiEnrol = lead -> send(http, key, "POST", base + "/v1/leads/" + lead + "/journey", ENROL, 201);
    // Second baseline: the raw SDK starting the same journey the API starts (the onboarding program,
    // the shipped scoring model, its search attributes) on the worker's queue, so the journeys run
    // and load the machine as the API's do: API enrol against this is the API's own cost.
    Program onboarding = new ProgramParser(t -> true).parse(ProgramCatalog.shippedSource("onboarding").orElseThrow(), 1);
    ScoringModel scoring = ProgramCatalog.shippedScoringModel();
    Call rawJourney = lead -> {
      JourneyInput input = JourneyInput.enrol(lead, Map.of("first_name", "Pat"), onboarding);
      input.state().withScoring(scoring).withSettings(JourneySettings.DEFAULTS);
      WorkflowClient.start(client.newWorkflowStub(LeadJourneyWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(LeadJourneyWorkflow.workflowId(lead)).setTaskQueue(LeadJourneyWorkflow.TASK_QUEUE)
          .setTypedSearchAttributes(JourneySearchAttributes.atStart(input)).build())::run, input);
    };
    // Events: raw signals to the running journeys vs the API (which stores, dedupes, routes, then signals).
    Call rawSignal = lead -> client.newUntypedWorkflowStub(LeadJourneyWorkflow.workflowId(lead))
        .signal("deliver", new EventDelivery(new LeadEvent("raw-" + UUID.randomUUID(), EventType.PAGE_VISITED,
            Instant.now(), Map.of("page", "blog")), List.of()));
    Call apiEvent = lead -> send(http, key, "POST", base + "/v1/leads/" + lead + "/events",
        "{\"id\":\"api-" + UUID.randomUUID() + "\",\"type\":\"page_visited\",\"properties\":{\"page\":\"blog\"}}", 202);

    phase("warm");
    timed(warm, threads, rawStart);
    timed(warm, threads, apiEnrol);
    awaitQueuedStarts(http, key);
    timed(warmRaw, threads, rawJourney);
    settle(w);
    timed(warm, threads, rawSignal);
    timed(warm, threads, apiEvent);
    settle(w);

    // A start or a signal is answered once stored; the journeys do their work after, in workflow tasks.
    // Each phase that runs journeys starts on an idle worker (before, the raw signals' workflow tasks ran
    // in the API's timed events, and its phase was charged with their CPU), and is also timed until the
    // worker is idle again: until the journeys took what the phase sent (an enrolment: the journey's
    // first steps, its welcome email included).
    WorkerTasks tasks = WorkerTasks.fromEnvironment(http);
    phase("raw-start");
    double rawStarts = timed(leads, threads, rawStart);
    tasks.awaitIdle();
    // Each pair runs in one order, the API's enrolments before the raw journeys and the raw signals
    // before the API's events; with BENCH_INTAKE_SWAP=1 in the other. The JVM's JIT compilers still work
    // through the first of a pair (for minutes after start), so run both orders to see what order costs.
    boolean swap = "1".equals(System.getenv("BENCH_INTAKE_SWAP"));
    Pair enrolments = inOrder(!swap, () -> {
      phase("api-enrol");
      long enrolStart = System.nanoTime();
      timed(leads, threads, apiEnrol);
      int queued = awaitQueuedStarts(http, key); // a queued enrolment counts once its journey has started
      double rate = leads.size() / ((System.nanoTime() - enrolStart) / 1e9);
      if (queued > 0) {
        System.out.println("  (" + queued + " enrolments answered 202, queued while Temporal was late; timed until they started)");
      }
      Timed api = new Timed(rate, tasks.takenRate(leads.size(), enrolStart), Optional.empty());
      settle(n);
      tasks.awaitIdle();
      return api;
    }, () -> {
      phase("raw-journey");
      long journeyStart = System.nanoTime();
      Timed raw = new Timed(timed(rawLeads, threads, rawJourney), tasks.takenRate(rawLeads.size(), journeyStart),
          Optional.empty());
      settle(n);
      tasks.awaitIdle();
      return raw;
    });
    double apiEnrols = enrolments.a().rate();
    double apiEnrolsTaken = enrolments.a().taken();
    double rawJourneys = enrolments.b().rate();
    double rawJourneysTaken = enrolments.b().taken();
    // Whether an event's journey is in the worker's cache moved the events' figures more than the API's
    // own cost: a workflow task that finds its journey cached took about 23 ms of the machine's CPU, one
    // that fetches its history and replays it 33-42 ms. So before each events phase the journeys started
    // raw (as many as the leads, more than the cache holds by default) take an untimed signal each:
    // the cache then holds them, and both phases find their own journeys evicted, as most events do in
    // production (no cache holds 100,000 journeys). Each phase prints its cache hits and misses.
    Pair events = inOrder(!swap,
        () -> eventsPhase("raw-signal", rawSignal, leads, threads, rawLeads, rawSignal, tasks),
        () -> eventsPhase("api-event", apiEvent, leads, threads, rawLeads, rawSignal, tasks));
    double rawSignals = events.a().rate();
    double rawSignalsTaken = events.a().taken();
    double apiEvents = events.b().rate();
    double apiEventsTaken = events.b().taken();
    Optional<WorkerTasks.CacheCounts> rawCache = events.a().cache();
    Optional<WorkerTasks.CacheCounts> apiCache = events.b().cache();

    phase("done");
    String sizes = n + " leads, " + threads + " threads";
    System.out.printf("intake, %d leads, %d client threads, same Temporal server:%n", n, threads);
    System.out.println(swap ? "  order (BENCH_INTAKE_SWAP): the raw journeys, then the API's enrolments; the API's events, then the raw signals"
        : "  order: the API's enrolments, then the raw journeys; the raw signals, then the API's events");
    System.out.printf("  raw WorkflowClient start (trivial)   %7.1f /s%n", rawStarts);
    System.out.printf("  API enrol POST /journey              %7.1f /s   = %.2fx raw%n", apiEnrols, apiEnrols / rawStarts);
    System.out.printf("  raw start of the same journey        %7.1f /s   (API enrol = %.2fx this)%n", rawJourneys,
        apiEnrols / rawJourneys);
    System.out.printf("  raw signal to the running journeys   %7.1f /s%n", rawSignals);
    System.out.printf("  API event POST /events               %7.1f /s   = %.2fx raw%n", apiEvents, apiEvents / rawSignals);
    if (tasks.known()) {
      System.out.printf("  until the journeys took their first steps (worker idle): raw start of the same journey %.1f /s,"
          + " API enrol %.1f /s = %.2fx%n", rawJourneysTaken, apiEnrolsTaken, apiEnrolsTaken / rawJourneysTaken);
      System.out.printf("  until the journeys took them (worker idle): raw signals %.1f /s, API events %.1f /s = %.2fx%n",
          rawSignalsTaken, apiEventsTaken, apiEventsTaken / rawSignalsTaken);
      System.out.printf("  the worker's workflow cache over each events phase: raw signals %s; API events %s%n",
          rawCache.map(Object::toString).orElse("?"), apiCache.map(Object::toString).orElse("?"));
      BurstBench.result("intake.raw_journey_taken", rawJourneysTaken, "", "/s", sizes);
      BurstBench.result("intake.api_enrol_taken", apiEnrolsTaken, "", "/s", sizes);
      BurstBench.result("intake.raw_signal_taken", rawSignalsTaken, "", "/s", sizes);
      BurstBench.result("intake.api_event_taken", apiEventsTaken, "", "/s", sizes);
    }
    BurstBench.result("intake.raw_start", rawStarts, "", "/s", sizes);
    BurstBench.result("intake.api_enrol", apiEnrols, "", "/s", sizes);
    BurstBench.result("intake.raw_journey_start", rawJourneys, "", "/s", sizes);
    BurstBench.result("intake.raw_signal", rawSignals, "", "/s", sizes);
    BurstBench.result("intake.api_event", apiEvents, "", "/s", sizes);
    service.shutdownNow();
    System.exit(0);
  }

  /** A timed phase: calls a second as answered, and until the journeys took them; the cache over it, if read. */
  private record Timed(double rate, double taken, Optional<WorkerTasks.CacheCounts> cache) {}

  /** One timed phase of a pair. */
  @FunctionalInterface
  private interface Step {
    Timed run() throws Exception;
  }

  /** The two phases of a pair, by name whichever ran first. */
  private record Pair(Timed a, Timed b) {}

  /** Runs {@code a} then {@code b}, or {@code b} then {@code a} when not {@code aFirst}. */
  private static Pair inOrder(boolean aFirst, Step a, Step b) throws Exception {
    if (aFirst) {
      Timed first = a.run();
      return new Pair(first, b.run());
    }
    Timed second = b.run();
    return new Pair(a.run(), second);
  }

  /**
   * An events phase: the leads' journeys evicted from the worker's cache first ({@link
   * #evictLeadsFromCache}, a signal to each of {@code others}), then {@code send} to each lead, timed as
   * answered and until the journeys took them, with the cache's hits and misses over it.
   */
  private static Timed eventsPhase(String name, Call send, List<String> leads, int threads, List<String> others,
      Call evict, WorkerTasks tasks) throws Exception {
    evictLeadsFromCache(others, threads, evict, tasks);
    phase(name);
    Optional<WorkerTasks.CacheCounts> before = tasks.cache();
    long start = System.nanoTime();
    double rate = timed(leads, threads, send);
    return new Timed(rate, tasks.takenRate(leads.size(), start), since(tasks.cache(), before));
  }

  /** 503s answered before a call was accepted (each tried again after a second, as an MA system does). */
  private static final java.util.concurrent.atomic.AtomicInteger REFUSED = new java.util.concurrent.atomic.AtomicInteger();

  /** Enrolments answered 202 (queued while Temporal was late), by their URL, until they have started. */
  private static final java.util.Set<String> QUEUED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * Waits until every enrolment answered 202 has started: asked again (idempotent) every half second
   * until answered 200 with the journey, so a queued enrolment counts when its journey exists, not
   * when it was answered. @return how many had been queued
   */
  private static int awaitQueuedStarts(HttpClient http, String key) throws Exception {
    int queued = QUEUED.size();
    while (!QUEUED.isEmpty()) {
      for (String url : List.copyOf(QUEUED)) {
        if (call(http, key, "POST", url, ENROL).statusCode() == 200) {
          QUEUED.remove(url);
        }
      }
      Thread.sleep(500);
    }
    return queued;
  }

  /** The enrolment's body: the long onboarding program (journeys keep running). */
  private static final String ENROL = "{\"program\":\"onboarding\"}";

  private static HttpResponse<String> call(HttpClient http, String key, String method, String url, String body)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void send(HttpClient http, String key, String method, String url, String body, int expected)
      throws Exception {
    long giveUp = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      HttpResponse<String> r = call(http, key, method, url, body);
      if (r.statusCode() == 503 && System.nanoTime() < giveUp) {
        REFUSED.incrementAndGet();
        Thread.sleep(1000);
        continue;
      }
      if (expected == 201 && r.statusCode() == 202 && url.endsWith("/journey")) {
        QUEUED.add(url); // Temporal late: the enrolment waits in the outbox (timed until it has started)
        return;
      }
      if (r.statusCode() != expected && !(expected == 201 && r.statusCode() == 200)) {
        throw new IllegalStateException(method + " " + url + ": " + r.statusCode() + " " + r.body());
      }
      return;
    }
  }

  private interface Call {
    void call(String lead) throws Exception;
  }

  /**
   * Untimed: a signal to each of {@code others}' journeys, then an idle worker, so the worker's cache
   * holds those journeys and not the leads' the next phase sends to.
   */
  private static void evictLeadsFromCache(List<String> others, int threads, Call signal, WorkerTasks tasks)
      throws Exception {
    phase("evict-cache");
    timed(others, threads, signal);
    tasks.awaitIdle();
  }

  private static Optional<WorkerTasks.CacheCounts> since(Optional<WorkerTasks.CacheCounts> now,
      Optional<WorkerTasks.CacheCounts> before) {
    return now.flatMap(n -> before.map(n::since));
  }

  /** Lets the journeys a phase started do their first steps before the next phase is timed. */
  private static void settle(int n) throws InterruptedException {
    Thread.sleep(Math.max(20_000, n * 25L));
  }

  /** A phase mark ({@link BurstBench#phase}), after the 503 answers of the phase before. */
  private static void phase(String name) {
    int refused = REFUSED.getAndSet(0);
    if (refused > 0) {
      System.out.println("  (the phase before: " + refused + " answers 503, each tried again after 1 s)");
    }
    BurstBench.phase(name);
  }

  private static double timed(List<String> leads, int threads, Call call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long start = System.nanoTime();
      List<Future<?>> all = new ArrayList<>();
      for (String lead : leads) {
        all.add(pool.submit(() -> {
          call.call(lead);
          return null;
        }));
      }
      for (Future<?> f : all) {
        f.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return leads.size() / seconds;
    } finally {
      // Also when a call failed (a 503 from a loaded Temporal): its threads would keep the JVM, and
      // bench/run's phase, waiting forever after main threw.
      pool.shutdownNow();
    }
  }
}
