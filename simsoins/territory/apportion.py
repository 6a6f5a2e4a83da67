"""Sharing whole numbers among items: doctors among towns, a yes-share among clinicians.

Both rules are deterministic, so a territory is data, not noise: the same tables always
give the same territory.
"""

from __future__ import annotations

from collections.abc import Sequence


def apportion(weights: Sequence[float], total: int, minimum: int = 1) -> list[int]:
    """``total`` split among items in proportion to ``weights`` (largest-remainder method,
    « méthode du plus fort reste »), with a floor of ``minimum`` per item."""
    n = len(weights)
    rest = total - minimum * n
    s = float(sum(weights))
    quotas = [rest * w / s for w in weights] if s > 0 else [rest / n] * n
    alloc = [int(q) for q in quotas]
    left = rest - sum(alloc)
    order = sorted(range(n), key=lambda i: quotas[i] - alloc[i], reverse=True)
    for i in order[:left]:
        alloc[i] += 1
    return [minimum + a for a in alloc]


def evenly_chosen(n_items: int, n_chosen: int) -> list[bool]:
    """Which of ``n_items`` items in a row are the ``n_chosen`` ones, spread evenly along
    the row (item ``k`` is chosen when ``k × n_chosen / n_items`` crosses a whole number)."""
    span = max(n_items, 1)
    return [(k * n_chosen) // span != ((k + 1) * n_chosen) // span for k in range(n_items)]
