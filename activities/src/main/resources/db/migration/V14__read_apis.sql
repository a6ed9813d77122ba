-- Read APIs (issue 12): the journey list filters and pages by these, the sales queue lists open
-- hand-offs by SLA due time, and an alert can be acknowledged by a person (who, when).
CREATE INDEX journeys_updated ON journeys (updated_at DESC, lead_id DESC);
CREATE INDEX journeys_status_updated ON journeys (status, updated_at DESC, lead_id DESC);
CREATE INDEX leads_owner_email ON leads (lower(attributes ->> 'owner_email'));
CREATE INDEX handoffs_sla ON handoffs (sla_due_at, id);
CREATE INDEX timeline_lead_kind ON timeline (lead_id, kind, id);

ALTER TABLE alerts ADD COLUMN acked_at timestamptz;
ALTER TABLE alerts ADD COLUMN acked_by text;
