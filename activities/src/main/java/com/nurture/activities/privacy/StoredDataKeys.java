package com.nurture.activities.privacy;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import javax.crypto.spec.SecretKeySpec;
import org.jdbi.v3.core.Jdbi;

/**
 * The data keys in PostgreSQL ({@code lead_keys}), wrapped by the master keys, with the unwrapped
 * keys kept in memory: at most {@code capacity} of them, each for at most {@code lifetime} (so a key
 * another process destroyed is gone from this one's memory within that time too).
 */
public final class StoredDataKeys implements DataKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Jdbi jdbi;
  private final MasterKeys masters;
  private final Clock clock;
  private final Duration lifetime;
  private final BoundedCache byLead;
  private final BoundedCache byId;

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
    return byLead.get("lead:" + leadId, clock.instant(), () -> live(
        () -> jdbi.onDemand(LeadKeyDao.class).liveForLead(leadId),
        (id, wrapped) -> jdbi.onDemand(LeadKeyDao.class).insertForLead(id, leadId, masters.activeId(), wrapped)));
  }

  @Override
  public DataKey shared() {
    return byLead.get("shared", clock.instant(), () -> live(
        () -> jdbi.onDemand(LeadKeyDao.class).liveShared(),
        (id, wrapped) -> jdbi.onDemand(LeadKeyDao.class).insertShared(id, masters.activeId(), wrapped)));
  }

  @Override
  public KeyLookup find(String keyId) {
    Optional<DataKey> cached = byId.peek(keyId, clock.instant());
    if (cached.isPresent()) {
      return new KeyLookup.Found(cached.get());
    }
    Optional<LeadKeyDao.Row> row = jdbi.onDemand(LeadKeyDao.class).byId(keyId);
    if (row.isEmpty()) {
      return new KeyLookup.Unknown(keyId);
    }
    if (row.get().wrappedKey() == null) {
      return new KeyLookup.Destroyed(keyId);
    }
    DataKey key = unwrap(row.get());
    byId.put(keyId, key, clock.instant());
    return new KeyLookup.Found(key);
  }

  /**
   * Destroys the lead's key in the database and forgets it here. Other processes forget it within
   * the cache lifetime. @return the ids of the keys destroyed (empty when the lead had none live)
   */
  public List<String> destroy(String leadId) {
    List<String> destroyed = jdbi.onDemand(LeadKeyDao.class).destroy(leadId);
    byLead.remove("lead:" + leadId);
    destroyed.forEach(byId::remove);
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
        DataKey key = new DataKey(keyId, new SecretKeySpec(bytes, "AES"));
        byId.put(keyId, key, clock.instant());
        return key;
      }
      row = read.get(); // a racing process inserted its key first: that one is live
    }
    DataKey key = unwrap(row.orElseThrow(() -> new IllegalStateException("a data key was inserted but cannot be read")));
    byId.put(key.keyId(), key, clock.instant());
    return key;
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

    DataKey get(String name, Instant now, Supplier<DataKey> load) {
      Optional<DataKey> found = peek(name, now);
      if (found.isPresent()) {
        return found.get();
      }
      DataKey key = load.get();
      put(name, key, now);
      return key;
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
