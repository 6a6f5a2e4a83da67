"""How a plan is built, in two stages that every lever plugs into.

1. :class:`Additions`: levers that bring practices and clinicians (docteurs juniors, a new
   centre, …) add them here, with the days each works and any change of slots.  New
   rows are numbered after the territory's own, in the order the levers add them.
2. :func:`settle` extends the territory with them and makes a :class:`Plan` whose other
   fields have their lever-off values; the levers that change the plan (assistants
   médicaux, CPTS, …) then write their fields on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np

from simsoins.config.model import ModelConfig, RunConfig
from simsoins.levers.places import day_of
from simsoins.levers.plan import INF, Gain, Plan, Transfer
from simsoins.territory import Session, Territory, haversine_km, initial_panels

#: Practice kinds whose same-day slots are open to every acute patient, not only to the
#: practice's own MT patients (a centre de santé, a hospital unit, a médicobus stop).
OPEN_TO_ALL_KINDS = ("centre_sante", "hopital_proximite", "medicobus")
#: MT panel size given to new clinicians when the territory has none to take the median
#: from (persons). CALIBRATION §2: 1,001 MT patients per GP on average (CNAM, 2021).
TYPICAL_PANEL = 1000.0
#: Added to a GP's id for their row at the practice they move to on a later day.
MOVED_SUFFIX = "-moved"


@dataclass(frozen=True)
class LeverContext:
    """What every lever reads: the territory as written, the model, the run's calendar,
    and the config path of the levers (``levers`` or ``scenario.levers``) for error
    messages."""

    territory: Territory
    model: ModelConfig
    run: RunConfig
    path: str
    #: the replication the plan is for: what differs between replications (the GPs' ages
    #: in a run of several years, simsoins/levers/gp_demography.py) is drawn for it
    replication: int = 0
    #: the sizes a lever could not apply in full on this territory (:meth:`cap`), for
    #: ``scenarios.json["capped"]``: a dose silently cut would be labelled with the size asked
    capped: list[dict] = field(default_factory=list)

    def cap(self, lever: str, key: str, asked: float, applied: float, limit: float) -> None:
        """Record that ``lever.key`` = ``asked`` was applied as ``applied`` (the territory's
        ``limit``); the lever logs its own warning line saying why."""
        self.capped.append({"lever": lever, "key": key, "asked": asked, "applied": applied, "limit": limit})

    @cached_property
    def base_panels(self) -> np.ndarray:
        """communes × clinicians of the territory as written: MT registrations at the start."""
        return initial_panels(self.territory)

    def day(self, date: str) -> float:
        """Simulated day of an ISO date ('' = the first day)."""
        return day_of(date, self.run)

    def where(self, name: str) -> str:
        """The config path of a lever's field, e.g. ``levers.cpts.area``."""
        return f"{self.path}.{name}"


@dataclass(frozen=True)
class NewPractice:
    """A practice a lever adds (« cabinet », centre, médicobus stop); ``commune`` is a row."""

    id: str
    name: str
    commune: int
    kind: str


@dataclass(frozen=True)
class NewClinician:
    """A clinician a lever adds; they accept new patients."""

    id: str
    practice: int
    kind: str
    sessions: tuple[Session, ...]
    slot_minutes: int
    same_day_share: float


class Additions:
    """Stage 1: the practices and clinicians levers add, when each clinician works
    (days), and the changes of slots per session (:class:`Gain`) of any clinician."""

    def __init__(self, territory: Territory) -> None:
        self.territory = territory
        self.practices: list[NewPractice] = []
        self.clinicians: list[NewClinician] = []
        self.start_day: dict[int, float] = {}
        self.end_day: dict[int, float] = {}
        self.gains: dict[int, list[Gain]] = {}
        self.moves: dict[int, int] = {}
        self.transfers: list[Transfer] = []

    def add_practice(self, practice: NewPractice) -> int:
        """Add ``practice``; its row in the extended territory."""
        self.practices.append(practice)
        return len(self.territory.practice_id) + len(self.practices) - 1

    def add_clinician(self, clinician: NewClinician, start: float, end: float = INF) -> int:
        """Add ``clinician``, working from day ``start`` to day ``end``; their row."""
        self.clinicians.append(clinician)
        c = self.territory.n_clinicians + len(self.clinicians) - 1
        self.start_day[c], self.end_day[c] = start, end
        return c

    def move_clinician(self, clinician: int, practice: int, day: float = 0.0) -> None:
        """Move ``clinician`` (a row of the territory as written) to ``practice`` (any row),
        with their sessions, slots and MT patients (« regroupement »), on ``day``: from the
        start if it is the first day; later, they work at their own practice until then
        and on from ``day`` as a new row at ``practice`` (:class:`Transfer`)."""
        if day <= 0:
            self.moves[clinician] = practice
            return
        t = self.territory
        twin = NewClinician(id=f"{t.clinician_id[clinician]}{MOVED_SUFFIX}", practice=practice,
                            kind=t.clinician_kind[clinician], sessions=t.clinician_sessions[clinician],
                            slot_minutes=int(t.clinician_slot_minutes[clinician]),
                            same_day_share=float(t.clinician_same_day_share[clinician]))
        to = self.add_clinician(twin, day)
        self.end_day[clinician] = day
        self.transfers.append(Transfer(day=int(day), clinician=clinician, to=to))

    def add_gain(self, clinician: int, gain: Gain) -> None:
        """Change the slots per session of ``clinician`` (any row) by ``gain``."""
        self.gains.setdefault(clinician, []).append(gain)


