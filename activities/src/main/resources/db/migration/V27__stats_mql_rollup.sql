-- The rest of the program statistics kept as they happen (docs/analytics.md, "Rollup"), so a query's
-- first answer no longer passes over the period's entrants nor looks up each hand-off's emails:
--   * messages.mql_30d: a hand-off of the email's lead at or after the email (sent_at, else
--     created_at) and less than 30 days after it. Set when a hand-off is written (for the lead's
--     emails of the 30 days before it) and when an email is written or its time changes (the lead's
--     hand-offs of the 30 days after it). step_counts_daily.mql_30d counts the sent ones, moved by the
--     V20 messages trigger as the other flags are;
--   * program_entrants.mql_at: the entrant's first hand-off at or after it entered (its MQL), set when
--     a hand-off is written and recomputed when the entrant's entered_at changes;
--   * entrant_counts_daily: per program, version, UTC day of entered_at and exit (status and reason,
--     '' when not exited), the entrants, nurtured and held out, moved by a trigger on program_entrants.
-- A query then reads the period's day counters, the entrants of its partial end days, and the MQL
-- entrants only (an index of the rows with mql_at). Every trigger honours nurture.step_counts = 'off'
-- (a bulk load), after which step_counts_rebuild() (replaced below) rebuilds all of it.

ALTER TABLE messages ADD COLUMN mql_30d boolean NOT NULL DEFAULT false;
ALTER TABLE step_counts_daily ADD COLUMN mql_30d bigint NOT NULL DEFAULT 0;
ALTER TABLE program_entrants ADD COLUMN mql_at timestamptz; -- its first hand-off at or after entered_at
CREATE INDEX program_entrants_mql ON program_entrants (program_id, program_version, entered_at)
  INCLUDE (mql_at, held_out, sent) WHERE mql_at IS NOT NULL;

CREATE TABLE entrant_counts_daily (
  program_id      text NOT NULL,
  program_version integer NOT NULL, -- 0: any version, as in program_entrants
  day             date NOT NULL,    -- UTC day of entered_at
  exit_status     text NOT NULL,    -- '' while not exited
  exit_reason     text NOT NULL,    -- coalesce(exit_reason, lower(exit_status)); '' while not exited
  entrants        bigint NOT NULL DEFAULT 0,
  nurtured        bigint NOT NULL DEFAULT 0, -- sent and not held_out
  held_out        bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (program_id, program_version, day, exit_status, exit_reason)
);

