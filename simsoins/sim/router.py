"""The acute pathway (« soins non programmés »), and the router:
own practice → another practice → CPTS pool → SAS → teleconsultation → evening care → ER
→ give up (docs/model.md §4).  The router's wiring, look-ups (``_earliest_in``, ``_book``…)
and the routine pathway are in pathways.py."""

from __future__ import annotations

from simsoins.sim.channels import CPTS, ER, EVENING, GAVE_UP, INF, OWN, OWN_BIT, SAS
from simsoins.sim.deferred import SAS_ANSWERED
from simsoins.sim.pathways import Pathways
from simsoins.sim.patient import Patient
from simsoins.vocabulary import BIT, MIN_PER_HOUR


class Router(Pathways):
    """Routes requests through the pathways (pathways.py) and the acute one (here)."""

    __slots__ = ()

    def acute(self, pt: Patient, t: float) -> None:
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

    def after_sas(self, pt: Patient, t: float) -> None:
        """The regulator has answered (SAS): advice, a SAS slot within the window, or on."""
        p, cols = self.p, self.cols
        path = cols.path[pt.rid]
        sas = self.sas_params
        if pt.u_sas < sas.advice_share:  # « conseil médical »: resolved on the phone
            cols.outcome[pt.rid] = SAS
            return
        limit = t + sas.hours_window * MIN_PER_HOUR
        t_from = t + p.acute_min_lead_minutes
        for practice, km in self.practices.order(pt.commune, pt.travel):
            if km > pt.travel:
                break
            best = self._earliest_list(self.practice_clinicians[practice], self.sass, t_from, limit)
            if best is not None:
                self._book(pt, best, SAS, path, p.no_show_new, t)
                return
        self.acute_last_resort(pt, t, path)

    def acute_last_resort(self, pt: Patient, t: float, path: int) -> None:
        """Teleconsultation → evening care → ER (avoidable visit) → gave up."""
        p, cols, rid = self.p, self.cols, pt.rid
        t_from = t + p.acute_min_lead_minutes
        limit = min(t + pt.patience, t + self.horizon)
        ok, path = self._try_tele(pt, t, limit, path)
        if ok:
            return
        for site, km in self.evenings.order(pt.commune, pt.travel):
            if km > pt.travel:
                break
            path |= BIT["evening"]
            lst = self.evening_lists[site]
            ti = self.first_time(lst, t_from)
            if ti <= limit and ti < INF:
                self._book(pt, (self.evening_provider0 + site, lst, ti), EVENING, path, p.no_show_new, t)
                return
        if pt.u_er < p.acute_er_probability:
            cols.path[rid] = path | BIT["er"]
            cols.outcome[rid] = ER
            cols.t_exit[rid] = t
            self.er_visit(rid, t, pt.commune, True, pt.er_service, 0)
            return
        cols.path[rid] = path | BIT["gave_up"]
        cols.outcome[rid] = GAVE_UP
        cols.t_exit[rid] = t
