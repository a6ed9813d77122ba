package com.nurture.api.console;

import io.dropwizard.assets.AssetsBundle;
import io.dropwizard.core.ConfiguredBundle;
import io.dropwizard.views.common.ViewBundle;
import java.util.List;

/**
 * What the console serves besides its pages, all from the application's own jar under
 * {@code /console/assets}: its script and style ({@code console/assets/}), htmx and uPlot from
 * their webjars (versions as in api/pom.xml). The browser fetches nothing from anywhere else.
 */
public final class ConsoleAssets {
  /** org.webjars.npm:htmx.org, as in api/pom.xml. */
  public static final String HTMX_VERSION = "2.0.4";
  /** org.webjars.npm:uplot, as in api/pom.xml. */
  public static final String UPLOT_VERSION = "1.6.30";
  private static final String WEBJARS = "/META-INF/resources/webjars/";

  private ConsoleAssets() {}

  /** The view renderer (FreeMarker) and the asset servlets, added in {@code initialize}. */
  public static <C extends io.dropwizard.core.Configuration> List<ConfiguredBundle<? super C>> bundles() {
    return List.of(
        new ViewBundle<>(),
        new AssetsBundle("/console/assets", "/console/assets/app", null, "console-app"),
        new AssetsBundle(WEBJARS + "htmx.org/" + HTMX_VERSION + "/dist", "/console/assets/htmx", null, "console-htmx"),
        new AssetsBundle(WEBJARS + "uplot/" + UPLOT_VERSION + "/dist", "/console/assets/uplot", null, "console-uplot"));
  }
}
