-- 0011_planning: the planning look-up (docs/planning.md): the last import
-- of the plan's zones and of the cadastre's parcels. An import replaces
-- the previous one whole, in one transaction.
--
-- area is the geometry in WGS 84, packed (store/planning.go "packArea"):
-- little-endian uint32 counts and float64 lon, lat pairs, so that 100,000
-- parcels store and load in seconds rather than as JSON text.

-- The zones of the plan and their rules.
CREATE TABLE planning_zones (
    id            TEXT    NOT NULL PRIMARY KEY,
    code          TEXT    NOT NULL,
    name          TEXT    NOT NULL,
    density       REAL    NOT NULL,
    height        REAL    NOT NULL,
    floors        INTEGER NOT NULL,
    far           REAL    NOT NULL,
    decision      TEXT    NOT NULL,
    decision_date TEXT    NOT NULL,
    area          BLOB    NOT NULL
) STRICT;

-- The land parcels: sheet (số tờ) and number (số thửa) name one.
CREATE TABLE planning_parcels (
    sheet  TEXT NOT NULL,
    number TEXT NOT NULL,
    area   BLOB NOT NULL,
    PRIMARY KEY (sheet, number)
) STRICT;

-- What each import was: kind 'zones' or 'parcels', one row each at most.
CREATE TABLE planning_imports (
    kind   TEXT    NOT NULL PRIMARY KEY CHECK (kind IN ('zones', 'parcels')),
    name   TEXT    NOT NULL,
    crs    TEXT    NOT NULL,
    sample INTEGER NOT NULL CHECK (sample IN (0, 1)),
    at     TEXT,
    count  INTEGER NOT NULL
) STRICT;
