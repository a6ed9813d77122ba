package com.nurture.api.console;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The console's languages, and which one a request gets: the switch's cookie, else Accept-Language. */
public final class ConsoleLanguage {
  public static final List<String> SUPPORTED = List.of("en", "ja");
  public static final String COOKIE = "nurture_lang";

  private ConsoleLanguage() {}

  /** The cookie's language when supported, else the first supported one Accept-Language ranks highest, else English. */
  public static String choose(Optional<String> cookie, Optional<String> acceptLanguage) {
    Optional<String> chosen = cookie.map(c -> c.trim().toLowerCase(Locale.ROOT)).filter(SUPPORTED::contains);
    if (chosen.isPresent()) {
      return chosen.get();
    }
    if (acceptLanguage.isEmpty() || acceptLanguage.get().isBlank()) {
      return "en";
    }
    try {
      List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(acceptLanguage.get());
      return Optional.ofNullable(Locale.lookupTag(ranges, SUPPORTED)).orElseGet(() -> ranges.stream()
          .map(r -> r.getRange().split("-")[0]).filter(SUPPORTED::contains).findFirst().orElse("en"));
    } catch (IllegalArgumentException e) {
      return "en";
    }
  }
}
