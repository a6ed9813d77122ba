package com.nurture.api.bench;

import com.nurture.workflows.journey.EventDelivery;
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
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Intake throughput beside the raw SDK on the same Temporal server, in the same run
 * (bench/intake.sh): enrolment through the API (POST /v1/leads/{id}/journey) against starting a
 * trivial workflow with a raw {@code WorkflowClient}, and events through the API
 * (POST /v1/leads/{id}/events) against raw signals to the same running journeys; same number of
 * client threads each. Args: API port, API key, Temporal target, leads, threads.
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
    // Leads exist before the timed part (enrolment is what is measured).
    timed(leads, threads, lead -> send(http, key, "PUT", base + "/v1/leads/" + lead,
        "{\"email\":\"" + lead + "@example.com\",\"first_name\":\"Pat\"}", 201));

    // Raw baseline: start a trivial workflow (no worker needed: a start is persisted and answered).
    double rawStarts = timed(leads, threads, lead -> WorkflowStub.fromTyped(client.newWorkflowStub(
        LeadJourneyWorkflow.class, WorkflowOptions.newBuilder().setWorkflowId("raw-" + lead)
            .setTaskQueue("bench-raw-no-worker").build())).start());
    // Warm, then measured: enrolment through the API (the long onboarding program: journeys keep running).
    double apiEnrol = timed(leads, threads, lead -> send(http, key, "POST", base + "/v1/leads/" + lead + "/journey",
        "{\"program\":\"onboarding\"}", 201));

    // Events: raw signals to the running journeys vs the API (which stores, dedupes, routes, then signals).
    double rawSignals = timed(leads, threads, lead -> client.newUntypedWorkflowStub(LeadJourneyWorkflow.workflowId(lead))
        .signal("deliver", new EventDelivery(new LeadEvent("raw-" + UUID.randomUUID(), EventType.PAGE_VISITED,
            Instant.now(), Map.of("page", "blog")), List.of())));
    double apiEvents = timed(leads, threads, lead -> send(http, key, "POST", base + "/v1/leads/" + lead + "/events",
        "{\"id\":\"api-" + UUID.randomUUID() + "\",\"type\":\"page_visited\",\"properties\":{\"page\":\"blog\"}}", 202));

    System.out.printf("intake, %d leads, %d client threads, same Temporal server:%n", n, threads);
    System.out.printf("  raw WorkflowClient start (trivial)   %7.1f /s%n", rawStarts);
    System.out.printf("  API enrol POST /journey              %7.1f /s   = %.2fx raw%n", apiEnrol, apiEnrol / rawStarts);
    System.out.printf("  raw signal to the running journeys   %7.1f /s%n", rawSignals);
    System.out.printf("  API event POST /events               %7.1f /s   = %.2fx raw%n", apiEvents, apiEvents / rawSignals);
    BurstBench.result("intake.raw_start", rawStarts, "", "/s", n + " leads, " + threads + " threads");
    BurstBench.result("intake.api_enrol", apiEnrol, "", "/s", n + " leads, " + threads + " threads");
    BurstBench.result("intake.raw_signal", rawSignals, "", "/s", n + " leads, " + threads + " threads");
    BurstBench.result("intake.api_event", apiEvents, "", "/s", n + " leads, " + threads + " threads");
    service.shutdownNow();
    System.exit(0);
  }

  private static void send(HttpClient http, String key, String method, String url, String body, int expected)
      throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expected && !(expected == 201 && r.statusCode() == 200)) {
      throw new IllegalStateException(method + " " + url + ": " + r.statusCode() + " " + r.body());
    }
  }

  private interface Call {
    void call(String lead) throws Exception;
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
