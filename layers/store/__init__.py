"""Where the events live: files (geodata/, the default) or a shared PostGIS database.

- `files.py`: the data directory's files, each checked once by the validator and kept checked
  on disk by `cache.py` (keyed by the file's bytes, the named areas and the code), so a
  restart with unchanged files reads the cache and a changed file is checked alone.
- `postgis.py`: `EVENTS_DB=postgresql://…` makes a PostGIS database (`PostgisStore`) the
  dashboard's source of events in place of the data directory: the filters become queries,
  large views are counted per grid cell in the database, and analysts can save their uploads
  for the whole team. `python -m layers.db` creates its schema (`migrations`), imports a data
  directory through the validator and exports the store back to files.
- `replicas.py`: with `EVENTS_DB_STANDBYS` (hot standbys of that database) the store's reads
  go to the standbys and its writes to the primary; a session reads its own writes, and a
  standby that fails or lags costs a retry elsewhere (docs/teams.md).
"""
