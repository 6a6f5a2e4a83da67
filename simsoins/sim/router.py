"""The acute pathway (« soins non programmés »), and the router:
a direct ER walk-in (walkin.py), else own practice → another practice → CPTS pool → SAS →
teleconsultation → unscheduled-care unit → evening care → ER → give up (docs/model.md §4).
A SAS caller who hangs up goes on at the hang-up time; one who is answered gets advice or
an orientation (:meth:`Router.after_sas`).  The router's wiring, look-ups
(``_earliest_in``, ``_book``…) and the routine pathway are in pathways.py."""

from __future__ import annotations

from itertools import accumulate

from simsoins.sim.channels import CPTS, ER, EVENING, GAVE_UP, INF, OTHER, OWN, OWN_BIT, SAS, SAS_ADVICE
from simsoins.sim.deferred import SAS_ANSWERED
from simsoins.sim.pathways import Pathways
from simsoins.sim.patient import Patient
from simsoins.sim.walkin import HOURS_PER_WEEK
from simsoins.vocabulary import BIT, MIN_PER_HOUR

ER_BIT = BIT["er"]


class Router(Pathways):
    """Routes requests through the pathways (pathways.py) and the acute one (here)."""

    __slots__ = ("sas_cum", "unit_clinicians", "units", "walkin_mt", "walkin_p", "walkin_sas", "walkin_unit_p")

    def __init__(self, *, walkins=None, units=None, unit_practices=(), **wiring) -> None:
        """``wiring``: as :class:`~simsoins.sim.pathways.Pathways`.  ``walkins``: the walk-in
        model (walkin.py; None: nobody walks in); ``units``: each commune's unscheduled-care
        units nearest first (nearby.py, over ``unit_practices``, their practices)."""
        super().__init__(**wiring)
        if walkins is None:
            self.walkin_p, self.walkin_mt, self.walkin_sas = [0.0] * (len(self.cpts_area) * HOURS_PER_WEEK), 1.0, 0.0
        else:
            self.walkin_p, self.walkin_mt, self.walkin_sas = walkins.probability, walkins.mt_factor, \
                walkins.sas_first_share
        self.walkin_unit_p = walkins.without_units if walkins is not None and units is not None else None
        self.units = units
        self.unit_clinicians = [self.practice_clinicians[q] for q in unit_practices]
        sas = self.sas_params
        # cumulative shares of the SAS regulator's orientations (SasLever.ORIENTATIONS)
        self.sas_cum = tuple(accumulate(sas.orientation_shares())) if sas is not None else (0.0,) * 5

    def acute(self, pt: Patient, t: float) -> None:
        if self.walks_in(pt, t):
            return
        p, cols, rid, mt = self.p, self.cols, pt.rid, pt.mt
        t_from = t + p.acute_min_lead_minutes
        limit = min(t + pt.patience, t + self.horizon)
        path = 0
        own = -1
        if mt >= 0 and self.active[mt]:
            own = self.practice_of[mt]
            path |= OWN_BIT
            best = self._earliest_in(self._acute_order[mt], t_from, limit, True, t)
            if best is not None:
                self._book(pt, best, OWN, path, p.no_show_known, t)
                return
        best, channel, path = self._other_practices(pt, t_from, limit, t, own, True, path)
        if best is not None:
            self._book(pt, best, channel, path, p.no_show_new, t)
            return
        if self.cpts_area[pt.commune]:
            for practice, km in self.practices.order(pt.commune, pt.travel):
                if km > pt.travel:
                    break
                if not self.cpts_member[practice]:
                    continue
                path |= BIT["cpts"]
                best = self._earliest_list(self.practice_clinicians[practice], self.pools, t_from, limit)
                if best is not None:
                    self._book(pt, best, CPTS, path, p.no_show_new, t)
                    return
        if self.sas_call is not None:
            cols.path[rid] = path | BIT["sas"]
            t_done = self.sas_call(t, pt)
            self.defer(t_done, SAS_ANSWERED, pt)
            return
        self.acute_last_resort(pt, t, path)

    def walks_in(self, pt: Patient, t: float) -> bool:
        """A direct walk-in (« recours direct aux urgences »), decided by the commune ×
        hour-of-week probability times the MT factor (the age band's is in the uniform,
        walkin.py): to the ER, or to the SAS first (:meth:`walk_in`); one that an
        unscheduled-care unit diverts goes straight to the unit if it has a slot in time.
        True: the request is handled."""
        at = pt.commune * HOURS_PER_WEEK + int(t) // MIN_PER_HOUR % HOURS_PER_WEEK
        mt_factor = self.walkin_mt if pt.mt >= 0 else 1.0
        p_walk = self.walkin_p[at] * mt_factor
        if pt.u_walkin < p_walk:
            self.walk_in(pt, t, p_walk)
            return True
        return (self.walkin_unit_p is not None and pt.u_walkin < self.walkin_unit_p[at] * mt_factor
                and self.walk_to_unit(pt, t))

    def walk_in(self, pt: Patient, t: float, p_walk: float) -> None:
        """Straight to the ER (an avoidable visit); with the SAS on, the lower
        ``sas_first_share`` of the walk-in draws call it first instead."""
        cols, rid = self.cols, pt.rid
        if self.sas_call is not None and pt.u_walkin < p_walk * self.walkin_sas:
            cols.path[rid] = BIT["sas"]
            self.defer(self.sas_call(t, pt), SAS_ANSWERED, pt)
            return
        cols.path[rid] = ER_BIT
        cols.outcome[rid] = ER
        cols.t_exit[rid] = t
        self.er_visit(rid, t, pt.commune, True, pt.er_service, 0)

    def walk_to_unit(self, pt: Patient, t: float) -> bool:
        """A walk-in diverted by an unscheduled-care unit: its first same-day slot in time at
        the nearest unit within reach, if any (booked: True)."""
        best = self._unit(pt, t + self.p.acute_min_lead_minutes, min(t + pt.patience, t + self.horizon))
        if best is None:
            return False
        self._book(pt, best, OTHER, 0, self.p.no_show_new, t)
        return True

    def after_sas(self, pt: Patient, t: float) -> None:
        """The regulator has answered (SAS) and the call is over at ``t``: the orientation
        drawn from ``u_sas`` against the cumulative shares (advice, tele, evening, ER, SAMU,
        the rest a SAS slot).  ``pt.patience`` is what is left of the patient's patience."""
        cols, rid = self.cols, pt.rid
        path = cols.path[rid]
        advice, tele, evening, er, samu = self.sas_cum
        u = pt.u_sas
        if u < advice:  # « conseil médical »: resolved on the phone, no consultation
            cols.path[rid] = path | BIT["sas_advice"]
            cols.outcome[rid] = SAS_ADVICE
            cols.t_exit[rid] = t
        elif u < tele:
            self.acute_last_resort(pt, t, path)  # teleconsultation first
        elif u < evening:
            self._sas_to_evening(pt, t, path)
        elif u < er:
            self._to_er(pt, t, path, True, 0)
        elif u < samu:  # the SAMU takes the patient to the ER: an emergency (triage 1 or 2)
            self._to_er(pt, t, path, False, 1 if (u - er) < self.sas_params.samu_priority1_share * (samu - er) else 2)
        else:
            self._sas_slot(pt, t, path)

    def after_sas_hang_up(self, pt: Patient, t: float) -> None:
        """The SAS caller hung up at ``t`` before a regulator answered: on to the last resort."""
        self.acute_last_resort(pt, t, self.cols.path[pt.rid])

    def _sas_slot(self, pt: Patient, t: float, path: int) -> None:
        """A SAS slot, nearest practice first, within the SAS window and the patient's
        patience; none: on to the last resort."""
        p = self.p
        limit = t + min(self.sas_params.hours_window * MIN_PER_HOUR, pt.patience)
        t_from = t + p.acute_min_lead_minutes
        for practice, km in self.practices.order(pt.commune, pt.travel):
            if km > pt.travel:
                break
            best = self._earliest_list(self.practice_clinicians[practice], self.sass, t_from, limit)
            if best is not None:
                self._book(pt, best, SAS, path, p.no_show_new, t)
                return
        self.acute_last_resort(pt, t, path)

    def _sas_to_evening(self, pt: Patient, t: float, path: int) -> None:
        """Oriented to evening care (« maison médicale de garde »): the nearest site with a
        slot within the patient's patience; none: on to the last resort."""
        booked, path = self._evening(pt, t, min(t + pt.patience, t + self.horizon), path)
        if not booked:
            self.acute_last_resort(pt, t, path)

    def _evening(self, pt: Patient, t: float, limit: float, path: int) -> tuple[bool, int]:
        """Evening care: the nearest site within the travel limit with a slot before
        ``limit``, booked; (booked, path)."""
        p = self.p
        t_from = t + p.acute_min_lead_minutes
        for site, km in self.evenings.order(pt.commune, pt.travel):
            if km > pt.travel:
                break
            path |= BIT["evening"]
            lst = self.evening_lists[site]
            ti = self.first_time(lst, t_from)
            if ti <= limit and ti < INF:
                self._book(pt, (self.evening_provider0 + site, lst, ti), EVENING, path, p.no_show_new, t)
                return True, path
        return False, path

    def _to_er(self, pt: Patient, t: float, path: int, avoidable: bool, priority: int) -> None:
        """To the ER at ``t``: an avoidable visit (primary care had nothing, or the
        regulator sent them), or brought by the SAMU at triage ``priority``."""
        cols, rid = self.cols, pt.rid
        cols.path[rid] = path | BIT["er"]
        cols.outcome[rid] = ER
        cols.t_exit[rid] = t
        self.er_visit(rid, t, pt.commune, avoidable, pt.er_service, priority)

    def acute_last_resort(self, pt: Patient, t: float, path: int) -> None:
        """Teleconsultation → unscheduled-care unit → evening care → ER (avoidable visit)
        → gave up."""
        p, cols, rid = self.p, self.cols, pt.rid
        t_from = t + p.acute_min_lead_minutes
        limit = min(t + pt.patience, t + self.horizon)
        ok, path = self._try_tele(pt, t, limit, path)
        if ok:
            return
        if self.unit_clinicians:
            best = self._unit(pt, t_from, limit)
            if best is not None:
                self._book(pt, best, OTHER, path, p.no_show_new, t)
                return
        booked, path = self._evening(pt, t, limit, path)
        if booked:
            return
        if pt.u_er < p.acute_er_probability:
            self._to_er(pt, t, path, True, 0)
            return
        cols.path[rid] = path | BIT["gave_up"]
        cols.outcome[rid] = GAVE_UP
        cols.t_exit[rid] = t

    def _unit(self, pt: Patient, t_from: float, limit: float):
        """The nearest unscheduled-care unit within the travel limit with a same-day slot in
        time (every slot of its doctors is held, for any acute patient): best or None."""
        for unit, km in self.units.order(pt.commune, pt.travel):
            if km > pt.travel:
                break
            best = self._earliest_list(self.unit_clinicians[unit], self.helds, t_from, limit)
            if best is not None:
                return best
        return None
