package com.nurture.api.esp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.KeyPair;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Amazon SNS signatures (Amazon SES's notifications): valid, forged, stale, a foreign certificate host or topic. */
class SnsTest {
  private static final Instant NOW = Instant.parse("2026-03-03T09:00:00Z");
  private static final String TOPIC = "arn:aws:sns:eu-west-1:123456789012:ses-events";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KeyPair KEYS = SignedSns.keys();
  private static final Sns.SigningKeys OURS = url -> KEYS.getPublic();

  static ObjectNode notification(String message, Instant at, String version, KeyPair signer, String certHost) {
    return SignedSns.notification(TOPIC, "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324", message, at, version, signer, certHost);
  }

  private static final String BOUNCE = "{\"notificationType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\","
      + "\"bounceSubType\":\"General\",\"bouncedRecipients\":[{\"emailAddress\":\"gone@example.com\","
      + "\"diagnosticCode\":\"smtp; 550 5.1.1 user unknown\"}],\"timestamp\":\"2026-03-03T08:59:00.000Z\"},"
      + "\"mail\":{\"messageId\":\"0100018e-ses-own-id\",\"destination\":[\"gone@example.com\"],"
      + "\"headers\":[{\"name\":\"Message-ID\",\"value\":\"<run-1@acme.example>\"}]}}";

  @Test
  void valid() {
    for (String version : new String[] {"1", "2"}) {
      ObjectNode m = notification(BOUNCE, NOW.minusSeconds(20), version, KEYS, "sns.eu-west-1.amazonaws.com");
      assertThatCode(() -> Sns.verify(m, TOPIC, OURS, NOW)).doesNotThrowAnyException();
    }
  }

  @Test
  void forged() {
    ObjectNode other = notification(BOUNCE, NOW, "2", SignedSns.keys(), "sns.eu-west-1.amazonaws.com");
    assertThatThrownBy(() -> Sns.verify(other, TOPIC, OURS, NOW)).isInstanceOf(Unverified.class);
    ObjectNode altered = notification(BOUNCE, NOW, "2", KEYS, "sns.eu-west-1.amazonaws.com");
    altered.put("Message", BOUNCE.replace("Permanent", "Transient"));
    assertThatThrownBy(() -> Sns.verify(altered, TOPIC, OURS, NOW)).isInstanceOf(Unverified.class);
  }

  @Test
  void stale() {
    ObjectNode m = notification(BOUNCE, NOW.minusSeconds(301), "2", KEYS, "sns.eu-west-1.amazonaws.com");
    assertThatThrownBy(() -> Sns.verify(m, TOPIC, OURS, NOW)).isInstanceOf(Unverified.class).hasMessageContaining("stale");
  }

  @Test
  void aCertificateOffAmazonsSnsHostOrAnotherTopicIsRefused() {
    ObjectNode evil = notification(BOUNCE, NOW, "2", KEYS, "sns.eu-west-1.amazonaws.com.evil.example");
    assertThatThrownBy(() -> Sns.verify(evil, TOPIC, OURS, NOW)).isInstanceOf(Unverified.class)
        .hasMessageContaining("SigningCertURL");
    ObjectNode m = notification(BOUNCE, NOW, "2", KEYS, "sns.eu-west-1.amazonaws.com");
    assertThatThrownBy(() -> Sns.verify(m, TOPIC + "-other", OURS, NOW)).isInstanceOf(Unverified.class)
        .hasMessageContaining("TopicArn");
  }

  @Test
  void aPermanentBounceReadsAsAHardBounceOfOurMessageId() throws Exception {
    EspEvent e = EspPayloads.amazonSes("sns-1", JSON.readTree(BOUNCE), NOW).orElseThrow();
    assertThat(e.kind()).isEqualTo(EspEvent.Kind.BOUNCED);
    assertThat(e.hard()).isTrue();
    assertThat(e.messageId()).isEqualTo("<run-1@acme.example>");
    assertThat(e.email()).isEqualTo("gone@example.com");
    assertThat(e.id()).isEqualTo("sns-1");
    EspEvent soft = EspPayloads.amazonSes("sns-2", JSON.readTree(BOUNCE.replace("Permanent", "Transient")), NOW)
        .orElseThrow();
    assertThat(soft.hard()).isFalse();
  }
}
