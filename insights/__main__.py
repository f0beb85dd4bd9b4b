"""`python -m insights`: the command line (see `insights.cli`)."""

from insights.cli import main

raise SystemExit(main())
