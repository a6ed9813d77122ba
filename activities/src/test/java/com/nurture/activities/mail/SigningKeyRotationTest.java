package com.nurture.activities.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.activities.consent.ConfirmationTokens;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Rotating the signing key, per token kind: a token issued with key A still verifies once the
 * configuration is [B, A] (while new tokens name B), and is refused once it is [B]. Tokens issued
 * before keys had ids (the legacy {@code mail.signing_key}) verify while that key is configured.
 */
class SigningKeyRotationTest {
  private static final SigningKeys.Key A = key("a-2026", "key-a-of-at-least-thirty-two-bytes-000000");
  private static final SigningKeys.Key B = key("b-2027", "key-b-of-at-least-thirty-two-bytes-111111");
  private static final SigningKeys.Key LEGACY = key(SigningKeys.LEGACY_ID, "the-legacy-signing-key-thirty-two-bytes!!");

  private static SigningKeys.Key key(String id, String secret) {
    return new SigningKeys.Key(id, secret.getBytes(StandardCharsets.UTF_8));
  }

  private static SigningKeys ring(SigningKeys.Key... keys) {
    return new SigningKeys(List.of(keys));
  }

  @Test
  void unsubscribeTokensSurviveARotationUntilTheOldKeyIsRetired() {
    String old = new UnsubscribeTokens(ring(A)).issue("crm-1", "pat@example.com");
    assertThat(old).startsWith("u3.a-2026.");

    UnsubscribeTokens rotated = new UnsubscribeTokens(ring(B, A));
    assertThat(rotated.verify(old)).contains(new UnsubscribeTokens.Subject("crm-1", "pat@example.com"));
    String fresh = rotated.issue("crm-1", "pat@example.com");
    assertThat(fresh).startsWith("u3.b-2027.");
    assertThat(rotated.verify(fresh)).contains(new UnsubscribeTokens.Subject("crm-1", "pat@example.com"));

    UnsubscribeTokens retired = new UnsubscribeTokens(ring(B));
    assertThat(retired.verify(old)).isEmpty();
    assertThat(retired.verify(fresh)).isPresent();
  }

  @Test
  void aTokenCannotBeMovedToAnotherKeyByEditingItsKeyId() {
    String byA = new UnsubscribeTokens(ring(A)).issue("crm-1", "pat@example.com");
    String relabelled = byA.replace("u3.a-2026.", "u3.b-2027.");
    assertThat(new UnsubscribeTokens(ring(B, A)).verify(relabelled)).isEmpty();
  }

  @Test
  void unsubscribeTokensOfTheLegacyKeyKeepTheirFormatAndVerifyUntilItIsRemoved() {
    UnsubscribeTokens legacy = new UnsubscribeTokens(LEGACY.secret());
    String v2 = legacy.issue("crm-2", "sam@example.com");
    String v1 = legacy.issueFormat1("crm-2", "sam@example.com");
    assertThat(v2).matches("u2\\.[0-9a-f]{8}\\..+");

    UnsubscribeTokens rotated = new UnsubscribeTokens(ring(B, LEGACY));
    assertThat(rotated.verify(v2)).contains(new UnsubscribeTokens.Subject("crm-2", "sam@example.com"));
    assertThat(rotated.verify(v1)).contains(new UnsubscribeTokens.Subject("crm-2", "sam@example.com"));
    assertThat(rotated.issue("crm-2", "sam@example.com")).startsWith("u3.b-2027.");

    UnsubscribeTokens retired = new UnsubscribeTokens(ring(B));
    assertThat(retired.verify(v2)).isEmpty();
    assertThat(retired.verify(v1)).isEmpty();
  }

  @Test
  void confirmationTokensSurviveARotationUntilTheOldKeyIsRetired() {
    String old = new ConfirmationTokens(ring(A)).issue("crm-3", "journey-1");
    assertThat(old).startsWith("c2.a-2026.");
    assertThat(ConfirmationTokens.wellFormed(old)).isTrue();

    ConfirmationTokens rotated = new ConfirmationTokens(ring(B, A));
    assertThat(rotated.verifies(old, "crm-3", "journey-1")).isTrue();
    assertThat(rotated.verifies(old, "crm-4", "journey-1")).as("another lead's row").isFalse();
    String fresh = rotated.issue("crm-3", "journey-1");
    assertThat(fresh).startsWith("c2.b-2027.");
    assertThat(ConfirmationTokens.wellFormed(fresh)).isTrue();
    assertThat(rotated.verifies(fresh, "crm-3", "journey-1")).isTrue();

    ConfirmationTokens retired = new ConfirmationTokens(ring(B));
    assertThat(retired.verifies(old, "crm-3", "journey-1")).isFalse();
    assertThat(retired.verifies(fresh, "crm-3", "journey-1")).isTrue();
  }

  @Test
  void confirmationTokensOfTheLegacyKeyKeepTheirFormatAndVerifyUntilItIsRemoved() {
    String c1 = new ConfirmationTokens(LEGACY.secret()).issue("crm-5", "journey-2");
    assertThat(c1).matches("c1\\.[A-Za-z0-9_-]{43}");
    assertThat(new ConfirmationTokens(ring(B, LEGACY)).verifies(c1, "crm-5", "journey-2")).isTrue();
    assertThat(new ConfirmationTokens(ring(B)).verifies(c1, "crm-5", "journey-2")).isFalse();
  }

  @Test
  void keyIdsAreCheckedAndSecretsNeverPrinted() {
    assertThatThrownBy(() -> ring(A, key("a-2026", "another-secret-of-thirty-two-bytes-22222")))
        .hasMessageContaining("configured twice");
    assertThatThrownBy(() -> key("no spaces", "key-a-of-at-least-thirty-two-bytes-000000"))
        .hasMessageContaining("1-32 of letters");
    assertThatThrownBy(() -> key("short", "too-short")).hasMessageContaining("at least 32 bytes");
    assertThat(ring(B, A).toString()).contains("b-2027", "a-2026").doesNotContain("key-a-of", "key-b-of");
  }
}
