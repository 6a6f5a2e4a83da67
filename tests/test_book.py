"""Unit tests of the appointment book (« agenda »)."""

import numpy as np
import pytest

from simsoins.sim.book import AppointmentBook, SlotList, leave_days, leave_years, session_slots, split_slots
from simsoins.territory import parse_sessions


def test_earliest_free_slot_skips_booked_and_past_slots():
    sl = SlotList([100, 200, 300, 400])
    assert sl.earliest(0) == 0
    assert sl.take(0) == 100
    assert sl.earliest(0) == 1          # slot 0 is booked
    assert sl.earliest(250) == 2        # not before the requested time
    sl.take(2)
    assert sl.earliest(250) == 3
    assert sl.earliest(201) == 3
    assert sl.earliest(150) == 1        # a free slot behind a booked one stays bookable
    sl.take(3)
    assert sl.earliest(250) == -1
    assert sl.n_booked == 3


def test_a_slot_cannot_be_booked_twice():
    sl = SlotList([10, 20])
    sl.take(1)
    with pytest.raises(RuntimeError):
        sl.take(1)


@pytest.mark.parametrize("in_order", [True, False])
def test_next_free_matches_a_brute_force_scan(in_order):
    rng = np.random.default_rng(3)
    times = np.sort(rng.integers(0, 10_000, 500))
    sl = SlotList(times)
    assert len(sl) == 500 and list(sl.times[:sl.n]) == sorted(float(x) for x in times)
    taken = np.zeros(len(times), dtype=bool)
    queries = rng.integers(-10, 10_100, 400)
    for t in (np.sort(queries) if in_order else queries):  # time order, and jumps back and forth
        i = sl.earliest(t)
        free = np.flatnonzero((times >= t) & ~taken)
        assert i == (free[0] if len(free) else -1)
        assert sl.first_free(t) == (free[0] if len(free) else sl.n)  # none: the +inf sentinel
        assert sl.earliest_time(t) == (times[free[0]] if len(free) else np.inf)
        if i >= 0 and rng.random() < 0.8:
            sl.take(i)
            taken[i] = True


def test_weekly_schedule_generates_dated_slots():
    sessions = parse_sessions(["mon 08:00-09:00", "wed 14:00-15:00"], "s", 20)
    times = session_slots(sessions, 20, 14)
    assert len(times) == 2 * 2 * 3                      # 2 weeks × 2 sessions × 3 slots
    assert list(times[:3]) == [480, 500, 520]            # Monday 08:00, 08:20, 08:40
    assert times[3] == 2 * 1440 + 14 * 60                # Wednesday 14:00
    assert times[6] == 7 * 1440 + 480                    # next Monday
    assert np.all(np.diff(times) > 0)


def test_parallel_slots_repeat_times():
    sessions = parse_sessions(["mon 08:00-09:00"], "s", 30)
    assert list(session_slots(sessions, 30, 7, parallel=3)) == [480] * 3 + [510] * 3


def test_split_slots_keeps_every_slot_once_with_the_right_shares():
    times = np.arange(1000)
    o, h, p, s = split_slots(times, 0.15, 0.10, 0.03)
    assert len(o) + len(h) + len(p) + len(s) == 1000
    assert sorted(np.concatenate([o, h, p, s]).tolist()) == list(range(1000))
    assert abs(len(h) - 150) <= 1 and abs(len(p) - 100) <= 2 and abs(len(s) - 30) <= 2
    # held slots are spread through the list, not bunched at one end
    assert h.min() < 20 and h.max() > 980


def test_split_slots_zero_shares_is_all_open():
    times = np.arange(50)
    o, h, p, s = split_slots(times, 0.0, 0.0)
    assert len(o) == 50 and len(h) == 0 and len(p) == 0 and len(s) == 0


def test_leave_removes_about_the_stated_weeks():
    rng = np.random.default_rng(1)
    days = leave_days(rng, 6.2, 365, 26)
    assert len(days) == 6 * 7
    assert len(set(days.tolist())) == len(days)
    assert ((days >= 26 * 7) & (days < 40 * 7)).sum() >= 3 * 7   # the summer block


def test_each_year_of_a_long_run_has_its_own_leave_and_its_own_summer():
    """Five years (and a tail): every 52-week leave year takes about 6.2 weeks, half of them
    in a block starting in its own July — not one block of half of five years' leave."""
    n_days = 56 + 5 * 365 + 60
    days = leave_days(np.random.default_rng(3), 6.2, n_days, 26)
    assert len(set(days.tolist())) == len(days) and days.max() < n_days
    years = leave_years(n_days)
    assert [end - first for first, end in years] == [364] * 5 + [n_days - 5 * 364]
    for first, end in years:
        inside = days[(days >= first) & (days < end)] - first
        assert len(inside) <= 7 * round(6.2 * (end - first) / 365)  # the last week may pass the end
        if end - first == 364:
            assert ((inside >= 26 * 7) & (inside < 40 * 7)).sum() >= 3 * 7  # its summer block
    assert leave_years(56 + 365 + 60) == [(0, 481)]  # a one-year run: one leave year, as before
    # over many draws, each measured year (after an 8-week warm-up) takes 6.2 weeks
    per_year = np.zeros(5)
    for seed in range(400):
        d = leave_days(np.random.default_rng(seed), 6.2, n_days, 34)  # July: week 34 of a run from 2 Nov
        per_year += [((d >= 56 + 365 * k) & (d < 56 + 365 * (k + 1))).sum() / 7 / 400 for k in range(5)]
    assert per_year == pytest.approx([6.2] * 5, abs=0.25)


def test_book_counts_offered_slots_by_window():
    b = AppointmentBook.of([10, 20, 30], [15], [25])
    assert b.offered_between(0, 100) == 5
    assert b.offered_between(12, 26) == 3
    b.open.take(0)
    b.pool.take(0)
    assert b.booked() == 2


@pytest.mark.parametrize("bad, message", [
    (["mon 08:00-12:00", "mon 11:00-13:00"], "overlap"),
    (["mon 12:00-08:00"], "before end"),
    (["lun 08:00-12:00"], "must look like"),
    (["mon 08:00-08:50"], "not a multiple"),
])
def test_bad_sessions_are_refused(bad, message):
    from simsoins.config.model import ConfigError

    with pytest.raises(ConfigError, match=message):
        parse_sessions(bad, "territory.schedules.x", 20)
