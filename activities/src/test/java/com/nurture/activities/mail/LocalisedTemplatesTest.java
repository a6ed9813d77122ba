package com.nurture.activities.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.nurture.activities.TestDatabase;
import com.nurture.activities.TestMail;
import com.nurture.activities.TestSmtp;
import com.nurture.activities.db.LeadDao;
import com.nurture.activities.db.MessageDao;
import com.nurture.workflows.activities.SendOutcome;
import com.nurture.workflows.activities.SendRequest;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Templates in the lead's language, with English as the fallback, sent so that Japanese reads correctly. */
class LocalisedTemplatesTest {
  private final TemplateCatalog catalog = new TemplateCatalog();
  private final Jdbi jdbi = TestDatabase.jdbi();
  private final GreenMail smtp = TestSmtp.start();

  @AfterEach
  void stop() {
    smtp.stop();
  }

  @Test
  void theLeadsLanguageIsChosenWithEnglishAsTheFallback() {
    assertThat(catalog.forLead("onboarding-welcome", Map.of("locale", "ja"))).get()
        .satisfies(t -> assertThat(t.id()).isEqualTo("onboarding-welcome.ja"));
    assertThat(catalog.forLead("onboarding-welcome", Map.of("locale", "ja-JP"))).get()
        .satisfies(t -> assertThat(t.id()).isEqualTo("onboarding-welcome.ja"));
    assertThat(catalog.forLead("onboarding-welcome", Map.of("locale", "JA_jp"))).get()
        .satisfies(t -> assertThat(t.id()).isEqualTo("onboarding-welcome.ja"));
    assertThat(catalog.forLead("onboarding-welcome", Map.of("locale", "fr-FR"))).get()
        .as("no French templates: English").satisfies(t -> assertThat(t.id()).isEqualTo("onboarding-welcome"));
    assertThat(catalog.forLead("onboarding-welcome", Map.of())).get()
        .satisfies(t -> assertThat(t.id()).isEqualTo("onboarding-welcome"));
    assertThat(catalog.forLead("pricing-explainer", Map.of("locale", "ja"))).get()
        .as("a template with no Japanese version: English").satisfies(t -> assertThat(t.id()).isEqualTo("pricing-explainer"));
    for (String step : new String[] {"welcome", "problem", "approach", "proof", "next-step"}) {
      assertThat(catalog.find("onboarding-" + step + ".ja")).as("onboarding ships in Japanese: " + step).isPresent();
    }
  }

  @Test
  void aJapaneseEmailArrivesWithItsSubjectBodyAndFooterIntact() throws Exception {
    String leadId = "lead-" + UUID.randomUUID();
    jdbi.onDemand(LeadDao.class).upsert(leadId, leadId + "@example.jp", "Asia/Tokyo", "opt_in",
        Map.of("last_name", "山田", "company", "山田商事", "locale", "ja-JP"));
    MailSettings settings = TestMail.settings(URI.create("https://nurture.acme.example"));
    SmtpEmailActivities activities = new SmtpEmailActivities(jdbi, catalog, new UnsubscribeTokens(TestMail.SIGNING_KEY),
        settings, new SmtpServer("127.0.0.1", smtp.getSmtp().getPort(), "", "", "smtp").mailer(), Clock.systemUTC());

    SendOutcome out = activities.sendEmail(new SendRequest(leadId, "run", "onboarding", 1, "welcome", 1,
        "onboarding-welcome"));

    assertThat(out.template()).isEqualTo("onboarding-welcome.ja");
    MimeMessage m = smtp.getReceivedMessages()[0];
    assertThat(m.getSubject()).isEqualTo("ご登録ありがとうございます - これからお届けする内容について");
    assertThat(m.getHeader("Subject", null)).as("the raw header is encoded, not 8-bit").startsWith("=?UTF-8?");
    String text = ReceivedMail.part(m, "text/plain");
    assertThat(text).contains("山田商事").contains("山田様").contains("配信を停止できます: https://nurture.acme.example/u/");
    assertThat(ReceivedMail.part(m, "text/html")).contains("山田様").contains(">配信停止</a>");
    assertThat(jdbi.onDemand(MessageDao.class).forLead(leadId)).singleElement()
        .satisfies(row -> assertThat(row.template()).isEqualTo("onboarding-welcome.ja"));
  }
}
