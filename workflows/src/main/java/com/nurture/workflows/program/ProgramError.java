package com.nurture.workflows.program;

/** One thing wrong with a program definition, at a path such as {@code steps[2].wait}. */
public record ProgramError(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
