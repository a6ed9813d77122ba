package com.nurture.workflows.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The wire names: each type's lower-case name, read back to the same type, JSON both ways; anything else unknown. */
class EventTypeTest {
  private final ObjectMapper json = new ObjectMapper();

  @Test
  void everyTypeReadsBackFromItsWireNameInJsonToo() throws Exception {
    for (EventType type : EventType.values()) {
      assertThat(type.wireName()).isEqualTo(type.name().toLowerCase(Locale.ROOT));
      assertThat(EventType.fromWire(type.wireName())).contains(type);
      assertThat(json.writeValueAsString(type)).isEqualTo("\"" + type.wireName() + "\"");
      assertThat(json.readValue("\"" + type.wireName() + "\"", EventType.class)).isEqualTo(type);
    }
    assertThat(EventType.wireNames()).hasSize(EventType.values().length).contains("page_visited", "consent_confirmed");
  }

  @Test
  void anUnknownOrMissingNameIsNoType() {
    assertThat(EventType.fromWire("PAGE_VISITED")).isEmpty();
    assertThat(EventType.fromWire("page-visited")).isEmpty();
    assertThat(EventType.fromWire(null)).isEqualTo(Optional.empty());
    assertThatThrownBy(() -> json.readValue("\"page_vistied\"", EventType.class))
        .hasStackTraceContaining("unknown event type 'page_vistied'; expected one of email_opened");
  }
}
