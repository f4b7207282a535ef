-- xmlshred's own bookkeeping. @key_column@ is replaced by the contracts' key
-- column (e.g. app_id) when the schema is created. Times are UTC.

-- One row per record key: how its last processing ended. The key column is
-- the primary key, so a resumed run finds done work with one lookup.
CREATE TABLE IF NOT EXISTS @schema@.processing_log (
  @key_column@ bigint       NOT NULL PRIMARY KEY,
  status       varchar(20)  NOT NULL
               CHECK (status IN ('converted', 'rejected', 'failed')),
  category     varchar(40),
  message      text,
  attempts     integer      NOT NULL DEFAULT 1,
  run_id       varchar(64)  NOT NULL,
  contract     varchar(200),
  started_at   timestamp,
  finished_at  timestamp    NOT NULL,
  duration_ms  bigint
);

CREATE INDEX IF NOT EXISTS processing_log_run_status
  ON @schema@.processing_log (run_id, status);

-- One row per run: its settings at start, its totals and exit code at end.
CREATE TABLE IF NOT EXISTS @schema@.runs (
  run_id          varchar(64) NOT NULL PRIMARY KEY,
  started_at      timestamp   NOT NULL,
  finished_at     timestamp,
  settings        text,
  read_count      bigint,
  converted_count bigint,
  rejected_count  bigint,
  failed_count    bigint,
  exit_code       integer
);

-- One row per record `xmlshred requeue` made eligible again: when, by which
-- selection, and what its processing-log row said before it was deleted.
CREATE TABLE IF NOT EXISTS @schema@.requeue_log (
  requeued_at       timestamp    NOT NULL,
  selector          varchar(200) NOT NULL,
  @key_column@      bigint       NOT NULL,
  previous_status   varchar(20),
  previous_category varchar(40),
  previous_message  text,
  previous_run_id   varchar(64)
);

CREATE INDEX IF NOT EXISTS requeue_log_key
  ON @schema@.requeue_log (@key_column@);
