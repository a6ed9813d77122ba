package com.nurture.api.representations;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.workflows.journey.EventType;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Found by the fuzz run: a JSON array holding null inside properties was a 500 (the validator threw). */
class NoControlCharsTest {
  private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

  @Test
  void nullsInsideArraysAreValidAndControlCharactersBesideThemAreStillFound() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("tags", Arrays.asList(null, "ok", null));
    properties.put("nothing", null);
    assertThat(VALIDATOR.validate(new EventRequest("evt-1", EventType.PAGE_VISITED, null, properties))).isEmpty();

    properties.put("tags", Arrays.asList(null, "line\nbreak"));
    Set<ConstraintViolation<EventRequest>> bad =
        VALIDATOR.validate(new EventRequest("evt-1", EventType.PAGE_VISITED, null, properties));
    assertThat(bad).hasSize(1);
    assertThat(bad.iterator().next().getMessage()).contains("control characters");
  }
}
