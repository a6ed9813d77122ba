package com.nurture.activities.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.activities.TestMail;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class UnsubscribeTokensTest {
  private final UnsubscribeTokens tokens = new UnsubscribeTokens(TestMail.SIGNING_KEY);

  @Test
  void aTokenNamesTheLeadAndAddressItWasIssuedFor() {
    String token = tokens.issue("crm-42", "pat@example.com");
    assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    assertThat(tokens.verify(token)).contains(new UnsubscribeTokens.Subject("crm-42", "pat@example.com"));
  }

  @Test
  void forgedOrAlteredTokensAreRejected() {
    String token = tokens.issue("crm-42", "pat@example.com");
    String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("crm-43\npat@example.com".getBytes(StandardCharsets.UTF_8));
    assertThat(tokens.verify(otherPayload + token.substring(token.indexOf('.')))).isEmpty();
    int mid = token.indexOf('.') + 10;
    char c = token.charAt(mid);
    assertThat(tokens.verify(token.substring(0, mid) + (c == 'A' ? 'B' : 'A') + token.substring(mid + 1))).isEmpty();
    char last = token.charAt(token.length() - 1);
    assertThat(tokens.verify(token.substring(0, token.length() - 1) + (char) (last ^ 1))).as("a non-canonical spelling").isEmpty();
    assertThat(new UnsubscribeTokens("another-key-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8))
        .verify(token)).isEmpty();
    assertThat(tokens.verify("no-dot")).isEmpty();
    assertThat(tokens.verify("a.b.c")).isEmpty();
    assertThat(tokens.verify("!!!.???")).isEmpty();
    assertThat(tokens.verify(null)).isEmpty();
  }

  @Test
  void aShortKeyIsRefused() {
    assertThatThrownBy(() -> new UnsubscribeTokens(new byte[16])).hasMessageContaining("at least 32 bytes");
  }
}
