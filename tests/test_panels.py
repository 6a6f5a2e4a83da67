"""Médecin traitant registrations (simsoins/sim/panels.py)."""

import math
from bisect import bisect_right

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simsoins.sim.panels import Panels, binomial_from_uniform, pair_uniforms


def binomial_inverse(u, n, p):
    """The least k with P(X ≤ k) > u, X ~ Binomial(n, p), term by term: the reference."""
    cdf = 0.0
    for k in range(n + 1):
        cdf += math.comb(n, k) * p**k * (1 - p) ** (n - k)
        if u < cdf:
            return k
    return n


def dense_lose(counts, no_mt, rng, share):
    """Weekly losses over the whole matrix, the plain way: the reference for Panels.lose
    (one key from the stream, then each pair's own uniform)."""
    key = int(rng.integers(0, 2**63))
    rows, cols = np.nonzero(counts)
    u = pair_uniforms(key, rows, cols)
    lost = np.array([binomial_inverse(x, int(n), share) for x, n in zip(u, counts[rows, cols])])
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


def test_losses_by_inversion_follow_the_binomial():
    """Each pair's losses: a binomial draw, exact in distribution (on a fine grid of
    uniforms the frequencies are the probabilities), more losses from a larger count with
    the same uniform, and a large count with a large share handed to scipy's inverse."""
    from scipy.stats import binom

    u = (np.arange(20_000) + 0.5) / 20_000
    for n, p in ((3, 0.2), (40, 0.05), (900, 0.0004), (12, 0.9)):
        got = binomial_from_uniform(u, np.full(len(u), n), p)
        freq = np.bincount(got, minlength=n + 1) / len(u)
        assert np.abs(freq - binom.pmf(np.arange(n + 1), n, p)).max() < 1e-3
    x = np.random.default_rng(3).random(500)
    small, large = (binomial_from_uniform(x, np.full(500, n), 0.3) for n in (10, 11))
    assert np.all(large >= small) and np.any(large > small)
    assert binomial_from_uniform(np.array([0.5]), np.array([5000]), 0.5)[0] == 2500


def test_a_pair_keeps_its_uniform_whatever_the_other_pairs():
    rows, cols = np.array([0, 0, 3, 7]), np.array([2, 5, 2, 9])
    u = pair_uniforms(11, rows, cols)
    assert np.all((u >= 0) & (u < 1)) and len(set(u.tolist())) == 4
    assert pair_uniforms(11, rows[2:], cols[2:]).tolist() == u[2:].tolist()
    assert pair_uniforms(12, rows, cols).tolist() != u.tolist()  # a new week, new numbers
    many = pair_uniforms(5, np.repeat(np.arange(300), 300), np.tile(np.arange(300), 300))
    assert abs(many.mean() - 0.5) < 0.005 and abs((many < 0.1).mean() - 0.1) < 0.005


def test_a_departure_does_not_move_the_other_registrations_losses():
    """Common random numbers: two territories that differ only by a GP who left lose the
    same registrations of every other GP, week after week (the stream gives one key a week
    whatever the panels)."""
    rng = np.random.default_rng(8)
    counts = rng.integers(0, 300, (30, 12)).astype(float)
    a, b = (Panels(counts, counts.sum(axis=1) + 50, np.full(12, 1e6)) for _ in range(2))
    b.release(4)
    stream_a, stream_b = np.random.default_rng(1), np.random.default_rng(1)
    for _ in range(20):
        a.lose(stream_a, 0.01)
        b.lose(stream_b, 0.01)
    others = np.arange(12) != 4
    assert np.array_equal(a.counts[:, others], b.counts[:, others])
    assert (counts - a.counts).sum() > 500  # and registrations were lost
    assert stream_a.random() == stream_b.random()
