package com.nurture.api.core;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 CSV, read strictly enough for an import: comma-separated fields, optionally in double
 * quotes (a quote inside doubled, line breaks allowed), records ending in CRLF or LF. A leading
 * byte-order mark is dropped. Each record keeps the line it starts on, so errors can point at it.
 */
public final class CsvRecords {
  /** One record and the line (1-based) it starts on. */
  public record Record(int line, List<String> fields) {
    public boolean blank() {
      return fields.size() == 1 && fields.get(0).isBlank();
    }
  }

  private CsvRecords() {}

  /** @throws IllegalArgumentException for a quote left open, naming its line */
  public static List<Record> parse(String text) {
    String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
    List<Record> records = new ArrayList<>();
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int line = 1;
    int recordLine = 1;
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
        continue;
      }
      switch (c) {
        case '"' -> {
          quoted = true;
          any = true;
        }
        case ',' -> {
          fields.add(field.toString());
          field.setLength(0);
          any = true;
        }
        case '\r' -> {
          if (i + 1 >= s.length() || s.charAt(i + 1) != '\n') {
            field.append(c);
          }
        }
        case '\n' -> {
          fields.add(field.toString());
          records.add(new Record(recordLine, List.copyOf(fields)));
          fields.clear();
          field.setLength(0);
          any = false;
          line++;
          recordLine = line;
        }
        default -> {
          field.append(c);
          any = true;
        }
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("a quoted field starting on line " + recordLine + " is never closed");
    }
    if (any || field.length() > 0) {
      fields.add(field.toString());
      records.add(new Record(recordLine, List.copyOf(fields)));
    }
    return records;
  }
}
