"""The page's own style: the map's frame sized to the window, the details panel floating over it."""

from __future__ import annotations

# The page around the map. The map's frame takes the window's height less the page's header
# and the link row under it (never under 420 px). The details panel floats at the window's
# right, over the map's right side when the page is at the top (above the legend), and stays
# in view when the analyst has scrolled to the table and opened a row; it scrolls on its own.
# The code block's copy button is shown always, not only on hover.
# The sidebar, the timeline and the table are each a compositing layer of their own: with
# their many parts in the page's own layer, Chromium laid out the whole page's layers again on
# every frame the map moves ("Layerize"), ~0.1 s of each pan or zoom at 2 million events
# (main-thread trace of four moves: 537 ms of Layerize, 97 ms with these three layers).
PAGE_STYLE = """<style>
[data-testid="stMainBlockContainer"] { padding: 3.6rem 1.5rem 2rem; }
.st-key-map_area { position: relative; gap: 0; }
.st-key-map_area iframe[title="streamlit_folium.st_folium"] {
  height: max(420px, calc(100vh - 130px)) !important; }
.st-key-details_panel { position: fixed; top: calc(3.6rem + 10px); right: calc(1.5rem + 10px);
  z-index: 10;
  width: min(400px, 45%); max-height: calc(max(420px, 100vh - 130px) - 190px);
  overflow-y: auto; background: #fff; border-radius: 6px; padding: 12px 16px;
  box-shadow: 0 2px 12px rgba(0, 0, 0, 0.28); }
[data-testid="stCode"] > div, [data-testid="stCode"] > div * {
  opacity: 1 !important; visibility: visible !important; }
[data-testid="stSidebar"], [data-testid="stVegaLiteChart"], [data-testid="stDataFrame"] {
  will-change: transform; }
</style>"""
