"""A territory: communes, practices, clinicians, ER and evening-care sites.

A territory is data a planner can write (« décrire son territoire »): CSV files for the
communes, the practices (cabinets, MSP, centres de santé) and their clinicians, and a
YAML file under ``configs/territory/`` that points at them and adds schedules, ER sites
and evening-care sites.  :func:`load_territory` validates everything on load and turns
it into plain arrays; bad data raises :class:`~simsoins.config.model.ConfigError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from simsoins.config.model import AGE_BANDS, ConfigError
from simsoins.config.schema import from_mapping
from simsoins.config.territory import TerritoryConfig
from simsoins.vocabulary import WEEKDAYS as DAYS

_SESSION = re.compile(r"^\s*(mon|tue|wed|thu|fri|sat|sun)\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
PACKAGE_DATA = Path(__file__).resolve().parents[1] / "data" / "territories"
EARTH_RADIUS_KM = 6371.0
#: Road distance ≈ 1.3 × straight-line distance in rural France (assumption; change in
#: ``territory.road_factor``).
ROAD_FACTOR = 1.3


@dataclass(frozen=True)
class Session:
    """A weekly session (« plage de consultation »): weekday 0=Monday, minutes from 00:00."""

    weekday: int
    start: int
    end: int


@dataclass(frozen=True)
class Site:
    """A point of care that is not a practice: an ER or an evening-care site."""

    name: str
    commune: int
    sessions: tuple[Session, ...] = ()
    slot_minutes: int = 15
    doctors: tuple[float, ...] = ()  # ER: doctors per hour of day (24 values), empty = rule


@dataclass(frozen=True)
class Territory:
    """Arrays describing a territory; every index is a row number in these arrays."""

    name: str
    commune_code: tuple[str, ...]
    commune_name: tuple[str, ...]
    lon: np.ndarray
    lat: np.ndarray
    population: np.ndarray  # inhabitants per commune (« population municipale »)
    age_pop: np.ndarray  # communes × age bands, inhabitants
    without_mt_share: float
    practice_id: tuple[str, ...]
    practice_name: tuple[str, ...]
    practice_commune: np.ndarray
    practice_kind: tuple[str, ...]
    clinician_id: tuple[str, ...]
    clinician_practice: np.ndarray
    clinician_kind: tuple[str, ...]
    clinician_sessions: tuple[tuple[Session, ...], ...]
    clinician_slot_minutes: np.ndarray
    clinician_same_day_share: np.ndarray
    clinician_accepts_new: np.ndarray  # bool
    er_sites: tuple[Site, ...]
    evening_sites: tuple[Site, ...]
    km_commune_practice: np.ndarray  # communes × practices, road km
    km_commune_er: np.ndarray  # communes × ER sites
    km_commune_evening: np.ndarray  # communes × evening sites
    panel_dispersion: float
    panel_seed: int
    road_factor: float = ROAD_FACTOR

    @property
    def n_communes(self) -> int:
        return len(self.commune_code)

    @property
    def n_clinicians(self) -> int:
        return len(self.clinician_id)

    def commune_index(self, codes: Sequence[str], field: str) -> list[int]:
        """Row numbers of commune ``codes``; an unknown code raises a ConfigError on ``field``."""
        lookup = {c: i for i, c in enumerate(self.commune_code)}
        out = []
        for c in codes:
            if str(c) not in lookup:
                raise ConfigError(f"{field} = {c!r}: unknown commune code in territory {self.name}")
            out.append(lookup[str(c)])
        return out

    def practice_index(self, ids: Sequence[str], field: str) -> list[int]:
        lookup = {c: i for i, c in enumerate(self.practice_id)}
        out = []
        for c in ids:
            if str(c) not in lookup:
                raise ConfigError(f"{field} = {c!r}: unknown practice id in territory {self.name}")
            out.append(lookup[str(c)])
        return out


def parse_sessions(items: Sequence[str], field: str, slot_minutes: int | None = None) -> tuple[Session, ...]:
    """Parse ``["mon 08:30-12:30", ...]``; refuse malformed, empty, overlapping sessions and
    sessions whose length is not a multiple of ``slot_minutes``."""
    if isinstance(items, str):
        items = [s for s in items.split(";") if s.strip()]
    out = []
    for i, text in enumerate(items):
        m = _SESSION.match(str(text))
        if not m:
            raise ConfigError(f"{field}[{i}] = {text!r}: must look like 'mon 08:30-12:30'")
        day, h1, m1, h2, m2 = m.groups()
        start, end = int(h1) * 60 + int(m1), int(h2) * 60 + int(m2)
        if not (0 <= start < end <= 24 * 60) or int(m1) > 59 or int(m2) > 59:
            raise ConfigError(f"{field}[{i}] = {text!r}: start must be before end, within one day")
        if slot_minutes and (end - start) % slot_minutes:
            raise ConfigError(
                f"{field}[{i}] = {text!r}: session of {end - start} min is not a multiple of "
                f"the slot length ({slot_minutes} min)"
            )
        out.append(Session(DAYS.index(day), start, end))
    out.sort(key=lambda s: (s.weekday, s.start))
    for a, b in zip(out, out[1:]):
        if a.weekday == b.weekday and b.start < a.end:
            raise ConfigError(
                f"{field}: sessions overlap on {DAYS[a.weekday]} "
                f"({a.start // 60:02d}:{a.start % 60:02d}-{a.end // 60:02d}:{a.end % 60:02d} and "
                f"{b.start // 60:02d}:{b.start % 60:02d}-{b.end // 60:02d}:{b.end % 60:02d})"
            )
    return tuple(out)


def haversine_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in km between points (arrays broadcast)."""
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def _resolve(path: str, base: Path | None, field: str) -> Path:
    p = Path(path)
    candidates = [p] if p.is_absolute() else [Path.cwd() / p] + ([base / p] if base else []) + [PACKAGE_DATA / p]
    for c in candidates:
        if c.is_file():
            return c
    raise ConfigError(f"{field} = {path!r}: file not found (looked in {', '.join(map(str, candidates))})")


