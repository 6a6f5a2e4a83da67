"""python -m simsoins.levers_report: the results section of docs/levers.md, written
between its markers and nowhere else."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from simsoins.tools.levers_report import BEGIN, END, write_section

ROOT = Path(__file__).resolve().parents[1]
AROUND = ("# Levers\n\nText before, kept.\n\n", "\n\n## After\n\nText after, kept.\n")


def _doc(tmp_path: Path, inside: str = "old table\n") -> Path:
    path = tmp_path / "levers.md"
    path.write_text(f"{AROUND[0]}{BEGIN}\n{inside}{END}{AROUND[1]}", encoding="utf-8")
    return path


def test_the_section_is_replaced_between_the_markers_only(tmp_path):
    path = _doc(tmp_path)
    write_section(path, "new | table")
    text = path.read_text(encoding="utf-8")
    assert text == f"{AROUND[0]}{BEGIN}\nnew | table\n{END}{AROUND[1]}"
    write_section(path, "again")  # idempotent: the markers stay, one of each
    assert text.replace("new | table", "again") == path.read_text(encoding="utf-8")


def test_a_file_without_the_markers_is_refused(tmp_path):
    path = tmp_path / "levers.md"
    path.write_text("no markers here\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        write_section(path, "x")
    assert exc.value.code == 2 and path.read_text(encoding="utf-8") == "no markers here\n"


def test_the_repository_page_has_the_markers():
    text = (ROOT / "docs" / "levers.md").read_text(encoding="utf-8")
    assert text.count(BEGIN) == 1 and text.count(END) == 1 and text.index(BEGIN) < text.index(END)


@pytest.mark.slow  # two small sweeps (19 jobs) on the synthetic territory: about a minute
def test_the_command_writes_doses_effects_and_the_ranking(tmp_path):
    path = _doc(tmp_path)
    res = subprocess.run([sys.executable, "-m", "simsoins.levers_report", "--replications", "2", "--horizon-days", "28",
                          "--warmup-days", "7", "--territory", "exemple", "--out", str(path),
                          "--work", str(tmp_path / "work"), "run.jobs=1"],
                         capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert res.returncode == 0, res.stderr[-2000:]
    text = path.read_text(encoding="utf-8")
    assert text.startswith(AROUND[0]) and text.endswith(AROUND[1])
    inside = text.split(BEGIN)[1].split(END)[0]
    assert "old table" not in inside
    for lever in ("cpts", "docteurs_juniors", "departs_retraite", "hopital_proximite"):
        assert f"`{lever}` (difference)" in inside
    rows = {m.group(1): m.group(2) for m in re.finditer(r"\| `(\w+)` \(difference\) \| ([^|]+) \|", inside)}
    assert rows["cpts"].strip().endswith("(organisational)")
    assert float(rows["departs_retraite"].split()[0]) < 0 < float(rows["docteurs_juniors"].split()[0])
    ranking = inside.split("Equal-dose ranking")[1]
    assert len(re.findall(r"^\| \d \| `", ranking, flags=re.M)) == 6  # the six capacity levers, ranked
    assert re.search(r"-?\d+\.\d+ \[-?\d+\.\d+, -?\d+\.\d+\]", inside)  # numbers with intervals
