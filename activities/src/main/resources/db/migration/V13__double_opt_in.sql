-- Double opt-in: one confirmation per journey of a lead whose consent is pending. The token is in
-- the emailed link; only its SHA-256 is kept, so a database read does not give working links.
CREATE TABLE confirmations (
  token_sha256  text PRIMARY KEY,
  lead_id       text NOT NULL,
  journey_key   text NOT NULL UNIQUE,
  requested_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  message_id    text,
  sent_at       timestamptz,
  confirmed_at  timestamptz
);
CREATE INDEX confirmations_lead ON confirmations (lead_id);

-- A followed confirmation link is consent evidence too.
ALTER TABLE consent_evidence DROP CONSTRAINT IF EXISTS consent_evidence_choice_check;
ALTER TABLE consent_evidence ADD CONSTRAINT consent_evidence_choice_check
  CHECK (choice IN ('unsubscribe', 'fewer', 'pause', 'confirm'));
