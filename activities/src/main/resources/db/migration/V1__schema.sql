-- Nurture's business record. Temporal holds journey state; this holds what operators list,
-- filter and audit, the send ledger and the global suppression list.

CREATE TABLE leads (
  id          text PRIMARY KEY,
  email       text NOT NULL,
  timezone    text,
  consent     text,
  attributes  jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX leads_email ON leads (lower(email));

-- Every published version of every program; a journey runs the version it entered with.
CREATE TABLE programs (
  id            text NOT NULL,
  version       integer NOT NULL,
  name          text NOT NULL,
  source        text NOT NULL,
  definition    jsonb NOT NULL,
  checksum      text NOT NULL,
  published_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (id, version)
);

-- Mirror of each lead's journey, updated on every transition; listing never asks Temporal.
CREATE TABLE journeys (
  lead_id          text PRIMARY KEY REFERENCES leads (id),
  workflow_id      text NOT NULL,
  run_id           text NOT NULL,
  program_id       text NOT NULL,
  program_version  integer NOT NULL,
  status           text NOT NULL,
  current_step     text NOT NULL DEFAULT '',
  next_action_at   timestamptz,
  enrolled_at      timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX journeys_program_status ON journeys (program_id, status);

CREATE TABLE timeline (
  id          bigserial PRIMARY KEY,
  lead_id     text NOT NULL,
  at          timestamptz NOT NULL,
  kind        text NOT NULL,
  detail      jsonb NOT NULL DEFAULT '{}'::jsonb,
  dedupe_key  text UNIQUE
);
CREATE INDEX timeline_lead ON timeline (lead_id, id);

-- The send ledger: one row per idempotency key, claimed before SMTP, confirmed after.
CREATE TABLE messages (
  id               bigserial PRIMARY KEY,
  idempotency_key  text NOT NULL UNIQUE,
  lead_id          text NOT NULL,
  email            text NOT NULL,
  program_id       text NOT NULL,
  program_version  integer NOT NULL,
  step_id          text NOT NULL,
  template         text NOT NULL,
  variant          text NOT NULL DEFAULT '',
  subject          text NOT NULL DEFAULT '',
  status           text NOT NULL CHECK (status IN ('sending', 'sent', 'failed', 'suppressed', 'held_out')),
  message_id       text NOT NULL,
  attempts         integer NOT NULL DEFAULT 1,
  last_error       text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz
);
CREATE INDEX messages_lead ON messages (lead_id, created_at);

-- Behaviour events as received; the key makes POST /events idempotent.
CREATE TABLE events (
  lead_id      text NOT NULL,
  id           text NOT NULL,
  type         text NOT NULL,
  occurred_at  timestamptz NOT NULL,
  properties   jsonb NOT NULL DEFAULT '{}'::jsonb,
  received_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (lead_id, id)
);

-- Global: an address here is never sent to, by any journey.
CREATE TABLE suppressions (
  email    text PRIMARY KEY,
  reason   text NOT NULL,
  lead_id  text,
  at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE alerts (
  id           bigserial PRIMARY KEY,
  lead_id      text NOT NULL,
  kind         text NOT NULL,
  message      text NOT NULL,
  detail       jsonb NOT NULL DEFAULT '{}'::jsonb,
  dedupe_key   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  resolved_at  timestamptz
);
CREATE INDEX alerts_open ON alerts (created_at) WHERE resolved_at IS NULL;
