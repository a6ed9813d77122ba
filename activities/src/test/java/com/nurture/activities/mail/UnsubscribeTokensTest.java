package com.nurture.activities.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.activities.TestMail;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class UnsubscribeTokensTest {
  private final UnsubscribeTokens tokens = new UnsubscribeTokens(TestMail.SIGNING_KEY);

  @Test
  void aTokenNamesTheLeadAndAddressItWasIssuedFor() {
    String token = tokens.issue("crm-42", "pat@example.com");
    assertThat(token).matches("u2\\.[0-9a-f]{8}\\.[A-Za-z0-9_-]+");
    assertThat(tokens.verify(token)).contains(new UnsubscribeTokens.Subject("crm-42", "pat@example.com"));
    assertThat(tokens.issue("crm-42", "pat@example.com")).as("a fresh nonce each time").isNotEqualTo(token);
  }

  @Test
  void aNewTokenRevealsNeitherTheLeadIdNorTheAddress() {
    String token = tokens.issue("crm-42", "pat@example.com");
    assertThat(token).doesNotContain("crm-42").doesNotContain("pat").doesNotContain("example");
    // Decode every part as base64url, as someone reading an access log would: nothing readable.
    for (String part : token.split("\\.")) {
      String decoded;
      try {
        decoded = new String(Base64.getUrlDecoder().decode(part), StandardCharsets.ISO_8859_1);
      } catch (IllegalArgumentException notBase64) {
        continue;
      }
      assertThat(decoded).doesNotContain("crm-42").doesNotContain("pat@").doesNotContain("example.com");
    }
  }

  /**
   * Each thread keeps one cipher and initialises it again for every token: a refused token (its tag
   * fails mid-decryption) leaves nothing behind for the next issue or verification, on that thread or
   * another, and two keys' tokens on one thread stay apart.
   */
  @Test
  void aThreadsCipherServesEveryTokenAfterARefusedOne() throws Exception {
    UnsubscribeTokens other = new UnsubscribeTokens("another-key-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8));
    Runnable interleaved = () -> {
      for (int i = 0; i < 200; i++) {
        String token = tokens.issue("crm-" + i, "lead-" + i + "@example.com");
        String altered = token.substring(0, token.length() - 3) + (token.endsWith("AAA") ? "BBB" : "AAA");
        assertThat(tokens.verify(altered)).as("altered %d", i).isEmpty();
        assertThat(other.verify(token)).as("another key, %d", i).isEmpty();
        String theOthers = other.issue("crm-" + i, "lead-" + i + "@example.com");
        assertThat(tokens.verify(token)).contains(new UnsubscribeTokens.Subject("crm-" + i, "lead-" + i + "@example.com"));
        assertThat(other.verify(theOthers)).contains(new UnsubscribeTokens.Subject("crm-" + i, "lead-" + i + "@example.com"));
        assertThat(tokens.verify(theOthers)).isEmpty();
      }
    };
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(threads.submit(interleaved));
      }
      for (Future<?> run : runs) {
        run.get(); // an assertion that failed on a thread fails here
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void formatOneTokensAlreadySentStillVerify() {
    String old = tokens.issueFormat1("crm-42", "pat@example.com");
    assertThat(old).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    assertThat(new String(Base64.getUrlDecoder().decode(old.substring(0, old.indexOf('.'))), StandardCharsets.UTF_8))
        .isEqualTo("crm-42\npat@example.com");
    assertThat(tokens.verify(old)).contains(new UnsubscribeTokens.Subject("crm-42", "pat@example.com"));
  }

  @Test
  void forgedOrAlteredTokensAreRejected() {
    String token = tokens.issue("crm-42", "pat@example.com");
    String data = token.substring(token.lastIndexOf('.') + 1);
    String head = token.substring(0, token.lastIndexOf('.') + 1);
    for (int i : new int[] {0, 14, data.length() / 2, data.length() - 2}) {
      char c = data.charAt(i);
      assertThat(tokens.verify(head + data.substring(0, i) + (c == 'A' ? 'B' : 'A') + data.substring(i + 1)))
          .as("altered at %d", i).isEmpty();
    }
    assertThat(tokens.verify(token.replaceFirst("^u2\\.[0-9a-f]{8}", "u2.00000000"))).as("another key id").isEmpty();
    assertThat(tokens.verify(token + "A")).isEmpty();
    assertThat(tokens.verify("u2." + token.split("\\.")[1] + ".AAAA")).isEmpty();
    assertThat(new UnsubscribeTokens("another-key-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8))
        .verify(token)).isEmpty();

    String old = tokens.issueFormat1("crm-42", "pat@example.com");
    String otherPayload = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("crm-43\npat@example.com".getBytes(StandardCharsets.UTF_8));
    assertThat(tokens.verify(otherPayload + old.substring(old.indexOf('.')))).isEmpty();
    int mid = old.indexOf('.') + 10;
    char c = old.charAt(mid);
    assertThat(tokens.verify(old.substring(0, mid) + (c == 'A' ? 'B' : 'A') + old.substring(mid + 1))).isEmpty();
    char last = old.charAt(old.length() - 1);
    assertThat(tokens.verify(old.substring(0, old.length() - 1) + (char) (last ^ 1))).as("a non-canonical spelling").isEmpty();
    assertThat(new UnsubscribeTokens("another-key-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8))
        .verify(old)).isEmpty();
    assertThat(tokens.verify("no-dot")).isEmpty();
    assertThat(tokens.verify("a.b.c")).isEmpty();
    assertThat(tokens.verify("!!!.???")).isEmpty();
    assertThat(tokens.verify(null)).isEmpty();
  }

  @Test
  void fingerprintsAreKeyedAndStable() {
    assertThat(tokens.fingerprint("203.0.113.9")).isEqualTo(tokens.fingerprint("203.0.113.9"))
        .isNotEqualTo(tokens.fingerprint("203.0.113.10")).doesNotContain("203").hasSize(64);
    assertThat(new UnsubscribeTokens("another-key-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8))
        .fingerprint("203.0.113.9")).isNotEqualTo(tokens.fingerprint("203.0.113.9"));
  }

  @Test
  void aShortKeyIsRefused() {
    assertThatThrownBy(() -> new UnsubscribeTokens(new byte[16])).hasMessageContaining("at least 32 bytes");
  }
}
