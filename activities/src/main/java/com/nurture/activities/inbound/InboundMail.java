package com.nurture.activities.inbound;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An email that arrived for Nurture (a reply, an auto-reply, a delivery status notification), as
 * read from its raw MIME with Jakarta Mail: what the classifier and the matcher need, nothing more.
 *
 * @param messageId its own Message-ID ("" when absent)
 * @param refersTo the Message-IDs it answers: In-Reply-To first, then References, newest first
 * @param from the sender's address, lower-cased ("" when absent or unreadable)
 * @param headers the headers that say what kind of mail it is, names lower-cased (first value)
 * @param text the readable text: the text/plain part, else the HTML part without tags
 * @param deliveryStatus the message/delivery-status part of a report, "" when not a report
 * @param recipients the addresses it was sent to, lower-cased: To, Cc, Delivered-To, X-Original-To,
 *     and the envelope's when the provider gives them ({@link #withRecipients})
 */
public record InboundMail(String messageId, List<String> refersTo, String from, String subject,
    Map<String, String> headers, String text, boolean report, String deliveryStatus, List<String> recipients) {

  private static final Pattern ID = Pattern.compile("<[^<>\\s]+>");
  private static final List<String> KIND_HEADERS = List.of("auto-submitted", "x-autoreply", "x-autorespond",
      "precedence", "x-auto-response-suppress", "content-type");

  private static final List<String> RECIPIENT_HEADERS = List.of("To", "Cc", "Delivered-To", "X-Original-To");

  /**
   * An email a provider gave as fields rather than raw MIME (Postmark's JSON without RawEmail): its
   * own Message-ID, In-Reply-To and References header values, the sender's address, subject, every
   * header by name (any case), the readable text, and its recipients.
   */
  public static InboundMail ofFields(String messageId, String inReplyTo, String references, String from,
      String subject, Map<String, String> allHeaders, String text, List<String> recipients) {
    Map<String, String> byName = new LinkedHashMap<>();
    allHeaders.forEach((name, value) -> byName.putIfAbsent(name.toLowerCase(Locale.ROOT), value.trim()));
    Map<String, String> headers = new LinkedHashMap<>();
    KIND_HEADERS.forEach(name -> {
      if (byName.containsKey(name)) {
        headers.put(name, byName.get(name));
      }
    });
    List<String> ids = ids(messageId);
    return new InboundMail(ids.isEmpty() ? messageId.trim() : ids.get(0), refersTo(inReplyTo, references),
        address(from), subject, Map.copyOf(headers), text, false, "",
        recipients.stream().map(r -> r.trim().toLowerCase(Locale.ROOT)).filter(r -> !r.isEmpty()).distinct().toList());
  }

  /** The address of a sender given as {@code x@y} or {@code Name <x@y>}, lower-cased; "" when unreadable. */
  private static String address(String from) {
    try {
      InternetAddress a = new InternetAddress(from.trim(), false);
      return a.getAddress() == null ? "" : a.getAddress().toLowerCase(Locale.ROOT);
    } catch (jakarta.mail.internet.AddressException e) {
      return "";
    }
  }

  /** This email, with more addresses it was sent to (the envelope's, as the provider gives them). */
  public InboundMail withRecipients(List<String> more) {
    List<String> all = new ArrayList<>(recipients);
    more.stream().map(r -> r.trim().toLowerCase(Locale.ROOT)).filter(r -> !r.isEmpty() && !all.contains(r))
        .forEach(all::add);
    return new InboundMail(messageId, refersTo, from, subject, headers, text, report, deliveryStatus, List.copyOf(all));
  }

  private static List<String> refersTo(String inReplyTo, String references) {
    List<String> refersTo = new ArrayList<>(ids(inReplyTo));
    List<String> older = ids(references);
    for (int i = older.size() - 1; i >= 0; i--) {
      if (!refersTo.contains(older.get(i))) {
        refersTo.add(older.get(i));
      }
    }
    return List.copyOf(refersTo);
  }

  private static List<String> recipients(MimeMessage m) throws MessagingException {
    List<String> recipients = new ArrayList<>();
    for (String name : RECIPIENT_HEADERS) {
      String value = m.getHeader(name, ",");
      if (value == null) {
        continue;
      }
      try {
        for (InternetAddress a : InternetAddress.parseHeader(value, false)) {
          String address = a.getAddress() == null ? "" : a.getAddress().toLowerCase(Locale.ROOT);
          if (!address.isEmpty() && !recipients.contains(address)) {
            recipients.add(address);
          }
        }
      } catch (jakarta.mail.internet.AddressException e) {
        // an unreadable recipient header: matched by its references or sender instead
      }
    }
    return List.copyOf(recipients);
  }

  /** Reads raw MIME. @throws IllegalArgumentException when it is not a readable message */
  public static InboundMail parse(byte[] raw) {
    try {
      MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
      List<String> refersTo = refersTo(m.getHeader("In-Reply-To", " "), m.getHeader("References", " "));
      Map<String, String> headers = new LinkedHashMap<>();
      for (String name : KIND_HEADERS) {
        String value = m.getHeader(name, null);
        if (value != null) {
          headers.put(name, value.trim());
        }
      }
      String from = "";
      try {
        var addresses = m.getFrom();
        if (addresses != null && addresses.length > 0 && addresses[0] instanceof InternetAddress a && a.getAddress() != null) {
          from = a.getAddress().toLowerCase(Locale.ROOT);
        }
      } catch (MessagingException e) {
        // an unreadable From: matched by its references only
      }
      boolean report = m.isMimeType("multipart/report");
      StringBuilder status = new StringBuilder();
      String text = report ? reportText(m, status) : text(m).orElse("");
      String id = m.getHeader("Message-ID", null);
      return new InboundMail(id == null ? "" : id.trim(), refersTo, from,
          m.getSubject() == null ? "" : m.getSubject(), Map.copyOf(headers), text, report, status.toString(),
          recipients(m));
    } catch (MessagingException | IOException e) {
      throw new IllegalArgumentException("not a readable email: " + e.getMessage(), e);
    }
  }

  private static List<String> ids(String header) {
    List<String> ids = new ArrayList<>();
    if (header != null) {
      Matcher matcher = ID.matcher(header);
      while (matcher.find()) {
        ids.add(matcher.group());
      }
    }
    return ids;
  }

  private static String reportText(Part report, StringBuilder status) throws MessagingException, IOException {
    StringBuilder text = new StringBuilder();
    Multipart parts = (Multipart) report.getContent();
    for (int i = 0; i < parts.getCount(); i++) {
      BodyPart part = parts.getBodyPart(i);
      if (part.isMimeType("message/delivery-status")) {
        status.append(asString(part.getContent()));
      } else if (part.isMimeType("text/plain") && text.length() == 0) {
        text.append(asString(part.getContent()));
      }
    }
    return text.toString();
  }

  private static Optional<String> text(Part part) throws MessagingException, IOException {
    if (part.isMimeType("text/plain")) {
      return Optional.of(asString(part.getContent()));
    }
    if (part.isMimeType("multipart/*")) {
      Multipart multipart = (Multipart) part.getContent();
      Optional<String> html = Optional.empty();
      for (int i = 0; i < multipart.getCount(); i++) {
        BodyPart child = multipart.getBodyPart(i);
        if (child.isMimeType("text/html") && html.isEmpty()) {
          html = Optional.of(withoutTags(asString(child.getContent())));
          continue;
        }
        Optional<String> found = text(child);
        if (found.isPresent()) {
          return found;
        }
      }
      return html;
    }
    if (part.isMimeType("text/html")) {
      return Optional.of(withoutTags(asString(part.getContent())));
    }
    return Optional.empty();
  }

  private static String asString(Object content) throws IOException, MessagingException {
    if (content instanceof String s) {
      return s;
    }
    if (content instanceof java.io.InputStream in) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    if (content instanceof Part p) {
      return asString(p.getContent());
    }
    return String.valueOf(content);
  }

  private static String withoutTags(String html) {
    return html.replaceAll("(?is)<(script|style)[^>]*>.*?</\\1>", "").replaceAll("(?i)<br\\s*/?>|</p>", "\n")
        .replaceAll("<[^>]+>", "").replace("&nbsp;", " ").replace("&gt;", ">").replace("&lt;", "<")
        .replace("&amp;", "&");
  }
}
