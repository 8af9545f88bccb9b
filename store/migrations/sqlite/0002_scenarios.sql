-- 0002: scenarios edited through the web server. Each row holds the
-- scenario's source text (Parley JSON) as last saved and a version that
-- every update increments, so a lost update is detected.
CREATE TABLE scenarios (
    name     TEXT    PRIMARY KEY,
    source   TEXT    NOT NULL,
    version  INTEGER NOT NULL,
    updated  TEXT    NOT NULL
);
