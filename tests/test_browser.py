"""The dashboard in a real browser: headless Chromium renders every figure without a
JavaScript error, offline; a screenshot is a real picture; the PNG export works.

Chromium is driven with the standard library only (``--dump-dom`` and ``--screenshot``
of the command-line headless mode, no selenium/playwright).  A copy of the page gets a
tiny error collector injected at the top of ``<head>``: it records uncaught errors,
failed resource loads, unhandled promise rejections and ``console.error``/``warn`` into
``<div id="js-errors">``, so the dumped DOM shows them.  DNS is disabled
(``--host-resolver-rules``): the page must work offline.

Skipped when Chromium is absent (``/usr/bin/chromium``, or ``$BROWSER_PATH``); CI
installs it with ``.ci/install-browser``.  The PNG export test also needs kaleido
(``pip install -e ".[png]"``).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import zlib
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _find_chromium() -> str | None:
    for cand in (os.environ.get("BROWSER_PATH"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if cand and Path(cand).is_file() and os.access(cand, os.X_OK):
            return cand
    return None


CHROMIUM = _find_chromium()
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium not found (/usr/bin/chromium): install the Debian package "
                             "'chromium' (CI: .ci/install-browser) to run the browser tests")
#: One run of the small synthetic territory, as a user would type it.
RUN_ARGS = ["territory=exemple", "scenario=cpts", "run.replications=3", "run.horizon_days=60",
            "run.warmup_days=14"]
#: Every section with figures must have at least one rendered figure (div id ``fig-SECTION-i``).
FIGURE_SECTIONS = ("routine", "acute", "er", "time", "equity", "capacity")
#: Short month names of plotly's date ticks (the French ones come from the locale registered in the page).
MONTHS = {"fr": ("Janv.", "Févr.", "Mars", "Avr.", "Mai", "Juin", "Juil.", "Août", "Sept.", "Oct.", "Nov.", "Déc."),
          "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")}
BROWSER_TIMEOUT = 180  # seconds, wall clock, per Chromium invocation (virtual time is 15 s)
#: The sweep behind the comparison page: its jobs run only the scenario they name, so the
#: baseline is one of them (the reference); two scenarios besides it make a comparison.
SWEEP_ARGS = ["-m", *[a for a in RUN_ARGS if not a.startswith("scenario=")], "run.jobs=1",
              "scenario=baseline,cpts,teleconsultation"]
#: A laptop's and a phone's window width (CSS px), as scripts/screenshots.py shoots them.
WIDTHS = (1280, 420)

COLLECTOR = """<script>/* injected by tests/test_browser.py */(function(){
var errs=[];
function show(){if(!document.body)return;var d=document.getElementById('js-errors');
if(!d){d=document.createElement('div');d.id='js-errors';document.body.appendChild(d);}
d.setAttribute('data-count',String(errs.length));d.textContent=errs.join('\\n');}
function add(m){errs.push(String(m));show();}
function str(a){return Array.prototype.map.call(a,function(x){return x&&x.stack?x.stack:String(x);}).join(' ');}
window.addEventListener('error',function(e){var t=e.target;
if(t&&t!==window&&t.tagName){add('resource failed: <'+t.tagName.toLowerCase()+'> '+(t.src||t.href||''));}
else{add('error: '+e.message+' at '+(e.filename||'')+':'+(e.lineno||'')
+(e.error&&e.error.stack?'\\n'+e.error.stack:''));}},true);
window.addEventListener('unhandledrejection',function(e){var r=e.reason;
add('unhandled rejection: '+(r&&r.stack?r.stack:r));});
var ce=console.error,cw=console.warn;
console.error=function(){add('console.error: '+str(arguments));return ce.apply(console,arguments);};
console.warn=function(){add('console.warn: '+str(arguments));return cw.apply(console,arguments);};
document.addEventListener('DOMContentLoaded',show);
window.addEventListener('load',function(){show();document.body.setAttribute('data-loaded','1');});
})();</script>"""

#: Once the page is drawn, its width as laid out: ``data-scroll-width`` (the widest of the
#: document and the body) and ``data-window-width`` on ``<body>``; ``data-wide`` names up to
#: five elements reaching past the window's right edge (to say what overflows).
WIDTH_PROBE = """<script>/* injected by tests/test_browser.py */window.addEventListener('load',function(){
setTimeout(function(){var b=document.body,w=window.innerWidth,wide=[];
var sw=Math.max(document.documentElement.scrollWidth,b.scrollWidth);
Array.prototype.forEach.call(b.querySelectorAll('*'),function(e){var r=e.getBoundingClientRect();
if(r.right>w+1&&wide.length<5){wide.push(e.tagName.toLowerCase()+(e.id?'#'+e.id:'')+' '+Math.round(r.right));}});
b.setAttribute('data-scroll-width',String(sw));b.setAttribute('data-window-width',String(w));
b.setAttribute('data-wide',wide.join(', '));},1000);});</script>"""

#: Headless Chromium's window is at least 500 px wide: a narrower viewport is an iframe of
#: that width in a wrapper page, which copies the framed page's DOM, once drawn, into a
#: ``<textarea>`` that ``--dump-dom`` then shows (with ``--allow-file-access-from-files``,
#: file:// pages may read each other).
FRAME = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe id="f" src="{src}" style="width:{width}px;height:{height}px;border:0;display:block"></iframe>
<textarea id="inner"></textarea><script>document.getElementById('f').addEventListener('load',function(){{
setTimeout(function(){{document.getElementById('inner').textContent=
document.getElementById('f').contentDocument.documentElement.outerHTML;}},2000);}});</script></body></html>"""


