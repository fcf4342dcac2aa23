-- The context snapshot a job was planned with (redacted JSON), shown on its card.
ALTER TABLE jobs ADD COLUMN context TEXT NOT NULL DEFAULT '';
