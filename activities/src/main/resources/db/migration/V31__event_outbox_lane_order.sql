-- The outbox dispatcher takes due heads in (bulk, seq) order: what was accepted one at a time (a
-- sign-up's enrolment queued while Temporal was late) before a batch's entries (docs/architecture.md,
-- "Intake lanes"). This index lets a round read that order and stop at its limit, instead of sorting
-- every due row of a bulk backlog of thousands for each round of 100.
CREATE INDEX event_outbox_lane_seq ON event_outbox (bulk, seq);
