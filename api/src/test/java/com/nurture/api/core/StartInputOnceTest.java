package com.nurture.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.journey.JourneyInput;
import com.nurture.workflows.journey.LeadJourneyWorkflow;
import com.nurture.workflows.journey.LeadJourneyWorkflowImpl;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.context.SerializationContext;
import io.temporal.payload.context.WorkflowSerializationContext;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A workflow's input read for its constructor is not read again for its workflow method; nothing
 * else is shared: not equal inputs, not other types, not a third read.
 */
class StartInputOnceTest {
  record Probe(String name, List<String> items) {}

  /** The SDK's default converter, counting the decodes of whole argument lists it is asked for, and of journey inputs. */
  private final AtomicInteger decodes = new AtomicInteger();
  private final AtomicInteger journeyInputs = new AtomicInteger();
  private final List<SerializationContext> contexts = new ArrayList<>();
  private final DataConverter counting = counting(DefaultDataConverter.newDefaultInstance());

  private DataConverter counting(DataConverter real) {
    return (DataConverter) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataConverter.class},
        (proxy, method, args) -> {
          if (method.getName().equals("withContext")) {
            contexts.add((SerializationContext) args[0]);
            return proxy;
          }
          if (method.getName().equals("fromPayloads") && args.length == 3) {
            decodes.incrementAndGet();
            if (List.of((Class<?>[]) args[1]).contains(JourneyInput.class)) {
              journeyInputs.incrementAndGet();
            }
          }
          return method.invoke(real, args);
        });
  }

  private final StartInputOnce converter = new StartInputOnce(counting, Set.of(Probe.class, JourneyInput.class));

  private static Payloads payloads(Object value) {
    return DefaultDataConverter.newDefaultInstance().toPayloads(value).orElseThrow();
  }

  private Object[] read(DataConverter c, Payloads p, Class<?> type) {
    return c.fromPayloads(Optional.of(p), new Class<?>[] {type}, new Type[] {type});
  }

  @Test
  void theSecondReadOfTheSameInputGetsTheFirstsObjectsAndAThirdReadsAgain() {
    Payloads input = payloads(new Probe("a", List.of("x", "y")));
    Object[] forConstructor = read(converter, input, Probe.class);
    Object[] forMethod = read(converter, input, Probe.class);
    assertThat(decodes).hasValue(1);
    assertThat(forMethod).isNotSameAs(forConstructor);
    assertThat(forMethod[0]).isSameAs(forConstructor[0]).isEqualTo(new Probe("a", List.of("x", "y")));
    Object[] third = read(converter, input, Probe.class);
    assertThat(decodes).hasValue(2);
    assertThat(third[0]).isNotSameAs(forConstructor[0]).isEqualTo(forConstructor[0]);
  }

  @Test
  void equalInputsOtherTypesAndEmptyInputsAreReadEachTime() {
    Probe probe = new Probe("b", List.of());
    Payloads one = payloads(probe);
    Payloads equal = payloads(probe);
    assertThat(equal).isEqualTo(one).isNotSameAs(one);
    Object first = read(converter, one, Probe.class)[0];
    Object other = read(converter, equal, Probe.class)[0];
    assertThat(decodes).hasValue(2);
    assertThat(other).isNotSameAs(first);

    Payloads text = payloads("plain");
    read(converter, text, String.class);
    read(converter, text, String.class);
    assertThat(decodes).hasValue(4);
    assertThat(converter.fromPayloads(Optional.empty(), new Class<?>[] {Probe.class}, new Type[] {Probe.class}))
        .containsExactly((Object) null);
  }

  @Test
  void theMemoryHoldsUnderEveryContextAndIsBounded() {
    Payloads input = payloads(new Probe("c", List.of("z")));
    DataConverter forWorkflow = converter.withContext(new WorkflowSerializationContext("default", "lead-c"));
    Object first = read(forWorkflow, input, Probe.class)[0];
    Object second = read(converter.withContext(new WorkflowSerializationContext("default", "lead-c")), input, Probe.class)[0];
    assertThat(second).isSameAs(first);
    assertThat(contexts).hasSize(2).allMatch(c -> c instanceof WorkflowSerializationContext w && w.getWorkflowId().equals("lead-c"));
    assertThat(decodes).hasValue(1);

    Payloads waiting = payloads(new Probe("d", List.of()));
    read(converter, waiting, Probe.class);
    for (int k = 0; k < StartInputOnce.REMEMBERED; k++) {
      read(converter, payloads(new Probe("filler-" + k, List.of())), Probe.class);
    }
    int before = decodes.get();
    read(converter, waiting, Probe.class);
    assertThat(decodes).hasValue(before + 1);
  }

  /** The console's history decrypts through the client's converter as a codec: this one is its delegate's. */
  @Test
  void itIsItsDelegatesPayloadCodecAndNoneWithoutOne() {
    PayloadCodec marking = new PayloadCodec() {
      @Override
      public List<Payload> encode(List<Payload> payloads) {
        return payloads.stream().map(p -> p.toBuilder().putMetadata("marked", ByteString.copyFromUtf8("1")).build()).toList();
      }

      @Override
      public List<Payload> decode(List<Payload> payloads) {
        return payloads.stream().map(p -> p.toBuilder().removeMetadata("marked").build()).toList();
      }
    };
    StartInputOnce coded = new StartInputOnce(
        new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(marking)), Set.of(Probe.class));
    Payload plain = DefaultDataConverter.newDefaultInstance().toPayload("x").orElseThrow();
    Payload encoded = coded.encode(List.of(plain)).get(0);
    assertThat(encoded.getMetadataMap()).containsKey("marked");
    assertThat(coded.withContext(new WorkflowSerializationContext("default", "lead-x")).decode(List.of(encoded)))
        .containsExactly(plain);
    assertThat(converter.encode(List.of(plain))).containsExactly(plain);
    assertThat(converter.decode(List.of(encoded))).containsExactly(encoded);
  }

  /**
   * The SDK itself: replaying a recorded journey (core engine, and the legacy one) reads its input
   * twice with the plain converter, once through this one: the constructor and the workflow method
   * are given the same start event's payloads. The replay passing says the journey runs the same.
   */
  @ParameterizedTest
  @ValueSource(strings = {"core-lane-onboarding.json", "shipped-onboarding.json", "core-event-delivery.json"})
  void aReplayedJourneyReadsItsInputOnce(String history) throws Exception {
    assertThat(replayedInputReads(counting, history)).isEqualTo(2);
    assertThat(replayedInputReads(converter, history)).isEqualTo(1);
  }

  private int replayedInputReads(DataConverter with, String history) throws Exception {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
        .setWorkflowClientOptions(WorkflowClientOptions.newBuilder().setDataConverter(with).build()).build());
    try {
      Worker worker = env.newWorker(LeadJourneyWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationTypes(LeadJourneyWorkflowImpl.class);
      int before = journeyInputs.get();
      worker.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(
          Files.readString(Path.of("../workflows/src/test/resources/histories", history))));
      return journeyInputs.get() - before;
    } finally {
      env.close();
    }
  }
}