def extend(t: Territory, practices: list[NewPractice], clinicians: list[NewClinician],
           moves: dict[int, int] | None = None) -> Territory:
    """``t`` with extra ``practices`` and ``clinicians`` (road distances computed), and the
    clinicians of ``moves`` in their new practice."""
    if not practices and not clinicians:
        return t
    own_practice = t.clinician_practice.copy()
    for c, p in (moves or {}).items():
        own_practice[c] = p
    pc = np.concatenate([t.practice_commune, np.array([p.commune for p in practices], dtype=np.int64)])
    new = pc[len(t.practice_id):]
    km_new = t.road_factor * haversine_km(t.lon[:, None], t.lat[:, None], t.lon[new][None, :], t.lat[new][None, :])

    return replace(
        t,
        practice_id=t.practice_id + tuple(p.id for p in practices),
        practice_name=t.practice_name + tuple(p.name for p in practices),
        practice_commune=pc,
        practice_kind=t.practice_kind + tuple(p.kind for p in practices),
        clinician_id=t.clinician_id + tuple(c.id for c in clinicians),
        clinician_practice=np.concatenate([own_practice, np.array([c.practice for c in clinicians], dtype=np.int64)]),
        clinician_kind=t.clinician_kind + tuple(c.kind for c in clinicians),
        clinician_sessions=t.clinician_sessions + tuple(c.sessions for c in clinicians),
        clinician_slot_minutes=np.concatenate([t.clinician_slot_minutes,
                                               np.array([c.slot_minutes for c in clinicians], dtype=np.int64)]),
        clinician_same_day_share=np.concatenate([t.clinician_same_day_share,
                                                 np.array([c.same_day_share for c in clinicians])]),
        clinician_accepts_new=np.concatenate([t.clinician_accepts_new, np.ones(len(clinicians), dtype=bool)]),
        km_commune_practice=np.concatenate([t.km_commune_practice, km_new], axis=1),
    )


def settle(additions: Additions, ctx: LeverContext) -> Plan:
    """Stage 2 starts: the territory with the additions, as a plan whose other fields have
    their lever-off values."""
    t0 = ctx.territory
    t = extend(t0, additions.practices, additions.clinicians, additions.moves)
    n, n0 = t.n_clinicians, t0.n_clinicians
    kinds = np.array(t.practice_kind)
    medicobus = kinds == "medicobus"
    mt_capable = np.array([k == "gp" for k in t.clinician_kind], dtype=bool)
    mt_capable &= ~medicobus[t.clinician_practice]
    panels = np.concatenate([ctx.base_panels, np.zeros((t.n_communes, n - n0))], axis=1)
    cap = _panel_cap(ctx, n - n0)
    for tr in additions.transfers:  # a GP who moves later keeps their cap at the new practice
        cap[tr.to] = cap[tr.clinician]
    return Plan(
        territory=t, panels=panels, panel_cap=cap, transfers=sorted(additions.transfers),
        start_day=np.array([additions.start_day.get(c, 0.0) for c in range(n)]),
        end_day=np.array([additions.end_day.get(c, INF) for c in range(n)]),
        mt_capable=mt_capable, medicobus=medicobus, open_held=_open_held(kinds, len(t0.practice_id)),
        pool_share=np.zeros(n), sas_share=np.zeros(n),
        cpts_area=np.zeros(t.n_communes, dtype=bool), cpts_member=np.zeros(len(t.practice_id), dtype=bool),
        tele_eligibility=np.full(t.n_communes, 1.0), tele_old_factor=np.full(t.n_communes, np.nan),
        tele_uptake=np.full(t.n_communes, min(1.0, ctx.model.pathways.tele_uptake)),
        gains=additions.gains,
    )


def _panel_cap(ctx: LeverContext, n_new: int) -> np.ndarray:
    """Per clinician: their initial MT panel (new clinicians: the median panel) plus the
    model's ``panel_room``, rounded up (persons)."""
    sizes = ctx.base_panels.sum(axis=0)
    typical = float(np.median(sizes)) if ctx.territory.n_clinicians else TYPICAL_PANEL
    return np.ceil(np.concatenate([sizes, np.full(n_new, typical)]) * (1 + ctx.model.clinicians.panel_room))


def _open_held(kinds: np.ndarray, n_written: int) -> np.ndarray:
    """Per practice: same-day slots open to every acute patient — by kind, and at a new
    MSP (the practices after the first ``n_written`` are the levers')."""
    open_held = np.isin(kinds, OPEN_TO_ALL_KINDS)
    open_held[n_written:] |= kinds[n_written:] == "msp"
    return open_held
