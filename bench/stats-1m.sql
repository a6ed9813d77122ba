-- Loads one program with 1,000,000 send-ledger rows for bench/stats-1m.sh: 200,000 leads through five
-- email steps (one with variants a and b), 10% held out, with opens, clicks, machine opens, bot
-- clicks, bounces, replies, unsubscribes, complaints, hand-offs and journeys at plausible rates.
-- The rows go in with the rollup triggers off (one set-based rebuild at the end is much faster than
-- a trigger per row), then step_counts_rebuild() fills the rollup from them, as migration V20 does.
-- psql -v program=bench-stats -v leads=200000 -f bench/stats-1m.sql
\set ON_ERROR_STOP on
BEGIN;
SET LOCAL nurture.step_counts = 'off';
CREATE TEMP TABLE bl AS
  SELECT i, :'program' || '-lead-' || i AS lead_id,
         timestamptz '2026-09-01T00:00:00Z' + (i % 60) * interval '1 day' + (i % 1440) * interval '1 minute' AS t0,
         (i % 10 = 0) AS held
  FROM generate_series(1, :leads) i;
INSERT INTO leads (id, email, attributes)
  SELECT lead_id, lead_id || '@bench.example', jsonb_build_object('industry', CASE WHEN i % 3 = 0 THEN 'Manufacturing' ELSE 'Software' END)
  FROM bl ON CONFLICT DO NOTHING;
CREATE TEMP TABLE bm AS
  SELECT bl.i, s, bl.lead_id, (ARRAY['welcome', 'subject-test', 'case-study', 'webinar', 'last-call'])[s] AS step,
         CASE WHEN s = 2 THEN (CASE WHEN bl.i % 2 = 0 THEN 'a' ELSE 'b' END) ELSE '' END AS variant,
         CASE WHEN bl.held THEN 'held_out' WHEN (bl.i * 7 + s) % 200 = 0 THEN 'failed' ELSE 'sent' END AS status,
         bl.t0 + (s - 1) * interval '3 days' AS at
  FROM bl CROSS JOIN generate_series(1, 5) s;
INSERT INTO messages (idempotency_key, lead_id, email, program_id, program_version, step_id, template, variant, status,
                      message_id, created_at, sent_at)
  SELECT lead_id || '/j/' || :'program' || '@1/' || step || '/1', lead_id, lead_id || '@bench.example', :'program', 1, step,
         step, variant, status, '<' || lead_id || '.' || s || '@nurture.bench>', at,
         CASE WHEN status = 'sent' THEN at END
  FROM bm;
-- human opens 25%, clicks 3% (4% on variant b), bounces 1%: events naming their message
INSERT INTO events (lead_id, id, type, occurred_at, properties)
  SELECT lead_id, 'open-' || s || '-' || i, 'email_opened', at + interval '2 hours',
         jsonb_build_object('message_id', '<' || lead_id || '.' || s || '@nurture.bench>')
  FROM bm WHERE status = 'sent' AND (i * 13 + s) % 4 = 0;
INSERT INTO events (lead_id, id, type, occurred_at, properties)
  SELECT lead_id, 'click-' || s || '-' || i, 'email_clicked', at + interval '3 hours',
         jsonb_build_object('message_id', '<' || lead_id || '.' || s || '@nurture.bench>', 'url', 'https://acme.example/x')
  FROM bm WHERE status = 'sent' AND ((i * 17 + s) % 100 < 3 OR (variant = 'b' AND (i * 17 + s) % 100 = 3));
INSERT INTO events (lead_id, id, type, occurred_at, properties)
  SELECT lead_id, 'esp/bench/bounce-' || s || '-' || i, 'bounced', at + interval '1 minute',
         jsonb_build_object('message_id', '<' || lead_id || '.' || s || '@nurture.bench>', 'hard', false)
  FROM bm WHERE status = 'sent' AND (i * 19 + s) % 100 = 0;
