-- Sessions carry the epoch they were made in; bumping it signs out every
-- other session of the user at once (password change, "sign out others").
ALTER TABLE users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
