"""The event log's columns (simsoins/eventlog.py)."""

import math

from simsoins.eventlog import LogColumns


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
