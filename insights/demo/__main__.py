"""`python -m insights.demo [DIR]`: regenerate the demo dataset's template files."""

import sys

from insights.demo.generator import main

sys.exit(main())
