"""``python -m simsoins.dashboard PATH... [--lang fr|en] [--out FILE]``

Rebuild the dashboard from one or more stored run directories, without simulating.
The tables of several directories are concatenated (a scenario is taken from the first
directory holding it).  Default output: ``PATH/dashboard.html`` for one directory,
``./dashboard.html`` for several.  Exit status 2 on a missing or invalid directory.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .i18n import LANGS
from .report import load_results, merge_results, write_dashboard


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(prog="python -m simsoins.dashboard",
                                 description="Rebuild the planners' dashboard from stored run directories.")
    ap.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="run directory (one or more)")
    ap.add_argument("--lang", choices=LANGS, default="fr", help="page language (default: fr)")
    ap.add_argument("--out", type=Path, default=None,
                    help="output HTML file (default: PATH/dashboard.html, or ./dashboard.html for several paths)")
    args = ap.parse_args(argv)
    try:
        results = merge_results([load_results(p) for p in args.paths])
    except (OSError, ValueError) as e:
        print(f"simsoins.dashboard: error: {e}", file=sys.stderr)
        return 2
    out = args.out or (args.paths[0] / "dashboard.html" if len(args.paths) == 1 else Path("dashboard.html"))
    try:
        write_dashboard(results, out, lang=args.lang)
    except OSError as e:
        print(f"simsoins.dashboard: error: cannot write {out}: {e}", file=sys.stderr)
        return 1
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
