"""Named random streams per replication (common random numbers).

Each replication gets one :class:`numpy.random.Generator` per *source of randomness*,
spawned from the run seed's ``SeedSequence``.  The stream of a source depends only on
(run seed, replication, source name), never on the scenario or the worker process, so
the same replication of two scenarios sees the same patients (common random numbers),
and results do not depend on ``run.jobs``.
"""

from __future__ import annotations

import numpy as np

#: Sources of randomness, in a fixed order (their index is part of the spawn key: never
#: reorder, only append).  ``rejoin``: whether a patient who missed a routine appointment
#: asks again, and that new request's own uniforms (drawn only when rejoining is on).
STREAMS = ("arrivals", "attributes", "leave", "panels", "rejoin")


def replication_streams(seed: int, replication: int) -> dict[str, np.random.Generator]:
    """One generator per named stream for replication ``replication`` of run ``seed``."""
    root = np.random.SeedSequence(seed)
    rep = np.random.SeedSequence(root.entropy, spawn_key=(replication,))
    children = rep.spawn(len(STREAMS))
    return {name: np.random.Generator(np.random.PCG64(ss)) for name, ss in zip(STREAMS, children)}
