"""The results section of docs/levers.md, regenerated from the studies tous_les_leviers
and dose_egale.

The command's entry point; the code is in :mod:`simsoins.tools.levers_report`."""

import sys

from simsoins.tools.levers_report import main

if __name__ == "__main__":
    sys.exit(main())
