"""Clinicians' weekly capacity and their starting panels (« patientèle médecin traitant »).

Who is whose médecin traitant is not public, so the starting panels are drawn from a
gravity model (docs/model.md): residents register with nearby clinicians, in proportion
to the clinicians' weekly slots, with a spread of panel sizes like the observed one.
"""

from __future__ import annotations

import numpy as np

from simsoins.territory.model import Territory

#: Distance decay of the gravity model, km: weight exp(−km / 8) (ASSUMPTION, docs/model.md).
DECAY_KM = 8.0
#: No registration with a clinician farther than this, road km (ASSUMPTION, docs/model.md).
CUTOFF_KM = 45.0
#: Rounds of iterative proportional fitting: enough for the row and column totals to agree.
FITTING_ROUNDS = 50


def weekly_slots(t: Territory) -> np.ndarray:
    """Slots per week offered by each clinician (before leave)."""
    return np.array([sum((s.end - s.start) // m for s in sess)
                     for sess, m in zip(t.clinician_sessions, t.clinician_slot_minutes)], dtype=float)


def initial_panels(t: Territory, decay_km: float = DECAY_KM, cutoff_km: float = CUTOFF_KM) -> np.ndarray:
    """Médecin traitant attribution at the start: communes × clinicians head counts.

    A doubly constrained gravity model (assumption, documented in docs/model.md): each
    commune's residents with an MT are spread over clinicians within ``cutoff_km`` with
    weight ``exp(-km / decay_km)``; column totals follow each clinician's weekly slots times
    a lognormal factor (``panel_dispersion``) so that panels differ as they do in reality
    (half of GPs between 600 and 1,300 adult MT patients, CNAM 2021, CALIBRATION §2).
    """
    pop = t.population * (1 - t.without_mt_share)
    weights = _gravity_weights(t, decay_km, cutoff_km)
    rs = np.random.default_rng(t.panel_seed)
    cap = weekly_slots(t) * np.exp(rs.normal(0, t.panel_dispersion, t.n_clinicians))
    return _whole_heads(_fit_totals(weights, pop, _panel_targets(t, pop, cap)))


def _panel_targets(t: Territory, pop: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Each clinician's panel total: the residents with an MT of the clinician's département
    shared in proportion to ``cap`` (one département: of the whole territory). Panels reflect
    their own département's density, as registered panels do; residents may still register
    across a border, but the flows between départements balance (ASSUMPTION: net flows are
    not public)."""
    groups = np.asarray(t.commune_departement or ("",) * t.n_communes)
    clinician_group = groups[t.practice_commune[t.clinician_practice]]
    target = np.zeros(t.n_clinicians)
    for g in np.unique(groups):
        mine = clinician_group == g
        if mine.any():
            target[mine] = pop[groups == g].sum() * cap[mine] / cap[mine].sum()
    if not np.isclose(target.sum(), pop.sum()):  # a département without a clinician: territory-wide
        target = pop.sum() * cap / cap.sum()
    return target


def _gravity_weights(t: Territory, decay_km: float, cutoff_km: float) -> np.ndarray:
    """Communes × clinicians attraction; a commune with no clinician in reach is served
    by its nearest one."""
    km = t.km_commune_practice[:, t.clinician_practice]
    w = np.exp(-km / decay_km) * (km <= cutoff_km)
    empty = w.sum(axis=1) == 0
    if empty.any():
        nearest = km[empty].argmin(axis=1)
        w[np.flatnonzero(empty), nearest] = 1.0
    return w


def _fit_totals(w: np.ndarray, pop: np.ndarray, col_target: np.ndarray) -> np.ndarray:
    """Scale ``w`` so that rows sum to ``pop`` and columns to ``col_target`` (iterative
    proportional fitting, ending on the rows: commune totals are exact)."""
    m = w * pop[:, None] / np.maximum(w.sum(axis=1, keepdims=True), 1e-300)
    for _ in range(FITTING_ROUNDS):
        col = m.sum(axis=0)
        m *= np.where(col > 0, col_target / np.maximum(col, 1e-300), 1.0)[None, :]
        row = m.sum(axis=1)
        m *= np.where(row > 0, pop / np.maximum(row, 1e-300), 0.0)[:, None]
    return m


def _whole_heads(m: np.ndarray) -> np.ndarray:
    """Integer head counts with exact commune totals (largest remainder, row by row)."""
    base = np.floor(m)
    short = np.rint(m.sum(axis=1) - base.sum(axis=1)).astype(np.int64)
    frac_order = np.argsort(-(m - base), axis=1, kind="stable")
    for c in np.flatnonzero(short > 0):
        base[c, frac_order[c, : short[c]]] += 1
    return base
