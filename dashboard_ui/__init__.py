"""The page's parts, on Streamlit: dashboard.py calls them in order, top to bottom.

style.py (the page's CSS), data.py (the data on file, once per process), uploads.py (this
session's uploads and warnings), session.py (the link's view into the widgets, and back),
sidebar.py (filters, month ranges, uploads), messages.py, import_step.py and navwarn.py (the
steps that read a list or warnings), map_area.py (the map fragment), details.py (the panel over
the map), timeline.py, table.py, export.py (downloads, Export view), analyses.py, and for the
shared store (EVENTS_DB) store.py and store_page.py, access.py (sign-in and roles) and
event_record.py (an event's history, correction, retraction); text.py escapes data for markdown.

Pure logic lives in layers/, which never imports this package (tests/test_structure.py).
"""
