"""Where the events live: files (geodata/, the default) or a shared PostGIS database.

`EVENTS_DB=postgresql://…` makes the PostGIS store (`postgis.PostgisStore`) the dashboard's
source of events in place of the data directory: the filters become queries, large views are
counted per grid cell in the database, and analysts can save their uploads for the whole team.
`python -m layers.db` creates its schema (`migrations`), imports a data directory through the
validator and exports the store back to files.
"""
