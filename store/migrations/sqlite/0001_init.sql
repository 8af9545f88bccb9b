-- 0001: runs and the per-draw results of sweeps.
CREATE TABLE runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    kind         TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    scenario     TEXT    NOT NULL,
    snapshot     TEXT    NOT NULL,
    model        TEXT    NOT NULL,
    variant      TEXT    NOT NULL,
    params       TEXT    NOT NULL,
    config       TEXT,
    seed         INTEGER NOT NULL,
    code_version TEXT    NOT NULL,
    created      TEXT    NOT NULL,
    result       TEXT
);
CREATE INDEX runs_kind ON runs (kind, id);

CREATE TABLE draws (
    run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    idx    INTEGER NOT NULL,
    data   TEXT    NOT NULL,
    PRIMARY KEY (run_id, idx)
);
