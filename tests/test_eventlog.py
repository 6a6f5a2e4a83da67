"""The event log's columns (simsoins/results/eventlog.py), and the rows of the day's
requests that the event loop reads (simsoins/fast/rows.py)."""

import math

from simsoins.results.eventlog import LogColumns


def test_columns_grow_by_doubling_and_new_rows_are_blank():
    cols = LogColumns()
    sizes = set()
    for k in range(3000):
        cols.grow(1 + k % 7)
        sizes.add(len(cols.outcome))
        cols.outcome[cols.rows - 1] = 3  # the last row is written; the ones after stay blank
    assert cols.rows == sum(1 + k % 7 for k in range(3000))
    assert len(sizes) <= 1 + math.ceil(math.log2(cols.rows / 1024))  # a handful of copies, not one per 1/16
    for name, blank in LogColumns.BLANK.items():
        col = getattr(cols, name)
        assert len(col) == len(cols.outcome) >= cols.rows
        tail = col[cols.rows:]
        assert all(v == blank or (v != v and blank != blank) for v in tail), name  # NaN blanks are NaN


def test_day_rows_written_in_chunks_equal_the_stacked_columns():
    """The day's requests as rows (fast.rows.rows) are the columns side by side, cast, for any
    day length against the chunk: none, fewer rows than a chunk, exact chunks, a remainder."""
    import numpy as np

    from simsoins.fast.rows import rows

    rng = np.random.default_rng(7)
    for n in (0, 1, 99, 100, 101, 250):
        reals = [rng.random(n) for _ in range(11)]
        out = rows(reals, np.float64, chunk=100)
        assert out.shape == (n, 11) and out.flags.c_contiguous
        assert np.array_equal(out, np.column_stack(reals))
        ints = [rng.integers(-1, 5000, n), rng.random(n) < 0.5, rng.integers(0, 3, n).astype(np.int8)]
        out = rows(ints, np.int32, chunk=100)
        assert out.dtype == np.int32 and np.array_equal(out, np.column_stack(ints).astype(np.int32))
