package com.nurture.activities.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.activities.TestMail;
import java.net.URI;
import java.security.interfaces.RSAPrivateKey;
import org.junit.jupiter.api.Test;

/** The DKIM key's configuration: what is accepted, what is refused, and the DNS record to publish. */
class DkimSigningTest {
  private static final String PEM = DkimSigning.generatePrivateKeyPem();

  @Test
  void aGeneratedKeyReadsBackAndNamesItsDnsRecord() {
    RSAPrivateKey key = DkimSigning.readPrivateKey(PEM);
    assertThat(key.getModulus().bitLength()).isEqualTo(2048);
    DkimSigning d = new DkimSigning("Acme.Example", "nurture1", key);
    assertThat(d.domain()).isEqualTo("acme.example");
    assertThat(d.dnsName()).isEqualTo("nurture1._domainkey.acme.example");
    assertThat(d.dnsTxtRecord()).startsWith("v=DKIM1; k=rsa; p=MIIBIjAN");
    // A 2048-bit key's record is longer than one DNS string (255): the zone line splits it.
    assertThat(d.dnsZoneLine()).startsWith("nurture1._domainkey.acme.example. IN TXT ( \"v=DKIM1; k=rsa; p=")
        .contains("\" \"").endsWith("\" )");
    assertThat(d.dnsZoneLine().replaceAll("\" \"", "").replaceAll(".*\\( \"|\" \\)", "")).isEqualTo(d.dnsTxtRecord());
    assertThat(d.toString()).doesNotContain("PRIVATE").contains("d=acme.example s=nurture1");
  }

  @Test
  void badKeysAndNamesAreRefusedWithTheReason() {
    assertThatThrownBy(() -> DkimSigning.readPrivateKey("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"))
        .hasMessageContaining("PKCS#1").hasMessageContaining("openssl pkcs8");
    assertThatThrownBy(() -> DkimSigning.readPrivateKey("not a key")).hasMessageContaining("PEM PKCS#8");
    assertThatThrownBy(() -> DkimSigning.readPrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
        .hasMessageContaining("not a readable RSA key");
    RSAPrivateKey key = DkimSigning.readPrivateKey(PEM);
    assertThatThrownBy(() -> new DkimSigning("localhost", "s1", key)).hasMessageContaining("domain name");
    assertThatThrownBy(() -> new DkimSigning("acme.example", "bad selector", key)).hasMessageContaining("selector");
  }

  @Test
  void theFromAddressMustAlignWithTheSigningDomain() {
    DkimSigning parent = new DkimSigning("acme.example", "s1", DkimSigning.readPrivateKey(PEM));
    MailSettings mail = TestMail.settings(URI.create("https://nurture.acme.example"));
    assertThat(mail.withDkim(parent).dkim()).contains(parent);
    assertThat(parent.aligns("ana@mail.acme.example")).isTrue();
    assertThat(parent.aligns("ana@notacme.example")).isFalse();
    DkimSigning other = new DkimSigning("other.example", "s1", DkimSigning.readPrivateKey(PEM));
    assertThatThrownBy(() -> mail.withDkim(other)).hasMessageContaining("DMARC alignment");
  }
}
