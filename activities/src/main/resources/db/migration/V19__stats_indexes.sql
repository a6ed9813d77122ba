-- Statistics (docs/analytics.md): a program's send-ledger rows by time, for the per-step counts and
-- the program's entrants; behaviour events by type and time, for the events counted against emails.
CREATE INDEX messages_program_created ON messages (program_id, created_at);
CREATE INDEX events_type_occurred ON events (type, occurred_at);
