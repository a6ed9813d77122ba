package com.nurture.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConsoleTextTest {
  @Test
  void englishAndJapaneseHaveTheSameKeys() {
    assertThat(ConsoleText.of("ja").keys()).containsExactlyInAnyOrderElementsOf(ConsoleText.of("en").keys());
    assertThat(ConsoleText.of("ja").get("nav.leads")).isEqualTo("リード");
    assertThat(ConsoleText.of("en").get("nav.leads")).isEqualTo("Leads");
    assertThat(ConsoleText.of("en").get("no.such.key")).isEqualTo("no.such.key");
  }

  @Test
  void theSignInComesBackOnlyToAConsolePath() {
    assertThat(ConsoleResource.safeNext("/console/leads?q=a")).hasValue("/console/leads?q=a");
    assertThat(ConsoleResource.safeNext("//evil.example/console")).isEmpty();
    assertThat(ConsoleResource.safeNext("https://evil.example/console")).isEmpty();
    assertThat(ConsoleResource.safeNext("/v1/leads")).isEmpty();
    assertThat(ConsoleResource.safeNext("/console\\@evil")).isEmpty();
    assertThat(ConsoleResource.safeNext(null)).isEmpty();
  }
}
