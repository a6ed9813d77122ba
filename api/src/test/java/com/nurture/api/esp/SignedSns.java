package com.nurture.api.esp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

/** SNS notifications signed as Amazon signs them, with the tests' own key (the fetch of the key is pluggable). */
public final class SignedSns {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SignedSns() {}

  /** A fresh 2048-bit RSA key pair. */
  public static KeyPair keys() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A Notification on {@code topic}, signed by {@code signer} per SignatureVersion {@code version}
   * ("1": SHA1withRSA, "2": SHA256withRSA), naming a signing certificate on {@code certHost}.
   */
  public static ObjectNode notification(String topic, String messageId, String message, Instant at, String version,
      KeyPair signer, String certHost) {
    ObjectNode m = JSON.createObjectNode();
    m.put("Type", "Notification");
    m.put("MessageId", messageId);
    m.put("TopicArn", topic);
    m.put("Message", message);
    m.put("Timestamp", at.toString());
    m.put("SignatureVersion", version);
    m.put("SigningCertURL", "https://" + certHost + "/SimpleNotificationService-abc.pem");
    try {
      Signature s = Signature.getInstance(version.equals("1") ? "SHA1withRSA" : "SHA256withRSA");
      s.initSign(signer.getPrivate());
      s.update(Sns.canonical(m, "Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
          .getBytes(StandardCharsets.UTF_8));
      m.put("Signature", Base64.getEncoder().encodeToString(s.sign()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return m;
  }

  /** The same, as the JSON body SNS posts: signature version 2, now, from sns.eu-west-1.amazonaws.com. */
  public static String body(String topic, String messageId, String message, KeyPair signer) {
    return notification(topic, messageId, message, Instant.now(), "2", signer, "sns.eu-west-1.amazonaws.com").toString();
  }
}
