package com.nurture.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's production table names every environment variable the example configuration reads
 * (a new setting with a variable and no row fails here: {@code python3 ops/env-table.py} prints the table).
 */
class ReadmeConfigTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void everyVariableOfTheExampleConfigIsInTheReadmeTable() throws Exception {
    String config = Files.readString(ROOT.resolve("config.example.yml"));
    String readme = Files.readString(ROOT.resolve("README.md"));
    Set<String> variables = new TreeSet<>();
    Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)").matcher(config);
    while (m.find()) {
      variables.add(m.group(1));
    }
    variables.remove("VAR"); // the comment explaining the syntax
    assertThat(variables).as("variables read by config.example.yml").hasSizeGreaterThan(40);
    assertThat(variables).allSatisfy(v -> assertThat(readme).as("README row for %s", v).contains("| `" + v + "` |"));
  }
}
