"""``python -m simsoins.dashboard PATH... [--lang fr|en] [--out FILE] [--png]``

Rebuild the dashboard from one or more stored run directories, without simulating.
The tables of several directories are concatenated (a scenario is taken from the first
directory holding it, each paired with the first one's baseline), so the runs must be
comparable: runs of different territories, horizons (``run.horizon_days``,
``run.warmup_days``) or seeds (``run.seed``), as their ``scenarios.json`` and
``manifest.json`` record them, are refused in one line naming the field and the two
values (exit status 2, nothing written).  Default output: ``dashboard.html`` in the first
directory (never the working directory), or ``--out``.  ``--png`` also writes one PNG per figure (for slides)
into ``figures/`` next to the dashboard; it needs the optional extra ``png`` (kaleido) and
Chromium (see :mod:`simsoins.dashboard.export`).  Exit status 2 on a missing or invalid
directory, or when ``--png`` cannot work on this machine (kaleido or browser missing).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from simsoins.dashboard import export
from simsoins.dashboard.files import json_object
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
                    help="output HTML file (default: dashboard.html in the first PATH)")
    ap.add_argument("--png", action="store_true",
                    help="also write one PNG per figure into figures/ next to the dashboard "
                         "(needs: pip install 'simsoins[png]', and Chromium)")
    return ap


#: What runs merged on one page must share: field → how to read it from (scenarios.json,
#: manifest.json).  A scenario of one run is paired with another run's baseline replication
#: by replication (common random numbers): only the same territory, calendar and seed make
#: that a comparison.
MUST_MATCH = {
    "territory": lambda sc, man: sc.get("territory"),
    "run.horizon_days": lambda sc, man: (man.get("config") or {}).get("run", {}).get("horizon_days"),
    "run.warmup_days": lambda sc, man: (man.get("config") or {}).get("run", {}).get("warmup_days"),
    "run.years": lambda sc, man: (man.get("config") or {}).get("run", {}).get("years", 1),
    "run.seed": lambda sc, man: man.get("seed", (man.get("config") or {}).get("run", {}).get("seed")),
}


def recorded(path: Path) -> dict[str, Any]:
    """The :data:`MUST_MATCH` fields a run directory records (a field it does not record
    is left out: results written by hand or before the manifest held it)."""
    files = [path / "scenarios.json", path / "manifest.json"]
    sc, man = (json_object(f) if f.is_file() else {} for f in files)
    values = {name: read(sc, man) for name, read in MUST_MATCH.items()}
    return {name: v for name, v in values.items() if v is not None}


def mismatch(paths: list[Path]) -> str | None:
    """The one line refusing to merge ``paths`` (the first field that differs from the
    first run's, with both values), or None if they are comparable."""
    first = recorded(paths[0])
    for path in paths[1:]:
        other = recorded(path)
        for name in MUST_MATCH:
            if name in first and name in other and first[name] != other[name]:
                return (f"{paths[0]} and {path} differ in {name}: {first[name]!r} and {other[name]!r}; "
                        f"one page compares runs of the same territory, horizon and seed")
    return None


def _load(paths: list[Path]) -> dict:
    """The merged results of the run directories; CommandError if they are not comparable."""
    try:
        results = [load_results(p) for p in paths]
        refused = mismatch(paths) if len(paths) > 1 else None
        if refused is None:
            return merge_results(results)
    except (OSError, ValueError) as e:
        raise CommandError(str(e), 2) from None
    raise CommandError(refused, 2)


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
    out = args.out or args.paths[0] / "dashboard.html"  # never the working directory: a run's own folder
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
