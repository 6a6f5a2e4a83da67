"""Common random numbers hold for every stream (simsoins/sim/streams.py): two scenarios
consume each named stream identically, call for call, so that the same replication of
each sees the same patients, leave and losses of registrations; and the share without an
MT differs between scenarios only through a mechanism that changes registrations."""

from dataclasses import replace

import numpy as np
import pytest

from simsoins.config.levers import CptsLever, DeparturesLever, JuniorsLever
from simsoins.config.model import RunConfig
from simsoins.sim import replication as replication_module
from simsoins.sim.replication import ReplicationRun
from simsoins.sim.streams import STREAMS

RUN = RunConfig(horizon_days=91, warmup_days=28, seed=31)

#: scenario → its levers (cpts: the pool and the MT campaign; departures: three GPs leave)
SCENARIOS = {
    "baseline": {},
    "cpts": {"cpts": CptsLever(enabled=True, pool_share=0.1, mt_campaign_share=0.2)},
    "departs_retraite": {"departs_retraite": DeparturesLever(count=3, spread_months=0)},
    "docteurs_juniors": {"docteurs_juniors": JuniorsLever(count=2)},
}


class Recorder:
    """A generator that writes down every call made to it: the method and the bit
    generator's state after it (so the amount each call consumed)."""

    def __init__(self, gen: np.random.Generator, log: list) -> None:
        self._gen, self._log = gen, log

    def __getattr__(self, name):
        attr = getattr(self._gen, name)
        if not callable(attr):
            return attr

        def recorded(*args, **kw):
            out = attr(*args, **kw)
            st = self._gen.bit_generator.state
            self._log.append((name, st["state"]["state"], st["has_uint32"], st["uinteger"]))
            return out

        return recorded


def with_levers(model, **kw):
    return replace(model, levers=replace(model.levers, **kw))


def stream_calls(monkeypatch, territory, model) -> tuple[dict[str, list], ReplicationRun]:
    """Every call made to each stream in replication 0 of ``model``, and the run."""
    logs: dict[str, list] = {name: [] for name in STREAMS}
    real = replication_module.replication_streams

    def recording(seed, replication):
        return {name: Recorder(gen, logs[name]) for name, gen in real(seed, replication).items()}

    monkeypatch.setattr(replication_module, "replication_streams", recording)
    one = ReplicationRun(territory, model, RUN, 0)
    one.run()
    monkeypatch.undo()
    return logs, one


@pytest.fixture(scope="module")
def calls(exemple, model):
    mp = pytest.MonkeyPatch()
    out = {name: stream_calls(mp, exemple, with_levers(model, **kw)) for name, kw in SCENARIOS.items()}
    mp.undo()
    return out


@pytest.mark.parametrize("scenario", [s for s in SCENARIOS if s != "baseline"])
def test_every_stream_is_drawn_the_same_in_every_scenario(calls, scenario):
    base, _ = calls["baseline"]
    other, run = calls[scenario]
    added = run.t.n_clinicians - calls["baseline"][1].t.n_clinicians
    for name in STREAMS:
        if name == "leave" and added:
            # clinicians a lever adds come after the others: the baseline's leave draws
            # first, the same, then as many more for each added clinician
            n = len(base[name]) // calls["baseline"][1].t.n_clinicians
            assert other[name][:len(base[name])] == base[name]
            assert len(other[name]) == len(base[name]) + added * n
        else:
            assert other[name] == base[name], name
    weeks = calls["baseline"][1].book_days // 7
    assert len(base["arrivals"]) > 1000 and len(base["panels"]) == weeks  # one call a week
    assert len(base["leave"]) > 0 and len(base["attributes"]) > 100


def test_the_scenarios_do_change_what_happens(calls):
    """(So that the test above compares runs that differ.)"""
    shares = {s: run.panels.without_mt_share() for s, (_, run) in calls.items()}
    assert shares["cpts"] < shares["baseline"] < shares["departs_retraite"]
    assert calls["docteurs_juniors"][1].t.n_clinicians > calls["baseline"][1].t.n_clinicians


def test_the_rejoin_stream_is_drawn_the_same_when_patients_ask_again(exemple, model, monkeypatch):
    m = replace(model, pathways=replace(model.pathways, no_show_rejoin_probability=0.5))
    base, _ = stream_calls(monkeypatch, exemple, m)
    other, _ = stream_calls(monkeypatch, exemple, with_levers(m, **SCENARIOS["cpts"]))
    assert len(base["rejoin"]) > 0 and other["rejoin"] == base["rejoin"]


def test_without_mt_share_moves_only_through_registrations(exemple, model, monkeypatch):
    """Patients who register after a visit switched off: the CPTS pool (a lever that
    changes who is seen, not registrations) gives the baseline's weekly series exactly,
    and GP departures leave every other GP's registrations as in the baseline (their
    weekly losses are the same draws), only the departed GPs' patients without an MT."""
    m = replace(model, pathways=replace(model.pathways, mt_attach_probability=0.0))
    _, base = stream_calls(monkeypatch, exemple, m)
    _, pool = stream_calls(monkeypatch, exemple, with_levers(m, cpts=CptsLever(enabled=True, pool_share=0.2)))
    _, gone = stream_calls(monkeypatch, exemple, with_levers(m, **SCENARIOS["departs_retraite"]))
    assert pool.weekly == base.weekly
    assert not np.array_equal(np.asarray(pool.cols.outcome), np.asarray(base.cols.outcome))  # the pool did act
    left = [c for _, c in gone.plan.departures]
    stay = np.setdiff1d(np.arange(base.t.n_clinicians), left)
    assert np.array_equal(gone.panels.counts[:, stay], base.panels.counts[:, stay])
    assert gone.panels.counts[:, left].sum() == 0 < base.panels.counts[:, left].sum()
    lost_base = base.plan.panels.sum() - base.panels.counts.sum()
    assert lost_base > 0  # registrations were lost along the way, by the same draws
    diff = [g - b for (_, g), (_, b) in zip(gone.weekly, base.weekly)]
    assert diff[-1] > 0 and np.all(np.diff(diff[len(diff) // 2:]) <= 1e-12)  # the departures, then no drift
