package com.nurture.api.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import com.nurture.activities.db.JourneyRow;
import com.nurture.api.errors.ProblemException;
import com.nurture.api.representations.HistoryPage;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** A journey's workflow history from Temporal, in pages, made readable by {@link HistoryDecoder}. */
final class JourneyHistory {
  private final TemporalConnection temporal;
  private final ObjectMapper json;

  JourneyHistory(TemporalConnection temporal, ObjectMapper json) {
    this.temporal = temporal;
    this.json = json;
  }

  /**
   * The payload as the client's codec decodes it (decrypted with its lead's key); as it is when the
   * codec cannot (a destroyed key: the lead was erased).
   */
  private io.temporal.api.common.v1.Payload decrypted(io.temporal.api.common.v1.Payload p) {
    if (!(temporal.client().getOptions().getDataConverter() instanceof io.temporal.payload.codec.PayloadCodec codec)) {
      return p;
    }
    try {
      return codec.decode(List.of(p)).get(0);
    } catch (io.temporal.payload.codec.PayloadCodecException e) {
      return p;
    }
  }

  /**
   * A page of the Temporal history after event {@code afterEventId}. Paged by event id rather than
   * by Temporal's page token, so the page size holds on every server (the in-process test server
   * ignores Temporal's page size) and a cursor stays valid; a history is bounded by
   * continue-as-new, so reading past the cursor is cheap.
   */
  public HistoryPage page(JourneyRow row, int pageSize, long afterEventId) {
    // The whole run is read (bounded by continue-as-new): naming a page's activities and timers by
    // their step needs the events before it.
    List<HistoryEvent> all = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse response;
      try {
        ByteString page = token;
        response = temporal.slow(() -> temporal.service().blockingStub().getWorkflowExecutionHistory(
            GetWorkflowExecutionHistoryRequest.newBuilder()
                .setNamespace(temporal.namespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(row.workflowId()).setRunId(row.runId()))
                .setNextPageToken(page)
                .build()));
      } catch (io.grpc.StatusRuntimeException e) {
        if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
          throw ProblemException.notFound("Temporal has no history for " + row.workflowId()
              + " (it may have been removed by the namespace's retention)");
        }
        throw ProblemException.unavailable("Temporal did not answer: " + e.getStatus().getCode());
      }
      response.getHistory().getEventsList().forEach(e -> all.add(
          com.nurture.activities.privacy.HistoryPayloads.map(e, this::decrypted)));
      token = response.getNextPageToken();
    } while (!token.isEmpty());
    ArrayNode decoded = this.json.createArrayNode();
    try {
      JsonNode printed = this.json.readTree(JsonFormat.printer().omittingInsignificantWhitespace()
          .print(History.newBuilder().addAllEvents(all).build())).path("events");
      if (printed.isArray()) {
        decoded = new HistoryDecoder(this.json).decode((ArrayNode) printed);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ArrayNode json = this.json.createArrayNode();
    boolean more = false;
    long last = 0;
    for (JsonNode event : decoded) {
      long id = event.path("eventId").asLong();
      if (id <= afterEventId) {
        continue;
      }
      if (json.size() == pageSize) {
        more = true;
        break;
      }
      json.add(event);
      last = id;
    }
    String next = more ? String.valueOf(last) : null;
    return new HistoryPage(row.workflowId(), row.runId(), json, next);
  }
}
