package com.nurture.api.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.access.common.spi.IAccessEvent;
import io.dropwizard.logging.common.ConsoleAppenderFactory;
import io.dropwizard.request.logging.LogbackAccessRequestLogFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressFreeRequestLogTest {

  @Test
  void masksAddressesPlainAndPercentEncoded() {
    String line = "127.0.0.1 - - [02/Dec/2026] \"PUT /v1/suppressions/Jane.Doe+news@Example.co.jp HTTP/1.1\" 201"
        + " \"GET /console/leads?q=jane%40example.com&x=bob%2540corp.example.org\"";
    String masked = AddressFreeRequestLog.mask(line);
    assertThat(masked)
        .isEqualTo("127.0.0.1 - - [02/Dec/2026] \"PUT /v1/suppressions/[email] HTTP/1.1\" 201"
            + " \"GET /console/leads?q=[email]&x=[email]\"");
  }

  @Test
  void leavesLinesWithoutAddressesAlone() {
    String line = "GET /v1/leads/lead-42/timeline?since=2026-12-01T00:00:00Z 200 \"curl/8.5\" 12";
    assertThat(AddressFreeRequestLog.mask(line)).isEqualTo(line);
  }

  @Test
  void everyRequestLogAppenderGetsTheMaskingLayoutOnce() {
    LogbackAccessRequestLogFactory factory = new LogbackAccessRequestLogFactory();
    ConsoleAppenderFactory<IAccessEvent> console = new ConsoleAppenderFactory<>();
    console.setLogFormat("%requestURL %statusCode");
    factory.setAppenders(List.of(console));

    AddressFreeRequestLog.install(factory);
    AddressFreeRequestLog.install(factory);

    assertThat(console.getLayout()).isInstanceOf(AddressFreeRequestLog.Masking.class);
  }
}
