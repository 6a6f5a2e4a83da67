"""What the commands of :mod:`simsoins.tools` share: how a user error is reported, how a
figure is written in their reports."""

from __future__ import annotations

import sys
from typing import NoReturn

import pandas as pd

#: Exit status of a command given bad input (argparse's own, for its usage errors).
USAGE_ERROR = 2


def user_error(prog: str, message: str) -> NoReturn:
    """Stop ``prog`` on bad input: ``prog: error: message`` as one line on stderr, exit status 2."""
    print(f"{prog}: error: {message}", file=sys.stderr)
    raise SystemExit(USAGE_ERROR)


def figure(x: float) -> str:
    """A figure in a report's table: « — » if missing, 3 decimals below 10, else 1."""
    return "—" if pd.isna(x) else (f"{x:.3f}" if abs(x) < 10 else f"{x:.1f}")
