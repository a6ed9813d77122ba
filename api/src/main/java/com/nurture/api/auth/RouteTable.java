package com.nurture.api.auth;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;

/**
 * Every route the application registers, read from Jersey's resource model, with the roles its
 * {@code @RolesAllowed} (on the method, else on the class, as RolesAllowedDynamicFeature reads
 * them) asks for, and its {@link PublicRoutes} entry when it takes no API key. The API
 * description and RouteDoorsTest are built from this one table.
 */
public final class RouteTable {
  /**
   * One route: HTTP method, path template ({@code {name}}, regular expressions dropped), the media
   * types its request body may have (empty: any).
   */
  public record Route(String method, String path, Class<?> resource, Method handler, Set<String> roles,
      Optional<PublicRoutes.Entry> publicEntry, List<String> consumes) {
    /** Neither roles nor an allow-list entry: a door nobody decided to guard. */
    public boolean unguarded() {
      return roles.isEmpty() && publicEntry.isEmpty();
    }
  }

  private RouteTable() {}

  /** The resource classes registered with Jersey (as classes or as instances). */
  public static Set<Class<?>> resourceClasses(ResourceConfig config) {
    Set<Class<?>> classes = new LinkedHashSet<>();
    Stream.concat(config.getClasses().stream(), config.getInstances().stream().map(Object::getClass))
        .filter(c -> c.isAnnotationPresent(Path.class))
        .sorted(Comparator.comparing(Class::getName))
        .forEach(classes::add);
    return classes;
  }

  public static List<Route> of(ResourceConfig config) {
    List<Route> routes = new ArrayList<>();
    for (Class<?> c : resourceClasses(config)) {
      walk(Resource.from(c), "", c, routes);
    }
    routes.sort(Comparator.comparing(Route::path).thenComparing(Route::method));
    return routes;
  }

  private static void walk(Resource resource, String prefix, Class<?> c, List<Route> routes) {
    String path = join(prefix, resource.getPath());
    for (ResourceMethod m : resource.getResourceMethods()) {
      Method handler = m.getInvocable().getDefinitionMethod();
      String method = m.getHttpMethod();
      routes.add(new Route(method, path, c, handler, roles(handler, c), PublicRoutes.find(method, path),
          m.getConsumedTypes().stream().map(Object::toString).toList()));
    }
    for (Resource child : resource.getChildResources()) {
      walk(child, path, c, routes);
    }
  }

  private static Set<String> roles(Method handler, Class<?> c) {
    RolesAllowed r = handler.isAnnotationPresent(RolesAllowed.class)
        ? handler.getAnnotation(RolesAllowed.class) : c.getAnnotation(RolesAllowed.class);
    return r == null ? Set.of() : Set.of(r.value());
  }

  /** {@code /v1/alerts} + {@code {id: [0-9]{1,18}}/ack} = {@code /v1/alerts/{id}/ack}. */
  static String join(String prefix, String path) {
    String p = path == null ? "" : path;
    String joined = (prefix + "/" + p).replaceAll("/+", "/");
    if (joined.length() > 1 && joined.endsWith("/")) {
      joined = joined.substring(0, joined.length() - 1);
    }
    return dropRegexes(joined);
  }

  /** Parameters as {@code {name}}: Jersey lets a template carry a regular expression ({@code {id: [0-9]+}}). */
  static String dropRegexes(String template) {
    StringBuilder out = new StringBuilder();
    int depth = 0;
    boolean skipping = false;
    for (char ch : template.toCharArray()) {
      if (ch == '{') {
        depth++;
        if (depth == 1) {
          out.append(ch);
          skipping = false;
          continue;
        }
      } else if (ch == '}') {
        depth--;
        if (depth == 0) {
          out.append(ch);
          skipping = false;
          continue;
        }
      } else if (ch == ':' && depth == 1) {
        skipping = true;
      }
      if (!skipping && !(depth == 1 && Character.isWhitespace(ch))) {
        out.append(ch);
      }
    }
    return out.toString();
  }
}
