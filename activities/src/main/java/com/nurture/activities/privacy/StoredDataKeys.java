package com.nurture.activities.privacy;

import com.nurture.activities.db.FluentStatement;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * The data keys in PostgreSQL ({@code lead_keys}), wrapped by the master keys, with the unwrapped
 * keys kept in memory: at most {@code capacity} of them, each for at most {@code lifetime} (so a key
 * another process destroyed is gone from this one's memory within that time too).
 */
public final class StoredDataKeys implements DataKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The names of live keys in {@code byLead}: a lead's, and the shared one. */
  private static final String LEAD = "lead:";
  private static final String SHARED = "shared";
  /**
   * Read on JDBI's fluent API, not through {@link LeadKeyDao} on demand: a journey's workflow task reads
   * its lead's key whenever the cache no longer holds it, and the on-demand DAO's attach was most of
   * that read's CPU (docs/benchmarks.md, "2026-12-07 06:23-09:07").
   */
  private static final RowMapper<LeadKeyDao.Row> ROW = (rs, ctx) ->
      new LeadKeyDao.Row(rs.getString("key_id"), rs.getString("master_key_id"), rs.getBytes("wrapped_key"));
  private final Jdbi jdbi;
  private final MasterKeys masters;
  private final Clock clock;
  private final Duration lifetime;
  private final BoundedCache byLead;
  private final BoundedCache byId;
  /** How many times this process destroyed a lead's keys; also the lock under which keys are kept or forgotten. */
  private final AtomicLong destroys = new AtomicLong();

  public StoredDataKeys(Jdbi jdbi, MasterKeys masters, int capacity, Duration lifetime, Clock clock) {
    this.jdbi = jdbi;
    this.masters = masters;
    this.clock = clock;
    this.lifetime = lifetime;
    this.byLead = new BoundedCache(capacity);
    this.byId = new BoundedCache(capacity);
  }

  public StoredDataKeys(Jdbi jdbi, MasterKeys masters) {
    this(jdbi, masters, 10_000, Duration.ofMinutes(5), Clock.systemUTC());
  }

  @Override
  public DataKey forLead(String leadId) {
    return liveKey(LEAD + leadId, () -> live(
        () -> jdbi.withHandle(h -> FluentStatement.query(h, LeadKeyDao.LIVE_FOR_LEAD, LeadKeyDao.class, "liveForLead")
            .bind("leadId", leadId).map(ROW).findFirst()),
        (id, wrapped) -> jdbi.onDemand(LeadKeyDao.class).insertForLead(id, leadId, masters.activeId(), wrapped)));
  }

  @Override
  public DataKey shared() {
    return liveKey(SHARED, () -> live(
        () -> jdbi.onDemand(LeadKeyDao.class).liveShared(),
        (id, wrapped) -> jdbi.onDemand(LeadKeyDao.class).insertShared(id, masters.activeId(), wrapped)));
  }

  /** The live key named {@code name} in {@code byLead}, else loaded and kept. */
  private DataKey liveKey(String name, Supplier<DataKey> load) {
    Optional<DataKey> cached = byLead.peek(name, clock.instant());
    if (cached.isPresent()) {
      return cached.get();
    }
    long destroysBefore = destroys.get();
    DataKey key = load.get();
    keep(destroysBefore, name, key);
    return key;
  }

  @Override
  public KeyLookup find(String keyId) {
    Optional<DataKey> cached = byId.peek(keyId, clock.instant());
    if (cached.isPresent()) {
      return new KeyLookup.Found(cached.get());
    }
    long destroysBefore = destroys.get();
    Optional<Stored> stored = jdbi.withHandle(h -> FluentStatement.query(h, LeadKeyDao.BY_ID, LeadKeyDao.class, "byId")
        .bind("keyId", keyId).map((rs, ctx) -> new Stored(ROW.map(rs, ctx), Optional.ofNullable(rs.getString("lead_id"))))
        .findFirst());
    if (stored.isEmpty()) {
      return new KeyLookup.Unknown(keyId);
    }
    if (stored.get().row().wrappedKey() == null) {
      return new KeyLookup.Destroyed(keyId);
    }
    DataKey key = unwrap(stored.get().row());
    // Not destroyed, so it is its lead's live key (lead_keys_live): a journey whose history was just
    // decoded with it encodes its next payloads without reading it again.
    keep(destroysBefore, stored.get().leadId().map(lead -> LEAD + lead).orElse(SHARED), key);
    return new KeyLookup.Found(key);
  }

  /**
   * Keeps a key read from the database as {@code name}'s live key and by its id, unless this process
   * destroyed a key since {@code destroysBefore} (taken before the read): the read may have seen the
   * key live just before that destroy took it, and kept now it would outlive the erasure here by the
   * cache lifetime (and a lead stored again under the same id would get the destroyed key).
   */
  private void keep(long destroysBefore, String name, DataKey key) {
    Instant now = clock.instant();
    synchronized (destroys) {
      if (destroys.get() == destroysBefore) {
        byId.put(key.keyId(), key, now);
        byLead.put(name, key, now);
      }
    }
  }

  /** A key's row and its lead (empty: the shared key). */
  private record Stored(LeadKeyDao.Row row, Optional<String> leadId) {}

  /**
   * Destroys the lead's key in the database and forgets it here. Other processes forget it within
   * the cache lifetime. @return the ids of the keys destroyed (empty when the lead had none live)
   */
  public List<String> destroy(String leadId) {
    List<String> destroyed = jdbi.onDemand(LeadKeyDao.class).destroy(leadId);
    synchronized (destroys) {
      destroys.incrementAndGet();
      byLead.remove(LEAD + leadId);
      destroyed.forEach(byId::remove);
    }
    return destroyed;
  }

  /** Inserts a new live key unless one is live already. @return rows inserted: 1, or 0 when one was */
  private interface Insert {
    int insert(String keyId, byte[] wrapped);
  }

  private DataKey live(Supplier<Optional<LeadKeyDao.Row>> read, Insert insert) {
    Optional<LeadKeyDao.Row> row = read.get();
    if (row.isEmpty()) {
      byte[] bytes = new byte[32];
      RANDOM.nextBytes(bytes);
      String keyId = "k-" + UUID.randomUUID();
      if (insert.insert(keyId, masters.wrap(bytes)) == 1) { // ours is the live key: no read back, no unwrap
        return new DataKey(keyId, new SecretKeySpec(bytes, "AES"));
      }
      row = read.get(); // a racing process inserted its key first: that one is live
    }
    return unwrap(row.orElseThrow(() -> new IllegalStateException("a data key was inserted but cannot be read")));
  }

  private DataKey unwrap(LeadKeyDao.Row row) {
    return new DataKey(row.keyId(), new SecretKeySpec(masters.unwrap(row.masterKeyId(), row.wrappedKey()), "AES"));
  }

  /** A least-recently-used map with a bound and an entry lifetime. */
  private final class BoundedCache {
    private record Entry(DataKey key, Instant until) {}

    private final Map<String, Entry> entries;

    BoundedCache(int capacity) {
      this.entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
          return size() > capacity;
        }
      };
    }

    synchronized Optional<DataKey> peek(String name, Instant now) {
      Entry e = entries.get(name);
      if (e == null || !now.isBefore(e.until())) {
        entries.remove(name);
        return Optional.empty();
      }
      return Optional.of(e.key());
    }

    synchronized void put(String name, DataKey key, Instant now) {
      entries.put(name, new Entry(key, now.plus(lifetime)));
    }

    synchronized void remove(String name) {
      entries.remove(name);
    }

    synchronized int size() {
      return entries.size();
    }
  }

  /** How many keys are held in memory (for the test of the bound). */
  public int cachedKeys() {
    return byLead.size() + byId.size();
  }
}
