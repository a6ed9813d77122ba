package com.nurture.api.console.programs;

import com.nurture.api.errors.FieldError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The editor's gutter and error list for a program's YAML: one numbered line per line of the text,
 * marked when an error is on it (with the messages as its title), and the errors in line order;
 * errors without a line (about the whole document) come first.
 */
public record EditorDiagnostics(List<GutterLine> gutter, List<LineError> errors) {

  public record GutterLine(int number, boolean error, String messages) {}

  /** {@code line} 0: not tied to a line. */
  public record LineError(int line, String path, String message) {
    public boolean hasLine() {
      return line > 0;
    }
  }

  public boolean valid() {
    return errors.isEmpty();
  }

  public static EditorDiagnostics of(String source, List<FieldError> errors) {
    int lines = Math.max(1, lineCount(source));
    List<LineError> sorted = new ArrayList<>();
    for (FieldError e : errors) {
      int line = e.line() == null || e.line() < 1 ? 0 : Math.min(e.line(), lines);
      sorted.add(new LineError(line, e.field(), e.message()));
    }
    sorted.sort(Comparator.comparingInt(LineError::line));
    Map<Integer, List<String>> byLine = new TreeMap<>();
    sorted.stream().filter(LineError::hasLine).forEach(e ->
        byLine.computeIfAbsent(e.line(), k -> new ArrayList<>()).add(e.path() + ": " + e.message()));
    List<GutterLine> gutter = new ArrayList<>(lines);
    for (int n = 1; n <= lines; n++) {
      List<String> here = byLine.get(n);
      gutter.add(new GutterLine(n, here != null, here == null ? "" : String.join("\n", here)));
    }
    return new EditorDiagnostics(List.copyOf(gutter), List.copyOf(sorted));
  }

  /** Lines as an editor counts them: a final newline does not start another line. */
  static int lineCount(String source) {
    if (source == null || source.isEmpty()) {
      return 0;
    }
    String text = source.replace("\r\n", "\n");
    int n = text.split("\n", -1).length;
    return text.endsWith("\n") ? n - 1 : n;
  }
}
