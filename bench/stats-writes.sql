-- The write-side cost of the statistics' triggers (docs/analytics.md, "Rollup"), for bench/stats-1m.sh:
-- n writes of each kind as the send path, the event intake, sales and the journey mirror make them,
-- each its own statement and transaction (psql's \gexec, autocommit) with the triggers on, for n new
-- leads of one program on one day (so they share the counter rows, as a busy step does); then its
-- rows are removed with the triggers off. Run it on a build before a trigger change and after it.
-- psql -v n=2000 -f bench/stats-writes.sql
\set ON_ERROR_STOP on
CREATE TEMP TABLE wl AS
  SELECT i, 'writes-lead-' || i AS lead_id, date_trunc('day', now()) + i * interval '1 second' AS t0
  FROM generate_series(1, :n) i;
INSERT INTO leads (id, email) SELECT lead_id, lead_id || '@bench.example' FROM wl;

SELECT clock_timestamp() AS t \gset
SELECT format($$INSERT INTO messages (idempotency_key, lead_id, email, program_id, program_version, step_id, template,
    status, message_id, created_at) VALUES (%L, %L, %L, 'writes', 1, 'welcome', 'welcome', 'sending', %L, %L)$$,
    lead_id || '/1', lead_id, lead_id || '@bench.example', '<' || lead_id || '.1@nurture.bench>', t0) FROM wl \gexec
SELECT 'claims (a new entrant each)' AS write, round(extract(epoch FROM clock_timestamp() - :'t') * 1000 / :n, 3) AS ms_each \gset
\echo :write :ms_each ms each

SELECT clock_timestamp() AS t \gset
SELECT format($$UPDATE messages SET status = 'sent', sent_at = created_at + interval '1 second' WHERE idempotency_key = %L$$,
    lead_id || '/1') FROM wl \gexec
SELECT 'outcomes (sent)' AS write, round(extract(epoch FROM clock_timestamp() - :'t') * 1000 / :n, 3) AS ms_each \gset
\echo :write :ms_each ms each

SELECT clock_timestamp() AS t \gset
SELECT format($$INSERT INTO events (lead_id, id, type, occurred_at, properties) VALUES (%L, %L, 'email_opened', %L, %L)$$,
    lead_id, 'writes-open-' || i, t0 + interval '1 hour',
    jsonb_build_object('message_id', '<' || lead_id || '.1@nurture.bench>')) FROM wl \gexec
SELECT 'opens naming their email' AS write, round(extract(epoch FROM clock_timestamp() - :'t') * 1000 / :n, 3) AS ms_each \gset
\echo :write :ms_each ms each

SELECT clock_timestamp() AS t \gset
SELECT format($$INSERT INTO handoffs (handoff_key, lead_id, reason, score, priority, sla_due_at, created_at)
    VALUES (%L, %L, 'score', 75, 'normal', %L, %L)$$, lead_id || '/h', lead_id, t0 + interval '2 days',
    t0 + interval '2 hours') FROM wl \gexec
SELECT 'hand-offs' AS write, round(extract(epoch FROM clock_timestamp() - :'t') * 1000 / :n, 3) AS ms_each \gset
\echo :write :ms_each ms each

SELECT clock_timestamp() AS t \gset
SELECT format($$INSERT INTO journeys (lead_id, workflow_id, run_id, program_id, program_version, status, current_step,
    enrolled_at, updated_at) VALUES (%L, %L, 'run', 'writes', 1, 'COMPLETED', 'welcome', %L, %L)$$,
    lead_id, 'lead-' || lead_id, t0, t0 + interval '3 hours') FROM wl \gexec
SELECT 'journeys ended (an exit each)' AS write, round(extract(epoch FROM clock_timestamp() - :'t') * 1000 / :n, 3) AS ms_each \gset
\echo :write :ms_each ms each

-- Since V34 the writes above only journal their changes: the fold adds them to the counters and entrants
-- (every second in the product; here once, for all of them), its cost shared by the 5 x n writes. On a
-- running `dev` its folder has folded most of them already, and this reads near 0: the folds' cost then
-- shows only in a whole bench's CPU (bench/smtp-stage.sh).
SELECT clock_timestamp() AS t \gset
DO $$ BEGIN IF to_regprocedure('step_counts_fold(boolean)') IS NOT NULL THEN PERFORM step_counts_fold(true); END IF; END $$;
SELECT 'the fold of those writes, a write' AS write, round(extract(epoch FROM clock_timestamp() - :'t') * 1000 / (5 * :n), 3) AS ms_each \gset
\echo :write :ms_each ms each

BEGIN;
SET LOCAL nurture.step_counts = 'off';
DELETE FROM journeys WHERE lead_id LIKE 'writes-lead-%';
DELETE FROM handoffs WHERE lead_id LIKE 'writes-lead-%';
DELETE FROM events WHERE lead_id LIKE 'writes-lead-%';
DELETE FROM messages WHERE program_id = 'writes';
DELETE FROM program_entrants WHERE program_id = 'writes';
DELETE FROM step_counts_daily WHERE program_id = 'writes';
DO $$ BEGIN IF to_regclass('entrant_counts_daily') IS NOT NULL THEN DELETE FROM entrant_counts_daily WHERE program_id = 'writes'; END IF; END $$;
DELETE FROM leads WHERE id LIKE 'writes-lead-%';
COMMIT;
