#!/usr/bin/env bash
# Create the virtual environment and install the requirements when they changed.
# Sourced by run.sh and test.sh; REQUIREMENTS names the file to install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "Python 3.11 ou plus récent est requis (trouvé : $("$PYTHON" --version 2>&1))." >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv…"
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.installed-$(basename "$REQUIREMENTS")"
if [ ! -f "$stamp" ] || [ "$REQUIREMENTS" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
  echo "Installing $REQUIREMENTS…"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  touch "$stamp"
fi
