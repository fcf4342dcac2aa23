-- Per-user preferences that override devos.toml: auto-approve safe steps,
-- approval timeout, extra write roots (JSON list of absolute paths).
CREATE TABLE settings (
    user_id               INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    auto_approve_safe     INTEGER,
    approval_timeout_secs INTEGER,
    write_roots           TEXT    NOT NULL DEFAULT '[]',
    updated_at            INTEGER NOT NULL
) STRICT;
