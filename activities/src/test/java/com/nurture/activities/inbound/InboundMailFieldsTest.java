package com.nurture.activities.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An email a provider gave as fields (Postmark's JSON without RawEmail) reads as its raw MIME would. */
class InboundMailFieldsTest {
  @Test
  void fieldsReadLikeTheRawEmail() {
    InboundMail mail = InboundMail.ofFields(" <reply-1@example.com> ", "<ours-2@acme.example>",
        "<ours-1@acme.example> <ours-2@acme.example>", "Pat Lee <Pat@Example.com>", "Re: Welcome",
        Map.of("Auto-Submitted", "auto-replied", "X-Spam-Status", "No", "Message-ID", "<reply-1@example.com>"),
        "Back on Monday.", List.of("Ana@Acme.example", "", "ana@acme.example"));

    InboundMail raw = InboundMail.parse(("From: Pat Lee <Pat@Example.com>\r\nTo: Ana@Acme.example\r\n"
        + "Subject: Re: Welcome\r\nMessage-ID: <reply-1@example.com>\r\nIn-Reply-To: <ours-2@acme.example>\r\n"
        + "References: <ours-1@acme.example> <ours-2@acme.example>\r\nAuto-Submitted: auto-replied\r\n\r\n"
        + "Back on Monday.").getBytes(java.nio.charset.StandardCharsets.UTF_8));

    assertThat(mail).isEqualTo(raw);
    assertThat(mail.refersTo()).containsExactly("<ours-2@acme.example>", "<ours-1@acme.example>");
    assertThat(mail.from()).isEqualTo("pat@example.com");
    assertThat(mail.headers()).containsOnlyKeys("auto-submitted");
    assertThat(ReplyClassifier.classify(mail)).isInstanceOf(ReplyClassifier.Kind.AutoReply.class);
  }
}
