"""Regenerate the dashboard screenshots of docs/img/ from a run of the current code.

    python scripts/screenshots.py            # activate the venv first (or run it with its python)
    python scripts/screenshots.py --out /tmp/img

It runs, on the small synthetic territory ``exemple`` (3 replications of 14 + 60 days):

(a) one scenario, ``scenario=cpts``, against the baseline: ``dashboard-cpts-LANG-WIDTH.png``;
(b) a sweep of three scenarios and the baseline,
    ``-m scenario=baseline,cpts,teleconsultation,assistants_medicaux``, whose comparison
    dashboard gives ``comparaison-LANG-WIDTH.png`` (from its ranking section down);

each page in French and English (``LANG`` = ``fr``, ``en``), at 1280 px (a laptop) and 420 px
(a phone) wide (``WIDTH``), :data:`HEIGHT` px of the page.  Needs headless Chromium
(Debian: ``apt-get install chromium``; another one with ``BROWSER_PATH``); ``pngquant``, if
installed, shrinks the images to a 256-colour palette (the page is flat colours and text);
without it they are reduced to 16 levels per channel here (:func:`posterize`).
About a minute on 2 cores; nothing is written into docs/img/ unless every image was made.
Exit status 2 when Chromium is missing, 1 when a run or a screenshot fails.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
#: The runs: small enough for a minute, long enough for every figure to have data.
RUN = ["territory=exemple", "run.replications=3", "run.horizon_days=60", "run.warmup_days=14", "run.jobs=1"]
#: A sweep's jobs run only the scenario they name: the baseline is one of them, the reference.
SWEEP = "scenario=baseline,cpts,teleconsultation,assistants_medicaux"
LANGS = ("fr", "en")
#: Window widths (CSS px): a laptop and a phone.
WIDTHS = (1280, 420)
#: The top of the page that is shot (CSS px): the header, the headline table and its sentences.
HEIGHT = 2400
#: Above this total the images make the repository heavy (bytes).
BUDGET = 3_000_000
BROWSER_TIMEOUT = 180  # seconds, wall clock, per Chromium call
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--no-default-browser-check", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-extensions", "--disable-dev-shm-usage", "--mute-audio", "--hide-scrollbars",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--virtual-time-budget=15000", "--force-device-scale-factor=1"]

#: The page to shoot in an iframe of the width shot (see :func:`screenshot`).
FRAME = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">
<iframe src="{src}" style="width:{width}px;height:{height}px;border:0;display:block"></iframe></body></html>"""


