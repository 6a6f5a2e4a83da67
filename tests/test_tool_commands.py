"""The commands around the model (dashboard, validate, calibrate, bench, france_report) share
one shape: ``python -m simsoins.NAME``, a one-sentence description, help on every option,
and a user error as one line on stderr with exit status 2."""

from __future__ import annotations

import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: command → the module holding its ``parser()``
COMMANDS = {"dashboard": "simsoins.dashboard.__main__", "validate": "simsoins.tools.validate",
            "calibrate": "simsoins.tools.calibrate", "bench": "simsoins.tools.bench",
            "france_report": "simsoins.tools.france_report"}
#: command → arguments it must refuse, and a word of the one-line message
BAD_INPUT = {"dashboard": (["/nonexistent/run"], "/nonexistent/run"),
             "validate": (["territory=nope"], "territory=nope"),
             "calibrate": (["--max-evals", "-1"], "--max-evals"),
             "bench": (["--departements", "99"], "--departements"),
             "france_report": (["/nonexistent/sweep"], "/nonexistent/sweep")}


def command(name: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    return subprocess.run([sys.executable, "-m", f"simsoins.{name}", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)


def entries(help_text: str) -> list[tuple[str, str]]:
    """(invocation, help) of each argument listed by ``--help``: an entry is a line indented
    by two spaces; its help follows after two spaces or on the more indented lines below."""
    lines = help_text.splitlines()
    out = []
    for i, line in enumerate(lines):
        if not re.match(r"^  \S", line):
            continue
        invocation, _, text = line.strip().partition("  ")
        j = i + 1
        while j < len(lines) and re.match(r"^ {3,}\S", lines[j]):
            text += " " + lines[j].strip()
            j += 1
        out.append((invocation, text.strip()))
    return out


@pytest.mark.parametrize("name", COMMANDS)
def test_help_names_the_command_and_explains_every_option(name):
    res = command(name, "--help")
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith(f"usage: python -m simsoins.{name} ")
    listed = entries(res.stdout)
    assert any(inv.startswith("-h, --help") for inv, _ in listed)
    bare = [inv for inv, text in listed if not text]
    assert not bare, f"options without help: {bare}"
    ap = importlib.import_module(COMMANDS[name]).parser()
    assert ap.prog == f"python -m simsoins.{name}"
    # one sentence: a capital, a full stop at the end and none inside
    assert re.fullmatch(r"[A-Z][^.]*(\.[^ .][^.]*)*\.", ap.description), ap.description
    documented = {opt for inv, _ in listed for opt in re.findall(r"--[\w-]+", inv)}
    declared = {opt for action in ap._actions for opt in action.option_strings if opt.startswith("--")}
    assert documented == declared


@pytest.mark.parametrize("name", COMMANDS)
def test_bad_input_is_one_line_on_stderr_and_exit_status_2(name):
    args, says = BAD_INPUT[name]
    res = command(name, *args)
    assert res.returncode == 2, res.stderr
    err = res.stderr.strip().splitlines()
    last = err[-1]
    assert says in last and f"python -m simsoins.{name}: error:" in last
    # one line, or argparse's own usage (its first line, then indented ones) then its error
    usage = err[:-1]
    assert not usage or (usage[0].startswith("usage: ") and all(u.startswith(" ") for u in usage[1:])), res.stderr
