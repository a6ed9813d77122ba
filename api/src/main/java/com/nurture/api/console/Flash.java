package com.nurture.api.console;

import com.nurture.api.errors.FieldError;
import com.nurture.api.errors.ProblemException;
import java.util.stream.Collectors;

/**
 * What the page after a form's redirect says about it: done, or why not. Kept with the session
 * until the next page shows it (POST, redirect, GET).
 */
public record Flash(boolean error, String text) {
  public static Flash done(String text) {
    return new Flash(false, text);
  }

  /** The API's refusal (409 an invalid transition, 422 a bad field, 404) in its own words. */
  public static Flash refused(ProblemException e) {
    String fields = e.problem().errors() == null ? "" : e.problem().errors().stream()
        .map(FieldError::field).filter(f -> f != null && !f.isBlank()).collect(Collectors.joining(", "));
    String details = e.problem().errors() == null ? "" : e.problem().errors().stream()
        .map(f -> (f.field() == null ? "" : f.field() + " ") + f.message()).collect(Collectors.joining("; "));
    return new Flash(true, e.problem().detail() + (fields.isEmpty() ? "" : ": " + details));
  }
}
