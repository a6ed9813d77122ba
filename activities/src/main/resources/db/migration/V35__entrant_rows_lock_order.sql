-- A lead's entrant rows are locked in one order by every writer, so a journey ending while the rollup
-- folds its lead's send no longer deadlocks with the fold.
--
-- step_counts_fold() (V34) upserts a lead's entrant rows in the order (program, version descending):
-- the version's row, then 0 (all versions). The journeys' trigger updated the same rows of a program in
-- the order its UPDATE met them: through the primary key (lead, program, version), 0 first. A journey
-- that ended (its status written) while the fold took its lead's just-sent email each held one row and
-- waited for the other: a 50,000-lead burst on the real Temporal server saw six "deadlock detected",
-- five failing a journey's RecordTransitions (run again by Temporal) and one the fold (tried again a
-- second later), each after PostgreSQL's one-second deadlock_timeout (docs/benchmarks.md,
-- "2026-12-07 04:44-06:00"). The timeline's and the hand-offs' triggers update a lead's rows in every
-- program the same way.
--
-- Now each of them first locks all of the lead's entrant rows in the fold's order, then changes them:
-- a lead's rows are few (a row per program and version it entered, and one per program), so the lock
-- costs one scan of the primary key's lead prefix. The functions are V20's and V27's, with that line.

CREATE FUNCTION program_entrants_lock(lead text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM program_entrants WHERE lead_id = lead
  ORDER BY program_id, program_version DESC
  FOR NO KEY UPDATE;
END $$;

CREATE OR REPLACE FUNCTION journeys_program_entrants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off' THEN
    RETURN NULL;
  END IF;
  PERFORM program_entrants_lock(NEW.lead_id); -- journeys' key: OLD's lead is NEW's
  IF TG_OP = 'UPDATE' AND (OLD.program_id, OLD.program_version, OLD.enrolled_at) IS DISTINCT FROM
                          (NEW.program_id, NEW.program_version, NEW.enrolled_at) THEN
    UPDATE program_entrants SET enrolled_at = NULL
    WHERE lead_id = OLD.lead_id AND program_id = OLD.program_id AND program_version IN (0, OLD.program_version);
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.program_id <> NEW.program_id THEN
    UPDATE program_entrants SET exit_status = NULL
    WHERE lead_id = OLD.lead_id AND program_id = OLD.program_id AND exit_status IS NOT NULL;
  END IF;
  IF TG_OP = 'INSERT' OR (OLD.program_id, OLD.program_version, OLD.enrolled_at) IS DISTINCT FROM
                         (NEW.program_id, NEW.program_version, NEW.enrolled_at) THEN
    INSERT INTO program_entrants AS e (program_id, program_version, lead_id, enrolled_at)
    VALUES (NEW.program_id, NEW.program_version, NEW.lead_id, NEW.enrolled_at),
           (NEW.program_id, 0, NEW.lead_id, NEW.enrolled_at)
    ON CONFLICT (program_id, program_version, lead_id) DO UPDATE SET enrolled_at = excluded.enrolled_at;
  END IF;
  UPDATE program_entrants e
  SET exit_status = CASE WHEN NEW.status IN ('COMPLETED', 'RECYCLED', 'DISQUALIFIED', 'UNSUBSCRIBED', 'UNCONFIRMED',
                                             'GRADUATED') THEN NEW.status END,
      exit_reason = (SELECT coalesce(nullif(t.detail ->> 'reason', ''), t.kind) FROM timeline t
                     WHERE t.lead_id = NEW.lead_id AND t.at >= e.entered_at AND t.kind IN ('exited', 'recycled',
                       'completed', 'unsubscribed', 'suppressed', 'email_suppressed', 'disqualified', 'unconfirmed',
                       'sales_accepted')
                     ORDER BY t.id DESC LIMIT 1)
  WHERE e.lead_id = NEW.lead_id AND e.program_id = NEW.program_id;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION timeline_program_entrants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off' THEN
    RETURN NULL;
  END IF;
  PERFORM program_entrants_lock(NEW.lead_id);
  UPDATE program_entrants SET exit_reason = coalesce(nullif(NEW.detail ->> 'reason', ''), NEW.kind)
  WHERE lead_id = NEW.lead_id AND entered_at <= NEW.at;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION lead_mql_recompute(lead text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE messages x SET mql_30d = w.mql
  FROM (SELECT m.id, EXISTS (SELECT 1 FROM handoffs h
                             WHERE h.lead_id = m.lead_id AND coalesce(m.sent_at, m.created_at) <= h.created_at
                               AND coalesce(m.sent_at, m.created_at) > h.created_at - interval '30 days') AS mql
        FROM messages m WHERE m.lead_id = lead) w
  WHERE x.id = w.id AND x.mql_30d <> w.mql;
  PERFORM program_entrants_lock(lead);
  UPDATE program_entrants e SET mql_at = w.at
  FROM (SELECT p.program_id, p.program_version,
               (SELECT min(h.created_at) FROM handoffs h WHERE h.lead_id = p.lead_id AND h.created_at >= p.entered_at) AS at
        FROM program_entrants p WHERE p.lead_id = lead) w
  WHERE e.lead_id = lead AND e.program_id = w.program_id AND e.program_version = w.program_version
    AND e.mql_at IS DISTINCT FROM w.at;
END $$;

CREATE OR REPLACE FUNCTION handoffs_mql() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off' THEN
    RETURN NULL;
  END IF;
  IF TG_OP = 'INSERT' THEN
    UPDATE messages SET mql_30d = true
    WHERE lead_id = NEW.lead_id AND NOT mql_30d AND coalesce(sent_at, created_at) <= NEW.created_at
      AND coalesce(sent_at, created_at) > NEW.created_at - interval '30 days';
    PERFORM program_entrants_lock(NEW.lead_id);
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
