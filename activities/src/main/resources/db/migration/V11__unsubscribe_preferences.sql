-- Unsubscribe page choices short of leaving for good: 'fewer' (at most one email per 30 days) or
-- 'paused' (nothing until paused_until). The send path (SmtpEmailActivities) reads it on every send.
CREATE TABLE lead_preferences (
  lead_id       text PRIMARY KEY,
  mode          text NOT NULL CHECK (mode IN ('fewer', 'paused')),
  paused_until  timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Consent evidence for every choice made on the unsubscribe page: when, through which token, the
-- user agent, and a keyed hash of the IP address (never the address itself).
CREATE TABLE consent_evidence (
  id          bigserial PRIMARY KEY,
  lead_id     text NOT NULL,
  choice      text NOT NULL CHECK (choice IN ('unsubscribe', 'fewer', 'pause')),
  token       text NOT NULL,
  user_agent  text,
  ip_hash     text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consent_evidence_lead ON consent_evidence (lead_id, id);

-- A send the lead's own preference held back (paused, or already mailed within the last 30 days).
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check
  CHECK (status IN ('sending', 'sent', 'retrying', 'failed', 'unknown', 'suppressed', 'held_out',
                    'suppressed_by_preference'));
