-- Each browser login, so Settings can list the open ones and end any of them.
-- The session cookie's data holds the row id; a session whose row has ended
-- is signed out at its next request.
CREATE TABLE browser_sessions (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    started_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    address TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    ended_at INTEGER
);
CREATE INDEX browser_sessions_open ON browser_sessions (user_id, ended_at, last_seen_at);
