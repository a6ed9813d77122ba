package com.nurture.activities.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.activities.TestDatabase;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The fluent statements of the hot paths (SendStatements, LeadReads) answer exactly what the DAO
 * methods they stand in for answer, on the same rows: the written-out row mappers read every column
 * the constructor mappers read.
 */
class FluentStatementsTest {
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
      assertThat(LeadReads.lead(h, lead)).isPresent().isEqualTo(h.attach(LeadDao.class).find(lead));
      assertThat(LeadReads.lead(h, lead).orElseThrow().attributes()).containsEntry("score", 42);
      SendStatements.ClaimRead read = SendStatements.claimRead(h, key, lead);
      SendStatements.Recipient recipient = read.recipient().orElseThrow();
      assertThat(recipient.lead()).isEqualTo(h.attach(LeadDao.class).find(lead).orElseThrow());
      assertThat(recipient.preference()).isPresent().isEqualTo(h.attach(PreferenceDao.class).find(lead));
      assertThat(recipient.suppressed()).isFalse();
      assertThat(read.message()).isPresent().isEqualTo(h.attach(MessageDao.class).lockByKey(key));
      assertThat(read.message().orElseThrow().sentAt()).isEmpty();
      // A retry whose lead is gone (erased) still finds its ledger row; a first attempt finds none.
      SendStatements.ClaimRead noLead = SendStatements.claimRead(h, key, "no-such-lead");
      assertThat(noLead.recipient()).isEmpty();
      assertThat(noLead.message()).isEqualTo(read.message());
      SendStatements.ClaimRead first = SendStatements.claimRead(h, key + "-other", lead);
      assertThat(first.message()).isEmpty();
      assertThat(first.recipient()).isEqualTo(read.recipient());
      assertThat(SendStatements.claimRead(h, key + "-other", "no-such-lead"))
          .isEqualTo(new SendStatements.ClaimRead(Optional.empty(), Optional.empty()));
    });

    Instant sent = Instant.now().truncatedTo(ChronoUnit.MICROS);
    jdbi.useHandle(h -> SendStatements.markSent(h, key, sent));
    jdbi.useHandle(h -> {
      MessageRow row = SendStatements.claimRead(h, key, lead).message().orElseThrow();
      assertThat(row).isEqualTo(h.attach(MessageDao.class).lockByKey(key).orElseThrow());
      assertThat(row.status()).isEqualTo("sent");
      assertThat(row.sentAt()).contains(sent);
      assertThat(SendStatements.replyToken(h, key, "first")).contains("first");
      assertThat(SendStatements.replyToken(h, key, "second")).as("a retry keeps the first attempt's").contains("first");
      assertThat(SendStatements.replyToken(h, "no-such-key", "x")).isEmpty();
    });
  }

  @Test
  void aLeadsJourneyRowAndRecentEventsReadAsTheirDaosReadThem() {
    String lead = "lead-reads-" + UUID.randomUUID();
    jdbi.useTransaction(h -> {
      h.attach(LeadDao.class).upsert(lead, lead + "@example.com", "", "", Map.of());
      assertThat(LeadReads.journey(h, lead)).isEmpty();
      h.attach(JourneyDao.class).insertIfAbsent(lead, "lead-" + lead, "run-1", "onboarding", 2, "ACTIVE", "welcome",
          Instant.now());
      h.execute("UPDATE journeys SET score = 17, next_action_at = now() + interval '2 days' WHERE lead_id = ?", lead);
    });
    for (int i = 0; i < 4; i++) { // each in its own transaction: received_at (now()) orders them
      int visit = i;
      jdbi.useHandle(h -> h.attach(EventDao.class).insert(lead, "e" + visit, "page_visited",
          Instant.now().minusSeconds(60 - visit), Map.of("page", "pricing", "visit", visit)));
    }
    jdbi.useHandle(h -> {
      JourneyRow row = LeadReads.journey(h, lead).orElseThrow();
      assertThat(row).isEqualTo(h.attach(JourneyDao.class).find(lead).orElseThrow());
      assertThat(row.score()).isEqualTo(17);
      assertThat(row.nextActionAt()).isPresent();
      List<EventRow> recent = LeadReads.recentEvents(h, lead, 3);
      assertThat(recent).isEqualTo(h.attach(EventDao.class).recent(lead, 3));
      assertThat(recent).extracting(EventRow::id).containsExactly("e1", "e2", "e3");
      assertThat(recent.get(2).properties()).containsEntry("visit", 3);
    });
  }

  @Test
  void aJsonColumnsMapperIsResolvedOncePerJdbiAndSharedByItsHandles() {
    JsonObjectColumn.ResolvedMapper shared = jdbi.getConfig(JsonObjectColumn.ResolvedMapper.class);
    String lead = "json-column-" + UUID.randomUUID();
    jdbi.useHandle(h -> {
      h.attach(LeadDao.class).upsert(lead, lead + "@example.com", "", "", Map.of("plan", "pro", "seats", 12));
      assertThat(h.getConfig(JsonObjectColumn.ResolvedMapper.class)).isSameAs(shared);
      assertThat(LeadReads.lead(h, lead).orElseThrow().attributes()).containsEntry("plan", "pro").containsEntry("seats", 12);
    });
    jdbi.useHandle(h -> assertThat(h.createQuery("SELECT 1").getConfig(JsonObjectColumn.ResolvedMapper.class))
        .as("a statement's copy of the configuration").isSameAs(shared));
  }

  @Test
  void anAddressIsSuppressedByItselfInAnyCaseOrByItsHash() {
    String plain = "send-statements-" + UUID.randomUUID() + "@example.com";
    String erased = "send-statements-" + UUID.randomUUID() + "@example.com";
    jdbi.useHandle(h -> {
      LeadDao leads = h.attach(LeadDao.class);
      leads.upsert("lead-" + plain, plain.toUpperCase(), "", "opt_in", Map.of());
      leads.upsert("lead-" + erased, erased, "", "opt_in", Map.of());
      leads.upsert("lead-other-" + plain, "other-" + plain, "", "opt_in", Map.of());
      assertThat(LeadReads.suppressed(h, plain)).isFalse();
      assertThat(recipient(h, "lead-" + plain).suppressed()).isFalse();
      h.attach(SuppressionDao.class).suppress(plain, "asked by phone", "");
      h.createUpdate("INSERT INTO suppressions (email, reason) VALUES (" + SuppressionDao.HASHED + ", 'erased')")
          .bind("email", erased).execute();
      assertThat(LeadReads.suppressed(h, plain.toUpperCase())).isTrue();
      assertThat(LeadReads.suppressed(h, erased)).as("kept only as its hash").isTrue();
      assertThat(LeadReads.suppressed(h, "other-" + plain)).isFalse();
      // The send's read of its lead says the same of the lead's own address.
      assertThat(recipient(h, "lead-" + plain).suppressed()).isTrue();
      assertThat(recipient(h, "lead-" + erased).suppressed()).isTrue();
      assertThat(recipient(h, "lead-other-" + plain).suppressed()).isFalse();
      assertThat(recipient(h, "lead-" + plain).preference()).isEmpty();
    });
  }

  @Test
  void theClaimsReadLocksTheLedgerRowUntilItsTransactionEnds() {
    String lead = "claim-read-" + UUID.randomUUID();
    String key = lead + "/welcome/1";
    jdbi.useHandle(h -> {
      h.attach(LeadDao.class).upsert(lead, lead + "@example.com", "", "opt_in", Map.of());
      SendStatements.claim(h, key, lead, lead + "@example.com", "onboarding", 1, "welcome", "onboarding-welcome", "",
          "Welcome", "retrying", "<m@acme.example>");
    });
    String lockMessage = "SELECT 1 FROM messages WHERE idempotency_key = :key FOR UPDATE NOWAIT";
    jdbi.useTransaction(h -> {
      assertThat(SendStatements.claimRead(h, key, lead).message()).isPresent();
      assertThatThrownBy(() -> elsewhere(lockMessage, key))
          .as("another attempt of the same send waits for this one").hasMessageContaining("could not obtain lock");
      assertThat(elsewhere("SELECT 1 FROM leads WHERE id = :key FOR UPDATE NOWAIT", lead))
          .as("the lead is read, not locked").isEqualTo(1);
    });
    assertThat(elsewhere(lockMessage, key)).as("the lock ends with the claim's transaction").isEqualTo(1);
  }

  /**
   * {@code sql}'s one row on another connection, from another thread: on this one, JDBI hands a nested
   * {@code useHandle} the handle the thread already has open.
   */
  private int elsewhere(String sql, String key) {
    try {
      return CompletableFuture.supplyAsync(() -> jdbi.withHandle(h -> h.createQuery(sql).bind("key", key)
          .mapTo(int.class).one())).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  @Test
  void aFirstClaimRecordsItsRowLinksAndReplyTokenInOneStatementAndOnlyOnce() {
    String lead = "claim-sending-" + UUID.randomUUID();
    String key = lead + "/welcome/1";
    List<LinkToken> offered = List.of(new LinkToken("tok-a-" + key, "click", "https://acme.example/pricing"),
        new LinkToken("tok-b-" + key, "open", ""));
    jdbi.useTransaction(h -> {
      SendStatements.FirstClaim first = SendStatements.claimSending(h, key, lead, lead + "@example.com", "onboarding", 2,
          "welcome", "onboarding-welcome", "b", "Welcome", "<m@acme.example>", Optional.of("reply-" + key), offered);
      assertThat(first.claimed()).isEqualTo(1);
      assertThat(first.links()).containsExactlyInAnyOrderElementsOf(offered);
      MessageRow row = h.attach(MessageDao.class).lockByKey(key).orElseThrow();
      assertThat(row).extracting(MessageRow::leadId, MessageRow::email, MessageRow::programId, MessageRow::programVersion,
          MessageRow::stepId, MessageRow::template, MessageRow::variant, MessageRow::subject, MessageRow::status,
          MessageRow::messageId).containsExactly(lead, lead + "@example.com", "onboarding", 2, "welcome",
          "onboarding-welcome", "b", "Welcome", "sending", "<m@acme.example>");
      assertThat(SendStatements.replyToken(h, key, "later")).as("a retry reads the first attempt's").contains("reply-" + key);
      assertThat(h.attach(TrackingDao.class).forMessage(key)).extracting(TrackedLink::token)
          .containsExactlyInAnyOrder("tok-a-" + key, "tok-b-" + key);

      SendStatements.FirstClaim again = SendStatements.claimSending(h, key, lead, lead + "@example.com", "onboarding", 2,
          "welcome", "onboarding-welcome", "b", "Welcome", "<m@acme.example>", Optional.empty(),
          List.of(new LinkToken("tok-c-" + key, "click", "https://acme.example/pricing")));
      assertThat(again.claimed()).as("the key is claimed once").isZero();
      assertThat(again.links()).as("the link's first token").containsExactly(offered.get(0));
    });

    String bare = lead + "/plain/1";
    jdbi.useHandle(h -> {
      SendStatements.FirstClaim noLinks = SendStatements.claimSending(h, bare, lead, lead + "@example.com", "onboarding",
          2, "plain", "onboarding-plain", "", "Plain", "<p@acme.example>", Optional.empty(), List.of());
      assertThat(noLinks).isEqualTo(new SendStatements.FirstClaim(1, List.of()));
      assertThat(SendStatements.replyToken(h, bare, "later")).as("none until a retry asks").contains("later");
    });
  }

  @Test
  void aMessagesLinksAreIssuedInOneStatementAndARetryGetsTheTokensRecordedFirst() {
    String key = "send-statements-" + UUID.randomUUID() + "/welcome/1";
    jdbi.useHandle(h -> {
      List<LinkToken> first = SendStatements.issueLinks(h, key, "<m@acme.example>", "lead", "onboarding", 1, "welcome",
          "onboarding-welcome", "", List.of(new LinkToken("tok-a-" + key, "click", "https://acme.example/pricing"),
              new LinkToken("tok-b-" + key, "open", "")));
      assertThat(first).containsExactlyInAnyOrder(new LinkToken("tok-a-" + key, "click", "https://acme.example/pricing"),
          new LinkToken("tok-b-" + key, "open", ""));
      List<LinkToken> again = SendStatements.issueLinks(h, key, "<m@acme.example>", "lead", "onboarding", 1, "welcome",
          "onboarding-welcome", "", List.of(new LinkToken("tok-c-" + key, "click", "https://acme.example/pricing"),
              new LinkToken("tok-d-" + key, "click", "https://acme.example/docs")));
      assertThat(again).as("a retry gets the token its first attempt recorded; a new link its own").containsExactlyInAnyOrder(
          new LinkToken("tok-a-" + key, "click", "https://acme.example/pricing"),
          new LinkToken("tok-d-" + key, "click", "https://acme.example/docs"));
      assertThat(h.attach(TrackingDao.class).forMessage(key)).hasSize(3).allSatisfy(l -> {
        assertThat(l.leadId()).isEqualTo("lead");
        assertThat(l.messageId()).isEqualTo("<m@acme.example>");
        assertThat(l.programId()).isEqualTo("onboarding");
        assertThat(l.template()).isEqualTo("onboarding-welcome");
      });
    });
  }

  private static SendStatements.Recipient recipient(Handle h, String leadId) {
    return SendStatements.claimRead(h, leadId + "/no-message", leadId).recipient().orElseThrow();
  }
}
