-- The process group of a bash/python step and the DevOS process that ran it,
-- so that the next start can stop what a crashed DevOS left running without
-- ever signalling a recycled pid. Start times are field 22 of /proc/PID/stat
-- (clock ticks since boot), comparable only within the recorded boot_id.
ALTER TABLE steps ADD COLUMN pgid INTEGER;
ALTER TABLE steps ADD COLUMN pgid_start_ticks INTEGER;
ALTER TABLE steps ADD COLUMN runner_pid INTEGER;
ALTER TABLE steps ADD COLUMN runner_start_ticks INTEGER;
ALTER TABLE steps ADD COLUMN boot_id TEXT;
