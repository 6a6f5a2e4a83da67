"""The benchmark's pieces (python -m simsoins.bench): the reference and the scaled territories."""

import csv
import importlib.util
import math
import os
import time
from pathlib import Path

import numpy as np
import pytest

from simsoins.config.model import RunConfig
from simsoins.sim.replication import simulate
from simsoins.tools.bench import reference_mmc, scaled, scaled_plan
from simsoins.tools.workloads import MMcReference


def test_the_reference_runs_and_reports_a_rate():
    assert reference_mmc(customers=5_000) > 0


def test_the_reference_serves_every_customer_and_its_waits_follow_erlang_c():
    c, rho = 4, 0.8
    queue = MMcReference(customers=100_000, c=c, rho=rho, seed=3)
    queue.rate()
    assert queue.next == queue.customers and queue.busy == 0 and not queue.queue
    # Erlang C: mean wait in queue of an M/M/c with μ = 1
    a = rho * c
    tail = a ** c / math.factorial(c) / (1 - rho)
    p_wait = tail / (sum(a ** k / math.factorial(k) for k in range(c)) + tail)
    assert queue.waits / queue.customers == pytest.approx(p_wait / (c - a), rel=0.1)


def test_k_copies_carry_k_times_the_work_and_stay_apart(exemple, model):
    two = scaled(exemple, 2)
    assert two.n_communes == 2 * exemple.n_communes and two.n_clinicians == 2 * exemple.n_clinicians
    assert np.isclose(two.population.sum(), 2 * exemple.population.sum())
    n = exemple.n_communes
    # a copy's communes are far from the other copy's practices: no patient crosses over
    assert two.km_commune_practice[:n, len(exemple.practice_id):].min() > 1e5
    run = RunConfig(horizon_days=20, warmup_days=7, seed=5)
    one_log, two_log = simulate(exemple, model, run, 0).events, simulate(two, model, run, 0).events
    assert 1.9 < len(two_log) / len(one_log) < 2.1
    booked = two_log[two_log["provider"].between(0, two.n_clinicians - 1)]
    home = booked["commune"].cat.codes.to_numpy() // n  # 0 = first copy, 1 = second
    at = two.clinician_practice[booked["provider"].to_numpy()] // len(exemple.practice_id)
    assert (home == at).all() and set(home) == {0, 1}


def test_half_the_work_is_half_the_people_and_every_other_clinician(exemple):
    half = scaled(exemple, 0.5)
    assert np.isclose(half.population.sum(), exemple.population.sum() / 2)
    assert half.n_clinicians == (exemple.n_clinicians + 1) // 2


def test_copies_start_with_the_original_registrations(exemple, model):
    run = RunConfig(horizon_days=20, warmup_days=7, seed=5)
    one, three = scaled_plan(exemple, model, run), scaled_plan(scaled(exemple, 3), model, run, exemple, 3)
    n, m = exemple.n_communes, exemple.n_clinicians
    for j in range(3):  # each copy's block is the original's; nobody is registered across copies
        assert np.array_equal(three.panels[j * n:(j + 1) * n, j * m:(j + 1) * m], one.panels)
        assert np.array_equal(three.panel_cap[j * m:(j + 1) * m], one.panel_cap)
    assert three.panels.sum() == 3 * one.panels.sum()
    # drawn anew, the copies' registrations would differ from the original's
    assert not np.array_equal(scaled_plan(scaled(exemple, 3), model, run).panels, three.panels)


def test_a_departement_is_built_as_territory_departement_builds_it():
    from simsoins.tools.bench import _model_inputs

    lozere, _, _ = _model_inputs("48")
    assert lozere.population.sum() == 76_486 and lozere.n_clinicians == 48  # INSEE, data.ameli.fr (docs/france.md)


def test_a_bad_departement_code_stops_the_bench_before_any_run(capsys, monkeypatch):
    from simsoins.tools import bench

    monkeypatch.setattr(bench, "_model_inputs", lambda *a: pytest.fail("ran before checking the codes"))
    with pytest.raises(SystemExit) as stop:
        bench.main(["--departements", "48,99", "--no-scaling"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "--departements = '99'" in err and "2A, 2B" in err


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
                    reason="paired runs need 2 cores")
def test_paired_runs_time_two_checkouts_side_by_side(capsys):
    # benchmarks/paired.py reads the bench's inputs from each checkout: this one against itself
    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("paired", root / "benchmarks" / "paired.py")
    paired = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(paired)
    paired.main([str(root), str(root), "--pairs", "2", "--scale", "1", "--days", "2"])
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out[:2]] == ["pair 0", "pair 1"]
    mean = float(out[-1].split("mean ")[1].split()[0])
    assert 0.5 < mean < 2.0  # the same code on both sides


