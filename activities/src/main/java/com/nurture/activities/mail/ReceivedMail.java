package com.nurture.activities.mail;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads decoded parts and the unsubscribe token out of a received message (dev mailbox, tests). */
public final class ReceivedMail {
  private static final Pattern TOKEN = Pattern.compile("<https?://[^>]*/u/([A-Za-z0-9_.-]+)>");

  private ReceivedMail() {}

  /** The decoded content of the first part of the given type (e.g. text/plain), or "". */
  public static String part(Part message, String mimeType) {
    try {
      if (message.isMimeType(mimeType)) {
        return String.valueOf(message.getContent());
      }
      if (message.isMimeType("multipart/*")) {
        Multipart mp = (Multipart) message.getContent();
        for (int i = 0; i < mp.getCount(); i++) {
          BodyPart bp = mp.getBodyPart(i);
          String found = part(bp, mimeType);
          if (!found.isEmpty()) {
            return found;
          }
        }
      }
      return "";
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The token of the https List-Unsubscribe link. */
  public static String unsubscribeToken(jakarta.mail.internet.MimeMessage m) {
    try {
      String header = m.getHeader("List-Unsubscribe", null);
      Matcher matcher = TOKEN.matcher(header == null ? "" : header.replaceAll("\\s+", ""));
      if (!matcher.find()) {
        throw new AssertionError("no https unsubscribe link in List-Unsubscribe: " + header);
      }
      return matcher.group(1);
    } catch (MessagingException e) {
      throw new IllegalStateException(e);
    }
  }
}
