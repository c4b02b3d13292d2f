#!/usr/bin/env sh
# Debian packages the tests run for real: chromium (the browser tests; Playwright cannot
# download its own browsers offline), nginx (tests/test_nginx.py, bench/load_server.py),
# poppler-utils (pdftoppm and pdftotext read the exported PDFs) and fonts-noto-cjk (Chinese and
# Japanese names in screenshots and exports), postgresql and postgresql-15-postgis-3 (the shared
# store's tests start a throwaway cluster, tests/postgres.py), openssl (a self-signed
# certificate for nginx's TLS, tests/test_deploy_security.py).
# Usage: scripts/install-debian.sh PACKAGE...   installs with apt-get, as root or through sudo,
# each package whose command is missing.
set -eu
missing=""
for package in "$@"; do
  # Installed as a package (fonts-noto-cjk has no command), or its command is on the PATH.
  dpkg -s "$package" >/dev/null 2>&1 || command -v "$package" >/dev/null 2>&1 \
    || [ -x "/usr/sbin/$package" ] || missing="$missing $package"
done
[ -n "$missing" ] || exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "The tests need:$missing (Debian packages; for Chromium elsewhere set CHROMIUM=/path)." >&2
  exit 1
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # one word per package
$SUDO apt-get install -y -qq $missing >/dev/null
