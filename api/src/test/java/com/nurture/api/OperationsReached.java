package com.nurture.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How deep a fuzz run went: for each operation of the description it ran against, how many of its
 * requests were answered 2xx or 3xx (past validation, into the API's logic), read from the run's
 * HAR record. An operation that never got one was only ever refused.
 */
record OperationsReached(Map<String, int[]> byOperation) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static OperationsReached of(Path description, Path har) throws IOException {
    List<Template> templates = new ArrayList<>();
    JSON.readTree(description.toFile()).path("paths").fields().forEachRemaining(p ->
        p.getValue().fieldNames().forEachRemaining(method -> templates.add(new Template(
            method.toUpperCase(Locale.ROOT) + " " + p.getKey(),
            method.toUpperCase(Locale.ROOT),
            Pattern.compile("^" + p.getKey().replaceAll("\\{[^}]*}", "\\\\E[^/]+\\\\Q")
                .transform(t -> "\\Q" + t + "\\E") + "$"),
            p.getKey().chars().filter(c -> c == '{').count()))));
    // A literal path before a template that also matches it (/v1/leads:batch, not /v1/leads/{leadId}).
    templates.sort(Comparator.comparingLong(Template::parameters));
    Map<String, int[]> counts = new TreeMap<>();
    if (Files.exists(har)) {
      for (JsonNode e : JSON.readTree(har.toFile()).path("log").path("entries")) {
        String method = e.path("request").path("method").asText();
        String path;
        try {
          path = URI.create(e.path("request").path("url").asText()).getRawPath();
        } catch (IllegalArgumentException notAUri) {
          continue;
        }
        int status = e.path("response").path("status").asInt();
        Optional<Template> t = templates.stream()
            .filter(x -> x.method().equals(method) && x.path().matcher(path).matches()).findFirst();
        t.ifPresent(x -> {
          int[] c = counts.computeIfAbsent(x.name(), k -> new int[2]);
          c[0]++;
          if (status >= 200 && status < 400) {
            c[1]++;
          }
        });
      }
    }
    return new OperationsReached(counts);
  }

  private record Template(String name, String method, Pattern path, long parameters) {}

  long reached() {
    return byOperation.values().stream().filter(c -> c[1] > 0).count();
  }

  String summary() {
    StringBuilder out = new StringBuilder("schemathesis: " + reached() + " of " + byOperation.size()
        + " operations answered 2xx/3xx at least once (requests, of which 2xx/3xx):\n");
    byOperation.forEach((op, c) -> out.append(c[1] > 0 ? "  ok  " : "  --  ").append(op)
        .append(": ").append(c[0]).append(", ").append(c[1]).append('\n'));
    return out.toString();
  }
}
