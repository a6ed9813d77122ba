package com.nurture.api.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.api.esp.Unverified;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The schemes against values computed independently (Python's hmac module, as each vendor's docs
 * describe the scheme), so a mistake made the same way in the code and in its tests still fails.
 */
class IntakeSignaturesTest {
  private static final byte[] HUBSPOT_BODY = "{\"vid\":1}".getBytes(StandardCharsets.UTF_8);
  private static final String HUBSPOT_URI = "https://nurture.acme.example/v1/intake/hubspot?a=b:c";
  // base64(HMAC-SHA256("hubspot-secret", "POST" + uri + body + "1700000000000")), from Python.
  private static final String HUBSPOT_SIG = "tjlCzotOD6xCb0q2RdiR6dxxungzNIaBLplKvvY2Ovg=";

  @Test
  void hubSpotV3IsHmacSha256OfMethodUriBodyAndTimestampWithTheUriDecoded() {
    assertThat(IntakeSignatures.hubspotSignature("hubspot-secret", "POST", HUBSPOT_URI, HUBSPOT_BODY, "1700000000000"))
        .isEqualTo(HUBSPOT_SIG);
    assertThat(IntakeSignatures.hubspotSignature("hubspot-secret", "POST",
        "https://nurture.acme.example/v1/intake/hubspot?a=b%3Ac", HUBSPOT_BODY, "1700000000000"))
        .as("HubSpot signs %3A as ':'").isEqualTo(HUBSPOT_SIG);
    Instant at = Instant.ofEpochMilli(1700000000000L);
    assertThatCode(() -> IntakeSignatures.hubspot("hubspot-secret", HUBSPOT_SIG, "1700000000000", "POST",
        List.of("https://elsewhere.example/x", HUBSPOT_URI), HUBSPOT_BODY, at.plusSeconds(299))).doesNotThrowAnyException();
    assertThatThrownBy(() -> IntakeSignatures.hubspot("hubspot-secret", HUBSPOT_SIG, "1700000000000", "POST",
        List.of(HUBSPOT_URI), HUBSPOT_BODY, at.plusSeconds(301))).isInstanceOf(Unverified.class).hasMessageContaining("5 minutes");
    assertThatThrownBy(() -> IntakeSignatures.hubspot("hubspot-secret", HUBSPOT_SIG, "1700000000000", "POST",
        List.of("https://elsewhere.example/v1/intake/hubspot?a=b:c"), HUBSPOT_BODY, at))
        .isInstanceOf(Unverified.class).hasMessageContaining("does not match");
    assertThatThrownBy(() -> IntakeSignatures.hubspot("hubspot-secret", HUBSPOT_SIG, "soon", "POST",
        List.of(HUBSPOT_URI), HUBSPOT_BODY, at)).isInstanceOf(Unverified.class);
  }

  @Test
  void segmentIsHexHmacSha1OfTheBody() {
    byte[] body = "{\"type\":\"track\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(IntakeSignatures.segmentSignature("segment-secret", body)).isEqualTo("8b84aa87ba229d9ec8c7c322dc0aa56c800aa1b3");
    assertThatCode(() -> IntakeSignatures.segment("segment-secret", "8B84AA87BA229D9EC8C7C322DC0AA56C800AA1B3", body))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> IntakeSignatures.segment("other", "8b84aa87ba229d9ec8c7c322dc0aa56c800aa1b3", body))
        .isInstanceOf(Unverified.class);
    assertThatThrownBy(() -> IntakeSignatures.segment("segment-secret", null, body)).isInstanceOf(Unverified.class);
  }

  @Test
  void aSharedTokenComesFromTheHeaderElseTheQuery() {
    assertThatCode(() -> IntakeSignatures.sharedSecret("t0ken", "t0ken", null)).doesNotThrowAnyException();
    assertThatCode(() -> IntakeSignatures.sharedSecret("t0ken", null, "t0ken")).doesNotThrowAnyException();
    assertThatThrownBy(() -> IntakeSignatures.sharedSecret("t0ken", "wrong", "t0ken"))
        .as("a wrong header is not rescued by the query").isInstanceOf(Unverified.class);
    assertThatThrownBy(() -> IntakeSignatures.sharedSecret("t0ken", null, null)).isInstanceOf(Unverified.class);
  }
}
