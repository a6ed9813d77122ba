package com.nurture.api.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Set;

/**
 * {@code GET /prometheus} on the admin port: the registry in the format the scraper asks for by
 * its {@code Accept} header: Prometheus text ({@code text/plain; version=0.0.4}) by default,
 * OpenMetrics text when asked. {@code ?name[]=a&name[]=b} keeps only those metrics, as Prometheus'
 * own exporters do: a poll of one counter then costs a fraction of the whole page (names as the
 * registry knows them: a counter without {@code _total}, a histogram without {@code _count}). The
 * scrape is written to memory first, so a failing collector is a 500, not half a page.
 */
public final class PrometheusServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private final transient PrometheusRegistry registry;
  private final transient ExpositionFormats formats = ExpositionFormats.init();

  PrometheusServlet(PrometheusRegistry registry) {
    this.registry = registry;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
    ExpositionFormatWriter writer = formats.findWriter(request.getHeader("Accept"));
    ByteArrayOutputStream body = new ByteArrayOutputStream(64 * 1024);
    String[] names = request.getParameterValues("name[]");
    writer.write(body, names == null ? registry.scrape() : registry.scrape(Set.of(names)::contains));
    response.setStatus(HttpServletResponse.SC_OK);
    response.setContentType(writer.getContentType());
    response.setHeader("Cache-Control", "no-store");
    response.setContentLength(body.size());
    body.writeTo(response.getOutputStream());
  }
}
