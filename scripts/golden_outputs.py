"""Fingerprints of the event logs and KPI tables of every scenario, to show that a change
of code leaves the model's results byte for byte the same.

    python scripts/golden_outputs.py record golden.json   # before the change
    python scripts/golden_outputs.py check golden.json    # after: exit 1 on any difference

Each (territory, seed) is one sweep ``python -m simsoins -m scenario=…`` over every
scenario of ``configs/scenario/``, with every replication's event log kept; each job's
fingerprint is the SHA-256 of its ``events.parquet`` and ``kpis.parquet``.  ``--quick``
shortens the runs (a smoke check).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = (20261102, 7)
TERRITORIES = ("loir_et_cher", "exemple")
FILES = ("events.parquet", "kpis.parquet")


def scenarios() -> list[str]:
    return sorted(p.stem for p in (ROOT / "configs" / "scenario").glob("*.yaml"))


def fingerprints(territory: str, seed: int, quick: bool, work: Path) -> dict[str, dict[str, str]]:
    out = work / f"{territory}-{seed}"
    names = scenarios()
    args = [sys.executable, "-m", "simsoins", "-m", f"territory={territory}", f"scenario={','.join(names)}",
            f"run.seed={seed}", "run.replications=2", "run.event_log=all", "run.jobs=2",
            f"hydra.sweep.dir={out}"]
    if quick:
        args += ["run.horizon_days=28", "run.warmup_days=7"]
    subprocess.run(args, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return {f"{territory}/{seed}/{sc}": {f: hashlib.sha256((out / str(i) / f).read_bytes()).hexdigest() for f in FILES}
            for i, sc in enumerate(names)}


def collect(quick: bool) -> dict[str, dict[str, str]]:
    prints = {}
    with tempfile.TemporaryDirectory() as tmp:
        for territory in TERRITORIES:
            for seed in SEEDS:
                for key, hashes in fingerprints(territory, seed, quick, Path(tmp)).items():
                    prints[key] = hashes
                    print(key, *(h[:12] for h in hashes.values()), flush=True)
    return prints


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=("record", "check"))
    ap.add_argument("file", type=Path)
    ap.add_argument("--quick", action="store_true", help="28-day runs after 7 days of warm-up")
    a = ap.parse_args()
    prints = collect(a.quick)
    if a.action == "record":
        a.file.write_text(json.dumps(prints, indent=1, sort_keys=True))
        return 0
    old = json.loads(a.file.read_text())
    differ = sorted(k for k in old.keys() | prints.keys() if old.get(k) != prints.get(k))
    for k in differ:
        print(f"differs: {k}")
    print(f"{len(prints) - len(differ)} of {len(prints)} runs identical")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
