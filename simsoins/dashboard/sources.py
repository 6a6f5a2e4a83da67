"""The page's last section, « Limites et sources »: what the model leaves out and the
public data it is built on, with their years.

The words are in labels_fr.py / labels_en.py (keys ``limit.*`` and ``source.*``); this
module only says which ones, in which order.  The limits are those of docs/model.md §8–9
and docs/calibration.md; the sources those of simsoins/data/france/README.md and
docs/calibration-sources.md.  A source's label is « what | publisher, dataset | year »
in one key, so each row is translated as a whole.
"""

from __future__ import annotations

from html import escape

from simsoins.dashboard.i18n import Translator

#: What the model leaves out or only approximates (keys ``limit.NAME``), most consequential first.
LIMITS = ("age", "er_closures", "gp_places", "calibration", "outside", "time_to_care", "not_modelled",
          "intervals")
#: The data behind the territory and the calibration targets (keys ``source.NAME``).
SOURCES = ("population", "centroids", "gps_bpe", "gps_ameli", "age", "apl", "er_sites", "outlines",
           "waits", "er_visits", "er_avoidable", "without_mt", "gp_activity", "tele")


def _source_row(text: str) -> str:
    """A table row from « what | source | year »."""
    cells = [c.strip() for c in text.split("|")]
    cells += [""] * (3 - len(cells))
    return "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells[:3]) + "</tr>"


def sources_body(t: Translator) -> str:
    """HTML of the « Limites et sources » section below its heading and intro: the limits
    as a list, the data sources as a table (what, source, year), and where to read more."""
    limits = "".join(f"<li>{escape(t('limit.' + k))}</li>" for k in LIMITS)
    rows = "".join(_source_row(t("source." + k)) for k in SOURCES)
    return (f"<div class=\"sources\"><h3>{escape(t('sources.limits'))}</h3><ul>{limits}</ul>"
            f"<h3>{escape(t('sources.data'))}</h3><table><tr><th>{escape(t('sources.col.what'))}</th>"
            f"<th>{escape(t('sources.col.source'))}</th><th>{escape(t('sources.col.year'))}</th></tr>{rows}</table>"
            f"<p class=\"meta\">{escape(t('sources.more'))}</p></div>")


__all__ = ["LIMITS", "SOURCES", "sources_body"]
