-- The extra write roots a job was decided with (the user's preference at
-- planning time, JSON array of absolute paths). Execution uses these, so a
-- folder added to the preferences after approval never widens an approved
-- job's sandbox. Jobs planned before this column read as none.
ALTER TABLE jobs ADD COLUMN write_roots TEXT NOT NULL DEFAULT '[]';
