package com.nurture.api.esp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Amazon SNS message signatures (how Amazon SES delivers its notifications): the signing
 * certificate comes from {@code SigningCertURL}, which must be https on {@code sns.<region>.amazonaws.com}
 * (or .com.cn); {@code SignatureVersion} 1 is SHA1withRSA, 2 SHA256withRSA, over SNS's canonical
 * string of the message's fields. A signature only proves the message came from SNS, not from our
 * topic: the {@code TopicArn} must be the configured one. Where the certificate comes from is
 * pluggable ({@link SigningKeys}) so tests use their own key.
 */
public final class Sns {
  private static final Pattern CERT_HOST = Pattern.compile("sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?");

  /** The public key of the certificate at a (host-checked) SigningCertURL. */
  public interface SigningKeys {
    PublicKey at(URI certificateUrl);
  }

  private Sns() {}

  /** Verifies an SNS message (Notification or SubscriptionConfirmation); throws {@link Unverified}. */
  public static void verify(JsonNode m, String topicArn, SigningKeys keys, Instant now) {
    String type = text(m, "Type");
    String topic = text(m, "TopicArn");
    if (!topic.equals(topicArn)) {
      throw new Unverified("TopicArn is not the configured topic");
    }
    URI url;
    try {
      url = URI.create(text(m, "SigningCertURL"));
    } catch (IllegalArgumentException e) {
      throw new Unverified("SigningCertURL is not a URL");
    }
    if (!"https".equals(url.getScheme()) || url.getHost() == null || !CERT_HOST.matcher(url.getHost()).matches()) {
      throw new Unverified("SigningCertURL must be https://sns.<region>.amazonaws.com/...");
    }
    Instant sent;
    try {
      sent = Instant.parse(text(m, "Timestamp"));
    } catch (java.time.format.DateTimeParseException e) {
      throw new Unverified("Timestamp is not ISO-8601");
    }
    if (Duration.between(sent, now).abs().compareTo(EspSignatures.TOLERANCE) > 0) {
      throw new Unverified("the delivery is stale (Timestamp more than 5 minutes away)");
    }
    String algorithm = switch (text(m, "SignatureVersion")) {
      case "1" -> "SHA1withRSA";
      case "2" -> "SHA256withRSA";
      default -> throw new Unverified("SignatureVersion must be 1 or 2");
    };
    String[] fields = switch (type) {
      case "Notification" -> new String[] {"Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"};
      case "SubscriptionConfirmation", "UnsubscribeConfirmation" ->
          new String[] {"Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"};
      default -> throw new Unverified("Type is not an SNS message type");
    };
    boolean valid;
    try {
      Signature s = Signature.getInstance(algorithm);
      s.initVerify(keys.at(url));
      s.update(canonical(m, fields).getBytes(StandardCharsets.UTF_8));
      valid = s.verify(Base64.getDecoder().decode(text(m, "Signature")));
    } catch (java.security.SignatureException | IllegalArgumentException e) {
      valid = false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    if (!valid) {
      throw new Unverified("the signature does not match");
    }
  }

  /** SNS's string to sign: each present field's name and value, one per line, in this order. */
  public static String canonical(JsonNode m, String... fields) {
    StringBuilder b = new StringBuilder();
    for (String f : fields) {
      if (m.hasNonNull(f)) {
        b.append(f).append('\n').append(m.get(f).asText()).append('\n');
      }
    }
    return b.toString();
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isValueNode() && !v.isNull() ? v.asText() : "";
  }

  /** Fetches the certificate over HTTPS (once per URL) and answers its public key. */
  public static final class FetchedKeys implements SigningKeys {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<URI, PublicKey> cache = new ConcurrentHashMap<>();

    @Override
    public PublicKey at(URI url) {
      return cache.computeIfAbsent(url, u -> {
        try {
          HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofInputStream());
          if (r.statusCode() != 200) {
            throw new Unverified("the signing certificate could not be fetched (" + r.statusCode() + ")");
          }
          try (InputStream in = r.body()) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in).getPublicKey();
          }
        } catch (java.io.IOException | GeneralSecurityException e) {
          throw new Unverified("the signing certificate could not be read: " + e.getMessage());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Unverified("interrupted while fetching the signing certificate");
        }
      });
    }
  }
}
