package com.nurture.api.representations;

import java.util.List;
import java.util.Map;

/**
 * Temporal's remote codec body, {@code {"payloads": [{"metadata": {...}, "data": "..."}]}}, as the
 * API description shows it: protobuf JSON, bytes in base64, empty fields left out. CodecResource
 * reads and writes it with protobuf's JsonFormat; this record only describes it.
 */
public record CodecPayloads(List<EncodedPayload> payloads) {
  /** One payload: its metadata (e.g. {@code encoding}) and its data, each value base64. */
  public record EncodedPayload(Map<String, String> metadata, String data) {}
}
