-- 0001: runs and the per-draw results of sweeps. JSON columns use the
-- json type (stored as written) rather than jsonb, so documents come back
-- byte for byte.
CREATE TABLE runs (
    id           BIGSERIAL PRIMARY KEY,
    kind         TEXT        NOT NULL,
    status       TEXT        NOT NULL,
    scenario     TEXT        NOT NULL,
    snapshot     JSON        NOT NULL,
    model        TEXT        NOT NULL,
    variant      TEXT        NOT NULL,
    params       JSON        NOT NULL,
    config       JSON,
    seed         BIGINT      NOT NULL,
    code_version TEXT        NOT NULL,
    created      TIMESTAMPTZ NOT NULL,
    result       JSON
);
CREATE INDEX runs_kind ON runs (kind, id);

CREATE TABLE draws (
    run_id BIGINT  NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
    idx    INTEGER NOT NULL,
    data   JSON    NOT NULL,
    PRIMARY KEY (run_id, idx)
);