class Failure(Exception):
    """A step failed; the message says which, the status is the exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def find_chromium() -> str:
    """The Chromium executable (``$BROWSER_PATH`` first), or :class:`Failure` with status 2."""
    for cand in (os.environ.get("BROWSER_PATH"), "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if cand and Path(cand).is_file() and os.access(cand, os.X_OK):
            return cand
    raise Failure("Chromium not found (apt-get install chromium, or set BROWSER_PATH)", 2)


def _run(cmd: list[str], what: str, timeout: float = 900) -> None:
    """Run ``cmd`` from the repository's root (so its code is the one run); a failure
    raises :class:`Failure` with the end of its stderr."""
    try:
        res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failure(f"{what}: timed out after {timeout:.0f} s") from None
    if res.returncode != 0:
        raise Failure(f"{what} failed (exit status {res.returncode}):\n{res.stderr[-2000:]}")


def single_run(tmp: Path) -> dict[str, Path]:
    """(a): the CPTS scenario against the baseline; its French and English dashboards."""
    run = tmp / "run"
    _run([sys.executable, "-m", "simsoins", *RUN, "scenario=cpts", "dashboard.lang=fr", f"hydra.run.dir={run}"],
         "simulation (scenario=cpts)")
    en = tmp / "run-en" / "dashboard.html"
    _run([sys.executable, "-m", "simsoins.dashboard", str(run), "--lang", "en", "--out", str(en)],
         "English dashboard of the run")
    return {"fr": run / "dashboard.html", "en": en}


def sweep_run(tmp: Path) -> dict[str, Path]:
    """(b): the sweep of three scenarios; its comparison dashboards, French (written by the
    sweep) and English (the same comparison rebuilt in English)."""
    sweep = tmp / "sweep"
    _run([sys.executable, "-m", "simsoins", "-m", *RUN, SWEEP, "dashboard.lang=fr", f"hydra.sweep.dir={sweep}"],
         f"sweep ({SWEEP})")
    fr = tmp / "sweep-fr" / "dashboard.html"
    fr.parent.mkdir()
    shutil.copy(sweep / "dashboard.html", fr)
    code = ("import sys; from pathlib import Path; from simsoins.run.sweep import comparison; "
            "comparison(Path(sys.argv[1]), 'en')")
    _run([sys.executable, "-c", code, str(sweep)], "English comparison dashboard")
    return {"fr": fr, "en": sweep / "dashboard.html"}


def screenshot(browser: str, page: Path, png: Path, width: int, profile: Path, anchor: str = "") -> None:
    """The top :data:`HEIGHT` px of ``page`` (from its section ``anchor``, e.g. ``#ranking``)
    laid out ``width`` px wide, into ``png``.
    Headless Chromium's window is at least 500 px wide, so the page is shown in an iframe
    of that width (its own viewport: the phone stylesheet applies) and the window cropped."""
    frame = profile.with_name(profile.name + "-frame.html")
    frame.write_text(FRAME.format(src=page.as_uri() + anchor, width=width, height=HEIGHT), encoding="utf-8")
    cmd = [browser, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{HEIGHT}",
           f"--screenshot={png}", frame.as_uri()]
    _run(cmd, f"screenshot of {page.name} at {width} px", timeout=BROWSER_TIMEOUT)
    if not png.is_file() or png.stat().st_size == 0:
        raise Failure(f"screenshot of {page} at {width} px: no image written")


def _unfilter(raw: bytes, height: int, stride: int, bpp: int) -> np.ndarray:
    """The pixel bytes of a non-interlaced PNG's decompressed data (PNG filters undone)."""
    out = np.zeros((height, stride), dtype=np.uint8)
    prev = np.zeros(stride, dtype=np.int64)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = np.frombuffer(raw, np.uint8, stride, y * (stride + 1) + 1).astype(np.int64)
        if kind == 0:
            cur = line
        elif kind == 1:  # Sub: a running sum along the row, per channel
            cur = line.reshape(-1, bpp).cumsum(axis=0).reshape(-1) & 255
        elif kind == 2:  # Up
            cur = (line + prev) & 255
        else:  # Average, Paeth: each byte depends on the one left of it
            c, p = line.tolist(), prev.tolist()
            for i in range(stride):
                a, ul = (c[i - bpp], p[i - bpp]) if i >= bpp else (0, 0)
                if kind == 3:
                    c[i] = (c[i] + ((a + p[i]) >> 1)) & 255
                else:
                    pa, pb, pc = abs(p[i] - ul), abs(a - ul), abs(a + p[i] - 2 * ul)
                    c[i] = (c[i] + (a if pa <= pb and pa <= pc else p[i] if pb <= pc else ul)) & 255
            cur = np.array(c, dtype=np.int64)
        out[y], prev = cur, cur
    return out


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def posterize(png: Path) -> None:
    """Without pngquant: 16 levels per channel (4 bits; text and flat colours look the same)
    and the rows re-encoded with the Up filter at zlib level 9: about 40 % smaller."""
    b = png.read_bytes()
    pos, idat, head = 8, b"", b""
    while pos < len(b):
        n, kind = struct.unpack(">I4s", b[pos:pos + 8])
        head = b[pos + 8:pos + 8 + n] if kind == b"IHDR" else head
        idat += b[pos + 8:pos + 8 + n] if kind == b"IDAT" else b""
        pos += 12 + n
    width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", head)
    if depth != 8 or ctype not in (2, 6) or interlace:
        return  # not what Chromium writes: leave it
    bpp = 3 if ctype == 2 else 4
    px = _unfilter(zlib.decompress(idat), height, width * bpp, bpp)
    px = (px & 0xF0) | (px >> 4)
    up = np.vstack([px[:1], px[1:] - px[:-1]])  # uint8 arithmetic wraps modulo 256, as PNG's Up filter
    rows = b"".join((b"\x02" if y else b"\x00") + up[y].tobytes() for y in range(height))
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", head) + _chunk(b"IDAT", zlib.compress(rows, 9))
                    + _chunk(b"IEND", b""))


def shrink(png: Path) -> None:
    """A 256-colour palette with pngquant when it is installed; else :func:`posterize`."""
    tool = shutil.which("pngquant")
    if tool and subprocess.run([tool, "--quality=70-95", "--speed", "1", "--strip", "--force", "--output",
                                str(png), str(png)], check=False, capture_output=True).returncode == 0:
        return
    posterize(png)


#: Where each page's image starts: the single run's page at its top, the comparison at its
#: ranking (« Classement des scénarios »), what a comparison is read for.
ANCHORS = {"single": "", "comparison": "#ranking"}


def image_names() -> list[tuple[str, str, str, int]]:
    """(file name, page kind, language, width) of every image, in the order they are made."""
    return [(f"{stem}-{lang}-{width}.png", kind, lang, width)
            for kind, stem in (("single", "dashboard-cpts"), ("comparison", "comparaison"))
            for lang in LANGS for width in WIDTHS]


def make_all(out: Path, tmp: Path) -> list[Path]:
    """Run both simulations, shoot every image into ``tmp``, then move them into ``out``."""
    browser = find_chromium()
    pages = {"single": single_run(tmp), "comparison": sweep_run(tmp)}
    shots = tmp / "shots"
    shots.mkdir()
    for i, (name, kind, lang, width) in enumerate(image_names()):
        screenshot(browser, pages[kind][lang], shots / name, width, tmp / f"profile-{i}", ANCHORS[kind])
        shrink(shots / name)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, *_ in image_names():
        shutil.move(shots / name, out / name)
        written.append(out / name)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    ap = argparse.ArgumentParser(prog="python scripts/screenshots.py",
                                 description="Regenerate the dashboard screenshots of docs/img from fresh runs.")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img", metavar="DIR",
                    help="folder for the PNG files (default: docs/img of this repository)")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="simsoins-shots-") as tmp:
        try:
            written = make_all(args.out, Path(tmp))
        except Failure as e:
            print(f"screenshots.py: error: {e}", file=sys.stderr)
            return e.status
    total = sum(p.stat().st_size for p in written)
    for p in written:
        print(f"{p} ({p.stat().st_size // 1024} KB)")
    print(f"{len(written)} images, {total / 1e6:.1f} MB" + ("" if total <= BUDGET else
                                                            f" — over the {BUDGET / 1e6:.0f} MB budget"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
