package com.nurture.activities;

import com.nurture.activities.mail.MailSettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Mail settings and a signing key for tests. */
public final class TestMail {
  public static final byte[] SIGNING_KEY = "a-test-signing-key-that-is-long-enough-0123456789".getBytes(StandardCharsets.UTF_8);

  private TestMail() {}

  public static MailSettings settings(URI publicUrl) {
    return new MailSettings("ana@acme.example", "Ana from Acme", "Acme Ltd", "Acme Pipeline",
        "1 Harbour Street, Bristol BS1 4XY, UK", publicUrl, "unsubscribe@acme.example",
        "https://acme.example/resources");
  }
}
