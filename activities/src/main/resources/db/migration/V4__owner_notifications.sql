-- Emails to a lead's owner about a hand-off: one per hand-off, so a retried activity does not
-- mail the owner twice once the first mail is recorded.
CREATE TABLE owner_notifications (
  handoff_key  text PRIMARY KEY,
  owner_email  text NOT NULL,
  message_id   text NOT NULL,
  sent_at      timestamptz NOT NULL
);
