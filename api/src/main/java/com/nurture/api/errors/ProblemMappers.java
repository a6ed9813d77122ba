package com.nurture.api.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.nurture.activities.db.DatabaseOutage;
import io.dropwizard.auth.UnauthorizedHandler;
import io.dropwizard.jersey.validation.JerseyViolationException;
import io.temporal.client.WorkflowServiceException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.glassfish.jersey.server.model.Invocable;
import org.glassfish.jersey.server.model.Parameter;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every error the API returns is {@code application/problem+json} (RFC 9457). These replace
 * Dropwizard's default exception mappers, so bad input names each bad field the way the client
 * wrote it.
 */
public final class ProblemMappers {
  private static final Logger log = LoggerFactory.getLogger(ProblemMappers.class);
  private static final Response.StatusType UNPROCESSABLE = Problem.UNPROCESSABLE;

  private ProblemMappers() {}

  public static List<Object> all() {
    return List.of(new Problems(), new Violations(), new Json(), new Web(), new TemporalUnavailable(),
        new TemporalStatus(), new DatabaseUnavailable(), new Unexpected());
  }

  public static final class Problems implements ExceptionMapper<ProblemException> {
    @Override
    public Response toResponse(ProblemException e) {
      Response r = e.problem().toResponse();
      return e.problem().status() == 503 ? retryLater(r) : r;
    }
  }

  /** Bean Validation failures: 422 with one entry per violated field. */
  public static final class Violations implements ExceptionMapper<JerseyViolationException> {
    @Override
    public Response toResponse(JerseyViolationException e) {
      List<FieldError> errors = e.getConstraintViolations().stream()
          .map(v -> new FieldError(fieldOf(v, e.getInvocable()), v.getMessage()))
          .distinct()
          .sorted(Comparator.comparing(FieldError::field))
          .toList();
      return Problem.of(UNPROCESSABLE, "the request has invalid fields", errors).toResponse();
    }

    private static String fieldOf(ConstraintViolation<?> v, Invocable invocable) {
      return fieldOf(v, invocable.getParameters());
    }

    /** The field a violation of a bean validated by hand names, as the client wrote it (snake_case, dotted). */
    public static String fieldOf(ConstraintViolation<?> v) {
      return fieldOf(v, List.of());
    }

    private static String fieldOf(ConstraintViolation<?> v, List<Parameter> params) {
      List<String> names = new ArrayList<>();
      String parameter = "body";
      for (Path.Node node : v.getPropertyPath()) {
        switch (node.getKind()) {
          case PARAMETER -> {
            int index = node.as(Path.ParameterNode.class).getParameterIndex();
            if (index < params.size()) {
              parameter = requestName(params.get(index));
            }
          }
          case PROPERTY, BEAN -> {
            if (node.getName() != null && !node.getName().startsWith("<")) {
              names.add(snake(node.getName()) + (node.getIndex() != null ? "[" + node.getIndex() + "]" : ""));
            }
          }
          case CONTAINER_ELEMENT -> {
            // "<map value>", "<map key>", "<list element>": the entry, by its key, as the client wrote it.
            // Any other name is a path a constraint built below a map (attributes.title): verbatim.
            if (node.getName() != null && !node.getName().startsWith("<")) {
              names.add(node.getName());
            } else if (node.getKey() != null && !names.isEmpty()) {
              names.add(String.valueOf(node.getKey()));
            } else if (node.getIndex() != null && !names.isEmpty()) {
              names.set(names.size() - 1, names.get(names.size() - 1) + "[" + node.getIndex() + "]");
            }
          }
          default -> { }
        }
      }
      return names.isEmpty() ? parameter : String.join(".", names);
    }

    private static String requestName(Parameter p) {
      for (Annotation a : p.getAnnotations()) {
        if (a instanceof QueryParam q) return q.value();
        if (a instanceof PathParam q) return q.value();
        if (a instanceof HeaderParam q) return q.value();
        if (a instanceof FormParam q) return q.value();
        if (a instanceof CookieParam q) return q.value();
      }
      return "body";
    }
  }

