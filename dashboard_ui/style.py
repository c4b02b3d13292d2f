"""The page's own style: the map's frame sized to the window, the details panel over the map."""

from __future__ import annotations

# The page around the map. The map's frame takes the window's height less the page's header
# and the link row under it (never under 420 px). The details panel sits over the map's right
# side, below its top and above the legend, and scrolls on its own; it moves with the map when
# the page scrolls, so it never covers what is under the map (the PNG and PDF buttons, the
# timeline and its legend, the table: issue 24).
# The details' row headings keep to one line: a Chinese or Japanese heading (ファイル) would
# otherwise break after each character in the narrow column.
# The code block's copy button is shown always, not only on hover, and the text keeps clear of
# it (wrapped before it, not under it).
# The sidebar's chips (zones, map layers) wrap their name over two lines: cut to one line,
# two zones of one place, or the territorial seas of two places, read the same.
# The sidebar, the timeline and the table are each a compositing layer of their own: with
# their many parts in the page's own layer, Chromium laid out the whole page's layers again on
# every frame the map moves ("Layerize"), ~0.1 s of each pan or zoom at 2 million events
# (main-thread trace of four moves: 537 ms of Layerize, 97 ms with these three layers).
PAGE_STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding: 3.6rem 1.5rem 2rem; }
.st-key-map_area { position: relative; gap: 0; }
.st-key-map_area iframe[title="streamlit_folium.st_folium"] {
  height: max(420px, calc(100vh - 130px)) !important; }
.st-key-details_panel { position: absolute; top: 10px; right: 10px; z-index: 10;
  width: min(400px, 45%); max-height: calc(max(420px, 100vh - 130px) - 190px);
  overflow-y: auto; background: #fff; border-radius: 6px; padding: 12px 16px;
  box-shadow: 0 2px 12px rgba(0, 0, 0, 0.28); }
.event-details th { white-space: nowrap; }
[data-testid="stCode"] > div, [data-testid="stCode"] > div * {
  opacity: 1 !important; visibility: visible !important; }
[data-testid="stCode"] pre { padding-right: 3rem !important; }
[data-testid="stSidebar"] [data-tag] { height: auto; max-width: 100%; }
[data-testid="stSidebar"] [data-tag] > span[title] { white-space: normal;
  display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; }
[data-testid="stSidebar"], [data-testid="stVegaLiteChart"], [data-testid="stDataFrame"] {
  will-change: transform; }
</style>"""
