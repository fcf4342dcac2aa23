-- Budgets a person set on the Costs page, in micro-dollars. They replace
-- `[budgets]` of the config for that person's jobs; NULL until first saved.
ALTER TABLE settings ADD COLUMN budget_per_job_micros INTEGER;
ALTER TABLE settings ADD COLUMN budget_daily_micros INTEGER;
ALTER TABLE settings ADD COLUMN budget_monthly_micros INTEGER;
