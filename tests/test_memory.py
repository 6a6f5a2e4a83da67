"""Huge pages for the books only (simsoins/fast/memory.py)."""

import numpy as np
import pytest

from simsoins.fast import memory
from simsoins.fast.slotstore import SlotStore


class Switch:
    """Stands for numpy's switch: records the setting and returns the previous one."""

    def __init__(self, state=True):
        self.state, self.seen = state, []

    def __call__(self, on):
        previous, self.state = self.state, on
        self.seen.append(on)
        return previous


def test_the_setting_is_restored_after_the_block_even_on_error(monkeypatch):
    switch = Switch(True)
    monkeypatch.setattr(memory, "_SET", switch)
    with pytest.raises(RuntimeError), memory.huge_pages(False):
        assert switch.state is False
        with memory.huge_pages(True):
            assert switch.state is True
        assert switch.state is False
        raise RuntimeError
    assert switch.state is True


def test_the_books_ask_for_huge_pages_and_the_rest_of_a_run_does_not(monkeypatch, exemple, model):
    from dataclasses import replace

    import simsoins.fast.slotstore as slotstore
    from simsoins.config.model import RunConfig
    from simsoins.results.kpis import replication_kpis
    from simsoins.sim.replication import simulate

    switch = Switch(True)
    monkeypatch.setattr(memory, "_SET", switch)
    during = []
    real_init = slotstore.SlotStore.__init__

    def init(self, lists=()):
        real_init(self, lists)
        during.append(switch.state)  # back to the run's setting once the arrays exist

    monkeypatch.setattr(slotstore.SlotStore, "__init__", init)
    rep = simulate(exemple, model, replace(RunConfig(horizon_days=7, warmup_days=7, seed=1)), 0)
    assert during == [False] and True in switch.seen  # on for the store, off around it
    replication_kpis(rep)
    assert switch.state is True  # as it was
    assert switch.seen.count(False) >= 2  # the run and the KPIs


def test_a_store_reads_like_arrays():
    store = SlotStore([np.array([5.0, 1.0]), np.array([])])
    assert list(store.times) == [-np.inf, 1.0, 5.0, np.inf, -np.inf, np.inf]
    assert store.first_free(0, 2.0) == 2 and store.first_free(1, 0.0) == store.last[1]
