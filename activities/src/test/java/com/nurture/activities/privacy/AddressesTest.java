package com.nurture.activities.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One address pattern for SMTP replies and request lines. */
class AddressesTest {

  @Test
  void masksAddressesInAnSmtpReply() {
    assertThat(Addresses.mask("550 5.1.1 <Jane.Doe+news@mail.example.co.jp>: Recipient address rejected; "
        + "from=bob@corp.example.org", "<address>"))
        .isEqualTo("550 5.1.1 <<address>>: Recipient address rejected; from=<address>");
  }

  @Test
  void masksPercentEncodedAddressesInAUrlAndStopsAtItsDelimiters() {
    assertThat(Addresses.mask("GET /console/leads?q=jane%40example.com&x=bob%2540corp.example.org&page=2", "[email]"))
        .isEqualTo("GET /console/leads?q=[email]&x=[email]&page=2");
    assertThat(Addresses.mask("PUT /v1/suppressions/pat@example.com HTTP/1.1", "[email]"))
        .isEqualTo("PUT /v1/suppressions/[email] HTTP/1.1");
  }

  @Test
  void leavesTextWithoutAnAddressAlone() {
    String text = "GET /v1/leads/lead-42/timeline?since=2026-12-01T00:00:00Z 421 4.7.0 try again later";
    assertThat(Addresses.mask(text, "$1")).isEqualTo(text);
    assertThat(Addresses.mask("to a@b.example", "$1")).as("the replacement is literal").isEqualTo("to $1");
  }
}
