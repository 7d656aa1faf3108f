-- 0011_planning (PostgreSQL): the planning look-up's last import of the
-- plan's zones and of the cadastre's parcels. The same schema as
-- migrations/0011_planning.sql, which explains it, in PostgreSQL's types
-- (area, the packed geometry, is bytea).

CREATE TABLE planning_zones (
    id            text             NOT NULL PRIMARY KEY,
    code          text             NOT NULL,
    name          text             NOT NULL,
    density       double precision NOT NULL,
    height        double precision NOT NULL,
    floors        bigint           NOT NULL,
    far           double precision NOT NULL,
    decision      text             NOT NULL,
    decision_date text             NOT NULL,
    area          bytea            NOT NULL
);

CREATE TABLE planning_parcels (
    sheet  text  NOT NULL,
    number text  NOT NULL,
    area   bytea NOT NULL,
    PRIMARY KEY (sheet, number)
);

CREATE TABLE planning_imports (
    kind   text   NOT NULL PRIMARY KEY CHECK (kind IN ('zones', 'parcels')),
    name   text   NOT NULL,
    crs    text   NOT NULL,
    sample bigint NOT NULL CHECK (sample IN (0, 1)),
    at     text,
    count  bigint NOT NULL
);
