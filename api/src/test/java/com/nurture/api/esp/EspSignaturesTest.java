package com.nurture.api.esp;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.activities.sales.StandardWebhooks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each provider's verification scheme: a valid delivery passes; a forged or stale one is Unverified. */
class EspSignaturesTest {
  private static final Instant NOW = Instant.parse("2026-03-03T09:00:00Z");
  private static final byte[] BODY = "{\"type\":\"bounced\",\"message_id\":\"<a@b>\",\"hard\":true}"
      .getBytes(StandardCharsets.UTF_8);

  // Standard Webhooks
  private final String secret = "whsec_" + java.util.Base64.getEncoder().encodeToString("esp-secret".getBytes());

  private String sign(String secret, long ts, byte[] body) {
    return new StandardWebhooks(secret).sign("msg_1", ts, new String(body, StandardCharsets.UTF_8));
  }

  @Test
  void standardValid() {
    long ts = NOW.getEpochSecond() - 60;
    assertThatCode(() -> EspSignatures.standard(secret, "msg_1", String.valueOf(ts), sign(secret, ts, BODY), BODY, NOW))
        .doesNotThrowAnyException();
  }

  @Test
  void standardForged() {
    long ts = NOW.getEpochSecond();
    assertThatThrownBy(() -> EspSignatures.standard(secret, "msg_1", String.valueOf(ts), sign("whsec_b3RoZXI=", ts, BODY),
        BODY, NOW)).isInstanceOf(Unverified.class);
    byte[] altered = "{\"type\":\"delivered\"}".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> EspSignatures.standard(secret, "msg_1", String.valueOf(ts), sign(secret, ts, BODY),
        altered, NOW)).isInstanceOf(Unverified.class);
    assertThatThrownBy(() -> EspSignatures.standard(secret, "msg_1", String.valueOf(ts), null, BODY, NOW))
        .isInstanceOf(Unverified.class);
  }

  @Test
  void standardStale() {
    long ts = NOW.getEpochSecond() - 301;
    assertThatThrownBy(() -> EspSignatures.standard(secret, "msg_1", String.valueOf(ts), sign(secret, ts, BODY), BODY,
        NOW)).isInstanceOf(Unverified.class).hasMessageContaining("stale");
    long future = NOW.getEpochSecond() + 301;
    assertThatThrownBy(() -> EspSignatures.standard(secret, "msg_1", String.valueOf(future),
        sign(secret, future, BODY), BODY, NOW)).isInstanceOf(Unverified.class).hasMessageContaining("stale");
  }

  // Mailgun
  private static final String KEY = "key-mailgun-webhook-signing";

  @Test
  void mailgunValid() {
    String ts = String.valueOf(NOW.getEpochSecond() - 30);
    String sig = EspSignatures.mailgunSignature(KEY, ts, "tok123");
    assertThatCode(() -> EspSignatures.mailgun(KEY, ts, "tok123", sig, NOW)).doesNotThrowAnyException();
    assertThatCode(() -> EspSignatures.mailgun(KEY, ts, "tok123", sig.toUpperCase(), NOW)).doesNotThrowAnyException();
  }

  @Test
  void mailgunForged() {
    String ts = String.valueOf(NOW.getEpochSecond());
    String sig = EspSignatures.mailgunSignature("another-key", ts, "tok123");
    assertThatThrownBy(() -> EspSignatures.mailgun(KEY, ts, "tok123", sig, NOW)).isInstanceOf(Unverified.class);
    String good = EspSignatures.mailgunSignature(KEY, ts, "tok123");
    assertThatThrownBy(() -> EspSignatures.mailgun(KEY, ts, "tok999", good, NOW)).isInstanceOf(Unverified.class);
    assertThatThrownBy(() -> EspSignatures.mailgun(KEY, ts, null, good, NOW)).isInstanceOf(Unverified.class);
  }

  @Test
  void mailgunStale() {
    String ts = String.valueOf(NOW.getEpochSecond() - 301);
    String sig = EspSignatures.mailgunSignature(KEY, ts, "tok123");
    assertThatThrownBy(() -> EspSignatures.mailgun(KEY, ts, "tok123", sig, NOW)).isInstanceOf(Unverified.class)
        .hasMessageContaining("stale");
  }

  // Postmark: basic auth; it sends no timestamp, so there is no stale case.
  private static String basic(String user, String password) {
    return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void postmarkValid() {
    assertThatCode(() -> EspSignatures.postmark("postmark", "s3cret", basic("postmark", "s3cret")))
        .doesNotThrowAnyException();
  }

  @Test
  void postmarkForged() {
    assertThatThrownBy(() -> EspSignatures.postmark("postmark", "s3cret", basic("postmark", "guess")))
        .isInstanceOf(Unverified.class);
    assertThatThrownBy(() -> EspSignatures.postmark("postmark", "s3cret", null)).isInstanceOf(Unverified.class);
    assertThatThrownBy(() -> EspSignatures.postmark("postmark", "s3cret", "Bearer postmark:s3cret"))
        .isInstanceOf(Unverified.class);
    assertThatThrownBy(() -> EspSignatures.postmark("postmark", "s3cret", "Basic !!not-base64"))
        .isInstanceOf(Unverified.class);
  }

  // SendGrid: ECDSA P-256 over timestamp + body.
  private static final java.security.KeyPair SENDGRID = sendgridKeys();

  static java.security.KeyPair sendgridKeys() {
    try {
      java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
      g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sendgridSign(java.security.PrivateKey key, String timestamp, byte[] body) throws Exception {
    java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
    s.initSign(key);
    s.update(timestamp.getBytes(StandardCharsets.UTF_8));
    s.update(body);
    return java.util.Base64.getEncoder().encodeToString(s.sign());
  }

  private static final String SENDGRID_KEY = java.util.Base64.getEncoder().encodeToString(SENDGRID.getPublic().getEncoded());

  @Test
  void sendgridValid() throws Exception {
    String ts = String.valueOf(NOW.getEpochSecond() - 10);
    String sig = sendgridSign(SENDGRID.getPrivate(), ts, BODY);
    assertThatCode(() -> EspSignatures.sendgrid(SENDGRID_KEY, ts, sig, BODY, NOW)).doesNotThrowAnyException();
  }

  @Test
  void sendgridForged() throws Exception {
    String ts = String.valueOf(NOW.getEpochSecond());
    String other = sendgridSign(sendgridKeys().getPrivate(), ts, BODY);
    assertThatThrownBy(() -> EspSignatures.sendgrid(SENDGRID_KEY, ts, other, BODY, NOW)).isInstanceOf(Unverified.class);
    String good = sendgridSign(SENDGRID.getPrivate(), ts, BODY);
    assertThatThrownBy(() -> EspSignatures.sendgrid(SENDGRID_KEY, ts, good, "[]".getBytes(StandardCharsets.UTF_8), NOW))
        .isInstanceOf(Unverified.class);
    assertThatThrownBy(() -> EspSignatures.sendgrid(SENDGRID_KEY, ts, "bm90IGEgc2lnbmF0dXJl", BODY, NOW))
        .isInstanceOf(Unverified.class);
    assertThatThrownBy(() -> EspSignatures.sendgrid(SENDGRID_KEY, ts, null, BODY, NOW)).isInstanceOf(Unverified.class);
  }

  @Test
  void sendgridStale() throws Exception {
    String ts = String.valueOf(NOW.getEpochSecond() - 301);
    String sig = sendgridSign(SENDGRID.getPrivate(), ts, BODY);
    assertThatThrownBy(() -> EspSignatures.sendgrid(SENDGRID_KEY, ts, sig, BODY, NOW)).isInstanceOf(Unverified.class)
        .hasMessageContaining("stale");
  }
}
