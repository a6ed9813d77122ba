package com.nurture.api.errors;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One bad field of a request, named as the client wrote it (snake_case, dotted for nesting), and
 * for a document (a program's YAML) the line it is on.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FieldError(String field, String message, Integer line) {
  public FieldError(String field, String message) {
    this(field, message, null);
  }
}