  /** Unreadable JSON is 400; JSON that reads but has a wrong field is 422 naming the field. */
  public static final class Json implements ExceptionMapper<JsonProcessingException> {
    @Override
    public Response toResponse(JsonProcessingException e) {
      return problem(e).toResponse();
    }

    /** The problem for JSON that did not bind: 422 naming the field, or 400 when it is not JSON at all. */
    public static Problem problem(JsonProcessingException e) {
      if (e instanceof UnrecognizedPropertyException u) {
        return invalid(path(u), "is not a known field");
      }
      if (e instanceof InvalidFormatException f) {
        String allowed = f.getTargetType() != null && f.getTargetType().isEnum()
            ? "must be one of " + enumNames(f.getTargetType()) : "has an invalid value '" + f.getValue() + "'";
        return invalid(path(f), allowed);
      }
      if (e instanceof ValueInstantiationException vi && vi.getCause() != null) {
        return invalid(path(vi), vi.getCause().getMessage());
      }
      if (e instanceof MismatchedInputException m && !m.getPath().isEmpty()) {
        return invalid(path(m), "has the wrong type (expected " + simpleType(m.getTargetType()) + ")");
      }
      return Problem.of(Status.BAD_REQUEST, "the request body is not valid JSON: " + e.getOriginalMessage(),
          List.of());
    }

    private static Problem invalid(String field, String message) {
      return Problem.of(UNPROCESSABLE, "the request has invalid fields", List.of(new FieldError(field, message)));
    }

    private static String path(JsonMappingException e) {
      String p = e.getPath().stream()
          .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
          .collect(Collectors.joining("."))
          .replace(".[", "[");
      return p.isEmpty() ? "body" : p;
    }

    private static String enumNames(Class<?> type) {
      Object[] constants = type.getEnumConstants();
      List<String> names = new ArrayList<>();
      for (Object c : constants) {
        names.add(c.toString().toLowerCase(Locale.ROOT));
      }
      return String.join(", ", names);
    }

    private static String simpleType(Class<?> t) {
      return t == null ? "another type" : t.getSimpleName().toLowerCase(Locale.ROOT);
    }
  }

