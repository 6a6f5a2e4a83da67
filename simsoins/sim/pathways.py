"""Pathways (« parcours »): where a request goes, in the order of docs/model.md §4.

Routine: own MT → a colleague of the same practice (« cabinet de groupe »: another GP or
a docteur junior) → another practice that sees the patient (nearest first, within the
travel limit; a médicobus stop counts as one) → teleconsultation if eligible → retry
later or give up (« renoncement »).
Acute (router.py): a direct ER walk-in, else own practice (held same-day slots, then
open ones) → another practice → CPTS pool → SAS (a regulation call, answered later) →
teleconsultation → unscheduled-care unit → evening care → ER (an *avoidable* visit) → give up.

In another practice a patient is a stranger: GPs who take new MT patients see them; a GP
who takes none sees them only if the request's ``u_seen`` is below the stated share
(``clinicians.non_accepting_sees_acute_share`` / ``_routine_share``), one draw per
request, so the same patients are seen anyway in every scenario.

A request is handled at its request time (or, after a SAS call, when the call ends): it
books a slot in the future or goes to the ER. Requests are handled in time order, so
this is exactly an event per request, at a fraction of the cost.

A booked patient misses the appointment (« lapin », rendez-vous non honoré) with the
clinician's rate, constant or growing with the lead time (:meth:`Router._no_show_p`); a
routine patient who missed it may ask again (``missed``, wired in replication.py).
"""

from __future__ import annotations

import math
from array import array

from simsoins.sim.channels import GAVE_UP, INF, MEDICOBUS, OTHER, OWN, OWN_BIT, TELE
from simsoins.sim.deferred import RETRY
from simsoins.sim.params import PathwayParams
from simsoins.sim.patient import Patient
from simsoins.vocabulary import BIT, MIN_PER_DAY, MIN_PER_HOUR


