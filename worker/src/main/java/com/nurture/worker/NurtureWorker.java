package com.nurture.worker;

import com.nurture.activities.catalog.CatalogActivities;
import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.journal.JourneyRecorder;
import com.nurture.activities.mail.MailSettings;
import com.nurture.activities.mail.SmtpEmailActivities;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.activities.mail.UnsubscribeTokens;
import com.nurture.activities.sales.SalesRecorder;
import com.nurture.activities.sales.SalesSettings;
import com.nurture.workflows.journey.LeadJourneyWorkflow;
import com.nurture.workflows.journey.LeadJourneyWorkflowImpl;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
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
      ConfirmationTokens confirmations, Mailer mailer, SalesSettings sales) {
    this(client, jdbi, mail, tokens, confirmations, mailer, sales, WorkerTuning.DEFAULT);
  }

  public NurtureWorker(WorkflowClient client, Jdbi jdbi, MailSettings mail, UnsubscribeTokens tokens,
      ConfirmationTokens confirmations, Mailer mailer, SalesSettings sales, WorkerTuning tuning) {
    this.factory = WorkerFactory.newInstance(client, WorkerFactoryOptions.newBuilder()
        .setWorkflowCacheSize(tuning.workflowCache())
        .setMaxWorkflowThreadCount(Math.max(tuning.workflowCache(), 600))
        .build());
    Worker worker = factory.newWorker(LeadJourneyWorkflow.TASK_QUEUE, WorkerOptions.newBuilder()
        .setMaxConcurrentWorkflowTaskExecutionSize(tuning.maxConcurrentWorkflowTasks())
        .setMaxConcurrentActivityExecutionSize(tuning.maxConcurrentActivities())
        .setMaxConcurrentLocalActivityExecutionSize(tuning.maxConcurrentLocalActivities())
        .setMaxConcurrentWorkflowTaskPollers(tuning.workflowPollers())
        .setMaxConcurrentActivityTaskPollers(tuning.activityPollers())
        .build());
    worker.registerWorkflowImplementationTypes(LeadJourneyWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new SmtpEmailActivities(jdbi, new TemplateCatalog(), tokens, mail, mailer, Clock.systemUTC()),
        new JourneyRecorder(jdbi),
        new CatalogActivities(new ProgramCatalog(jdbi, new TemplateCatalog())),
        new SalesRecorder(jdbi, sales, Clock.systemUTC(), mailer, mail),
        new ConfirmationMailer(jdbi, confirmations, mail, mailer, Clock.systemUTC()));
  }

  public void start() {
    factory.start();
    log.info("worker polling task queue '{}'", LeadJourneyWorkflow.TASK_QUEUE);
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
