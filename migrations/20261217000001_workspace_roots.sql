-- Folders a person added as workspace roots from the console ("Watch this
-- folder"), watched beside `[workspace] roots` of the config, from the next
-- start too.
CREATE TABLE workspace_roots (
    path TEXT PRIMARY KEY NOT NULL,
    added_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    added_at INTEGER NOT NULL
);
