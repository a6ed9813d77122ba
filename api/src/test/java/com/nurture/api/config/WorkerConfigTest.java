package com.nurture.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.worker.WorkerOptions;
import io.temporal.worker.tuning.PollerBehaviorAutoscaling;
import io.temporal.worker.tuning.PollerBehaviorSimpleMaximum;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * config.yml's worker section becomes the worker's options: slots, pollers fixed or scaling with the
 * backlog, the sticky queue's timeout, the deadlock detector's.
 */
class WorkerConfigTest {
  @Test
  void byDefaultTenWorkflowPollersAndFiveActivityPollersAreFixed() {
    WorkerOptions options = new WorkerConfig().tuning().workerOptions();
    assertThat(options.getWorkflowTaskPollersBehavior()).isInstanceOfSatisfying(PollerBehaviorSimpleMaximum.class,
        p -> assertThat(p.getMaxConcurrentTaskPollers()).isEqualTo(10));
    assertThat(options.getActivityTaskPollersBehavior()).isInstanceOfSatisfying(PollerBehaviorSimpleMaximum.class,
        p -> assertThat(p.getMaxConcurrentTaskPollers()).isEqualTo(5));
    assertThat(options.getMaxConcurrentWorkflowTaskExecutionSize()).isEqualTo(200);
    assertThat(options.getMaxConcurrentLocalActivityExecutionSize()).isEqualTo(200);
  }

  @Test
  void aMaximumAboveZeroLetsThePollersScaleFromOneUpToItStartingAtTheCounts() {
    WorkerConfig config = new WorkerConfig();
    config.pollerAutoscalingMax = 100;
    WorkerOptions options = config.tuning().workerOptions();
    assertThat(options.getWorkflowTaskPollersBehavior()).isInstanceOfSatisfying(PollerBehaviorAutoscaling.class, p -> {
      assertThat(p.getInitialConcurrentTaskPollers()).isEqualTo(10);
      assertThat(p.getMinConcurrentTaskPollers()).isEqualTo(1);
      assertThat(p.getMaxConcurrentTaskPollers()).isEqualTo(100);
    });
    assertThat(options.getActivityTaskPollersBehavior()).isInstanceOfSatisfying(PollerBehaviorAutoscaling.class, p -> {
      assertThat(p.getInitialConcurrentTaskPollers()).isEqualTo(5);
      assertThat(p.getMaxConcurrentTaskPollers()).isEqualTo(100);
    });
  }

  @Test
  void aMaximumOfZeroKeepsTheCountsFixed() {
    WorkerConfig config = new WorkerConfig();
    config.pollerAutoscalingMax = 0;
    config.workflowPollers = 8;
    config.activityPollers = 3;
    WorkerOptions options = config.tuning().workerOptions();
    assertThat(options.getWorkflowTaskPollersBehavior()).isInstanceOfSatisfying(PollerBehaviorSimpleMaximum.class,
        p -> assertThat(p.getMaxConcurrentTaskPollers()).isEqualTo(8));
    assertThat(options.getActivityTaskPollersBehavior()).isInstanceOfSatisfying(PollerBehaviorSimpleMaximum.class,
        p -> assertThat(p.getMaxConcurrentTaskPollers()).isEqualTo(3));
  }

  @Test
  void aMaximumBelowTheStartingCountStillAllowsThatCount() {
    WorkerConfig config = new WorkerConfig();
    config.pollerAutoscalingMax = 2;
    config.workflowPollers = 6;
    assertThat(config.tuning().workerOptions().getWorkflowTaskPollersBehavior())
        .isInstanceOfSatisfying(PollerBehaviorAutoscaling.class, p -> {
          assertThat(p.getInitialConcurrentTaskPollers()).isEqualTo(6);
          assertThat(p.getMaxConcurrentTaskPollers()).isEqualTo(6);
        });
  }

  @Test
  void theStickyQueuesTimeoutIsTemporalsFiveSecondsUnlessSet() {
    assertThat(new WorkerConfig().tuning().workerOptions().getStickyQueueScheduleToStartTimeout())
        .isEqualTo(Duration.ofSeconds(5));
    WorkerConfig config = new WorkerConfig();
    config.stickyScheduleToStartTimeout = io.dropwizard.util.Duration.minutes(30);
    assertThat(config.tuning().workerOptions().getStickyQueueScheduleToStartTimeout()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void aJourneyLeavesTheStickyQueueForASleepOfAMinuteOrMoreUnlessSet() {
    assertThat(new WorkerConfig().tuning().stickyMaxSleep()).isEqualTo(Duration.ofMinutes(1));
    WorkerConfig config = new WorkerConfig();
    config.stickyMaxSleep = io.dropwizard.util.Duration.hours(2);
    assertThat(config.tuning().stickyMaxSleep()).isEqualTo(Duration.ofHours(2));
  }

  @Test
  void aWorkflowThreadMayRunOrWaitFiveSecondsBeforeItsTaskFailsAsADeadlockUnlessSet() {
    assertThat(new WorkerConfig().tuning().workerOptions().getDefaultDeadlockDetectionTimeout()).isEqualTo(5_000);
    WorkerConfig config = new WorkerConfig();
    config.deadlockDetectionTimeout = io.dropwizard.util.Duration.milliseconds(1_500);
    assertThat(config.tuning().workerOptions().getDefaultDeadlockDetectionTimeout()).isEqualTo(1_500);
  }

  @Test
  void aDeadlockTimeoutThatTheWorkflowTasksOwnTimeoutWouldPreemptIsRefused() {
    WorkerConfig config = new WorkerConfig();
    config.deadlockDetectionTimeout = io.dropwizard.util.Duration.seconds(10);
    assertThatThrownBy(config::tuning).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deadlock detection timeout").hasMessageContaining("10 s");
  }

  @Test
  void aNegativeMaximumIsRefused() {
    WorkerConfig config = new WorkerConfig();
    config.pollerAutoscalingMax = -1;
    assertThatThrownBy(config::tuning).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("autoscaling");
  }
}
