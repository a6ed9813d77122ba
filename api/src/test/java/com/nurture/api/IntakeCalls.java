package com.nurture.api;

import com.nurture.api.intake.IntakeSignatures;
import io.dropwizard.testing.ResourceHelpers;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Calls to {@code POST /v1/intake/{source}} as the MA systems make them: their recorded payloads
 * ({@code src/test/resources/intake}), signed with api-test.yml's test-only secrets.
 */
final class IntakeCalls {
  /** The URL HubSpot signs: under api-test.yml's {@code mail.public_url}. */
  static final String HUBSPOT_URI = "https://nurture.acme.example/v1/intake/hubspot";

  private final TestApi api;

  IntakeCalls(TestApi api) {
    this.api = api;
  }

  /** A recorded payload, as the system sent it. */
  static String recorded(String name) throws Exception {
    return Files.readString(Path.of(ResourceHelpers.resourceFilePath("intake/" + name)), StandardCharsets.UTF_8);
  }

  /** HubSpot's v3 signature of a POST of {@code body} at {@code timestamp} (epoch ms). */
  static String hubspotSignature(String body, long timestamp) {
    return IntakeSignatures.hubspotSignature("hubspot-client-secret-for-tests", "POST", HUBSPOT_URI,
        body.getBytes(StandardCharsets.UTF_8), String.valueOf(timestamp));
  }

  /** Segment's signature of {@code body} with the destination's shared secret. */
  static String segmentSignature(String body) {
    return IntakeSignatures.segmentSignature("segment-shared-secret-for-tests", body.getBytes(StandardCharsets.UTF_8));
  }

  Response hubspot(String body, String signature, long timestamp) {
    return api.call("/v1/intake/hubspot", null).header("X-HubSpot-Signature-v3", signature)
        .header("X-HubSpot-Request-Timestamp", String.valueOf(timestamp))
        .post(Entity.entity(body.getBytes(StandardCharsets.UTF_8), "application/json"));
  }

  /** A HubSpot call signed now, as HubSpot sends it (and each of its retries). */
  Response hubspot(String body) {
    long now = Instant.now().toEpochMilli();
    return hubspot(body, hubspotSignature(body, now), now);
  }

  Response segment(String body, String signature) {
    return api.call("/v1/intake/segment", null).header("X-Signature", signature)
        .post(Entity.entity(body.getBytes(StandardCharsets.UTF_8), "application/json"));
  }

  /** A Segment call with its signature. */
  Response segment(String body) {
    return segment(body, segmentSignature(body));
  }
}
