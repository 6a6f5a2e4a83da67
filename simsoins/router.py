"""Pathways (« parcours »): where a request goes, in the order of docs/model.md §4.

Routine: own MT → another practice that takes the patient (within the travel limit) →
teleconsultation if eligible → retry later or give up (« renoncement »).
Acute: own practice (held same-day slots, then open ones) → another practice → CPTS
pool → teleconsultation → evening care → ER (an *avoidable* visit) → give up.

A request is handled at its request time: it books a slot in the future or goes to the
ER; nothing else moves the books in between, so handling requests in time order inside
the day callback is exactly an event per request, at a fraction of the cost.
"""

from __future__ import annotations

import math

from .eventlog import BIT, CH

OWN, OTHER, CPTS, TELE, EVENING, ER, GAVE_UP = (CH[k] for k in ("own_gp", "other_gp", "cpts", "tele", "evening", "er", "gave_up"))


class Router:
    """Routes requests through the pathways and writes their outcome in the log columns."""

    def __init__(self, *, cap, panels, practice_of, practice_order, evening_order, params, cols, er_visit,
                 schedule_retry) -> None:
        self.books = cap.clinician_books
        self.tele = cap.tele_book
        self.evening = cap.evening_books
        self.practice_clinicians = cap.practice_clinicians
        self.practice_accepting = cap.practice_accepting
        self.cpts_member = [bool(x) for x in cap.cpts_member]
        self.cpts_area = [bool(x) for x in cap.cpts_area]
        self.tele_provider = cap.tele_provider
        self.evening_provider0 = cap.tele_provider + 1
        self.panels = panels
        self.practice_of = practice_of  # clinician → practice
        self.practice_order = practice_order  # commune → [(practice, km)] sorted by km
        self.evening_order = evening_order  # commune → [(site, km)]
        self.p = params
        self.cols = cols
        self.er_visit = er_visit
        self.schedule_retry = schedule_retry
        self.horizon = params.booking_horizon_days * 1440.0
        self.release = params.held_release_hours * 60.0

    # ------------------------------------------------------------------ helpers
    def _earliest_in(self, clinicians, t_from, limit, with_held, t_now):
        """Best (time, clinician, list) among ``clinicians`` within ``limit``; held slots
        count if ``with_held`` or if released (starting within the release window)."""
        best_t, best = math.inf, None
        books = self.books
        release_end = t_now + self.release
        for c in clinicians:
            b = books[c]
            sl = b.open
            i = sl.earliest(t_from)
            if i >= 0 and sl.times[i] < best_t:
                best_t, best = sl.times[i], (c, sl, i)
            sl = b.held
            if sl.times:
                i = sl.earliest(t_from)
                if i >= 0:
                    ti = sl.times[i]
                    if ti < best_t and (with_held or ti <= release_end):
                        best_t, best = ti, (c, sl, i)
        if best is None or best_t > limit:
            return None
        return best

    def _book(self, rid, best, channel, u_no_show, no_show_p, km):
        c, sl, i = best
        cols = self.cols
        cols.t_appt[rid] = sl.take(i)
        cols.provider[rid] = c
        cols.outcome[rid] = channel
        cols.no_show[rid] = u_no_show < no_show_p
        cols.distance[rid] = km

    # ------------------------------------------------------------------ routine
    def routine(self, rid, t, commune, mt, patience, travel, tele_ok, u_uptake, u_no_show, u_retry, attempt):
        p = self.p
        cols = self.cols
        t_from = t + p.routine_min_lead_minutes
        limit = min(t + patience, t + self.horizon)
        path = cols.path[rid]
        own_practice = -1
        if mt >= 0 and self.panels.active[mt]:
            own_practice = self.practice_of[mt]
            path |= BIT["own_gp"]
            best = self._earliest_in((mt,), t_from, limit, False, t)
            if best is not None:
                cols.path[rid] = path
                self._book(rid, best, OWN, u_no_show, p_known(p), self.practice_order_km(commune, own_practice))
                return
        tried = 0
        for practice, km in self.practice_order[commune]:
            if km > travel or tried >= p.max_practices_tried:
                break
            if practice == own_practice:
                continue
            tried += 1
            path |= BIT["other_gp"]
            best = self._earliest_in(self.practice_accepting[practice], t_from, limit, False, t)
            if best is not None:
                cols.path[rid] = path
                self._book(rid, best, OTHER, u_no_show, p_new(p), km)
                if mt < 0 and u_retry < p.mt_attach_probability and self.panels.has_room(best[0]):
                    self.panels.register(commune, best[0])
                return
        if tele_ok and u_uptake < p.tele_uptake:
            path |= BIT["tele"]
            if self._try_tele(rid, t + 15, limit, u_no_show):
                cols.path[rid] = path
                return
        cols.path[rid] = path
        if attempt <= p.routine_max_retries and u_retry < p.routine_retry_probability ** attempt:
            cols.attempts[rid] = attempt + 1
            self.schedule_retry(t + p.routine_retry_after_days * 1440.0, rid)
            return
        cols.path[rid] = path | BIT["gave_up"]
        cols.outcome[rid] = GAVE_UP

    def practice_order_km(self, commune, practice):
        for q, km in self.practice_order[commune]:
            if q == practice:
                return km
        return float("nan")

    def _try_tele(self, rid, t_from, limit, u_no_show):
        sl = self.tele.open
        i = sl.earliest(t_from)
        if i < 0 or sl.times[i] > limit:
            return False
        cols = self.cols
        cols.t_appt[rid] = sl.take(i)
        cols.provider[rid] = self.tele_provider
        cols.outcome[rid] = TELE
        cols.no_show[rid] = u_no_show < p_known(self.p)
        return True

    # -------------------------------------------------------------------- acute
    def acute(self, rid, t, commune, mt, patience, travel, tele_ok, u_uptake, u_no_show, u_er):
        p = self.p
        cols = self.cols
        t_from = t + p.acute_min_lead_minutes
        limit = min(t + patience, t + self.horizon)
        path = 0
        own_practice = -1
        if mt >= 0 and self.panels.active[mt]:
            own_practice = self.practice_of[mt]
            path |= BIT["own_gp"]
            # own MT first, then colleagues of the practice
            clinicians = [mt] + [c for c in self.practice_clinicians[own_practice] if c != mt]
            best = self._earliest_in(clinicians, t_from, limit, True, t)
            if best is not None:
                cols.path[rid] = path
                self._book(rid, best, OWN, u_no_show, p_known(p), self.practice_order_km(commune, own_practice))
                return
        tried = 0
        for practice, km in self.practice_order[commune]:
            if km > travel or tried >= p.max_practices_tried:
                break
            if practice == own_practice:
                continue
            tried += 1
            path |= BIT["other_gp"]
            best = self._earliest_in(self.practice_clinicians[practice], t_from, limit, False, t)
            if best is not None:
                cols.path[rid] = path
                self._book(rid, best, OTHER, u_no_show, p_new(p), km)
                return
        if self.cpts_area[commune]:
            for practice, km in self.practice_order[commune]:
                if km > travel:
                    break
                if not self.cpts_member[practice]:
                    continue
                path |= BIT["cpts"]
                best = None
                for c in self.practice_clinicians[practice]:
                    sl = self.books[c].pool
                    i = sl.earliest(t_from)
                    if i >= 0 and sl.times[i] <= limit and (best is None or sl.times[i] < best[1].times[best[2]]):
                        best = (c, sl, i)
                if best is not None:
                    cols.path[rid] = path
                    self._book(rid, best, CPTS, u_no_show, p_new(p), km)
                    return
        if tele_ok and u_uptake < p.tele_uptake:
            path |= BIT["tele"]
            if self._try_tele(rid, t + 15, limit, u_no_show):
                cols.path[rid] = path
                return
        for site, km in self.evening_order[commune]:
            if km > travel:
                break
            path |= BIT["evening"]
            sl = self.evening[site].open
            i = sl.earliest(t_from)
            if i >= 0 and sl.times[i] <= limit:
                cols.path[rid] = path
                self._book(rid, (self.evening_provider0 + site, sl, i), EVENING, u_no_show, p_new(p), km)
                return
        if u_er < p.acute_er_probability:
            cols.path[rid] = path | BIT["er"]
            cols.outcome[rid] = ER
            self.er_visit(rid, t, commune, avoidable=True)
            return
        cols.path[rid] = path | BIT["gave_up"]
        cols.outcome[rid] = GAVE_UP


def p_known(p) -> float:
    return p.no_show_known


def p_new(p) -> float:
    return p.no_show_new
