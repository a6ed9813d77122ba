package com.nurture.activities.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.payload.context.ActivitySerializationContext;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.KeyGenerator;
import org.junit.jupiter.api.Test;

class LeadPayloadCodecTest {
  /** Keys in memory: one per lead, one shared, destroyable. */
  static final class MemoryKeys implements DataKeys {
    final Map<String, DataKey> live = new HashMap<>();
    final Map<String, DataKey> byId = new HashMap<>();
    final java.util.Set<String> destroyed = new java.util.HashSet<>();

    private DataKey make(String owner) {
      return live.computeIfAbsent(owner, o -> {
        try {
          KeyGenerator g = KeyGenerator.getInstance("AES");
          g.init(256);
          DataKey k = new DataKey("k-" + o + "-" + java.util.UUID.randomUUID(), g.generateKey());
          byId.put(k.keyId(), k);
          return k;
        } catch (java.security.GeneralSecurityException e) {
          throw new IllegalStateException(e);
        }
      });
    }

    @Override
    public DataKey forLead(String leadId) {
      return make("lead:" + leadId);
    }

    @Override
    public DataKey shared() {
      return make("shared");
    }

    @Override
    public KeyLookup find(String keyId) {
      if (destroyed.contains(keyId)) {
        return new KeyLookup.Destroyed(keyId);
      }
      DataKey k = byId.get(keyId);
      return k == null ? new KeyLookup.Unknown(keyId) : new KeyLookup.Found(k);
    }

    void destroy(String leadId) {
      DataKey k = live.remove("lead:" + leadId);
      byId.remove(k.keyId());
      destroyed.add(k.keyId());
    }
  }

  private final MemoryKeys keys = new MemoryKeys();
  private final LeadPayloadCodec codec = new LeadPayloadCodec(keys);
  private final DataConverter json = DefaultDataConverter.newDefaultInstance();

  private Payload plain(String text) {
    return json.toPayload(Map.of("first_name", text, "company", "Globex")).orElseThrow();
  }

  @Test
  void aJourneysPayloadRoundTripsEncryptedWithItsLeadsKey() {
    Payload original = plain("Ada");
    Payload sealed = codec.withContext(new WorkflowSerializationContext("default", "lead-crm-1")).encode(List.of(original)).get(0);

    assertThat(sealed.getMetadataOrThrow("encoding").toStringUtf8()).isEqualTo("binary/encrypted");
    assertThat(PayloadCipher.keyIdOf(sealed)).isEqualTo(keys.forLead("crm-1").keyId());
    assertThat(sealed.getData().toString(StandardCharsets.ISO_8859_1)).doesNotContain("Ada").doesNotContain("Globex");
    assertThat(sealed.getMetadataMap().keySet()).doesNotContain("messageType");
    assertThat(codec.decode(List.of(sealed))).containsExactly(original);
  }

  @Test
  void activitiesOfAJourneyUseTheLeadsKeyAndEverythingElseTheSharedOne() {
    Payload p = plain("Ada");
    var activity = new ActivitySerializationContext("default", "lead-crm-2", "LeadJourneyWorkflow", "SendEmail", "nurture", false);
    assertThat(PayloadCipher.keyIdOf(codec.withContext(activity).encode(List.of(p)).get(0)))
        .isEqualTo(keys.forLead("crm-2").keyId());
    assertThat(PayloadCipher.keyIdOf(codec.withContext(new WorkflowSerializationContext("default", "other-7"))
        .encode(List.of(p)).get(0))).isEqualTo(keys.shared().keyId());
    assertThat(PayloadCipher.keyIdOf(codec.encode(List.of(p)).get(0))).isEqualTo(keys.shared().keyId());
  }

