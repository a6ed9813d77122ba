package com.nurture.activities.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Replies, auto-replies and delivery reports, told apart from their raw MIME. */
class ReplyClassifierTest {
  private static InboundMail mail(String raw) {
    return InboundMail.parse(raw.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  private static final String REPLY = """
      From: Pat Lee <Pat@Example.com>
      To: hello@acme.example
      Subject: Re: Welcome - what to expect
      Message-ID: <reply-1@example.com>
      In-Reply-To: <abc123@acme.example>
      References: <older@acme.example> <abc123@acme.example>
      Content-Type: text/plain; charset=UTF-8

      Thanks - can we talk on Thursday?
      Pat

      On Tue, 3 Mar 2026 at 09:00, Sam <hello@acme.example> wrote:
      > Hi Pat,
      > Thanks for your interest.
      """;

  @Test
  void aPersonsReplyKeepsItsTextWithoutTheQuotedHistory() {
    InboundMail m = mail(REPLY);
    assertThat(m.refersTo()).containsExactly("<abc123@acme.example>", "<older@acme.example>");
    assertThat(m.from()).isEqualTo("pat@example.com");
    assertThat(ReplyClassifier.classify(m)).isEqualTo(new ReplyClassifier.Kind.Reply("Thanks - can we talk on Thursday?\nPat"));
  }

  @Test
  void autoRepliesAreToldApartByTheirHeadersOrSubject() {
    assertThat(ReplyClassifier.classify(mail(REPLY.replace("Content-Type:", "Auto-Submitted: auto-replied\nContent-Type:"))))
        .isEqualTo(new ReplyClassifier.Kind.AutoReply("Auto-Submitted: auto-replied"));
    assertThat(ReplyClassifier.classify(mail(REPLY.replace("Content-Type:", "Auto-Submitted: no\nContent-Type:"))))
        .as("Auto-Submitted: no is a person").isInstanceOf(ReplyClassifier.Kind.Reply.class);
    assertThat(ReplyClassifier.classify(mail(REPLY.replace("Content-Type:", "X-Autoreply: yes\nContent-Type:"))))
        .isEqualTo(new ReplyClassifier.Kind.AutoReply("X-Autoreply"));
    assertThat(ReplyClassifier.classify(mail(REPLY.replace("Content-Type:", "Precedence: bulk\nContent-Type:"))))
        .isEqualTo(new ReplyClassifier.Kind.AutoReply("Precedence: bulk"));
    assertThat(ReplyClassifier.classify(mail(REPLY.replace("Subject: Re: Welcome", "Subject: Out of Office: Welcome"))))
        .isInstanceOf(ReplyClassifier.Kind.AutoReply.class);
    assertThat(ReplyClassifier.classify(mail(REPLY.replace("Subject: Re: Welcome - what to expect",
        "Subject: =?UTF-8?B?" + java.util.Base64.getEncoder().encodeToString("【自動返信】不在のお知らせ".getBytes(StandardCharsets.UTF_8)) + "?="))))
        .as("a Japanese out-of-office subject").isInstanceOf(ReplyClassifier.Kind.AutoReply.class);
  }

  @Test
  void aDeliveryReportIsABounceHardForA5xxStatus() {
    String dsn = """
        From: Mail Delivery System <MAILER-DAEMON@mx.example.com>
        To: hello@acme.example
        Subject: Undelivered Mail Returned to Sender
        Message-ID: <dsn-1@mx.example.com>
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status; boundary="b"

        --b
        Content-Type: text/plain

        Your message could not be delivered.
        --b
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.example.com

        Final-Recipient: rfc822; pat@example.com
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 user unknown
        --b
        Content-Type: text/rfc822-headers

        Message-ID: <abc123@acme.example>
        --b--
        """;
    assertThat(ReplyClassifier.classify(mail(dsn)))
        .isEqualTo(new ReplyClassifier.Kind.Bounce(true, "5.1.1", "smtp; 550 5.1.1 user unknown"));
    assertThat(ReplyClassifier.classify(mail(dsn.replace("Status: 5.1.1", "Status: 4.2.2"))))
        .satisfies(k -> assertThat(((ReplyClassifier.Kind.Bounce) k).hard()).isFalse());
  }

  @Test
  void japaneseQuotedHistoryIsCutToo() {
    String text = "ありがとうございます。木曜日にお話しできますか。\n\n2026年3月3日(火) 9:00 Sam <hello@acme.example>:\n> こんにちは";
    assertThat(ReplyClassifier.withoutHistory(text + "\n")).isEqualTo("ありがとうございます。木曜日にお話しできますか。");
  }
}
