package com.nurture.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.privacy.PersonalData.RawJson;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ErasedLeadPageTest {
  @Test
  void whatIsLeftIsReadFromTheExportsTables() {
    Map<String, Object> tables = new LinkedHashMap<>();
    tables.put("leads", new RawJson("[{\"id\": \"crm-1\", \"email\": \"\", \"erased_at\": \"2026-12-02T07:10:00.5+09:00\"}]"));
    tables.put("journeys", new RawJson("[]"));
    tables.put("timeline", new RawJson("[{\"kind\": \"enrolled\", \"at\": \"2026-12-01T10:00:00+00:00\", \"detail\": {}},"
        + " {\"kind\": \"email_sent\", \"at\": \"2026-12-01T10:01:00+00:00\", \"detail\": {}}]"));
    tables.put("messages", new RawJson("[{\"id\": 1}, {\"id\": 2}, {\"id\": 3}]"));

    ErasedLeadPage.Left left = ErasedLeadPage.Left.of(tables);

    assertThat(left.erasedAt()).hasValue(Instant.parse("2026-12-01T22:10:00.5Z"));
    assertThat(left.tables()).as("tables without rows are left out").containsExactly(new ErasedLeadPage.Kept("leads", 1),
        new ErasedLeadPage.Kept("timeline", 2), new ErasedLeadPage.Kept("messages", 3));
    assertThat(left.timeline()).containsExactly(
        new ErasedLeadPage.Moment("enrolled", Optional.of(Instant.parse("2026-12-01T10:00:00Z"))),
        new ErasedLeadPage.Moment("email_sent", Optional.of(Instant.parse("2026-12-01T10:01:00Z"))));
  }

  @Test
  void aLeadRowWithoutAnErasureTimeOrAnUnreadableTableSaysNothingRatherThanFailing() {
    ErasedLeadPage.Left left = ErasedLeadPage.Left.of(Map.of("leads", new RawJson("[{\"erased_at\": null}]"),
        "events", new RawJson("not json")));
    assertThat(left.erasedAt()).isEmpty();
    assertThat(left.tables()).containsExactly(new ErasedLeadPage.Kept("leads", 1));
  }

  @Test
  void anErasureIsConfirmedOnlyByTheLeadsOwnId() {
    assertThat(ConsoleLeadsResource.confirms("crm-1", "crm-1")).isTrue();
    assertThat(ConsoleLeadsResource.confirms("  crm-1 ", "crm-1")).as("blanks around it").isTrue();
    assertThat(ConsoleLeadsResource.confirms("crm-1x", "crm-1")).isFalse();
    assertThat(ConsoleLeadsResource.confirms("CRM-1", "crm-1")).as("exactly its id").isFalse();
    assertThat(ConsoleLeadsResource.confirms("", "crm-1")).isFalse();
    assertThat(ConsoleLeadsResource.confirms(null, "crm-1")).isFalse();
  }
}
