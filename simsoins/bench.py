"""Benchmark: ``python -m simsoins.bench [--days N] [--record] [--history FILE]``.

The command's entry point; the code is in :mod:`simsoins.tools.bench`."""

import sys

from simsoins.tools.bench import main

if __name__ == "__main__":
    sys.exit(main())
