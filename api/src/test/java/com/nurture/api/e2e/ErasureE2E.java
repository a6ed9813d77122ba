package com.nurture.api.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nurture.activities.TestDatabase;
import com.nurture.activities.catalog.ProgramCatalog;
import com.nurture.activities.mail.TemplateCatalog;
import com.nurture.api.NurtureApplication;
import com.nurture.api.NurtureConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Crypto-shredding on the real parts (the Temporal dev server, a worker process from the jar, the
 * API in this JVM): a lead's name, company, address and event properties are in its journey's
 * history only encrypted; the real {@code temporal workflow show} reads them through the API's codec
 * endpoint; after {@code DELETE /v1/leads/{id}} neither it nor the codec can.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ErasureE2E {
  private static final E2EServices E2E = new E2EServices("e2e-erasure");

  static final DropwizardAppExtension<NurtureConfiguration> API = E2E.api(NurtureApplication.class);

  @AfterAll
  static void stopAll() {
    E2E.close();
  }

  /**
   * The CLI's JSON output with every payload's {@code data} (base64: the CLI prints payloads raw)
   * decoded beside it, so a value in any payload shows as text, encrypted or not.
   */
  private static String readable(String cliOutput) {
    StringBuilder out = new StringBuilder(cliOutput);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"data\":\\s*\"([A-Za-z0-9+/=]+)\"").matcher(cliOutput);
    while (m.find()) {
      try {
        out.append('\n').append(new String(java.util.Base64.getDecoder().decode(m.group(1)), java.nio.charset.StandardCharsets.ISO_8859_1));
      } catch (IllegalArgumentException e) {
        // not base64 after all: the text itself is already there
      }
    }
    return out.toString();
  }

  private static String show(String workflow, Optional<String> codec) {
    return readable(E2E.showWorkflow(workflow, codec));
  }

  @Test
  void afterErasureTheCliShowsNothingPersonalOfTheLead() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    new ProgramCatalog(TestDatabase.jdbi(), new TemplateCatalog()).publish("""
        id: e2e-erasure
        name: End-to-end, one email then a long wait
        send_policy: none
        steps:
          - { id: one, send: { template: onboarding-welcome } }
          - { id: rest, wait: 30d }
        """);
    Process worker = E2E.startWorker(1);
    try {
      String lead = "erase-" + run;
      String email = lead + "@example.com";
      String name = "Wilhelmina" + run;
      String company = "Quuxcorp" + run;
      String property = "private-whitepaper-" + run;
      E2E.call("PUT", "/v1/leads/" + lead, E2E.MA, Map.of("email", email, "first_name", name, "company", company), 201);
      E2E.call("POST", "/v1/leads/" + lead + "/journey", E2E.MA, Map.of("program", "e2e-erasure"), 201);
      await().atMost(Duration.ofSeconds(60)).until(() -> E2E.mailTo(email).size() == 1);
      E2E.call("POST", "/v1/leads/" + lead + "/events", E2E.MA, Map.of("id", "ev-" + run, "type", "content_downloaded",
          "properties", Map.of("asset", property)), 202);
      String workflow = "lead-" + lead;
      List<String> personal = List.of(name, company, email, property);

      // Before erasure: with the codec endpoint an operator reads the journey; without it, nobody does.
      await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
          assertThat(show(workflow, Optional.of(E2E.OPS))).contains(property));
      String decoded = show(workflow, Optional.of(E2E.OPS));
      assertThat(decoded).contains(name).contains(company).contains(property);
      String encrypted = show(workflow, Optional.empty());
      assertThat(encrypted).as("encoding binary/encrypted").contains("YmluYXJ5L2VuY3J5cHRlZA==");
      personal.forEach(p -> assertThat(encrypted).as("stored in Temporal in clear: " + p).doesNotContain(p));

      E2E.call("DELETE", "/v1/leads/" + lead, E2E.OPS, null, 204);

      // After: the key is destroyed; neither the CLI alone nor the codec endpoint reveals anything.
      for (Optional<String> codec : List.of(Optional.<String>empty(), Optional.of(E2E.OPS))) {
        String shown = show(workflow, codec);
        assertThat(shown).containsIgnoringCase("terminated").contains("lead erased");
        personal.forEach(p -> assertThat(shown).as("after erasure, codec " + codec.isPresent() + ": " + p).doesNotContain(p));
      }
      assertThat(E2E.mailTo(email)).as("nothing more was sent").hasSize(1);
    } finally {
      worker.destroyForcibly().waitFor();
    }
  }
}
