# Two commands do everything on a fresh machine (Python 3.11+; Debian for the browser tests):
# (MALLOC_ARENA_MAX=2: see the Dockerfile.)
#   make run    set up .venv and start the dashboard on http://localhost:8501
#   make test   set up .venv (and Debian's chromium and PostGIS if missing) and run lint,
#               validator and tests
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test lint validate bench chromium postgis

run: $(VENV)/.runtime
	$(PY) -m layers.assets
	MALLOC_ARENA_MAX=2 $(PY) -m streamlit run dashboard.py

test: $(VENV)/.dev chromium postgis
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m layers.validate geodata
	$(PY) -m layers.assets
	$(PY) -m pytest

bench: $(VENV)/.dev chromium
	$(PY) bench/bench.py

chromium:
	@command -v chromium >/dev/null 2>&1 || scripts/install-chromium.sh

postgis:
	@scripts/install-postgis.sh

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@
