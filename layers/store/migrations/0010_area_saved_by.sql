-- Drawn areas saved for the team (issue 26): who saved an area from the dashboard and when (the
-- server's clock, PostgreSQL now() at the save). Areas read from files (geodata/areas/, an
-- admin's upload, `layers.db import`) have neither: NULL for both, unless the file carries them
-- (an area exported from a store that had it saved keeps who and when through export and
-- import; layers/read/load.py reads them as optional properties).
ALTER TABLE areas ADD COLUMN saved_by text, ADD COLUMN saved_at timestamptz,
    -- Both or neither, and a saved area names who saved it.
    ADD CONSTRAINT areas_saved_by_and_at CHECK ((saved_by IS NULL) = (saved_at IS NULL)),
    ADD CONSTRAINT areas_saved_by_named CHECK (saved_by IS NULL OR btrim(saved_by) <> '');
