package com.nurture.api.dev;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one start of the {@code temporal} CLI's dev server wrote to its log: the ports it could not
 * bind, and its error lines. The server picks its internal services' ports itself (a free port it
 * found, then bound later), so another process can take one in between: the CLI's logger only logs
 * the listener's failure, and the server then stops on a nil listener with a Go panic whose trace
 * fills the end of the log. The cause is in the lines before it.
 */
final class DevServerStartLog {
  private static final Pattern BIND_FAILED = Pattern.compile(":(\\d{1,5}): bind: address already in use");
  private static final Pattern ERROR_LINE = Pattern.compile("(?i)\\b(error|fatal|panic)\\b");

  private DevServerStartLog() {}

  /** The log's text from {@code offset} (where this start began to append), or empty when there is none. */
  static String since(Path logFile, long offset) {
    try (InputStream in = Files.newInputStream(logFile)) {
      in.skipNBytes(Math.min(offset, Files.size(logFile)));
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** The ports the server found taken when it bound them, in the order logged. */
  static Set<Integer> portsTaken(String log) {
    Set<Integer> ports = new LinkedHashSet<>();
    Matcher m = BIND_FAILED.matcher(log);
    while (m.find()) {
      ports.add(Integer.parseInt(m.group(1)));
    }
    return ports;
  }

  /** Up to {@code max} of its error lines, as logged (a panic's goroutine trace, indented or not, is left out). */
  static List<String> errors(String log, int max) {
    return log.lines()
        .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
        .filter(line -> !line.startsWith("goroutine ") && !line.startsWith("github.com/") && !line.startsWith("main."))
        .filter(line -> ERROR_LINE.matcher(line).find())
        .limit(max)
        .toList();
  }
}
