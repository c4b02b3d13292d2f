-- The kinds navigational warnings announce (issue 23; layers/read/schema.py KINDS): live_fire,
-- launch, survey and hazardous_operations. nation_cells (0002) and cell_months (0003) hold a
-- column per kind, kept by their triggers: each gains a column, and the trigger functions count
-- the new kinds as they count the others. No event stored before this migration has one of
-- these kinds (the validator refused them), so the columns start at 0.
ALTER TABLE nation_cells
    ADD COLUMN live_fire integer NOT NULL DEFAULT 0,
    ADD COLUMN launch integer NOT NULL DEFAULT 0,
    ADD COLUMN survey integer NOT NULL DEFAULT 0,
    ADD COLUMN hazardous_operations integer NOT NULL DEFAULT 0;
ALTER TABLE cell_months
    ADD COLUMN live_fire integer NOT NULL DEFAULT 0,
    ADD COLUMN launch integer NOT NULL DEFAULT 0,
    ADD COLUMN survey integer NOT NULL DEFAULT 0,
    ADD COLUMN hazardous_operations integer NOT NULL DEFAULT 0;

-- 0002's events_derive, counting the new kinds in nation_cells.
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
                count(*) FILTER (WHERE r.kind = 'live_fire') AS live_fire,
                count(*) FILTER (WHERE r.kind = 'launch') AS launch,
                count(*) FILTER (WHERE r.kind = 'survey') AS survey,
                count(*) FILTER (WHERE r.kind = 'hazardous_operations') AS hazardous_operations,
                count(*) FILTER (WHERE r.kind = 'diplomacy') AS diplomacy
            FROM removed r JOIN nation_sets n ON n.nations = r.nations
            GROUP BY 1, 2, 3, 4, 5
        )
        UPDATE nation_cells e SET events = e.events - c.events, sx = e.sx - c.sx,
            sy = e.sy - c.sy, exercise = e.exercise - c.exercise, patrol = e.patrol - c.patrol,
            transit = e.transit - c.transit, port_call = e.port_call - c.port_call,
            deployment = e.deployment - c.deployment, incident = e.incident - c.incident,
            live_fire = e.live_fire - c.live_fire,
            launch = e.launch - c.launch,
            survey = e.survey - c.survey,
            hazardous_operations = e.hazardous_operations - c.hazardous_operations,
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
            transit, port_call, deployment, incident,
            live_fire, launch, survey, hazardous_operations, diplomacy)
            SELECT n.id, floor(a.x / 5.625)::integer, floor(a.y / 5.625)::integer,
                a.first_month, a.last_month, count(*), sum(a.x), sum(a.y),
                count(*) FILTER (WHERE a.kind = 'exercise'),
                count(*) FILTER (WHERE a.kind = 'patrol'),
                count(*) FILTER (WHERE a.kind = 'transit'),
                count(*) FILTER (WHERE a.kind = 'port_call'),
                count(*) FILTER (WHERE a.kind = 'deployment'),
                count(*) FILTER (WHERE a.kind = 'incident'),
                count(*) FILTER (WHERE a.kind = 'live_fire'),
                count(*) FILTER (WHERE a.kind = 'launch'),
                count(*) FILTER (WHERE a.kind = 'survey'),
                count(*) FILTER (WHERE a.kind = 'hazardous_operations'),
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
                live_fire = e.live_fire + excluded.live_fire,
                launch = e.launch + excluded.launch,
                survey = e.survey + excluded.survey,
                hazardous_operations = e.hazardous_operations + excluded.hazardous_operations,
                diplomacy = e.diplomacy + excluded.diplomacy;
    END IF;
    RETURN NULL;
END
$$;

