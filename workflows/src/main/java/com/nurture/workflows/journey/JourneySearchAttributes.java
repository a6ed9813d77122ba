package com.nurture.workflows.journey;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.common.SearchAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Temporal search attributes every journey carries, so an operator can find journeys in
 * Temporal's CLI and Web UI ({@code NurtureStatus="WAITING_FOR_HUMAN" AND NurtureProgram="onboarding"}).
 * The API sets them when it starts a journey; the workflow keeps them current on each transition
 * (upserting only the values that changed). No personal data: the lead is known by its workflow id
 * ({@code lead-<id>}); never an address or a name (docs/operations.md, "Search attributes").
 * Each must be registered on the namespace before a journey uses it ({@link #definitions()}).
 */
public final class JourneySearchAttributes {
  private JourneySearchAttributes() {}

  /** The journey's {@link JourneyStatus}. */
  public static final SearchAttributeKey<String> STATUS = SearchAttributeKey.forKeyword("NurtureStatus");
  /** The id of the program the journey runs. */
  public static final SearchAttributeKey<String> PROGRAM = SearchAttributeKey.forKeyword("NurtureProgram");
  /** The version of that program the journey is pinned to. */
  public static final SearchAttributeKey<Long> PROGRAM_VERSION = SearchAttributeKey.forLong("NurtureProgramVersion");
  /** The id of the step the journey is at ("" past the last step). */
  public static final SearchAttributeKey<String> STEP = SearchAttributeKey.forKeyword("NurtureStep");
  /** The lead's total score, as of the journey's last transition. */
  public static final SearchAttributeKey<Long> SCORE = SearchAttributeKey.forLong("NurtureScore");
  /**
   * The lead's owner as an identifier of the CRM or the sales team ({@code owner_id} attribute), set
   * at start only; absent when the lead has none. Never the owner's email address.
   */
  public static final SearchAttributeKey<String> OWNER = SearchAttributeKey.forKeyword("NurtureOwner");

  /** Every attribute with its type: what a namespace must have registered. */
  public static Map<String, IndexedValueType> definitions() {
    Map<String, IndexedValueType> all = new LinkedHashMap<>();
    for (SearchAttributeKey<?> key : List.of(STATUS, PROGRAM, PROGRAM_VERSION, STEP, SCORE, OWNER)) {
      all.put(key.getName(), key.getValueType());
    }
    return all;
  }

  /** The type's name as Temporal's CLI spells it ({@code Keyword}, {@code Int}). */
  public static String cliType(IndexedValueType type) {
    return switch (type) {
      case INDEXED_VALUE_TYPE_KEYWORD -> "Keyword";
      case INDEXED_VALUE_TYPE_INT -> "Int";
      default -> throw new IllegalArgumentException("not a journey search attribute type: " + type);
    };
  }

  /**
   * The owner identifier a search attribute may carry: the lead's {@code owner_id} attribute, when
   * present and not an email address (an address is personal data: left out).
   */
  public static Optional<String> ownerId(Map<String, Object> leadAttributes) {
    Object value = leadAttributes == null ? null : leadAttributes.get("owner_id");
    if (value == null) {
      return Optional.empty();
    }
    String id = value.toString().trim();
    return id.isEmpty() || id.contains("@") ? Optional.empty() : Optional.of(id);
  }

  /**
   * What the API sets when it starts a journey with this input: its status, program, version and
   * first step, and the owner identifier when the lead has one. The score follows at the journey's
   * first transition.
   */
  public static SearchAttributes atStart(JourneyInput input) {
    JourneyStatus status = input.state().confirmWithin != null ? JourneyStatus.AWAITING_CONFIRMATION : JourneyStatus.ACTIVE;
    var program = input.program();
    return atStart(status, program.id(), program.version(), program.steps().get(0).id(),
        ownerId(input.state().attributes));
  }

  private static SearchAttributes atStart(JourneyStatus status, String programId, int programVersion, String step,
      Optional<String> ownerId) {
    SearchAttributes.Builder b = SearchAttributes.newBuilder()
        .set(STATUS, status.name())
        .set(PROGRAM, programId)
        .set(PROGRAM_VERSION, (long) programVersion)
        .set(STEP, step);
    ownerId.ifPresent(owner -> b.set(OWNER, owner));
    return b.build();
  }

  /** The updates that bring {@code current} to the journey as {@code snapshot} shows it: none when nothing changed. */
  static List<SearchAttributeUpdate<?>> changes(SearchAttributes current, Effect.Snapshot snapshot) {
    List<SearchAttributeUpdate<?>> updates = new ArrayList<>();
    change(updates, current, STATUS, snapshot.status().name());
    change(updates, current, PROGRAM, snapshot.programId());
    change(updates, current, PROGRAM_VERSION, (long) snapshot.programVersion());
    change(updates, current, STEP, snapshot.step());
    change(updates, current, SCORE, (long) snapshot.score());
    return updates;
  }

  private static <T> void change(List<SearchAttributeUpdate<?>> updates, SearchAttributes current,
      SearchAttributeKey<T> key, T value) {
    if (!current.containsKey(key) || !Objects.equals(current.get(key), value)) {
      updates.add(key.valueSet(value));
    }
  }
}
