-- 0003: when a run was last written (created, draws added, status set,
-- finished), so that a run still marked running whose process was killed
-- can be told from one that is making progress.
ALTER TABLE runs ADD COLUMN updated TIMESTAMPTZ;
UPDATE runs SET updated = created;
