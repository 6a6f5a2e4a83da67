"""The France sweep in one table and one map.

The command's entry point; the code is in :mod:`simsoins.tools.france_report`."""

import sys

from simsoins.tools.france_report import main

if __name__ == "__main__":
    sys.exit(main())
