-- The intake lane of a queued event (docs/architecture.md, "Intake lanes"): true for an event a batch
-- accepted. A journey the outbox's later hand-over starts is then started in the bulk lane, as the
-- batch itself would have started it, instead of overtaking the sign-ups the lanes protect.
ALTER TABLE event_outbox ADD COLUMN bulk boolean NOT NULL DEFAULT false;
