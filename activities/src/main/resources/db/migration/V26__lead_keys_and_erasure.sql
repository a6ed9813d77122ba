-- Personal data (docs/privacy.md).
-- lead_keys: the data keys that encrypt Temporal payloads (workflow inputs, signals, activity
-- inputs and results), one live key per lead and one shared key (lead_id NULL) for payloads tied to
-- no lead. Each key is random (AES-256), stored wrapped (AES-GCM) by the master key named in
-- master_key_id. Erasing a lead destroys its key: wrapped_key becomes NULL and destroyed_at is set,
-- the row stays so a payload naming the key fails with "destroyed", not "unknown".
CREATE TABLE lead_keys (
  key_id         text PRIMARY KEY,
  lead_id        text,
  master_key_id  text NOT NULL,
  wrapped_key    bytea,
  created_at     timestamptz NOT NULL DEFAULT now(),
  destroyed_at   timestamptz,
  CHECK ((wrapped_key IS NULL) = (destroyed_at IS NOT NULL))
);
CREATE UNIQUE INDEX lead_keys_live ON lead_keys (lead_id) WHERE destroyed_at IS NULL;
CREATE UNIQUE INDEX lead_keys_shared ON lead_keys ((lead_id IS NULL)) WHERE lead_id IS NULL AND destroyed_at IS NULL;

-- An erased lead keeps its row (ids only, every personal field emptied) so a repeated DELETE is
-- answered 204 and a PUT of the same id starts a new lead.
ALTER TABLE leads ADD COLUMN erased_at timestamptz;
