"""Sites within reach (simsoins/nearby.py): the truncated order walks like the full one."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simsoins.sim.nearby import Nearby, reach_radius_km


def walk(order, travel):
    """What the pathways see: sites in order until the first one beyond ``travel``."""
    out = []
    for site, km in order:
        if km > travel:
            break
        out.append((site, km))
    return out


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 6), st.integers(0, 7), st.floats(0, 60), st.lists(st.floats(0, 80), min_size=1, max_size=20),
       st.integers(0, 2**31 - 1))
def test_the_walk_within_reach_is_the_walk_over_every_site(n_communes, n_sites, radius, travels, seed):
    rng = np.random.default_rng(seed)
    # whole kilometres, so that ties (equal distances) are common: their order must hold too
    km = rng.integers(0, 50, (n_communes, n_sites)).astype(float)
    near = Nearby(km, radius)
    for c in range(n_communes):
        full = sorted(((s, km[c, s]) for s in range(n_sites)), key=lambda p: p[1])  # stable: ties by index
        assert list(near.full(c)) == full
        assert all(d <= radius for d in near.kms[c]) and len(near.sites[c]) == len(near.kms[c])
        for travel in travels + km[c].tolist():  # a travel limit equal to a distance is the edge case
            assert walk(near.order(c, travel), travel) == walk(full, travel)


def test_a_patient_who_travels_further_than_the_reach_gets_every_site():
    km = np.array([[1.0, 30.0, 5.0, 80.0]])
    near = Nearby(km, 10.0)
    assert list(near.order(0, 29.9)) == [(0, 1.0), (2, 5.0)] and near.reach[0] == 30.0
    assert [s for s, _ in near.order(0, 30.0)] == [0, 2, 1, 3]


def test_every_commune_shares_one_object_per_site():
    km = np.random.default_rng(0).uniform(0, 50, (30, 400))  # ids beyond CPython's small-int cache
    near = Nearby(km, 40.0)
    seen = {}
    for c in range(30):
        for site, _ in near.order(c, 100.0):
            assert seen.setdefault(site, site) is site


def test_the_reach_covers_all_but_a_few_patients_in_ten_thousand():
    rng = np.random.default_rng(3)
    travel = 15.0 * np.exp(0.5 * rng.standard_normal(400_000))
    beyond = np.mean(travel >= reach_radius_km(15.0, 0.5))
    assert 0 < beyond < 3e-4
