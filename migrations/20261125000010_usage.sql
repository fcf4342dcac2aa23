-- The usage ledger: one row per model call DevOS made or refused to make.
-- Money is integer micro-dollars; `job_id` is NULL for calls outside a job.
CREATE TABLE usage (
    id                    INTEGER PRIMARY KEY,
    created_at            INTEGER NOT NULL,
    job_id                INTEGER,
    provider              TEXT    NOT NULL,
    model                 TEXT    NOT NULL,
    input_tokens          INTEGER NOT NULL CHECK (input_tokens >= 0),
    output_tokens         INTEGER NOT NULL CHECK (output_tokens >= 0),
    estimated_cost_micros INTEGER NOT NULL CHECK (estimated_cost_micros >= 0),
    actual_cost_micros    INTEGER NOT NULL CHECK (actual_cost_micros >= 0),
    latency_ms            INTEGER NOT NULL CHECK (latency_ms >= 0),
    outcome               TEXT    NOT NULL CHECK (outcome IN ('ok', 'invalid', 'error', 'refused')),
    detail                TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX usage_created_at ON usage (created_at);
CREATE INDEX usage_job_id ON usage (job_id);
