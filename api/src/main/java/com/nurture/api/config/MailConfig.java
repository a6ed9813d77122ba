package com.nurture.api.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.nurture.activities.mail.MailSettings;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.nio.charset.StandardCharsets;

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

  /** HMAC key for unsubscribe tokens: at least 32 characters, secret, stable (old links must keep working). */
  @NotBlank
  @Size(min = 32, message = "must be at least 32 characters")
  @JsonProperty("signing_key")
  public String signingKey;

  public MailSettings settings() {
    return new MailSettings(fromAddress, fromName, company, product, postalAddress, URI.create(publicUrl),
        unsubscribeMailto, resourceUrl);
  }

  public byte[] signingKeyBytes() {
    return signingKey.getBytes(StandardCharsets.UTF_8);
  }
}
