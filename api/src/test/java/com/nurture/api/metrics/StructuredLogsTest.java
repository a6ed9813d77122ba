package com.nurture.api.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.nurture.activities.metrics.BusinessMetrics;
import com.nurture.worker.ActivityObservation;
import com.nurture.workflows.activities.EmailActivities;
import com.nurture.workflows.activities.JourneyActivities;
import com.nurture.workflows.activities.JourneyTransition;
import com.nurture.workflows.activities.OperatorAlert;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import com.nurture.workflows.journey.JourneyStatus;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.logging.common.ConsoleAppenderFactory;
import io.dropwizard.logging.common.DefaultLoggingFactory;
import io.dropwizard.logging.common.layout.DiscoverableLayoutFactory;
import io.dropwizard.logging.json.EventJsonLayoutBaseFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.worker.WorkerFactoryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Item 8's JSON lines and the worker's counting, on Temporal's activity test environment with the
 * worker's own interceptor: the logging block config.example.yml documents binds to Dropwizard's
 * JSON layout, and a line an activity logs comes out of that layout carrying lead_id, workflow_id
 * and run_id; SendEmail and the journey's recorded transitions are counted by program and step.
 */
class StructuredLogsTest {
  private static final org.slf4j.Logger ACTIVITY_LOG = LoggerFactory.getLogger("com.nurture.test.FakeActivities");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ListAppender<ILoggingEvent> lines = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent e) {
      e.prepareForDeferredProcessing(); // takes the MDC now, on the activity's thread
      super.append(e);
    }
  };
  private TestActivityEnvironment env;

  /** What the activity saw of its own execution: (workflow id, run id). */
  private static final AtomicReference<List<String>> SEEN = new AtomicReference<>();

  static final class FakeEmail implements EmailActivities {
    @Override
    public SendOutcome sendEmail(SendRequest request) {
      var info = Activity.getExecutionContext().getInfo();
      SEEN.set(List.of(info.getWorkflowId(), info.getWorkflowRunId()));
      ACTIVITY_LOG.info("sent {} ({}) to lead {}", request.template(), request.stepId(), request.leadId());
      return new SendOutcome(SendOutcome.Status.SENT, "<m1@acme.example>", "Welcome", request.template(),
          Instant.now());
    }

    @Override
    public void recordSendFailed(String idempotencyKey, String reason) {}
  }

  static final class FakeJourney implements JourneyActivities {
    @Override
    public void recordTransition(JourneyTransition transition) {}

    @Override
    public void recordTransitions(List<JourneyTransition> transitions) {
      ACTIVITY_LOG.info("recorded {} transitions", transitions.size());
    }

    @Override
    public void suppress(String leadId, String reason) {}

    @Override
    public void raiseAlert(OperatorAlert alert) {}
  }

  @BeforeEach
  void start() {
    lines.start();
    ((Logger) ACTIVITY_LOG).addAppender(lines);
    env = TestActivityEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkerFactoryOptions(WorkerFactoryOptions.newBuilder()
            .setWorkerInterceptors(new ActivityObservation(new BusinessMetrics(registry)))
            .build())
        .build());
    env.registerActivitiesImplementations(new FakeEmail(), new FakeJourney());
  }

  @AfterEach
  void stop() {
    ((Logger) ACTIVITY_LOG).detachAppender(lines);
    env.close();
  }

  private static ActivityOptions options() {
    return ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build();
  }

  /** The JSON layout as config.example.yml's commented `appenders` block configures it. */
  private static LayoutBase<ILoggingEvent> exampleJsonLayout() throws Exception {
    List<String> example = Files.readAllLines(Path.of("..", "config.example.yml"));
    int start = example.indexOf("  # appenders:");
    assertThat(start).as("config.example.yml documents the JSON appenders block").isPositive();
    List<String> block = new ArrayList<>();
    for (int i = start; i < example.size() && example.get(i).startsWith("  # "); i++) {
      block.add(example.get(i).substring(4));
    }
    ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());
    DefaultLoggingFactory logging = yaml.readValue(String.join("\n", block), DefaultLoggingFactory.class);
    assertThat(logging.getAppenders()).singleElement().isInstanceOf(ConsoleAppenderFactory.class);
    DiscoverableLayoutFactory<?> layout = ((ConsoleAppenderFactory<?>) logging.getAppenders().get(0)).getLayout();
    assertThat(layout).isInstanceOf(EventJsonLayoutBaseFactory.class);
    return ((EventJsonLayoutBaseFactory) layout).build((LoggerContext) LoggerFactory.getILoggerFactory(),
        TimeZone.getTimeZone("UTC"));
  }

  @Test
  void anActivityLogLineInJsonCarriesTheLeadWorkflowAndRunIds() throws Exception {
    LayoutBase<ILoggingEvent> layout = exampleJsonLayout();
    SendRequest request = new SendRequest("crm-42", "run-1", "onboarding", 3, "welcome", 0, "welcome");

    env.newActivityStub(EmailActivities.class, options()).sendEmail(request);

    assertThat(lines.list).hasSize(1);
    JsonNode line = Jackson.newObjectMapper().readTree(layout.doLayout(lines.list.get(0)));
    assertThat(line.path("message").asText()).isEqualTo("sent welcome (welcome) to lead crm-42");
    assertThat(line.path("lead_id").asText()).isEqualTo("crm-42");
    assertThat(line.path("workflow_id").asText()).isEqualTo(SEEN.get().get(0)).isNotBlank();
    assertThat(line.path("run_id").asText()).isEqualTo(SEEN.get().get(1)).isNotBlank();
    assertThat(line.path("activity").asText()).isEqualTo("SendEmail");
    assertThat(line.path("level").asText()).isEqualTo("INFO");
    assertThat(line.path("logger").asText()).isEqualTo("com.nurture.test.FakeActivities");
    assertThat(line.path("timestamp").isMissingNode()).isFalse();
    assertThat(line.toString()).as("ids only").doesNotContain("@");

    // Counted by program and step, with the lag from scheduling to the SMTP server's acceptance.
    assertThat(registry.get(BusinessMetrics.EMAILS_SENT).tags("program", "onboarding", "step", "welcome")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get(BusinessMetrics.SEND_LAG).tags("program", "onboarding").timer().count()).isEqualTo(1);
  }

  @Test
  void theJourneysRecordedTransitionsCountFailedSendsHandOffsAndSlaBreaches() {
    List<JourneyTransition> transitions = List.of(
        transition("send_failed", Map.of("step", "day-3", "reason", "permanent")),
        transition("email_sent", Map.of("step", "day-7")),
        transition("handed_off", Map.of("reason", "pricing visit")),
        transition("sla_breached", Map.of("level", 2)));

    env.newActivityStub(JourneyActivities.class, options()).recordTransitions(transitions);

    assertThat(registry.get(BusinessMetrics.EMAILS_FAILED)
        .tags("program", "onboarding", "step", "day-3", "reason", "permanent").counter().count()).isEqualTo(1);
    assertThat(registry.get(BusinessMetrics.HANDOFFS).tags("program", "onboarding").counter().count()).isEqualTo(1);
    assertThat(registry.get(BusinessMetrics.SLA_BREACHES).tags("program", "onboarding", "level", "2")
        .counter().count()).isEqualTo(1);
    assertThat(registry.find(BusinessMetrics.EMAILS_SENT).counters())
        .as("a sent email is counted where SMTP accepted it, not again from the timeline").isEmpty();
    // The lead comes from the transitions themselves, and no label carries it.
    assertThat(lines.list).singleElement()
        .satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry(ActivityObservation.LEAD_ID, "crm-7"));
    assertThat(registry.getMeters().stream().flatMap(m -> m.getId().getTags().stream())
        .map(t -> t.getValue()).collect(Collectors.toSet())).doesNotContain("crm-7");
  }

  private static JourneyTransition transition(String kind, Map<String, Object> detail) {
    return new JourneyTransition("crm-7", "lead-crm-7", "run-9", "onboarding", 1, JourneyStatus.ACTIVE, "day-3",
        Optional.empty(), Instant.parse("2026-01-05T10:00:00Z"), 0, kind, detail, Instant.parse("2026-01-05T10:00:00Z"),
        kind + "/1");
  }
}
