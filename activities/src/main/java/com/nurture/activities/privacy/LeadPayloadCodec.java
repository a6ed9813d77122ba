package com.nurture.activities.privacy;

import com.nurture.workflows.journey.LeadJourneyWorkflow;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.payload.context.HasWorkflowSerializationContext;
import io.temporal.payload.context.SerializationContext;
import java.util.List;
import java.util.Optional;

/**
 * The Temporal payload codec of every client and worker Nurture builds: each payload is encrypted
 * ({@link PayloadCipher}) with the key of the lead whose journey it belongs to, known from the
 * serialization context's workflow id ({@code lead-{leadId}}: workflow inputs, signals, updates,
 * queries, activity and local-activity inputs and results), or with the shared key when the
 * payload belongs to no lead's workflow. Decoding reads the key id from the payload itself, so it
 * needs no context; payloads that are not encrypted (histories written before encryption) pass
 * through unchanged. A payload whose key was destroyed (its lead erased) fails with a
 * {@link PayloadCodecException} saying so.
 */
public final class LeadPayloadCodec implements PayloadCodec {
  private final DataKeys keys;
  private final Optional<String> leadId;

  public LeadPayloadCodec(DataKeys keys) {
    this(keys, Optional.empty());
  }

  private LeadPayloadCodec(DataKeys keys, Optional<String> leadId) {
    this.keys = keys;
    this.leadId = leadId;
  }

  /** The lead this codec encrypts for (empty: the shared key). */
  public Optional<String> leadId() {
    return leadId;
  }

  @Override
  public PayloadCodec withContext(SerializationContext context) {
    Optional<String> lead = context instanceof HasWorkflowSerializationContext w
        ? LeadJourneyWorkflow.leadIdOf(w.getWorkflowId()) : Optional.empty();
    return new LeadPayloadCodec(keys, lead);
  }

  /** This codec encrypting for one lead (as a journey's workflow context would). */
  public LeadPayloadCodec forLead(String lead) {
    return new LeadPayloadCodec(keys, Optional.of(lead));
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    if (payloads.isEmpty()) {
      return payloads;
    }
    DataKey key = leadId.map(keys::forLead).orElseGet(keys::shared);
    return payloads.stream().map(p -> PayloadCipher.isSealed(p) ? p : PayloadCipher.seal(p, key)).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decode).toList();
  }

  /** @throws PayloadCodecException when the payload's key is destroyed or unknown, or it does not verify */
  public Payload decode(Payload p) {
    if (!PayloadCipher.isSealed(p)) {
      return p;
    }
    String keyId = PayloadCipher.keyIdOf(p);
    KeyLookup found = keys.find(keyId);
    if (found instanceof KeyLookup.Found f) {
      try {
        return PayloadCipher.open(p, f.key());
      } catch (IllegalArgumentException e) {
        throw new PayloadCodecException(e.getMessage(), e);
      }
    }
    if (found instanceof KeyLookup.Destroyed) {
      throw new PayloadCodecException("payload key '" + keyId
          + "' was destroyed (its lead was erased): the payload is unreadable for good");
    }
    throw new PayloadCodecException("payload key '" + keyId
        + "' is unknown to this deployment (lead_keys has no such key)");
  }

  /** The payload decrypted, or empty when it cannot be (its key destroyed or unknown); plain ones as they are. */
  public Optional<Payload> tryDecode(Payload p) {
    try {
      return Optional.of(decode(p));
    } catch (PayloadCodecException e) {
      return Optional.empty();
    }
  }
}