  @Test
  void throughTheDataConverterAValueComesBackAsItWent() {
    CodecDataConverter converter = new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec));
    DataConverter forLead = converter.withContext(new WorkflowSerializationContext("default", "lead-crm-3"));
    Payload stored = forLead.toPayload(Map.of("first_name", "Grace")).orElseThrow();
    assertThat(PayloadCipher.isSealed(stored)).isTrue();
    assertThat(forLead.fromPayload(stored, Map.class, Map.class)).containsEntry("first_name", "Grace");
  }

  @Test
  void payloadsWrittenBeforeEncryptionPassThrough() {
    Payload old = plain("Linus");
    Payload nothing = Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("binary/null")).build();
    assertThat(codec.decode(List.of(old, nothing))).containsExactly(old, nothing);
  }

  @Test
  void anAlreadyEncryptedPayloadIsNotEncryptedTwice() {
    LeadPayloadCodec forLead = codec.forLead("crm-4");
    Payload once = forLead.encode(List.of(plain("Ada"))).get(0);
    assertThat(forLead.encode(List.of(once))).containsExactly(once);
  }

  @Test
  void aDestroyedKeyIsAClearFailureForGood() {
    Payload sealed = codec.forLead("crm-5").encode(List.of(plain("Ada"))).get(0);
    keys.destroy("crm-5");
    assertThatThrownBy(() -> codec.decode(List.of(sealed)))
        .isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining(PayloadCipher.keyIdOf(sealed))
        .hasMessageContaining("destroyed").hasMessageContaining("erased");
    assertThat(codec.tryDecode(sealed)).isEmpty();
    assertThat(PayloadCipher.keyIdOf(codec.forLead("crm-5").encode(List.of(plain("x"))).get(0)))
        .as("a lead stored again gets a new key").isNotEqualTo(PayloadCipher.keyIdOf(sealed));
  }

  @Test
  void anUnknownKeyOrATamperedPayloadFails() {
    Payload sealed = codec.forLead("crm-6").encode(List.of(plain("Ada"))).get(0);
    Payload unknown = sealed.toBuilder().putMetadata(PayloadCipher.KEY_ID, ByteString.copyFromUtf8("k-nowhere")).build();
    assertThatThrownBy(() -> codec.decode(List.of(unknown))).isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("k-nowhere").hasMessageContaining("unknown");

    byte[] data = sealed.getData().toByteArray();
    data[data.length - 1] ^= 1;
    Payload tampered = sealed.toBuilder().setData(ByteString.copyFrom(data)).build();
    assertThatThrownBy(() -> codec.decode(List.of(tampered))).isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("does not verify");

    Payload otherLeadsKeyId = sealed.toBuilder().putMetadata(PayloadCipher.KEY_ID,
        ByteString.copyFromUtf8(keys.forLead("crm-7").keyId())).build();
    assertThatThrownBy(() -> codec.decode(List.of(otherLeadsKeyId))).isInstanceOf(PayloadCodecException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void aThreadsCipherServesEveryKeyAndPayloadAfterAFailure() {
    LeadPayloadCodec ada = codec.forLead("crm-8");
    LeadPayloadCodec grace = codec.forLead("crm-9");
    Payload original = plain("Ada");
    Payload first = ada.encode(List.of(original)).get(0);
    Payload second = ada.encode(List.of(original)).get(0);
    assertThat(second.getData()).as("a fresh nonce each time").isNotEqualTo(first.getData());

    byte[] data = first.getData().toByteArray();
    data[20] ^= 1;
    Payload tampered = first.toBuilder().setData(ByteString.copyFrom(data)).build();
    assertThatThrownBy(() -> codec.decode(List.of(tampered))).hasMessageContaining("does not verify");

    Payload other = grace.encode(List.of(plain("Grace"))).get(0);
    assertThat(codec.decode(List.of(first, other, second)))
        .as("decrypting after a failed verify, under two keys in turn")
        .containsExactly(original, plain("Grace"), original);
    assertThat(PayloadCipher.keyIdOf(other)).isEqualTo(keys.forLead("crm-9").keyId());
  }
}
