package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestSmtp;
import com.nurture.worker.NurtureWorker;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/**
 * A worker started while Temporal is away (its port closed: a relay in front of a Temporal test
 * server) waits for it instead of failing the role: the chaos suite saw a worker restarted during
 * a Temporal restart exit with UNAVAILABLE, to be started again by its supervisor. Here the relay
 * opens only once the worker has said it is waiting; the application then starts and a journey runs.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class WorkerStartTest {
  private static final GreenMail SMTP = TestSmtp.start();
  private static final RelayedTemporal TEMPORAL = new RelayedTemporal();
  private static final ListAppender<ILoggingEvent> WORKER_LOG = new ListAppender<>();

  static {
    TEMPORAL.relay().down();
    WORKER_LOG.setName("worker-start-test");
    Thread opener = new Thread(() -> {
      // The application's start resets logging (Dropwizard configures logback), dropping appenders
      // added before (and stopping them): attach it again until it has heard the worker wait (it says so at each attempt).
      Logger logger = (Logger) LoggerFactory.getLogger(NurtureWorker.class);
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100)).until(() -> {
        if (logger.getAppender(WORKER_LOG.getName()) == null) {
          WORKER_LOG.setContext(logger.getLoggerContext());
          WORKER_LOG.start(); // a reset stops the appenders it detaches
          logger.addAppender(WORKER_LOG);
        }
        return waiting();
      });
      TEMPORAL.relay().up();
    }, "relay-opener");
    opener.setDaemon(true);
    opener.start();
  }

  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP,
      ConfigOverride.config("temporal.target", TEMPORAL.target()));
  private static final TestApi API = new TestApi(APP);

  private static boolean waiting() {
    return WORKER_LOG.list.stream().anyMatch(e -> e.getFormattedMessage().contains("Temporal is not answering at start"));
  }

  @AfterAll
  static void stop() {
    TEMPORAL.closeWith(API, SMTP);
  }

  @Test
  void aWorkerStartedWhileTemporalIsAwayStartsWhenItComesBack() {
    assertThat(waiting()).as("the worker tried while the relay was closed").isTrue();
    String program = API.clickWaitProgram();
    String id = API.lead(TestApi.newId("late-start") + "@example.com", Map.of());
    API.json(API.call("/v1/leads/" + id + "/journey", MA).post(Entity.json(Map.of("program", program))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> API.journey(id).path("emails_sent").asInt() == 1);
    assertThat(WORKER_LOG.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).contains("worker polling task queue"));
  }
}
