"""Having a médecin traitant matters (docs/model.md §4): a registered patient whose MT
has no slot in time is seen by a colleague of the same practice; in other practices a
patient is a stranger, whom GPs who take no new MT patient see only at a stated share of
requests; so registered patients wait less, and an MT campaign improves the acute access
of those it registers."""

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from simsoins.config.levers import CptsLever
from simsoins.config.model import RunConfig
from simsoins.results.kpis import is_in, measured
from simsoins.sim.replication import simulate
from simsoins.sim.router import Router

RUN = RunConfig(horizon_days=91, warmup_days=28, seed=2024)
REPS = (0, 1)
DAY = 24 * 60


def with_shares(model, acute, routine):
    return replace(model, clinicians=replace(model.clinicians, non_accepting_sees_acute_share=acute,
                                             non_accepting_sees_routine_share=routine))


@pytest.fixture(scope="module")
def base(exemple, model):
    return {r: simulate(exemple, model, RUN, r) for r in REPS}


def routine_by_mt(rep) -> dict[bool, tuple[float, float]]:
    """Registered (True) or not: (routine requests seen within 7 days, routine gave up)."""
    ev = measured(rep)
    rout, has = is_in(ev, "need", "routine"), ev["has_mt"].to_numpy()
    seen7 = ~np.isnan(ev["wait_days"].to_numpy()) & (ev["wait_days"].to_numpy() <= 7) & ~is_in(ev, "outcome", "er")
    gave = is_in(ev, "outcome", "gave_up")
    return {mt: ((rout & sel & seen7).sum() / (rout & sel).sum(), (rout & sel & gave).sum() / (rout & sel).sum())
            for mt, sel in ((True, has), (False, ~has))}


def test_registered_patients_get_routine_care_sooner_and_give_up_less(base):
    per = [routine_by_mt(base[r]) for r in REPS]
    within = np.mean([p[True][0] - p[False][0] for p in per])
    gave_up = np.mean([p[False][1] - p[True][1] for p in per])
    assert within > 0.04 and gave_up > 0.04, (within, gave_up)  # points of share, over all routine requests
    assert all(p[True][0] > p[False][0] and p[True][1] < p[False][1] for p in per)


def test_a_full_mt_sends_the_patient_to_a_colleague_of_the_same_practice(exemple, model, base, monkeypatch):
    ev = measured(base[0])
    practice = exemple.clinician_practice
    own = is_in(ev, "outcome", "own_gp") & is_in(ev, "need", "routine")
    prov, mt = ev["provider"].to_numpy(), ev["mt_clinician"].to_numpy()
    colleague = own & (prov != mt)
    assert colleague.sum() > 100  # the MT had no slot in time, a colleague had one
    assert np.array_equal(practice[prov[colleague]], practice[mt[colleague]])
    # Without the colleagues (the MT alone), registered patients give up more often.
    real = Router.__init__

    def alone(self, **kw):
        real(self, **kw)
        self.colleagues = [()] * len(self.colleagues)

    monkeypatch.setattr(Router, "__init__", alone)
    gave = [routine_by_mt(simulate(exemple, model, RUN, r))[True][1] - routine_by_mt(base[r])[True][1] for r in REPS]
    assert min(gave) > 0.005 and np.mean(gave) > 0.01, gave  # points of the routine requests of registered patients


def strangers_seen_by_non_accepting(rep, territory, need) -> int:
    """Requests of ``need`` booked in another practice by a GP who takes no new MT patient."""
    ev = measured(rep)
    away = is_in(ev, "outcome", "other_gp", "medicobus") & is_in(ev, "need", need)
    prov = ev["provider"].to_numpy()[away]
    return int((~territory.clinician_accepts_new[prov]).sum())


@pytest.mark.parametrize("need", ["routine", "acute"])
def test_gps_who_take_no_new_patient_see_strangers_at_the_stated_share(exemple, model, need):
    counts = {}
    for share in (0.0, 0.3, 1.0):
        acute, routine = (share, 0.5) if need == "acute" else (0.5, share)
        counts[share] = strangers_seen_by_non_accepting(simulate(exemple, with_shares(model, acute, routine), RUN, 0),
                                                        exemple, need)
    assert counts[0.0] == 0 < counts[0.3] < counts[1.0], counts
    assert counts[0.3] < 0.6 * counts[1.0]  # about in proportion, not all or nothing


def test_the_memory_of_full_practices_holds_for_both_sets_of_gps(exemple, model, monkeypatch):
    """A practice found full for its accepting GPs may still have a slot with the others:
    each set has its own memory, and the run is the one without any memory."""
    m = with_shares(model, 0.3, 0.6)
    run = RunConfig(horizon_days=60, warmup_days=14, seed=3)
    fast = simulate(exemple, m, run, 0).events
    monkeypatch.setattr(Router, "_bounds", lambda self, who, t_from, with_held: (-np.inf, -np.inf))
    pd.testing.assert_frame_equal(fast, simulate(exemple, m, run, 0).events)


def in_48h(ev, sel) -> float:
    """Share of the requests ``sel`` seen within 48 hours (not at the ER)."""
    delay = ev["t_appointment_min"].to_numpy() - ev["t_request_min"].to_numpy()
    return (sel & (delay <= 2 * DAY) & ~is_in(ev, "outcome", "er")).sum() / sel.sum()


def to_er(ev, sel) -> float:
    return (sel & is_in(ev, "outcome", "er")).sum() / sel.sum()


def test_an_mt_campaign_improves_the_acute_access_of_those_it_registers(exemple, model, base):
    """The same requests (common random numbers) in the baseline and with the CPTS MT
    campaign alone: those who have an MT only thanks to the campaign get acute care within
    48 hours more often and go to the ER less often."""
    camp = replace(model, levers=replace(model.levers, cpts=CptsLever(enabled=True, pool_share=0.0,
                                                                      mt_campaign_share=0.5)))
    for r in REPS:
        eb, ec = measured(base[r]), measured(simulate(exemple, camp, RUN, r))
        assert np.array_equal(eb["request_id"].to_numpy(), ec["request_id"].to_numpy())
        new = is_in(eb, "need", "acute") & ec["has_mt"].to_numpy() & ~eb["has_mt"].to_numpy()
        assert new.sum() > 100

        assert in_48h(ec, new) - in_48h(eb, new) > 0.07 and to_er(ec, new) < 0.6 * to_er(eb, new), r
