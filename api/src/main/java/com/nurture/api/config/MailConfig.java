package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.nurture.activities.mail.DkimSigning;
import com.nurture.activities.mail.MailSettings;
import com.nurture.activities.mail.SigningKeys;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The sender's identity, the postal address every email carries, and the unsubscribe links. */
public class MailConfig {
  @NotBlank @Email
  @JsonProperty("from_address")
  public String fromAddress;

  @NotBlank
  @JsonProperty("from_name")
  public String fromName;

  @NotBlank
  @JsonProperty
  public String company;

  @NotBlank
  @JsonProperty
  public String product;

  /** Required by anti-spam law (CAN-SPAM) in every commercial email. */
  @NotBlank
  @JsonProperty("postal_address")
  public String postalAddress;

  /** The API's base URL as recipients reach it; unsubscribe links point here, so it must be https. */
  @NotBlank
  @Pattern(regexp = "https://[^\\s{}$]+|http://(localhost|127\\.0\\.0\\.1)(:\\d+)?(/[^\\s{}$]*)?",
      message = "must be an https URL such as https://nurture.example.com (plain http only for localhost)")
  @JsonProperty("public_url")
  public String publicUrl;

  @NotBlank @Email
  @JsonProperty("unsubscribe_mailto")
  public String unsubscribeMailto;

  /** Where templates point readers for guides, recordings and slides ({{sender.resource_url}}). */
  @NotBlank
  @JsonProperty("resource_url")
  public String resourceUrl;

  /**
   * The legacy key for the tokens in our links (unsubscribe, double opt-in): at least 32 characters,
   * secret. It has no id: while it is the only key, tokens keep the formats issued before key ids.
   * With {@link #signingKeys} configured it only verifies (listed last), until it is removed.
   */
  @Pattern(regexp = "(?s)|.{32,}", message = "must be at least 32 characters")
  @JsonProperty("signing_key")
  public String signingKey;

  /**
   * Signing keys with ids (rotation, docs/operations.md): the first signs every new token, every
   * one verifies; a token names its key by id. Remove a key to refuse every link it signed.
   */
  @Valid
  @JsonProperty("signing_keys")
  public List<SigningKey> signingKeys = List.of();

  /** {@code mail.signing_keys[]}: an id (travels in every token it signs) and the secret. */
  public static class SigningKey {
    @NotBlank
    @Pattern(regexp = "[A-Za-z0-9_-]{1,32}", message = "must be 1-32 of letters, digits, '_' and '-'")
    @JsonProperty
    public String id;

    @NotBlank
    @Size(min = 32, message = "must be at least 32 characters")
    @JsonProperty
    public String secret;
  }

  /** Some key is configured, and no configured id is the legacy key's name. */
  @JsonIgnore
  @ValidationMethod(message = "mail.signing_key or mail.signing_keys must be set; ids unique and not 'legacy'")
  public boolean isSigningKeyConfigured() {
    boolean any = (signingKey != null && !signingKey.isBlank()) || !signingKeys.isEmpty();
    java.util.Set<String> ids = new java.util.HashSet<>();
    boolean idsOk = signingKeys.stream().allMatch(k -> k.id == null
        || (!k.id.equals(SigningKeys.LEGACY_ID) && ids.add(k.id)));
    return any && idsOk;
  }

  /** The key ring: {@code signing_keys} in order, then {@code signing_key} (the legacy key) if set. */
  public SigningKeys signingKeys() {
    List<SigningKeys.Key> keys = new ArrayList<>();
    for (SigningKey k : signingKeys) {
      keys.add(new SigningKeys.Key(k.id, k.secret.getBytes(StandardCharsets.UTF_8)));
    }
    if (signingKey != null && !signingKey.isBlank()) {
      keys.add(new SigningKeys.Key(SigningKeys.LEGACY_ID, signingKeyBytes()));
    }
    return new SigningKeys(keys);
  }

  /**
   * The DKIM key every message is signed with (docs/deliverability.md). Absent, or with every field
   * empty: mail goes out unsigned, with a warning at start-up.
   */
  @Valid
  @JsonProperty
  public Dkim dkim;

  /**
   * {@code mail.dkim}: the signing domain ({@code d=}, the from address's domain or a parent of
   * it), the selector ({@code s=}) and the RSA private key as PKCS#8 PEM, in a file or inline.
   */
  public static class Dkim {
    @JsonProperty
    public String domain;

    @JsonProperty
    public String selector;

    /** A file holding the key ({@code -----BEGIN PRIVATE KEY-----}), readable by Nurture only. */
    @JsonProperty("private_key_file")
    public String privateKeyFile;

    /** The key itself (from a secret store through an environment variable), instead of a file. */
    @JsonProperty("private_key")
    public String privateKey;

    boolean isEmpty() {
      return blank(domain) && blank(privateKeyFile) && blank(privateKey);
    }

    /** The key, read and checked; a half-configured block is an error naming what is missing. */
    DkimSigning signing() {
      if (blank(domain)) {
        throw new IllegalArgumentException("mail.dkim.domain is required when a DKIM key is configured");
      }
      if (blank(selector)) {
        throw new IllegalArgumentException("mail.dkim.selector is required when mail.dkim.domain is set");
      }
      if (blank(privateKeyFile) == blank(privateKey)) {
        throw new IllegalArgumentException("mail.dkim needs exactly one of private_key_file and private_key");
      }
      String pem;
      if (!blank(privateKeyFile)) {
        try {
          pem = Files.readString(Path.of(privateKeyFile.trim()), StandardCharsets.US_ASCII);
        } catch (IOException e) {
          throw new IllegalArgumentException("mail.dkim.private_key_file " + privateKeyFile + " cannot be read: " + e);
        }
      } else {
        pem = privateKey;
      }
      try {
        return new DkimSigning(domain, selector, DkimSigning.readPrivateKey(pem));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("mail.dkim: " + e.getMessage(), e);
      }
    }

    private static boolean blank(String s) {
      return s == null || s.isBlank();
    }
  }

  /** Whether a DKIM key is configured (its fields are checked by {@link #settings()}). */
  public boolean dkimConfigured() {
    return dkim != null && !dkim.isEmpty();
  }

  /**
   * The mail settings, the DKIM key read and checked.
   *
   * @throws IllegalArgumentException naming the setting, when the DKIM key is half-configured,
   *     unreadable, too short, or does not align with the from address
   */
  public MailSettings settings() {
    MailSettings settings = new MailSettings(fromAddress, fromName, company, product, postalAddress,
        URI.create(publicUrl), unsubscribeMailto, resourceUrl);
    if (!dkimConfigured()) {
      return settings;
    }
    try {
      return settings.withDkim(dkim.signing());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().startsWith("mail.dkim") ? e.getMessage()
          : "mail.dkim: " + e.getMessage(), e);
    }
  }

  public byte[] signingKeyBytes() {
    return signingKey.getBytes(StandardCharsets.UTF_8);
  }
}
