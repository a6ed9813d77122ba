-- The rollup's counter rows split into shards (docs/analytics.md, "Rollup"), so that sends of one step
-- from several connections no longer queue behind each other.
--
-- Every send of a step on a day moved the same step_counts_daily row twice (its claim, its outcome),
-- and a new entrant the same entrant_counts_daily row under V28's lock for the program; each held that
-- row until its transaction ended, commit included. So all sends of one step ran their ledger
-- transactions one at a time, however many workers sent them: in the SMTP stage's bench (4 threads,
-- one step) a quarter of the database sessions' samples waited on another transaction's lock, with 16
-- threads 63% (docs/benchmarks.md, "2026-12-05 13:24-14:30").
--
-- Now each counter row has a shard, the session's: counter_shard() is the backend's pid mod 16 (or
-- the setting nurture.counter_shard, for tests that need two sessions on one shard). A transaction
-- moves the counters of its own shard only, so transactions of different sessions touch different
-- rows, and V28's lock per program becomes a lock per program and shard: the argument of V28 holds
-- within a shard, and two shards share no counter row. A reader sums the shards, as it already sums
-- the days. A shard's row may hold a negative count (a claim counted in one shard, its outcome moved
-- in another): only the sums mean something. The rebuilds write shard 0. Only the counter upserts
-- change: step_counts_apply is V27's with the shard in its key, entrant_counts_apply V28's.

CREATE FUNCTION counter_shard() RETURNS smallint LANGUAGE sql STABLE AS $$
  SELECT coalesce(nullif(current_setting('nurture.counter_shard', true), '')::smallint,
                  (pg_backend_pid() % 16)::smallint)
$$;

ALTER TABLE step_counts_daily ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE step_counts_daily DROP CONSTRAINT step_counts_daily_pkey,
  ADD PRIMARY KEY (program_id, day, program_version, step_id, variant, shard);
ALTER TABLE entrant_counts_daily ADD COLUMN shard smallint NOT NULL DEFAULT 0;
ALTER TABLE entrant_counts_daily DROP CONSTRAINT entrant_counts_daily_pkey,
  ADD PRIMARY KEY (program_id, program_version, day, exit_status, exit_reason, shard);

-- V27's counters of one ledger row, added (sign 1) or taken away (-1), in this session's shard.
CREATE OR REPLACE FUNCTION step_counts_apply(m messages, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  s integer := sign * (m.status = 'sent')::integer;
BEGIN
  INSERT INTO step_counts_daily AS d (program_id, program_version, step_id, variant, day, shard, first_at, entered,
      sent, failed, held_out, suppressed, unknown, bounced, human_opens, machine_opens, human_clicks, bot_clicks,
      replies, unsubscribes, complaints, mql_30d)
  VALUES (m.program_id, m.program_version, m.step_id, m.variant, (m.created_at AT TIME ZONE 'UTC')::date,
      counter_shard(), m.created_at, sign, s, sign * (m.status = 'failed')::integer,
      sign * (m.status = 'held_out')::integer, sign * (m.status IN ('suppressed', 'suppressed_by_preference'))::integer,
      sign * (m.status IN ('sending', 'retrying', 'unknown'))::integer,
      s * m.bounced::integer, s * m.human_opened::integer, s * m.machine_opened::integer, s * m.human_clicked::integer,
      s * m.bot_clicked::integer, s * m.replied::integer, s * m.unsubscribed::integer, s * m.complained::integer,
      s * m.mql_30d::integer)
  ON CONFLICT (program_id, day, program_version, step_id, variant, shard) DO UPDATE SET
    first_at = least(d.first_at, excluded.first_at), entered = d.entered + excluded.entered,
    sent = d.sent + excluded.sent, failed = d.failed + excluded.failed, held_out = d.held_out + excluded.held_out,
    suppressed = d.suppressed + excluded.suppressed, unknown = d.unknown + excluded.unknown,
    bounced = d.bounced + excluded.bounced, human_opens = d.human_opens + excluded.human_opens,
    machine_opens = d.machine_opens + excluded.machine_opens, human_clicks = d.human_clicks + excluded.human_clicks,
    bot_clicks = d.bot_clicks + excluded.bot_clicks, replies = d.replies + excluded.replies,
    unsubscribes = d.unsubscribes + excluded.unsubscribes, complaints = d.complaints + excluded.complaints,
    mql_30d = d.mql_30d + excluded.mql_30d;
  IF sign > 0 THEN
    INSERT INTO program_entrants AS e (program_id, program_version, lead_id, first_at, held_out, sent)
    VALUES (m.program_id, m.program_version, m.lead_id, m.created_at, m.status = 'held_out', m.status = 'sent'),
           (m.program_id, 0, m.lead_id, m.created_at, m.status = 'held_out', m.status = 'sent')
    ON CONFLICT (program_id, program_version, lead_id) DO UPDATE SET
      first_at = least(e.first_at, excluded.first_at), held_out = e.held_out OR excluded.held_out,
      sent = e.sent OR excluded.sent
    WHERE e.first_at IS NULL OR e.first_at > excluded.first_at OR (excluded.held_out AND NOT e.held_out)
       OR (excluded.sent AND NOT e.sent);
  END IF;
END $$;

-- V28's entrant counters, in this session's shard, under a lock per program and shard.
CREATE OR REPLACE FUNCTION entrant_counts_apply(e program_entrants, d_entrants integer, d_nurtured integer,
    d_held_out integer)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  s smallint := counter_shard();
BEGIN
  IF e.entered_at IS NULL THEN
    RETURN; -- in no period (its journey left and it has no ledger row)
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('entrant_counts_daily/' || e.program_id || '/' || s, 0));
  INSERT INTO entrant_counts_daily AS d (program_id, program_version, day, exit_status, exit_reason, shard, entrants,
      nurtured, held_out)
  VALUES (e.program_id, e.program_version, (e.entered_at AT TIME ZONE 'UTC')::date, coalesce(e.exit_status, ''),
      CASE WHEN e.exit_status IS NULL THEN '' ELSE coalesce(e.exit_reason, lower(e.exit_status)) END, s,
      d_entrants, d_nurtured, d_held_out)
  ON CONFLICT (program_id, program_version, day, exit_status, exit_reason, shard) DO UPDATE SET
    entrants = d.entrants + excluded.entrants, nurtured = d.nurtured + excluded.nurtured,
    held_out = d.held_out + excluded.held_out;
END $$;
