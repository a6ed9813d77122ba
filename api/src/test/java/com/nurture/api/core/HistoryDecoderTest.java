package com.nurture.api.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Payloads decoded as JSON where they are JSON, and activities and timers named by their step. */
class HistoryDecoderTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String payload(String encoding, String data) {
    return "{\"metadata\":{\"encoding\":\"" + b64(encoding) + "\"}" + (data == null ? "" : ",\"data\":\"" + b64(data) + "\"") + "}";
  }

  private static String payloads(String... payloads) {
    return "{\"payloads\":[" + String.join(",", payloads) + "]}";
  }

  private static ArrayNode decode(String... events) throws Exception {
    ArrayNode array = (ArrayNode) JSON.readTree("[" + String.join(",", events) + "]");
    return new HistoryDecoder(JSON).decode(array);
  }

  private static String marker(int id, String type, String transitionsJson) {
    return "{\"eventId\":\"" + id + "\",\"eventType\":\"EVENT_TYPE_MARKER_RECORDED\",\"markerRecordedEventAttributes\":{"
        + "\"markerName\":\"LocalActivity\",\"details\":{\"type\":" + payloads(payload("json/plain", "\"" + type + "\""))
        + ",\"input\":" + payloads(payload("json/plain", transitionsJson)) + "}}}";
  }

  @Test
  void jsonPayloadsAreDecodedAndOthersKeptAsTemporalGivesThem() throws Exception {
    String unknown = payload("binary/encrypted", "\u0001secret");
    ArrayNode events = decode("{\"eventId\":\"1\",\"eventType\":\"EVENT_TYPE_WORKFLOW_EXECUTION_STARTED\","
        + "\"workflowExecutionStartedEventAttributes\":{\"input\":" + payloads(payload("json/plain", "{\"leadId\":\"crm-1\",\"n\":[1,2]}"),
            payload("binary/null", null), unknown) + ",\"header\":{\"fields\":{\"k\":" + payload("json/plain", "\"v\"") + "}}}}");
    JsonNode input = events.get(0).path("workflowExecutionStartedEventAttributes").path("input").path("payloads");
    assertThat(input.get(0).path("leadId").asText()).isEqualTo("crm-1");
    assertThat(input.get(0).path("n").get(1).asInt()).isEqualTo(2);
    assertThat(input.get(1).isNull()).as("binary/null is null").isTrue();
    assertThat(input.get(2)).as("unknown encodings stay base64").isEqualTo(JSON.readTree(unknown));
    assertThat(events.get(0).path("workflowExecutionStartedEventAttributes").path("header").path("fields").path("k").asText())
        .isEqualTo("v");
  }

  @Test
  void aPayloadClaimingJsonThatIsNotIsLeftAlone() throws Exception {
    String broken = payload("json/plain", "{not json");
    ArrayNode events = decode("{\"eventId\":\"1\",\"eventType\":\"EVENT_TYPE_ACTIVITY_TASK_COMPLETED\","
        + "\"activityTaskCompletedEventAttributes\":{\"result\":" + payloads(broken) + "}}");
    assertThat(events.get(0).path("activityTaskCompletedEventAttributes").path("result").path("payloads").get(0))
        .isEqualTo(JSON.readTree(broken));
  }

  @Test
  void activitiesAndTimersAreNamedByTheirStep() throws Exception {
    ArrayNode events = decode(
        marker(5, "RecordTransitions", "[{\"currentStep\":\"welcome\",\"nextActionAt\":null}]"),
        "{\"eventId\":\"6\",\"eventType\":\"EVENT_TYPE_ACTIVITY_TASK_SCHEDULED\",\"activityTaskScheduledEventAttributes\":{"
            + "\"activityType\":{\"name\":\"SendEmail\"},\"input\":" + payloads(payload("json/plain", "{\"stepId\":\"welcome\"}")) + "}}",
        "{\"eventId\":\"7\",\"eventType\":\"EVENT_TYPE_ACTIVITY_TASK_STARTED\",\"activityTaskStartedEventAttributes\":{\"scheduledEventId\":\"6\"}}",
        "{\"eventId\":\"8\",\"eventType\":\"EVENT_TYPE_ACTIVITY_TASK_COMPLETED\",\"activityTaskCompletedEventAttributes\":{\"scheduledEventId\":\"6\",\"startedEventId\":\"7\"}}",
        marker(9, "RecordTransitions", "[{\"currentStep\":\"welcome\"},{\"currentStep\":\"after-welcome\",\"nextActionAt\":\"2026-11-25T10:00:00Z\"}]"),
        "{\"eventId\":\"10\",\"eventType\":\"EVENT_TYPE_TIMER_STARTED\",\"timerStartedEventAttributes\":{\"timerId\":\"t\",\"startToFireTimeout\":\"259200s\"}}",
        "{\"eventId\":\"11\",\"eventType\":\"EVENT_TYPE_ACTIVITY_TASK_SCHEDULED\",\"activityTaskScheduledEventAttributes\":{"
            + "\"activityType\":{\"name\":\"NotifySales\"},\"input\":" + payloads(payload("json/plain", "{\"key\":\"k\"}")) + "}}",
        "{\"eventId\":\"12\",\"eventType\":\"EVENT_TYPE_TIMER_FIRED\",\"timerFiredEventAttributes\":{\"timerId\":\"t\",\"startedEventId\":\"10\"}}",
        "{\"eventId\":\"13\",\"eventType\":\"EVENT_TYPE_WORKFLOW_TASK_SCHEDULED\",\"workflowTaskScheduledEventAttributes\":{}}");

    assertThat(events.get(0).path("nurture").path("step").asText()).isEqualTo("welcome");
    assertThat(events.get(0).path("nurture").path("what").asText()).isEqualTo("local activity RecordTransitions");
    assertThat(events.get(1).path("nurture").path("step").asText()).isEqualTo("welcome");
    assertThat(events.get(1).path("nurture").path("what").asText()).isEqualTo("activity SendEmail");
    assertThat(events.get(2).path("nurture").path("step").asText()).as("started: as scheduled").isEqualTo("welcome");
    assertThat(events.get(3).path("nurture").path("what").asText()).isEqualTo("activity SendEmail");
    assertThat(events.get(4).path("nurture").path("step").asText()).as("the last transition's step").isEqualTo("after-welcome");
    JsonNode timer = events.get(5).path("nurture");
    assertThat(timer.path("step").asText()).isEqualTo("after-welcome");
    assertThat(timer.path("what").asText()).isEqualTo("timer");
    assertThat(timer.path("until").asText()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(events.get(6).path("nurture").path("step").asText()).as("no step of its own: the journey's").isEqualTo("after-welcome");
    assertThat(events.get(7).path("nurture")).as("fired: as started").isEqualTo(timer);
    assertThat(events.get(8).has("nurture")).isFalse();
  }

  @Test
  void aSendRunAsALocalActivityIsNamedByItsOwnStep() throws Exception {
    ArrayNode events = decode(
        marker(5, "RecordTransitions", "[{\"currentStep\":\"gap\",\"nextActionAt\":\"2026-11-25T10:00:00Z\"}]"),
        marker(9, "SendEmail", "{\"stepId\":\"later\",\"template\":\"later\"}"),
        marker(10, "RecordTransitions", "[{\"currentStep\":\"later\"},{\"currentStep\":\"gap-2\"}]"));

    assertThat(events.get(1).path("nurture").path("step").asText()).as("the send's step, not the wait's").isEqualTo("later");
    assertThat(events.get(1).path("nurture").path("what").asText()).isEqualTo("local activity SendEmail");
    assertThat(events.get(2).path("nurture").path("step").asText()).isEqualTo("gap-2");
  }
}
