-- The send ledger distinguishes a transient failure that will be retried ('retrying') from a final
-- one ('failed', with its reason in last_error), and a send whose outcome nobody can know any more
-- because a process died mid-send ('unknown'): no row stays 'sending' once its send is retried.
ALTER TABLE messages DROP CONSTRAINT IF EXISTS messages_status_check;
ALTER TABLE messages ADD CONSTRAINT messages_status_check
  CHECK (status IN ('sending', 'sent', 'retrying', 'failed', 'unknown', 'suppressed', 'held_out'));
