"""Reading a territory table (a CSV file, or a DataFrame from a builder) and checking its
columns, with messages that name the file, the column, the file line and the value.

Every cell is read as a string, so that INSEE codes keep their leading zeros and a value
a planner mistyped is shown as written.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from simsoins.config.model import ConfigError

#: Territory files named in a config are also looked up here (``exemple/communes.csv``…).
PACKAGE_DATA = Path(__file__).resolve().parents[1] / "data" / "territories"


def open_table(value, base_dir: Path | None, field: str, required: Sequence[str]) -> pd.DataFrame:
    """The table ``value`` names: a path (resolved by :func:`resolve`) or a DataFrame."""
    src = value if isinstance(value, pd.DataFrame) else resolve(str(value), base_dir, field)
    return read_csv(src, field, required)


def resolve(path: str, base: Path | None, field: str) -> Path:
    """The file ``path``: absolute, or relative to the current directory, then to ``base``
    (the config's directory), then to :data:`PACKAGE_DATA`."""
    p = Path(path)
    candidates = [p] if p.is_absolute() else [Path.cwd() / p] + ([base / p] if base else []) + [PACKAGE_DATA / p]
    for c in candidates:
        if c.is_file():
            return c
    raise ConfigError(f"{field} = {path!r}: file not found (looked in {', '.join(map(str, candidates))})")


def read_csv(path, field: str, required: Sequence[str]) -> pd.DataFrame:
    """A CSV file as strings (or a DataFrame given directly by a territory builder), with
    the ``required`` columns and at least one row."""
    if isinstance(path, pd.DataFrame):
        df = path.astype(str)
        path = f"<table of {len(df)} rows>"
    else:
        df = _read_file(path, field)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ConfigError(
            f"{field} = {str(path)!r}: missing column(s) {', '.join(missing)}; "
            f"required: {', '.join(required)}"
        )
    if df.empty:
        raise ConfigError(f"{field} = {str(path)!r}: has no rows")
    return df


def _read_file(path, field: str) -> pd.DataFrame:
    """Read the CSV file; remember the file line of its first data row for messages."""
    try:
        df = pd.read_csv(path, dtype=str, comment="#", keep_default_na=False)
        lead = _leading_comment_lines(path)
    except Exception as exc:  # pandas raises many types for malformed files
        raise ConfigError(f"{field} = {str(path)!r}: cannot be read as CSV ({exc})") from None
    df.attrs["first_line"] = lead + 2  # file line of the first data row (after the header)
    return df


def _leading_comment_lines(path) -> int:
    """Comment and blank lines above the header (pandas skips them, messages must not)."""
    lead = 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.lstrip().startswith("#") or not line.strip():
                lead += 1
            else:
                break
    return lead


def file_line(df: pd.DataFrame, row: int) -> int:
    """File line number of data row ``row`` (comment lines above the header counted)."""
    return row + df.attrs.get("first_line", 2)


def numeric_column(df: pd.DataFrame, col: str, field: str, *, lo: float | None = None,
                   hi: float | None = None) -> np.ndarray:
    """Column ``col`` as floats; a cell that is not a number or lies outside [lo, hi]
    raises a ConfigError naming its file line."""
    values = pd.to_numeric(df[col], errors="coerce")
    bad = values.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ConfigError(f"{field}: column {col}, row {file_line(df, row)} = {df[col].iloc[row]!r}: must be a number")
    arr = values.to_numpy(dtype=float)
    out = (arr < lo if lo is not None else False) | (arr > hi if hi is not None else False)
    if np.any(out):
        row = int(np.flatnonzero(out)[0])
        raise ConfigError(f"{field}: column {col}, row {file_line(df, row)} = {df[col].iloc[row]!r}: "
                          f"must be {_allowed_range(lo, hi)}")
    return arr


def _allowed_range(lo: float | None, hi: float | None) -> str:
    """``"≥ 0 and ≤ 1"``, ``"≥ 0"``…"""
    return " and ".join(x for x in (f"≥ {lo}" if lo is not None else "", f"≤ {hi}" if hi is not None else "") if x)


def check_unique(df: pd.DataFrame, col: str, field: str) -> None:
    """Refuse a repeated id in column ``col``."""
    dup = df[col][df[col].duplicated()]
    if len(dup):
        raise ConfigError(f"{field}: column {col} has duplicate id {dup.iloc[0]!r}; ids must be unique")


def first_row(mask: pd.Series) -> int | None:
    """Row number of the first true cell of ``mask``, or None."""
    return int(np.flatnonzero(mask.to_numpy())[0]) if mask.any() else None
