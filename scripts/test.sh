#!/usr/bin/env bash
# Run the whole test suite (unit, AppTest, browser), the linter, the formatter's check and the
# layers contract (import-linter); sets up .venv and, where possible, Debian's Chromium for the
# browser tests. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUIREMENTS=requirements-dev.txt source scripts/setup.sh

CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests…"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null
  else
    echo "The browser tests need Chromium at $CHROMIUM. On Debian or Ubuntu: sudo apt-get install chromium" >&2
    echo "(or set CHROMIUM=/path/to/chromium)." >&2
    exit 1
  fi
fi

.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
.venv/bin/lint-imports
exec .venv/bin/python -m pytest "$@"
