package com.nurture.api.console;

import java.text.MessageFormat;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The console's words in one language, from {@code console/i18n/messages[_ja].properties} (UTF-8).
 * English is the base bundle; a key missing from a bundle shows as the key, never an error.
 */
public final class ConsoleText {
  private static final ResourceBundle.Control NO_FALLBACK =
      ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES);
  private final String lang;
  private final ResourceBundle bundle;

  private ConsoleText(String lang, ResourceBundle bundle) {
    this.lang = lang;
    this.bundle = bundle;
  }

  public static ConsoleText of(String lang) {
    Locale locale = "en".equals(lang) ? Locale.ROOT : Locale.forLanguageTag(lang);
    return new ConsoleText(lang, ResourceBundle.getBundle("console.i18n.messages", locale, NO_FALLBACK));
  }

  public String lang() {
    return lang;
  }

  public String get(String key) {
    try {
      return bundle.getString(key);
    } catch (MissingResourceException e) {
      return key;
    }
  }

  /** The message with {0}, {1}... filled in (MessageFormat, in this language's locale). */
  public String format(String key, Object... args) {
    return new MessageFormat(get(key), Locale.forLanguageTag(lang)).format(args);
  }

  /** Every key of this language's bundle (for the test that both languages have the same). */
  public java.util.Set<String> keys() {
    return bundle.keySet();
  }
}
