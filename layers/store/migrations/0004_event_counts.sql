-- Counts an event reports (docs/data-format.md, "Counts"): {"aircraft": 45, "ships": 7}, names
-- as the validator takes them and whole numbers of 0 or more; {} for an event that gives none.
-- Stored as validated (layers/read/load.py); events stored before this migration give none.
ALTER TABLE events ADD COLUMN counts jsonb NOT NULL DEFAULT '{}'::jsonb
    CHECK (jsonb_typeof(counts) = 'object');
