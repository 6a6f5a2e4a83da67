"""Reading a territory table (a CSV file, or a DataFrame from a builder) and checking its
columns, with messages that name the file, the column, the file line and the value.

Every cell is read as a string, so that INSEE codes keep their leading zeros and a value
a planner mistyped is shown as written.
"""

from __future__ import annotations

import csv
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
    the ``required`` columns and at least one row; every cell trimmed once, here, so that
    ids and codes compare as written (``"MSP-VB "`` is ``"MSP-VB"``)."""
    if isinstance(path, pd.DataFrame):
        df = path.astype(str).apply(lambda col: col.str.strip())
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
    df.attrs["source"] = str(path)
    return df


def _read_file(path, field: str) -> pd.DataFrame:
    """Read the CSV file with its file line per row: comment (``#``) and blank lines are
    skipped but counted, a byte-order mark is dropped, quoted fields may hold commas."""
    where = f"{field} = {str(path)!r}"
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{where}: cannot be read as CSV (not UTF-8 text at byte {exc.start}); "
                          "save it as « CSV UTF-8 »") from None
    except OSError as exc:
        raise ConfigError(f"{where}: cannot be read as CSV ({exc.strerror})") from None
    records = _records(text, where)
    if not records:
        raise ConfigError(f"{where}: cannot be read as CSV (the file is empty: no header line)")
    (head_line, header), body = records[0], records[1:]
    columns = [c.strip() for c in header]
    for sep, name in ((";", "';'"), ("\t", "tabs")):
        if len(columns) == 1 and sep in columns[0]:  # every table has four columns or more
            raise ConfigError(f"{where}: row {head_line} (header) is separated by {name}, not commas (Excel's "
                              "French « CSV » uses ';'): save the file as « CSV UTF-8 (délimité par des "
                              "virgules) », with '.' as decimal separator")
    _check_header(columns, head_line, where)
    for line, cells in body:
        if len(cells) != len(columns):
            raise ConfigError(f"{where}: row {line} has {len(cells)} fields, the header (row {head_line}) has "
                              f"{len(columns)}; {_FIELD_COUNT_HINT}")
    df = pd.DataFrame([[c.strip() for c in cells] for _, cells in body], columns=columns, dtype=str)
    df.attrs["lines"] = [line for line, _ in body]
    return df


#: Why a row has more or fewer fields than the header, most often.
_FIELD_COUNT_HINT = ('a value holding a comma must be quoted ("Blois, centre"), and every row needs a cell '
                     "(possibly empty) per column")


def _records(text: str, where: str) -> list[tuple[int, list[str]]]:
    """The CSV records of ``text``, each with the file line where it starts; comment and
    blank lines are left out (``csv`` counts only the lines it is given, hence ``kept``)."""
    kept: list[int] = []

    def data_lines():
        for number, line in enumerate(text.splitlines(keepends=True), start=1):
            if line.strip() and not line.lstrip().startswith("#"):
                kept.append(number)
                yield line

    reader = csv.reader(data_lines(), strict=True)
    out: list[tuple[int, list[str]]] = []
    while True:
        start = reader.line_num
        try:
            cells = next(reader)
        except StopIteration:
            return out
        except csv.Error as exc:
            raise ConfigError(f"{where}: row {kept[start]}: malformed CSV ({exc}); quote a value holding "
                              'a comma or a quote, doubling its quotes ("le ""Val""")') from None
        out.append((kept[start], cells))


def _check_header(columns: list[str], line: int, where: str) -> None:
    """Refuse an empty or repeated column name: pandas would rename a repeat ``code.1``
    and the second column would be silently ignored."""
    seen: set[str] = set()
    for c in columns:
        if not c:
            raise ConfigError(f"{where}: row {line} (header) has a column with no name; remove the empty "
                              "column (or trailing commas)")
        if c in seen:
            raise ConfigError(f"{where}: row {line} (header), column {c!r} appears twice; each column once")
        seen.add(c)


def file_line(df: pd.DataFrame, row: int) -> int:
    """File line number of data row ``row`` (comment and blank lines counted); for a table
    given by a builder, the line it would have under a header."""
    lines = df.attrs.get("lines")
    return lines[row] if lines else row + 2


def numeric_column(df: pd.DataFrame, col: str, field: str, *, lo: float | None = None,
                   hi: float | None = None, why: str = "") -> np.ndarray:
    """Column ``col`` as floats; a cell that is not a finite number or lies outside
    [lo, hi] raises a ConfigError naming its file line (``why`` says where a bound comes from)."""
    values = pd.to_numeric(df[col], errors="coerce")
    arr = values.to_numpy(dtype=float)
    bad = ~np.isfinite(arr)
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise ConfigError(f"{field}: column {col}, row {file_line(df, row)} = {df[col].iloc[row]!r}: "
                          "must be a number (finite)")
    out = (arr < lo if lo is not None else False) | (arr > hi if hi is not None else False)
    if np.any(out):
        row = int(np.flatnonzero(out)[0])
        raise ConfigError(f"{field}: column {col}, row {file_line(df, row)} = {df[col].iloc[row]!r}: "
                          f"must be {_allowed_range(lo, hi)}{why}")
    return arr


def _allowed_range(lo: float | None, hi: float | None) -> str:
    """``"≥ 0 and ≤ 1"``, ``"≥ 0"``…"""
    return " and ".join(x for x in (f"≥ {lo}" if lo is not None else "", f"≤ {hi}" if hi is not None else "") if x)


def check_ids(df: pd.DataFrame, col: str, field: str) -> None:
    """Refuse an empty or repeated id in column ``col`` (cells are already trimmed, so
    ``"E01 "`` repeats ``"E01"``), naming the file, the row and the id."""
    where = f"{field} = {df.attrs.get('source', '?')!r}"
    first: dict[str, int] = {}
    for row, value in enumerate(df[col]):
        if value == "":
            raise ConfigError(f"{where}: column {col}, row {file_line(df, row)} is empty; every row needs an id")
        if value in first:
            raise ConfigError(f"{where}: column {col}, row {file_line(df, row)} has duplicate id {value!r} "
                              f"(already on row {file_line(df, first[value])}, spaces around ids ignored); "
                              "ids must be unique")
        first[value] = row
