# Two commands do everything on a fresh machine (Python 3.11+; Debian for the browser tests):
# (MALLOC_ARENA_MAX=2: see the Dockerfile.)
#   make run    set up .venv and start the dashboard on http://localhost:8501 (PORT=… for another)
#   (teams: EVENTS_DB=postgresql://… make team runs it on a shared PostGIS store, for nginx)
#   make test   set up .venv (and the Debian packages the tests run, if missing) and run lint,
#               validator and tests
PYTHON ?= python3
# The dashboard's port: `make run PORT=8600` when 8501 is taken (another dashboard, Jupyter…).
PORT ?= 8501
VENV := .venv
PY := $(VENV)/bin/python
# A process others reach (through nginx, docs/teams.md "Exposing the dashboard"): listening on
# loopback only, so nginx (TLS, headers, the upload limit) is the only way in, and no error
# details for visitors (a traceback names server paths and code). `make run` is one analyst's
# own dashboard: loopback too, so its full error details are seen by that analyst only, who
# can report them.
DEPLOYED := --server.address 127.0.0.1 --client.showErrorDetails none

.PHONY: run team test lint validate bench debian-packages

# `maritime run` (layers/cli.py) copies the map's assets, then starts streamlit on 127.0.0.1 with
# MALLOC_ARENA_MAX=2, in this checkout.
run: $(VENV)/.runtime
	$(VENV)/bin/maritime run --port $(PORT)

# The team setup: the events in the PostGIS database EVENTS_DB (docs/teams.md, "A shared
# store for teams"); its schema is created or updated, and an empty store is seeded with geodata/, as
# EVENTS_DB's user (the owner). With APP_ROLE=dashboard_app the owner also gives that role the
# dashboard's rights (layers/store/grants.py; its password from EVENTS_APP_PASSWORD), and the
# dashboard connects as EVENTS_APP_DB (postgresql://dashboard_app:…@host:port/database).
team: $(VENV)/.runtime
	@test -n "$(EVENTS_DB)" || { echo "Set EVENTS_DB=postgresql://user@host:port/database" >&2; exit 2; }
	$(PY) -m layers.assets
	$(PY) -m layers.db init $(if $(APP_ROLE),--app-role $(APP_ROLE))
	$(PY) -m layers.db import --if-empty geodata
	MALLOC_ARENA_MAX=2 EVENTS_DB="$${EVENTS_APP_DB:-$$EVENTS_DB}" $(PY) -m streamlit run dashboard.py --server.port $(PORT) $(DEPLOYED)

test: $(VENV)/.dev debian-packages
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/maritime validate geodata
	$(PY) tools/i18n.py check
	$(PY) -m layers.assets
	$(PY) -m pytest

bench: $(VENV)/.dev debian-packages
	$(PY) bench/bench.py

debian-packages:
	@scripts/install-debian.sh chromium nginx poppler-utils fonts-noto-cjk openssl \
		postgresql postgresql-15-postgis-3

# The checkout itself is installed editable (pyproject.toml): the `maritime` command, running
# this checkout's code (without setuptools' banner on how an editable install finds it).
$(VENV)/.runtime: requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	PYTHONWARNINGS=ignore::UserWarning $(PY) -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@
