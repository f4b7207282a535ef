-- xmlshred's own bookkeeping. @key_column@ is replaced by the contracts' key
-- column (e.g. app_id) when the schema is created.

-- One row per record key: how its last processing ended. The key column is
-- the primary key, so a resumed run finds done work with one lookup.
CREATE TABLE IF NOT EXISTS processing_log (
  @key_column@ INTEGER NOT NULL PRIMARY KEY,
  status       TEXT    NOT NULL
               CHECK (status IN ('converted', 'rejected', 'failed')),
  category     TEXT,
  message      TEXT,
  attempts     INTEGER NOT NULL DEFAULT 1,
  run_id       TEXT    NOT NULL,
  contract     TEXT,
  started_at   TEXT,
  finished_at  TEXT    NOT NULL,
  duration_ms  INTEGER
) STRICT;

CREATE INDEX IF NOT EXISTS processing_log_run_status
  ON processing_log (run_id, status);

-- One row per run: its settings at start, its totals and exit code at end.
CREATE TABLE IF NOT EXISTS runs (
  run_id          TEXT    NOT NULL PRIMARY KEY,
  started_at      TEXT    NOT NULL,
  finished_at     TEXT,
  settings        TEXT,
  read_count      INTEGER,
  converted_count INTEGER,
  rejected_count  INTEGER,
  failed_count    INTEGER,
  exit_code       INTEGER
) STRICT;

-- One row per record `xmlshred requeue` made eligible again: when, by which
-- selection, and what its processing-log row said before it was deleted.
CREATE TABLE IF NOT EXISTS requeue_log (
  requeued_at       TEXT    NOT NULL,
  selector          TEXT    NOT NULL,
  @key_column@      INTEGER NOT NULL,
  previous_status   TEXT,
  previous_category TEXT,
  previous_message  TEXT,
  previous_run_id   TEXT
) STRICT;

CREATE INDEX IF NOT EXISTS requeue_log_key ON requeue_log (@key_column@);
