-- Full-text search over History: one FTS5 row per job (rowid = jobs.id)
-- holding what was asked, the plan (interpretation, explanation, each
-- step's description and command) and the output (result and error).
-- Triggers keep it in step with `jobs` and `steps`, so no code path can
-- forget it; the store only reads it.
CREATE VIRTUAL TABLE job_search USING fts5(
    request,
    plan,
    output,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);

CREATE TRIGGER job_search_insert AFTER INSERT ON jobs BEGIN
    INSERT INTO job_search (rowid, request, plan, output) VALUES (new.id, new.request, '', '');
END;

-- A job's plan as search reads it: interpretation, explanation, then each
-- step's description and command, one per line.
CREATE VIEW job_plan_text AS
SELECT j.id,
    j.interpretation || char(10) || j.explanation || coalesce((
        SELECT char(10) || group_concat(
            description || coalesce(char(10) || json_extract(action, '$.command'), ''), char(10))
        FROM (SELECT description, action FROM steps WHERE job_id = j.id ORDER BY idx)), '') AS plan
FROM jobs j;

CREATE TRIGGER job_search_plan AFTER UPDATE OF interpretation, explanation ON jobs BEGIN
    UPDATE job_search
    SET plan = (SELECT plan FROM job_plan_text WHERE id = new.id)
    WHERE rowid = new.id;
END;

CREATE TRIGGER job_search_step AFTER INSERT ON steps BEGIN
    UPDATE job_search
    SET plan = plan || char(10) || new.description
        || coalesce(char(10) || json_extract(new.action, '$.command'), '')
    WHERE rowid = new.job_id;
END;

CREATE TRIGGER job_search_output AFTER UPDATE OF result, error ON jobs BEGIN
    UPDATE job_search
    SET output = coalesce(new.result, '') || char(10) || coalesce(new.error, '')
    WHERE rowid = new.id;
END;

CREATE TRIGGER job_search_delete AFTER DELETE ON jobs BEGIN
    DELETE FROM job_search WHERE rowid = old.id;
END;

-- Jobs from before this migration.
INSERT INTO job_search (rowid, request, plan, output)
SELECT j.id, j.request, p.plan, coalesce(j.result, '') || char(10) || coalesce(j.error, '')
FROM jobs j JOIN job_plan_text p ON p.id = j.id;

-- History's filters page by id within one user; these keep a rare status or
-- planner, or an old date range, from scanning every newer job.
CREATE INDEX jobs_by_user_status ON jobs (user_id, status, id);
CREATE INDEX jobs_by_user_planner ON jobs (user_id, planner, id);
CREATE INDEX jobs_by_user_created ON jobs (user_id, created_at);
