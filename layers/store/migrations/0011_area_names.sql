-- An area's own name in its readers' languages (issue 27): the areas file's `names` property,
-- an object of language tags (zh-TW, ja, zh-CN) to names, as the loader checked it
-- (layers/read/load.py _area_names). NULL when the file gives none (a drawn area, an older
-- file): the page then shows `name` as written.
ALTER TABLE areas ADD COLUMN names jsonb,
    ADD CONSTRAINT areas_names_object CHECK (names IS NULL OR jsonb_typeof(names) = 'object');
