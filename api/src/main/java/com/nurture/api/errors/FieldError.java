package com.nurture.api.errors;

/** One bad field of a request, named as the client wrote it (snake_case, dotted for nesting). */
public record FieldError(String field, String message) {}
