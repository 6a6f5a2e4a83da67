"""Weekly sessions (« plages de consultation ») written as text: ``"mon 08:30-12:30"``.

A schedule is a list of such texts (or one text with ``;`` between sessions, as in a CSV
cell).  :func:`parse_sessions` turns it into :class:`~simsoins.territory.model.Session`
records and refuses what a planner may mistype, with a message naming the field.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

from simsoins.config.model import ConfigError
from simsoins.territory.model import Session
from simsoins.vocabulary import MIN_PER_DAY, MIN_PER_HOUR
from simsoins.vocabulary import WEEKDAYS as DAYS

SESSION_TEXT = re.compile(r"^\s*(mon|tue|wed|thu|fri|sat|sun)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
#: A schedule cell that starts like a session (« mon 08:30-… ») rather than naming a schedule.
LOOKS_LIKE_SESSIONS = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)\s")


def session_texts(items: Sequence[str] | str) -> list[str]:
    """The session texts of a schedule: a list as given, or a ``;``-separated text split."""
    if isinstance(items, str):
        return [s for s in items.split(";") if s.strip()]
    return list(items)


def parse_sessions(items: Sequence[str] | str, field: str, slot_minutes: int | None = None) -> tuple[Session, ...]:
    """Parse ``["mon 08:30-12:30", ...]``; refuse malformed, empty, overlapping sessions and
    sessions whose length is not a multiple of ``slot_minutes``."""
    if isinstance(items, str):
        items = session_texts(items)
    out = [_parse_one(text, f"{field}[{i}]", slot_minutes) for i, text in enumerate(items)]
    out.sort(key=lambda s: (s.weekday, s.start))
    _refuse_overlaps(out, field)
    return tuple(out)


def _parse_one(text: str, where: str, slot_minutes: int | None) -> Session:
    """One session text; ``where`` names it in messages (``field[i]``)."""
    m = SESSION_TEXT.match(str(text))
    if not m:
        raise ConfigError(f"{where} = {text!r}: must look like 'mon 08:30-12:30'")
    day, h1, m1, h2, m2 = m.groups()
    start, end = int(h1) * MIN_PER_HOUR + int(m1), int(h2) * MIN_PER_HOUR + int(m2)
    if not (0 <= start < end <= MIN_PER_DAY) or int(m1) > 59 or int(m2) > 59:
        raise ConfigError(f"{where} = {text!r}: start must be before end, within one day")
    if slot_minutes and (end - start) % slot_minutes:
        raise ConfigError(
            f"{where} = {text!r}: session of {end - start} min is not a multiple of "
            f"the slot length ({slot_minutes} min)"
        )
    return Session(DAYS.index(day), start, end)


def _refuse_overlaps(ordered: list[Session], field: str) -> None:
    """Refuse two sessions of one weekday that overlap (``ordered`` by weekday and start)."""
    for a, b in pairwise(ordered):
        if a.weekday == b.weekday and b.start < a.end:
            raise ConfigError(f"{field}: sessions overlap on {DAYS[a.weekday]} ({_span(a)} and {_span(b)})")


def _span(s: Session) -> str:
    """``"08:30-12:30"``."""
    (h1, m1), (h2, m2) = divmod(s.start, MIN_PER_HOUR), divmod(s.end, MIN_PER_HOUR)
    return f"{h1:02d}:{m1:02d}-{h2:02d}:{m2:02d}"
