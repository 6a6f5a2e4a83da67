"""Calibration report: ``python -m simsoins.validate [--replications N] [--out DIR] [--lang fr|en] [overrides]``.

The command's entry point; the code is in :mod:`simsoins.tools.validate`."""

import sys

from simsoins.tools.validate import main

if __name__ == "__main__":
    sys.exit(main())
