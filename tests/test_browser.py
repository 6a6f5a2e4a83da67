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


# --------------------------------------------------------------------------- helpers

def _run(cmd: list[str], *, timeout: float, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run ``cmd`` in its own process group; on timeout kill that group (Chromium forks)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's code, whatever the current directory
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
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


def _with_collector(src: Path, dst: Path) -> Path:
    """Copy of the page with :data:`COLLECTOR` as the first script of ``<head>``."""
    html = src.read_text(encoding="utf-8")
    anchor = '<meta charset="utf-8">'
    at = html.find(anchor)
    at = at + len(anchor) if at >= 0 else html.index("<head>") + len("<head>")
    dst.write_text(html[:at] + COLLECTOR + html[at:], encoding="utf-8")
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
        self._fig: str | None = None
        self._fig_depth = 0
        self._in_errors = False
        self._tick_depth: int | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = set((a.get("class") or "").split())
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "body" and a.get("data-loaded") == "1":
            self.loaded = True
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
