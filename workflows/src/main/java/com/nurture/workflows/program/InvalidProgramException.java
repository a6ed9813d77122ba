package com.nurture.workflows.program;

import java.util.List;
import java.util.stream.Collectors;

/** A program definition that cannot be published, with every error found (not just the first). */
public class InvalidProgramException extends RuntimeException {
  private final String programId;
  private final transient List<ProgramError> errors;

  public InvalidProgramException(String programId, List<ProgramError> errors) {
    super("program '" + programId + "' is invalid: "
        + errors.stream().map(ProgramError::toString).collect(Collectors.joining("; ")));
    this.programId = programId;
    this.errors = List.copyOf(errors);
  }

  public String programId() {
    return programId;
  }

  public List<ProgramError> errors() {
    return errors;
  }

  /**
   * The same errors, each with the line its path starts on in {@code text}, the YAML (or JSON)
   * document they were found in. Errors that already have a line keep it.
   */
  public InvalidProgramException withLinesFrom(String text) {
    YamlLines lines = YamlLines.of(text);
    return new InvalidProgramException(programId,
        errors.stream().map(e -> e.line() > 0 ? e : e.atLine(lines.lineOf(e.path()))).toList());
  }
}
