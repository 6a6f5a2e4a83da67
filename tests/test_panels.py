"""Médecin traitant registrations (simsoins/sim/panels.py)."""

from bisect import bisect_right

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simsoins.sim.panels import Panels


def dense_lose(counts, no_mt, rng, share):
    """Weekly losses over the whole matrix, the plain way: the reference for Panels.lose."""
    rows, cols = np.nonzero(counts)
    lost = rng.binomial(counts[rows, cols].astype(np.int64), share)
    counts[rows, cols] -= lost
    no_mt += np.bincount(rows, weights=lost, minlength=len(no_mt))
    return counts.sum(axis=0)


def dense_draw(counts, population, no_mt, c, u):
    """A resident's MT from the whole row, the plain way: the reference for Panels.draw."""
    idx = np.flatnonzero(counts[c] > 0)
    cum = np.cumsum(counts[c, idx])
    threshold = no_mt[c] if population[c] > 0 and len(idx) else np.inf
    x = u * population[c]
    if x < threshold:
        return -1
    k = bisect_right(cum, (x - threshold) / max(population[c] - no_mt[c], 1e-12) * cum[-1])
    return int(idx[min(k, len(idx) - 1)])


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 8), st.integers(1, 9), st.integers(0, 2**31 - 1), st.floats(0.001, 0.9),
       st.lists(st.tuples(st.sampled_from(["register", "lose", "release", "campaign"]), st.integers(0, 10**6)),
                max_size=25))
def test_losses_over_the_registrations_match_losses_over_the_whole_matrix(n_communes, n_clinicians, seed, share,
                                                                          steps):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 40, (n_communes, n_clinicians)) * (rng.random((n_communes, n_clinicians)) < 0.4)
    population = counts.sum(axis=1) + rng.integers(0, 30, n_communes)
    panels = Panels(counts, population, np.full(n_clinicians, 10_000.0))
    ref_counts, ref_no_mt = panels.counts.copy(), panels.no_mt.copy()
    rng_a, rng_b = np.random.default_rng(seed + 1), np.random.default_rng(seed + 1)
    for op, x in steps:
        c, k = x % n_communes, (x // n_communes) % n_clinicians
        if op == "register" and ref_no_mt[c] >= 1:
            ref_no_mt[c] -= 1
            ref_counts[c, k] += 1
        elif op == "release":
            ref_no_mt += ref_counts[:, k]
            ref_counts[:, k] = 0
        elif op == "campaign":
            area = np.zeros(n_communes, dtype=bool)
            area[c] = True
            km = np.abs(np.arange(n_clinicians)[None, :] - k).astype(float) + np.zeros((n_communes, 1))
            before = panels.counts.copy()
            panels.campaign(area, 0.5, np.ones(n_clinicians, dtype=bool), 0.1, km, reach_km=3.0)
            ref_no_mt -= (panels.counts - before).sum(axis=1)
            ref_counts = panels.counts.copy()
            continue
        if op == "register":
            panels.register(c, k)
        elif op == "release":
            panels.release(k)
        elif op == "lose":
            size = dense_lose(ref_counts, ref_no_mt, rng_a, share)
            panels.lose(rng_b, share)
            assert np.array_equal(panels.size, size)  # bit for bit: the same sums
        assert np.array_equal(panels.counts, ref_counts) and np.array_equal(panels.no_mt, ref_no_mt)
        for u in (0.05, 0.5, 0.97):  # the look-ups kept per commune follow every change
            assert panels.draw(c, u) == dense_draw(ref_counts, population, ref_no_mt, c, u)
    assert rng_a.random() == rng_b.random()  # the same number of draws


def test_a_draw_follows_the_counts():
    panels = Panels(np.array([[30.0, 0.0, 10.0]]), np.array([60.0]), np.full(3, 100.0))
    u = (np.arange(6000) + 0.5) / 6000
    got = np.array([panels.draw(0, x) for x in u])
    # 20 of 60 residents without an MT, 30 with clinician 0, 10 with clinician 2
    assert [(got == k).sum() for k in (-1, 0, 1, 2)] == [2000, 3000, 0, 1000]
    panels.register(0, 1)
    assert (np.array([panels.draw(0, x) for x in u]) == 1).sum() == 100  # 1 in 60 residents


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 8), st.integers(1, 9), st.integers(0, 2**31 - 1),
       st.lists(st.tuples(st.sampled_from(["register", "lose", "release", "campaign"]), st.integers(0, 10**6)),
                max_size=25))
def test_a_day_of_draws_at_once_is_the_draws_one_by_one(n_communes, n_clinicians, seed, steps):
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 40, (n_communes, n_clinicians)) * (rng.random((n_communes, n_clinicians)) < 0.4)
    population = counts.sum(axis=1) + rng.integers(0, 30, n_communes)
    population[0] *= rng.integers(0, 2)  # sometimes a commune with nobody
    if seed % 2:  # counts that are not whole numbers: the search a step at a time
        counts = counts * 0.3
    panels = Panels(counts, population, np.full(n_clinicians, 10_000.0))
    commune = rng.integers(0, n_communes, 200)
    u = np.concatenate(([0.0, 1 - 2**-53], rng.random(198)))  # the ends of [0, 1) too
    for op, x in [("none", 0), *steps]:
        c, k = x % n_communes, (x // n_communes) % n_clinicians
        if op == "register":
            panels.register(c, k)
        elif op == "release":
            panels.release(k)
        elif op == "lose":
            panels.lose(rng, 0.2)
            assert all(panels.dirty)  # a change to every commune: none of the day's draws stands
        elif op == "campaign":
            area = np.arange(n_communes) == c
            km = np.abs(np.arange(n_clinicians)[None, :] - k).astype(float) + np.zeros((n_communes, 1))
            panels.campaign(area, 0.5, np.ones(n_clinicians, dtype=bool), 0.1, km, reach_km=3.0)
        got = panels.draw_day(commune, u)
        assert not any(panels.dirty)
        assert got.tolist() == [panels.draw(int(a), float(b)) for a, b in zip(commune, u)]  # bit for bit
        if panels.no_mt[c] >= 1:  # a registration during the day: that commune's requests are drawn again
            panels.register(c, k)
            assert [i for i, d in enumerate(panels.dirty) if d] == [c]


def test_counts_that_are_not_whole_numbers_are_drawn_exactly_too():
    panels = Panels(np.array([[30.1, 0.0, 10.7], [0.3, 0.0, 0.0]]), np.array([60.0, 1.0]), np.full(3, 100.0))
    commune, u = np.array([0, 0, 0, 1, 1]), np.array([0.1, 0.5, 0.9, 0.8, 0.1])
    got = panels.draw_day(commune, u)
    assert got.tolist() == [panels.draw(int(c), float(x)) for c, x in zip(commune, u)] == [-1, 0, 2, 0, -1]
