-- 0005: the process writing a run. A sweep's writer holds a lease (a
-- random owner token and the time it lapses), renewed while it runs and
-- released when it stops, so that a second process cannot resume the
-- sweep while the first still writes it. NULL when no one holds it.
ALTER TABLE runs ADD COLUMN writer TEXT;
ALTER TABLE runs ADD COLUMN lease_until TIMESTAMPTZ;
