-- Events accepted (202) but not yet handed to Temporal: written in the transaction that stores the
-- event, removed once the journey has it (signal, offer or start). While Temporal is away they wait
-- here and the API's outbox dispatcher delivers them, each lead's in the order of seq
-- (docs/operations.md, "The event outbox").
CREATE TABLE event_outbox (
  seq             bigserial PRIMARY KEY,
  lead_id         text NOT NULL,
  event_id        text NOT NULL,
  queued_at       timestamptz NOT NULL DEFAULT now(),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error      text,
  UNIQUE (lead_id, event_id),
  FOREIGN KEY (lead_id, event_id) REFERENCES events (lead_id, id) ON DELETE CASCADE
);

-- A lead's earliest entry (the only one that may be delivered), and what is due.
CREATE INDEX event_outbox_lead_seq ON event_outbox (lead_id, seq);
CREATE INDEX event_outbox_due ON event_outbox (next_attempt_at, seq);
