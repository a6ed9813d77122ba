package com.nurture.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.StartTimerCommandAttributes;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.protocol.v1.Message;
import io.temporal.api.taskqueue.v1.StickyExecutionAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskFailedRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LongSleepReleaseTest {
  private static final Duration LIMIT = Duration.ofMinutes(1);

  private static Command timer(Duration fire) {
    return Command.newBuilder().setCommandType(CommandType.COMMAND_TYPE_START_TIMER)
        .setStartTimerCommandAttributes(StartTimerCommandAttributes.newBuilder().setTimerId("t")
            .setStartToFireTimeout(com.google.protobuf.Duration.newBuilder()
                .setSeconds(fire.getSeconds()).setNanos(fire.getNano())))
        .build();
  }

  private static Command of(CommandType type) {
    return Command.newBuilder().setCommandType(type).build();
  }

  private static RespondWorkflowTaskCompletedRequest.Builder sticky(Command... commands) {
    return RespondWorkflowTaskCompletedRequest.newBuilder()
        .setStickyAttributes(StickyExecutionAttributes.newBuilder()
            .setWorkerTaskQueue(TaskQueue.newBuilder().setName("host:sticky")))
        .addAllCommands(List.of(commands));
  }

  private static boolean releases(RespondWorkflowTaskCompletedRequest.Builder completion) {
    return LongSleepRelease.releases(completion.build(), LIMIT);
  }

  @Test
  void aJourneyGoingToSleepForTheLimitOrLongerGivesUpTheStickyQueue() {
    assertThat(releases(sticky(timer(LIMIT)))).isTrue();
    assertThat(releases(sticky(of(CommandType.COMMAND_TYPE_RECORD_MARKER),
        of(CommandType.COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES), of(CommandType.COMMAND_TYPE_CANCEL_TIMER),
        of(CommandType.COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES), timer(Duration.ofDays(3))))).isTrue();
  }

  @Test
  void aShorterSleepKeepsIt() {
    assertThat(releases(sticky(timer(LIMIT.minusMillis(1))))).isFalse();
    assertThat(releases(sticky(timer(Duration.ofDays(3)), timer(Duration.ofSeconds(10))))).as("one short timer")
        .isFalse();
  }

  @Test
  void anythingThatAnswersSoonKeepsIt() {
    assertThat(releases(sticky(of(CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK), timer(Duration.ofDays(3)))))
        .as("an activity").isFalse();
    assertThat(releases(sticky(of(CommandType.COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION), timer(Duration.ofDays(3)))))
        .as("a child").isFalse();
    assertThat(releases(sticky(timer(Duration.ofDays(3))).addMessages(Message.newBuilder().setId("update-1"))))
        .as("an update's message").isFalse();
    assertThat(releases(sticky(timer(Duration.ofDays(3))).setForceCreateNewWorkflowTask(true)))
        .as("a workflow task heartbeat").isFalse();
    assertThat(releases(sticky(timer(Duration.ofDays(3))).setReturnNewWorkflowTask(true))).isFalse();
  }

  @Test
  void aTaskThatStartsNoTimerKeepsIt() {
    assertThat(releases(sticky())).as("no command: an event changed nothing").isFalse();
    assertThat(releases(sticky(of(CommandType.COMMAND_TYPE_RECORD_MARKER)))).isFalse();
    assertThat(releases(sticky(of(CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION)))).isFalse();
  }

  @Test
  void aCompletionWithoutStickyAttributesIsLeftAlone() {
    assertThat(releases(RespondWorkflowTaskCompletedRequest.newBuilder().addCommands(timer(Duration.ofDays(3)))))
        .isFalse();
  }

  @Test
  void aLimitOfZeroIsRefused() {
    assertThatThrownBy(() -> new LongSleepRelease(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A channel that keeps what each call sent. */
  private static final class Sent extends Channel {
    final List<Object> messages = new ArrayList<>();

    @Override
    public <Q, A> ClientCall<Q, A> newCall(MethodDescriptor<Q, A> method, CallOptions options) {
      return new ClientCall<>() {
        @Override
        public void start(Listener<A> listener, Metadata headers) { }

        @Override
        public void request(int n) { }

        @Override
        public void cancel(String message, Throwable cause) { }

        @Override
        public void halfClose() { }

        @Override
        public void sendMessage(Q message) {
          messages.add(message);
        }
      };
    }

    @Override
    public String authority() {
      return "test";
    }
  }

  private static <Q> void send(LongSleepRelease release, Sent channel, MethodDescriptor<Q, ?> method, Q message) {
    release.interceptCall(method, CallOptions.DEFAULT, channel).sendMessage(message);
  }

  @Test
  void theInterceptorSendsALongSleepsCompletionWithoutItsStickyAttributesAndEveryOtherCallAsItCame() {
    LongSleepRelease release = new LongSleepRelease(LIMIT);
    Sent channel = new Sent();
    RespondWorkflowTaskCompletedRequest asleep = sticky(of(CommandType.COMMAND_TYPE_RECORD_MARKER),
        timer(Duration.ofDays(2))).build();
    RespondWorkflowTaskCompletedRequest working = sticky(of(CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK)).build();
    RespondWorkflowTaskFailedRequest failed = RespondWorkflowTaskFailedRequest.newBuilder().setIdentity("w").build();

    send(release, channel, WorkflowServiceGrpc.getRespondWorkflowTaskCompletedMethod(), asleep);
    send(release, channel, WorkflowServiceGrpc.getRespondWorkflowTaskCompletedMethod(), working);
    send(release, channel, WorkflowServiceGrpc.getRespondWorkflowTaskFailedMethod(), failed);

    assertThat(channel.messages).hasSize(3);
    RespondWorkflowTaskCompletedRequest sentAsleep = (RespondWorkflowTaskCompletedRequest) channel.messages.get(0);
    assertThat(sentAsleep.hasStickyAttributes()).isFalse();
    assertThat(sentAsleep.getCommandsList()).isEqualTo(asleep.getCommandsList());
    assertThat(channel.messages.get(1)).isSameAs(working);
    assertThat(channel.messages.get(2)).isSameAs(failed);
    assertThat(release.released()).isEqualTo(1);
  }
}
