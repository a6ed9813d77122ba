package com.nurture.workflows.program;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** Where each path ({@code steps[2].wait}) of a YAML (or JSON) document starts, by line. */
final class YamlLines {
  private final Map<String, Integer> lines = new HashMap<>();

  private YamlLines() {}

  static YamlLines of(String text) {
    YamlLines index = new YamlLines();
    try (JsonParser p = new YAMLFactory().createParser(text)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          continue;
        }
        JsonPointer pointer = t == JsonToken.FIELD_NAME
            ? p.getParsingContext().pathAsPointer()
            : p.getParsingContext().pathAsPointer();
        index.lines.putIfAbsent(path(pointer), p.currentTokenLocation().getLineNr());
      }
    } catch (IOException e) {
      // unreadable documents are reported by the parser itself; lines are best effort
    }
    return index;
  }

  /** The line of the path, or of its closest enclosing path; 0 when unknown. */
  int lineOf(String path) {
    String p = path;
    while (true) {
      Integer line = lines.get(p);
      if (line != null) {
        return line;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) {
        return lines.getOrDefault(p, 0);
      }
      p = p.substring(0, cut);
    }
  }

  /** {@code /steps/2/wait} becomes {@code steps[2].wait}. */
  static String path(JsonPointer pointer) {
    StringBuilder b = new StringBuilder();
    JsonPointer p = pointer;
    while (p != null && !p.matches()) {
      if (p.mayMatchElement()) {
        b.append('[').append(p.getMatchingIndex()).append(']');
      } else {
        if (b.length() > 0) {
          b.append('.');
        }
        b.append(p.getMatchingProperty());
      }
      p = p.tail();
    }
    return b.toString();
  }
}