# --------------------------------------------------------------------------- helpers

def _run(cmd: list[str], *, timeout: float, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``cmd`` in its own process group; on timeout kill that group (Chromium forks).
    ``simsoins`` is imported from this checkout whatever ``cwd`` is (``PYTHONPATH``)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            env=env)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        pytest.fail(f"timed out after {timeout} s: {' '.join(cmd[:3])} …\n{err.decode(errors='replace')[-3000:]}")
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def _chromium(args: list[str], page: Path, profile: Path) -> subprocess.CompletedProcess:
    """Headless Chromium on ``page`` with a fresh profile, no network, 15 s of virtual time."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
           "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars",
           "--host-resolver-rules=MAP * ~NOTFOUND", f"--user-data-dir={profile}",
           "--virtual-time-budget=15000", "--enable-logging=stderr", "--v=0", *args, page.as_uri()]
    res = _run(cmd, timeout=BROWSER_TIMEOUT)
    assert res.returncode == 0, f"chromium exit status {res.returncode}:\n{res.stderr.decode(errors='replace')[-3000:]}"
    return res


def _with_collector(src: Path, dst: Path, extra: str = "") -> Path:
    """Copy of the page with :data:`COLLECTOR` (then ``extra``) as the first script of ``<head>``."""
    html = src.read_text(encoding="utf-8")
    anchor = '<meta charset="utf-8">'
    at = html.find(anchor)
    at = at + len(anchor) if at >= 0 else html.index("<head>") + len("<head>")
    dst.write_text(html[:at] + COLLECTOR + extra + html[at:], encoding="utf-8")
    return dst


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Dom(HTMLParser):
    """What the tests need from a dumped DOM: each ``.plotly-graph-div`` (its classes, the
    classes of its descendants, its x tick labels), the error collector's text, and
    whether any « données non disponibles » note is shown."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, set[str]]] = []
        self.figs: dict[str, dict] = {}
        self.errors: str | None = None
        self.error_count: int | None = None
        self.loaded = False
        self.missing = 0
        self.html_lang = None
        self.body: dict[str, str | None] = {}
        self._fig: str | None = None
        self._fig_depth = 0
        self._in_errors = False
        self._tick_depth: int | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = set((a.get("class") or "").split())
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "body":
            self.body = a
            self.loaded = a.get("data-loaded") == "1"
        if "missing" in cls:
            self.missing += 1
        if "plotly-graph-div" in cls:
            self._fig, self._fig_depth = a.get("id") or f"fig{len(self.figs)}", len(self.stack)
            self.figs[self._fig] = {"classes": cls, "inner": set(), "xticks": []}
        elif self._fig is not None:
            self.figs[self._fig]["inner"] |= cls
            if "xtick" in cls and self._tick_depth is None:
                self._tick_depth = len(self.stack)
                self.figs[self._fig]["xticks"].append("")
        if a.get("id") == "js-errors":
            self._in_errors, self.errors = True, ""
            self.error_count = int(a.get("data-count", "-1"))
        if tag not in VOID:
            self.stack.append((tag, cls))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in VOID or not any(t == tag for t, _ in self.stack):
            return
        while self.stack:
            t, _ = self.stack.pop()
            depth = len(self.stack)
            if self._tick_depth is not None and depth <= self._tick_depth:
                self._tick_depth = None
            if self._fig is not None and depth <= self._fig_depth:
                self._fig = None
            if self._in_errors and t == "div":
                self._in_errors = False
            if t == tag:
                break

    def handle_data(self, data):
        if self._in_errors:
            self.errors += data
        if self._fig is not None and self._tick_depth is not None:
            self.figs[self._fig]["xticks"][-1] += data