-- V20's counters of one ledger row, with the MQL within 30 days of a sent email.
CREATE OR REPLACE FUNCTION step_counts_apply(m messages, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  s integer := sign * (m.status = 'sent')::integer;
BEGIN
  INSERT INTO step_counts_daily AS d (program_id, program_version, step_id, variant, day, first_at, entered, sent,
      failed, held_out, suppressed, unknown, bounced, human_opens, machine_opens, human_clicks, bot_clicks, replies,
      unsubscribes, complaints, mql_30d)
  VALUES (m.program_id, m.program_version, m.step_id, m.variant, (m.created_at AT TIME ZONE 'UTC')::date, m.created_at,
      sign, s, sign * (m.status = 'failed')::integer, sign * (m.status = 'held_out')::integer,
      sign * (m.status IN ('suppressed', 'suppressed_by_preference'))::integer,
      sign * (m.status IN ('sending', 'retrying', 'unknown'))::integer,
      s * m.bounced::integer, s * m.human_opened::integer, s * m.machine_opened::integer, s * m.human_clicked::integer,
      s * m.bot_clicked::integer, s * m.replied::integer, s * m.unsubscribed::integer, s * m.complained::integer,
      s * m.mql_30d::integer)
  ON CONFLICT (program_id, day, program_version, step_id, variant) DO UPDATE SET
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

DROP TRIGGER messages_step_counts_update ON messages;
CREATE TRIGGER messages_step_counts_update AFTER UPDATE ON messages FOR EACH ROW
  WHEN ((OLD.status, OLD.program_id, OLD.program_version, OLD.step_id, OLD.variant, OLD.created_at, OLD.lead_id,
         OLD.bounced, OLD.human_opened, OLD.human_clicked, OLD.replied, OLD.unsubscribed, OLD.complained,
         OLD.machine_opened, OLD.bot_clicked, OLD.mql_30d)
        IS DISTINCT FROM
        (NEW.status, NEW.program_id, NEW.program_version, NEW.step_id, NEW.variant, NEW.created_at, NEW.lead_id,
         NEW.bounced, NEW.human_opened, NEW.human_clicked, NEW.replied, NEW.unsubscribed, NEW.complained,
         NEW.machine_opened, NEW.bot_clicked, NEW.mql_30d))
  EXECUTE FUNCTION messages_step_counts();

-- An email written, or its lead or time changed: is there a hand-off of its lead within 30 days of it?
-- (The same comparison as StatsDao's recount, so the flag and the recount agree to the microsecond.)
CREATE FUNCTION messages_mql_30d() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off' THEN
    RETURN NEW;
  END IF;
  NEW.mql_30d := EXISTS (
    SELECT 1 FROM handoffs h
    WHERE h.lead_id = NEW.lead_id AND coalesce(NEW.sent_at, NEW.created_at) <= h.created_at
      AND coalesce(NEW.sent_at, NEW.created_at) > h.created_at - interval '30 days');
  RETURN NEW;
END $$;

CREATE TRIGGER messages_mql_30d BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION messages_mql_30d();
CREATE TRIGGER messages_mql_30d_update BEFORE UPDATE ON messages FOR EACH ROW
  WHEN ((OLD.lead_id, OLD.created_at, OLD.sent_at) IS DISTINCT FROM (NEW.lead_id, NEW.created_at, NEW.sent_at))
  EXECUTE FUNCTION messages_mql_30d();

-- A lead's MQL state recomputed from its hand-offs: its emails' flags and its entrants' mql_at.
CREATE FUNCTION lead_mql_recompute(lead text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE messages x SET mql_30d = w.mql
  FROM (SELECT m.id, EXISTS (SELECT 1 FROM handoffs h
                             WHERE h.lead_id = m.lead_id AND coalesce(m.sent_at, m.created_at) <= h.created_at
                               AND coalesce(m.sent_at, m.created_at) > h.created_at - interval '30 days') AS mql
        FROM messages m WHERE m.lead_id = lead) w
  WHERE x.id = w.id AND x.mql_30d <> w.mql;
  UPDATE program_entrants e SET mql_at = w.at
  FROM (SELECT p.program_id, p.program_version,
               (SELECT min(h.created_at) FROM handoffs h WHERE h.lead_id = p.lead_id AND h.created_at >= p.entered_at) AS at
        FROM program_entrants p WHERE p.lead_id = lead) w
  WHERE e.lead_id = lead AND e.program_id = w.program_id AND e.program_version = w.program_version
    AND e.mql_at IS DISTINCT FROM w.at;
END $$;

-- A hand-off makes its lead an MQL: the lead's emails of the 30 days before it, and its entrants
-- that entered at or before it (their first hand-off since then, if earlier than any known).
-- A hand-off moved or removed (nothing does so today) recomputes its leads.
CREATE FUNCTION handoffs_mql() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    UPDATE messages SET mql_30d = true
    WHERE lead_id = NEW.lead_id AND NOT mql_30d AND coalesce(sent_at, created_at) <= NEW.created_at
      AND coalesce(sent_at, created_at) > NEW.created_at - interval '30 days';
    UPDATE program_entrants SET mql_at = NEW.created_at
    WHERE lead_id = NEW.lead_id AND entered_at <= NEW.created_at AND (mql_at IS NULL OR mql_at > NEW.created_at);
  ELSE
    PERFORM lead_mql_recompute(OLD.lead_id);
    IF TG_OP = 'UPDATE' AND NEW.lead_id <> OLD.lead_id THEN
      PERFORM lead_mql_recompute(NEW.lead_id);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER handoffs_mql AFTER INSERT OR DELETE ON handoffs FOR EACH ROW EXECUTE FUNCTION handoffs_mql();
CREATE TRIGGER handoffs_mql_update AFTER UPDATE ON handoffs FOR EACH ROW
  WHEN ((OLD.lead_id, OLD.created_at) IS DISTINCT FROM (NEW.lead_id, NEW.created_at))
  EXECUTE FUNCTION handoffs_mql();

-- An entrant's day counters: add to the counter row of e's day and exit the given changes (one
-- upsert; an entrant moving to another day or exit takes 1 from the old row and adds 1 to the new).
CREATE FUNCTION entrant_counts_apply(e program_entrants, d_entrants integer, d_nurtured integer, d_held_out integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF e.entered_at IS NULL THEN
    RETURN; -- in no period (its journey left and it has no ledger row)
  END IF;
  INSERT INTO entrant_counts_daily AS d (program_id, program_version, day, exit_status, exit_reason, entrants, nurtured,
      held_out)
  VALUES (e.program_id, e.program_version, (e.entered_at AT TIME ZONE 'UTC')::date, coalesce(e.exit_status, ''),
      CASE WHEN e.exit_status IS NULL THEN '' ELSE coalesce(e.exit_reason, lower(e.exit_status)) END,
      d_entrants, d_nurtured, d_held_out)
  ON CONFLICT (program_id, program_version, day, exit_status, exit_reason) DO UPDATE SET
    entrants = d.entrants + excluded.entrants, nurtured = d.nurtured + excluded.nurtured,
    held_out = d.held_out + excluded.held_out;
END $$;

CREATE FUNCTION program_entrants_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  first_mql timestamptz;
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'UPDATE' AND (OLD.program_id, OLD.program_version, (OLD.entered_at AT TIME ZONE 'UTC')::date,
        coalesce(OLD.exit_status, ''),
        CASE WHEN OLD.exit_status IS NULL THEN '' ELSE coalesce(OLD.exit_reason, lower(OLD.exit_status)) END)
      IS NOT DISTINCT FROM (NEW.program_id, NEW.program_version, (NEW.entered_at AT TIME ZONE 'UTC')::date,
        coalesce(NEW.exit_status, ''),
        CASE WHEN NEW.exit_status IS NULL THEN '' ELSE coalesce(NEW.exit_reason, lower(NEW.exit_status)) END) THEN
    -- the same counter row: only the arm changed
    PERFORM entrant_counts_apply(NEW, 0, (NEW.sent AND NOT NEW.held_out)::integer - (OLD.sent AND NOT OLD.held_out)::integer,
        NEW.held_out::integer - OLD.held_out::integer);
  ELSE
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
      PERFORM entrant_counts_apply(OLD, -1, -(OLD.sent AND NOT OLD.held_out)::integer, -OLD.held_out::integer);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      PERFORM entrant_counts_apply(NEW, 1, (NEW.sent AND NOT NEW.held_out)::integer, NEW.held_out::integer);
    END IF;
  END IF;
  -- a new entrant, or one whose entry moved: its first hand-off since it entered
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND OLD.entered_at IS DISTINCT FROM NEW.entered_at) THEN
    SELECT min(h.created_at) INTO first_mql FROM handoffs h
    WHERE h.lead_id = NEW.lead_id AND h.created_at >= NEW.entered_at;
    IF first_mql IS DISTINCT FROM NEW.mql_at THEN
      UPDATE program_entrants SET mql_at = first_mql
      WHERE lead_id = NEW.lead_id AND program_id = NEW.program_id AND program_version = NEW.program_version;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER program_entrants_counts AFTER INSERT OR DELETE ON program_entrants
  FOR EACH ROW EXECUTE FUNCTION program_entrants_counts();
CREATE TRIGGER program_entrants_counts_update AFTER UPDATE ON program_entrants FOR EACH ROW
  WHEN ((OLD.program_id, OLD.program_version, OLD.entered_at, OLD.held_out, OLD.sent, OLD.exit_status,
         CASE WHEN OLD.exit_status IS NULL THEN '' ELSE coalesce(OLD.exit_reason, lower(OLD.exit_status)) END)
        IS DISTINCT FROM
        (NEW.program_id, NEW.program_version, NEW.entered_at, NEW.held_out, NEW.sent, NEW.exit_status,
         CASE WHEN NEW.exit_status IS NULL THEN '' ELSE coalesce(NEW.exit_reason, lower(NEW.exit_status)) END))
  EXECUTE FUNCTION program_entrants_counts();

-- The emails' MQL flags and the entrants' MQL times recomputed from the hand-offs (whether or not
-- the triggers are on: on, the counters follow each change).
CREATE FUNCTION messages_mql_30d_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE messages x SET mql_30d = false
  WHERE x.mql_30d AND NOT EXISTS (
    SELECT 1 FROM handoffs h
    WHERE h.lead_id = x.lead_id AND coalesce(x.sent_at, x.created_at) <= h.created_at
      AND coalesce(x.sent_at, x.created_at) > h.created_at - interval '30 days');
  UPDATE messages x SET mql_30d = true
  WHERE NOT x.mql_30d AND x.id IN (
    SELECT m.id FROM handoffs h JOIN messages m ON m.lead_id = h.lead_id
    WHERE coalesce(m.sent_at, m.created_at) <= h.created_at
      AND coalesce(m.sent_at, m.created_at) > h.created_at - interval '30 days');
END $$;

CREATE FUNCTION program_entrants_mql_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE program_entrants e SET mql_at = NULL
  WHERE e.mql_at IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM handoffs h WHERE h.lead_id = e.lead_id AND h.created_at >= e.entered_at);
  UPDATE program_entrants e SET mql_at = w.at
  FROM (SELECT p.lead_id, p.program_id, p.program_version, min(h.created_at) AS at
        FROM handoffs h JOIN program_entrants p ON p.lead_id = h.lead_id AND h.created_at >= p.entered_at
        GROUP BY 1, 2, 3) w
  WHERE e.lead_id = w.lead_id AND e.program_id = w.program_id AND e.program_version = w.program_version
    AND e.mql_at IS DISTINCT FROM w.at;
END $$;

-- entrant_counts_daily recomputed from program_entrants.
CREATE FUNCTION entrant_counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE entrant_counts_daily IN EXCLUSIVE MODE;
  DELETE FROM entrant_counts_daily;
  INSERT INTO entrant_counts_daily (program_id, program_version, day, exit_status, exit_reason, entrants, nurtured,
      held_out)
  SELECT program_id, program_version, (entered_at AT TIME ZONE 'UTC')::date, coalesce(exit_status, ''),
         CASE WHEN exit_status IS NULL THEN '' ELSE coalesce(exit_reason, lower(exit_status)) END,
         count(*), count(*) FILTER (WHERE sent AND NOT held_out), count(*) FILTER (WHERE held_out)
  FROM program_entrants WHERE entered_at IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5;
END $$;

-- V20's rebuild, with the MQL flags (before the step counters count them) and the entrants' MQL
-- times and day counters (after the entrants).
CREATE OR REPLACE FUNCTION step_counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('nurture.step_counts', 'off', true);
  LOCK TABLE step_counts_daily, program_entrants, entrant_counts_daily IN EXCLUSIVE MODE;
  -- Fresh statistics first: after a bulk load in this transaction, a table autovacuum last saw empty
  -- (its rows not yet committed) would be planned as empty, and the hand-offs' joins with the ledger
  -- and the entrants as nested loops over a million rows. ANALYZE counts this transaction's rows.
  ANALYZE messages, events, tracking_hits, handoffs, journeys;
  WITH ev AS (
    SELECT lead_id, type, occurred_at, btrim(properties ->> 'message_id', '<>') AS mid,
           coalesce(properties ->> 'machine', '') = 'true' AS machine
    FROM events WHERE type IN ('email_opened', 'email_clicked', 'replied', 'unsubscribed', 'complained', 'bounced')),
  attributed AS (
    SELECT x.id, ev.type, ev.machine
    FROM ev JOIN messages x ON btrim(x.message_id, '<>') = ev.mid AND x.lead_id = ev.lead_id
    WHERE ev.type <> 'replied'
    UNION ALL
    SELECT last.id, ev.type, ev.machine FROM ev
    CROSS JOIN LATERAL (
      SELECT l.id FROM messages l
      WHERE l.lead_id = ev.lead_id AND l.status = 'sent' AND l.created_at <= ev.occurred_at
        AND l.created_at > ev.occurred_at - interval '30 days'
      ORDER BY l.created_at DESC LIMIT 1) last
    WHERE ev.mid IS NULL OR ev.mid = '' OR ev.type = 'replied'
    UNION ALL
    SELECT x.id, 'machine_' || h.kind, false
    FROM tracking_hits h JOIN messages x ON x.idempotency_key = h.idempotency_key WHERE NOT h.human),
  flags AS (
    SELECT id, bool_or(type = 'bounced') AS bounced, bool_or(type = 'email_opened' AND NOT machine) AS human_opened,
           bool_or(type = 'email_clicked') AS human_clicked, bool_or(type = 'replied') AS replied,
           bool_or(type = 'unsubscribed') AS unsubscribed, bool_or(type = 'complained') AS complained,
           bool_or(type = 'machine_open') AS machine_opened, bool_or(type = 'machine_click') AS bot_clicked
    FROM attributed GROUP BY id),
  wanted AS (
    SELECT x.id, coalesce(f.bounced, false) AS bounced, coalesce(f.human_opened, false) AS human_opened,
           coalesce(f.human_clicked, false) AS human_clicked, coalesce(f.replied, false) AS replied,
           coalesce(f.unsubscribed, false) AS unsubscribed, coalesce(f.complained, false) AS complained,
           coalesce(f.machine_opened, false) AS machine_opened, coalesce(f.bot_clicked, false) AS bot_clicked
    FROM messages x LEFT JOIN flags f ON f.id = x.id)
  UPDATE messages x SET bounced = w.bounced, human_opened = w.human_opened, human_clicked = w.human_clicked,
         replied = w.replied, unsubscribed = w.unsubscribed, complained = w.complained,
         machine_opened = w.machine_opened, bot_clicked = w.bot_clicked
  FROM wanted w
  WHERE x.id = w.id AND (x.bounced, x.human_opened, x.human_clicked, x.replied, x.unsubscribed, x.complained,
        x.machine_opened, x.bot_clicked) IS DISTINCT FROM (w.bounced, w.human_opened, w.human_clicked, w.replied,
        w.unsubscribed, w.complained, w.machine_opened, w.bot_clicked);

  PERFORM messages_mql_30d_rebuild();

  DELETE FROM step_counts_daily;
  INSERT INTO step_counts_daily (program_id, program_version, step_id, variant, day, first_at, entered, sent, failed,
      held_out, suppressed, unknown, bounced, human_opens, machine_opens, human_clicks, bot_clicks, replies,
      unsubscribes, complaints, mql_30d)
  SELECT program_id, program_version, step_id, variant, (created_at AT TIME ZONE 'UTC')::date, min(created_at),
         count(*), count(*) FILTER (WHERE status = 'sent'), count(*) FILTER (WHERE status = 'failed'),
         count(*) FILTER (WHERE status = 'held_out'),
         count(*) FILTER (WHERE status IN ('suppressed', 'suppressed_by_preference')),
         count(*) FILTER (WHERE status IN ('sending', 'retrying', 'unknown')),
         count(*) FILTER (WHERE status = 'sent' AND bounced), count(*) FILTER (WHERE status = 'sent' AND human_opened),
         count(*) FILTER (WHERE status = 'sent' AND machine_opened),
         count(*) FILTER (WHERE status = 'sent' AND human_clicked),
         count(*) FILTER (WHERE status = 'sent' AND bot_clicked), count(*) FILTER (WHERE status = 'sent' AND replied),
         count(*) FILTER (WHERE status = 'sent' AND unsubscribed),
         count(*) FILTER (WHERE status = 'sent' AND complained), count(*) FILTER (WHERE status = 'sent' AND mql_30d)
  FROM messages GROUP BY 1, 2, 3, 4, 5;

  DELETE FROM program_entrants;
  INSERT INTO program_entrants (program_id, program_version, lead_id, first_at, enrolled_at, held_out, sent)
  SELECT coalesce(m.program_id, j.program_id), coalesce(m.program_version, j.program_version),
         coalesce(m.lead_id, j.lead_id), m.first_at, j.enrolled_at, coalesce(m.held_out, false), coalesce(m.sent, false)
  FROM (SELECT program_id, v.program_version, lead_id, min(created_at) AS first_at,
               bool_or(status = 'held_out') AS held_out, bool_or(status = 'sent') AS sent
        FROM messages CROSS JOIN LATERAL (VALUES (messages.program_version), (0)) v (program_version)
        GROUP BY 1, 2, 3) m
  FULL JOIN (SELECT program_id, v.program_version, lead_id, enrolled_at
             FROM journeys CROSS JOIN LATERAL (VALUES (journeys.program_version), (0)) v (program_version)) j
    ON j.program_id = m.program_id AND j.program_version = m.program_version AND j.lead_id = m.lead_id;
  UPDATE program_entrants e
  SET exit_status = j.status,
      exit_reason = (SELECT coalesce(nullif(t.detail ->> 'reason', ''), t.kind) FROM timeline t
                     WHERE t.lead_id = e.lead_id AND t.at >= e.entered_at AND t.kind IN ('exited', 'recycled',
                       'completed', 'unsubscribed', 'suppressed', 'email_suppressed', 'disqualified', 'unconfirmed',
                       'sales_accepted')
                     ORDER BY t.id DESC LIMIT 1)
  FROM journeys j
  WHERE j.lead_id = e.lead_id AND j.program_id = e.program_id
    AND j.status IN ('COMPLETED', 'RECYCLED', 'DISQUALIFIED', 'UNSUBSCRIBED', 'UNCONFIRMED', 'GRADUATED');
  ANALYZE program_entrants;
  PERFORM program_entrants_mql_rebuild();
  PERFORM entrant_counts_rebuild();
  PERFORM set_config('nurture.step_counts', '', true);
END $$;

-- Existing data: the flags and MQL times with the triggers on (each flagged email moves its step
-- counter as an open does; only emails with a hand-off within 30 days are touched), then the entrants'
-- day counters from program_entrants.
SELECT messages_mql_30d_rebuild();
SELECT program_entrants_mql_rebuild();
SELECT entrant_counts_rebuild();
