package com.nurture.workflows.program;

/**
 * One thing wrong with a program definition, at a path such as {@code steps[2].wait} and, when
 * the definition was read from text, the line it starts on (0 when unknown).
 */
public record ProgramError(String path, int line, String message) {
  public ProgramError(String path, String message) {
    this(path, 0, message);
  }

  ProgramError atLine(int lineNumber) {
    return new ProgramError(path, lineNumber, message);
  }

  @Override
  public String toString() {
    return (line > 0 ? "line " + line + ", " : "") + path + ": " + message;
  }
}
