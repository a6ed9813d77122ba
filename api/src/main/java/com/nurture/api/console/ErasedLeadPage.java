package com.nurture.api.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nurture.activities.privacy.PersonalData;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An erased lead's page: when it was erased, and what erasure left of it, read from the lead's
 * export (GET /v1/leads/{id}/export, docs/privacy.md): how many rows each table keeps (ids, types,
 * statuses and times, for the statistics) and the timeline that is left (kinds and times).
 */
public final class ErasedLeadPage extends ConsolePage {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A table that still holds rows of the lead, and how many. */
  public record Kept(String table, int rows) {}

  /** A timeline entry that is left: its kind and time (its detail was emptied). */
  public record Moment(String kind, Optional<Instant> at) {}

  /** What the export of an erased lead says is left. */
  public record Left(Optional<Instant> erasedAt, List<Kept> tables, List<Moment> timeline) {
    /**
     * Reads the export's {@code tables} (table name to a JSON array of rows, as
     * {@link PersonalData#export} answers): tables without rows are left out.
     */
    public static Left of(Map<?, ?> tables) {
      Optional<Instant> erasedAt = Optional.empty();
      List<Kept> kept = new ArrayList<>();
      List<Moment> timeline = new ArrayList<>();
      for (Map.Entry<?, ?> e : tables.entrySet()) {
        JsonNode rows = rows(e.getValue());
        String table = String.valueOf(e.getKey());
        if (rows.size() > 0) {
          kept.add(new Kept(table, rows.size()));
        }
        if (table.equals("leads") && rows.size() > 0) {
          erasedAt = instant(rows.get(0).path("erased_at"));
        }
        if (table.equals("timeline")) {
          rows.forEach(r -> timeline.add(new Moment(r.path("kind").asText(""), instant(r.path("at")))));
        }
      }
      return new Left(erasedAt, List.copyOf(kept), List.copyOf(timeline));
    }

    private static JsonNode rows(Object value) {
      String text = value instanceof PersonalData.RawJson raw ? raw.json() : String.valueOf(value);
      try {
        JsonNode node = JSON.readTree(text);
        return node.isArray() ? node : JSON.createArrayNode();
      } catch (JsonProcessingException e) {
        return JSON.createArrayNode();
      }
    }

    private static Optional<Instant> instant(JsonNode value) {
      if (!value.isTextual()) {
        return Optional.empty();
      }
      try {
        return Optional.of(OffsetDateTime.parse(value.asText()).toInstant());
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }

  private final String leadId;
  private final Left left;

  ErasedLeadPage(ConsoleContext context, String leadId, Left left) {
    super("lead-erased.ftlh", context, "lead.erased.title", "leads");
    this.leadId = leadId;
    this.left = left;
  }

  @Override
  public String getTitle() {
    return t("lead.erased.title", leadId);
  }

  public String getLeadId() {
    return leadId;
  }

  /** When the lead was erased, or null when the export does not say. */
  public Instant getErasedAt() {
    return left.erasedAt().orElse(null);
  }

  public List<Kept> getTables() {
    return left.tables();
  }

  public List<Moment> getTimeline() {
    return left.timeline();
  }
}
