package com.nurture.api.openapi;

import com.nurture.api.auth.PublicRoutes;
import com.nurture.api.auth.RouteTable;
import com.nurture.api.errors.Problem;
import com.nurture.api.representations.LeadId;
import io.dropwizard.auth.Auth;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.jaxrs2.Reader;
import io.swagger.v3.jaxrs2.ResolvedParameter;
import io.swagger.v3.oas.integration.SwaggerConfiguration;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.ws.rs.Consumes;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.glassfish.jersey.server.ResourceConfig;

/**
 * The OpenAPI 3.1 description of the API, generated at start from the resources registered with
 * Jersey (swagger-core's JAX-RS reader: paths, parameters, request and response schemas of the
 * representations), then completed from the {@link RouteTable}: the bearer API key on every route
 * that names roles (and which roles, in {@code x-roles}), none on the public ones, and the RFC 9457
 * problem documents every error answers with.
 */
public final class ApiDescription {
  /** The security scheme's name in {@code components.securitySchemes}. */
  public static final String API_KEY = "apiKey";
  private static final String PROBLEM = "Problem";

  static {
    // Once per JVM: the converters are swagger-core's process-wide chain.
    ModelConverters.getInstance(true).addConverter(new ConstraintsAsSchema());
  }

  private ApiDescription() {}

  /** The description as JSON. */
  public static String json(ResourceConfig resources, String version) {
    try {
      return Json31.pretty(of(resources, version));
    } catch (RuntimeException e) {
      throw new IllegalStateException("the OpenAPI description could not be written: " + e, e);
    }
  }

  public static OpenAPI of(ResourceConfig resources, String version) {
    OpenAPI base = new OpenAPI()
        .info(new Info().title("Nurture").version(version)
            .description("Every B2B lead's nurture as a durable Temporal workflow. Errors are RFC 9457 "
                + "application/problem+json documents (docs/api.md)."));
    OpenAPI api = new KeyAwareReader(new SwaggerConfiguration().openAPI(base).openAPI31(true).prettyPrint(true))
        .read(RouteTable.resourceClasses(resources));
    api.openapi("3.1.0");
    Components components = api.getComponents() == null ? new Components() : api.getComponents();
    api.components(components);
    components.addSecuritySchemes(API_KEY, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
        .bearerFormat("API key").description("Authorization: Bearer <key>; the key's roles decide what it may call"));
    ModelConverters.getInstance(true).readAll(Problem.class).forEach(components::addSchemas);
    if (components.getSchemas() != null) {
      components.getSchemas().values().forEach(ApiDescription::nullableUnlessRequired);
    }

    for (RouteTable.Route route : RouteTable.of(resources)) {
      Operation op = operation(api, route);
      if (op == null) {
        throw new IllegalStateException("the reader did not describe " + route.method() + " " + route.path());
      }
      pathParameters(op);
      successAsOk(op);
      htmlAsText(op);
      if (!route.roles().isEmpty()) {
        op.security(List.of(new SecurityRequirement().addList(API_KEY)));
        op.addExtension("x-roles", new TreeSet<>(route.roles()));
        problem(op, 401, "no API key, or an unknown one");
        problem(op, 403, "the key has none of the roles " + new TreeSet<>(route.roles()));
      } else {
        op.security(List.of());
        route.publicEntry().ifPresent(e -> op.addExtension("x-public", e.guard().name().toLowerCase()));
      }
      boolean html = route.publicEntry().map(e -> e.guard() == PublicRoutes.Guard.TOKEN).orElse(false);
      // A URL the HTTP server cannot read (control characters, bad escapes) is refused by Jetty
      // before the application, with an empty body; an unreadable body gets a problem document.
      op.getResponses().putIfAbsent("400", new ApiResponse().description("the request cannot be read "
          + "(a problem document, or no body when the HTTP server refuses the URL itself)"));
      if (route.publicEntry().map(e -> e.guard() == PublicRoutes.Guard.SESSION_COOKIE).orElse(false)) {
        console(op);
      }
      if (!html) {
        problem(op, 404, "no such resource");
        problem(op, 406, "none of the accepted media types can be produced");
        problem(op, 409, "the resource's state does not allow it");
        problem(op, 422, "invalid fields, each named in errors[]");
        problem(op, 503, "a dependency (Temporal, PostgreSQL) is unavailable; try again later");
        if (op.getRequestBody() != null) {
          problem(op, 413, "the request body is too large");
          problem(op, 415, "the request body's media type is not accepted");
        }
      }
    }
    SchemaPatterns.anchor(api);
    CreationLinks.add(api);
    dropUnreferenced(api);
    return api;
  }

  private static final java.util.regex.Pattern SCHEMA_REF = java.util.regex.Pattern.compile("#/components/schemas/([^\"]+)");

  /**
   * The component schemas no operation reaches, dropped: those of the Java objects that render the
   * console's pages (views), which the reader resolved before the pages became HTML strings.
   */
  @SuppressWarnings("rawtypes")
  private static void dropUnreferenced(OpenAPI api) {
    Map<String, Schema> schemas = api.getComponents().getSchemas();
    if (schemas == null) {
      return;
    }
    java.util.Set<String> reached = new java.util.HashSet<>();
    java.util.Deque<String> texts = new java.util.ArrayDeque<>(List.of(String.valueOf(Json31.pretty(api.getPaths()))));
    while (!texts.isEmpty()) {
      java.util.regex.Matcher m = SCHEMA_REF.matcher(texts.pop());
      while (m.find()) {
        if (reached.add(m.group(1)) && schemas.containsKey(m.group(1))) {
          texts.push(String.valueOf(Json31.pretty(schemas.get(m.group(1)))));
        }
      }
    }
    schemas.keySet().retainAll(reached);
  }

