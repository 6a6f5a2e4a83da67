"""Distances and coordinates: great-circle and road kilometres, points inside an outline.

Coordinates are WGS84 longitude and latitude in degrees; distances are kilometres.  Road
distance is not computed on a road network: it is the great-circle distance times a
« facteur de détour » (``road_factor``), the usual approximation in access studies.
"""

from __future__ import annotations

import math

import numpy as np

#: Mean Earth radius, km (IUGG mean radius R1 = 6,371.0088 km, rounded).
EARTH_RADIUS_KM = 6371.0
#: Road distance ≈ 1.3 × straight-line distance in rural France (ASSUMPTION; change in
#: ``territory.road_factor``).
ROAD_FACTOR = 1.3
#: Length of one degree of longitude at the equator and of one degree of latitude at mid
#: latitudes (WGS84 ellipsoid), km: enough to lay out a disc of a few km.
KM_PER_DEGREE_LON_EQUATOR = 111.32
KM_PER_DEGREE_LAT = 110.57


def haversine_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in km between points (arrays broadcast)."""
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def road_km(lon: np.ndarray, lat: np.ndarray, to, road_factor: float) -> np.ndarray:
    """Road km from every point (rows) to the points of row numbers ``to`` (columns).

    ``to`` may be empty: the result then has no column (a territory without evening sites).
    """
    idx = np.asarray(to, dtype=np.int64)
    if idx.size == 0:
        return np.zeros((len(lon), 0))
    return road_factor * haversine_km(lon[:, None], lat[:, None], lon[idx][None, :], lat[idx][None, :])


# ----------------------------------------------------------------------------- points in an outline


def halton(index: np.ndarray, base: int) -> np.ndarray:
    """Radical inverse of ``index`` in ``base`` (the Halton sequence), values in [0, 1)."""
    i = index.astype(np.int64).copy()
    f, r = 1.0, np.zeros(len(i))
    while (i > 0).any():
        f /= base
        r += f * (i % base)
        i //= base
    return r


def inside_outline(x: np.ndarray, y: np.ndarray, rings: list[np.ndarray]) -> np.ndarray:
    """Whether each point (x = lon, y = lat) lies inside the outline made of ``rings``.

    Even-odd rule over every ring, so holes and outlines in several parts are handled.
    """
    inside = np.zeros(len(x), dtype=bool)
    for ring in rings:
        x1, y1, x2, y2 = ring[:-1, 0], ring[:-1, 1], ring[1:, 0], ring[1:, 1]
        cross = (y1[None, :] > y[:, None]) != (y2[None, :] > y[:, None])
        with np.errstate(divide="ignore", invalid="ignore"):
            xint = x1[None, :] + (y[:, None] - y1[None, :]) * (x2 - x1)[None, :] / (y2 - y1)[None, :]
        inside ^= (cross & (x[:, None] < xint)).sum(axis=1) % 2 == 1
    return inside


def _candidates(idx: np.ndarray, lo: np.ndarray, hi: np.ndarray, centre: tuple[float, float] | None,
                radius_km: float | None) -> tuple[np.ndarray, np.ndarray]:
    """Halton points ``idx`` (bases 2 and 3) in the bounding box ``lo``–``hi``, or, with a
    ``centre``, in the disc of ``radius_km`` around it (uniform by area)."""
    u, v = halton(idx, 2), halton(idx, 3)
    if centre is None:
        return lo[0] + u * (hi[0] - lo[0]), lo[1] + v * (hi[1] - lo[1])
    assert radius_km is not None, "a disc needs its radius"
    r = radius_km * np.sqrt(u)
    x = centre[0] + r * np.cos(2 * np.pi * v) / (KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(centre[1])))
    y = centre[1] + r * np.sin(2 * np.pi * v) / KM_PER_DEGREE_LAT
    return x, y


def halton_points(n: int, rings: list[np.ndarray], centre: tuple[float, float] | None = None,
                  radius_km: float | None = None) -> np.ndarray:
    """The first ``n`` Halton points inside the outline (in a disc around ``centre`` if
    given), as an (n, 2) array of (lon, lat): an even, reproducible spread of points."""
    if n <= 0:
        return np.zeros((0, 2))
    allpts = np.vstack(rings)
    lo, hi = allpts.min(axis=0), allpts.max(axis=0)
    got: list[np.ndarray] = []
    start, have = 1, 0
    for _ in range(60):  # draw batches until n points fell inside (a bound, never reached in France)
        batch = max(64, 3 * (n - have))
        idx = np.arange(start, start + batch)
        start += batch
        x, y = _candidates(idx, lo, hi, centre, radius_km)
        ok = inside_outline(x, y, rings)
        got.append(np.column_stack([x[ok], y[ok]]))
        have += int(ok.sum())
        if have >= n:
            break
    pts = np.vstack(got)
    if len(pts) < n:  # a disc almost outside the outline: fall back to the whole outline
        return halton_points(n, rings) if centre is not None else pts
    return pts[:n]
