"""``python -m simsoins.dashboard PATH... [--lang fr|en] [--out FILE] [--png]``

Rebuild the dashboard from one or more stored run directories, without simulating.
The tables of several directories are concatenated (a scenario is taken from the first
directory holding it).  Default output: ``PATH/dashboard.html`` for one directory,
``./dashboard.html`` for several.  ``--png`` also writes one PNG per figure (for slides)
into ``figures/`` next to the dashboard; it needs the optional extra ``png`` (kaleido) and
Chromium (see :mod:`simsoins.dashboard.export`).  Exit status 2 on a missing or invalid
directory, or when ``--png`` cannot work on this machine (kaleido or browser missing).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from simsoins.dashboard import export
from simsoins.dashboard.i18n import LANGS
from simsoins.dashboard.report import load_results, merge_results, write_dashboard


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(prog="python -m simsoins.dashboard",
                                 description="Rebuild the planners' dashboard from stored run directories.")
    ap.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="run directory (one or more)")
    ap.add_argument("--lang", choices=LANGS, default="fr", help="page language (default: fr)")
    ap.add_argument("--out", type=Path, default=None,
                    help="output HTML file (default: PATH/dashboard.html, or ./dashboard.html for several paths)")
    ap.add_argument("--png", action="store_true",
                    help="also write one PNG per figure into figures/ next to the dashboard "
                         "(needs: pip install 'simsoins[png]', and Chromium)")
    args = ap.parse_args(argv)
    if args.png:
        try:
            export.require_kaleido()
        except export.PngExportError as e:
            print(f"simsoins.dashboard: error: {e}", file=sys.stderr)
            return 2
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
    if args.png:
        fig_dir = out.parent / "figures"
        try:
            pngs = export.export_pngs(results, fig_dir, lang=args.lang)
        except export.PngExportError as e:
            print(f"simsoins.dashboard: error: {e}", file=sys.stderr)
            return 2
        except (OSError, RuntimeError) as e:
            print(f"simsoins.dashboard: error: {e}", file=sys.stderr)
            return 1
        print(f"{fig_dir}/ ({len(pngs)} PNG files, {sum(p.stat().st_size for p in pngs) / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
