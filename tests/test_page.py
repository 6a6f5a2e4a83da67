"""The page's frame: the « Limites et sources » section that closes it, and the stylesheet
(phone and print) moved to simsoins/dashboard/style.py.  How the page behaves in a browser
(phone width, print to PDF) is tested in tests/test_browser.py."""

from __future__ import annotations

import re
from html import escape

import pytest

from simsoins.dashboard.i18n import translator
from simsoins.dashboard.report import SECTIONS, build_html
from simsoins.dashboard.sources import LIMITS, SOURCES
from simsoins.dashboard.style import CSS
from tests.test_dashboard import synthetic


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    res = synthetic()
    return {lang: build_html(res, lang=lang) for lang in ("fr", "en")}


def _section(html: str, name: str) -> str:
    start = html.index(f'<section id="{name}">')
    return html[start:html.index("</section>", start)]


@pytest.mark.parametrize("lang, heading", [("fr", "Limites et sources"), ("en", "Limits and sources")])
def test_limits_and_sources_close_the_page(pages, lang, heading):
    html = pages[lang]
    assert SECTIONS[-1] == "sources" and SECTIONS[-2] == "configs"
    body = _section(html, "sources")
    assert f"<h2>{html.count('<section id=')}. {heading}</h2>" in body  # the last number of the page
    assert f'<a href="#sources">{heading}</a>' in html  # in the contents list
    # after every other section, right before the footer
    assert html.index('<section id="sources">') > max(html.index(f'<section id="{s}">') for s in SECTIONS[:-1]
                                                      if f'<section id="{s}">' in html)
    assert html.index("</section>", html.index('<section id="sources">')) < html.index("<footer>")
    t = translator(lang)
    assert body.count("<li>") == len(LIMITS)
    for key in LIMITS:
        assert escape(t("limit." + key)) in body
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", body)
    assert len(rows) == len(SOURCES)
    for what, source, year in rows:
        assert what and source and re.fullmatch(r"(19|20)\d\d(-(19|20)\d\d)?|—", year), (what, source, year)


def test_the_sources_name_the_data_and_their_years(pages):
    """The sources and years the territory and the calibration rest on (simsoins/data/france/README.md,
    docs/calibration-sources.md), and the known limits (docs/model.md §8–9, docs/calibration.md)."""
    body = _section(pages["fr"], "sources")
    table = body[body.index("<table>"):]
    for source, year in (("INSEE, populations légales", "2025"), ("IGN, Admin Express", "2018"),
                         ("Base permanente des équipements", "2020"), ("data.ameli.fr", "2024"),
                         ("poids de l&#x27;indicateur APL", "2023"), ("SAE 2022", "2022"), ("n° 1085", "2018"),
                         ("n° 1320", "2023"), ("CNAM", "2021")):
        row = next((r for r in table.split("<tr>") if source in r), None)
        assert row is not None and f"<td>{year}</td>" in row, (source, year)
    for limit in ("pyramide des âges par commune", "depuis 2022", "Loir-et-Cher", "4 jours simulés",
                  "≈ 83 simulées"):
        assert escape(limit) in body, limit


#: Every label of the section.
SECTION_KEYS = ("section.sources", "intro.sources", "sources.limits", "sources.data", "sources.col.what",
                "sources.col.source", "sources.col.year", "sources.more",
                *(f"limit.{k}" for k in LIMITS), *(f"source.{k}" for k in SOURCES))


@pytest.mark.parametrize("key", SECTION_KEYS)
def test_every_word_of_the_section_is_in_both_languages(key):
    fr, en = translator("fr"), translator("en")
    assert fr.has(key) and en.has(key), key
    if key != "sources.col.source":  # « Source » is the same word in both
        assert fr(key) != en(key), key
    if key.startswith("source."):
        assert fr(key).count("|") == en(key).count("|") == 2, key
        assert fr(key).rsplit("|", 1)[1] == en(key).rsplit("|", 1)[1]  # the same year


def test_the_stylesheet_is_the_page_s_and_prints_on_a4():
    html = build_html(synthetic(scenarios=("baseline",)))
    assert f"<style>{CSS}</style>" in html
    print_block = CSS[CSS.index("@media print"):]
    assert "@page{size:A4" in CSS
    for rule in ("nav,", ".modebar", ".updatemenu-container", "print-color-adjust:exact", "break-inside:avoid",
                 "a{color:inherit;text-decoration:none}"):
        assert rule in print_block, rule
    assert "@media (max-width:600px)" in CSS and "overflow-x:auto" in CSS
