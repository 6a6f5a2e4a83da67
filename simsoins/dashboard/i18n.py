"""Labels, sentences and number formatting of the dashboard (« libellés »).

French is the default (the planners' language); English is the option ``lang="en"``.
:func:`translator` returns a :class:`Translator`, a callable ``t(key, **fields)`` that
also formats numbers the local way (decimal comma and narrow no-break space in French:
« 1 234,5 »; « 1,234.5 » in English).  The labels themselves are in labels_fr.py and
labels_en.py, one module per language.  Unknown keys fall back to English, then to the
key itself, so a new KPI id shows up under its id rather than breaking the page.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from simsoins.dashboard.labels_en import EN
from simsoins.dashboard.labels_fr import FR
from simsoins.dashboard.plotly_locale import PLOTLY_LOCALE_FR  # noqa: F401 (re-exported for the page)
from simsoins.vocabulary import CHANNELS

LANGS = ("fr", "en")
#: Outcomes of a request (« issue de la demande »), in display order.
CHANNEL_ORDER = CHANNELS
#: Language → its labels (labels_fr.py, labels_en.py).
_TABLES = {"fr": FR, "en": EN}
#: Units shown as a percentage (values are 0–1 shares).
SHARE_UNITS = ("share",)
#: KPIs shown in another unit than stored: id → (factor, unit shown, id of the label).  ER
#: waits are tens of minutes: « 42 min » reads, « 0,7 h » does not (the KPI id stays).
SHOWN_AS = {"er_wait_hours_mean": (60.0, "minutes", "er_wait_minutes_mean")}
#: The most decimals :func:`nonzero_digits` adds: beyond, an effect is nil for a planner.
MAX_DIGITS = 6


class Translator:
    """``t(key, **fields)`` → text in ``lang``; also formats numbers and units."""

    def __init__(self, lang: str = "fr") -> None:
        if lang not in LANGS:
            raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGS)}")
        self.lang = lang
        self._table = _TABLES[lang]

    def __call__(self, key: str, **fields) -> str:
        if key.startswith("kpi.acute_channel_share."):
            fields["channel"] = self("channel." + key.rsplit(".", 1)[1])
            key = "kpi.acute_channel_share"
        text = self._table.get(key, EN.get(key))
        if text is None:
            return key.split(".", 1)[-1]
        return text.format(**fields) if fields else text

    def has(self, key: str) -> bool:
        """Whether ``lang``'s own table has ``key`` (no fallback to English)."""
        return key in self._table

    def kpi(self, kpi_id: str) -> str:
        """Label of a KPI id, e.g. « Délai médian pour un rendez-vous programmé (jours) »."""
        return self("kpi." + kpi_id)

    def kpi_label(self, kpi_id: str) -> str:
        """Label of a KPI in the unit the page shows it in (:data:`SHOWN_AS`): « Attente
        moyenne aux urgences (minutes) »."""
        return self.kpi(SHOWN_AS[kpi_id][2] if kpi_id in SHOWN_AS else kpi_id)

    def channel(self, name: str) -> str:
        """Label of an outcome channel, e.g. ``own_gp`` → « Son médecin traitant »."""
        return self("channel." + name)

    def num(self, x: float, digits: int = 1, signed: bool = False) -> str:
        """« 4,1 », « −1,3 », « +0,2 », « 1 234 » (fr) or « 4.1 », « 1,234 » (en); NaN → « — »."""
        if x is None or not math.isfinite(float(x)):
            return "—"
        x = half_up(float(x), digits)
        s = f"{abs(x):,.{digits}f}"
        if self.lang == "fr":
            s = s.replace(",", "\u202f").replace(".", ",")
        if x < 0:
            return "\u2212" + s
        return ("+" + s) if signed and x > 0 else s

    def ci(self, m: float, lo: float, hi: float, unit: str) -> str:
        """A level and its 95 % CI: « 4,1 [3,9 ; 4,3] »; shares: « 42,0 % [41,1 ; 43,0] »."""
        share = unit in SHARE_UNITS
        mid = self.pct(m) if share else self.num(m, digits_for(unit))
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return mid
        lo_text, hi_text = (self.num(100 * x, 1) if share else self.num(x, digits_for(unit)) for x in (lo, hi))
        return self("ci", m=mid, lo=lo_text, hi=hi_text)

    def diff_digits(self, values, unit: str) -> int:
        """:func:`nonzero_digits` of a difference and its bounds, in the unit shown (shares: points)."""
        scale = 100.0 if unit in SHARE_UNITS else 1.0
        return nonzero_digits([scale * float(x) for x in values], 1 if unit in SHARE_UNITS else digits_for(unit))

    def with_unit(self, x: float, unit: str, diff: bool = False, digits: int | None = None) -> str:
        """« 2,8 jours », « 42,0 % »; a difference signed: « −1,3 jour », « +1,2 points »."""
        if unit in SHARE_UNITS:
            return f"{self.num(100 * x, digits or 1, True)} {self.unit(unit, 100 * x)}" if diff else self.pct(x)
        return f"{self.num(x, digits_for(unit) if digits is None else digits, diff)} {self.unit(unit, x)}"

    def bound(self, x: float, unit: str, digits: int | None = None) -> str:
        """A CI bound in a sentence, signed: « −1,5 »; shares in points: « +11,0 »."""
        d = (1 if unit in SHARE_UNITS else digits_for(unit)) if digits is None else digits
        return self.num(100 * x if unit in SHARE_UNITS else x, d, True)

    def diff(self, m: float, lo: float, hi: float, unit: str, points: bool = True) -> str:
        """A paired difference and its 95 % CI, signed, with the decimals of
        :func:`nonzero_digits`: « −0,06 [−0,07 ; −0,05] »; shares in points,
        « +1,2 [+0,4 ; +2,0] pts » (``points=False``: without « pts », a column header says it);
        no interval: the difference alone."""
        scale = 100.0 if unit in SHARE_UNITS else 1.0
        m, lo, hi = (scale * float(x) if x is not None else float("nan") for x in (m, lo, hi))
        d = nonzero_digits((m, lo, hi), 1 if unit in SHARE_UNITS else digits_for(unit))
        tail = f" {self('pts')}" if unit in SHARE_UNITS and points else ""
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return self.num(m, d, True) + tail
        return self("ci", m=self.num(m, d, True), lo=self.num(lo, d, True), hi=self.num(hi, d, True)) + tail

    def pct(self, share: float, digits: int = 1, signed: bool = False) -> str:
        """A 0–1 share as a percentage: « 42,0 % » (fr) or « 42.0% » (en)."""
        if share is None or not math.isfinite(float(share)):
            return "—"
        return self.num(100 * float(share), digits, signed) + self("fmt.pct")

    def unit(self, unit: str, x: float) -> str:
        """Unit word agreeing with ``x``: « 1,3 jour », « 2,8 jours » (fr: singular below 2)."""
        forms = self("unit." + unit)
        if "|" not in forms:
            return unit
        one, many = forms.split("|", 1)
        ax = abs(x) if x is not None and math.isfinite(float(x)) else 2.0
        singular = ax < 2 if self.lang == "fr" else ax == 1
        return one if singular else many