-- replies 0.5%, unsubscribes 0.3% and complaints 0.05%: matched to the lead's last email by time
INSERT INTO events (lead_id, id, type, occurred_at, properties)
  SELECT lead_id, 'reply/' || s || '-' || i, 'replied', at + interval '1 day', '{"channel": "email"}'
  FROM bm WHERE status = 'sent' AND (i * 23 + s) % 200 = 0;
INSERT INTO events (lead_id, id, type, occurred_at, properties)
  SELECT lead_id, 'unsubscribe-' || s || '-' || i, 'unsubscribed', at + interval '5 hours', '{"channel": "unsubscribe_link"}'
  FROM bm WHERE status = 'sent' AND (i * 29 + s) % 1000 < 3;
INSERT INTO events (lead_id, id, type, occurred_at, properties)
  SELECT lead_id, 'complaint-' || s || '-' || i, 'complained', at + interval '6 hours', '{}'
  FROM bm WHERE status = 'sent' AND (i * 31 + s) % 2000 = 0;
-- machine opens on 10% and bot clicks on 1% of sent emails: tracking hits not a person's
INSERT INTO tracked_links (token, idempotency_key, message_id, lead_id, program_id, program_version, step_id, template,
                           variant, kind, url)
  SELECT 'o' || s || '-' || i, lead_id || '/j/' || :'program' || '@1/' || step || '/1', '<' || lead_id || '.' || s || '@nurture.bench>',
         lead_id, :'program', 1, step, step, variant, 'open', 'pixel'
  FROM bm WHERE status = 'sent' AND (i + s) % 10 = 0;
INSERT INTO tracking_hits (token, idempotency_key, lead_id, kind, at, method, human, reason)
  SELECT token, idempotency_key, lead_id, 'open', created_at, 'GET', false, 'apple_mpp' FROM tracked_links
  WHERE program_id = :'program' AND kind = 'open';
INSERT INTO tracked_links (token, idempotency_key, message_id, lead_id, program_id, program_version, step_id, template,
                           variant, kind, url)
  SELECT 'c' || s || '-' || i, lead_id || '/j/' || :'program' || '@1/' || step || '/1', '<' || lead_id || '.' || s || '@nurture.bench>',
         lead_id, :'program', 1, step, step, variant, 'click', 'https://acme.example/x'
  FROM bm WHERE status = 'sent' AND (i * 3 + s) % 100 = 0;
INSERT INTO tracking_hits (token, idempotency_key, lead_id, kind, at, method, human, reason)
  SELECT token, idempotency_key, lead_id, 'click', created_at, 'HEAD', false, 'head_request' FROM tracked_links
  WHERE program_id = :'program' AND kind = 'click';
-- 6% of the nurtured and 4% of the held out become MQL (a hand-off) within three weeks; half accepted
INSERT INTO handoffs (handoff_key, lead_id, reason, score, priority, sla_due_at, outcome, outcome_at, created_at)
  SELECT lead_id || '/j/graduation', lead_id, 'score 75 >= 70', 75, 'normal', t0 + interval '22 days',
         CASE WHEN i % 2 = 0 THEN 'accepted' END, CASE WHEN i % 2 = 0 THEN t0 + interval '23 days' END,
         t0 + (i % 20) * interval '1 day' + interval '1 hour'
  FROM bl WHERE (NOT held AND i % 50 < 3) OR (held AND i % 100 < 40 AND i % 1000 < 40);
INSERT INTO journeys (lead_id, workflow_id, run_id, program_id, program_version, status, current_step, enrolled_at, updated_at)
  SELECT lead_id, 'lead-' || lead_id, 'run', :'program', 1,
         CASE WHEN h.lead_id IS NOT NULL THEN CASE WHEN h.outcome = 'accepted' THEN 'GRADUATED' ELSE 'HANDED_OFF' END
              WHEN i % 7 = 0 THEN 'UNSUBSCRIBED' ELSE 'COMPLETED' END, 'last-call', t0, t0 + interval '15 days'
  FROM bl LEFT JOIN handoffs h USING (lead_id) ON CONFLICT DO NOTHING;
SELECT step_counts_rebuild();
COMMIT;
ANALYZE;
