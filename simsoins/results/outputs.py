"""Writing results: every file atomically (temporary file, then rename), manifest last.

A run directory is complete when ``manifest.json`` exists with ``"status": "complete"``;
a run that fails midway leaves no manifest, and its partial files are removed.
"""

from __future__ import annotations

import json
import os
import platform
from collections.abc import Callable
from pathlib import Path

import pandas as pd


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` then rename ``tmp`` onto ``path`` (same directory)."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    """``df`` as parquet at ``path``, atomically (no index)."""
    atomic_write(path, lambda p: df.to_parquet(p, index=False))


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """``df`` as CSV at ``path``, atomically (no index)."""
    atomic_write(path, lambda p: df.to_csv(p, index=False))


def write_text(text: str, path: Path) -> None:
    """``text`` at ``path`` in UTF-8, atomically."""
    atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def versions() -> dict[str, str]:
    """Versions of the package and of the libraries results depend on."""
    import numpy
    import simpy

    from simsoins import __version__

    return {"simsoins": __version__, "simpy": simpy.__version__, "numpy": numpy.__version__,
            "pandas": pd.__version__, "python": platform.python_version()}


#: Version of the layout of a run directory (files, columns); bump on any breaking change.
RESULTS_FORMAT = 1


def write_manifest(run_dir: Path, info: dict) -> None:
    """``manifest.json``, written last: the run directory is complete (with ``info``)."""
    from simsoins.results.eventlog import SCHEMA_VERSION

    write_text(json.dumps({"status": "complete", "results_format": RESULTS_FORMAT,
                           "event_log_schema": SCHEMA_VERSION, **info, "versions": versions()},
                          indent=2, default=str), Path(run_dir) / "manifest.json")


def check_format(run_dir: Path) -> None:
    """Refuse, with one clear message, results written in a layout this version cannot read."""
    path = Path(run_dir) / "manifest.json"
    if not path.is_file():
        return
    try:
        fmt = json.loads(path.read_text(encoding="utf-8")).get("results_format", 1)
    except (OSError, ValueError):
        raise ValueError(f"{path}: unreadable manifest; the run may be incomplete") from None
    if fmt == RESULTS_FORMAT and not isinstance(fmt, bool):
        return
    if isinstance(fmt, bool) or not isinstance(fmt, int):
        # "1" (text) is not 1: say what is wrong rather than "format 1, this simsoins reads format 1"
        raise ValueError(f"{path}: results_format = {fmt!r} is not a format number (this simsoins writes "
                         f"{RESULTS_FORMAT}); the manifest was edited or damaged: re-run the simulation")
    newer = "a newer" if fmt > RESULTS_FORMAT else "an older"
    raise ValueError(f"{run_dir}: results in format {fmt}, written by {newer} simsoins; this one reads only "
                     f"format {RESULTS_FORMAT}: re-run the simulation or use the simsoins version that wrote them")
