"""One reader per territory table: communes, practices, clinicians, ER and evening sites.

Each reader checks its own table and raises :class:`~simsoins.config.model.ConfigError`
with one line naming the file or field, the row, the value and what is allowed.  Readers
run in the order of this module: a practice names a commune, a clinician a practice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from simsoins.config.model import ClinicianDefaults, ConfigError
from simsoins.config.territory import SiteConfig
from simsoins.territory.apportion import evenly_chosen
from simsoins.territory.model import Session, Site
from simsoins.territory.sessions import LOOKS_LIKE_SESSIONS, parse_sessions, session_texts
from simsoins.territory.tables import check_ids, file_line, numeric_column, open_table

FIELD = "territory"
COMMUNE_COLUMNS = ("code", "name", "population", "lon", "lat")
PRACTICE_COLUMNS = ("practice_id", "name", "commune", "kind")
CLINICIAN_COLUMNS = ("clinician_id", "practice_id", "kind", "schedule")
PRACTICE_KINDS = ("cabinet", "msp", "centre_sante", "hopital_proximite", "medicobus")
CLINICIAN_KINDS = ("gp", "junior")
#: Accepted spellings of a yes/no column; empty = the default share applies.
FLAGS = {"": None, "1": True, "true": True, "yes": True, "oui": True, "y": True, "o": True,
         "0": False, "false": False, "no": False, "non": False, "n": False}
AGE_SHARES_TOLERANCE = 1e-6  # age_structure shares must sum to 1 within this
#: A commune's population at most: Paris, the largest French commune, has 2.1 million
#: inhabitants; a figure far beyond is a typing error, and the simulation allocates per
#: inhabitant (1e15 asked for terabytes).
MAX_COMMUNE_POPULATION = 10_000_000
POPULATION_BOUND = " (a commune has at most 10 million inhabitants: Paris has 2.1 million)"


# ----------------------------------------------------------------------------- communes


@dataclass(frozen=True)
class Communes:
    """The communes table, checked: one entry per commune, in file order."""

    code: tuple[str, ...]  # INSEE code, stripped
    name: tuple[str, ...]
    population: np.ndarray  # inhabitants
    lon: np.ndarray  # degrees
    lat: np.ndarray
    age_pop: np.ndarray  # communes × age bands, inhabitants
    row_of: Mapping[str, int]  # INSEE code → row
    departement: tuple[str, ...]  # the optional column: "" when the table has none


def read_communes(value, base_dir: Path | None, age_bands: Sequence[str],
                  age_structure: Sequence[float]) -> Communes:
    """The communes: code, name, population, lon, lat, and optional ``pop_<band>`` columns
    (without them the population is split by the territory's ``age_structure`` shares) and
    ``departement`` (a territory of several départements: médecin-traitant panels are
    balanced within each, ``territory/panels.py``)."""
    field = f"{FIELD}.communes"
    df = open_table(value, base_dir, field, COMMUNE_COLUMNS)
    check_ids(df, "code", field)
    pop = numeric_column(df, "population", field, lo=0, hi=MAX_COMMUNE_POPULATION, why=POPULATION_BOUND)
    lon = numeric_column(df, "lon", field, lo=-180, hi=180)
    lat = numeric_column(df, "lat", field, lo=-90, hi=90)
    if pop.sum() <= 0:
        raise ConfigError(f"{field}: total population is 0; a territory needs inhabitants")
    band_cols = [f"pop_{b}" for b in age_bands]
    if all(c in df.columns for c in band_cols):
        age_pop = np.column_stack([numeric_column(df, c, field, lo=0, hi=MAX_COMMUNE_POPULATION,
                                                  why=POPULATION_BOUND) for c in band_cols])
    else:
        age_pop = pop[:, None] * _age_shares(age_structure, age_bands, band_cols)[None, :]
    codes = tuple(df["code"].str.strip())
    deps = tuple(df["departement"].astype(str).str.strip()) if "departement" in df.columns else ("",) * len(codes)
    return Communes(code=codes, name=tuple(df["name"]), population=pop, lon=lon, lat=lat, age_pop=age_pop,
                    row_of={c: i for i, c in enumerate(codes)}, departement=deps)


def _age_shares(age_structure: Sequence[float], age_bands: Sequence[str], band_cols: list[str]) -> np.ndarray:
    """The territory's age structure: one share per age band, summing to 1."""
    shares = np.asarray(age_structure, dtype=float)
    if len(shares) != len(age_bands) or abs(shares.sum() - 1) > AGE_SHARES_TOLERANCE:
        raise ConfigError(
            f"{FIELD}.age_structure = {list(age_structure)}: must give {len(age_bands)} shares summing to 1 "
            f"(or the communes file must have columns {', '.join(band_cols)})"
        )
    return shares


# ----------------------------------------------------------------------------- practices


@dataclass(frozen=True)
class Practices:
    """The practices table (« cabinets, MSP, centres de santé »), checked."""

    id: tuple[str, ...]
    name: tuple[str, ...]
    commune: np.ndarray  # commune row of each practice, int64
    kind: tuple[str, ...]
    row_of: Mapping[str, int]  # practice id → row


def read_practices(value, base_dir: Path | None, commune_row: Mapping[str, int]) -> Practices:
    """The practices: id, name, commune (INSEE code of a listed commune) and kind."""
    field = f"{FIELD}.practices"
    df = open_table(value, base_dir, field, PRACTICE_COLUMNS)
    check_ids(df, "practice_id", field)
    communes = []
    for row, (c, k) in enumerate(zip(df["commune"], df["kind"])):
        if c.strip() not in commune_row:
            raise ConfigError(f"{field}: row {file_line(df, row)}, commune = {c!r}: unknown commune code")
        if k.strip() not in PRACTICE_KINDS:
            raise ConfigError(f"{field}: row {file_line(df, row)}, kind = {k!r}: must be one of "
                              f"{', '.join(PRACTICE_KINDS)}")
        communes.append(commune_row[c.strip()])
    ids = tuple(df["practice_id"].str.strip())
    return Practices(id=ids, name=tuple(df["name"]), commune=np.asarray(communes, dtype=np.int64),
                     kind=tuple(df["kind"].str.strip()), row_of={p: i for i, p in enumerate(ids)})


# ----------------------------------------------------------------------------- clinicians


@dataclass(frozen=True)
class Clinicians:
    """The clinicians table, checked, with the defaults of ``clinicians.*`` filled in."""

    id: tuple[str, ...]
    practice: np.ndarray  # practice row, int64
    kind: tuple[str, ...]  # gp or junior
    sessions: tuple[tuple[Session, ...], ...]
    slot_minutes: np.ndarray  # minutes per « créneau », int64
    same_day_share: np.ndarray  # share of slots kept for same-day requests
    accepts_new: np.ndarray  # bool: takes new médecin-traitant patients


@dataclass(frozen=True)
class _ClinicianRow:
    """One clinician's checked figures (``accepts_new`` None = the default share decides)."""

    practice: int
    sessions: tuple[Session, ...]
    slot_minutes: int
    same_day_share: float
    accepts_new: bool | None


def read_clinicians(value, base_dir: Path | None, schedules: Mapping[str, Sequence[str]],
                    practice_row: Mapping[str, int], defaults: ClinicianDefaults) -> Clinicians:
    """The clinicians: id, practice, kind, schedule (a name from ``territory.schedules`` or
    sessions written out), and optional slot_minutes, same_day_share and accepts_new;
    ``defaults`` (the ``clinicians`` config) fills the optional cells left empty."""
    field = f"{FIELD}.clinicians"
    df = open_table(value, base_dir, field, CLINICIAN_COLUMNS)
    check_ids(df, "clinician_id", field)
    parsed: dict[tuple[str, int], tuple[Session, ...]] = {}  # schedule and slot length → sessions, checked
    rows = [_clinician(r, f"{field}: row {file_line(df, i)} ({r['clinician_id']})", schedules, practice_row,
                       defaults, parsed)
            for i, r in enumerate(df.to_dict("records"))]
    return Clinicians(
        id=tuple(df["clinician_id"].str.strip()),
        practice=np.asarray([r.practice for r in rows], dtype=np.int64),
        kind=tuple(df["kind"].str.strip()),
        sessions=tuple(r.sessions for r in rows),
        slot_minutes=np.asarray([r.slot_minutes for r in rows], dtype=np.int64),
        same_day_share=np.asarray([r.same_day_share for r in rows], dtype=float),
        accepts_new=np.asarray(spread_accepts_new([r.accepts_new for r in rows], defaults.accepts_new_share),
                               dtype=bool),
    )


def _clinician(r: Mapping[str, str], where: str, schedules: Mapping[str, Sequence[str]],
               practice_row: Mapping[str, int], defaults: ClinicianDefaults,
               parsed: dict[tuple[str, int], tuple[Session, ...]]) -> _ClinicianRow:
    """Check one row of the clinicians table; ``where`` names it in messages. ``parsed``
    keeps the sessions of each (schedule, slot length) already checked: thousands of GPs
    share a few schedules."""
    if r["practice_id"].strip() not in practice_row:
        raise ConfigError(f"{where}, practice_id = {r['practice_id']!r}: unknown practice")
    if r["kind"].strip() not in CLINICIAN_KINDS:
        raise ConfigError(f"{where}, kind = {r['kind']!r}: must be gp or junior")
    raw_slot = _cell(r, "slot_minutes")
    slot = _slot_minutes(raw_slot, defaults.slot_minutes, where)
    origin = "slot_minutes" if raw_slot else "the default clinicians.slot_minutes"
    key = (r["schedule"].strip(), slot)
    if key not in parsed:
        parsed[key] = _sessions(key[0], schedules, where, slot, origin)
    sessions = parsed[key]
    return _ClinicianRow(practice=practice_row[r["practice_id"].strip()], sessions=sessions, slot_minutes=slot,
                         same_day_share=_same_day_share(_cell(r, "same_day_share"), defaults.same_day_share, where),
                         accepts_new=_accepts_new(r, where))


def _cell(r: Mapping[str, str], key: str) -> str:
    """An optional cell, stripped; "" when the column is absent or the cell empty."""
    return str(r.get(key) or "").strip()


def _slot_minutes(raw: str, default: int, where: str) -> int:
    """The slot length in minutes: the cell, or the default when empty."""
    try:
        minutes = float(raw) if raw else float(default)
    except ValueError:
        minutes = float("nan")
    if not (minutes.is_integer() and 1 <= minutes <= 240):
        raise ConfigError(f"{where}, slot_minutes = {raw!r}: must be a whole number of minutes from 1 to 240")
    return int(minutes)


@dataclass(frozen=True)
class _Schedule:
    """A schedule's session texts and the field messages about them name."""

    texts: Sequence[str] | str
    field: str


def _sessions(name: str, schedules: Mapping[str, Sequence[str]], where: str, slot: int,
              origin: str) -> tuple[Session, ...]:
    """The sessions of schedule cell ``name``; each must be a multiple of ``slot`` minutes
    (``origin`` says where that slot length came from)."""
    schedule = _schedule(name, schedules, where)
    sessions = parse_sessions(schedule.texts, schedule.field)
    if not sessions:
        raise ConfigError(f"{where}, schedule = {name!r}: has no session")
    for i, text in enumerate(session_texts(schedule.texts)):
        (s,) = parse_sessions([text], schedule.field)
        if (s.end - s.start) % slot:
            raise ConfigError(f"{schedule.field}[{i}] = {text!r}: a {s.end - s.start}-min session is not a multiple "
                              f"of the slot length ({slot} min) of {where} ({origin} = {slot})")
    return sessions


def _schedule(name: str, schedules: Mapping[str, Sequence[str]], where: str) -> _Schedule:
    """A named schedule of ``territory.schedules``, or sessions written in the cell itself."""
    if name in schedules:
        return _Schedule(texts=schedules[name], field=f"{FIELD}.schedules.{name}")
    if LOOKS_LIKE_SESSIONS.match(name):
        return _Schedule(texts=name, field=f"{where}, schedule")
    raise ConfigError(
        f"{where}, schedule = {name!r}: unknown schedule; "
        f"known: {', '.join(schedules) or 'none'} (or write sessions 'mon 08:30-12:30; ...')"
    )


def _same_day_share(raw: str, default: float, where: str) -> float:
    """The share of slots kept for same-day requests: the cell, or the default when empty."""
    try:
        share = float(raw) if raw else default
    except ValueError:
        share = float("nan")
    if not 0 <= share <= 1:
        raise ConfigError(f"{where}, same_day_share = {raw!r}: must be a number between 0 and 1")
    return share


def _accepts_new(r: Mapping[str, str], where: str) -> bool | None:
    """The accepts_new cell as yes/no, None when empty (the default share decides)."""
    flag = str(r.get("accepts_new", "")).strip().lower()
    if flag not in FLAGS:
        raise ConfigError(f"{where}, accepts_new = {r.get('accepts_new')!r}: must be yes or no "
                          "(oui/non, true/false, 1/0) or empty for the default share")
    return FLAGS[flag]


def spread_accepts_new(accepts: list[bool | None], share: float) -> list[bool]:
    """Fill the clinicians with no explicit flag: the stated ``share`` of them accepts new
    médecin-traitant patients, spread evenly along the file order."""
    unset = [i for i, a in enumerate(accepts) if a is None]
    chosen = evenly_chosen(len(unset), round(len(unset) * share))
    filled: list[bool] = [bool(a) for a in accepts]
    for i, yes in zip(unset, chosen):
        filled[i] = yes
    return filled


# ----------------------------------------------------------------------------- sites


def read_er_sites(sites: Sequence[SiteConfig], commune_row: Mapping[str, int]) -> tuple[Site, ...]:
    """The emergency departments (« services d'urgences »): at least one."""
    er = _sites(sites, f"{FIELD}.er_sites", commune_row, with_sessions=False)
    if not er:
        raise ConfigError(f"{FIELD}.er_sites = []: a territory needs at least one emergency department")
    return er


def read_evening_sites(sites: Sequence[SiteConfig], commune_row: Mapping[str, int]) -> tuple[Site, ...]:
    """The evening and weekend care sites (« permanence des soins, maisons médicales de
    garde »), each with its weekly sessions."""
    return _sites(sites, f"{FIELD}.evening_sites", commune_row, with_sessions=True)


def _sites(sites: Sequence[SiteConfig], field: str, commune_row: Mapping[str, int],
           with_sessions: bool) -> tuple[Site, ...]:
    """The sites of ``field``, each in a listed commune; evening sites' sessions must be
    multiples of their slot length."""
    out = []
    for j, s in enumerate(sites):
        where = f"{field}[{j}]"
        if s.commune not in commune_row:
            raise ConfigError(f"{where}.commune = {s.commune!r}: unknown commune code")
        sessions = parse_sessions(s.sessions, f"{where}.sessions", s.slot_minutes) if with_sessions else ()
        out.append(Site(name=s.name, commune=commune_row[s.commune], finess=s.finess, sessions=sessions,
                        slot_minutes=s.slot_minutes, doctors=s.doctors))
    return tuple(out)
