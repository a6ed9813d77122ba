package com.nurture.api.inbound;

import com.nurture.api.errors.ProblemException;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentDisposition;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.ParseException;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of an HTML form post as providers send inbound email: {@code multipart/form-data}
 * (read with Jakarta Mail's MIME parser; each field's bytes exactly as sent) or
 * {@code application/x-www-form-urlencoded}. Files (attachments) are skipped: only named text fields
 * are kept, the first of each name.
 */
record FormFields(Map<String, byte[]> fields) {

  static FormFields read(String contentType, byte[] body) {
    ContentType type;
    try {
      type = new ContentType(contentType == null ? "" : contentType);
    } catch (ParseException e) {
      throw ProblemException.invalid("body", "is a form (multipart/form-data)");
    }
    if (type.match("application/x-www-form-urlencoded")) {
      return urlEncoded(body);
    }
    if (!type.match("multipart/form-data")) {
      throw ProblemException.invalid("body", "is a form (multipart/form-data)");
    }
    Map<String, byte[]> fields = new LinkedHashMap<>();
    try {
      MimeMultipart parts = new MimeMultipart(new ByteArrayDataSource(body, contentType));
      for (int i = 0; i < parts.getCount(); i++) {
        BodyPart part = parts.getBodyPart(i);
        String[] disposition = part.getHeader("Content-Disposition");
        if (disposition == null || disposition.length == 0) {
          continue;
        }
        ContentDisposition d = new ContentDisposition(disposition[0]);
        String name = d.getParameter("name");
        if (name == null || d.getParameter("filename") != null || fields.containsKey(name)) {
          continue;
        }
        fields.put(name, ((MimeBodyPart) part).getRawInputStream().readAllBytes());
      }
    } catch (MessagingException | IOException e) {
      throw ProblemException.invalid("body", "is not a readable multipart/form-data form");
    }
    return new FormFields(Map.copyOf(fields));
  }

  private static FormFields urlEncoded(byte[] body) {
    Map<String, byte[]> fields = new LinkedHashMap<>();
    for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      try {
        String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
        fields.putIfAbsent(name, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)
            .getBytes(StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        throw ProblemException.invalid("body", "is not a readable form");
      }
    }
    return new FormFields(Map.copyOf(fields));
  }

  Optional<byte[]> bytes(String name) {
    return Optional.ofNullable(fields.get(name)).filter(b -> b.length > 0);
  }

  /** A text field (UTF-8), empty when absent. */
  Optional<String> text(String name) {
    return bytes(name).map(b -> new String(b, StandardCharsets.UTF_8).trim());
  }
}
