-- Undo snapshots of a job's write roots (the objects live in <data dir>/snapshots).
-- phase: `before` (before the job's first writing step), `after` (when it ended),
-- `undone` and `redone` (after each undo and redo). A job's undo state is its
-- newest row; dropped snapshots keep their row with `dropped_at` set.
CREATE TABLE snapshots (
    id         INTEGER PRIMARY KEY,
    job_id     INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    root       TEXT    NOT NULL,
    phase      TEXT    NOT NULL CHECK (phase IN ('before', 'after', 'undone', 'redone')),
    manifest   TEXT    NOT NULL,
    files      INTEGER NOT NULL,
    bytes      INTEGER NOT NULL,
    taken_ns   INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    dropped_at INTEGER
) STRICT;
CREATE INDEX snapshots_by_job ON snapshots (job_id, id);