def _read_csv(path, field: str, required: Sequence[str]) -> pd.DataFrame:
    """A CSV file as strings (or a DataFrame given directly by a territory builder)."""
    if isinstance(path, pd.DataFrame):
        df = path.astype(str)
        path = f"<table of {len(df)} rows>"
    else:
        try:
            df = pd.read_csv(path, dtype=str, comment="#", keep_default_na=False)
            with open(path, encoding="utf-8") as fh:
                lead = 0
                for line in fh:
                    if line.lstrip().startswith("#") or not line.strip():
                        lead += 1
                    else:
                        break
        except Exception as exc:  # pandas raises many types for malformed files
            raise ConfigError(f"{field} = {str(path)!r}: cannot be read as CSV ({exc})") from None
        df.attrs["first_line"] = lead + 2  # file line of the first data row
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ConfigError(
            f"{field} = {str(path)!r}: missing column(s) {', '.join(missing)}; "
            f"required: {', '.join(required)}"
        )
    if df.empty:
        raise ConfigError(f"{field} = {str(path)!r}: has no rows")
    return df


def _line(df: pd.DataFrame, row: int) -> int:
    """File line number of data row ``row`` (comment lines above the header counted)."""
    return row + df.attrs.get("first_line", 2)


def _numeric(df: pd.DataFrame, col: str, field: str, *, lo: float | None = None,
             hi: float | None = None) -> np.ndarray:
    values = pd.to_numeric(df[col], errors="coerce")
    bad = values.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise ConfigError(f"{field}: column {col}, row {_line(df, row)} = {df[col].iloc[row]!r}: must be a number")
    arr = values.to_numpy(dtype=float)
    out = (arr < lo if lo is not None else False) | (arr > hi if hi is not None else False)
    if np.any(out):
        row = int(np.flatnonzero(out)[0])
        allowed = " and ".join(x for x in (f"≥ {lo}" if lo is not None else "", f"≤ {hi}" if hi is not None else "")
                               if x)
        raise ConfigError(f"{field}: column {col}, row {_line(df, row)} = {df[col].iloc[row]!r}: must be {allowed}")
    return arr


def _unique(df: pd.DataFrame, col: str, field: str) -> None:
    dup = df[col][df[col].duplicated()]
    if len(dup):
        raise ConfigError(f"{field}: column {col} has duplicate id {dup.iloc[0]!r}; ids must be unique")


