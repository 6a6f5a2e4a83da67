"""KPIs (« indicateurs ») and result tables: pure functions of a replication's event log.

KPI ids and units are stable (docs/model.md §6); researchers script against them.  The
``*_wait_days_*`` and ``gp_within_*`` KPIs count only the requests that got an appointment
(« demandes obtenues », as DREES counts them); the ``*_time_to_care_days_*`` and
``routine_seen_within_*`` KPIs count every request (:func:`care_delays`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simsoins.fast.memory import huge_pages
from simsoins.results.cost_kpis import INPUT_UNITS, MEAN_HORIZON_DAYS, restricted_mean
from simsoins.results.journeys import first_tried, week_days
from simsoins.results.record import ReplicationResult
from simsoins.results.stats import LEFT, PENDING, SEEN, care_curves, curve_at, curve_quantile
from simsoins.vocabulary import (
    AVOIDABLE_ER_PRIORITY,
    CARE_CHANNELS,
    CHANNELS,
    DAYS_PER_YEAR,
    MIN_PER_DAY,
    MIN_PER_HOUR,
    MIN_PER_WEEK,
)

#: id → unit. More may be added; none renamed without a changelog note.
KPI_UNITS: dict[str, str] = {
    # every request (those who left without care count as not seen): docs/model.md §6
    "routine_time_to_care_days_median": "days",
    "routine_time_to_care_days_p90": "days",
    "routine_seen_within_2d_share": "share",
    "routine_seen_within_7d_share": "share",
    "gp_time_to_care_days_median": "days",
    "gp_time_to_care_days_p90": "days",
    # booked-only (« demandes obtenues ») waits: only requests that got an appointment
    "routine_wait_days_median": "days",
    "routine_wait_days_mean": "days",
    "routine_wait_days_p90": "days",
    "routine_within_2d_share": "share",
    "routine_within_7d_share": "share",
    "routine_gave_up_share": "share",
    "acute_same_day_share": "share",
    "acute_within_48h_share": "share",
    **{f"acute_channel_share.{c}": "share" for c in CHANNELS},
    "er_visits_per_1000_year": "visits/1000 inhabitants/year",
    "er_avoidable_visits_per_1000_year": "visits/1000 inhabitants/year",
    "er_avoidable_share": "share",
    "er_wait_hours_mean": "hours",
    "gp_consultations_per_inhabitant_year": "consultations/inhabitant/year",
    "gp_wait_days_median": "days",
    "gp_wait_days_mean": "days",
    "gp_within_2d_share": "share",
    "gp_within_1d_share": "share",
    "consultations_per_gp_week": "consultations/GP/week",
    "tele_share_of_gp_consultations": "share",
    "sas_answer_minutes_mean": "minutes",
    "without_mt_share": "share",
    "clinician_utilisation": "share",
    "no_show_share": "share",
    "sas_abandoned_share": "share",
}
GROUP_KPIS = ("routine_time_to_care_days_median", "routine_seen_within_7d_share", "routine_wait_days_mean",
              "routine_wait_days_median", "routine_within_7d_share", "routine_gave_up_share",
              "acute_within_48h_share", "er_avoidable_visits_per_1000_year")


def measured(rep: ReplicationResult, columns: list[str] | None = None) -> pd.DataFrame:
    """Requests made inside the measured window (after warm-up); only ``columns`` if given."""
    ev = rep.events
    w0, w1 = rep.window
    t = ev["t_request_min"].to_numpy()
    inside = (t >= w0) & (t < w1)
    return (ev if columns is None else ev[columns])[inside]


def is_in(ev: pd.DataFrame, column: str, *names: str) -> np.ndarray:
    """Boolean mask: the categorical ``column`` is one of ``names`` (compared on its codes,
    not on strings)."""
    cat = ev[column].cat
    codes = [i for i, c in enumerate(cat.categories) if c in names]
    return np.isin(cat.codes.to_numpy(), codes)


#: The columns the KPIs of one replication read.
KPI_COLUMNS = ["need", "outcome", "wait_days", "t_appointment_min", "t_request_min", "er_wait_min", "no_show",
               "provider", "sas_wait_min", "t_exit_min", "er_priority"]


def _mean(x) -> float:
    return float(np.mean(x)) if len(x) else float("nan")


def _masks(ev: pd.DataFrame, window_end: float) -> dict[str, np.ndarray]:
    """The masks the KPIs are made of: routine, acute, care (a care channel *and* an
    appointment time: a consultation booked), ER, avoidable ER; and each request's
    ``delay`` (minutes) and ``status`` (:func:`care_delays`)."""
    care = consulted(ev)
    delay, status = care_delays(ev, care, window_end)
    return {"rout": is_in(ev, "need", "routine"), "acute": is_in(ev, "need", "acute"), "care": care,
            "er": is_in(ev, "outcome", "er"), "avoidable": avoidable(ev), "delay": delay, "status": status}


def consulted(ev: pd.DataFrame) -> np.ndarray:
    """A consultation booked: a care channel and an appointment time (attended or not)."""
    return is_in(ev, "outcome", *CARE_CHANNELS) & np.isfinite(ev["t_appointment_min"].to_numpy())


def avoidable(ev: pd.DataFrame) -> np.ndarray:
    """Avoidable ER visits (« passages évitables »): those the ER queued after every triage
    level — acute requests that walked in or that primary care could not place; not
    emergencies, nor acute patients the SAMU brought in."""
    return ev["er_priority"].to_numpy() == AVOIDABLE_ER_PRIORITY


def care_delays(ev: pd.DataFrame, care: np.ndarray, window_end: float) -> tuple[np.ndarray, np.ndarray]:
    """(delay in whole minutes, status) of each request, for the time-to-care curves
    (whole minutes: counted per minute, :func:`~simsoins.results.stats.care_curves`).

    ``SEEN``: from the request to its consultation (``care``, :func:`_masks`); ``LEFT``: to
    when it left primary care without one (``t_exit_min``: gave up, went to the ER, any
    outcome that is not a care channel), or to ``window_end`` if that time is missing;
    ``PENDING`` (no outcome yet): to ``window_end``, censored."""
    t_request = ev["t_request_min"].to_numpy()
    ended = ev["outcome"].cat.codes.to_numpy() >= 0
    t_exit = ev["t_exit_min"].to_numpy()
    t_left = np.where(np.isfinite(t_exit), t_exit, window_end)
    t_end = np.where(care, ev["t_appointment_min"].to_numpy(), np.where(ended, t_left, window_end))
    status = np.where(care, SEEN, np.where(ended, LEFT, PENDING)).astype(np.int8)
    return np.rint(np.maximum(t_end - t_request, 0.0)).astype(np.int64), status


def time_to_care(delay: np.ndarray, status: np.ndarray, prefix: str, within: tuple[int, ...] = (),
                 mean_days: float | None = None) -> dict[str, float]:
    """``{prefix}_time_to_care_days_median`` and ``_p90`` (Kaplan–Meier, a request that left
    without care censored when it left) and ``{prefix}_seen_within_{x}d_share`` for ``x`` in
    ``within`` (cumulative incidence: the share of *all* requests seen within ``x`` days).
    A quantile the curve never reaches (more censored requests than 1 − q, the last one
    censored) is the longest delay observed: a lower bound, never NaN.  With ``mean_days``,
    also ``{prefix}_time_to_care_days_mean``, the curve's restricted mean up to that many days
    (:func:`~simsoins.results.cost_kpis.restricted_mean`).  NaN only without any request.
    ``delay``: whole minutes (:func:`care_delays`); the KPIs are in days."""
    names = [f"{prefix}_time_to_care_days_{q}" for q in ("median", "p90")]
    names += [f"{prefix}_seen_within_{x}d_share" for x in within]
    names += [f"{prefix}_time_to_care_days_mean"] if mean_days is not None else []
    if not len(delay):
        return dict.fromkeys(names, float("nan"))
    times, km, cif = care_curves(delay, status)
    days = times / MIN_PER_DAY
    longest = float(np.max(delay)) / MIN_PER_DAY
    values = [curve_quantile(days, km, 0.5, longest), curve_quantile(days, km, 0.9, longest)]
    values += [curve_at(days, cif, float(x)) for x in within]
    values += [restricted_mean(days, km, mean_days)] if mean_days is not None else []
    return dict(zip(names, values))


def _core(ev: pd.DataFrame, population: float, years: float, window_end: float,
          masks: dict[str, np.ndarray] | None = None) -> dict[str, float]:
    """KPIs that also make sense for a sub-group (age band, commune); ``masks`` from
    :func:`_masks` if the caller has them already.  Holds :data:`GROUP_KPIS` and the
    rest of the routine time-to-care KPIs."""
    m = masks if masks is not None else _masks(ev, window_end)
    rout, acute, care = m["rout"], m["acute"], m["care"]
    wait = ev["wait_days"].to_numpy()
    rw = wait[rout & care]
    delay_min = ev["t_appointment_min"].to_numpy() - ev["t_request_min"].to_numpy()
    n_r, n_a = rout.sum(), acute.sum()
    gave_up = is_in(ev, "outcome", "gave_up")
    return {
        **time_to_care(m["delay"][rout], m["status"][rout], "routine", within=(2, 7), mean_days=MEAN_HORIZON_DAYS),
        "routine_wait_days_median": float(np.median(rw)) if len(rw) else float("nan"),
        "routine_wait_days_mean": _mean(rw),
        "routine_within_7d_share": float((rout & care & (wait <= 7)).sum() / n_r) if n_r else float("nan"),
        "routine_gave_up_share": float((rout & gave_up).sum() / n_r) if n_r else float("nan"),
        "acute_within_48h_share": float((acute & care & (delay_min <= 2 * MIN_PER_DAY)).sum() / n_a)
        if n_a else float("nan"),
        "er_avoidable_visits_per_1000_year": float(m["avoidable"].sum() / population * 1000 / years)
        if population > 0 else float("nan"),
    }


def _share(count, total) -> float:
    """``count / total`` as a float, NaN when ``total`` is 0."""
    return float(count / total) if total else float("nan")


def _routine_and_acute(ev: pd.DataFrame, m: dict[str, np.ndarray]) -> dict[str, float]:
    """KPIs of routine and acute requests beyond :func:`_core`: the 90th centile of the
    routine wait, routine seen within 2 days, acute seen the same day, and where acute
    requests ended (one share per channel)."""
    rout, acute, care = m["rout"], m["acute"], m["care"]
    wait = ev["wait_days"].to_numpy()
    rw = wait[rout & care]
    n_r, n_a = rout.sum(), acute.sum()
    k = {"routine_wait_days_p90": float(np.quantile(rw, 0.9)) if len(rw) else float("nan"),
         "routine_within_2d_share": _share((rout & care & (wait <= 2)).sum(), n_r),
         "acute_same_day_share": _share((acute & care & (wait == 0)).sum(), n_a)}
    outcome = ev["outcome"].cat
    codes = outcome.codes.to_numpy()  # -1 = no outcome
    per_channel = dict(zip(outcome.categories, np.bincount(codes[acute & (codes >= 0)],
                                                           minlength=len(outcome.categories)).tolist()))
    for c in CHANNELS:
        k[f"acute_channel_share.{c}"] = _share(per_channel.get(c, 0), n_a)
    return k


def _er(ev: pd.DataFrame, m: dict[str, np.ndarray], population: float, years: float) -> dict[str, float]:
    """ER visits per 1,000 inhabitants a year, the avoidable share, the mean wait (hours)."""
    er = m["er"]
    return {"er_visits_per_1000_year": float(er.sum() / population * 1000 / years),
            "er_avoidable_share": _share(m["avoidable"].sum(), er.sum()),
            "er_wait_hours_mean": float(np.nanmean(ev["er_wait_min"].to_numpy()[er]) / MIN_PER_HOUR)
            if er.sum() else float("nan")}


def _gp(ev: pd.DataFrame, m: dict[str, np.ndarray], rep: ReplicationResult, years: float) -> dict[str, float]:
    """GP consultations (attended): per inhabitant a year, per GP a week, the share by
    video, no-shows; the wait of the GP requests (routine or acute) that got an
    appointment, as DREES counts it; the time to care of every GP request."""
    rout, acute, care = m["rout"], m["acute"], m["care"]
    gp = rout | acute
    no_show = ev["no_show"].to_numpy()
    seen = care & ~no_show
    gw = ev["wait_days"].to_numpy()[care & (rout | acute)]
    tele = rep.provider_names.index("tele_platform")  # providers below it are clinicians
    prov = ev["provider"].to_numpy()
    weeks = years * DAYS_PER_YEAR / 7.0
    return {
        **time_to_care(m["delay"][gp], m["status"][gp], "gp"),
        "gp_consultations_per_inhabitant_year": float(seen.sum() / rep.population / years),
        "gp_wait_days_median": float(np.median(gw)) if len(gw) else float("nan"),
        "gp_wait_days_mean": _mean(gw),
        "gp_within_2d_share": float((gw <= 2).mean()) if len(gw) else float("nan"),
        "gp_within_1d_share": float((gw <= 1).mean()) if len(gw) else float("nan"),
        "consultations_per_gp_week": float((seen & (prov >= 0) & (prov < tele)).sum() / max(tele, 1) / weeks),
        "tele_share_of_gp_consultations": _share((seen & is_in(ev, "outcome", "tele")).sum(), seen.sum()),
        "no_show_share": _share((care & no_show).sum(), care.sum()),
    }


def _sas_answer_minutes(ev: pd.DataFrame) -> float:
    """Mean minutes the SAS took to answer, over the requests it answered."""
    sas = ev["sas_wait_min"].to_numpy()
    sas = sas[~np.isnan(sas)]
    return float(sas.mean()) if len(sas) else float("nan")


def _sas_abandoned_share(rep: ReplicationResult) -> float:
    """Share of the SAS calls whose caller hung up before a regulator answered: a request
    whose path went through the SAS, with no SAS answer time."""
    ev = measured(rep, ["path", "sas_wait_min"])
    cat = ev["path"].cat
    through = [i for i, label in enumerate(cat.categories) if "sas" in str(label).split(">")]
    calls = np.isin(cat.codes.to_numpy(), through)
    return _share((calls & np.isnan(ev["sas_wait_min"].to_numpy())).sum(), calls.sum())


def _without_mt_share(rep: ReplicationResult) -> float:
    """Share of residents without a médecin traitant in the last week inside the window."""
    wk = rep.weekly
    last = wk[wk["week"] * 7 + 6 < rep.window[1] / MIN_PER_DAY]
    return float(last["without_mt_share"].iloc[-1]) if len(last) else float("nan")


@huge_pages(False)  # large arrays written once (memory.py)
def replication_kpis(rep: ReplicationResult) -> dict[str, float]:
    """Every KPI of :data:`KPI_UNITS` for one replication."""
    ev = measured(rep, KPI_COLUMNS)
    years = (rep.window[1] - rep.window[0]) / MIN_PER_DAY / DAYS_PER_YEAR
    m = _masks(ev, rep.window[1])
    k = _core(ev, rep.population, years, rep.window[1], m)
    k.update(_routine_and_acute(ev, m))
    k.update(_er(ev, m, rep.population, years))
    k.update(_gp(ev, m, rep, years))
    k["sas_answer_minutes_mean"] = _sas_answer_minutes(ev)
    k["sas_abandoned_share"] = _sas_abandoned_share(rep)
    k["without_mt_share"] = _without_mt_share(rep)
    k["clinician_utilisation"] = clinician_utilisation(rep)
    k.update(dose_kpis(rep))
    k["routine_requests_per_year"] = float(m["rout"].sum() / years)
    return {name: k[name] for name in KPI_UNITS}


def clinician_utilisation(rep: ReplicationResult) -> float:
    """Attended clinician slots over offered clinician slots, slots dated in the window."""
    ev = rep.events
    n_clin = int((rep.offered["provider"] < rep.provider_names.index("tele_platform")).sum())
    w0, w1 = rep.window
    t = ev["t_appointment_min"].to_numpy()
    used = ((ev["provider"].to_numpy() >= 0) & (ev["provider"].to_numpy() < n_clin) & (t >= w0) & (t < w1)
            & ~ev["no_show"].to_numpy()).sum()
    offered = rep.offered["offered"].to_numpy()[:n_clin].sum()
    return float(used / offered) if offered else float("nan")


def group_kpis(rep: ReplicationResult, commune_pop: pd.Series, age_pop: pd.Series) -> pd.DataFrame:
    """KPIs of :data:`GROUP_KPIS` by age band and by commune (long table); the masks and
    delays are computed once, then taken group by group."""
    ev = measured(rep, [*KPI_COLUMNS, "age_band", "commune"])
    years = (rep.window[1] - rep.window[0]) / MIN_PER_DAY / DAYS_PER_YEAR
    m = _masks(ev, rep.window[1])
    rows = []
    for gtype, col, pops in (("age_band", "age_band", age_pop), ("commune", "commune", commune_pop)):
        for g, idx in ev.groupby(col, observed=True).indices.items():
            k = _core(ev.iloc[idx], float(pops.get(g, 0.0)), years, rep.window[1], {n: a[idx] for n, a in m.items()})
            rows += [(gtype, str(g), kpi, k[kpi]) for kpi in GROUP_KPIS]
    return pd.DataFrame(rows, columns=["group_type", "group", "kpi", "value"])


def weekly_series(rep: ReplicationResult) -> pd.DataFrame:
    """Weekly series (by week of request): waits, ER, patients without MT; ``days``: the days
    of the measured window in the week (7, fewer for a partial first or last week)."""
    ev = measured(rep)
    week = (ev["t_request_min"] // MIN_PER_WEEK).astype(int)
    care = ev["outcome"].isin(CARE_CHANNELS)
    rout = ev["need"] == "routine"
    er = ev["outcome"] == "er"
    avoid = avoidable(ev)
    g = pd.DataFrame({"week": week, "rw": ev["wait_days"].where(rout & care), "er": er, "avoid": avoid,
                      "erw": ev["er_wait_min"].where(er) / MIN_PER_HOUR})
    agg = g.groupby("week").agg(routine_wait_days_mean=("rw", "mean"), er_visits=("er", "sum"),
                                er_avoidable_visits=("avoid", "sum"), er_wait_hours_mean=("erw", "mean"))
    wk = rep.weekly.set_index("week")["without_mt_share"]
    agg["without_mt_share"] = wk.reindex(agg.index)
    out = agg.reset_index().melt(id_vars="week", var_name="series", value_name="value")
    out["days"] = week_days(out["week"].to_numpy(), rep.window)  # < 7: a partial week, not comparable
    return out.astype({"week": "int32", "value": "float64"})


def wait_quantiles(rep: ReplicationResult, n: int = 101) -> pd.DataFrame:
    """Quantiles of routine days to appointment (an ECDF in ``n`` points, not every
    request), over the requests that got one."""
    ev = measured(rep)
    w = ev.loc[(ev["need"] == "routine") & ev["outcome"].isin(CARE_CHANNELS), "wait_days"].to_numpy()
    w = w[np.isfinite(w)]
    q = np.linspace(0, 1, n)
    return pd.DataFrame({"q": q, "wait_days": np.quantile(w, q) if len(w) else np.full(n, np.nan)})


def channel_counts(rep: ReplicationResult) -> pd.DataFrame:
    """Requests by need, first channel tried (journeys.py) and outcome: the combinations met."""
    ev = measured(rep, ["need", "path", "outcome"])
    ev = ev.assign(first=first_tried(ev))
    c = ev.groupby(["need", "first", "outcome"], observed=True).size().rename("count").reset_index()
    return c.astype({"need": str, "first": str, "outcome": str, "count": "int64"})


def utilisation(rep: ReplicationResult) -> pd.DataFrame:
    """Offered and attended slots per provider in the measured window."""
    ev = rep.events
    w0, w1 = rep.window
    t = ev["t_appointment_min"]
    inwin = ev[(t >= w0) & (t < w1) & (ev["provider"] >= 0)]
    booked = inwin.groupby("provider").size()
    noshow = inwin[inwin["no_show"]].groupby("provider").size()
    df = rep.offered.copy()
    df["name"] = [rep.provider_names[i] for i in df["provider"]]
    tele = rep.provider_names.index("tele_platform")
    df["kind"] = np.where(df["provider"] < tele, "clinician", np.where(df["provider"] == tele, "tele", "evening"))
    df["booked"] = booked.reindex(df["provider"]).fillna(0).to_numpy().astype("int64")
    df["no_show"] = noshow.reindex(df["provider"]).fillna(0).to_numpy().astype("int64")
    return df


def er_site_visits(rep: ReplicationResult, sites: pd.DataFrame) -> pd.DataFrame:
    """ER visits of the measured window per site (one row per row of ``sites``, visited or
    not): visits, avoidable visits (:func:`avoidable`), mean wait in hours (NaN if none)."""
    ev = measured(rep, ["outcome", "er_site", "er_priority", "er_wait_min"])
    site = ev["er_site"].to_numpy().astype(np.int64)
    er = is_in(ev, "outcome", "er") & (site >= 0)
    wait = ev["er_wait_min"].to_numpy()
    timed = er & np.isfinite(wait)
    out = sites.reset_index(drop=True).copy()
    out.insert(0, "site", np.arange(len(out), dtype=np.int32))
    out["visits"] = np.bincount(site[er], minlength=len(out)).astype("int64")
    out["avoidable_visits"] = np.bincount(site[er & avoidable(ev)], minlength=len(out)).astype("int64")
    hours = np.bincount(site[timed], weights=wait[timed], minlength=len(out)) / MIN_PER_HOUR
    with np.errstate(invalid="ignore", divide="ignore"):
        out["wait_hours_mean"] = hours / np.bincount(site[timed], minlength=len(out))
    return out


# ---------------------------------------------------------------- doses (results/dose.py)
KPI_UNITS.update({"gp_slots_offered_per_week": "slots/week", "gp_requests_per_week": "requests/week"})
KPI_UNITS.update(INPUT_UNITS)  # the cost KPIs' inputs (results/cost_kpis.py)
#: Needs that a GP-type slot answers (an emergency goes to the ER).
SLOT_NEEDS = ("routine", "acute")


def dose_kpis(rep: ReplicationResult) -> dict[str, float]:
    """GP-type slots offered a week in the measured window (every clinician, the
    teleconsultation platform, the evening sites; leave, ramps, departures as the books
    hold them) and GP-type requests (routine, acute) made a week in the window."""
    weeks = (rep.window[1] - rep.window[0]) / MIN_PER_WEEK
    requests = is_in(measured(rep, ["need"]), "need", *SLOT_NEEDS).sum()
    return {"gp_slots_offered_per_week": float(rep.offered["offered"].sum() / weeks),
            "gp_requests_per_week": float(requests / weeks)}
