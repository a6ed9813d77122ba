package com.nurture.api.console;

import io.dropwizard.views.common.View;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A console page: a FreeMarker template under {@code console/templates/} rendered with what every
 * page shows (language, words, who is signed in, the navigation, the CSRF token its forms carry).
 * Pages add their own data as getters of a subclass; the template imports {@code layout.ftlh}.
 */
public class ConsolePage extends View {
  private final ConsoleContext context;
  private final String titleKey;
  private final String section;

  /** A navigation entry; {@code section} marks the current page's. */
  public record NavItem(String href, String label, boolean current) {}

  /**
   * @param template the file under console/templates/, e.g. {@code overview.ftlh}
   * @param titleKey the message key of the page's title
   * @param section which navigation entry this page belongs to ({@code overview}, {@code leads}...)
   */
  public ConsolePage(String template, ConsoleContext context, String titleKey, String section) {
    super("/console/templates/" + template, StandardCharsets.UTF_8);
    this.context = context;
    this.titleKey = titleKey;
    this.section = section;
  }

  public String t(String key) {
    return context.text().get(key);
  }

  public String t(String key, Object arg) {
    return context.text().format(key, arg);
  }

  public String t(String key, Object arg1, Object arg2) {
    return context.text().format(key, arg1, arg2);
  }

  /** A rate as a percentage with one decimal ("0.3%"), "–" for none. */
  public String pct(Object rate) {
    return rate instanceof Number n ? String.format(java.util.Locale.ROOT, "%.1f%%", n.doubleValue() * 100) : "–";
  }

  /** Hours with one decimal, "–" for none. */
  public String hours(Object h) {
    return h instanceof Number n ? String.format(java.util.Locale.ROOT, "%.1f", n.doubleValue()) : "–";
  }

  public String getLang() {
    return context.text().lang();
  }

  /** The other language the switch offers. */
  public String getOtherLang() {
    return "ja".equals(getLang()) ? "en" : "ja";
  }

  public String getTitle() {
    return t(titleKey);
  }

  public String getSection() {
    return section;
  }

  public String getCsrf() {
    return context.csrfToken();
  }

  /** The page's own path and query, where the language switch comes back to. */
  public String getPath() {
    return context.path();
  }

  public boolean isSignedIn() {
    return context.session().isPresent();
  }

  public String getUser() {
    return context.session().map(ConsoleSession::name).orElse("");
  }

  public boolean isOperator() {
    return context.session().map(ConsoleSession::isOperator).orElse(false);
  }

  public boolean isSales() {
    return context.session().map(ConsoleSession::isSales).orElse(false);
  }

  /** What the form before this page said (done, or why not), or null. */
  public Flash getFlash() {
    return context.flash().orElse(null);
  }

  public ConsoleContext context() {
    return context;
  }

  /** What this user may open: what a role may not do, it does not see. */
  public List<NavItem> getNav() {
    var s = context.session();
    if (s.isEmpty()) {
      return List.of();
    }
    List<NavItem> items = new java.util.ArrayList<>();
    for (ConsoleNav.Entry e : ConsoleNav.entries()) {
      if (e.visibleTo().test(s.get())) {
        items.add(new NavItem(e.href(), t(e.labelKey()), e.section().equals(section)));
      }
    }
    return items;
  }
}
