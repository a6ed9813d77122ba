-- Send rate limits that hold across every worker: sends counted per bucket ('all', or
-- 'domain:<recipient domain>') and per second of the database's clock. Rows older than a minute
-- are deleted as new seconds start.
CREATE TABLE send_rate (
  bucket  text NOT NULL,
  second  bigint NOT NULL,
  sent    integer NOT NULL,
  PRIMARY KEY (bucket, second)
);
