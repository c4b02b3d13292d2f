-- Sides (issue 24): who stood with whom in an event, as the loader keeps them
-- (layers/read/load.py, event_sides): a JSON list of sides, each a list of nation codes.
-- NULL for an event that gives no sides; [] for one whose sides are not known (given as [],
-- or given but unreadable): its nations then count neither together nor against each other.
ALTER TABLE events ADD COLUMN sides jsonb
    CHECK (sides IS NULL OR jsonb_typeof(sides) = 'array');
