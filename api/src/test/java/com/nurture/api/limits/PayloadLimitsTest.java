package com.nurture.api.limits;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.api.errors.FieldError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PayloadLimitsTest {
  private static final PayloadLimits LIMITS = new PayloadLimits(5, 3, 8, 20);

  private static List<String> fields(List<FieldError> errors) {
    return errors.stream().map(FieldError::field).toList();
  }

  @Test
  void anObjectWithinEveryCapHasNoError() {
    Map<String, Object> ok = Map.of("a", "x".repeat(20), "b", Map.of("c", List.of(1, 2)));
    assertThat(LIMITS.check("properties", ok)).isEmpty();
    assertThat(LIMITS.check("properties", Map.of())).isEmpty();
    assertThat(LIMITS.check("properties", null)).isEmpty();
  }

  @Test
  void propertiesAreCountedAtEveryDepthWithListItems() {
    Map<String, Object> six = new LinkedHashMap<>();
    six.put("a", 1);
    six.put("b", Map.of("c", 1, "d", 2));
    six.put("e", List.of(1));
    List<FieldError> errors = LIMITS.check("properties", six);
    assertThat(fields(errors)).containsExactly("properties");
    assertThat(errors.get(0).message()).contains("has 6 properties").contains("at most 5").contains("limits.max_properties");
    six.remove("e");
    assertThat(LIMITS.check("properties", six)).isEmpty();
  }

  @Test
  void depthNamesTheFirstValueTooDeep() {
    Map<String, Object> deep = Map.of("a", Map.of("b", Map.of("c", Map.of("d", 1))));
    List<FieldError> errors = LIMITS.check("properties", deep);
    assertThat(fields(errors)).containsExactly("properties.a.b.c");
    assertThat(errors.get(0).message()).contains("3 levels").contains("limits.max_depth");
    assertThat(LIMITS.check("properties", Map.of("a", Map.of("b", Map.of("c", 1))))).isEmpty();
    assertThat(fields(LIMITS.check("properties", Map.of("a", Map.of("b", List.of(List.of(1)))))))
        .as("a list is a level too").containsExactly("properties.a.b[0]");
  }

  @Test
  void keyAndStringLengthsNameTheField() {
    List<FieldError> errors = LIMITS.check("attributes", Map.of("b", Map.of("note", "x".repeat(21))));
    assertThat(fields(errors)).containsExactly("attributes.b.note");
    assertThat(errors.get(0).message()).contains("21 characters").contains("limits.max_string_length");
    List<FieldError> key = LIMITS.check("attributes", Map.of("k".repeat(9), 1));
    assertThat(fields(key)).containsExactly("attributes.kkkkkkkkk...");
    assertThat(key.get(0).message()).contains("9 characters").contains("limits.max_key_length");
    assertThat(fields(LIMITS.check("attributes", Map.of("l", List.of("ok", "y".repeat(30))))))
        .containsExactly("attributes.l[1]");
  }

  @Test
  void aHostileObjectIsNotWalkedToItsEnd() {
    List<Object> huge = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      huge.add(i);
    }
    List<FieldError> errors = LIMITS.check("properties", Map.of("h", huge));
    assertThat(fields(errors)).containsExactly("properties");
    assertThat(errors.get(0).message()).contains("has over 10 properties");
  }
}
