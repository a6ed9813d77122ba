-- Operators manage the suppression list through the API (GET/PUT/DELETE /v1/suppressions, CSV
-- import). Each suppression says where it came from and who added it; the list pages newest first
-- by id. Every change an operator makes is audited in suppression_audit (who: the API key's name,
-- when, why), so a removed suppression - an address that may be mailed again - is never silent.
ALTER TABLE suppressions ADD COLUMN id bigserial;
ALTER TABLE suppressions ADD COLUMN source text;
ALTER TABLE suppressions ADD COLUMN added_by text;
CREATE UNIQUE INDEX suppressions_id ON suppressions (id);

CREATE TABLE suppression_audit (
  id                 bigserial PRIMARY KEY,
  email              text NOT NULL,
  action             text NOT NULL CHECK (action IN ('added', 'removed')),
  reason             text NOT NULL,
  source             text,
  actor              text NOT NULL,
  -- for a removal: what the suppression said when it was removed
  suppressed_reason  text,
  suppressed_at      timestamptz,
  at                 timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX suppression_audit_email ON suppression_audit (email, id);
