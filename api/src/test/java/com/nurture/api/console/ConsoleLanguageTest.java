package com.nurture.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleLanguageTest {
  @Test
  void theSwitchsCookieWinsThenTheBrowsersLanguagesInTheirOrder() {
    assertThat(ConsoleLanguage.choose(Optional.of("ja"), Optional.of("en-GB"))).isEqualTo("ja");
    assertThat(ConsoleLanguage.choose(Optional.of("fr"), Optional.of("ja-JP,ja;q=0.9"))).isEqualTo("ja");
    assertThat(ConsoleLanguage.choose(Optional.empty(), Optional.of("fr-FR,ja;q=0.8,en;q=0.5"))).isEqualTo("ja");
    assertThat(ConsoleLanguage.choose(Optional.empty(), Optional.of("en-US,ja;q=0.5"))).isEqualTo("en");
    assertThat(ConsoleLanguage.choose(Optional.empty(), Optional.of("de"))).isEqualTo("en");
    assertThat(ConsoleLanguage.choose(Optional.empty(), Optional.of("!!not a header"))).isEqualTo("en");
    assertThat(ConsoleLanguage.choose(Optional.empty(), Optional.empty())).isEqualTo("en");
  }
}
