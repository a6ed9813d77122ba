package com.nurture.api.dev;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.inbound.InboundMail;
import com.nurture.api.core.InboundReplies;
import io.dropwizard.lifecycle.Managed;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * In {@code dev}, a reply is an email sent over SMTP to the dev mail server (to the sender's
 * address, as a mail client's Reply does): every second, mail the server received from anyone but
 * Nurture goes through the same inbound path as the webhooks (matched, classified, the journey told).
 */
public final class DevReplies implements Managed {
  private static final Logger log = LoggerFactory.getLogger(DevReplies.class);
  private final GreenMail smtp;
  private final InboundReplies replies;
  private final String ourAddress;
  private final Clock clock;
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "dev-replies");
    t.setDaemon(true);
    return t;
  });
  private int seen;

  public DevReplies(GreenMail smtp, InboundReplies replies, String ourAddress, Clock clock) {
    this.smtp = smtp;
    this.replies = replies;
    this.ourAddress = ourAddress.toLowerCase(Locale.ROOT);
    this.clock = clock;
  }

  @Override
  public void start() {
    poller.scheduleWithFixedDelay(this::poll, 1, 1, TimeUnit.SECONDS);
  }

  /** Takes the messages received since the last look. */
  synchronized void poll() {
    MimeMessage[] received = smtp.getReceivedMessages();
    for (; seen < received.length; seen++) {
      try {
        MimeMessage m = received[seen];
        var from = m.getFrom();
        if (from != null && from.length > 0 && from[0] instanceof InternetAddress a
            && ourAddress.equalsIgnoreCase(a.getAddress())) {
          continue; // Nurture's own mail
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        m.writeTo(raw);
        replies.receive(InboundMail.parse(raw.toByteArray()), clock.instant());
      } catch (Exception e) {
        log.warn("dev: an inbound email could not be read: {}", e.getMessage());
      }
    }
  }

  @Override
  public void stop() {
    poller.shutdownNow();
  }
}
