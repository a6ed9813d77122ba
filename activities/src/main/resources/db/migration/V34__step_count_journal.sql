-- A ledger row's change is journalled, and the journal folded into the counters in batches
-- (docs/analytics.md, "Rollup").
--
-- Until now the messages trigger upserted the change's counter row in step_counts_daily and, when the
-- row was new or newly sent or held out, the lead's two program_entrants rows (whose own trigger then
-- moved entrant_counts_daily under a lock per program and shard): each in the transaction of the send's
-- claim or outcome, an open, a click or a hand-off. That was a fifth to a quarter of a send's cost in
-- the SMTP stage's bench; in bench/stats-writes.sql a claim took 0.40-0.49 ms and an outcome 0.54-0.61 ms
-- with it, 0.21-0.28 and 0.23-0.32 with this journal (docs/benchmarks.md, "2026-12-06 01:15-02:30").
--
-- Now the trigger writes one row into step_count_journal: the change of the row's counters (what
-- step_counts_move and step_counts_apply added), and the lead when its entrants must be upserted.
-- step_counts_fold() takes every committed journal row away and adds them up: one upsert per counter
-- row and day, one per entrant (its two rows), so a thousand sends of one step move their counter row
-- once. Every process folds every second (StepCountFolder); a reader folds first (ProgramStatsResource,
-- through StatsDao.foldJournal), so every
-- answer counts every write committed before it, as before. The journal holds no address: ids, times
-- and counts.
--
-- The counters and entrants are the same as before, change by change: the counters are sums, and the
-- entrant upsert only moves first_at down and held_out and sent from false to true, so the order of
-- the upserts does not matter, nor their being summed. The entrants' triggers (their day counters,
-- mql_at) run at the fold. step_counts_rebuild() clears the journal: it recounts what the journal
-- holds from the ledger.

CREATE TABLE step_count_journal (
  program_id      text NOT NULL,
  program_version integer NOT NULL,
  step_id         text NOT NULL,
  variant         text NOT NULL,
  day             date NOT NULL,
  first_at        timestamptz NOT NULL,
  -- the lead, when the row newly holds it out or sends to it (or is new): its entrants to upsert
  lead_id         text,
  entrant_held_out boolean NOT NULL,
  entrant_sent    boolean NOT NULL,
  entered         smallint NOT NULL,
  sent            smallint NOT NULL,
  failed          smallint NOT NULL,
  held_out        smallint NOT NULL,
  suppressed      smallint NOT NULL,
  unknown         smallint NOT NULL,
  bounced         smallint NOT NULL,
  human_opens     smallint NOT NULL,
  machine_opens   smallint NOT NULL,
  human_clicks    smallint NOT NULL,
  bot_clicks      smallint NOT NULL,
  replies         smallint NOT NULL,
  unsubscribes    smallint NOT NULL,
  complaints      smallint NOT NULL,
  mql_30d         smallint NOT NULL
);
-- No index: the fold takes the whole table, and an index would cost every write.

