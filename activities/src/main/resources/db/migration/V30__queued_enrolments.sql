-- An enrolment Temporal could not take (away, or later than temporal.call_timeout) waits in the outbox
-- too, answered 202, and starts when Temporal answers (docs/operations.md, "The event outbox"). It
-- takes its place in its lead's order: the lead's events accepted after it wait behind it, so the
-- journey it starts receives them as events, after its start. program_id NULL: the track of the lead's
-- quadrant, decided when it starts. At most one enrolment waits per lead (a repeat is the same one).
ALTER TABLE event_outbox ALTER COLUMN event_id DROP NOT NULL;
ALTER TABLE event_outbox ADD COLUMN enrol boolean NOT NULL DEFAULT false;
ALTER TABLE event_outbox ADD COLUMN program_id text;
ALTER TABLE event_outbox ADD CONSTRAINT event_outbox_event_or_enrolment
  CHECK ((enrol AND event_id IS NULL) OR (NOT enrol AND event_id IS NOT NULL AND program_id IS NULL));
CREATE UNIQUE INDEX event_outbox_one_enrolment ON event_outbox (lead_id) WHERE enrol;
