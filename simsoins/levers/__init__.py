"""Levers as mechanisms: turn a territory and a model's levers into a :class:`Plan`.

A plan is what a replication needs beyond the territory as written: the clinicians and
practices a lever adds (docteurs juniors, a new centre, a hôpital de proximité, médicobus
stops), when each clinician starts and stops working, how their slots per session change
over time (assistants médicaux: more; supervising a junior: fewer), which slots go to a
CPTS pool or to the SAS, who leaves and when, the MT campaign, and the demand and
teleconsultation changes.  With every lever off the plan is the territory unchanged.

Rules that choose places on any territory (``auto``) rank communes by a two-step
floating catchment access score (« accessibilité », an APL-like measure): the GP slots
within 20 km per inhabitant within 20 km.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np

from simsoins.config.levers import WEEKDAYS
from simsoins.config.model import ModelConfig, RunConfig
from simsoins.config.schema import ConfigError
from simsoins.territory import Territory, haversine_km, initial_panels, parse_sessions, weekly_slots

CATCHMENT_KM = 20.0
INF = float("inf")


@dataclass
class Gain:
    """A change of a clinician's slots per session: ``value`` (+0.072 = 7.2 % more),
    from ``start`` to ``end`` (days), reached linearly over ``ramp`` days."""

    value: float
    start: float
    end: float = INF
    ramp: float = 0.0

    def at(self, days: np.ndarray) -> np.ndarray:
        on = (days >= self.start) & (days < self.end)
        frac = np.ones_like(days, dtype=float) if self.ramp <= 0 else np.clip((days - self.start) / self.ramp, 0, 1)
        return np.where(on, self.value * frac, 0.0)


@dataclass
class Plan:
    """A territory with its levers applied (see module docstring)."""

    territory: Territory
    panels: np.ndarray  # communes × clinicians, MT registrations at the start
    panel_cap: np.ndarray  # per clinician: most MT patients they take (grows with assistants)
    cap_growth: list[tuple[int, float, float]]  # (clinician, extra cap share per year, start day)
    start_day: np.ndarray  # per clinician: first day with slots
    end_day: np.ndarray  # per clinician: first day without slots
    gains: dict[int, list[Gain]]
    pool_share: np.ndarray  # per clinician (CPTS)
    sas_share: np.ndarray  # per clinician (SAS slots)
    open_held: np.ndarray  # per practice: same-day slots open to every acute patient
    medicobus: np.ndarray  # per practice: a médicobus stop
    mt_capable: np.ndarray  # per clinician: may be a médecin traitant
    departures: list[tuple[int, int]]  # (day, clinician)
    campaign: tuple[int, np.ndarray, float, np.ndarray, float] | None
    cpts_area: np.ndarray  # per commune
    cpts_member: np.ndarray  # per practice
    demand_keep: tuple[float, float, float]  # share of demand kept after prevention, by need
    prevention_day: int
    tele_eligibility: np.ndarray  # per commune multiplier
    tele_old_factor: np.ndarray  # per commune: eligibility factor of the oldest band (None = config)
    tele_uptake: np.ndarray  # per commune
    tele_extra_slots_per_hour: int
    notes: list[str] = field(default_factory=list)


def day_of(date: str, run: RunConfig, default: float = 0.0) -> float:
    """Simulated day of an ISO date ('' = ``default``)."""
    if not date:
        return default
    return float((dt.date.fromisoformat(date) - run.start).days)


def access_score(t: Territory) -> np.ndarray:
    """Per commune: weekly GP slots within the catchment per inhabitant within it (2SFCA)."""
    near = t.km_commune_practice <= CATCHMENT_KM  # communes × practices
    slots = np.bincount(t.clinician_practice, weights=weekly_slots(t), minlength=len(t.practice_id))
    demand = near.T.astype(float) @ t.population  # per practice
    ratio = np.where(demand > 0, slots / np.maximum(demand, 1e-9), 0.0)
    return near.astype(float) @ ratio


def _underserved(t: Territory, candidates: np.ndarray) -> list[int]:
    score = access_score(t)
    idx = np.flatnonzero(candidates)
    return [int(i) for i in idx[np.lexsort((-t.population[idx], score[idx]))]]


def _auto_commune(t: Territory, value: str, field_: str, min_pop: float) -> int:
    if value != "auto":
        return t.commune_index([value], field_)[0]
    big = t.population >= min_pop
    order = _underserved(t, big if big.any() else t.population == t.population.max())
    return order[0]


def extend(t: Territory, practices: list[tuple[str, str, int, str]],
           clinicians: list[tuple[str, int, str, tuple, int, float]]) -> Territory:
    """``t`` with extra practices (id, name, commune, kind) and clinicians (id, practice,
    kind, sessions, slot minutes, same-day share); new clinicians accept new patients."""
    if not practices and not clinicians:
        return t
    pc = np.concatenate([t.practice_commune, np.array([p[2] for p in practices], dtype=np.int64)])
    km_new = t.road_factor * haversine_km(t.lon[:, None], t.lat[:, None], t.lon[pc[len(t.practice_id):]][None, :],
                                        t.lat[pc[len(t.practice_id):]][None, :])
    return replace(
        t,
        practice_id=t.practice_id + tuple(p[0] for p in practices),
        practice_name=t.practice_name + tuple(p[1] for p in practices),
        practice_commune=pc,
        practice_kind=t.practice_kind + tuple(p[3] for p in practices),
        clinician_id=t.clinician_id + tuple(c[0] for c in clinicians),
        clinician_practice=np.concatenate([t.clinician_practice, np.array([c[1] for c in clinicians], dtype=np.int64)]),
        clinician_kind=t.clinician_kind + tuple(c[2] for c in clinicians),
        clinician_sessions=t.clinician_sessions + tuple(c[3] for c in clinicians),
        clinician_slot_minutes=np.concatenate([t.clinician_slot_minutes,
                                               np.array([c[4] for c in clinicians], dtype=np.int64)]),
        clinician_same_day_share=np.concatenate([t.clinician_same_day_share, np.array([c[5] for c in clinicians])]),
        clinician_accepts_new=np.concatenate([t.clinician_accepts_new, np.ones(len(clinicians), dtype=bool)]),
        km_commune_practice=np.concatenate([t.km_commune_practice, km_new], axis=1),
    )


def _sessions(items, field_: str, slot: int):
    sessions = parse_sessions(list(items), field_, slot)
    if not sessions:
        raise ConfigError(f"{field_} = []: has no session; give at least one, e.g. 'mon 08:30-12:30'")
    return sessions


def check_places(t: Territory, lv, path: str) -> None:
    """Every commune, practice and clinician a lever names must exist, even when the lever
    is off — a typo must not hide until the day someone switches it on."""
    def communes(values, field_):
        t.commune_index([v for v in values if v not in ("auto", "all", "", "none")], f"{path}.{field_}")

    communes([lv.nouveau_centre.commune], "nouveau_centre.commune")
    communes([lv.hopital_proximite.commune], "hopital_proximite.commune")
    communes(lv.teleconsultation.cabines, "teleconsultation.cabines")
    communes(lv.cpts.area, "cpts.area")
    for day, code in lv.medicobus.route.items():
        communes([code], f"medicobus.route.{day}")
    t.practice_index([p for p in lv.cpts.members if p != "all"], f"{path}.cpts.members")
    t.practice_index(lv.docteurs_juniors.practices, f"{path}.docteurs_juniors.practices")
    known = set(t.clinician_id)
    for field_, ids in (("assistants_medicaux.clinicians", lv.assistants_medicaux.clinicians),
                        ("departs_retraite.clinicians", lv.departs_retraite.clinicians)):
        for c in ids:
            if c not in known:
                raise ConfigError(f"{path}.{field_} = {c!r}: unknown clinician id in territory {t.name}")


def make_plan(t0: Territory, model: ModelConfig, run: RunConfig, path: str = "levers") -> Plan:
    """Apply every lever of ``model`` to territory ``t0``; ConfigError on a bad place or id."""
    lv = model.levers
    check_places(t0, lv, path)
    new_p: list = []
    new_c: list = []
    starts: dict[int, float] = {}
    ends: dict[int, float] = {}
    gains: dict[int, list[Gain]] = {}
    base_panels = initial_panels(t0)
    load = base_panels.sum(axis=0) / np.maximum(weekly_slots(t0), 1)
    n0, p0 = t0.n_clinicians, len(t0.practice_id)

    def add_practice(pid, name, commune, kind) -> int:
        new_p.append((pid, name, commune, kind))
        return p0 + len(new_p) - 1

    def add_clinician(cid, practice, kind, sessions, slot, same_day, start, end=INF) -> int:
        new_c.append((cid, practice, kind, sessions, slot, same_day))
        c = n0 + len(new_c) - 1
        starts[c], ends[c] = start, end
        return c

    # Docteurs juniors: one per practice down the list of the most loaded practices.
    jl = lv.docteurs_juniors
    if jl.count > 0:
        jstart = day_of(jl.start_date, run)
        jend = jstart + jl.months * 30.44
        sess = _sessions(jl.schedule, f"{path}.docteurs_juniors.schedule", jl.slot_minutes)
        if jl.practices:
            order = t0.practice_index(jl.practices, f"{path}.docteurs_juniors.practices")
        else:
            pload = np.bincount(t0.clinician_practice, weights=base_panels.sum(axis=0), minlength=p0) / np.maximum(
                np.bincount(t0.clinician_practice, weights=weekly_slots(t0), minlength=p0), 1)
            order = [int(p) for p in np.argsort(-pload, kind="stable")]
        for k in range(jl.count):
            p = order[k % len(order)]
            add_clinician(f"DJ{k + 1:03d}", p, "junior", sess, jl.slot_minutes, jl.same_day_share, jstart, jend)
            members = [c for c in range(n0) if t0.clinician_practice[c] == p]
            supervisor = members[k // len(order) % len(members)] if members else None
            if supervisor is not None and jl.supervision_share > 0:
                gains.setdefault(supervisor, []).append(Gain(-jl.supervision_share, jstart, jend))

    # A new MSP / centre de santé with a recruitment ramp.
    nc = lv.nouveau_centre
    if nc.enabled:
        commune = _auto_commune(t0, nc.commune, f"{path}.nouveau_centre.commune", 2_000)
        p = add_practice("NC-1", f"Nouveau {nc.kind.replace('_', ' ')} {t0.commune_name[commune]}", commune, nc.kind)
        sess = _sessions(nc.schedule, f"{path}.nouveau_centre.schedule", nc.slot_minutes)
        open_day = day_of(nc.opening_date, run)
        for k in range(nc.gps):
            join = open_day + (nc.ramp_months * 30.44 * k / nc.gps)
            add_clinician(f"NC-G{k + 1}", p, "gp", sess, nc.slot_minutes, nc.same_day_share, join)

    hp = lv.hopital_proximite
    if hp.enabled:
        commune = _auto_commune(t0, hp.commune, f"{path}.hopital_proximite.commune", 2_000)
        p = add_practice("HP-1", f"Hôpital de proximité {t0.commune_name[commune]}", commune, "hopital_proximite")
        sess = _sessions(hp.schedule, f"{path}.hopital_proximite.schedule", hp.slot_minutes)
        for k in range(hp.doctors):
            add_clinician(f"HP-D{k + 1}", p, "gp", sess, hp.slot_minutes, hp.unscheduled_share,
                          day_of(hp.opening_date, run))

    mb = lv.medicobus
    if mb.enabled:
        has_practice = np.zeros(t0.n_communes, dtype=bool)
        has_practice[t0.practice_commune] = True
        auto = iter([c for c in _underserved(t0, ~has_practice & (t0.population >= 300))]
                    + _underserved(t0, np.ones(t0.n_communes, dtype=bool)))
        used: set[int] = set()
        for day in WEEKDAYS:
            code = mb.route.get(day, "")
            if code in ("", "none"):
                continue
            if code == "auto":
                commune = next((c for c in auto if c not in used), None)
                if commune is None:
                    raise ConfigError(f"{path}.medicobus.route.{day} = 'auto': no commune left for this stop "
                                      f"(the territory has {t0.n_communes}); name one or use 'none'")
            else:
                commune = t0.commune_index([code], f"{path}.medicobus.route.{day}")[0]
            used.add(commune)
            sess = _sessions([f"{day} {s}" for s in mb.sessions], f"{path}.medicobus.sessions", mb.slot_minutes)
            p = add_practice(f"MB-{day}", f"Médicobus {t0.commune_name[commune]} ({day})", commune, "medicobus")
            add_clinician(f"MB-{day}-GP", p, "gp", sess, mb.slot_minutes, 0.3, day_of(mb.start_date, run))

    t = extend(t0, new_p, new_c)
    n, n_prac = t.n_clinicians, len(t.practice_id)
    panels = np.concatenate([base_panels, np.zeros((t.n_communes, n - n0))], axis=1)
    typical = float(np.median(base_panels.sum(axis=0))) if n0 else 1000.0
    cap = np.ceil(np.concatenate([base_panels.sum(axis=0), np.full(n - n0, typical)])
                  * (1 + model.clinicians.panel_room))
    mt_capable = np.array([k == "gp" for k in t.clinician_kind], dtype=bool)
    kinds = np.array(t.practice_kind)
    medicobus = kinds == "medicobus"
    mt_capable &= ~medicobus[t.clinician_practice]
    open_held = np.isin(kinds, ("centre_sante", "hopital_proximite", "medicobus"))
    open_held[p0:] |= kinds[p0:] == "msp"  # a new MSP opens its same-day slots to all

    # Assistants médicaux: the listed GPs, else the most loaded ones.
    am = lv.assistants_medicaux
    cap_growth = []
    chosen = []
    if am.clinicians:
        lookup = {c: i for i, c in enumerate(t0.clinician_id)}
        for c in am.clinicians:
            if c not in lookup:
                raise ConfigError(f"{path}.assistants_medicaux.clinicians = {c!r}: unknown clinician id")
            chosen.append(lookup[c])
    elif am.count > 0:
        gp = [c for c in np.argsort(-load, kind="stable") if t0.clinician_kind[c] == "gp"]
        chosen = [int(c) for c in gp[: am.count]]
    am_start = day_of(am.start_date, run)
    for c in chosen:
        gains.setdefault(c, []).append(Gain(am.acts_gain, am_start, INF, am.ramp_months * 30.44))
        cap_growth.append((c, am.panel_gain / am.panel_gain_years, am_start))

    # Departures (« départs à la retraite »).
    dr = lv.departs_retraite
    departures = []
    lookup = {c: i for i, c in enumerate(t0.clinician_id)}
    for c, d in zip(dr.clinicians, dr.dates):
        if c not in lookup:
            raise ConfigError(f"{path}.departs_retraite.clinicians = {c!r}: unknown clinician id")
        departures.append((int(day_of(d, run)), lookup[c]))
    if dr.count > 0:
        sizes = np.bincount(t0.clinician_practice, minlength=p0)
        order = [int(p) for p in np.argsort(-sizes, kind="stable")]
        picked: list[int] = []
        rounds = 0
        while len(picked) < min(dr.count, n0) and rounds < n0:
            for p in order:
                members = [c for c in range(n0) if t0.clinician_practice[c] == p and c not in picked]
                if members and len(picked) < dr.count:
                    picked.append(members[-1])
            rounds += 1
        for k, c in enumerate(picked):
            departures.append((int(dr.spread_months * 30.44 * k / max(len(picked), 1)), c))
    for d, c in departures:
        ends[c] = min(ends.get(c, INF), float(d))

    cp = lv.cpts
    pool = np.zeros(n)
    area = np.zeros(t.n_communes, dtype=bool)
    member = np.zeros(n_prac, dtype=bool)
    campaign = None
    if cp.enabled:
        if tuple(cp.members) == ("all",):
            member[:] = True
        else:
            member[t0.practice_index(cp.members, f"{path}.cpts.members")] = True
        area[:] = tuple(cp.area) == ("all",)
        if tuple(cp.area) != ("all",):
            area[t0.commune_index(cp.area, f"{path}.cpts.area")] = True
        pool = np.where(member[t.clinician_practice] & ~medicobus[t.clinician_practice], cp.pool_share, 0.0)
        if cp.mt_campaign_share > 0:
            campaign = (int(day_of(cp.start_date, run)), area.copy(), cp.mt_campaign_share,
                        member[t.clinician_practice] & mt_capable, cp.mt_campaign_room)
    sas = np.zeros(n)
    if lv.sas.enabled:
        sas = np.where(mt_capable, lv.sas.slot_share, 0.0)

    pv = lv.prevention
    keep = (1 - pv.routine_reduction, 1 - pv.acute_reduction, 1 - pv.emergency_reduction)
    tl = lv.teleconsultation
    elig = np.full(t.n_communes, 1.0 + tl.eligibility_gain)
    old = np.full(t.n_communes, np.nan)
    uptake = np.full(t.n_communes, min(1.0, model.pathways.tele_uptake + tl.uptake_gain))
    if tl.cabines:
        if tuple(tl.cabines) == ("auto",):  # the five most under-served communes of ≥ 500 inhabitants
            cab = _underserved(t0, t0.population >= 500)[:5]
        else:
            cab = t0.commune_index(tl.cabines, f"{path}.teleconsultation.cabines")
        old[cab] = 1.0
        uptake[cab] = np.minimum(1.0, uptake[cab] + tl.cabine_uptake_gain)

    start = np.array([starts.get(c, 0.0) for c in range(n)])
    end = np.array([ends.get(c, INF) for c in range(n)])
    return Plan(t, panels, cap, cap_growth, start, end, gains, pool, sas, open_held, medicobus, mt_capable,
                sorted(departures), campaign, area, member, keep, int(day_of(pv.start_date, run)), elig, old,
                uptake, tl.extra_slots_per_hour)
