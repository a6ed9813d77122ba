-- V27's entrant counters deadlocked under concurrent writes (the chaos suite: 133 "deadlock detected"
-- in one run, each a 500 to an enrolment or a send whose outcome became 'unknown'). A journey's
-- enrolment writes its lead's two entrant rows (the version, then 0: all versions) and each moves a
-- counter row of entrant_counts_daily; a send's outcome updates the same two rows in whatever order
-- the UPDATE meets them; so two transactions could each hold one of a program's counter rows and wait
-- for the other's. Now a transaction takes a lock per program (an advisory lock held until it ends)
-- before it touches any of that program's counter rows: the counter rows of one program are changed
-- by one transaction at a time, whatever their order. That costs no throughput the counter rows' own
-- locks did not already cost: every transaction moving them held them until its end anyway.
CREATE OR REPLACE FUNCTION entrant_counts_apply(e program_entrants, d_entrants integer, d_nurtured integer,
    d_held_out integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF e.entered_at IS NULL THEN
    RETURN; -- in no period (its journey left and it has no ledger row)
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('entrant_counts_daily/' || e.program_id, 0));
  INSERT INTO entrant_counts_daily AS d (program_id, program_version, day, exit_status, exit_reason, entrants, nurtured,
      held_out)
  VALUES (e.program_id, e.program_version, (e.entered_at AT TIME ZONE 'UTC')::date, coalesce(e.exit_status, ''),
      CASE WHEN e.exit_status IS NULL THEN '' ELSE coalesce(e.exit_reason, lower(e.exit_status)) END,
      d_entrants, d_nurtured, d_held_out)
  ON CONFLICT (program_id, program_version, day, exit_status, exit_reason) DO UPDATE SET
    entrants = d.entrants + excluded.entrants, nurtured = d.nurtured + excluded.nurtured,
    held_out = d.held_out + excluded.held_out;
END $$;
