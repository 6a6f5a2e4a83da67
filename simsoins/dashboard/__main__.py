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

PROG = "python -m simsoins.dashboard"


class CommandError(Exception):
    """A failure the command reports as one line, with its exit status (2: the user's input
    or machine, 1: writing the files)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def parser() -> argparse.ArgumentParser:
    """The command line of ``python -m simsoins.dashboard``."""
    ap = argparse.ArgumentParser(prog=PROG,
                                 description="Rebuild the planners' dashboard from stored run directories.")
    ap.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="run directory (one or more)")
    ap.add_argument("--lang", choices=LANGS, default="fr", help="page language (default: fr)")
    ap.add_argument("--out", type=Path, default=None, metavar="FILE",
                    help="output HTML file (default: PATH/dashboard.html, or ./dashboard.html for several paths)")
    ap.add_argument("--png", action="store_true",
                    help="also write one PNG per figure into figures/ next to the dashboard "
                         "(needs: pip install 'simsoins[png]', and Chromium)")
    return ap


def _load(paths: list[Path]) -> dict:
    """The merged results of the run directories."""
    try:
        return merge_results([load_results(p) for p in paths])
    except (OSError, ValueError) as e:
        raise CommandError(str(e), 2) from None


def _write_page(results: dict, out: Path, lang: str) -> None:
    """The dashboard page at ``out``."""
    try:
        write_dashboard(results, out, lang=lang)
    except OSError as e:
        raise CommandError(f"cannot write {out}: {e}", 1) from None
    print(f"{out} ({out.stat().st_size / 1e6:.1f} MB)")


def _write_pngs(results: dict, fig_dir: Path, lang: str) -> None:
    """One PNG per figure into ``fig_dir``."""
    try:
        pngs = export.export_pngs(results, fig_dir, lang=lang)
    except export.PngExportError as e:
        raise CommandError(str(e), 2) from None
    except (OSError, RuntimeError) as e:
        raise CommandError(str(e), 1) from None
    print(f"{fig_dir}/ ({len(pngs)} PNG files, {sum(p.stat().st_size for p in pngs) / 1e6:.1f} MB)")


def run(args: argparse.Namespace) -> None:
    """Load the runs, write the page (and the PNGs); a failure is a :class:`CommandError`."""
    if args.png:
        try:  # before any work: kaleido missing is known at once
            export.require_kaleido()
        except export.PngExportError as e:
            raise CommandError(str(e), 2) from None
    results = _load(args.paths)
    out = args.out or (args.paths[0] / "dashboard.html" if len(args.paths) == 1 else Path("dashboard.html"))
    _write_page(results, out, args.lang)
    if args.png:
        _write_pngs(results, out.parent / "figures", args.lang)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    args = parser().parse_args(argv)
    try:
        run(args)
    except CommandError as e:
        print(f"{PROG}: error: {e}", file=sys.stderr)
        return e.status
    except KeyboardInterrupt:  # the page is written atomically: nothing half-written is left
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
