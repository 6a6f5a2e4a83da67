"""Distances: great-circle and road kilometres.

Coordinates are WGS84 longitude and latitude in degrees; distances are kilometres.  Road
distance is not computed on a road network: it is the great-circle distance times a
« facteur de détour » (``road_factor``), the usual approximation in access studies.
"""

from __future__ import annotations

import numpy as np

#: Mean Earth radius, km (IUGG mean radius R1 = 6,371.0088 km, rounded).
EARTH_RADIUS_KM = 6371.0
#: Road distance ≈ 1.3 × straight-line distance in rural France (ASSUMPTION; change in
#: ``territory.road_factor``).
ROAD_FACTOR = 1.3


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