-- The change from o to n of one ledger row's counters, journalled: o NULL for a row written, n NULL
-- for one removed; both when the row keeps its counter row and lead (as step_counts_move).
CREATE FUNCTION step_counts_journal(o messages, n messages) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  k messages := CASE WHEN n.id IS NULL THEN o ELSE n END;
BEGIN
  INSERT INTO step_count_journal (program_id, program_version, step_id, variant, day, first_at, lead_id,
      entrant_held_out, entrant_sent, entered, sent, failed, held_out, suppressed, unknown, bounced, human_opens,
      machine_opens, human_clicks, bot_clicks, replies, unsubscribes, complaints, mql_30d)
  VALUES (k.program_id, k.program_version, k.step_id, k.variant, (k.created_at AT TIME ZONE 'UTC')::date, k.created_at,
      CASE WHEN n.id IS NOT NULL AND (o.id IS NULL OR (n.status = 'held_out' AND o.status <> 'held_out')
                                      OR (n.status = 'sent' AND o.status <> 'sent')) THEN n.lead_id END,
      (n.status = 'held_out') IS TRUE, (n.status = 'sent') IS TRUE,
      (n.id IS NOT NULL)::integer - (o.id IS NOT NULL)::integer,
      ((n.status = 'sent') IS TRUE)::integer - ((o.status = 'sent') IS TRUE)::integer,
      ((n.status = 'failed') IS TRUE)::integer - ((o.status = 'failed') IS TRUE)::integer,
      ((n.status = 'held_out') IS TRUE)::integer - ((o.status = 'held_out') IS TRUE)::integer,
      ((n.status IN ('suppressed', 'suppressed_by_preference')) IS TRUE)::integer
        - ((o.status IN ('suppressed', 'suppressed_by_preference')) IS TRUE)::integer,
      ((n.status IN ('sending', 'retrying', 'unknown')) IS TRUE)::integer
        - ((o.status IN ('sending', 'retrying', 'unknown')) IS TRUE)::integer,
      ((n.status = 'sent' AND n.bounced) IS TRUE)::integer - ((o.status = 'sent' AND o.bounced) IS TRUE)::integer,
      ((n.status = 'sent' AND n.human_opened) IS TRUE)::integer - ((o.status = 'sent' AND o.human_opened) IS TRUE)::integer,
      ((n.status = 'sent' AND n.machine_opened) IS TRUE)::integer
        - ((o.status = 'sent' AND o.machine_opened) IS TRUE)::integer,
      ((n.status = 'sent' AND n.human_clicked) IS TRUE)::integer - ((o.status = 'sent' AND o.human_clicked) IS TRUE)::integer,
      ((n.status = 'sent' AND n.bot_clicked) IS TRUE)::integer - ((o.status = 'sent' AND o.bot_clicked) IS TRUE)::integer,
      ((n.status = 'sent' AND n.replied) IS TRUE)::integer - ((o.status = 'sent' AND o.replied) IS TRUE)::integer,
      ((n.status = 'sent' AND n.unsubscribed) IS TRUE)::integer - ((o.status = 'sent' AND o.unsubscribed) IS TRUE)::integer,
      ((n.status = 'sent' AND n.complained) IS TRUE)::integer - ((o.status = 'sent' AND o.complained) IS TRUE)::integer,
      ((n.status = 'sent' AND n.mql_30d) IS TRUE)::integer - ((o.status = 'sent' AND o.mql_30d) IS TRUE)::integer);
END $$;

CREATE OR REPLACE FUNCTION messages_step_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND (OLD.program_id, OLD.program_version, OLD.step_id, OLD.variant, OLD.created_at, OLD.lead_id)
      IS NOT DISTINCT FROM (NEW.program_id, NEW.program_version, NEW.step_id, NEW.variant, NEW.created_at, NEW.lead_id) THEN
    PERFORM step_counts_journal(OLD, NEW);
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM step_counts_journal(OLD, NULL);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM step_counts_journal(NULL, NEW);
  END IF;
  RETURN NULL;
END $$;

