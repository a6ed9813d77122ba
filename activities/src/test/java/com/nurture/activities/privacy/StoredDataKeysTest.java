package com.nurture.activities.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nurture.activities.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

class StoredDataKeysTest {
  private static final String MASTER = MasterKeys.generate();
  private final Jdbi jdbi = TestDatabase.jdbi();
  private final MasterKeys masters = MasterKeys.of("m-test", Map.of("m-test", MASTER));

  private static String lead() {
    return "keys-" + UUID.randomUUID();
  }

  @Test
  void aLeadHasOneKeyStoredWrappedAndFoundByEveryProcess() {
    String lead = lead();
    StoredDataKeys one = new StoredDataKeys(jdbi, masters);
    StoredDataKeys other = new StoredDataKeys(jdbi, masters);
    DataKey key = one.forLead(lead);
    assertThat(other.forLead(lead).keyId()).isEqualTo(key.keyId());
    assertThat(other.forLead(lead).key().getEncoded()).isEqualTo(key.key().getEncoded());
    assertThat(one.forLead(lead()).keyId()).isNotEqualTo(key.keyId());

    byte[] stored = jdbi.withHandle(h -> h.createQuery("SELECT wrapped_key FROM lead_keys WHERE key_id = :k")
        .bind("k", key.keyId()).mapTo(byte[].class).one());
    assertThat(stored).isNotEqualTo(key.key().getEncoded()).hasSizeGreaterThan(32);
    assertThat(other.find(key.keyId())).isEqualTo(new KeyLookup.Found(key));
  }

