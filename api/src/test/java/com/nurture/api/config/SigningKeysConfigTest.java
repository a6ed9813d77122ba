package com.nurture.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.mail.SigningKeys;
import java.util.List;
import org.junit.jupiter.api.Test;

/** mail.signing_keys and mail.signing_key make the key ring: the listed keys in order, then the legacy key. */
class SigningKeysConfigTest {
  private static MailConfig.SigningKey key(String id, String secret) {
    MailConfig.SigningKey k = new MailConfig.SigningKey();
    k.id = id;
    k.secret = secret;
    return k;
  }

  @Test
  void theLegacyKeyAloneSigns() {
    MailConfig mail = new MailConfig();
    mail.signingKey = "the-legacy-signing-key-thirty-two-bytes!!";
    assertThat(mail.isSigningKeyConfigured()).isTrue();
    assertThat(mail.signingKeys().signer().id()).isEqualTo(SigningKeys.LEGACY_ID);
  }

  @Test
  void listedKeysComeFirstAndTheLegacyKeyOnlyVerifies() {
    MailConfig mail = new MailConfig();
    mail.signingKey = "the-legacy-signing-key-thirty-two-bytes!!";
    mail.signingKeys = List.of(key("b-2027", "key-b-of-at-least-thirty-two-bytes-111111"),
        key("a-2026", "key-a-of-at-least-thirty-two-bytes-000000"));
    assertThat(mail.signingKeys().all()).extracting(SigningKeys.Key::id).containsExactly("b-2027", "a-2026", "legacy");

    mail.signingKey = null;
    assertThat(mail.signingKeys().all()).extracting(SigningKeys.Key::id).containsExactly("b-2027", "a-2026");
  }

  @Test
  void noKeyOrADuplicateOrReservedIdIsAConfigurationError() {
    MailConfig none = new MailConfig();
    assertThat(none.isSigningKeyConfigured()).isFalse();
    MailConfig twice = new MailConfig();
    twice.signingKeys = List.of(key("k", "key-b-of-at-least-thirty-two-bytes-111111"),
        key("k", "key-a-of-at-least-thirty-two-bytes-000000"));
    assertThat(twice.isSigningKeyConfigured()).isFalse();
    MailConfig reserved = new MailConfig();
    reserved.signingKeys = List.of(key("legacy", "key-b-of-at-least-thirty-two-bytes-111111"));
    assertThat(reserved.isSigningKeyConfigured()).isFalse();
  }
}
