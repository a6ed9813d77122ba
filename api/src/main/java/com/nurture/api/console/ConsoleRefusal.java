package com.nurture.api.console;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;

/** A console request refused with a short message in the viewer's language (a role's limit, a missing lead). */
public final class ConsoleRefusal extends RuntimeException {
  private final Response.Status status;

  public ConsoleRefusal(Response.Status status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** Answers the refusal as plain text (not the API's problem+json). */
  public static final class Mapper implements ExceptionMapper<ConsoleRefusal> {
    @Override
    public Response toResponse(ConsoleRefusal e) {
      return Response.status(e.status).type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).entity(e.getMessage()).build();
    }
  }
}
