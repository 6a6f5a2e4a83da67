"""The files of a run directory the dashboard reads, checked as it reads them: a file
edited by hand or by another program is refused with one line naming it (the command
exits with status 2), never a crash while the page is drawn."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd


def json_object(path: Path) -> dict:
    """The JSON object in ``path``; ValueError naming the file if it holds anything else."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: invalid JSON ({e.msg}, line {e.lineno})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: a JSON object {{...}} expected, found a {type(data).__name__}")
    return data


#: summary.csv's text columns; every other one holds numbers (or nothing: not applicable).
SUMMARY_TEXT_COLUMNS = ("scenario", "kpi", "unit")


def summary_csv(path: Path) -> pd.DataFrame:
    """``summary.csv``; ValueError naming the file, line and column of a value that should
    be a number and is not (a file edited by hand), rather than a crash while drawing."""
    df = pd.read_csv(path)
    for col in df.columns.difference(SUMMARY_TEXT_COLUMNS, sort=False):
        numbers = pd.to_numeric(df[col], errors="coerce")
        bad = np.flatnonzero(numbers.isna() & df[col].notna())
        if len(bad):
            raise ValueError(f"{path}: line {bad[0] + 2}, column {col!r}: {df[col].iloc[bad[0]]!r} is not a number")
        df[col] = numbers
    return df
