"""Writing results: every file atomically (temporary file, then rename), manifest last.

A run directory is complete when ``manifest.json`` exists with ``"status": "complete"``;
a run that fails midway leaves no manifest, and its partial files are removed. A run holds
an exclusive lock on its directory (:func:`lock_folder`) so that two runs never write into
the same one.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd


def _file_mode() -> int:
    """The mode a plain new file gets (0666 less the umask): ``mkstemp`` makes them 0600."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


def atomic_write(path: Path, write: Callable[[Path], object]) -> None:
    """Call ``write(tmp)`` then rename ``tmp`` onto ``path``. ``tmp`` is a fresh, uniquely
    named file in the same directory (``tempfile``), so that two writers never share it."""
    path = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        os.chmod(tmp, _FILE_MODE)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


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
#: 2: communes.parquet has a row per scenario × replication × commune (it had one per commune).
#: Columns added since, without a bump (older readers ignore them, the dashboard reads runs
#: without them): series.parquet ``days``, channels.parquet ``first`` (docs/model.md §6).
RESULTS_FORMAT = 2
#: The formats this version reads (the dashboard reads communes.parquet of either layout).
READABLE_FORMATS = (1, 2)


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
    if fmt in READABLE_FORMATS and not isinstance(fmt, bool):
        return
    if isinstance(fmt, bool) or not isinstance(fmt, int):
        # "1" (text) is not 1: say what is wrong rather than "format 1, this simsoins reads format 1"
        raise ValueError(f"{path}: results_format = {fmt!r} is not a format number (this simsoins writes "
                         f"{RESULTS_FORMAT}); the manifest was edited or damaged: re-run the simulation")
    newer = "a newer" if fmt > RESULTS_FORMAT else "an older"
    readable = " or ".join(str(f) for f in READABLE_FORMATS)
    raise ValueError(f"{run_dir}: results in format {fmt}, written by {newer} simsoins; this one reads only "
                     f"format {readable}: re-run the simulation or use the simsoins version that wrote them")


#: The lock file a run holds in its directory for its whole life (:func:`lock_folder`).
LOCK_NAME = ".simsoins.lock"


class FolderBusy(Exception):
    """The directory is locked by another run."""


def lock_folder(folder: Path) -> tuple[int, bool]:
    """Lock ``folder`` exclusively, without waiting: ``(fd, created)`` of its lock file
    (``created``: this call made the file). :class:`FolderBusy` if another run holds it.
    The lock ends with the process (``fd`` closed), even on SIGKILL: no stale lock."""
    path = Path(folder) / LOCK_NAME
    try:
        fd, created = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, _FILE_MODE), True
    except FileExistsError:
        try:
            fd, created = os.open(path, os.O_RDWR), False
        except FileNotFoundError:  # its holder just removed it: it was running a moment ago
            raise FolderBusy(str(path)) from None
    try:
        _try_lock(fd)
        # the holder removes the file before unlocking: a lock on a removed file is no lock
        if os.fstat(fd).st_ino != os.stat(path).st_ino:
            raise BlockingIOError
    except OSError:
        os.close(fd)
        raise FolderBusy(str(path)) from None
    return fd, created


def unlock_folder(folder: Path, fd: int, created: bool) -> None:
    """End :func:`lock_folder`'s lock; its file goes if that call made it."""
    if created and sys.platform != "win32":  # removed while still locked (see lock_folder)
        (Path(folder) / LOCK_NAME).unlink(missing_ok=True)
    os.close(fd)


def _try_lock(fd: int) -> None:
    """An exclusive lock on ``fd``, or OSError at once if another process holds one."""
    if sys.platform == "win32":
        import msvcrt

        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
