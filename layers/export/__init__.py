"""What an analyst takes away from a view.

`tables`: the filtered events as GeoJSON that loads back and as CSV. `picture`: the view as a
PNG and a PDF for a briefing, drawn on the server with matplotlib (the same basemap, events,
areas and density as on screen, a title saying the filters, a legend, a scale bar, the data
version, and in the PDF the listed events with their sources).
"""
