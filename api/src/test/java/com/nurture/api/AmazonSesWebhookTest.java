package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestSmtp;
import com.nurture.api.esp.Sns;
import com.nurture.api.esp.SignedSns;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Amazon SES bounces through SNS reach the journeys: the running application, with the SNS
 * certificate source replaced by the test's own key (SNS itself is never called).
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class AmazonSesWebhookTest {
  private static final GreenMail SMTP = TestSmtp.start();
  private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:ses-events";
  static final KeyPair SNS_KEYS = SignedSns.keys();

  /** The application, its SNS signing certificates being the test's key. */
  public static class WithTestSnsKeys extends AllInOneApplication {
    @Override
    protected Sns.SigningKeys snsSigningKeys() {
      return url -> SNS_KEYS.getPublic();
    }
  }

  static final DropwizardAppExtension<NurtureConfiguration> APP = new DropwizardAppExtension<>(
      WithTestSnsKeys.class, ResourceHelpers.resourceFilePath("api-test.yml"),
      ConfigOverride.config("database.url", TestDatabase.database().jdbcUrl()),
      ConfigOverride.config("smtp.port", String.valueOf(SMTP.getSmtp().getPort())),
      ConfigOverride.config("esp.amazon_ses.topic_arn", TOPIC));

  private static final TestApi API = new TestApi(APP);
  private static final ObjectMapper JSON = new ObjectMapper();

  @AfterAll
  static void stop() {
    SMTP.stop();
    API.close();
  }

  private static String snsMessage(String snsId, String message, KeyPair signer) {
    return SignedSns.body(TOPIC, snsId, message, signer);
  }

  private static Response post(String body) {
    return API.call("/v1/webhooks/esp/amazon-ses", null).post(Entity.entity(body, "text/plain"));
  }

  private static List<String> timelineKinds(String lead) {
    return API.json(API.call("/v1/leads/" + lead + "/timeline", TestApi.OPS).get(), 200).path("items").findValuesAsText("kind");
  }

  @Test
  void aPermanentBounceSuppressesAndEndsTheJourneyAForgedOneChangesNothing() throws Exception {
    String email = "ses-bounce@example.com";
    String lead = API.lead(email, Map.of("first_name", "Pat"));
    API.json(API.call("/v1/leads/" + lead + "/journey", TestApi.MA).post(Entity.json(Map.of("program", "onboarding"))), 201);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestSmtp.mailTo(SMTP, email).size() == 1);
    await().atMost(Duration.ofSeconds(20)).until(() -> timelineKinds(lead).containsAll(List.of("email_sent", "waiting")));
    String messageId = TestSmtp.mailTo(SMTP, email).get(0).getMessageID();
    String bounce = "{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\",\"bounceSubType\":\"General\","
        + "\"bouncedRecipients\":[{\"emailAddress\":\"" + email + "\",\"diagnosticCode\":\"smtp; 550 5.1.1 unknown\"}]},"
        + "\"mail\":{\"messageId\":\"0100018e-ses-own-id\",\"destination\":[\"" + email + "\"],"
        + "\"headers\":[{\"name\":\"Message-ID\",\"value\":\"" + messageId + "\"}]}}";
    String snsId = UUID.randomUUID().toString();

    int before = timelineKinds(lead).size();
    assertThat(post(snsMessage(snsId, bounce, SignedSns.keys())).getStatus()).isEqualTo(401);
    assertThat(timelineKinds(lead)).hasSize(before);
    assertThat(API.call("/v1/suppressions/" + email, TestApi.OPS).get().getStatus()).isEqualTo(404);

    String signed = snsMessage(snsId, bounce, SNS_KEYS);
    JsonNode first = API.json(post(signed), 202).path("events").get(0);
    assertThat(first.path("outcome").asText()).isEqualTo("bounced");
    assertThat(first.path("lead_id").asText()).isEqualTo(lead);
    assertThat(API.call("/v1/suppressions/" + email, TestApi.OPS).get().getStatus()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> API.journey(lead).path("status").asText().equals("UNSUBSCRIBED"));
    assertThat(API.json(post(signed), 202).path("events").get(0).path("duplicate").asBoolean()).isTrue();
  }
}
