package com.nurture.api.representations;

/** The MA system's lead id, used in the workflow id: printable, no slashes. */
public final class LeadId {
  public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}";
  public static final String MESSAGE = "must be 1-128 letters, digits or . _ : @ - (starting with a letter or digit)";
  private static final java.util.regex.Pattern COMPILED = java.util.regex.Pattern.compile(PATTERN);

  private LeadId() {}

  public static boolean valid(String id) {
    return id != null && COMPILED.matcher(id).matches();
  }
}