  /**
   * Path parameters named as the API names its ids: a {@code leadId} is a lead id wherever it
   * appears (PUT /v1/leads/{leadId} refuses any other, so no other can exist), an {@code email} an
   * email address.
   */
  private static void pathParameters(Operation op) {
    if (op.getParameters() == null) {
      return;
    }
    op.getParameters().stream().filter(p -> "path".equals(p.getIn()) && p.getSchema() != null).forEach(p -> {
      if ("leadId".equals(p.getName()) && p.getSchema().getPattern() == null) {
        p.getSchema().setPattern(LeadId.PATTERN);
      } else if ("email".equals(p.getName())) {
        p.getSchema().setFormat("email");
      }
    });
  }

  /**
   * The representations write null for an absent value (e.g. {@code exit_reason} while the journey
   * runs, {@code handoff} without one): in OpenAPI 3.1 (JSON Schema) a property that may be null
   * says so in its types. Every property a schema does not require may be null.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void nullableUnlessRequired(Schema<?> schema) {
    if (schema.getProperties() == null) {
      return;
    }
    List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
    Map<String, Schema> props = (Map) schema.getProperties();
    for (Map.Entry<String, Schema> e : props.entrySet()) {
      Schema p = e.getValue();
      if (required.contains(e.getKey())) {
        continue;
      }
      if (p.get$ref() != null) {
        e.setValue(new Schema<>().anyOf(List.of(new Schema<>().$ref(p.get$ref()), new Schema<>().typesItem("null"))));
      } else if (p.getTypes() != null && !p.getTypes().isEmpty()) {
        p.types(new java.util.LinkedHashSet<>(p.getTypes()));
        p.addType("null");
      } else if (p.getType() != null) {
        p.types(new java.util.LinkedHashSet<>(List.of(p.getType(), "null")));
      }
    }
  }

  private static Operation operation(OpenAPI api, RouteTable.Route route) {
    PathItem item = api.getPaths() == null ? null : api.getPaths().get(route.path());
    if (item == null) {
      return null;
    }
    Map<PathItem.HttpMethod, Operation> ops = item.readOperationsMap();
    return ops.get(PathItem.HttpMethod.valueOf(route.method()));
  }

  /**
   * A method returning an entity answers 200 (JAX-RS): the reader's {@code default} response is
   * that 200. A method returning a {@code Response} keeps its {@code default} (its codes vary).
   */
  private static void successAsOk(Operation op) {
    ApiResponses responses = op.getResponses();
    ApiResponse dflt = responses == null ? null : responses.get("default");
    if (dflt != null && dflt.getContent() != null
        && dflt.getContent().values().stream().anyMatch(m -> m.getSchema() != null)) {
      responses.remove("default");
      responses.addApiResponse("200", dflt.description("OK"));
    }
  }

  /**
   * A page (a console view, a public page) is HTML: a string, not the schema of the Java object
   * that renders it.
   */
  private static void htmlAsText(Operation op) {
    op.getResponses().values().stream().filter(r -> r.getContent() != null)
        .flatMap(r -> r.getContent().entrySet().stream())
        .filter(e -> e.getKey().startsWith("text/html"))
        .forEach(e -> e.setValue(new MediaType().schema(new Schema<>().typesItem("string"))));
  }

  /**
   * What ConsoleGate answers on every console route guarded by the session cookie, before the
   * resource: 303 to the sign-in page without a session, 403 (text) for a POST without the CSRF
   * token; the console's own refusals (a role it lacks, an unknown lead or program) are text too.
   */
  private static void console(Operation op) {
    op.getResponses().putIfAbsent("303", new ApiResponse().description("no session: to the sign-in page "
        + "(next= the page asked for)"));
    op.getResponses().put("403", new ApiResponse().description("the CSRF token is missing or wrong (POST), or the "
        + "session's key lacks the role").content(text()));
    op.getResponses().put("404", new ApiResponse().description("no such lead, program or alert").content(text()
        .addMediaType(Problem.MEDIA_TYPE, new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
  }

  private static Content text() {
    return new Content().addMediaType("text/plain", new MediaType().schema(new Schema<>().typesItem("string")));
  }

  private static void problem(Operation op, int status, String description) {
    if (op.getResponses() == null) {
      op.responses(new ApiResponses());
    }
    op.getResponses().putIfAbsent(String.valueOf(status), new ApiResponse().description(description)
        .content(new Content().addMediaType(Problem.MEDIA_TYPE,
            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)))));
  }

  /** The reader, told that a {@code @Auth} parameter is the caller (from the API key), not the request body. */
  private static final class KeyAwareReader extends Reader {
    KeyAwareReader(SwaggerConfiguration config) {
      super(config);
    }

    @Override
    protected ResolvedParameter getParameters(Type type, List<Annotation> annotations, Operation operation,
        Consumes classConsumes, Consumes methodConsumes, com.fasterxml.jackson.annotation.JsonView jsonView) {
      if (annotations.stream().anyMatch(a -> a instanceof Auth)) {
        return new ResolvedParameter();
      }
      return super.getParameters(type, annotations, operation, classConsumes, methodConsumes, jsonView);
    }
  }
}
