package com.nurture.api.console.programs;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.api.errors.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class EditorDiagnosticsTest {
  private static final String SOURCE = "id: demo\nsteps:\n  - { id: a, wait: soon }\n  - { id: a, send: nope }\n";

  @Test
  void eachErrorMarksItsLineInTheGutterAndTheListIsInLineOrderWithDocumentErrorsFirst() {
    EditorDiagnostics d = EditorDiagnostics.of(SOURCE, List.of(
        new FieldError("steps[1].send.template", "unknown template 'nope'", 4),
        new FieldError("steps[0].wait", "'soon' is not a duration", 3),
        new FieldError("steps[1].id", "'a' is used by an earlier step", 4),
        new FieldError("body", "is the program", null)));

    assertThat(d.valid()).isFalse();
    assertThat(d.gutter()).extracting(EditorDiagnostics.GutterLine::number).containsExactly(1, 2, 3, 4);
    assertThat(d.gutter()).extracting(EditorDiagnostics.GutterLine::error).containsExactly(false, false, true, true);
    assertThat(d.gutter().get(3).messages())
        .isEqualTo("steps[1].send.template: unknown template 'nope'\nsteps[1].id: 'a' is used by an earlier step");
    assertThat(d.errors()).extracting(EditorDiagnostics.LineError::line).containsExactly(0, 3, 4, 4);
    assertThat(d.errors().get(0).hasLine()).isFalse();
  }

  @Test
  void aLineBeyondTheTextIsShownOnTheLastLineAndCleanTextHasNoMarks() {
    EditorDiagnostics d = EditorDiagnostics.of("id: x\nsteps: []", List.of(new FieldError("$", "not valid YAML", 9)));
    assertThat(d.errors().get(0).line()).isEqualTo(2);
    assertThat(d.gutter().get(1).error()).isTrue();

    EditorDiagnostics clean = EditorDiagnostics.of(SOURCE, List.of());
    assertThat(clean.valid()).isTrue();
    assertThat(clean.gutter()).hasSize(4).noneMatch(EditorDiagnostics.GutterLine::error);
    assertThat(EditorDiagnostics.of("", List.of()).gutter()).hasSize(1);
    assertThat(EditorDiagnostics.lineCount("a\r\nb\r\n")).isEqualTo(2);
  }
}
