"""Fit the uncertain parameters to public figures: ``python -m simsoins.calibrate``.

The command's entry point; the code is in :mod:`simsoins.tools.calibrate`."""

import sys

from simsoins.tools.calibrate import main

if __name__ == "__main__":
    sys.exit(main())