  /** Processes racing to create a new lead's key all end with the one that went in first. */
  @Test
  void processesRacingForANewLeadsKeyAllGetTheOneStored() throws Exception {
    String lead = lead();
    int processes = 8;
    CyclicBarrier start = new CyclicBarrier(processes);
    ExecutorService pool = Executors.newFixedThreadPool(processes);
    try {
      List<Future<DataKey>> keys = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        StoredDataKeys process = new StoredDataKeys(jdbi, masters);
        keys.add(pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return process.forLead(lead);
        }));
      }
      DataKey first = keys.get(0).get(30, TimeUnit.SECONDS);
      for (Future<DataKey> key : keys) {
        DataKey got = key.get(30, TimeUnit.SECONDS);
        assertThat(got.keyId()).isEqualTo(first.keyId());
        assertThat(got.key().getEncoded()).isEqualTo(first.key().getEncoded());
      }
      List<String> stored = jdbi.withHandle(h -> h.createQuery("SELECT key_id FROM lead_keys WHERE lead_id = :l")
          .bind("l", lead).mapTo(String.class).list());
      assertThat(stored).containsExactly(first.keyId());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void destroyingALeadsKeyMakesItDestroyedEverywhereAndTheNextKeyIsNew() {
    String lead = lead();
    StoredDataKeys keys = new StoredDataKeys(jdbi, masters);
    DataKey key = keys.forLead(lead);
    assertThat(keys.destroy(lead)).containsExactly(key.keyId());
    assertThat(keys.find(key.keyId())).isEqualTo(new KeyLookup.Destroyed(key.keyId()));
    assertThat(new StoredDataKeys(jdbi, masters).find(key.keyId())).isEqualTo(new KeyLookup.Destroyed(key.keyId()));
    assertThat(keys.destroy(lead)).as("a repeat destroys nothing more").isEmpty();
    assertThat(keys.find("k-" + UUID.randomUUID())).isInstanceOf(KeyLookup.Unknown.class);
    assertThat(keys.forLead(lead).keyId()).isNotEqualTo(key.keyId());
  }

  /**
   * A journey's workflow task decodes its history with its lead's key (found by id), then encodes its
   * next payloads with the same key (by lead): one read of the key, not two. Shown by taking the key out
   * of the database behind the process's back after the first read: the lead's key is still the one
   * found, where a second read would make the lead a new key.
   */
  @Test
  void aLeadsKeyFoundByItsIdIsItsLeadsKeyWithoutAnotherRead() {
    String lead = lead();
    DataKey key = new StoredDataKeys(jdbi, masters).forLead(lead);
    StoredDataKeys process = new StoredDataKeys(jdbi, masters);
    assertThat(process.find(key.keyId())).isEqualTo(new KeyLookup.Found(key));
    jdbi.useHandle(h -> h.createUpdate("DELETE FROM lead_keys WHERE key_id = :k").bind("k", key.keyId()).execute());
    assertThat(process.forLead(lead)).isEqualTo(key);
    assertThat(new StoredDataKeys(jdbi, masters).forLead(lead).keyId()).as("a process that did not read it makes a new one")
        .isNotEqualTo(key.keyId());
  }

  /**
   * The lead is erased by this process between the read of its key (live then) and the moment the key
   * would be kept: the key is not kept, so the process does not find it live afterwards, and the lead
   * stored again gets a new key. The clock's second reading, which {@code find} takes after its read,
   * runs the erasure.
   */
  @Test
  void aKeyReadJustBeforeItsLeadIsErasedIsNotKept() {
    String lead = lead();
    DataKey key = new StoredDataKeys(jdbi, masters).forLead(lead);
    StoredDataKeys[] process = new StoredDataKeys[1];
    int[] readings = {0};
    Clock clock = new Clock() {
      @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public java.time.Instant instant() {
        if (++readings[0] == 2) {
          process[0].destroy(lead);
        }
        return java.time.Instant.parse("2026-01-01T00:00:00Z");
      }
    };
    process[0] = new StoredDataKeys(jdbi, masters, 100, Duration.ofMinutes(5), clock);
    assertThat(process[0].find(key.keyId())).as("read while live").isEqualTo(new KeyLookup.Found(key));
    assertThat(readings[0]).isGreaterThanOrEqualTo(2);
    assertThat(process[0].find(key.keyId())).isEqualTo(new KeyLookup.Destroyed(key.keyId()));
    assertThat(process[0].forLead(lead).keyId()).isNotEqualTo(key.keyId());
  }

  @Test
  void aRetiredMasterKeyStillUnwrapsAndAMissingOneIsNamed() {
    String lead = lead();
    DataKey key = new StoredDataKeys(jdbi, masters).forLead(lead);
    MasterKeys rotated = MasterKeys.of("m-next", Map.of("m-next", MasterKeys.generate(), "m-test", MASTER));
    assertThat(new StoredDataKeys(jdbi, rotated).find(key.keyId())).isEqualTo(new KeyLookup.Found(key));
    MasterKeys forgotten = MasterKeys.of("m-next", Map.of("m-next", MasterKeys.generate()));
    assertThatThrownBy(() -> new StoredDataKeys(jdbi, forgotten).find(key.keyId()))
        .hasMessageContaining("master key 'm-test' is not configured");
  }

  @Test
  void aMalformedMasterKeyIsRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> MasterKeys.of("k1", Map.of("k1", "c2hvcnQ=")))
        .hasMessageContaining("32 bytes").hasMessageNotContaining("c2hvcnQ=");
    assertThatThrownBy(() -> MasterKeys.of("k1", Map.of())).hasMessageContaining("NURTURE_MASTER_KEY");
  }

  @Test
  void theKeysInMemoryAreBoundedAndExpire() {
    Clock[] now = {Clock.fixed(java.time.Instant.parse("2026-01-01T00:00:00Z"), java.time.ZoneOffset.UTC)};
    Clock clock = new Clock() {
      @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
      @Override public Clock withZone(java.time.ZoneId zone) { return this; }
      @Override public java.time.Instant instant() { return now[0].instant(); }
    };
    StoredDataKeys keys = new StoredDataKeys(jdbi, masters, 3, Duration.ofMinutes(5), clock);
    for (int i = 0; i < 10; i++) {
      keys.forLead(lead());
    }
    assertThat(keys.cachedKeys()).isLessThanOrEqualTo(6);

    // A key destroyed by another process is gone from this one's memory once its lifetime is over.
    String lead = lead();
    DataKey key = keys.forLead(lead);
    new StoredDataKeys(jdbi, masters).destroy(lead);
    assertThat(keys.find(key.keyId())).isInstanceOf(KeyLookup.Found.class);
    now[0] = Clock.offset(now[0], Duration.ofMinutes(6));
    assertThat(keys.find(key.keyId())).isEqualTo(new KeyLookup.Destroyed(key.keyId()));
  }
}
