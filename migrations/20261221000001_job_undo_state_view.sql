-- What each job's undo can do, as every job read shows it (status polls,
-- job cards, lists): the phase of its newest kept snapshot and whether
-- typed file actions left journal entries not yet undone, or undone. One
-- definition, joined by the store's compile-time checked queries.
CREATE VIEW job_undo_state AS
SELECT jobs.id AS job_id,
    (SELECT phase FROM snapshots
     WHERE job_id = jobs.id AND dropped_at IS NULL
     ORDER BY id DESC LIMIT 1) AS last_snapshot_phase,
    EXISTS (SELECT 1 FROM undo_journal
            WHERE job_id = jobs.id AND undone_at IS NULL) AS has_journal,
    EXISTS (SELECT 1 FROM undo_journal
            WHERE job_id = jobs.id AND undone_at IS NOT NULL) AS has_undone_journal
FROM jobs;
