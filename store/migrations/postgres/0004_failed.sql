-- 0004: why a run failed. A run whose job panicked (a bug, not bad input:
-- every input is checked before a run starts) is marked "failed" and
-- keeps the reason here; NULL for every other run.
ALTER TABLE runs ADD COLUMN error TEXT;
