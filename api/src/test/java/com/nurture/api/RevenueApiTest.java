package com.nurture.api;

import static com.nurture.api.TestApi.MA;
import static com.nurture.api.TestApi.OPS;
import static com.nurture.api.TestApi.SALES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Revenue attribution through the real stack: emails in the send ledger, opens, clicks and
 * conversions sent to the event API, credit read back (docs/analytics.md, "Revenue attribution").
 * The conversions are in CHF in March 2025, which no other test uses, so the totals are this test's.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class RevenueApiTest {
  private static final GreenMail SMTP = TestSmtp.start();
  static final DropwizardAppExtension<NurtureConfiguration> APP = TestApi.allInOne(SMTP);
  private static final TestApi API = new TestApi(APP);
  private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
  private static final String PERIOD = "from=2025-03-01T00:00:00Z&to=2025-04-01T00:00:00Z";

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  private static String program() {
    String id = TestApi.newId("revenue");
    API.json(API.call("/v1/programs/" + id, OPS).put(Entity.entity("""
        id: %s
        send_policy: none
        steps:
          - { id: welcome, send: { template: onboarding-welcome } }
        """.formatted(id), "application/yaml")), 201);
    return id;
  }

  /** A sent email as the send path records it; answers its Message-ID. */
  private static String sent(String lead, String program, String step, String variant, Instant at) {
    String messageId = "<" + UUID.randomUUID() + "@nurture.test>";
    TestDatabase.jdbi().useHandle(h -> h.execute("""
        INSERT INTO messages (idempotency_key, lead_id, email, program_id, program_version, step_id, template, variant,
                              status, message_id, created_at, sent_at)
        VALUES (?, ?, ?, ?, 1, ?, ?, ?, 'sent', ?, ?, ?)""", lead + "/j/" + program + "/" + step + "/" + UUID.randomUUID(),
        lead, lead + "@example.com", program, step, step, variant, messageId, at, at));
    return messageId;
  }

  private static jakarta.ws.rs.core.Response event(String lead, String type, Instant at, Map<String, Object> properties) {
    return API.call("/v1/leads/" + lead + "/events", MA).post(Entity.json(Map.of("id", UUID.randomUUID().toString(),
        "type", type, "occurred_at", at.toString(), "properties", properties)));
  }

  private static JsonNode find(JsonNode array, String step) {
    for (JsonNode n : array) {
      if (n.path("step").asText().equals(step)) {
        return n;
      }
    }
    throw new AssertionError("no step " + step + " in " + array);
  }

  @Test
  void aConversionIsCreditedToTheEmailsBeforeItByEachModel() {
    String p = program();
    String lead = API.lead(TestApi.newId("buyer") + "@example.com", Map.of());
    String welcome = sent(lead, p, "welcome", "", T0);
    String subject = sent(lead, p, "subject", "b", T0.plus(Duration.ofDays(7)));
    sent(lead, p, "late", "", T0.plus(Duration.ofDays(11))); // after the conversion: no touch
    assertThat(event(lead, "email_opened", T0.plus(Duration.ofDays(1)), Map.of("message_id", welcome)).getStatus()).isEqualTo(202);
    assertThat(event(lead, "email_clicked", T0.plus(Duration.ofDays(8)), Map.of("message_id", subject)).getStatus()).isEqualTo(202);
    // refused: more decimals than CHF has, no currency
    assertThat(API.problemFields(event(lead, "converted_to_customer", T0.plus(Duration.ofDays(10)),
        Map.of("amount", "12.345", "currency", "CHF")))).containsExactly("properties.amount");
    assertThat(API.problemFields(event(lead, "converted_to_customer", T0.plus(Duration.ofDays(10)),
        Map.of("amount", 12)))).containsExactly("properties.currency");
    assertThat(event(lead, "converted_to_customer", T0.plus(Duration.ofDays(10)),
        Map.of("amount", "1000.00", "currency", "CHF")).getStatus()).isEqualTo(202);
    String untouched = API.lead(TestApi.newId("walk-in") + "@example.com", Map.of());
    assertThat(event(untouched, "converted_to_customer", T0.plus(Duration.ofDays(12)),
        Map.of("amount", 200, "currency", "CHF")).getStatus()).isEqualTo(202);

    // touches: welcome sent 10 days before and opened 9, subject b sent 3 days before and clicked 2
    JsonNode revenue = API.get("/v1/programs/" + p + "/revenue?" + PERIOD, OPS);
    assertThat(revenue.path("lookback_days").asLong()).isEqualTo(90);
    JsonNode total = revenue.path("totals").get(0);
    assertThat(total.path("currency").asText()).isEqualTo("CHF");
    assertThat(total.path("conversions").asLong()).isEqualTo(1);
    assertThat(total.path("revenue").decimalValue()).isEqualByComparingTo("1000.00");
    JsonNode w = find(revenue.path("credits"), "welcome").path("credit");
    JsonNode s = find(revenue.path("credits"), "subject");
    assertThat(s.path("variant").asText()).isEqualTo("b");
    assertThat(find(revenue.path("credits"), "welcome").path("touches").asLong()).isEqualTo(2);
    assertThat(revenue.path("credits").size()).as("the email after the conversion is no touch").isEqualTo(2);
    assertThat(w.path("first_touch").decimalValue()).isEqualByComparingTo("1000.00");
    assertThat(s.path("credit").path("last_touch").decimalValue()).isEqualByComparingTo("1000.00");
    assertThat(w.path("linear").decimalValue()).isEqualByComparingTo("500.00");
    assertThat(w.path("time_decay").decimalValue()).isEqualByComparingTo("333.33");
    assertThat(s.path("credit").path("time_decay").decimalValue()).isEqualByComparingTo("666.67");

    JsonNode all = API.get("/v1/revenue?" + PERIOD, OPS);
    JsonNode chf = null;
    for (JsonNode t : all.path("totals")) {
      chf = t.path("currency").asText().equals("CHF") ? t : chf;
    }
    assertThat(chf).isNotNull();
    assertThat(chf.path("revenue").decimalValue()).isEqualByComparingTo(new BigDecimal("1200.00"));
    assertThat(chf.path("unattributed").decimalValue()).isEqualByComparingTo("200.00");
    assertThat(chf.path("credited").path("time_decay").decimalValue()).isEqualByComparingTo("1000.00");
    JsonNode mine = null;
    for (JsonNode c : all.path("credits")) {
      mine = c.path("program").asText().equals(p) ? c : mine;
    }
    assertThat(mine).isNotNull();
    assertThat(mine.path("credit").path("linear").decimalValue()).isEqualByComparingTo("1000.00");
    assertThat(API.get("/v1/programs/" + p + "/revenue?" + PERIOD + "&lookback_days=1", OPS).path("credits").size())
        .as("within a day before the conversion nothing touched it").isZero();
  }

  @Test
  void badFiltersAreProblemsNamingThem() {
    String p = program();
    assertThat(API.problemFields(API.query("/v1/programs/" + p + "/revenue?lookback_days=0", OPS)))
        .containsExactly("lookback_days");
    assertThat(API.problemFields(API.query("/v1/revenue?from=yesterday", OPS))).containsExactly("from");
    assertThat(API.problemFields(API.query("/v1/revenue?from=2025-04-01T00:00:00Z&to=2025-03-01T00:00:00Z", OPS)))
        .containsExactly("from");
    assertThat(API.query("/v1/programs/no-such-" + p + "/revenue", OPS).getStatus()).isEqualTo(404);
    assertThat(API.query("/v1/revenue", SALES).getStatus()).isEqualTo(403);
    assertThat(API.query("/v1/programs/" + p + "/revenue", null).getStatus()).isEqualTo(401);
  }
}