#: Accepted spellings of a yes/no column; empty = the default share applies.
FLAGS = {"": None, "1": True, "true": True, "yes": True, "oui": True, "y": True, "o": True,
         "0": False, "false": False, "no": False, "non": False, "n": False}


def load_territory(cfg: Mapping, clinician_defaults, base_dir: Path | None = None,
                   age_bands: Sequence[str] = AGE_BANDS) -> Territory:
    """Load and validate the territory described by the ``territory`` config mapping."""
    f = "territory"
    if not isinstance(cfg, Mapping):
        raise ConfigError(f"{f} = {cfg!r}: must be a mapping (choose a territory with territory=NAME)")
    if cfg.get("departement"):
        # A whole département built from the national tables carried in the package.
        from simsoins.territory.france import departement_config

        built = departement_config(str(cfg["departement"]))
        # the département's own name and label win over the generic YAML's
        cfg = {**built, **{k: v for k, v in cfg.items()
                           if k not in ("communes", "practices", "clinicians", "name", "label")}}
    tc = from_mapping(TerritoryConfig, cfg, f)
    name = tc.name

    def table(key: str, required: Sequence[str]) -> pd.DataFrame:
        value = getattr(tc, key)
        src = value if isinstance(value, pd.DataFrame) else _resolve(str(value), base_dir, f"{f}.{key}")
        return _read_csv(src, f"{f}.{key}", required)

    communes = table("communes", ["code", "name", "population", "lon", "lat"])
    _unique(communes, "code", f"{f}.communes")
    pop = _numeric(communes, "population", f"{f}.communes", lo=0)
    lon = _numeric(communes, "lon", f"{f}.communes", lo=-180, hi=180)
    lat = _numeric(communes, "lat", f"{f}.communes", lo=-90, hi=90)
    blank = communes["code"].str.strip() == ""
    if blank.any():
        row = int(np.flatnonzero(blank.to_numpy())[0])
        raise ConfigError(f"{f}.communes: column code, row {_line(communes, row)} is empty: every commune needs "
                          "its INSEE code")
    if pop.sum() <= 0:
        raise ConfigError(f"{f}.communes: total population is 0; a territory needs inhabitants")
    band_cols = [f"pop_{b}" for b in age_bands]
    if all(c in communes.columns for c in band_cols):
        age_pop = np.column_stack([_numeric(communes, c, f"{f}.communes", lo=0) for c in band_cols])
    else:
        shares = np.asarray(tc.age_structure, dtype=float)
        if len(shares) != len(age_bands) or abs(shares.sum() - 1) > 1e-6:
            raise ConfigError(
                f"{f}.age_structure = {list(tc.age_structure)}: must give {len(age_bands)} shares summing to 1 "
                f"(or the communes file must have columns {', '.join(band_cols)})"
            )
        age_pop = pop[:, None] * shares[None, :]
    codes = tuple(communes["code"].str.strip())
    code_ix = {c: i for i, c in enumerate(codes)}

    practices = table("practices", ["practice_id", "name", "commune", "kind"])
    _unique(practices, "practice_id", f"{f}.practices")
    kinds = ("cabinet", "msp", "centre_sante", "hopital_proximite", "medicobus")
    pcomm = []
    for row, (c, k) in enumerate(zip(practices["commune"], practices["kind"])):
        if c.strip() not in code_ix:
            raise ConfigError(f"{f}.practices: row {_line(practices, row)}, commune = {c!r}: unknown commune code")
        if k.strip() not in kinds:
            raise ConfigError(f"{f}.practices: row {_line(practices, row)}, kind = {k!r}: must be one of "
                              f"{', '.join(kinds)}")
        pcomm.append(code_ix[c.strip()])
    p_ix = {p: i for i, p in enumerate(practices["practice_id"].str.strip())}

    clin = table("clinicians", ["clinician_id", "practice_id", "kind", "schedule"])
    _unique(clin, "clinician_id", f"{f}.clinicians")
    schedules = tc.schedules
    d = clinician_defaults
    slot = []
    sessions = []
    cprac = []
    same_day = []
    accepts = []
    for row, r in enumerate(clin.to_dict("records")):
        where = f"{f}.clinicians: row {_line(clin, row)} ({r['clinician_id']})"
        if r["practice_id"].strip() not in p_ix:
            raise ConfigError(f"{where}, practice_id = {r['practice_id']!r}: unknown practice")
        if r["kind"].strip() not in ("gp", "junior"):
            raise ConfigError(f"{where}, kind = {r['kind']!r}: must be gp or junior")
        raw = str(r.get("slot_minutes") or "").strip()
        try:
            sm = float(raw) if raw else float(d.slot_minutes)
        except ValueError:
            sm = float("nan")
        if not (sm == int(sm) if sm == sm else False) or not 1 <= sm <= 240:
            raise ConfigError(f"{where}, slot_minutes = {raw!r}: must be a whole number of minutes from 1 to 240")
        sm = int(sm)
        sched = r["schedule"].strip()
        if sched in schedules:
            items, sfield = schedules[sched], f"territory.schedules.{sched}"
        elif re.match(r"^(mon|tue|wed|thu|fri|sat|sun)\s", sched):
            items, sfield = sched, f"{where}, schedule"
        else:
            raise ConfigError(
                f"{where}, schedule = {sched!r}: unknown schedule; "
                f"known: {', '.join(schedules) or 'none'} (or write sessions 'mon 08:30-12:30; ...')"
            )
        sess = parse_sessions(items, sfield)
        if not sess:
            raise ConfigError(f"{where}, schedule = {sched!r}: has no session")
        texts = [x for x in items.split(";") if x.strip()] if isinstance(items, str) else list(items)
        for i, text in enumerate(texts):
            (ss,) = parse_sessions([text], sfield)
            if (ss.end - ss.start) % sm:
                origin = "slot_minutes" if raw else "the default clinicians.slot_minutes"
                raise ConfigError(f"{sfield}[{i}] = {text!r}: a {ss.end - ss.start}-min session is not a multiple "
                                  f"of the slot length ({sm} min) of {where} ({origin} = {sm})")
        raw = str(r.get("same_day_share") or "").strip()
        try:
            sds = float(raw) if raw else d.same_day_share
        except ValueError:
            sds = float("nan")
        if not 0 <= sds <= 1:
            raise ConfigError(f"{where}, same_day_share = {raw!r}: must be a number between 0 and 1")
        flag = str(r.get("accepts_new", "")).strip().lower()
        if flag not in FLAGS:
            raise ConfigError(f"{where}, accepts_new = {r.get('accepts_new')!r}: must be yes or no "
                              "(oui/non, true/false, 1/0) or empty for the default share")
        slot.append(sm)
        sessions.append(sess)
        cprac.append(p_ix[r["practice_id"].strip()])
        same_day.append(sds)
        accepts.append(FLAGS[flag])
    # Clinicians with no explicit flag: a stated share accepts new MT patients, spread evenly.
    unset = [i for i, a in enumerate(accepts) if a is None]
    n_accept = round(len(unset) * d.accepts_new_share)
    for k, i in enumerate(unset):
        accepts[i] = (k * n_accept) // max(len(unset), 1) != ((k + 1) * n_accept) // max(len(unset), 1)

    def sites(key: str, need_sessions: bool) -> tuple[Site, ...]:
        out = []
        for j, s in enumerate(getattr(tc, key)):
            sf = f"{f}.{key}[{j}]"
            if s.commune not in code_ix:
                raise ConfigError(f"{sf}.commune = {s.commune!r}: unknown commune code")
            sess = parse_sessions(s.sessions, f"{sf}.sessions", s.slot_minutes) if need_sessions else ()
            out.append(Site(s.name, code_ix[s.commune], sess, s.slot_minutes, s.doctors))
        return tuple(out)

    er = sites("er_sites", False)
    if not er:
        raise ConfigError(f"{f}.er_sites = []: a territory needs at least one emergency department")
    evening = sites("evening_sites", True)
    road = tc.road_factor
    without_mt = tc.without_mt_share
    pcomm_arr = np.asarray(pcomm, dtype=np.int64)

    def km(idx):
        idx = np.asarray(idx, dtype=np.int64)
        if idx.size == 0:
            return np.zeros((len(codes), 0))
        return road * haversine_km(lon[:, None], lat[:, None], lon[idx][None, :], lat[idx][None, :])

    return Territory(
        name=name,
        commune_code=codes,
        commune_name=tuple(communes["name"]),
        lon=lon,
        lat=lat,
        population=pop,
        age_pop=age_pop,
        without_mt_share=without_mt,
        practice_id=tuple(practices["practice_id"].str.strip()),
        practice_name=tuple(practices["name"]),
        practice_commune=pcomm_arr,
        practice_kind=tuple(practices["kind"].str.strip()),
        clinician_id=tuple(clin["clinician_id"].str.strip()),
        clinician_practice=np.asarray(cprac, dtype=np.int64),
        clinician_kind=tuple(clin["kind"].str.strip()),
        clinician_sessions=tuple(sessions),
        clinician_slot_minutes=np.asarray(slot, dtype=np.int64),
        clinician_same_day_share=np.asarray(same_day, dtype=float),
        clinician_accepts_new=np.asarray(accepts, dtype=bool),
        er_sites=er,
        evening_sites=evening,
        km_commune_practice=km(pcomm_arr),
        km_commune_er=km([s.commune for s in er]),
        km_commune_evening=km([s.commune for s in evening]),
        panel_dispersion=tc.panel_dispersion,
        panel_seed=tc.panel_seed,
        road_factor=road,
    )


