-- Hand-offs to sales: why, with what score and priority, which events led to it, when sales
-- must have followed up (SLA) and what sales said.
CREATE TABLE handoffs (
  id           bigserial PRIMARY KEY,
  handoff_key  text NOT NULL UNIQUE,
  lead_id      text NOT NULL,
  reason       text NOT NULL,
  score        integer NOT NULL,
  priority     text NOT NULL,
  events       jsonb NOT NULL DEFAULT '[]'::jsonb,
  sla_due_at   timestamptz NOT NULL,
  outcome      text,
  outcome_at   timestamptz,
  created_at   timestamptz NOT NULL
);
CREATE INDEX handoffs_lead ON handoffs (lead_id, id);

-- Every attempt to deliver a hand-off webhook, successful or not.
CREATE TABLE webhook_deliveries (
  id           bigserial PRIMARY KEY,
  handoff_key  text NOT NULL,
  attempt      integer NOT NULL,
  status_code  integer,
  error        text,
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_handoff ON webhook_deliveries (handoff_key, id);
