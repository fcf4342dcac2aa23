-- Steps that reach the network (curl, git fetch, …): approved ones may connect out.
ALTER TABLE steps ADD COLUMN network INTEGER NOT NULL DEFAULT 0;
