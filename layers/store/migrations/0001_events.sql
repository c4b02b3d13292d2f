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
