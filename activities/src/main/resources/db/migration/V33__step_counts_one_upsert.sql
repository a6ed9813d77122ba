-- A ledger row's change moves its counter row with one upsert, not two (docs/analytics.md, "Rollup").
--
-- Until now the messages trigger took a changed row's old contribution away (step_counts_apply(OLD, -1))
-- and added its new one (step_counts_apply(NEW, 1)): two upserts of the same step_counts_daily row when
-- only the status or a flag changed, which is every change the product makes (a send's outcome, an
-- event or tracking hit answering an email, a hand-off's MQL flag). And each +1 upserted the lead's
-- program_entrants rows again, which changes them only when the row newly holds the lead out or sends
-- it something: the entrant's first_at, held_out and sent only move one way, and the row's earlier
-- contribution was already upserted with the same program, version, lead and created_at.
--
-- Now step_counts_move(o, n) adds n's counters and takes o's away in one upsert, and the trigger calls
-- it when the row keeps its counter row and lead (program, version, step, variant, created_at, lead:
-- the shard is the session's either way). A row written or removed, or moved to another counter row
-- or lead, goes through step_counts_apply as before: folding those into step_counts_move (a missing
-- row counting nothing) made each claim about 7% dearer in bench/stats-writes.sql (one set of three
-- runs). The entrant upsert runs when n newly holds the lead out or sends to it. The counters and
-- entrants are the same as before, change by change, for rows whose insert (or last move) was counted;
-- a row written with nurture.step_counts = 'off' needs step_counts_rebuild(), as before. The rebuilds
-- are unchanged.
--
-- step_counts_move writes its two upserts out, as step_counts_apply (V32) does, rather than sharing them
-- with it through two functions (a counter row's upsert, a lead's entrants' upsert): that shared form,
-- measured the same way, made claims, outcomes and opens each 4-5% dearer (most of the outcome's gain).

-- n's counters added and o's taken away, in this session's shard of their counter row; o and n share
-- their counter row and lead.
CREATE FUNCTION step_counts_move(o messages, n messages) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO step_counts_daily AS d (program_id, program_version, step_id, variant, day, shard, first_at, entered,
      sent, failed, held_out, suppressed, unknown, bounced, human_opens, machine_opens, human_clicks, bot_clicks,
      replies, unsubscribes, complaints, mql_30d)
  VALUES (n.program_id, n.program_version, n.step_id, n.variant, (n.created_at AT TIME ZONE 'UTC')::date,
      counter_shard(), n.created_at, 0,
      (n.status = 'sent')::integer - (o.status = 'sent')::integer,
      (n.status = 'failed')::integer - (o.status = 'failed')::integer,
      (n.status = 'held_out')::integer - (o.status = 'held_out')::integer,
      (n.status IN ('suppressed', 'suppressed_by_preference'))::integer
        - (o.status IN ('suppressed', 'suppressed_by_preference'))::integer,
      (n.status IN ('sending', 'retrying', 'unknown'))::integer - (o.status IN ('sending', 'retrying', 'unknown'))::integer,
      (n.status = 'sent' AND n.bounced)::integer - (o.status = 'sent' AND o.bounced)::integer,
      (n.status = 'sent' AND n.human_opened)::integer - (o.status = 'sent' AND o.human_opened)::integer,
      (n.status = 'sent' AND n.machine_opened)::integer - (o.status = 'sent' AND o.machine_opened)::integer,
      (n.status = 'sent' AND n.human_clicked)::integer - (o.status = 'sent' AND o.human_clicked)::integer,
      (n.status = 'sent' AND n.bot_clicked)::integer - (o.status = 'sent' AND o.bot_clicked)::integer,
      (n.status = 'sent' AND n.replied)::integer - (o.status = 'sent' AND o.replied)::integer,
      (n.status = 'sent' AND n.unsubscribed)::integer - (o.status = 'sent' AND o.unsubscribed)::integer,
      (n.status = 'sent' AND n.complained)::integer - (o.status = 'sent' AND o.complained)::integer,
      (n.status = 'sent' AND n.mql_30d)::integer - (o.status = 'sent' AND o.mql_30d)::integer)
  ON CONFLICT (program_id, day, program_version, step_id, variant, shard) DO UPDATE SET
    first_at = least(d.first_at, excluded.first_at), entered = d.entered + excluded.entered,
    sent = d.sent + excluded.sent, failed = d.failed + excluded.failed, held_out = d.held_out + excluded.held_out,
    suppressed = d.suppressed + excluded.suppressed, unknown = d.unknown + excluded.unknown,
    bounced = d.bounced + excluded.bounced, human_opens = d.human_opens + excluded.human_opens,
    machine_opens = d.machine_opens + excluded.machine_opens, human_clicks = d.human_clicks + excluded.human_clicks,
    bot_clicks = d.bot_clicks + excluded.bot_clicks, replies = d.replies + excluded.replies,
    unsubscribes = d.unsubscribes + excluded.unsubscribes, complaints = d.complaints + excluded.complaints,
    mql_30d = d.mql_30d + excluded.mql_30d;
  IF (n.status = 'held_out' AND o.status <> 'held_out') OR (n.status = 'sent' AND o.status <> 'sent') THEN
    INSERT INTO program_entrants AS e (program_id, program_version, lead_id, first_at, held_out, sent)
    VALUES (n.program_id, n.program_version, n.lead_id, n.created_at, n.status = 'held_out', n.status = 'sent'),
           (n.program_id, 0, n.lead_id, n.created_at, n.status = 'held_out', n.status = 'sent')
    ON CONFLICT (program_id, program_version, lead_id) DO UPDATE SET
      first_at = least(e.first_at, excluded.first_at), held_out = e.held_out OR excluded.held_out,
      sent = e.sent OR excluded.sent
    WHERE e.first_at IS NULL OR e.first_at > excluded.first_at OR (excluded.held_out AND NOT e.held_out)
       OR (excluded.sent AND NOT e.sent);
  END IF;
END $$;

CREATE OR REPLACE FUNCTION messages_step_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND (OLD.program_id, OLD.program_version, OLD.step_id, OLD.variant, OLD.created_at, OLD.lead_id)
      IS NOT DISTINCT FROM (NEW.program_id, NEW.program_version, NEW.step_id, NEW.variant, NEW.created_at, NEW.lead_id) THEN
    PERFORM step_counts_move(OLD, NEW);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM step_counts_apply(OLD, -1);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM step_counts_apply(NEW, 1);
  END IF;
  RETURN NULL;
END $$;
