-- Counts per map grid cell for a nations filter, kept like event_cells (0001) by the triggers.
--
-- A nations filter over the whole region (zoom 2 to 4) had to count every matching event's
-- event_points row: 0.66 s for 730,000 of 2 million. nation_cells holds the events counted per
-- grid cell of zoom level 4 (90 / 2^4 = 5.625 degrees, 64 px), by months and nation set, with a
-- count per kind: such a view sums tens of thousands of rows instead. Cells of zoom 2 and 3 are
-- unions of 16 and 4 of these (the grids are aligned), so one level serves the three zooms.
-- Kinds are columns (layers/read/schema.py KINDS; a new kind needs a column here), not rows:
-- a third of the rows to read. The mean position (sx, sy) is over all kinds, so a view that
-- also picks kinds or zones is still counted on event_points.
CREATE TABLE nation_cells (
    nation_set integer NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    first_month integer NOT NULL,
    last_month integer NOT NULL,
    events integer NOT NULL,
    sx double precision NOT NULL,
    sy double precision NOT NULL,
    exercise integer NOT NULL,
    patrol integer NOT NULL,
    transit integer NOT NULL,
    port_call integer NOT NULL,
    deployment integer NOT NULL,
    incident integer NOT NULL,
    diplomacy integer NOT NULL,
    -- A filter reads the rows of the nation sets it matches, each set's rows together.
    PRIMARY KEY (nation_set, cx, cy, first_month, last_month)
);

-- What 0001's events_derive did, and nation_cells. An event's nation set is found by its
-- nations (nation_sets rows are never removed).
CREATE OR REPLACE FUNCTION events_derive() RETURNS trigger LANGUAGE plpgsql AS $$
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
        WITH counted AS (
            SELECT n.id AS nation_set, floor(r.x / 5.625)::integer AS cx,
                floor(r.y / 5.625)::integer AS cy, r.first_month, r.last_month,
                count(*) AS events, sum(r.x) AS sx, sum(r.y) AS sy,
                count(*) FILTER (WHERE r.kind = 'exercise') AS exercise,
                count(*) FILTER (WHERE r.kind = 'patrol') AS patrol,
                count(*) FILTER (WHERE r.kind = 'transit') AS transit,
                count(*) FILTER (WHERE r.kind = 'port_call') AS port_call,
                count(*) FILTER (WHERE r.kind = 'deployment') AS deployment,
                count(*) FILTER (WHERE r.kind = 'incident') AS incident,
                count(*) FILTER (WHERE r.kind = 'diplomacy') AS diplomacy
            FROM removed r JOIN nation_sets n ON n.nations = r.nations
            GROUP BY 1, 2, 3, 4, 5
        )
        UPDATE nation_cells e SET events = e.events - c.events, sx = e.sx - c.sx,
            sy = e.sy - c.sy, exercise = e.exercise - c.exercise, patrol = e.patrol - c.patrol,
            transit = e.transit - c.transit, port_call = e.port_call - c.port_call,
            deployment = e.deployment - c.deployment, incident = e.incident - c.incident,
            diplomacy = e.diplomacy - c.diplomacy
        FROM counted c
        WHERE (e.nation_set, e.cx, e.cy, e.first_month, e.last_month)
            = (c.nation_set, c.cx, c.cy, c.first_month, c.last_month);
        DELETE FROM nation_cells WHERE events <= 0;
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
        INSERT INTO nation_cells AS e
            (nation_set, cx, cy, first_month, last_month, events, sx, sy, exercise, patrol,
            transit, port_call, deployment, incident, diplomacy)
            SELECT n.id, floor(a.x / 5.625)::integer, floor(a.y / 5.625)::integer,
                a.first_month, a.last_month, count(*), sum(a.x), sum(a.y),
                count(*) FILTER (WHERE a.kind = 'exercise'),
                count(*) FILTER (WHERE a.kind = 'patrol'),
                count(*) FILTER (WHERE a.kind = 'transit'),
                count(*) FILTER (WHERE a.kind = 'port_call'),
                count(*) FILTER (WHERE a.kind = 'deployment'),
                count(*) FILTER (WHERE a.kind = 'incident'),
                count(*) FILTER (WHERE a.kind = 'diplomacy')
            FROM added a JOIN nation_sets n ON n.nations = a.nations
            GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
            ON CONFLICT (nation_set, cx, cy, first_month, last_month)
            DO UPDATE SET events = e.events + excluded.events, sx = e.sx + excluded.sx,
                sy = e.sy + excluded.sy, exercise = e.exercise + excluded.exercise,
                patrol = e.patrol + excluded.patrol, transit = e.transit + excluded.transit,
                port_call = e.port_call + excluded.port_call,
                deployment = e.deployment + excluded.deployment,
                incident = e.incident + excluded.incident,
                diplomacy = e.diplomacy + excluded.diplomacy;
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION events_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE event_points, event_groups, event_cells, nation_cells;
    RETURN NULL;
END
$$;

-- The events stored before this migration.
INSERT INTO nation_cells
    (nation_set, cx, cy, first_month, last_month, events, sx, sy, exercise, patrol, transit,
    port_call, deployment, incident, diplomacy)
    SELECT nation_set, floor(x / 5.625)::integer, floor(y / 5.625)::integer, first_month,
        last_month, count(*), sum(x), sum(y),
        count(*) FILTER (WHERE kind = 'exercise'), count(*) FILTER (WHERE kind = 'patrol'),
        count(*) FILTER (WHERE kind = 'transit'), count(*) FILTER (WHERE kind = 'port_call'),
        count(*) FILTER (WHERE kind = 'deployment'), count(*) FILTER (WHERE kind = 'incident'),
        count(*) FILTER (WHERE kind = 'diplomacy')
    FROM event_points GROUP BY 1, 2, 3, 4, 5;
ANALYZE nation_cells;
