-- The shared event store: events and named areas as validated by layers/read/load.py, in
-- PostGIS. Applied once by `python -m layers.db init` (layers/store/migrations.py).
CREATE EXTENSION IF NOT EXISTS postgis;

-- Named areas (geodata/areas/*.geojson): map layers and the zones events are tagged with.
CREATE TABLE areas (
    id text PRIMARY KEY,
    name text NOT NULL,
    alt_names text[] NOT NULL DEFAULT '{}',
    kind text NOT NULL,
    note text NOT NULL DEFAULT '',
    default_visible boolean NOT NULL DEFAULT true,
    file text NOT NULL,
    -- The order areas were read in: zone tags and layer lists follow it.
    position integer NOT NULL,
    geom geometry(Geometry, 4326) NOT NULL
);

CREATE TABLE events (
    id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9._-]{0,127}$'),
    -- A number for the derived tables below (shorter than the id).
    number bigint GENERATED ALWAYS AS IDENTITY,
    title text NOT NULL,
    summary text NOT NULL DEFAULT '',
    kind text NOT NULL,
    -- The dates as written: their form is their precision (2024-07-18, 2024-07, 2024).
    start_text text NOT NULL,
    end_text text NOT NULL DEFAULT '',
    -- The first and last day those dates cover (2024-07: 1 and 31 July), for queries.
    start_day date NOT NULL,
    end_day date NOT NULL CHECK (end_day >= start_day),
    -- The same as month numbers (year * 12 + month - 1): an event counts in each month
    -- from first_month to last_month.
    first_month integer GENERATED ALWAYS AS
        ((extract(year FROM start_day) * 12 + extract(month FROM start_day) - 1)::integer) STORED,
    last_month integer GENERATED ALWAYS AS
        ((extract(year FROM end_day) * 12 + extract(month FROM end_day) - 1)::integer) STORED,
    nations text[] NOT NULL CHECK (cardinality(nations) > 0),
    organisations text[] NOT NULL DEFAULT '{}',
    forces text[] NOT NULL DEFAULT '{}',
    area text NOT NULL DEFAULT '',
    location_precision_km double precision,
    sources jsonb NOT NULL,
    -- Where the event came from: "events/<file>.geojson", or "upload: <name>" when an analyst
    -- saved it from the dashboard.
    file text NOT NULL,
    -- Zone tags (layers/analysis/zones.py), computed when the event is stored.
    zones_in text[] NOT NULL DEFAULT '{}',
    zones_possibly text[] NOT NULL DEFAULT '{}',
    geom geometry(Geometry, 4326) NOT NULL,
    -- A point on the event in the map's Pacific-centred frame (western longitudes + 360):
    -- where it is counted when the map shows counts per grid cell.
    x double precision NOT NULL,
    y double precision NOT NULL,
    -- A hash of the event's validated content: importing the same event again is no change.
    digest text NOT NULL,
    saved_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX events_geom ON events USING gist (geom);
CREATE INDEX events_period ON events USING gist (daterange(start_day, end_day, '[]'));
CREATE INDEX events_order ON events (start_day, id);
CREATE INDEX events_end ON events (end_day);
CREATE INDEX events_nations ON events USING gin (nations);
CREATE INDEX events_zones_in ON events USING gin (zones_in);
CREATE INDEX events_zones_possibly ON events USING gin (zones_possibly);
CREATE INDEX events_kind ON events (kind);

-- What the dashboard counts by, derived from `events` by the triggers below (never written
-- by hand). An event's nations and zone tags are numbered as sets (nation_sets, zone_sets):
-- events that share every filtered attribute (months, kind, nations, zones) form one row of
-- event_groups, so counts per month come from thousands of groups, not millions of events;
-- event_points holds one narrow row per event (its cell position and those numbers), so
-- counting per map cell reads 60 bytes an event instead of the whole record.
CREATE TABLE nation_sets (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    nations text[] NOT NULL UNIQUE
);
CREATE INDEX nation_sets_nations ON nation_sets USING gin (nations);

CREATE TABLE zone_sets (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    zones_in text[] NOT NULL,
    zones_possibly text[] NOT NULL,
    UNIQUE (zones_in, zones_possibly)
);

CREATE TABLE event_points (
    event bigint PRIMARY KEY,  -- events.number
    kind text NOT NULL,
    first_month integer NOT NULL,
    last_month integer NOT NULL,
    nation_set integer NOT NULL,
    zone_set integer NOT NULL,
    x double precision NOT NULL,
    y double precision NOT NULL
);
-- Plain ranges on x estimate well, so the planner reads a narrow window by index and a wide
-- one in a scan. A first import stores the points grouped by nation set (CLUSTER), so a
-- nations filter reads the pages of the matching sets only.
CREATE INDEX event_points_x ON event_points (x);
CREATE INDEX event_points_nation_set ON event_points (nation_set);

-- Events counted per map grid cell at the zoom levels 2 to 8 (cells of 64 px: 90 / 2^level
-- degrees, layers.aggregate), by months and kind: what the map shows with no nations or zones
-- filter, read from a few thousand rows at low zoom instead of every event.
CREATE TABLE event_cells (
    level smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    first_month integer NOT NULL,
    last_month integer NOT NULL,
    kind text NOT NULL,
    events integer NOT NULL,
    sx double precision NOT NULL,
    sy double precision NOT NULL,
    PRIMARY KEY (level, cx, cy, first_month, last_month, kind)
);

CREATE TABLE event_groups (
    first_month integer NOT NULL,
    last_month integer NOT NULL,
    kind text NOT NULL,
    nation_set integer NOT NULL,
    zone_set integer NOT NULL,
    events integer NOT NULL,
    PRIMARY KEY (first_month, last_month, kind, nation_set, zone_set)
);

-- One function for inserts, deletes and updates (an update is a removal and an addition),
-- set-based on the statement's transition tables, so a COPY of a million events costs a few
-- statements. Every step takes its rows in key order: concurrent writers lock in the same
-- order and never deadlock.
CREATE FUNCTION events_derive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        WITH gone AS (
            DELETE FROM event_points p USING removed r WHERE p.event = r.number RETURNING p.*
        ), counted AS (
            SELECT first_month, last_month, kind, nation_set, zone_set, count(*) AS n
            FROM gone GROUP BY 1, 2, 3, 4, 5
        )
        UPDATE event_groups g SET events = g.events - c.n FROM counted c
        WHERE (g.first_month, g.last_month, g.kind, g.nation_set, g.zone_set)
            = (c.first_month, c.last_month, c.kind, c.nation_set, c.zone_set);
        DELETE FROM event_groups WHERE events <= 0;
        WITH counted AS (
            SELECT l.level, floor(r.x / (90.0 / 2 ^ l.level))::integer AS cx,
                floor(r.y / (90.0 / 2 ^ l.level))::integer AS cy, r.first_month,
                r.last_month, r.kind, count(*) AS n, sum(r.x) AS sx, sum(r.y) AS sy
            FROM removed r, generate_series(2, 8) AS l(level)
            GROUP BY 1, 2, 3, 4, 5, 6
        )
        UPDATE event_cells e SET events = e.events - c.n, sx = e.sx - c.sx, sy = e.sy - c.sy
        FROM counted c
        WHERE (e.level, e.cx, e.cy, e.first_month, e.last_month, e.kind)
            = (c.level, c.cx, c.cy, c.first_month, c.last_month, c.kind);
        DELETE FROM event_cells WHERE events <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO nation_sets (nations)
            SELECT DISTINCT nations FROM added ORDER BY 1 ON CONFLICT DO NOTHING;
        INSERT INTO zone_sets (zones_in, zones_possibly)
            SELECT DISTINCT zones_in, zones_possibly FROM added ORDER BY 1, 2
            ON CONFLICT DO NOTHING;
        INSERT INTO event_points
            (event, kind, first_month, last_month, nation_set, zone_set, x, y)
            SELECT a.number, a.kind, a.first_month, a.last_month, n.id, z.id, a.x, a.y
            FROM added a
            JOIN nation_sets n ON n.nations = a.nations
            JOIN zone_sets z ON (z.zones_in, z.zones_possibly) = (a.zones_in, a.zones_possibly);
        INSERT INTO event_groups AS g
            (first_month, last_month, kind, nation_set, zone_set, events)
            SELECT p.first_month, p.last_month, p.kind, p.nation_set, p.zone_set, count(*)
            FROM event_points p JOIN added a ON p.event = a.number
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (first_month, last_month, kind, nation_set, zone_set)
            DO UPDATE SET events = g.events + excluded.events;
        INSERT INTO event_cells AS e
            (level, cx, cy, first_month, last_month, kind, events, sx, sy)
            SELECT l.level, floor(a.x / (90.0 / 2 ^ l.level))::integer,
                floor(a.y / (90.0 / 2 ^ l.level))::integer, a.first_month, a.last_month,
                a.kind, count(*), sum(a.x), sum(a.y)
            FROM added a, generate_series(2, 8) AS l(level)
            GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
            ON CONFLICT (level, cx, cy, first_month, last_month, kind)
            DO UPDATE SET events = e.events + excluded.events, sx = e.sx + excluded.sx,
                sy = e.sy + excluded.sy;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER events_added AFTER INSERT ON events REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION events_derive();
CREATE TRIGGER events_removed AFTER DELETE ON events REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION events_derive();
CREATE TRIGGER events_updated AFTER UPDATE ON events
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION events_derive();

CREATE FUNCTION events_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE event_points, event_groups, event_cells;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_truncated AFTER TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_truncated();

-- One row: a number that changes with every change to the events or areas, so each
-- dashboard process knows when what it holds about the store is out of date.
CREATE TABLE store_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version bigint NOT NULL DEFAULT 0
);
INSERT INTO store_state DEFAULT VALUES;

CREATE FUNCTION bump_store_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE store_state SET version = version + 1;
    RETURN NULL;
END
$$;

CREATE TRIGGER events_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION bump_store_version();
CREATE TRIGGER areas_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON areas
    FOR EACH STATEMENT EXECUTE FUNCTION bump_store_version();