def translator(lang: str = "fr") -> Translator:
    """The translation function for ``lang`` (``"fr"`` by default, or ``"en"``)."""
    return Translator(lang)


def digits_for(unit: str) -> int:
    """Decimals shown for a unit (shares are shown in % with one decimal)."""
    euros = dict.fromkeys(("EUR/year", "EUR/request", "EUR/visit", "days/year", "requests/year", "visits/year"), 0)
    return {"consultations/inhabitant/year": 2, "minutes": 0, **euros}.get(unit, 1)


def half_up(x: float, digits: int) -> float:
    """``x`` rounded to ``digits`` decimals as written (its shortest decimal form), halves
    away from 0: −0.045 → −0.05 as a reader rounds it, where binary ``round`` gives −0.04."""
    if abs(x) >= 1e15:  # beyond a decimal context's 28 digits; nothing to round there anyway
        return round(x, digits)
    return float(Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def nonzero_digits(values, digits: int = 1) -> int:
    """The fewest decimals, at least ``digits`` (at most :data:`MAX_DIGITS`), at which no
    finite non-zero value of ``values`` prints as 0: a difference and its CI bounds keep
    their sign, so −0.058 [−0.071; −0.045] prints « −0,06 [−0,07 ; −0,05] », never
    « −0,1 [−0,1 ; 0,0] » next to a colour saying it is significant.  One rule for the
    headline, the ranking and the sentences."""
    vals = [float(v) for v in values if v is not None and math.isfinite(float(v)) and float(v) != 0.0]
    d = digits
    while d < MAX_DIGITS and any(half_up(v, d) == 0.0 for v in vals):
        d += 1
    return d


def shown(kpi: str, unit: str) -> tuple[float, str, str]:
    """(factor, unit, label id) a KPI is shown with (:data:`SHOWN_AS`); else (1, unit, kpi)."""
    return SHOWN_AS.get(kpi, (1.0, unit, kpi))


def as_shown(kpi: str, row):
    """A summary row (a pandas Series) in the unit the page shows ``kpi`` in
    (:data:`SHOWN_AS`: ER waits in minutes); the same row otherwise."""
    factor, unit, _ = shown(kpi, str(row["unit"]))
    if factor == 1.0 or str(row["unit"]) == unit:  # already shown so: never scaled twice
        return row
    out = row.copy()
    for col in ("mean", "ci_low", "ci_high", "diff_mean", "diff_ci_low", "diff_ci_high"):
        if col in out.index:
            out[col] = float(out[col]) * factor
    out["unit"] = unit
    return out
