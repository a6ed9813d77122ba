-- Program statistics kept as they happen (docs/analytics.md, "Rollup"), so a query's first answer
-- reads counters instead of scanning the ledger:
--   * each email (ledger row) carries what answered it, once: bounced, a human open, a click, a
--     reply, an unsubscribe, a complaint, a machine open, a bot click. Set by the triggers on events
--     and tracking_hits, only false -> true, so an email opened three times is one open;
--   * step_counts_daily: per program, version, step, variant and UTC day of the email's ledger row,
--     the ledger and answer counts. A row's contribution is a function of the messages row alone
--     (step_counts_apply), and the messages trigger moves it on every insert, status or flag change;
--   * program_entrants: per program, version (0: all versions) and lead, when the lead entered
--     (first ledger row, or enrolment of its journey now in the program), its holdout arm, and its
--     exit (the journey's ending status while in the program, the reason of its last ending note).
-- Every write is in the transaction that records the send outcome, the event or the hit, whoever
-- writes it (activities, event intake, webhooks, tracking, a bulk load), as INSERT ... ON CONFLICT.
-- step_counts_rebuild() recomputes all of it from the raw tables (here, and after a bulk load that
-- ran with SET nurture.step_counts = 'off').

ALTER TABLE messages
  ADD COLUMN bounced        boolean NOT NULL DEFAULT false,
  ADD COLUMN human_opened   boolean NOT NULL DEFAULT false,
  ADD COLUMN human_clicked  boolean NOT NULL DEFAULT false,
  ADD COLUMN replied        boolean NOT NULL DEFAULT false,
  ADD COLUMN unsubscribed   boolean NOT NULL DEFAULT false,
  ADD COLUMN complained     boolean NOT NULL DEFAULT false,
  ADD COLUMN machine_opened boolean NOT NULL DEFAULT false,
  ADD COLUMN bot_clicked    boolean NOT NULL DEFAULT false;

CREATE TABLE step_counts_daily (
  program_id      text NOT NULL,
  program_version integer NOT NULL,
  step_id         text NOT NULL,
  variant         text NOT NULL,
  day             date NOT NULL,
  first_at        timestamptz NOT NULL,
  entered         bigint NOT NULL DEFAULT 0,
  sent            bigint NOT NULL DEFAULT 0,
  failed          bigint NOT NULL DEFAULT 0,
  held_out        bigint NOT NULL DEFAULT 0,
  suppressed      bigint NOT NULL DEFAULT 0,
  unknown         bigint NOT NULL DEFAULT 0,
  bounced         bigint NOT NULL DEFAULT 0,
  human_opens     bigint NOT NULL DEFAULT 0,
  machine_opens   bigint NOT NULL DEFAULT 0,
  human_clicks    bigint NOT NULL DEFAULT 0,
  bot_clicks      bigint NOT NULL DEFAULT 0,
  replies         bigint NOT NULL DEFAULT 0,
  unsubscribes    bigint NOT NULL DEFAULT 0,
  complaints      bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (program_id, day, program_version, step_id, variant)
);

CREATE TABLE program_entrants (
  program_id      text NOT NULL,
  program_version integer NOT NULL, -- 0: the lead in any version of the program
  lead_id         text NOT NULL,
  first_at        timestamptz,      -- its first ledger row in the program (version)
  enrolled_at     timestamptz,      -- its journey's enrolment, while the journey is in the program (version)
  held_out        boolean NOT NULL DEFAULT false,
  sent            boolean NOT NULL DEFAULT false,
  entered_at      timestamptz GENERATED ALWAYS AS (least(first_at, enrolled_at)) STORED,
  exit_status     text,             -- its journey's status, when the journey is in the program and ended
  exit_reason     text,             -- the reason of the lead's last ending note since it entered, else its kind
  PRIMARY KEY (lead_id, program_id, program_version) -- the triggers find a lead's rows
);
CREATE INDEX program_entrants_entered ON program_entrants (program_id, program_version, entered_at);

-- The counters of one ledger row, added (sign 1) or taken away (-1). 'sent' and 'held_out' are final
-- statuses (MessageDao never moves a row out of them), so the entrant's flags only ever turn true.
CREATE FUNCTION step_counts_apply(m messages, sign integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  s integer := sign * (m.status = 'sent')::integer;
BEGIN
  INSERT INTO step_counts_daily AS d (program_id, program_version, step_id, variant, day, first_at, entered, sent,
      failed, held_out, suppressed, unknown, bounced, human_opens, machine_opens, human_clicks, bot_clicks, replies,
      unsubscribes, complaints)
  VALUES (m.program_id, m.program_version, m.step_id, m.variant, (m.created_at AT TIME ZONE 'UTC')::date, m.created_at,
      sign, s, sign * (m.status = 'failed')::integer, sign * (m.status = 'held_out')::integer,
      sign * (m.status IN ('suppressed', 'suppressed_by_preference'))::integer,
      sign * (m.status IN ('sending', 'retrying', 'unknown'))::integer,
      s * m.bounced::integer, s * m.human_opened::integer, s * m.machine_opened::integer, s * m.human_clicked::integer,
      s * m.bot_clicked::integer, s * m.replied::integer, s * m.unsubscribed::integer, s * m.complained::integer)
  ON CONFLICT (program_id, day, program_version, step_id, variant) DO UPDATE SET
    first_at = least(d.first_at, excluded.first_at), entered = d.entered + excluded.entered,
    sent = d.sent + excluded.sent, failed = d.failed + excluded.failed, held_out = d.held_out + excluded.held_out,
    suppressed = d.suppressed + excluded.suppressed, unknown = d.unknown + excluded.unknown,
    bounced = d.bounced + excluded.bounced, human_opens = d.human_opens + excluded.human_opens,
    machine_opens = d.machine_opens + excluded.machine_opens, human_clicks = d.human_clicks + excluded.human_clicks,
    bot_clicks = d.bot_clicks + excluded.bot_clicks, replies = d.replies + excluded.replies,
    unsubscribes = d.unsubscribes + excluded.unsubscribes, complaints = d.complaints + excluded.complaints;
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

CREATE FUNCTION messages_step_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off' THEN
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

CREATE TRIGGER messages_step_counts AFTER INSERT OR DELETE ON messages
  FOR EACH ROW EXECUTE FUNCTION messages_step_counts();
CREATE TRIGGER messages_step_counts_update AFTER UPDATE ON messages FOR EACH ROW
  WHEN ((OLD.status, OLD.program_id, OLD.program_version, OLD.step_id, OLD.variant, OLD.created_at, OLD.lead_id,
         OLD.bounced, OLD.human_opened, OLD.human_clicked, OLD.replied, OLD.unsubscribed, OLD.complained,
         OLD.machine_opened, OLD.bot_clicked)
        IS DISTINCT FROM
        (NEW.status, NEW.program_id, NEW.program_version, NEW.step_id, NEW.variant, NEW.created_at, NEW.lead_id,
         NEW.bounced, NEW.human_opened, NEW.human_clicked, NEW.replied, NEW.unsubscribed, NEW.complained,
         NEW.machine_opened, NEW.bot_clicked))
  EXECUTE FUNCTION messages_step_counts();

-- An event answering an email (docs/analytics.md, "Attribution") sets the email's flag once.
CREATE FUNCTION events_step_counts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  mid text := btrim(NEW.properties ->> 'message_id', '<>');
  t text := NEW.type;
  target bigint;
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off'
     OR t NOT IN ('email_opened', 'email_clicked', 'replied', 'unsubscribed', 'complained', 'bounced')
     OR (t = 'email_opened' AND coalesce(NEW.properties ->> 'machine', '') = 'true') THEN
    RETURN NULL;
  END IF;
  IF mid IS NULL OR mid = '' OR t = 'replied' THEN
    SELECT id INTO target FROM messages
    WHERE lead_id = NEW.lead_id AND status = 'sent' AND created_at <= NEW.occurred_at
      AND created_at > NEW.occurred_at - interval '30 days'
    ORDER BY created_at DESC LIMIT 1;
    IF target IS NULL THEN
      RETURN NULL;
    END IF;
  END IF;
  UPDATE messages SET bounced = bounced OR t = 'bounced', human_opened = human_opened OR t = 'email_opened',
         human_clicked = human_clicked OR t = 'email_clicked', replied = replied OR t = 'replied',
         unsubscribed = unsubscribed OR t = 'unsubscribed', complained = complained OR t = 'complained'
  WHERE lead_id = NEW.lead_id AND (CASE WHEN target IS NULL THEN btrim(message_id, '<>') = mid ELSE id = target END)
    AND NOT (CASE t WHEN 'bounced' THEN bounced WHEN 'email_opened' THEN human_opened
                    WHEN 'email_clicked' THEN human_clicked WHEN 'replied' THEN replied
                    WHEN 'unsubscribed' THEN unsubscribed ELSE complained END);
  RETURN NULL;
END $$;

CREATE TRIGGER events_step_counts AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION events_step_counts();

-- A tracking hit not a person's (machine open, bot click) sets the email's flag once.
CREATE FUNCTION tracking_hits_step_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off' THEN
    RETURN NULL;
  END IF;
  UPDATE messages SET machine_opened = machine_opened OR NEW.kind = 'open',
         bot_clicked = bot_clicked OR NEW.kind = 'click'
  WHERE idempotency_key = NEW.idempotency_key
    AND NOT (CASE NEW.kind WHEN 'open' THEN machine_opened ELSE bot_clicked END);
  RETURN NULL;
END $$;

CREATE TRIGGER tracking_hits_step_counts AFTER INSERT ON tracking_hits FOR EACH ROW WHEN (NOT NEW.human)
  EXECUTE FUNCTION tracking_hits_step_counts();
-- A human click found to be a bot's after all (TrackingDao.markBot: a honeypot click near it).
CREATE TRIGGER tracking_hits_step_counts_bot AFTER UPDATE ON tracking_hits FOR EACH ROW
  WHEN (OLD.human AND NOT NEW.human) EXECUTE FUNCTION tracking_hits_step_counts();

-- A journey enrols the lead in its program (and version) for as long as it is there; its ending
-- status there is the entrant's exit, with the reason of the lead's last ending note.
CREATE FUNCTION journeys_program_entrants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off' THEN
    RETURN NULL;
  END IF;
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

CREATE TRIGGER journeys_program_entrants AFTER INSERT ON journeys
  FOR EACH ROW EXECUTE FUNCTION journeys_program_entrants();
CREATE TRIGGER journeys_program_entrants_update AFTER UPDATE ON journeys FOR EACH ROW
  WHEN ((OLD.program_id, OLD.program_version, OLD.enrolled_at, OLD.status) IS DISTINCT FROM
        (NEW.program_id, NEW.program_version, NEW.enrolled_at, NEW.status))
  EXECUTE FUNCTION journeys_program_entrants();

-- An ending note is the exit reason of every program the lead entered before it.
CREATE FUNCTION timeline_program_entrants() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('nurture.step_counts', true) = 'off' THEN
    RETURN NULL;
  END IF;
  UPDATE program_entrants SET exit_reason = coalesce(nullif(NEW.detail ->> 'reason', ''), NEW.kind)
  WHERE lead_id = NEW.lead_id AND entered_at <= NEW.at;
  RETURN NULL;
END $$;

CREATE TRIGGER timeline_program_entrants AFTER INSERT ON timeline FOR EACH ROW
  WHEN (NEW.kind IN ('exited', 'recycled', 'completed', 'unsubscribed', 'suppressed', 'email_suppressed',
                     'disqualified', 'unconfirmed', 'sales_accepted'))
  EXECUTE FUNCTION timeline_program_entrants();

-- Everything above recomputed from the raw tables, as StatsDao's recount attributes events.
CREATE FUNCTION step_counts_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('nurture.step_counts', 'off', true);
  LOCK TABLE step_counts_daily, program_entrants IN EXCLUSIVE MODE;
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

  DELETE FROM step_counts_daily;
  INSERT INTO step_counts_daily (program_id, program_version, step_id, variant, day, first_at, entered, sent, failed,
      held_out, suppressed, unknown, bounced, human_opens, machine_opens, human_clicks, bot_clicks, replies,
      unsubscribes, complaints)
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
         count(*) FILTER (WHERE status = 'sent' AND complained)
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
  PERFORM set_config('nurture.step_counts', '', true);
END $$;

SELECT step_counts_rebuild();