def weekly_slots(t: Territory) -> np.ndarray:
    """Slots per week offered by each clinician (before leave)."""
    return np.array([sum((s.end - s.start) // m for s in sess)
                     for sess, m in zip(t.clinician_sessions, t.clinician_slot_minutes)], dtype=float)


def initial_panels(t: Territory, decay_km: float = 8.0, cutoff_km: float = 45.0) -> np.ndarray:
    """Médecin traitant attribution at the start: communes × clinicians head counts.

    A doubly constrained gravity model (assumption, documented in docs/model.md): each
    commune's residents with an MT are spread over clinicians within ``cutoff_km`` with
    weight ``exp(-km / decay_km)``; column totals follow each clinician's weekly slots times
    a lognormal factor (``panel_dispersion``) so that panels differ as they do in reality
    (half of GPs between 600 and 1,300 adult MT patients, CNAM 2021).
    """
    pop = t.population * (1 - t.without_mt_share)
    km = t.km_commune_practice[:, t.clinician_practice]
    w = np.exp(-km / decay_km) * (km <= cutoff_km)
    # A commune with no clinician in reach is served by its nearest one.
    empty = w.sum(axis=1) == 0
    if empty.any():
        nearest = km[empty].argmin(axis=1)
        w[np.flatnonzero(empty), nearest] = 1.0
    rs = np.random.default_rng(t.panel_seed)
    cap = weekly_slots(t) * np.exp(rs.normal(0, t.panel_dispersion, t.n_clinicians))
    col_target = pop.sum() * cap / cap.sum()
    m = w * pop[:, None] / np.maximum(w.sum(axis=1, keepdims=True), 1e-300)
    for _ in range(50):
        col = m.sum(axis=0)
        m *= np.where(col > 0, col_target / np.maximum(col, 1e-300), 1.0)[None, :]
        row = m.sum(axis=1)
        m *= np.where(row > 0, pop / np.maximum(row, 1e-300), 0.0)[:, None]
    # Integer head counts with exact commune totals (largest remainder, row by row).
    base = np.floor(m)
    short = np.rint(m.sum(axis=1) - base.sum(axis=1)).astype(np.int64)
    frac_order = np.argsort(-(m - base), axis=1, kind="stable")
    for c in np.flatnonzero(short > 0):
        base[c, frac_order[c, : short[c]]] += 1
    return base


def territory_summary(t: Territory) -> dict:
    """A few figures for logs and docs."""
    return {
        "communes": t.n_communes,
        "population": int(round(t.population.sum())),
        "practices": len(t.practice_id),
        "clinicians": t.n_clinicians,
        "er_sites": len(t.er_sites),
        "gp_per_100k": round(float(100_000 * t.n_clinicians / t.population.sum()), 1),
    }
