package com.nurture.activities.privacy;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * One payload sealed with one data key: the whole original payload (its metadata included, so
 * not even its encoding shows) encrypted with AES-256-GCM under a random 96-bit nonce, the key id
 * bound as associated data. The sealed payload's metadata: {@code encoding: binary/encrypted},
 * {@code encryption-key-id}, {@code encryption-cipher: AES256-GCM}. Pure, no I/O.
 */
public final class PayloadCipher {
  public static final String ENCODING = "binary/encrypted";
  public static final String KEY_ID = "encryption-key-id";
  public static final String CIPHER = "encryption-cipher";
  static final String CIPHER_NAME = "AES256-GCM";

  private PayloadCipher() {}

  public static boolean isSealed(Payload p) {
    ByteString encoding = p.getMetadataMap().get("encoding");
    return encoding != null && encoding.toStringUtf8().equals(ENCODING);
  }

  /** The key id a sealed payload names ("" when none). */
  public static String keyIdOf(Payload p) {
    ByteString id = p.getMetadataMap().get(KEY_ID);
    return id == null ? "" : id.toStringUtf8();
  }

  public static Payload seal(Payload plain, DataKey key) {
    try {
      byte[] sealed = AesGcm.seal(key.key(), key.keyId().getBytes(StandardCharsets.UTF_8), plain.toByteArray());
      return Payload.newBuilder()
          .putMetadata("encoding", ByteString.copyFromUtf8(ENCODING))
          .putMetadata(KEY_ID, ByteString.copyFromUtf8(key.keyId()))
          .putMetadata(CIPHER, ByteString.copyFromUtf8(CIPHER_NAME))
          .setData(ByteString.copyFrom(sealed))
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    }
  }

  /** @throws IllegalArgumentException when the payload does not verify under the key (tampered, or not its key) */
  public static Payload open(Payload sealed, DataKey key) {
    byte[] data = sealed.getData().toByteArray();
    if (data.length < AesGcm.OVERHEAD) {
      throw new IllegalArgumentException("encrypted payload of key '" + key.keyId() + "' is truncated");
    }
    try {
      return Payload.parseFrom(AesGcm.open(key.key(), key.keyId().getBytes(StandardCharsets.UTF_8), data));
    } catch (javax.crypto.AEADBadTagException e) {
      throw new IllegalArgumentException("encrypted payload does not verify under key '" + key.keyId() + "'", e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is unavailable", e);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("encrypted payload of key '" + key.keyId() + "' holds no payload", e);
    }
  }
}
