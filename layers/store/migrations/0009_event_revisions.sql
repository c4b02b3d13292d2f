-- History (issue 25): every save, import, replacement, correction and retraction of an event is
-- a revision: who, when (the server's clock), why, and the event before and after as GeoJSON
-- Features (layers/store/revisions.py). Rows are never changed or removed: the app's role is
-- granted INSERT and SELECT only, and the trigger below refuses UPDATE and DELETE to anyone.
--
-- Compact but lossless: `before` is stored whenever content is replaced, corrected or
-- retracted (it leaves `events`); `after` only for a correction. A NULL `after` of any other
-- revision is the `before` of the event's next revision, or the event as stored now for the
-- latest one (an import of 100,000 events stores 100,000 narrow rows, not a second copy of the
-- events: bench/history.py).
CREATE TABLE event_revisions (
    event_id text NOT NULL,
    number integer NOT NULL CHECK (number > 0),
    action text NOT NULL
        CHECK (action IN ('saved', 'imported', 'replaced', 'corrected', 'retracted')),
    actor text NOT NULL DEFAULT '',
    at timestamptz NOT NULL DEFAULT now(),
    reason text NOT NULL DEFAULT '',
    before jsonb,
    after jsonb,
    PRIMARY KEY (event_id, number),
    -- A first save or import has nothing before; anything that replaces content keeps it.
    CHECK ((action IN ('saved', 'imported')) = (before IS NULL)),
    CHECK (action <> 'corrected' OR after IS NOT NULL),
    -- A retraction says why, as ACLED records why an event was deleted.
    CHECK (action <> 'retracted' OR (after IS NULL AND reason <> ''))
);
-- The "retracted events" list, newest first.
CREATE INDEX event_revisions_retracted ON event_revisions (at DESC) WHERE action = 'retracted';

CREATE FUNCTION event_revisions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'event_revisions is append-only: a revision is never changed or removed';
END
$$;
CREATE TRIGGER event_revisions_append_only BEFORE UPDATE OR DELETE ON event_revisions
    FOR EACH STATEMENT EXECUTE FUNCTION event_revisions_append_only();

-- The event's current revision number, and who saved its current content.
ALTER TABLE events ADD COLUMN revision integer NOT NULL DEFAULT 1,
    ADD COLUMN saved_by text NOT NULL DEFAULT '';

-- Every event stored before: an 'imported' revision dated when it was saved, so every stored
-- event has a history. Who stored it was not recorded then.
INSERT INTO event_revisions (event_id, number, action, actor, at, reason)
    SELECT id, 1, 'imported', 'unknown (stored before history was kept)', saved_at, ''
    FROM events ORDER BY id;
ANALYZE event_revisions;
