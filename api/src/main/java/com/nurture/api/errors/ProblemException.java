package com.nurture.api.errors;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.List;

/** Thrown by resources and services; mapped to its problem document. */
public class ProblemException extends RuntimeException {
  private final transient Problem problem;

  public ProblemException(Response.StatusType status, String detail, List<FieldError> errors) {
    super(detail);
    this.problem = Problem.of(status, detail, errors);
  }

  public Problem problem() {
    return problem;
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(Status.NOT_FOUND, detail, List.of());
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(Status.CONFLICT, detail, List.of());
  }

  public static ProblemException invalid(String field, String message) {
    return new ProblemException(Problem.UNPROCESSABLE, "the request has invalid fields",
        List.of(new FieldError(field, message)));
  }

  public static ProblemException unavailable(String detail) {
    return new ProblemException(Status.SERVICE_UNAVAILABLE, detail, List.of());
  }
}
