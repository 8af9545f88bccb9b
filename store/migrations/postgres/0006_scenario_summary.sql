-- 0006: what the list of scenarios shows of each (title, number of issues
-- and actors, or why it cannot be read), recorded with every save so that
-- listing reads no source. NULL for scenarios saved before this
-- migration, until listed once.
ALTER TABLE scenarios ADD COLUMN title TEXT;
ALTER TABLE scenarios ADD COLUMN issues BIGINT;
ALTER TABLE scenarios ADD COLUMN actors BIGINT;
ALTER TABLE scenarios ADD COLUMN error TEXT;
