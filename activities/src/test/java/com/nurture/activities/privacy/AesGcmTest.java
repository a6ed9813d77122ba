package com.nurture.activities.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class AesGcmTest {
  private final SecretKeySpec key = key();
  private final byte[] aad = "key-1".getBytes(StandardCharsets.UTF_8);

  @Test
  void opensWhatItSealedAndRefusesEveryPrefixShorterThanANonceAndATag() throws Exception {
    byte[] sealed = AesGcm.seal(key, aad, "lead-1\nada@example.com".getBytes(StandardCharsets.UTF_8));

    assertThat(new String(AesGcm.open(key, aad, sealed), StandardCharsets.UTF_8)).isEqualTo("lead-1\nada@example.com");
    assertThat(sealed).hasSize(AesGcm.OVERHEAD + 22);
    for (int length = 0; length < AesGcm.OVERHEAD; length++) {
      byte[] prefix = Arrays.copyOf(sealed, length);
      assertThatThrownBy(() -> AesGcm.open(key, aad, prefix)).as("%d bytes", length)
          .isInstanceOf(AEADBadTagException.class);
    }
    assertThatThrownBy(() -> AesGcm.open(key, "key-2".getBytes(StandardCharsets.UTF_8), sealed))
        .as("other associated data").isInstanceOf(AEADBadTagException.class);
  }

  private static SecretKeySpec key() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return new SecretKeySpec(bytes, "AES");
  }
}