  /** Jersey's own errors (404 route, 405, 415, 403 from roles) in the same shape. */
  public static final class Web implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      Response r = e.getResponse();
      Response.StatusType status = r.getStatusInfo();
      String detail = switch (status.getStatusCode()) {
        case 403 -> "this API key's roles do not allow this request";
        case 404 -> "no such resource";
        default -> e.getMessage();
      };
      Response.ResponseBuilder b = Response.fromResponse(Problem.of(status, detail, List.of()).toResponse());
      String allow = r.getHeaderString(HttpHeaders.ALLOW);
      if (allow != null) {
        b.header(HttpHeaders.ALLOW, allow);
      }
      return b.build();
    }
  }

  /**
   * Temporal did not answer (down, restarting, unreachable): 503 with Retry-After. Requests are
   * idempotent, so the client's retry is safe; an event already stored is delivered on the retry.
   */
  public static final class TemporalUnavailable implements ExceptionMapper<WorkflowServiceException> {
    @Override
    public Response toResponse(WorkflowServiceException e) {
      log.warn("Temporal did not answer: {}", e.getMessage());
      return retryLater(Problem.of(Status.SERVICE_UNAVAILABLE,
          "the workflow service did not answer; retry shortly", List.of()).toResponse());
    }
  }

  /**
   * A raw gRPC failure of a call to Temporal (describe, history, the health check's): UNAVAILABLE and
   * DEADLINE_EXCEEDED (Temporal down, or past temporal.call_timeout) are a 503 with Retry-After; any
   * other code is a bug.
   */
  public static final class TemporalStatus implements ExceptionMapper<io.grpc.StatusRuntimeException> {
    @Override
    public Response toResponse(io.grpc.StatusRuntimeException e) {
      if (!com.nurture.api.core.TemporalAvailability.isUnavailable(e)) {
        return new Unexpected().toResponse(e);
      }
      log.warn("Temporal did not answer: {}", e.getStatus().getCode());
      return retryLater(Problem.of(Status.SERVICE_UNAVAILABLE,
          "the workflow service did not answer; retry shortly", List.of()).toResponse());
    }
  }

  /** A 503 with the Retry-After every 503 of this API carries. */
  static Response retryLater(Response problem) {
    return Response.fromResponse(problem).header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS).build();
  }

  /** How long a client should wait before retrying a 503. */
  static final String RETRY_AFTER_SECONDS = "5";

  /**
   * PostgreSQL is away (stopped, restarting, the connection lost): 503 with Retry-After, like
   * Temporal. A client that retries loses nothing (events and enrolments are idempotent) and is not
   * told it met a bug; the log gets one line, not a stack trace per request. Any other database
   * error is unexpected.
   */
  public static final class DatabaseUnavailable implements ExceptionMapper<JdbiException> {
    @Override
    public Response toResponse(JdbiException e) {
      if (!DatabaseOutage.is(e)) {
        return new Unexpected().toResponse(e);
      }
      log.warn("the database did not answer: {}", rootMessage(e));
      return retryLater(Problem.of(Status.SERVICE_UNAVAILABLE,
          "the database did not answer; retry shortly", List.of()).toResponse());
    }

    private static String rootMessage(Throwable e) {
      Throwable root = e;
      for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
        root = root.getCause();
      }
      return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
  }

  /** Anything else is a bug: logged with an id the client can quote; no internals leak. */
  public static final class Unexpected implements ExceptionMapper<Throwable> {
    @Override
    public Response toResponse(Throwable e) {
      if (DatabaseOutage.is(e) || com.nurture.api.core.TemporalAvailability.isUnavailable(e)) {
        // An outage wrapped in something else (a cache, a future) is still an outage, not a bug.
        log.warn("a dependency did not answer: {}", e.toString());
        return retryLater(Problem.of(Status.SERVICE_UNAVAILABLE, "a service this API depends on did not answer; "
            + "retry shortly", List.of()).toResponse());
      }
      String id = String.format("%016x", ThreadLocalRandom.current().nextLong());
      log.error("unexpected error {}", id, e);
      return Problem.of(Status.INTERNAL_SERVER_ERROR, "unexpected error; quote id " + id + " when reporting it",
          List.of()).toResponse();
    }
  }

  /** 401 for a missing or unknown key, as a problem document with the Bearer challenge. */
  public static final class Unauthorized implements UnauthorizedHandler {
    @Override
    public Response buildResponse(String prefix, String realm) {
      return Response.fromResponse(Problem.of(Status.UNAUTHORIZED,
              "send a valid API key as 'Authorization: Bearer <key>'", List.of()).toResponse())
          .header(HttpHeaders.WWW_AUTHENTICATE, prefix + " realm=\"" + realm + "\"")
          .build();
    }
  }

  /**
   * The problem document the API would answer for this failure: a problem as thrown, Temporal or the
   * database away (503), anything else a logged bug (500). For answers that carry one problem per
   * item (the batch endpoints) rather than failing the whole request.
   */
  public static Problem problemOf(RuntimeException e) {
    Response r;
    if (e instanceof ProblemException p) {
      return p.problem();
    } else if (e instanceof WorkflowServiceException w) {
      r = new TemporalUnavailable().toResponse(w);
    } else if (e instanceof io.grpc.StatusRuntimeException s) {
      r = new TemporalStatus().toResponse(s);
    } else if (e instanceof JdbiException j) {
      r = new DatabaseUnavailable().toResponse(j);
    } else if (e instanceof WebApplicationException w) {
      r = new Web().toResponse(w);
    } else {
      r = new Unexpected().toResponse(e);
    }
    return (Problem) r.getEntity();
  }

  static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
