-- Jobs, their steps, output, approvals and the undo journal.
CREATE TABLE jobs (
    id                    INTEGER PRIMARY KEY,
    user_id               INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    request               TEXT    NOT NULL,
    cwd                   TEXT    NOT NULL,
    status                TEXT    NOT NULL,
    planner               TEXT    NOT NULL DEFAULT '',
    interpretation        TEXT    NOT NULL DEFAULT '',
    explanation           TEXT    NOT NULL DEFAULT '',
    risks                 TEXT    NOT NULL DEFAULT '[]',
    requires_approval     INTEGER NOT NULL DEFAULT 0,
    estimated_cost_micros INTEGER NOT NULL DEFAULT 0,
    model_used            TEXT,
    result                TEXT,
    error                 TEXT,
    approval_deadline_at  INTEGER,
    created_at            INTEGER NOT NULL,
    updated_at            INTEGER NOT NULL,
    started_at            INTEGER,
    finished_at           INTEGER
) STRICT;
CREATE INDEX jobs_by_user ON jobs (user_id, id DESC);
CREATE INDEX jobs_by_status ON jobs (status);

CREATE TABLE steps (
    job_id      INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    idx         INTEGER NOT NULL,
    description TEXT    NOT NULL,
    action      TEXT    NOT NULL, -- JSON of the plan's StepAction
    ops         TEXT    NOT NULL DEFAULT '[]', -- JSON of resolved file ops (fs steps)
    level       TEXT    NOT NULL,
    decision    TEXT    NOT NULL,
    reasons     TEXT    NOT NULL DEFAULT '[]',
    preview     TEXT    NOT NULL DEFAULT '',
    undoable    INTEGER NOT NULL DEFAULT 0,
    status      TEXT    NOT NULL DEFAULT 'pending',
    exit_code   INTEGER,
    started_at  INTEGER,
    finished_at INTEGER,
    PRIMARY KEY (job_id, idx)
) STRICT;

CREATE TABLE job_logs (
    id     INTEGER PRIMARY KEY,
    job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    step   INTEGER NOT NULL,
    stream TEXT    NOT NULL,
    line   TEXT    NOT NULL,
    at     INTEGER NOT NULL
) STRICT;
CREATE INDEX job_logs_by_job ON job_logs (job_id, id);

CREATE TABLE approvals (
    id       INTEGER PRIMARY KEY,
    job_id   INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    approved INTEGER NOT NULL,
    remember INTEGER NOT NULL DEFAULT 0,
    note     TEXT    NOT NULL DEFAULT '',
    at       INTEGER NOT NULL
) STRICT;

CREATE TABLE undo_journal (
    id        INTEGER PRIMARY KEY,
    job_id    INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    step      INTEGER NOT NULL,
    entry     TEXT    NOT NULL, -- JSON of fsops::JournalEntry
    at        INTEGER NOT NULL,
    undone_at INTEGER
) STRICT;
CREATE INDEX undo_journal_by_job ON undo_journal (job_id, id);
