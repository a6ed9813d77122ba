package com.nurture.activities.mail;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MailAddressesTest {
  @Test
  void acceptsWhatTheSenderCanMailIncludingInternationalisedDomains() {
    assertThat(MailAddresses.problem("pat@example.com")).isEmpty();
    assertThat(MailAddresses.problem("o'brien+nurture@sub.example.co.uk")).isEmpty();
    assertThat(MailAddresses.problem("pat@bücher.example")).isEmpty();
    assertThat(MailAddresses.problem("pat@xn--bcher-kva.example")).isEmpty();
    assertThat(MailAddresses.problem("kim@例え.テスト")).isEmpty();
    assertThat(MailAddresses.problem("\"pat\"@example.com")).isEmpty();
  }

  @Test
  void refusesWhatWouldFailOrInjectHeadersWithAReason() {
    // JMail alone reads CR LF before the @ as folding white space, and accepts a display name.
    assertThat(MailAddresses.problem("pat\r\n@example.com")).get().asString().contains("control characters (found U+000D)");
    assertThat(MailAddresses.problem("Pat <pat@example.com>")).get().asString().contains("spaces");
    assertThat(MailAddresses.problem("Pat<pat@example.com>")).isPresent();
    assertThat(MailAddresses.problem("\"pat smith\"@example.com")).get().asString().contains("spaces");
    assertThat(MailAddresses.problem("pat@bob@example.com")).get().asString().contains("more than one @");
    assertThat(MailAddresses.problem("pat@")).get().asString().contains("no domain");
    assertThat(MailAddresses.problem("pat@example")).isPresent();
    assertThat(MailAddresses.problem("pat@[192.0.2.1]")).isPresent();
    assertThat(MailAddresses.problem("pat(work)@example.com")).isPresent();
    assertThat(MailAddresses.problem("pät@example.com")).get().asString().contains("ASCII local part");
    assertThat(MailAddresses.problem("x".repeat(65) + "@example.com")).isPresent();
  }

  @Test
  void sendsToTheAsciiFormOfAnInternationalisedDomain() {
    assertThat(MailAddresses.toAscii("pat@bücher.example")).isEqualTo("pat@xn--bcher-kva.example");
    assertThat(MailAddresses.toAscii("pat@example.com")).isEqualTo("pat@example.com");
    assertThat(MailAddresses.toAscii("\"a@b\"@bücher.example")).isEqualTo("\"a@b\"@xn--bcher-kva.example");
  }
}
