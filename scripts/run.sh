#!/usr/bin/env bash
# Run the app (app.py, served through server.py's rules): sets up .venv on first use; the database is created and seeded with the demo
# dataset on first start (data/insights.sqlite, or INSIGHTS_DB).
set -euo pipefail
cd "$(dirname "$0")/.."
REQUIREMENTS=requirements.txt source scripts/setup.sh
exec .venv/bin/python -m streamlit run server.py --browser.gatherUsageStats false "$@"
