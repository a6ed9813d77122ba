package com.nurture.activities.consent;

import com.nurture.activities.db.ConfirmationDao;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.LeadRecord;
import com.nurture.activities.db.SuppressionDao;
import com.nurture.activities.mail.MailAddresses;
import com.nurture.activities.mail.MailSettings;
import com.nurture.activities.mail.SmtpEmailActivities;
import com.nurture.workflows.activities.ConfirmationRequest;
import com.nurture.workflows.activities.ConsentActivities;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.simplejavamail.api.email.Email;
import org.simplejavamail.api.mailer.Mailer;
import org.simplejavamail.email.EmailBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the double opt-in confirmation email: a link to {@code {public_url}/confirm/{token}}, in
 * the lead's language (Japanese or English). Once per journey: the row is written before the send,
 * and a retry sends the same link with the same Message-ID. No tracking, no unsubscribe footer: the
 * lead has not subscribed yet, and ignoring the email is how it says no.
 */
public final class ConfirmationMailer implements ConsentActivities {
  private static final Logger log = LoggerFactory.getLogger(ConfirmationMailer.class);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);
  private static final DateTimeFormatter DAY_JA = DateTimeFormatter.ofPattern("yyyy年M月d日", Locale.JAPANESE);

  private final Jdbi jdbi;
  private final ConfirmationTokens tokens;
  private final MailSettings mail;
  private final Mailer mailer;
  private final Clock clock;

  public ConfirmationMailer(Jdbi jdbi, ConfirmationTokens tokens, MailSettings mail, Mailer mailer, Clock clock) {
    this.jdbi = jdbi;
    this.tokens = tokens;
    this.mail = mail;
    this.mailer = mailer;
    this.clock = clock;
  }

  @Override
  public void sendConfirmation(ConfirmationRequest request) {
    Optional<LeadRecord> lead = jdbi.onDemand(LeadDao.class).find(request.leadId());
    if (lead.isEmpty()) {
      log.warn("confirmation for lead {}: the lead no longer exists; nothing sent", request.leadId());
      return;
    }
    if (jdbi.onDemand(SuppressionDao.class).find(lead.get().email()).isPresent()) {
      log.info("confirmation for lead {}: the address is suppressed; nothing sent (the journey ends unconfirmed)",
          request.leadId());
      return;
    }
    String token = tokens.issue(request.leadId(), request.journeyKey());
    String hash = ConfirmationTokens.hash(token);
    ConfirmationDao dao = jdbi.onDemand(ConfirmationDao.class);
    dao.request(hash, request.leadId(), request.journeyKey(), clock.instant(), request.confirmBy());
    if (dao.find(hash).flatMap(r -> r.sentAt()).isPresent()) {
      return;
    }
    String messageId = "<confirm-" + hash.substring(0, 24) + "@" + mail.domain() + ">";
    String link = mail.publicUrl().toString().replaceAll("/+$", "") + "/confirm/" + token;
    boolean japanese = String.valueOf(lead.get().attributes().getOrDefault("locale", "")).toLowerCase(Locale.ROOT)
        .startsWith("ja");
    String until = (japanese ? DAY_JA : DAY).format(request.confirmBy().atZone(ZoneOffset.UTC));
    Email email = EmailBuilder.startingBlank()
        .from(mail.fromName(), mail.fromAddress())
        .to(MailAddresses.toAscii(lead.get().email()))
        .withSubject(japanese ? "ご登録の確認をお願いします" : "Please confirm your subscription")
        .withPlainText(japanese ? japanese(link, until) : english(link, until))
        .fixingMessageId(messageId)
        .buildEmail();
    SmtpEmailActivities.sendAndWait(mailer, email);
    dao.sent(hash, messageId, clock.instant());
    log.info("confirmation for lead {} sent (journey {})", request.leadId(), request.journeyKey());
  }

  private String english(String link, String until) {
    return "Hello,\n\nSomeone, we hope you, asked to receive email from " + mail.company() + " about "
        + mail.product() + " at this address. To confirm, open this link and press Confirm:\n\n" + link
        + "\n\nThe link works until " + until + ". If you did not ask for this, ignore this email: "
        + "you will hear nothing more from us.\n\n" + mail.company() + ", " + mail.postalAddress() + "\n";
  }

  private String japanese(String link, String until) {
    return "こんにちは。\n\nこのメールアドレスで " + mail.company() + " から " + mail.product()
        + " に関するメールの受け取りが申し込まれました。以下のリンクを開き、「確認する」を押して登録を完了してください。\n\n"
        + link + "\n\nリンクの有効期限は " + until + " (UTC) です。お心当たりがない場合は、このメールを無視してください。"
        + "今後こちらからご連絡することはありません。\n\n" + mail.company() + " / " + mail.postalAddress() + "\n";
  }
}
