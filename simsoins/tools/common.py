"""What the commands of :mod:`simsoins.tools` share: how a user error is reported."""

from __future__ import annotations

import sys
from typing import NoReturn

#: Exit status of a command given bad input (argparse's own, for its usage errors).
USAGE_ERROR = 2


def user_error(prog: str, message: str) -> NoReturn:
    """Stop ``prog`` on bad input: ``prog: error: message`` as one line on stderr, exit status 2."""
    print(f"{prog}: error: {message}", file=sys.stderr)
    raise SystemExit(USAGE_ERROR)