-- Every committed journal row taken away and added to the counters and the entrants; the number of
-- rows folded. One session folds at a time: with wait false a call returns 0 at once while another
-- folds (the background folder), with wait true it waits for it (a reader, which must count all).
CREATE FUNCTION step_counts_fold(wait boolean) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  folded bigint;
BEGIN
  IF wait THEN
    PERFORM pg_advisory_xact_lock(hashtextextended('step_count_journal', 0));
  ELSIF NOT pg_try_advisory_xact_lock(hashtextextended('step_count_journal', 0)) THEN
    RETURN 0;
  END IF;
  WITH j AS (DELETE FROM step_count_journal RETURNING *),
  counters AS (
    INSERT INTO step_counts_daily AS d (program_id, program_version, step_id, variant, day, shard, first_at, entered,
        sent, failed, held_out, suppressed, unknown, bounced, human_opens, machine_opens, human_clicks, bot_clicks,
        replies, unsubscribes, complaints, mql_30d)
    SELECT program_id, program_version, step_id, variant, day, counter_shard(), min(first_at), sum(entered), sum(sent),
        sum(failed), sum(held_out), sum(suppressed), sum(unknown), sum(bounced), sum(human_opens), sum(machine_opens),
        sum(human_clicks), sum(bot_clicks), sum(replies), sum(unsubscribes), sum(complaints), sum(mql_30d)
    FROM j GROUP BY program_id, day, program_version, step_id, variant
    ORDER BY program_id, day, program_version, step_id, variant
    ON CONFLICT (program_id, day, program_version, step_id, variant, shard) DO UPDATE SET
      first_at = least(d.first_at, excluded.first_at), entered = d.entered + excluded.entered,
      sent = d.sent + excluded.sent, failed = d.failed + excluded.failed, held_out = d.held_out + excluded.held_out,
      suppressed = d.suppressed + excluded.suppressed, unknown = d.unknown + excluded.unknown,
      bounced = d.bounced + excluded.bounced, human_opens = d.human_opens + excluded.human_opens,
      machine_opens = d.machine_opens + excluded.machine_opens, human_clicks = d.human_clicks + excluded.human_clicks,
      bot_clicks = d.bot_clicks + excluded.bot_clicks, replies = d.replies + excluded.replies,
      unsubscribes = d.unsubscribes + excluded.unsubscribes, complaints = d.complaints + excluded.complaints,
      mql_30d = d.mql_30d + excluded.mql_30d),
  entrants AS (
    INSERT INTO program_entrants AS e (program_id, program_version, lead_id, first_at, held_out, sent)
    SELECT j.program_id, v.program_version, j.lead_id, min(j.first_at), bool_or(j.entrant_held_out),
        bool_or(j.entrant_sent)
    FROM j CROSS JOIN LATERAL (VALUES (j.program_version), (0)) v (program_version)
    WHERE j.lead_id IS NOT NULL
    GROUP BY j.program_id, v.program_version, j.lead_id
    -- a lead's version row before its all-versions row, as the journeys trigger writes them
    ORDER BY j.program_id, j.lead_id, v.program_version DESC
    ON CONFLICT (program_id, program_version, lead_id) DO UPDATE SET
      first_at = least(e.first_at, excluded.first_at), held_out = e.held_out OR excluded.held_out,
      sent = e.sent OR excluded.sent
    WHERE e.first_at IS NULL OR e.first_at > excluded.first_at OR (excluded.held_out AND NOT e.held_out)
       OR (excluded.sent AND NOT e.sent))
  SELECT count(*) INTO folded FROM j;
  RETURN folded;
END $$;

-- The rebuild: V27's, now step_counts_recount(), after the journal is cleared (the recount counts what it
-- holds). It takes the fold's lock, and the journal's first: a ledger write waits at its trigger until
-- the rebuild commits, so the recount reads every ledger row whose journal row it cleared.
-- step_counts_recount() alone would count the journal's changes twice (once recounted, once folded):
-- call step_counts_rebuild().
ALTER FUNCTION step_counts_rebuild() RENAME TO step_counts_recount;
CREATE FUNCTION step_counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('step_count_journal', 0));
  LOCK TABLE step_count_journal IN EXCLUSIVE MODE;
  DELETE FROM step_count_journal;
  PERFORM step_counts_recount();
END $$;

-- An entrant whose entry moved after its journey ended takes the reason of the lead's last ending note
-- since its new entry, as the rebuild computes it. The journeys' and the timeline's triggers compute it
-- against entered_at as it is when they run; with the journal an entry can be dated later, at the fold
-- (a lead's first ledger row in a version its journey has left, still in the journal when the journey
-- ends there: its entered_at was NULL, and the reason with it). The update moves the entrant's exit
-- counter as any change of reason does.
CREATE FUNCTION program_entrants_exit_reason() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off' THEN
    RETURN NULL;
  END IF;
  UPDATE program_entrants e
  SET exit_reason = (SELECT coalesce(nullif(t.detail ->> 'reason', ''), t.kind) FROM timeline t
                     WHERE t.lead_id = NEW.lead_id AND t.at >= NEW.entered_at AND t.kind IN ('exited', 'recycled',
                       'completed', 'unsubscribed', 'suppressed', 'email_suppressed', 'disqualified', 'unconfirmed',
                       'sales_accepted')
                     ORDER BY t.id DESC LIMIT 1)
  WHERE e.lead_id = NEW.lead_id AND e.program_id = NEW.program_id AND e.program_version = NEW.program_version;
  RETURN NULL;
END $$;

CREATE TRIGGER program_entrants_exit_reason AFTER UPDATE ON program_entrants FOR EACH ROW
  WHEN (OLD.entered_at IS DISTINCT FROM NEW.entered_at AND NEW.exit_status IS NOT NULL)
  EXECUTE FUNCTION program_entrants_exit_reason();

-- The per-row upserts the trigger made until now: no longer called.
DROP FUNCTION step_counts_move(messages, messages);
DROP FUNCTION step_counts_apply(messages, integer);
