-- Click and open tracking (DESIGN section 10). Every tracked link of a sent message is an opaque,
-- random token standing for the message and the original URL: the token carries nothing readable,
-- and /t/c/{token} redirects only to the URL recorded here. Rows are written in the send's claim
-- transaction, keyed by (message, kind, url), so a retried send reuses the tokens it issued first.
CREATE TABLE tracked_links (
  token            text PRIMARY KEY,
  idempotency_key  text NOT NULL,
  message_id       text NOT NULL,
  lead_id          text NOT NULL,
  program_id       text NOT NULL,
  program_version  integer NOT NULL,
  step_id          text NOT NULL,
  template         text NOT NULL,
  variant          text NOT NULL DEFAULT '',
  kind             text NOT NULL CHECK (kind IN ('click', 'open', 'honeypot')),
  url              text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (idempotency_key, kind, url)
);

-- Every request to a tracked link or pixel, human or not: bot clicks and machine opens are counted
-- here (and shown on the timeline) but never reach the journey.
CREATE TABLE tracking_hits (
  id               bigserial PRIMARY KEY,
  token            text NOT NULL REFERENCES tracked_links (token),
  idempotency_key  text NOT NULL,
  lead_id          text NOT NULL,
  kind             text NOT NULL CHECK (kind IN ('click', 'open')),
  at               timestamptz NOT NULL,
  method           text NOT NULL,
  ip               text NOT NULL DEFAULT '',
  user_agent       text NOT NULL DEFAULT '',
  human            boolean NOT NULL,
  reason           text NOT NULL DEFAULT ''
);
CREATE INDEX tracking_hits_message ON tracking_hits (idempotency_key, at);
