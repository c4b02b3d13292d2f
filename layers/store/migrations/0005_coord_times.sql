-- Tracks (issue 22): a line event's time for each position, as the loader keeps it
-- (layers/read/tracks.py): a JSON list of lists of UTC texts, one list per line of the
-- geometry. NULL for an event without times.
ALTER TABLE events ADD COLUMN coord_times jsonb;
