package com.nurture.api.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.links.Link;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PUT on a path ending in a parameter ({@code PUT /v1/leads/{leadId}}, {@code PUT
 * /v1/suppressions/{email}}) makes the thing it names: its 2xx answers link (OpenAPI links) to
 * every operation on that path or below it, passing the parameter on, so a client, and the fuzz
 * run's stateful phase, can go from the lead it made to its journey, events and timeline.
 */
final class CreationLinks {
  private static final Pattern LAST_PARAMETER = Pattern.compile(".*/\\{([^}/]+)}$");

  private CreationLinks() {}

  static void add(OpenAPI api) {
    if (api.getPaths() == null) {
      return;
    }
    api.getPaths().forEach((path, item) -> {
      Matcher m = LAST_PARAMETER.matcher(path);
      if (item.getPut() == null || !m.matches()) {
        return;
      }
      Operation put = item.getPut();
      String parameter = m.group(1);
      api.getPaths().forEach((other, otherItem) -> {
        if (!other.equals(path) && !other.startsWith(path + "/")) {
          return;
        }
        otherItem.readOperationsMap().forEach((method, op) -> {
          if (op == put || method == PathItem.HttpMethod.OPTIONS || method == PathItem.HttpMethod.HEAD) {
            return;
          }
          String name = (method.name().toLowerCase(Locale.ROOT) + other.substring(path.length()))
              .replaceAll("[^A-Za-z0-9]+", "_").replaceAll("_$", "");
          Link link = new Link().operationRef("#/paths/" + pointer(other) + "/" + method.name().toLowerCase(Locale.ROOT))
              .parameters(parameter, "$request.path." + parameter);
          put.getResponses().forEach((code, response) -> {
            if (code.startsWith("2")) {
              response.link(name, link);
            }
          });
        });
      });
    });
  }

  /** A path as a JSON pointer token in a URI fragment: ~ and / escaped, braces percent-encoded. */
  private static String pointer(String path) {
    return path.replace("~", "~0").replace("/", "~1").replace("{", "%7B").replace("}", "%7D");
  }
}
