"""PNG export of the dashboard's figures, for slides (« export des graphiques en PNG »).

:func:`export_pngs` writes one PNG per figure of the page into a directory, numbered in
page order (``01-routine-ecdf.png``, ``02-routine-shares.png``, …); the commune map,
which shows one scenario at a time in the page, gives one image per scenario
(``09-equity-map-baseline.png``, ``09-equity-map-cpts.png``).  A figure whose table is
missing is left out, as the page does.

It needs the optional extra ``png`` (``pip install -e ".[png]"``, i.e. kaleido ≥ 1.0) and
a Chrome or Chromium browser: kaleido drives the system one (Debian: ``apt-get install
chromium``; another path with ``BROWSER_PATH``).  kaleido is imported only here, lazily;
a missing kaleido or browser raises :class:`PngExportError` with a one-line message.
One browser renders all the images; no network is used (plotly.js comes from the
installed plotly package, MathJax is off).
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from html import unescape
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from simsoins.dashboard import figures as F
from simsoins.dashboard.i18n import PLOTLY_LOCALE_FR, translator
from simsoins.dashboard.places import split_communes
from simsoins.dashboard.report import scenario_order
from simsoins.dashboard.titles import relabel

#: Width of the images in CSS pixels (the page's figures are about as wide) and pixel ratio.
WIDTH = 1100
SCALE = 2
INSTALL_HINT = "pip install 'simsoins[png]' (or: pip install 'kaleido>=1.0')"


class PngExportError(RuntimeError):
    """PNG export impossible on this machine (kaleido or browser missing); one-line message."""


def require_kaleido():
    """The kaleido module (≥ 1.0), or :class:`PngExportError` saying how to install it."""
    try:
        import kaleido
    except ImportError:
        raise PngExportError(f"PNG export needs the optional package kaleido >= 1.0: {INSTALL_HINT}") from None
    if not hasattr(kaleido, "write_fig_from_object_sync"):
        version = getattr(kaleido, "__version__", "< 1.0")
        raise PngExportError(f"PNG export needs kaleido >= 1.0 (found {version}): {INSTALL_HINT}")
    return kaleido


def _slug(text: str) -> str:
    """ASCII file-name part of a (user-given) scenario name: « Plan été+CPTS » → ``Plan_ete_CPTS``."""
    ascii_ = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9.-]+", "_", ascii_).strip("._") or "scenario"


def _map_per_scenario(fig: go.Figure, ids: dict[str, str]) -> list[tuple[str, go.Figure]]:
    """A map with a view dropdown (a scenario, or a scenario at one level of aggregation:
    simsoins/dashboard/maps.py) as one static figure per view, named after it, without the
    dropdown; a view that is a scenario's title is named after the scenario's id (``ids``:
    title → id, :func:`~simsoins.dashboard.titles.relabel`)."""
    out = []
    for button in fig.layout.updatemenus[0].buttons:
        one = go.Figure(fig)
        for tr, shown in zip(one.data, button.args[0]["visible"]):
            tr.visible = shown
        one.layout.updatemenus = ()  # (update_layout(updatemenus=[]) would keep the old menu)
        head, br, rest = str(fig.layout.title.text).partition("<br>")  # the view after the title's first line
        one.update_layout(title_text=f"{head} — {button.label}{br}{rest}")
        label = unescape(str(button.label))
        out.append((_slug(ids.get(label, label)), one))
    return out


def figures(results: dict, lang: str = "fr") -> list[tuple[str, go.Figure]]:
    """The figures of the page in page order, as (file stem, figure), from the same
    catalogue as :func:`~simsoins.dashboard.report.build_html`."""
    t = translator(lang)
    results = split_communes({k: v for k, v in relabel(results, lang).items()
                              if not (isinstance(v, pd.DataFrame) and v.empty)})
    order = scenario_order(results)
    colors = F.scenario_colors(order)
    specs = [(stem, needs, make) for _, stem, needs, make in
             F.catalogue(order, colors, t, results.get("scenarios", {}).get("start_date"))]
    out = []
    for i, (name, need, make) in enumerate(specs, start=1):
        if not all(k in results for k in need):
            continue
        fig = make(results)
        if fig.layout.updatemenus:  # a map's views, one file each
            ids = results.get("scenarios", {}).get("ids", {})
            out += [(f"{i:02d}-{name}-{scen}", f) for scen, f in _map_per_scenario(fig, ids)]
        else:
            out.append((f"{i:02d}-{name}", fig))
    return out


def _unique(stems: list[str]) -> list[str]:
    """``stems`` with a repeated one numbered: ``a``, ``a-2``, ``a-3``."""
    seen: dict[str, int] = {}
    out = []
    for s in stems:
        seen[s] = seen.get(s, 0) + 1
        out.append(s if seen[s] == 1 else f"{s}-{seen[s]}")
    return out


def _page_scripts(tmp: Path, lang: str) -> list[tuple[str, str]]:
    """Scripts for kaleido's rendering page: for French, the locale (month names in date
    ticks, as in the page).  kaleido drops a figure's own ``config``, so the locale is made
    the default of the rendering page."""
    if lang != "fr":
        return []
    js = tmp / "plotly-locale-fr.js"
    js.write_text(PLOTLY_LOCALE_FR + '\nPlotly.setPlotConfig({locale: "fr"});\n', encoding="utf-8")
    return [(js.as_uri(), "utf-8")]


def _render(kaleido, jobs: list[dict], page) -> None:
    """Render every job in one browser; a missing browser is a :class:`PngExportError`,
    any other failure a :class:`RuntimeError`."""
    try:
        # kaleido's one-shot sync call; its global sync server would hang on a missing
        # browser instead of raising
        kaleido.write_fig_from_object_sync(jobs, kopts={"page_generator": page}, cancel_on_error=True)
    except Exception as e:
        if type(e).__name__ == "ChromeNotFoundError":
            env = os.environ.get("BROWSER_PATH")
            where = f"no browser at BROWSER_PATH={env!r}" if env else "another browser: set BROWSER_PATH"
            raise PngExportError("PNG export needs Chrome or Chromium (Debian: apt-get install chromium; "
                                 f"{where})") from None
        raise RuntimeError(f"PNG export failed: {type(e).__name__}: {e}") from e


def export_pngs(results: dict, out_dir: Path, lang: str = "fr", *, width: int = WIDTH,
                scale: float = SCALE) -> list[Path]:
    """Write one PNG per figure of the dashboard into ``out_dir`` (created if needed) and
    return the paths, in page order.  Images are ``width`` CSS pixels wide (height: the
    figure's own) at ``scale`` device pixels per CSS pixel, in the language ``lang``.
    Raises :class:`PngExportError` if kaleido or the browser is missing, and
    :class:`RuntimeError` if a figure fails to render."""
    kaleido = require_kaleido()
    figs = figures(results, lang)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"{stem}.png" for stem in _unique([s for s, _ in figs])]
    if not figs:
        return []
    jobs = [{"fig": fig, "path": path, "opts": {"format": "png", "width": width,
                                                "height": int(fig.layout.height or F.HEIGHT), "scale": scale}}
            for (_, fig), path in zip(figs, paths)]
    with tempfile.TemporaryDirectory(prefix="simsoins-png-") as tmp:
        _render(kaleido, jobs, kaleido.PageGenerator(mathjax=False, others=_page_scripts(Path(tmp), lang)))
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise RuntimeError(f"PNG export failed: {', '.join(missing)} not written")
    return paths


__all__ = ["PngExportError", "export_pngs", "figures", "require_kaleido"]