def test_the_history_takes_a_new_column_and_keeps_every_row_in_its_columns(tmp_path):
    from simsoins.tools.bench import record

    path = tmp_path / "history.csv"
    path.write_text("date,machine,days,ratio,cost_ratio_4x\n2026-11-23,x86_64 2 cores,365,0.2,4.5\n")
    record(path, {"date": "2026-11-29", "machine": "m", "days": 30, "ratio": "0.3", "cost_ratio_4x": "4.3",
                  "cost_ratio_4x_equal_length": "4.2"})
    record(path, {"date": "2026-11-30", "machine": "m", "days": 30, "ratio": "0.31"})  # --no-scaling
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["date", "machine", "days", "ratio", "cost_ratio_4x", "cost_ratio_4x_equal_length"]
    assert [r["cost_ratio_4x"] for r in rows] == ["4.5", "4.3", ""]
    assert [r["cost_ratio_4x_equal_length"] for r in rows] == ["", "4.2", ""]
    assert [r["ratio"] for r in rows] == ["0.2", "0.3", "0.31"]
    assert not (tmp_path / "history.csv.tmp").exists()


def test_each_measured_target_is_checked_against_its_limit():
    from simsoins.tools.bench import TARGETS, verdicts

    met = {"ratio": 0.31, "peak_rss_gb": 0.41, "cost_ratio_4x": 4.39, "cost_ratio_4x_equal_length": 4.4,
           "speedup_2_workers": 1.86}
    lines = verdicts(met)
    assert len(lines) == len(TARGETS) and all(line.endswith(": met") for line in lines)
    missed = verdicts({**met, "ratio": 0.24, "cost_ratio_4x": 4.52, "speedup_2_workers": 1.69})
    assert [line.endswith("NOT MET") for line in missed] == [True, False, True, False, True]
    assert "4.52, target ≤ 4.4" in missed[2]
    # a run without the scaling runs checks only what it measured
    alone = verdicts({"ratio": 0.3, "peak_rss_gb": 2.0, "speedup_2_workers": 1.8})
    assert len(alone) == 3 and alone[1].endswith("NOT MET")


def test_a_missing_history_folder_stops_the_bench_before_any_run(capsys, monkeypatch, tmp_path):
    from simsoins.tools import bench

    monkeypatch.setattr(bench, "_model_inputs", lambda *a: pytest.fail("ran before checking the history file"))
    with pytest.raises(SystemExit) as stop:
        bench.main(["--record", "--history", str(tmp_path / "nowhere" / "history.csv"), "--no-scaling"])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("python -m simsoins.bench: error: --history ")
    assert "does not exist" in err[0]


def test_a_run_prints_its_ratio_and_targets_and_records_the_columns_it_always_had(
        tmp_path, monkeypatch, capsys, exemple, model):
    import simsoins.run.workers
    from simsoins.tools import bench

    history = tmp_path / "history.csv"
    shipped = Path(__file__).resolve().parents[1] / "benchmarks" / "history.csv"
    history.write_text(shipped.read_text())
    with shipped.open(newline="") as fh:
        columns = next(csv.reader(fh))

    def timed(job):  # a run's cost: its requests (the population) at 100,000 requests per CPU second
        requests = int(job.territory.population.sum())
        return bench.Measure(cpu=requests / 1e5, wall=1.0, requests=requests, rss_mb=800.0, wait=4.0, plan_cpu=0.1)

    monkeypatch.setattr(bench, "_model_inputs", lambda *a: (exemple, model, RunConfig(horizon_days=20, warmup_days=7)))
    monkeypatch.setattr(bench, "_in_fresh_process", timed)
    monkeypatch.setattr(bench, "reference_mmc", lambda: 500_000.0)
    monkeypatch.setattr(simsoins.run.workers, "run_all", lambda *a, **k: time.sleep(0.01))
    assert bench.main(["--record", "--history", str(history), "--rounds", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("requests_per_s=100000 reference_per_s=500000 ratio=0.200 peak_rss_mb=800")
    assert "  model / reference rate: 0.20, target ≥ 0.25: NOT MET" in out
    assert "  4× the work, fastest run against fastest 1× run: 4.00, target ≤ 4.4: met" in out
    with history.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[-1]) == columns  # no new column, none renamed
    assert rows[-1]["ratio"] == "0.2" and rows[-1]["cost_ratio_2x"] == "2" and rows[-1]["days"] == "365"
