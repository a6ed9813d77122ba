-- Consecutive soft bounces reported by an email service provider's webhook, per lead: the third in a
-- row suppresses the address; a delivery report resets the count (EspEvents).
CREATE TABLE esp_bounce_streaks (
  lead_id       text PRIMARY KEY,
  soft_bounces  integer NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
