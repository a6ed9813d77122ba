package com.nurture.activities.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.nurture.activities.TestDatabase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The send path's statements answer exactly what the DAO methods they stand in for answer, on the
 * same rows: the hand-written row mappers read every column the constructor mappers read.
 */
class SendStatementsTest {
  private final Jdbi jdbi = TestDatabase.jdbi();

  @Test
  void theSendPathReadsWhatTheDaosRead() {
    String lead = "send-statements-" + UUID.randomUUID();
    String key = lead + "/welcome/1";
    Instant pause = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
    jdbi.useTransaction(h -> {
      h.attach(LeadDao.class).upsert(lead, lead + "@Example.com", "Europe/Berlin", "opt_in",
          Map.of("first_name", "Kim", "score", 42, "tags", List.of("a", "b")));
      h.attach(PreferenceDao.class).set(lead, LeadPreference.PAUSED, pause, Instant.now());
      assertThat(SendStatements.claim(h, key, lead, lead + "@example.com", "onboarding", 3, "welcome", "onboarding-welcome",
          "b", "Welcome", "sending", "<m1@acme.example>")).isEqualTo(1);
      assertThat(SendStatements.claim(h, key, lead, lead + "@example.com", "onboarding", 3, "welcome", "onboarding-welcome",
          "b", "Welcome", "sending", "<m1@acme.example>")).as("the key is claimed once").isZero();
    });

    jdbi.useTransaction(h -> {
      assertThat(SendStatements.lead(h, lead)).isPresent().isEqualTo(h.attach(LeadDao.class).find(lead));
      assertThat(SendStatements.lead(h, lead).orElseThrow().attributes()).containsEntry("score", 42);
      assertThat(SendStatements.preference(h, lead)).isPresent().isEqualTo(h.attach(PreferenceDao.class).find(lead));
      assertThat(SendStatements.preference(h, "no-such-lead")).isEmpty();
      assertThat(SendStatements.lockMessage(h, key)).isPresent().isEqualTo(h.attach(MessageDao.class).lockByKey(key));
      assertThat(SendStatements.lockMessage(h, key).orElseThrow().sentAt()).isEmpty();
    });

    Instant sent = Instant.now().truncatedTo(ChronoUnit.MICROS);
    jdbi.useHandle(h -> SendStatements.markSent(h, key, sent));
    jdbi.useHandle(h -> {
      MessageRow row = SendStatements.lockMessage(h, key).orElseThrow();
      assertThat(row).isEqualTo(h.attach(MessageDao.class).lockByKey(key).orElseThrow());
      assertThat(row.status()).isEqualTo("sent");
      assertThat(row.sentAt()).contains(sent);
    });
  }

  @Test
  void anAddressIsSuppressedByItselfInAnyCaseOrByItsHash() {
    String plain = "send-statements-" + UUID.randomUUID() + "@example.com";
    String erased = "send-statements-" + UUID.randomUUID() + "@example.com";
    jdbi.useHandle(h -> {
      assertThat(SendStatements.suppressed(h, plain)).isFalse();
      h.attach(SuppressionDao.class).suppress(plain, "asked by phone", "");
      h.createUpdate("INSERT INTO suppressions (email, reason) VALUES (" + SuppressionDao.HASHED + ", 'erased')")
          .bind("email", erased).execute();
      assertThat(SendStatements.suppressed(h, plain.toUpperCase())).isTrue();
      assertThat(SendStatements.suppressed(h, erased)).as("kept only as its hash").isTrue();
      assertThat(SendStatements.suppressed(h, "other-" + plain)).isFalse();
    });
  }

  @Test
  void aLinkIsIssuedOnceForItsMessageKindAndUrl() {
    String key = "send-statements-" + UUID.randomUUID() + "/welcome/1";
    jdbi.useHandle(h -> {
      String first = SendStatements.issueLink(h, "tok-" + UUID.randomUUID(), key, "<m@acme.example>", "lead", "onboarding",
          1, "welcome", "onboarding-welcome", "", "click", "https://acme.example/pricing");
      String again = SendStatements.issueLink(h, "tok-" + UUID.randomUUID(), key, "<m@acme.example>", "lead", "onboarding",
          1, "welcome", "onboarding-welcome", "", "click", "https://acme.example/pricing");
      String other = SendStatements.issueLink(h, "tok-" + UUID.randomUUID(), key, "<m@acme.example>", "lead", "onboarding",
          1, "welcome", "onboarding-welcome", "", "click", "https://acme.example/docs");
      assertThat(again).as("a retry gets the token its first attempt recorded").isEqualTo(first);
      assertThat(other).isNotEqualTo(first);
    });
  }
}
