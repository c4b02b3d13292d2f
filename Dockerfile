# The dashboard in one image: everything it serves (Leaflet, jQuery, the basemap) is inside,
# so it runs with no network. Data lives in /data (GEODATA_DIR); mount your own there.
#   docker build -t maritime-dashboard .
#   docker run --rm -p 8501:8501 -v "$PWD/geodata:/data:ro" maritime-dashboard
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    GEODATA_DIR=/data
# Checked data files are kept between starts (layers/store): in the analyst's home, since /data
# may be mounted read-only. Mount a volume there to keep them across containers too.
ENV GEODATA_CACHE_DIR=/home/analyst/.cache/geodata
# Each session's script runs in its own thread; with glibc's default of many malloc arenas ten
# sessions at once left the server at 1.6x one session's memory; with two arenas, 1.4x.
ENV MALLOC_ARENA_MAX=2
# The image is what a team deploys (compose.yaml): an error shows "This app has encountered an
# error" and no traceback, whose lines name the server's paths and code. For one analyst's own
# debugging: docker run -e STREAMLIT_CLIENT_SHOW_ERROR_DETAILS=full …
ENV STREAMLIT_CLIENT_SHOW_ERROR_DETAILS=none

# Noto Sans CJK: "Export view" prints Chinese and Japanese names as text, not boxes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY dashboard.py pyproject.toml ./
COPY .streamlit/ .streamlit/
COPY dashboard_ui/ dashboard_ui/
COPY layers/ layers/
COPY static/ static/
COPY geodata/ /data/
# matplotlib's font list, made once here (it reads every font, Noto CJK too: seconds), not
# at the first export of each container.
ENV MPLCONFIGDIR=/app/.matplotlib
RUN python -m layers.assets \
    && python -c "import matplotlib.font_manager" \
    && useradd --create-home --uid 10001 analyst

USER analyst
VOLUME ["/data"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4)"]
# 0.0.0.0 inside the container, so the published port (or compose's nginx) can reach it; in
# compose.yaml no app publishes a port: nginx is the only way in (docs/teams.md).
CMD ["streamlit", "run", "dashboard.py", "--server.port=8501", "--server.address=0.0.0.0"]
