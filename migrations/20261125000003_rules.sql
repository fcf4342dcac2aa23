-- Remembered approvals: semantic rules matched on parsed, normalized commands.
CREATE TABLE rules (
    id               INTEGER PRIMARY KEY,
    user_id          INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    program          TEXT    NOT NULL,
    wrappers         TEXT    NOT NULL DEFAULT '[]', -- JSON: sudo, env, bash -c … seen through
    flags            TEXT    NOT NULL DEFAULT '[]', -- JSON: sorted normalized flags (`-f`, `-m=msg`)
    args             TEXT    NOT NULL DEFAULT '[]', -- JSON: argument patterns (exact or glob)
    writes           TEXT    NOT NULL DEFAULT '[]', -- JSON: output redirection targets
    scope            TEXT    NOT NULL,              -- directory subtree the rule applies in
    decision         TEXT    NOT NULL CHECK (decision IN ('allow', 'deny')),
    enabled          INTEGER NOT NULL DEFAULT 1,
    created_from_job INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
    hit_count        INTEGER NOT NULL DEFAULT 0,
    last_used_at     INTEGER,
    created_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX rules_by_user ON rules (user_id, program);
