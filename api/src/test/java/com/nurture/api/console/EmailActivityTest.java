package com.nurture.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EmailActivityTest {
  private static final Instant T0 = Instant.parse("2026-11-01T09:00:00Z");

  private static EmailActivity.Sent sent(long id, String mid, String step, Instant at) {
    return new EmailActivity.Sent(id, "key-" + id, mid, step, "", "subject " + id, "sent", at, Optional.of(at));
  }

  @Test
  void eventsCountAgainstTheEmailTheyNameAndRepliesAgainstTheLatestEmailBeforeThem() {
    var welcome = sent(1, "<m1@acme>", "welcome", T0);
    var guide = sent(2, "<m2@acme>", "guide", T0.plusSeconds(3 * 86400));
    var held = new EmailActivity.Sent(3, "key-3", "", "tips", "b", "s", "held_out", T0.plusSeconds(6 * 86400), Optional.empty());
    List<EmailActivity.Event> events = List.of(
        new EmailActivity.Event("email_opened", T0.plusSeconds(3600), "m1@acme", false),
        new EmailActivity.Event("email_opened", T0.plusSeconds(3700), "<m1@acme>", true),
        new EmailActivity.Event("email_clicked", T0.plusSeconds(5 * 86400), "<m1@acme>", false),
        new EmailActivity.Event("replied", T0.plusSeconds(4 * 86400), "<m1@acme>", false),
        new EmailActivity.Event("bounced", T0.plusSeconds(3 * 86400 + 60), "<m2@acme>", false),
        new EmailActivity.Event("replied", T0.plusSeconds(40 * 86400), "", false));
    List<EmailActivity.Hit> hits = List.of(new EmailActivity.Hit("key-1", "open", false),
        new EmailActivity.Hit("key-1", "click", false), new EmailActivity.Hit("key-1", "click", true),
        new EmailActivity.Hit("key-2", "open", false));

    List<EmailActivity.Row> rows = EmailActivity.of(List.of(welcome, guide, held), events, hits);

    EmailActivity.Row w = rows.get(0);
    assertThat(w.delivery()).isEqualTo("delivered");
    assertThat(w.humanOpens()).as("the machine's open is not a person's").isEqualTo(1);
    assertThat(w.machineOpens()).isEqualTo(1);
    assertThat(w.humanClicks()).isEqualTo(1);
    assertThat(w.botClicks()).isEqualTo(1);
    assertThat(w.replies()).as("a reply counts against the latest email before it, whatever it names").isZero();
    EmailActivity.Row g = rows.get(1);
    assertThat(g.delivery()).isEqualTo("bounced");
    assertThat(g.replies()).isEqualTo(1);
    assertThat(g.machineOpens()).isEqualTo(1);
    assertThat(rows.get(2).delivery()).isEqualTo("held_out");
    assertThat(rows).as("a reply 37 days after the last email counts against none")
        .extracting(EmailActivity.Row::replies).containsExactly(0, 1, 0);
  }
}
