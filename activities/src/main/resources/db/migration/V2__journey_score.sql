-- The lead's total score as of its journey's last transition, for listing and filtering.
ALTER TABLE journeys ADD COLUMN score integer NOT NULL DEFAULT 0;
CREATE INDEX journeys_score ON journeys (score);
