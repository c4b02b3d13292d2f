# Two commands do everything on a fresh machine (Python 3.11+; Debian for the browser tests):
# (MALLOC_ARENA_MAX=2: see the Dockerfile.)
#   make run    set up .venv and start the dashboard on http://localhost:8501 (PORT=… for another)
#   (teams: EVENTS_DB=postgresql://… make team runs it on a shared PostGIS store)
#   make test   set up .venv (and the Debian packages the tests run, if missing) and run lint,
#               validator and tests
PYTHON ?= python3
# The dashboard's port: `make run PORT=8600` when 8501 is taken (another dashboard, Jupyter…).
PORT ?= 8501
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run team test lint validate bench debian-packages

run: $(VENV)/.runtime
	$(PY) -m layers.assets
	MALLOC_ARENA_MAX=2 $(PY) -m streamlit run dashboard.py --server.port $(PORT)

# The team setup: the events in the PostGIS database EVENTS_DB (README, "A shared store for
# teams"); its schema is created or updated, and an empty store is seeded with geodata/.
team: $(VENV)/.runtime
	@test -n "$(EVENTS_DB)" || { echo "Set EVENTS_DB=postgresql://user@host:port/database" >&2; exit 2; }
	$(PY) -m layers.assets
	$(PY) -m layers.db init
	$(PY) -m layers.db import --if-empty geodata
	MALLOC_ARENA_MAX=2 $(PY) -m streamlit run dashboard.py --server.port $(PORT)

test: $(VENV)/.dev debian-packages
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m layers.validate geodata
	$(PY) -m layers.assets
	$(PY) -m pytest

bench: $(VENV)/.dev debian-packages
	$(PY) bench/bench.py

debian-packages:
	@scripts/install-debian.sh chromium nginx poppler-utils fonts-noto-cjk \
		postgresql postgresql-15-postgis-3

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@
