-- Per-account login backoff, kept in the database so `devos user unlock`
-- (another process) can clear it and a restart does not reset it.
CREATE TABLE login_attempts (
    -- The login name as typed, lower-cased (unknown names are counted too).
    account TEXT PRIMARY KEY NOT NULL,
    -- Attempts since the last success; each is counted before its hash is checked.
    failures INTEGER NOT NULL,
    last_attempt_at INTEGER NOT NULL,
    -- Unix seconds before which no attempt is checked at all.
    locked_until INTEGER NOT NULL
);
