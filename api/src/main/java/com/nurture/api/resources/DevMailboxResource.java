package com.nurture.api.resources;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.mail.ReceivedMail;
import com.nurture.api.auth.Roles;
import com.nurture.api.dev.MailCapture;
import jakarta.annotation.security.RolesAllowed;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/**
 * Only in {@code dev}: the mail the embedded SMTP server received, newest last: the parts a person
 * reads, and each message's {@code raw} source as received (every header, the DKIM-Signature among
 * them, and the MIME body), so what a receiver would check can be seen and checked.
 */
@Path("/dev/mailbox")
@Produces(MediaType.APPLICATION_JSON)
public class DevMailboxResource {
  private final GreenMail smtp;
  private final MailCapture capture;

  public DevMailboxResource(GreenMail smtp, MailCapture capture) {
    this.smtp = smtp;
    this.capture = capture;
  }

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Mail(String messageId, Instant receivedAt, String from, String to, String subject,
      String listUnsubscribe, String listUnsubscribePost, String unsubscribeUrl, String text, String html, String raw) {}

  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Mailbox(int count, List<Mail> messages) {}

  @GET
  @RolesAllowed(Roles.OPERATOR)
  public Mailbox list(@QueryParam("to") String to) throws MessagingException {
    List<Mail> out = new ArrayList<>();
    for (MimeMessage m : smtp.getReceivedMessages()) {
      String recipients = Arrays.stream(m.getAllRecipients()).map(Address::toString).collect(Collectors.joining(", "));
      if (to != null && !recipients.toLowerCase(Locale.ROOT).contains(to.toLowerCase(Locale.ROOT))) {
        continue;
      }
      String listUnsubscribe = m.getHeader("List-Unsubscribe", null);
      String url = null;
      if (listUnsubscribe != null) {
        String token = ReceivedMail.unsubscribeToken(m);
        String compact = listUnsubscribe.replaceAll("\\s+", "");
        url = compact.substring(1, compact.indexOf(token) + token.length());
      }
      out.add(new Mail(m.getMessageID(), m.getReceivedDate() == null ? null : m.getReceivedDate().toInstant(),
          Arrays.stream(m.getFrom()).map(Address::toString).collect(Collectors.joining(", ")), recipients, m.getSubject(),
          listUnsubscribe, m.getHeader("List-Unsubscribe-Post", null), url,
          ReceivedMail.part(m, "text/plain"), ReceivedMail.part(m, "text/html"), raw(m)));
    }
    return new Mailbox(out.size(), out);
  }

  /** Empties the capture (it also keeps only the newest {@code dev.mailbox_keep} emails on its own). */
  @DELETE
  @RolesAllowed(Roles.OPERATOR)
  @ApiResponse(responseCode = "204", description = "every captured email removed")
  public Response purge() {
    capture.purge();
    return Response.noContent().build();
  }

  /** The message as the SMTP server received it: headers and MIME, CRLF line ends and all. */
  static String raw(MimeMessage m) throws MessagingException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      m.writeTo(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