class Pathways:
    """Routes requests through the pathways and writes their outcome in the log columns: the
    wiring, the look-ups and the routine pathway; :class:`~simsoins.sim.router.Router` adds
    the acute one."""

    # Slots, not an instance dict: the pathways read these a dozen times per request, and a
    # method looked up through ``self`` would probe an instance dict of some forty entries
    # first, at a cost that varies with each process's string hashes.
    __slots__ = (
        "_acute_order", "_full_acute", "_full_routine", "_held_at", "_held_from", "active", "c_no_show",
        "c_outcome", "c_path", "c_provider", "c_t_appt", "colleagues", "cols", "cpts_area", "cpts_member",
        "defer", "er_visit", "evening_lists", "evening_provider0", "evenings", "first_time", "helds", "horizon",
        "lead_no_show", "medicobus", "missed", "open_held", "p", "panels", "pools", "practice_accepting",
        "practice_clinicians", "practice_of", "practices", "release", "reserved", "sas_call", "sas_params",
        "sass", "seen_acute", "seen_routine", "take", "tele_lead", "tele_list", "tele_provider", "uptake",
    )

    def __init__(self, *, cap, plan, panels, practices, evenings, params: PathwayParams, cols, er_visit, defer,
                 sas_call=None, sas=None, missed=None) -> None:
        """``cap``: the books (capacity.py); ``plan``: the levers' plan; ``panels``: the MT
        registrations; ``practices``, ``evenings``: each commune's practices and evening
        sites nearest first (nearby.py); ``cols``: the event log's columns, written here.
        Callbacks: ``er_visit(rid, t, commune, avoidable, service, priority)``: the patient
        goes to the ER; ``defer(time, kind, patient)``: handle later, in time order;
        ``sas_call(t, patient)`` → the time the call ends (None: no SAS); ``missed(t_appt,
        patient)``: a routine patient will miss the slot (None: nobody asks again).
        ``sas``: the SAS lever (advice share, window)."""
        self._wire_slot_lists(cap)
        self._wire_practices(cap, plan)
        self.panels = panels
        self.active = panels.active  # the same list, updated in place when a GP leaves
        # commune, travel limit → [(practice, km)] nearest first, as far as needed (nearby.py)
        self.practices = practices
        self.evenings = evenings  # the same for evening care sites
        self._wire_log(cols)
        self._wire_params(params)
        self.er_visit, self.defer, self.sas_call, self.missed = er_visit, defer, sas_call, missed
        self.sas_params = sas
        self._start_bounds(cap)

    def _wire_slot_lists(self, cap) -> None:
        """Every slot list is in one store (book.py); clinician c's open list is list c, and
        these give their held, CPTS pool and SAS lists, and whether they have any CPTS or
        SAS slot; then the platform's and the evening sites' open lists."""
        books = cap.clinician_books
        store = cap.store
        self.first_time, self.take = store.first_time, store.take
        self.helds = [b.held.lst for b in books]
        self.pools = [b.pool.lst for b in books]
        self.sass = [b.sas.lst for b in books]
        assert all(b.open.lst == c for c, b in enumerate(books))
        self.reserved = [b.reserved for b in books]
        self.tele_list = cap.tele_book.open.lst
        self.evening_lists = [b.open.lst for b in cap.evening_books]
        self.tele_provider = cap.tele_provider
        self.evening_provider0 = cap.tele_provider + 1

    def _wire_practices(self, cap, plan) -> None:
        """Practices, their clinicians and the levers that act on them."""
        t = plan.territory
        self.practice_clinicians = cap.practice_clinicians
        self.practice_accepting = cap.practice_accepting
        self.practice_of = t.clinician_practice.tolist()
        # clinician → the clinicians of their practice, them first (acute requests of their
        # patients), and the others alone (routine requests when the MT has no slot in time)
        # (the practices' int objects: shared with the books, see capacity.py)
        self._acute_order = [()] * len(cap.clinician_books)
        for cs in cap.practice_clinicians:
            for c in cs:
                self._acute_order[c] = (c, *(o for o in cs if o != c))
        self.colleagues = [order[1:] for order in self._acute_order]
        self.cpts_member = plan.cpts_member.tolist()
        self.cpts_area = plan.cpts_area.tolist()
        self.open_held = plan.open_held.tolist()
        self.medicobus = plan.medicobus.tolist()
        self.uptake = plan.tele_uptake.tolist()

    def _wire_log(self, cols) -> None:
        """The log columns written at every booking (arrays grown in place: the same objects)."""
        self.cols = cols
        self.c_t_appt, self.c_provider, self.c_outcome = cols.t_appt, cols.provider, cols.outcome
        self.c_path, self.c_no_show = cols.path, cols.no_show

    def _wire_params(self, params: PathwayParams) -> None:
        """The parameters, and those read in the units the pathways use (minutes)."""
        self.p = params
        self.lead_no_show = params.no_show_max is not None
        self.horizon = params.booking_horizon_days * MIN_PER_DAY
        self.release = params.held_release_hours * MIN_PER_HOUR
        self.tele_lead = params.tele_min_lead_minutes
        self.seen_acute = params.non_accepting_sees_acute_share
        self.seen_routine = params.non_accepting_sees_routine_share

    def _start_bounds(self, cap) -> None:
        """The pathways' memory of where no slot can be in time, empty at the start.

        practice → a, b when last found full: no slot it offered was free before ``a`` among
        those a request may take up to its limit, nor before ``b`` among those it may take
        only when they start soon (_bounds); -inf: never found full; for routine and for
        acute requests, each over the practice's GPs who take new MT patients ([0]) and
        over all of them ([1]: a request its non-accepting GPs see anyway): a bound over
        fewer clinicians does not hold for more.  clinician → (t_from, earliest free held slot at or after it) when
        last looked up: the same kind of lower bound, to skip held slots that cannot be in
        time; a clinician without held slots starts with none free, ever.  Compact arrays:
        they are read at random in a large territory."""
        never = array("d", [-INF]) * len(cap.practice_clinicians)
        self._full_routine = tuple((array("d", never), array("d", never)) for _ in range(2))
        self._full_acute = tuple((array("d", never), array("d", never)) for _ in range(2))
        held = [b.held.n > 0 for b in cap.clinician_books]
        self._held_from = array("d", [INF if h else -INF for h in held])
        self._held_at = array("d", [0.0 if h else INF for h in held])

    # ------------------------------------------------------------------ helpers
    def _earliest_in(self, clinicians, t_from, limit, with_held, t_now):
        """Best (clinician, slot list, slot time) among ``clinicians`` within ``limit``: the
        list whose look-up found the earliest slot (its hint, :meth:`_book`); held slots count
        if ``with_held`` or once released (starting within the release window)."""
        best_t, best = limit, None
        first_time, helds, reserved = self.first_time, self.helds, self.reserved
        release_end = t_now + self.release
        held_from, held_at = self._held_from, self._held_at
        for c in clinicians:
            ti = first_time(c, t_from)  # clinician c's open list; +inf when none
            if ti <= best_t:
                best_t, best = ti, (c, c, ti)
            # Held slots, if they count here; the last look-up bounds the earliest free held
            # slot from below: skip the book when that is already too late to be chosen.
            if (with_held or t_from <= release_end) and (
                    t_from < held_from[c]
                    or held_at[c] <= (best_t if with_held or best_t < release_end else release_end)):
                h = helds[c]
                ti = first_time(h, t_from)
                held_from[c], held_at[c] = t_from, ti
                # earlier than the best so far (or in time when nothing was found), and usable
                if (ti < best_t or (best is None and ti == best_t)) and (with_held or ti <= release_end):
                    best_t, best = ti, (c, h, ti)
            if reserved[c] and t_from <= release_end:
                # CPTS and SAS slots still free a few hours before they start go back to
                # the practice (« créneaux libérés »), as unused held slots do.
                for lst in (self.pools[c], self.sass[c]):
                    ti = first_time(lst, t_from)
                    if ti < best_t and ti <= release_end:
                        best_t, best = ti, (c, lst, ti)
        return best

    def _earliest_list(self, clinicians, lists, t_from, limit):
        """Best (clinician, slot list, slot time) among ``clinicians``' lists ``lists[c]`` within
        ``limit``."""
        best = None
        best_t = limit
        first_time = self.first_time
        for c in clinicians:
            lst = lists[c]
            ti = first_time(lst, t_from)
            if ti <= best_t and ti < INF:
                best_t, best = ti, (c, lst, ti)
        return best

    def _book(self, pt, best, channel, path, no_show_p, t):
        """Book for ``best`` = (clinician, slot list, slot time) at time ``t`` the slot that
        the list's last look-up found (its hint); ``no_show_p`` = the same-day no-show rate.
        (The distance travelled is filled in after the run, from the commune and the provider.)"""
        c, lst, t_found = best
        rid = pt.rid
        self.c_t_appt[rid] = t_appt = self.take(lst)  # the list's hint
        if t_appt != t_found:  # another look-up of the list came in between: a bug in the pathways
            raise RuntimeError(f"slot list {lst}: booked the slot at {t_appt}, its look-up found {t_found}")
        self.c_provider[rid] = c
        self.c_outcome[rid] = channel
        self.c_path[rid] = path | (1 << channel)
        if self.lead_no_show:
            no_show_p = self._no_show_p(no_show_p, t, t_appt)
        self.c_no_show[rid] = pt.u_no_show < no_show_p

    def _no_show_p(self, same_day, t, t_appt):
        """No-show probability growing with the lead (Green & Savin 2008): γ_max − (γ_max − γ_0)·
        exp(−lead / C), the lead in whole calendar days from booking to appointment (as DREES
        counts delays: the event log's ``wait_days`` for a request booked at its first try)."""
        lead = t_appt // MIN_PER_DAY - t // MIN_PER_DAY
        top = self.p.no_show_max
        return top - (top - same_day) * math.exp(-lead / self.p.no_show_scale_days)

    def _ask_again_if_missed(self, pt):
        """A booked routine patient who will not come (« lapin ») may ask again at that time."""
        rid = pt.rid
        if self.c_no_show[rid]:
            self.missed(self.c_t_appt[rid], pt)

    def _other_practices(self, pt, t_from, limit, t_now, own, acute, path):
        """Nearest practice within reach with a slot in time: (best, channel, path).

        The patient is a stranger there: its GPs who take new MT patients offer their
        slots, the others only if ``pt.u_seen`` is below the share they see anyway (for
        acute or routine requests).  A practice found full is remembered with the earliest free time of each kind of
        slot; since slots are only ever taken and requests come in time order (``t_from``,
        at a fixed lead after the request, never goes back), those times stay lower
        bounds, and a later request that cannot use any of them skips the practice without
        looking at its books (the same answer, at a fraction of the cost)."""
        tried, most = 0, self.p.max_practices_tried
        seen = pt.u_seen < (self.seen_acute if acute else self.seen_routine)
        full_a, full_b = (self._full_acute if acute else self._full_routine)[seen]
        who_of = self.practice_clinicians if seen else self.practice_accepting
        release_end = t_now + self.release
        soon = min(limit, release_end)
        travel = pt.travel
        for practice, km in self.practices.order(pt.commune, pt.travel):
            if km > travel or tried >= most:
                break
            if practice == own:
                continue
            tried += 1
            channel = MEDICOBUS if self.medicobus[practice] else OTHER
            path |= 1 << channel
            if full_a[practice] > limit and full_b[practice] > soon:
                continue
            who = who_of[practice]
            with_held = acute and self.open_held[practice]
            best = self._earliest_in(who, t_from, limit, with_held, t_now)
            if best is not None:
                return best, channel, path
            full_a[practice], full_b[practice] = self._bounds(who, t_from, with_held)
        return None, None, path

    def _bounds(self, clinicians, t_from, with_held):
        """(a, b) over ``clinicians``' free slots at or after ``t_from``: ``a`` the
        earliest of those a request may take up to its limit (open slots, and held ones if
        ``with_held``), ``b`` the earliest of those it may take only when they start soon
        (held slots otherwise, and CPTS and SAS slots given back to the practice).  A later
        request that starts no earlier skips the practice if ``a`` > its limit and ``b`` > its
        "soon" (:meth:`_other_practices`): the test of :meth:`_earliest_in`, in two numbers."""
        first_time = self.first_time
        e_open = e_held = e_res = INF
        for c in clinicians:
            e_open = min(e_open, first_time(c, t_from))
            e_held = min(e_held, first_time(self.helds[c], t_from))
            if self.reserved[c]:
                e_res = min(e_res, first_time(self.pools[c], t_from), first_time(self.sass[c], t_from))
        if with_held:
            return min(e_open, e_held), e_res
        return e_open, min(e_held, e_res)

    def _try_tele(self, pt, t, limit, path, channel=TELE):
        """A teleconsultation, if the request is eligible and the patient accepts one: the
        platform's first free slot ``tele_lead`` minutes ahead or later, up to ``limit``.
        (booked, path)."""
        if not (pt.tele_ok and pt.u_uptake < self.uptake[pt.commune]):
            return False, path
        path |= BIT["tele"]
        ti = self.first_time(self.tele_list, t + self.tele_lead)
        if ti > limit or ti == INF:  # too late, or none (the sentinel)
            return False, path
        self._book(pt, (self.tele_provider, self.tele_list, ti), channel, path, self.p.no_show_known, t)
        return True, path

    # ------------------------------------------------------------------ routine
    def routine(self, pt: Patient, t: float, attempt: int) -> None:
        p, rid, mt = self.p, pt.rid, pt.mt
        t_from = t + p.routine_min_lead_minutes
        limit = t + (pt.patience if pt.patience < self.horizon else self.horizon)
        path = self.c_path[rid]
        own = -1
        if mt >= 0 and self.active[mt]:  # the patient's own practice (« médecin traitant »)
            own = self.practice_of[mt]
            path |= OWN_BIT
            best = self._earliest_in((mt,), t_from, limit, False, t)
            if best is None and self.colleagues[mt]:  # the practice shares its patients
                best = self._earliest_in(self.colleagues[mt], t_from, limit, False, t)
            if best is not None:
                self._book(pt, best, OWN, path, p.no_show_known, t)
                if self.missed is not None:
                    self._ask_again_if_missed(pt)
                return
        best, channel, path = self._other_practices(pt, t_from, limit, t, own, False, path)
        if best is not None:
            self._book(pt, best, channel, path, p.no_show_new, t)
            if own < 0 and pt.u_attach < p.mt_attach_probability and self.panels.has_room(best[0]):
                self.panels.register(pt.commune, best[0])
            if self.missed is not None:
                self._ask_again_if_missed(pt)
            return
        ok, path = self._try_tele(pt, t, limit, path)
        if ok:
            if self.missed is not None:
                self._ask_again_if_missed(pt)
            return
        cols = self.cols
        cols.path[rid] = path
        if attempt <= p.routine_max_retries and pt.u_retry < p.routine_retry_probability ** attempt:
            cols.attempts[rid] = attempt + 1
            self.defer(t + p.routine_retry_after_days * MIN_PER_DAY, RETRY, pt)
            return
        cols.path[rid] = path | BIT["gave_up"]
        cols.outcome[rid] = GAVE_UP
        cols.t_exit[rid] = t
