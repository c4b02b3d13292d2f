-- Windows (issue 23): the periods in force an event lists within its span, as the loader keeps
-- them (layers/read/load.py, event_windows): a JSON list of [start, end] texts as written.
-- NULL for an event without windows.
ALTER TABLE events ADD COLUMN windows jsonb
    CHECK (windows IS NULL OR jsonb_typeof(windows) = 'array');
