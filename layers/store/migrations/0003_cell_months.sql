-- Counts per map grid cell and month, kept by triggers: what the map shows when no nations,
-- zones or kinds are chosen, from zoom 2 to 8.
--
-- event_cells (0001) holds a row per cell, span of months and kind: a move at zoom 8 over the
-- synthetic hot spots at 2 million events read 104,000 of them and added them up into 31,000
-- (month, cell) counts in 0.3 s. cell_months holds those counts as they are sent: one row per
-- level, cell and month, a column per kind (layers/read/schema.py KINDS; a new kind needs a
-- column here), an event counted in each month it was active. A window reads its rows and
-- adds nothing up. event_cells stays for a kinds filter (its mean positions are per kind).
CREATE TABLE cell_months (
    level smallint NOT NULL,
    cx integer NOT NULL,
    cy integer NOT NULL,
    month integer NOT NULL,
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
    PRIMARY KEY (level, cx, cy, month)
);

-- Its own statement triggers beside 0001's (they only read the events' own columns, so the
-- order they fire in does not matter); set-based and in key order as events_derive.
CREATE FUNCTION cell_months_derive() RETURNS trigger LANGUAGE plpgsql AS $$
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
            diplomacy = e.diplomacy - c.diplomacy
        FROM counted c
        WHERE (e.level, e.cx, e.cy, e.month) = (c.level, c.cx, c.cy, c.month);
        DELETE FROM cell_months WHERE events <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO cell_months AS e
            (level, cx, cy, month, events, sx, sy, exercise, patrol, transit, port_call,
            deployment, incident, diplomacy)
            SELECT l.level, floor(a.x / (90.0 / 2 ^ l.level))::integer,
                floor(a.y / (90.0 / 2 ^ l.level))::integer, m.month, count(*), sum(a.x),
                sum(a.y),
                count(*) FILTER (WHERE a.kind = 'exercise') AS exercise,
                count(*) FILTER (WHERE a.kind = 'patrol') AS patrol,
                count(*) FILTER (WHERE a.kind = 'transit') AS transit,
                count(*) FILTER (WHERE a.kind = 'port_call') AS port_call,
                count(*) FILTER (WHERE a.kind = 'deployment') AS deployment,
                count(*) FILTER (WHERE a.kind = 'incident') AS incident,
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
                diplomacy = e.diplomacy + excluded.diplomacy;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER events_cell_months_added AFTER INSERT ON events
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION cell_months_derive();
CREATE TRIGGER events_cell_months_removed AFTER DELETE ON events
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION cell_months_derive();
CREATE TRIGGER events_cell_months_updated AFTER UPDATE ON events
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION cell_months_derive();

CREATE FUNCTION cell_months_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE cell_months;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_cell_months_truncated AFTER TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION cell_months_truncated();

-- The events stored before this migration.
INSERT INTO cell_months
    (level, cx, cy, month, events, sx, sy, exercise, patrol, transit, port_call, deployment,
    incident, diplomacy)
    SELECT l.level, floor(p.x / (90.0 / 2 ^ l.level))::integer,
        floor(p.y / (90.0 / 2 ^ l.level))::integer, m.month, count(*), sum(p.x), sum(p.y),
        count(*) FILTER (WHERE p.kind = 'exercise') AS exercise,
        count(*) FILTER (WHERE p.kind = 'patrol') AS patrol,
        count(*) FILTER (WHERE p.kind = 'transit') AS transit,
        count(*) FILTER (WHERE p.kind = 'port_call') AS port_call,
        count(*) FILTER (WHERE p.kind = 'deployment') AS deployment,
        count(*) FILTER (WHERE p.kind = 'incident') AS incident,
        count(*) FILTER (WHERE p.kind = 'diplomacy') AS diplomacy
    FROM event_points p, generate_series(2, 8) AS l(level),
        generate_series(p.first_month, p.last_month) AS m(month)
    GROUP BY 1, 2, 3, 4;
ANALYZE cell_months;
