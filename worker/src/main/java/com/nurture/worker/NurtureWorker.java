package com.nurture.worker;

import com.nurture.activities.catalog.CatalogActivities;
import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.journal.JourneyRecorder;
import com.nurture.activities.mail.MailSettings;
import com.nurture.activities.mail.SmtpEmailActivities;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.activities.mail.UnsubscribeTokens;
import com.nurture.activities.metrics.BusinessMetrics;
import com.nurture.activities.sales.SalesRecorder;
import com.nurture.activities.sales.SalesSettings;
import com.nurture.workflows.journey.LeadJourneyWorkflow;
import com.nurture.workflows.journey.LeadJourneyWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.simplejavamail.api.mailer.Mailer;
import com.nurture.activities.consent.ConfirmationMailer;
import com.nurture.activities.consent.ConfirmationTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A Temporal worker on the {@code nurture} task queue: the journey workflow and its activities. */
public final class NurtureWorker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NurtureWorker.class);
  private final WorkerFactory factory;

  public NurtureWorker(WorkflowClient client, Jdbi jdbi, MailSettings mail, UnsubscribeTokens tokens,
      ConfirmationTokens confirmations, Mailer mailer, SalesSettings sales, BusinessMetrics metrics) {
    this(client, jdbi, mail, tokens, confirmations, mailer, sales, metrics, WorkerTuning.DEFAULT);
  }

  public NurtureWorker(WorkflowClient client, Jdbi jdbi, MailSettings mail, UnsubscribeTokens tokens,
      ConfirmationTokens confirmations, Mailer mailer, SalesSettings sales, BusinessMetrics metrics,
      WorkerTuning tuning) {
    // Every activity runs inside ActivityObservation: ids in the log MDC, business counters.
    this.factory = WorkerFactory.newInstance(client, tuning.factoryOptions()
        .setWorkerInterceptors(new ActivityObservation(metrics))
        .build());
    Worker worker = factory.newWorker(LeadJourneyWorkflow.TASK_QUEUE, tuning.workerOptions());
    worker.registerWorkflowImplementationTypes(LeadJourneyWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new SmtpEmailActivities(jdbi, new TemplateCatalog(), tokens, mail, mailer, Clock.systemUTC()),
        new JourneyRecorder(jdbi),
        new CatalogActivities(new ProgramCatalog(jdbi, new TemplateCatalog())),
        new SalesRecorder(jdbi, sales, Clock.systemUTC(), mailer, mail),
        new ConfirmationMailer(jdbi, confirmations, mail, mailer, Clock.systemUTC()));
  }

  /** How long a worker started while Temporal is away waits for it before the start fails. */
  static final java.time.Duration START_WAIT = java.time.Duration.ofMinutes(2);

  /**
   * Starts polling. A worker started while Temporal is away (a reboot, a start order, a Temporal
   * restart) waits for it, trying again after 1, 2, 4 and then every 5 s for up to {@link
   * #START_WAIT}, logging each attempt, instead of failing the role at once: the SDK's start asks
   * Temporal for the namespace before it changes any state, so it can be tried again.
   */
  public void start() {
    long giveUp = System.nanoTime() + START_WAIT.toNanos();
    long backoffMillis = 1000;
    for (int attempt = 1; ; attempt++) {
      try {
        factory.start();
        log.info("worker polling task queue '{}'", LeadJourneyWorkflow.TASK_QUEUE);
        return;
      } catch (io.grpc.StatusRuntimeException e) {
        io.grpc.Status.Code code = e.getStatus().getCode();
        boolean away = code == io.grpc.Status.Code.UNAVAILABLE || code == io.grpc.Status.Code.DEADLINE_EXCEEDED;
        if (!away || System.nanoTime() + backoffMillis * 1_000_000 > giveUp) {
          throw e;
        }
        log.warn("worker: Temporal is not answering at start ({}); trying again in {} s (attempt {})", code,
            backoffMillis / 1000, attempt);
        try {
          Thread.sleep(backoffMillis);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        backoffMillis = Math.min(backoffMillis * 2, 5000);
      }
    }
  }

  public boolean isRunning() {
    return factory.isStarted() && !factory.isShutdown();
  }

  /** Lets running activities finish (up to 30 s) before stopping. */
  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    log.info("worker stopped");
  }
}
