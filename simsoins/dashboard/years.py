"""The names of the years of a run of several years (``run.years``): « année 1 » and the
dates it covers, from the baseline's stored run settings (start date, warm-up, length of
a year)."""

from __future__ import annotations

import datetime as dt

from simsoins.dashboard.i18n import Translator
from simsoins.dashboard.warnings import stored_configs


def year_labels(results: dict, t: Translator) -> dict[int, str]:
    """Year → « année k<br>mm/aaaa – mm/aaaa » (the dates of its measured period); only
    « année k » when the stored settings cannot be read."""
    years = sorted({int(y) for y in results["years"]["year"]})
    meta = results.get("scenarios") or {}
    run = next(iter(stored_configs(results).values()), {}).get("run") or {}
    try:
        start = dt.date.fromisoformat(str(meta.get("start_date") or run["start_date"]))
        first, length = start + dt.timedelta(days=int(run["warmup_days"])), int(run["horizon_days"])
    except (KeyError, TypeError, ValueError):
        return {y: f"{t('fig.years.year')} {y}" for y in years}
    fmt = t("fmt.month_year")
    return {y: (f"{t('fig.years.year')} {y}<br>{(first + dt.timedelta(days=(y - 1) * length)).strftime(fmt)} – "
                f"{(first + dt.timedelta(days=y * length - 1)).strftime(fmt)}") for y in years}
