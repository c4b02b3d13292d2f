"""The Streamlit side of the dashboard: one module per part of the page, called in order by
dashboard.py. Pure logic lives in layers/, which never imports this package."""
