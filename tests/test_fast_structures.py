"""Each fast structure against its plain reference (simsoins/fast/): the same random
sequence of operations applied to both, the same answer required at every step."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simsoins.fast.mtdraw import IndexedMtDraw
from simsoins.fast.reference import ReferenceMtDraw, ReferenceSlotStore
from simsoins.fast.slotstore import SlotStore

# -- the slot store --------------------------------------------------------------------

# an operation: (what, which list, a small step, a large number); a look-up moves the time
# on by a little (as the pathways' two leads do), back a little (by half minutes: often
# exactly a slot's time), or far either way
SLOT_OPS = ("look", "look", "take_hint", "take_slot", "count", "booked")
slot_ops = st.lists(st.tuples(st.sampled_from(SLOT_OPS), st.integers(0, 7), st.integers(-6, 6),
                              st.integers(0, 10**6)), min_size=50, max_size=200)


@settings(max_examples=80, deadline=None)
@given(sizes=st.lists(st.integers(0, 150), min_size=1, max_size=5), seed=st.integers(0, 2**32 - 1), ops=slot_ops)
def test_the_slot_store_answers_as_sorted_lists_do(sizes, seed, ops):
    """Several lists (empty ones, long ones, repeated times: slots in parallel), looked up,
    booked by hint and by index (booked slots too: both refuse), counted."""
    rng = np.random.default_rng(seed)
    lists = [rng.integers(0, 400, n).tolist() for n in sizes]
    fast, ref = SlotStore(lists), ReferenceSlotStore(lists)
    assert list(fast.times) == ref.times and list(fast.first) == ref.first and list(fast.last) == ref.last
    t = 0.0
    for op, which, step, number in ops:
        lst = which % len(lists)
        if op == "look":
            t = min(420.0, max(-10.0, t + (step * 50 if number % 2 else step / 2)))
            assert fast.first_time(lst, t) == ref.first_time(lst, t)
            assert fast.first_free(lst, t) == ref.first_free(lst, t)
        elif op == "take_hint" and ref.times[ref.hint(lst)] < math.inf:  # (never the sentinel)
            assert fast.take(lst) == ref.take(lst)
        elif op == "take_slot" and ref.last[lst] > ref.first[lst]:
            i = ref.first[lst] + number % (ref.last[lst] - ref.first[lst])
            assert _outcome(fast.take, lst, i) == _outcome(ref.take, lst, i)
        elif op == "count":
            t0, t1 = sorted((t, t + step * 20))
            assert fast.count_between(lst, t0, t1) == ref.count_between(lst, t0, t1)
        assert fast.hint(lst) == ref.hint(lst) and fast.booked(lst) == ref.booked(lst)


def _outcome(take, lst, i):
    """What ``take(lst, i)`` returns, or the error it raises."""
    try:
        return take(lst, i)
    except RuntimeError as error:
        return str(error)


def test_a_look_up_in_a_full_list_finds_its_sentinel():
    fast, ref = SlotStore([[5, 5], []]), ReferenceSlotStore([[5, 5], []])
    for store in (fast, ref):
        assert store.take(0, store.first_free(0, 0)) == 5.0 and store.take(0) == 5.0
        assert store.first_free(0, 0) == store.last[0] and store.first_time(0, 0) == math.inf
        assert store.first_free(1, 0) == store.last[1] and store.booked(0) == 2


@settings(max_examples=80, deadline=None)
@given(sizes=st.lists(st.integers(0, 300), min_size=1, max_size=4), seed=st.integers(0, 2**32 - 1),
       ops=st.lists(st.tuples(st.integers(0, 3), st.integers(-100, 100), st.booleans(), st.booleans()), max_size=300))
def test_the_slot_store_keeps_its_heads(sizes, seed, ops):
    """Queries over several lists (empty ones, repeated times), mostly moving forward by a
    little and back by a little, as the pathways' two leads do, sometimes far: the store's
    answer is the scan's, and each list's head says what the store holds (a cursor after
    the slot whose time it keeps, the hint: the first free slot from the cursor on, and the
    hint's time), after each look-up and each booking."""
    rng = np.random.default_rng(seed)
    lists = [rng.integers(0, 400, n) for n in sizes]  # times repeat: slots in parallel
    store = SlotStore(lists)
    times = [np.sort(np.asarray(x, dtype=float)) for x in lists]
    taken = [np.zeros(len(x), dtype=bool) for x in lists]

    def head_holds(lst):
        k, base = 4 * lst, store.first[lst]
        cursor, hint = store.head_i[k + 2], store.head_i[k + 3]
        assert store.head_t[k] == store.times[cursor - 1] and store.head_t[k + 1] == store.times[hint]
        free = np.flatnonzero(~taken[lst][cursor - base:])
        assert hint == cursor + (free[0] if len(free) else len(times[lst]) - (cursor - base))
        return cursor, hint

    t = 0.0
    for which, step, far, book in ops:
        lst = which % len(lists)
        t = max(-10.0, t + (step * 20 if far else step / 10))
        first_time = store.first_time(lst, t)
        i = store.first_free(lst, t)
        free = np.flatnonzero((times[lst] >= t) & ~taken[lst])
        base = store.first[lst]
        assert i == base + (free[0] if len(free) else len(times[lst]))
        assert first_time == store.times[i] and store.hint(lst) == i
        cursor, hint = head_holds(lst)
        assert store.times[cursor - 1] < t <= store.times[hint] and hint == i
        if book and len(free):
            assert store.take(lst, i) == times[lst][free[0]]
            taken[lst][free[0]] = True
            head_holds(lst)


# -- the MT draw -------------------------------------------------------------------------

mt_ops = st.lists(st.tuples(
    st.sampled_from(["register", "register_many", "register_part", "lose", "release", "campaign", "none"]),
    st.integers(0, 10**6), st.integers(1, 3000)), max_size=30)


class Owner:
    """Stands for the registrations model: changes the counts in place and tells both
    structures, as the contract asks."""

    def __init__(self, counts, population, no_mt):
        self.counts, self.population, self.no_mt = counts, population, no_mt
        self.fast = IndexedMtDraw(counts, population, no_mt)
        self.ref = ReferenceMtDraw(counts, population, no_mt)

    def move(self, c, k, amount):
        """``amount`` residents of commune ``c`` without MT register with ``k``."""
        amount = min(amount, self.no_mt[c])
        if amount > 0:
            if not self.counts[c, k]:
                self.fast.added(c, k)
                self.ref.added(c, k)
            self.counts[c, k] += amount
            self.no_mt[c] -= amount

    def changed(self, c):
        self.fast.changed(c)
        self.ref.changed(c)

    def changed_all(self):
        self.fast.changed_all()
        self.ref.changed_all()

    def lose(self, rng, share):
        rows, cols = self.fast.pairs()  # as the model does it: over the pairs that may be positive
        lost = rng.binomial(self.counts[rows, cols].astype(np.int64), share)
        self.counts[rows, cols] -= lost
        self.no_mt += np.bincount(rows, weights=lost, minlength=len(self.no_mt))


@settings(max_examples=80, deadline=None)
@given(n_communes=st.integers(1, 6), n_clinicians=st.integers(1, 8), seed=st.integers(0, 2**31 - 1),
       unit=st.sampled_from([1.0, 0.3, 2.0**42 + 1]), ops=mt_ops)
def test_the_mt_draw_answers_as_a_scan_of_the_counts(n_communes, n_clinicians, seed, unit, ops):
    """Registrations one by one, many at once (a commune's total outgrowing the keys' room),
    in fractions, lost, released, campaigns; counts that are whole numbers, that are not,
    that are too large for exact keys; after each change, a day of draws at once and draws
    one by one (before it, at times), with the same uniforms."""
    rng = np.random.default_rng(seed)
    counts = rng.integers(0, 40, (n_communes, n_clinicians)) * (rng.random((n_communes, n_clinicians)) < 0.4) * unit
    # residents without MT: many, or none (a uniform near 1 then lands on the last sum)
    population = counts.sum(axis=1) + rng.integers(0, 4000, n_communes) * (rng.random(n_communes) < 0.7)
    population[0] *= rng.integers(0, 2)  # sometimes a commune with nobody
    no_mt = np.maximum(population - counts.sum(axis=1), 0.0)
    owner = Owner(counts, population, no_mt)
    commune = rng.integers(0, n_communes, 100)
    u = np.concatenate(([0.0, 1 - 2**-53], rng.random(98)))  # the ends of [0, 1) too
    for op, x, amount in [("none", 0, 1), *ops]:
        c, k = x % n_communes, (x // n_communes) % n_clinicians
        _change(owner, op, c, k, amount, rng)
        assert owner.fast.dirty == owner.ref.dirty
        commune, u = _with_edges(commune[:100], u[:100], owner)
        if amount % 2:  # one by one first: the tables kept per commune, then the day's sums
            _same_draws_one_by_one(owner, commune, u)
        assert owner.fast.draw_day(commune, u).tolist() == owner.ref.draw_day(commune, u).tolist()
        assert owner.fast.dirty == owner.ref.dirty == bytearray(n_communes)
        _same_draws_one_by_one(owner, commune[:20], u[:20])
        _pairs_cover_the_counts(owner.fast.pairs(), owner.counts)


def _change(owner, op, c, k, amount, rng):
    """Apply ``op`` to the registrations and tell both structures."""
    if op == "register":
        owner.move(c, k, 1.0)
        owner.changed(c)
    elif op == "register_many":
        owner.move(c, k, float(amount))
        owner.changed(c)
    elif op == "register_part":
        owner.move(c, k, 0.5)
        owner.changed(c)
    elif op == "lose":
        owner.lose(rng, 0.2)
        owner.changed_all()
    elif op == "release":
        owner.no_mt += owner.counts[:, k]
        owner.counts[:, k] = 0
        owner.changed_all()
    elif op == "campaign":
        for j in range(k, min(k + 3, owner.counts.shape[1])):
            owner.move(c, j, np.floor(owner.no_mt[c] * 0.2))
        owner.changed_all()


def _with_edges(commune, u, owner):
    """The day's requests, and more whose uniform lands on a step of their commune's
    running sums or an ulp either side (where bisect_right's ties and its end are)."""
    extra_c, extra_u = [], []
    for c in range(len(owner.population)):
        pop, no_mt = owner.population[c], owner.no_mt[c]
        cum = np.cumsum(owner.counts[c][owner.counts[c] > 0])
        if pop <= 0 or not len(cum):
            continue
        for step in cum[[0, len(cum) // 2, -1]]:
            at = (no_mt + step * (pop - no_mt) / cum[-1]) / pop
            for edge in (np.nextafter(at, 0.0), at, np.nextafter(at, 1.0)):
                extra_c.append(c)
                extra_u.append(min(edge, 1 - 2**-53))
    return np.concatenate((commune, np.asarray(extra_c, dtype=commune.dtype))), np.concatenate((u, extra_u))


def _same_draws_one_by_one(owner, commune, u):
    for c, x in zip(commune.tolist(), u.tolist()):
        assert owner.fast.draw(c, x) == owner.ref.draw(c, x)


def _pairs_cover_the_counts(pairs, counts):
    """The pairs hold every positive count, row by row, none twice."""
    rows, cols = pairs
    at = rows * counts.shape[1] + cols
    assert np.all(np.diff(at) > 0)
    assert set(np.flatnonzero(counts.ravel() > 0).tolist()) <= set(at.tolist())


def test_running_sums_too_large_for_exact_keys_are_searched_step_by_step():
    """Whole numbers, but commune × scale + sum would no longer be exact in float64 (the
    third commune's keys would pass 2**53): the day's draws still match the scan, at the
    running sums' steps too."""
    big = 2.0**49 + 1
    counts = np.array([[1.0, 0.0], [0.0, 2.0], [big, big]])
    owner = Owner(counts, counts.sum(axis=1), np.zeros(3))
    commune, u = _with_edges(np.zeros(0, dtype=np.int64), np.zeros(0), owner)
    u = np.concatenate((u, (2.0**49 + np.array([-0.5, 0.25, 0.5, 0.75, 1.5])) / (2 * big)))
    commune = np.concatenate((commune, [2] * 5))
    assert owner.fast.draw_day(commune, u).tolist() == owner.ref.draw_day(commune, u).tolist()
