package com.nurture.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestMail;
import com.nurture.activities.catalog.CatalogActivities;
import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.journal.JourneyRecorder;
import com.nurture.activities.mail.SmtpEmailActivities;
import com.nurture.activities.mail.SmtpPool;
import com.nurture.activities.mail.SmtpServer;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.activities.mail.UnsubscribeTokens;
import com.nurture.api.NurtureApplication;
import com.nurture.api.NurtureConfiguration;
import com.nurture.workflows.journey.LeadJourneyWorkflow;
import com.nurture.workflows.journey.LeadJourneyWorkflowImpl;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The priority lane on the real Temporal dev server. An {@code immediate} step's send is an activity
 * task in the first lane: with a batch enrolment's immediate welcomes waiting for the only activity
 * slot, the welcome of a lead enrolled one at a time after all of them is the first send the worker
 * is given. Without the lane the server hands sends out in the order they were scheduled and the
 * welcome would go out last. (A first run on the default 4 partitions put it 6th of 41: priority
 * holds within a partition.) A scheduled step's send (change id local-sends) is no activity task at
 * all: it runs inside its journey's workflow task, so a backlog of them goes out with no activity
 * slot anywhere and leaves the slots to the welcome.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class SendLaneE2E {
  private static final int BACKLOG = 40;
  /**
   * One partition per task queue: a queue's tasks are spread over 4 partitions by default, each
   * dispatched in priority order, and a poller is given a task from one of them; with one, the
   * order the sends go out in is the server's dispatch order.
   */
  private static final E2EServices E2E = new E2EServices("lane", Map.of(
      "matching.numTaskqueueWritePartitions", "1", "matching.numTaskqueueReadPartitions", "1"));
  private static final GreenMail SMTP = E2E.smtp;

  static final DropwizardAppExtension<NurtureConfiguration> API = E2E.api(NurtureApplication.class);

  @BeforeAll
  static void programs() {
    ProgramCatalog catalog = catalog();
    catalog.publish("""
        id: lane-scheduled
        name: Lane test, one scheduled send
        send_policy: none
        steps:
          - { id: news, send: { template: onboarding-problem } }
        """);
    catalog.publish("""
        id: lane-welcome
        name: Lane test, an immediate welcome
        send_policy: none
        steps:
          - { id: welcome, send: { template: onboarding-welcome, immediate: true } }
        """);
    // Through the API: its catalog drops its cached triggers on a publish (else up to 10 s stale).
    E2E.publish("lane-bulk", """
        id: lane-bulk
        name: Lane test, a batch enrolment's immediate welcome
        send_policy: none
        trigger: { event: form_submitted, where: { form: lane-bulk } }
        steps:
          - { id: welcome, send: { template: onboarding-welcome, immediate: true } }
        """);
  }

  @AfterAll
  static void stopAll() {
    E2E.close();
  }

  @Test
  void scheduledSendsNeedNoActivitySlotAndLeaveTheSlotsToTheWelcome() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 6);
    List<String> backlog = new ArrayList<>();
    for (int i = 0; i < BACKLOG; i++) {
      backlog.add(enrol("lane-" + run + "-" + i, "lane-scheduled"));
    }
    String welcomed = "lane-" + run + "-new";
    List<String> order = sendOrder(backlog, welcomed, false);
    assertThat(order.subList(0, BACKLOG)).as("the scheduled sends, out before any activity slot existed")
        .containsExactlyInAnyOrderElementsOf(backlog.stream().map(l -> l + "@example.com").toList());
    assertThat(order.get(BACKLOG)).as("then the welcome, the one activity task").isEqualTo(welcomed + "@example.com");
  }

  /**
   * A batch enrolment's journeys run in the bulk lane (IntakeLane): their own immediate welcomes
   * wait behind the welcome of a lead enrolled one at a time after all of them, as the scheduled
   * sends do. Without the lanes they share the first lane and the last welcome goes out last.
   */
  @Test
  void aSingleEnrolmentsWelcomeOvertakesTheWelcomesOfABatchEnrolment() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 6);
    List<String> backlog = new ArrayList<>();
    for (int i = 0; i < BACKLOG; i++) {
      backlog.add("bulk-" + run + "-" + i);
    }
    enrolInBatch(backlog);
    String welcomed = "one-" + run;
    List<String> order = sendOrder(backlog, welcomed, true);
    assertThat(order.indexOf(welcomed + "@example.com"))
        .as("the single enrolment's welcome among %d sends (the batch's %d immediate welcomes first): %s",
            order.size(), BACKLOG, order)
        .isLessThan(2);
  }

  /** The leads through {@code PUT /v1/leads:batch}, enrolled in lane-bulk by {@code POST /v1/events:batch}. */
  private static void enrolInBatch(List<String> ids) {
    List<Map<String, Object>> leads = new ArrayList<>();
    List<Map<String, Object>> events = new ArrayList<>();
    for (String lead : ids) {
      leads.add(Map.of("id", lead, "email", lead + "@example.com", "first_name", "Pat"));
      events.add(Map.of("lead_id", lead, "id", "form-" + lead, "type", "form_submitted",
          "properties", Map.of("form", "lane-bulk")));
    }
    E2E.call("PUT", "/v1/leads:batch", E2EServices.MA, Map.of("leads", leads), 200);
    E2E.call("POST", "/v1/events:batch", E2EServices.MA, Map.of("events", events), 200);
  }

  /**
   * With the backlog's sends (and nothing else) waiting as activity tasks ({@code backlogTasks}), or
   * gone out from their own workflow tasks (not), enrols {@code welcomed} one at a time in
   * lane-welcome, waits until its send is pending, then lets one activity slot work: the recipients
   * in the order the sends went out.
   */
  private static List<String> sendOrder(List<String> backlog, String welcomed, boolean backlogTasks) throws Exception {
    WorkflowClient client = beside(API.<NurtureApplication>getApplication().temporal().client());
    WorkflowServiceStubs service = client.getWorkflowServiceStubs();
    SmtpEmailActivities email = email();
    WorkerFactory journeys = WorkerFactory.newInstance(client);
    decider(journeys, email);
    WorkerFactory senders = WorkerFactory.newInstance(client);
    try {
      SMTP.purgeEmailFromAllMailboxes();
      journeys.start();
      List<String> leads = new ArrayList<>(backlog);
      if (backlogTasks) {
        await().atMost(Duration.ofSeconds(120)).until(() -> leads.stream().allMatch(l -> pendingSends(service, l) == 1));
      } else {
        await().atMost(Duration.ofSeconds(120)).until(() -> SMTP.getReceivedMessages().length == backlog.size());
        assertThat(leads).allSatisfy(l -> assertThat(pendingSends(service, l)).as("pending activities of " + l).isZero());
      }
      leads.add(enrol(welcomed, "lane-welcome"));
      await().atMost(Duration.ofSeconds(120)).until(() -> pendingSends(service, welcomed) == 1);
      assertThat(SMTP.getReceivedMessages()).as("no activity task's send before a slot exists")
          .hasSize(backlogTasks ? 0 : backlog.size());

      // One activity slot, one poller: the server decides the order the sends go out in.
      Worker sender = senders.newWorker(LeadJourneyWorkflow.TASK_QUEUE, WorkerOptions.newBuilder()
          .setMaxConcurrentActivityExecutionSize(1).setMaxConcurrentActivityTaskPollers(1).build());
      sender.registerActivitiesImplementations(email);
      senders.start();
      await().atMost(Duration.ofSeconds(120)).until(() -> SMTP.getReceivedMessages().length == leads.size());
      return Arrays.stream(SMTP.getReceivedMessages()).map(SendLaneE2E::recipient).toList();
    } finally {
      senders.shutdownNow();
      journeys.shutdownNow();
    }
  }

  /**
   * A client like the API's own (its data converter encrypts and decrypts the journeys' payloads, per
   * lead), on its connection, so the test's workers are not the API client's: its enrolments start
   * through matching, as in a {@code server} process. (With a worker on the API's client a start is
   * eager, and may take a slot of a worker an earlier test is still shutting down: a factory stays in
   * its client's registry until its workers have ended. Eager start is EagerStartE2E's.)
   */
  private static WorkflowClient beside(WorkflowClient api) {
    return WorkflowClient.newInstance(api.getWorkflowServiceStubs(), api.getOptions());
  }

  /** The send activities, on the test's GreenMail. */
  private static SmtpEmailActivities email() {
    return new SmtpEmailActivities(TestDatabase.jdbi(), new TemplateCatalog(),
        new UnsubscribeTokens(TestMail.SIGNING_KEY), TestMail.settings(URI.create("https://nurture.acme.example")),
        new SmtpServer("127.0.0.1", SMTP.getSmtp().getPort(), "", "", "smtp").mailer(Optional.empty(), SmtpPool.DEFAULT),
        Clock.systemUTC());
  }

  /** The journeys' workflow tasks and local activities, but no activity slot: every activity task's send waits. */
  private static void decider(WorkerFactory journeys, SmtpEmailActivities email) {
    Worker decider = journeys.newWorker(LeadJourneyWorkflow.TASK_QUEUE,
        WorkerOptions.newBuilder().setLocalActivityWorkerOnly(true).build());
    decider.registerWorkflowImplementationTypes(LeadJourneyWorkflowImpl.class);
    decider.registerActivitiesImplementations(email, new JourneyRecorder(TestDatabase.jdbi()), new CatalogActivities(catalog()));
  }

  private static ProgramCatalog catalog() {
    return new ProgramCatalog(TestDatabase.jdbi(), new TemplateCatalog());
  }

  private static String enrol(String lead, String program) {
    E2E.call("PUT", "/v1/leads/" + lead, E2EServices.MA, Map.of("email", lead + "@example.com", "first_name", "Pat"), 201);
    E2E.call("POST", "/v1/leads/" + lead + "/journey", E2EServices.MA, Map.of("program", program), 201);
    return lead;
  }

  private static int pendingSends(WorkflowServiceStubs service, String lead) {
    try {
      return service.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
          .setNamespace("default")
          .setExecution(WorkflowExecution.newBuilder().setWorkflowId(LeadJourneyWorkflow.workflowId(lead)))
          .build()).getPendingActivitiesCount();
    } catch (io.grpc.StatusRuntimeException notYet) {
      return 0;
    }
  }

  private static String recipient(MimeMessage m) {
    try {
      return m.getAllRecipients()[0].toString().replaceAll(".*<|>.*", "");
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
