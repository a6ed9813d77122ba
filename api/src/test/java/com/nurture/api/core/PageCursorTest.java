package com.nurture.api.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.api.errors.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cursors round-trip, and an altered one is refused whatever its length (base64 has spare spellings). */
class PageCursorTest {
  @Test
  void aCursorRoundTripsAndAnyAlterationIsRefused() {
    // Ids of every length mod 3 give encodings of every length mod 4 (2, 3 and 0 characters in the last group).
    for (String id : List.of("1", "12", "123", "1234", "12345", "123456")) {
      String cursor = PageCursor.encode("handoffs", "2026-12-02T02:42:25Z", id);
      assertThat(PageCursor.decode(cursor, "handoffs", 2)).containsExactly("2026-12-02T02:42:25Z", id);
      for (String altered : List.of(cursor + "x", cursor + "A", cursor.substring(0, cursor.length() - 1)
          + (cursor.endsWith("A") ? "B" : "A"), cursor + "==")) {
        assertThatThrownBy(() -> PageCursor.decode(altered, "handoffs", 2)).as(altered + " (from " + cursor + ")")
            .isInstanceOf(ProblemException.class);
      }
      assertThatThrownBy(() -> PageCursor.decode(cursor, "journeys", 2)).as("another list's cursor")
          .isInstanceOf(ProblemException.class);
    }
  }
}