def parse_dom(text: str) -> _Dom:
    p = _Dom()
    p.feed(text)
    p.close()
    return p


def read_png(path: Path) -> dict:
    """Validate a PNG (signature, chunk CRCs, IHDR, zlib stream of the right length) and
    measure it: ``width``, ``height``, ``size`` in bytes and ``content_rows``, the share of
    rows that are not one flat colour (after PNG filtering a flat row is a single repeated
    byte value, or zeros)."""
    b = path.read_bytes()
    assert b[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: not a PNG"
    pos, chunks, idat = 8, [], b""
    while pos < len(b):
        n, typ = struct.unpack(">I4s", b[pos:pos + 8])
        data = b[pos + 8:pos + 8 + n]
        (crc,) = struct.unpack(">I", b[pos + 8 + n:pos + 12 + n])
        assert zlib.crc32(typ + data) & 0xFFFFFFFF == crc, f"{path}: bad CRC in {typ!r}"
        chunks.append(typ)
        idat += data if typ == b"IDAT" else b""
        pos += 12 + n
    assert chunks[0] == b"IHDR" and chunks[-1] == b"IEND", f"{path}: chunks {chunks[:3]}…{chunks[-2:]}"
    w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", b[16:29])
    assert depth == 8 and ctype in (0, 2, 4, 6) and interlace == 0, f"{path}: unexpected PNG format"
    bpp = {0: 1, 2: 3, 4: 2, 6: 4}[ctype]
    raw = zlib.decompress(idat)
    stride = 1 + w * bpp
    assert len(raw) == h * stride, f"{path}: image data of {len(raw)} bytes for {w}x{h}"
    content = sum(len(set(raw[i * stride + 1 + bpp:(i + 1) * stride])) > 1 for i in range(h))
    return {"width": w, "height": h, "size": len(b), "content_rows": content / h}


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    """A real run directory: the simulation CLI on the small synthetic territory (~10 s)."""
    base = tmp_path_factory.mktemp("browser")
    out = base / "run"
    res = _run([sys.executable, "-m", "simsoins", *RUN_ARGS, f"hydra.run.dir={out}"], cwd=base, timeout=900)
    assert res.returncode == 0, res.stderr.decode(errors="replace")[-3000:]
    assert (out / "dashboard.html").is_file()
    return out


@pytest.fixture(scope="module")
def dashboards(run_dir, tmp_path_factory) -> dict[str, Path]:
    """The French dashboard written by the run and the English one rebuilt by the CLI."""
    en = tmp_path_factory.mktemp("en") / "dashboard-en.html"
    res = _run([sys.executable, "-m", "simsoins.dashboard", str(run_dir), "--lang", "en", "--out", str(en)],
               timeout=300)
    assert res.returncode == 0, res.stderr.decode(errors="replace")
    return {"fr": run_dir / "dashboard.html", "en": en}


@pytest.fixture(scope="module")
def comparison_dashboards(tmp_path_factory) -> dict[str, Path]:
    """The comparison page of a sweep of three jobs (baseline, cpts, teleconsultation) on the
    synthetic territory: French as the sweep writes it, English rebuilt from the same jobs
    (``simsoins.run.sweep.comparison``), as scripts/screenshots.py does (~20 s)."""
    base = tmp_path_factory.mktemp("sweep")
    sweep = base / "sweep"
    res = _run([sys.executable, "-m", "simsoins", *SWEEP_ARGS, f"hydra.sweep.dir={sweep}"], cwd=base, timeout=900)
    assert res.returncode == 0, res.stderr.decode(errors="replace")[-3000:]
    fr = base / "fr" / "dashboard.html"
    fr.parent.mkdir()
    shutil.copy(sweep / "dashboard.html", fr)
    code = "import sys; from pathlib import Path; from simsoins.run.sweep import comparison; " \
           "comparison(Path(sys.argv[1]), 'en')"
    res = _run([sys.executable, "-c", code, str(sweep)], timeout=300)
    assert res.returncode == 0, res.stderr.decode(errors="replace")[-3000:]
    return {"fr": fr, "en": sweep / "dashboard.html"}


# --------------------------------------------------------------------------- tests

@needs_chromium
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_figure_renders_without_js_error(dashboards, lang, tmp_path):
    src = dashboards[lang]
    expected = re.findall(r'<div id="(fig-[\w-]+)" class="plotly-graph-div"', src.read_text(encoding="utf-8"))
    assert {e.rsplit("-", 1)[0][4:] for e in expected} >= set(FIGURE_SECTIONS), expected
    page = _with_collector(src, tmp_path / "page.html")
    res = _chromium(["--dump-dom"], page, tmp_path / "profile")
    stderr = res.stderr.decode(errors="replace")
    dom = parse_dom(res.stdout.decode("utf-8"))

    # the collector ran (so JavaScript ran) and saw nothing
    assert dom.loaded, "the page's load event never fired"
    assert dom.error_count == 0 and not dom.errors, f"JavaScript errors in the page:\n{dom.errors}"
    uncaught = [line for line in stderr.splitlines() if "Uncaught" in line or ":ERROR:CONSOLE" in line]
    assert not uncaught, "\n".join(uncaught)

    # every figure div was rendered by plotly, with at least one drawn trace
    assert sorted(dom.figs) == sorted(expected)
    for fid, fig in dom.figs.items():
        assert "js-plotly-plot" in fig["classes"], f"{fid}: not initialised by plotly"
        assert "main-svg" in fig["inner"], f"{fid}: no <svg class=main-svg>"
        assert fig["inner"] & {"trace", "sankey"}, f"{fid}: no trace drawn"
    assert "updatemenu-container" in dom.figs["fig-equity-1"]["inner"], "the map's scenario dropdown is missing"

    # the page is complete and in the right language, dates included (plotly locale)
    assert dom.missing == 0, "a section says « données non disponibles »"
    assert dom.html_lang == lang
    ticks = [t for fid, f in dom.figs.items() if fid.startswith(("fig-er-", "fig-time-")) for t in f["xticks"]]
    assert any(t.startswith(MONTHS[lang]) for t in ticks), f"no {lang} month in the date ticks: {ticks}"
    other = MONTHS["en" if lang == "fr" else "fr"]
    assert not any(t.split()[0] in other and t.split()[0] not in MONTHS[lang] for t in ticks if t), ticks


@needs_chromium
def test_screenshot_is_a_real_picture(dashboards, tmp_path):
    shot = tmp_path / "dashboard.png"
    _chromium(["--window-size=1280,4000", "--force-device-scale-factor=1", f"--screenshot={shot}"],
              dashboards["fr"], tmp_path / "profile")
    png = read_png(shot)
    assert (png["width"], png["height"]) == (1280, 4000), png
    # a blank or error page is a few kB of flat rows; the dashboard has text and figures down the page
    assert png["size"] > 100_000, png
    assert png["content_rows"] > 0.4, png


def _kaleido_missing() -> str | None:
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return "kaleido not installed (pip install -e '.[png]')"
    return None


@needs_chromium
@pytest.mark.skipif(_kaleido_missing() is not None, reason=str(_kaleido_missing()))
def test_png_export_of_every_figure(run_dir, dashboards, tmp_path):
    out = tmp_path / "dash" / "dashboard.html"
    res = _run([sys.executable, "-m", "simsoins.dashboard", str(run_dir), "--out", str(out), "--png"],
               timeout=600)
    assert res.returncode == 0, res.stderr.decode(errors="replace")[-3000:]
    assert out.is_file()
    pngs = sorted((out.parent / "figures").glob("*.png"))
    n_divs = len(re.findall(r'class="plotly-graph-div"', dashboards["fr"].read_text(encoding="utf-8")))
    # one file per figure of the page, plus, for each of the two commune maps (waits and
    # accessibility), one more per scenario other than the baseline
    assert len(pngs) == n_divs + 2, [p.name for p in pngs]
    assert sum("access-map" in p.name for p in pngs) == 2, [p.name for p in pngs]
    assert any("map" in p.name and "cpts" in p.name for p in pngs), [p.name for p in pngs]
    for p in pngs:
        png = read_png(p)
        assert png["width"] >= 1000 and png["height"] >= 400, (p.name, png)
        assert png["content_rows"] > 0.2, (p.name, png)


def test_png_export_without_kaleido_is_one_clear_error(run_dir, tmp_path):
    """No kaleido: exit status 2 and one line saying what to install; nothing written."""
    code = ("import sys; sys.modules['kaleido'] = None\n"
            "from simsoins.dashboard.__main__ import main\n"
            f"sys.exit(main([{str(run_dir)!r}, '--png', '--out', {str(tmp_path / 'd.html')!r}]))")
    res = _run([sys.executable, "-c", code], timeout=300)
    err = res.stderr.decode(errors="replace").strip()
    assert res.returncode == 2, err
    assert len(err.splitlines()) == 1 and "kaleido" in err and "png" in err, err
    assert not (tmp_path / "d.html").exists() and not (tmp_path / "figures").exists()


def _framed(page: Path, dst: Path, width: int, height: int = 2400) -> Path:
    """A wrapper page showing ``page`` in a ``width`` × ``height`` px iframe (:data:`FRAME`)."""
    dst.write_text(FRAME.format(src=page.as_uri(), width=width, height=height), encoding="utf-8")
    return dst


def _framed_dom(dump: str) -> _Dom:
    """The framed page's DOM out of the wrapper's dumped DOM."""
    m = re.search(r'<textarea id="inner">(.*?)</textarea>', dump, re.S)
    assert m and m.group(1), "the framed page's DOM was not copied (did it load?)"
    return parse_dom(unescape(m.group(1)))


def _page_cases() -> list:
    """(page, language, width) of the evidence; one in the default run, the others slow
    (the sweep behind the comparison page alone takes ~20 s)."""
    fast = {("single", "fr", 420)}
    return [pytest.param(kind, lang, width, marks=() if (kind, lang, width) in fast else pytest.mark.slow,
                         id=f"{kind}-{lang}-{width}")
            for kind in ("single", "comparison") for lang in ("fr", "en") for width in WIDTHS]


@needs_chromium
@pytest.mark.parametrize("kind, lang, width", _page_cases())
def test_page_at_laptop_and_phone_width(kind, lang, width, request, tmp_path):
    """A single-scenario page and a sweep's comparison page, French and English, in a
    window 1280 or 420 px wide: no JavaScript error, every figure drawn, nothing wider
    than the window (no sideways scrolling on a phone), and the screenshot is a picture."""
    pages = request.getfixturevalue("dashboards" if kind == "single" else "comparison_dashboards")
    src = pages[lang]
    html = src.read_text(encoding="utf-8")
    expected = re.findall(r'<div id="(fig-[\w-]+)" class="plotly-graph-div"', html)
    assert len(expected) >= len(FIGURE_SECTIONS), expected
    assert html.count('class="sw"') >= (2 if kind == "single" else 3)  # the scenarios listed in the header
    page = _with_collector(src, tmp_path / "page.html", WIDTH_PROBE)
    wrapper = _framed(page, tmp_path / "frame.html", width)
    res = _chromium(["--dump-dom", "--allow-file-access-from-files", f"--window-size={max(width, 500)},2400"],
                    wrapper, tmp_path / "profile")
    dom = _framed_dom(res.stdout.decode("utf-8"))
    assert dom.loaded and dom.error_count == 0 and not dom.errors, f"JavaScript errors:\n{dom.errors}"
    assert dom.html_lang == lang and dom.missing == 0
    assert sorted(dom.figs) == sorted(expected)
    for fid, fig in dom.figs.items():
        assert "js-plotly-plot" in fig["classes"] and "main-svg" in fig["inner"], f"{fid}: not drawn"
        assert fig["inner"] & {"trace", "sankey"}, f"{fid}: no trace drawn"
    assert int(dom.body["data-window-width"] or 0) == width, dom.body
    assert int(dom.body["data-scroll-width"] or 0) <= width, f"wider than the window: {dom.body.get('data-wide')}"

    shot = tmp_path / "shot.png"
    _chromium([f"--window-size={width},2400", "--force-device-scale-factor=1", f"--screenshot={shot}"],
              _framed(src, tmp_path / "frame-shot.html", width), tmp_path / "profile-shot")
    png = read_png(shot)
    assert (png["width"], png["height"]) == (width, 2400), png
    # text and tables down the whole height: a blank or error page is a few kB of flat rows
    assert png["size"] > 40 * width and png["content_rows"] > 0.4, png


def _pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height (pt) of each page of a PDF as Chromium writes it (MediaBox per page)."""
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return [(float(w), float(h)) for w, h in boxes]


@needs_chromium
def test_print_to_pdf_gives_a4_pages_without_the_navigation(dashboards, tmp_path):
    """« Imprimer en PDF »: A4 pages, the whole page printed, and the contents list (the
    page's only links) left out, so the PDF has no link annotation."""
    pdf = tmp_path / "out.pdf"
    _chromium(["--no-pdf-header-footer", "--window-size=1600,1200", f"--print-to-pdf={pdf}"], dashboards["fr"],
              tmp_path / "profile")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-"), data[:20]
    pages = _pdf_pages(data)
    assert all(abs(w - 595.3) < 2 and abs(h - 841.9) < 2 for w, h in pages), pages[:3]  # A4: 210 × 297 mm
    assert len(pages) >= 6, len(pages)  # eight sections with figures and tables: not one clipped page
    assert b"/Link" not in data, "the contents list (links) is printed"


#: Fires ``beforeprint`` once the page is drawn, then writes the widest figure's width (px)
#: into ``<body data-print-width>``, and after ``afterprint`` into ``data-screen-width``.
PRINT_PROBE = """<script>/* injected by tests/test_browser.py */window.addEventListener('load',function(){
function widest(){var w=0;document.querySelectorAll('.js-plotly-plot .main-svg').forEach(function(s){
w=Math.max(w,s.getBoundingClientRect().width);});return String(Math.round(w));}
setTimeout(function(){window.dispatchEvent(new Event('beforeprint'));setTimeout(function(){
document.body.setAttribute('data-print-width',widest());window.dispatchEvent(new Event('afterprint'));
setTimeout(function(){document.body.setAttribute('data-screen-width',widest());},500);},500);},1000);});</script>"""


@needs_chromium
def test_figures_are_redrawn_at_the_paper_width_for_printing(dashboards, tmp_path):
    """Printed from a wide window, plotly's figures would keep the window's width and be cut
    at the paper's edge: before printing they are redrawn at A4's width, after it at the
    window's again."""
    from simsoins.dashboard.style import PRINT_WIDTH

    page = _with_collector(dashboards["fr"], tmp_path / "page.html", PRINT_PROBE)
    res = _chromium(["--dump-dom", "--window-size=1600,1200"], page, tmp_path / "profile")
    dom = parse_dom(res.stdout.decode("utf-8"))
    assert dom.loaded and dom.error_count == 0, dom.errors
    assert 0 < int(dom.body["data-print-width"] or 0) <= PRINT_WIDTH, dom.body
    assert int(dom.body["data-screen-width"] or 0) > PRINT_WIDTH + 200, dom.body  # the 1150-px column again
