#!/usr/bin/env sh
# The shared store's tests start a throwaway PostgreSQL cluster with PostGIS (tests/postgres.py,
# no Docker). Installs Debian's packages with apt-get, as root or through sudo.
set -eu
if ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "The shared-store tests need PostgreSQL with PostGIS (Debian: postgresql-15-postgis-3)." >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq postgresql postgresql-15-postgis-3 >/dev/null