-- 0003's cell_months_derive, counting the new kinds.
CREATE OR REPLACE FUNCTION cell_months_derive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        WITH counted AS (
            SELECT l.level, floor(r.x / (90.0 / 2 ^ l.level))::integer AS cx,
                floor(r.y / (90.0 / 2 ^ l.level))::integer AS cy, m.month,
                count(*) AS events, sum(r.x) AS sx, sum(r.y) AS sy,
                count(*) FILTER (WHERE r.kind = 'exercise') AS exercise,
                count(*) FILTER (WHERE r.kind = 'patrol') AS patrol,
                count(*) FILTER (WHERE r.kind = 'transit') AS transit,
                count(*) FILTER (WHERE r.kind = 'port_call') AS port_call,
                count(*) FILTER (WHERE r.kind = 'deployment') AS deployment,
                count(*) FILTER (WHERE r.kind = 'incident') AS incident,
                count(*) FILTER (WHERE r.kind = 'live_fire') AS live_fire,
                count(*) FILTER (WHERE r.kind = 'launch') AS launch,
                count(*) FILTER (WHERE r.kind = 'survey') AS survey,
                count(*) FILTER (WHERE r.kind = 'hazardous_operations') AS hazardous_operations,
                count(*) FILTER (WHERE r.kind = 'diplomacy') AS diplomacy
            FROM removed r, generate_series(2, 8) AS l(level),
                generate_series(r.first_month, r.last_month) AS m(month)
            GROUP BY 1, 2, 3, 4
        )
        UPDATE cell_months e SET events = e.events - c.events, sx = e.sx - c.sx,
            sy = e.sy - c.sy,
            exercise = e.exercise - c.exercise, patrol = e.patrol - c.patrol,
            transit = e.transit - c.transit, port_call = e.port_call - c.port_call,
            deployment = e.deployment - c.deployment, incident = e.incident - c.incident,
            live_fire = e.live_fire - c.live_fire,
            launch = e.launch - c.launch,
            survey = e.survey - c.survey,
            hazardous_operations = e.hazardous_operations - c.hazardous_operations,
            diplomacy = e.diplomacy - c.diplomacy
        FROM counted c
        WHERE (e.level, e.cx, e.cy, e.month) = (c.level, c.cx, c.cy, c.month);
        DELETE FROM cell_months WHERE events <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO cell_months AS e
            (level, cx, cy, month, events, sx, sy, exercise, patrol, transit, port_call,
            deployment, incident,
            live_fire, launch, survey, hazardous_operations, diplomacy)
            SELECT l.level, floor(a.x / (90.0 / 2 ^ l.level))::integer,
                floor(a.y / (90.0 / 2 ^ l.level))::integer, m.month, count(*), sum(a.x),
                sum(a.y),
                count(*) FILTER (WHERE a.kind = 'exercise') AS exercise,
                count(*) FILTER (WHERE a.kind = 'patrol') AS patrol,
                count(*) FILTER (WHERE a.kind = 'transit') AS transit,
                count(*) FILTER (WHERE a.kind = 'port_call') AS port_call,
                count(*) FILTER (WHERE a.kind = 'deployment') AS deployment,
                count(*) FILTER (WHERE a.kind = 'incident') AS incident,
                count(*) FILTER (WHERE a.kind = 'live_fire') AS live_fire,
                count(*) FILTER (WHERE a.kind = 'launch') AS launch,
                count(*) FILTER (WHERE a.kind = 'survey') AS survey,
                count(*) FILTER (WHERE a.kind = 'hazardous_operations') AS hazardous_operations,
                count(*) FILTER (WHERE a.kind = 'diplomacy') AS diplomacy
            FROM added a, generate_series(2, 8) AS l(level),
                generate_series(a.first_month, a.last_month) AS m(month)
            GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
            ON CONFLICT (level, cx, cy, month)
            DO UPDATE SET events = e.events + excluded.events, sx = e.sx + excluded.sx,
                sy = e.sy + excluded.sy,
                exercise = e.exercise + excluded.exercise, patrol = e.patrol + excluded.patrol,
                transit = e.transit + excluded.transit,
                port_call = e.port_call + excluded.port_call,
                deployment = e.deployment + excluded.deployment,
                incident = e.incident + excluded.incident,
                live_fire = e.live_fire + excluded.live_fire,
                launch = e.launch + excluded.launch,
                survey = e.survey + excluded.survey,
                hazardous_operations = e.hazardous_operations + excluded.hazardous_operations,
                diplomacy = e.diplomacy + excluded.diplomacy;
    END IF;
    RETURN NULL;
END
$$;
