"""The Hydra entry point, run as a user runs it (a subprocess), on a short horizon."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHORT = ["territory=exemple", "run.replications=3", "run.horizon_days=60", "run.warmup_days=14", "run.jobs=2"]


def simsoins(*args, cwd=None):
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    return subprocess.run([sys.executable, "-m", "simsoins", *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=600)


@pytest.fixture(scope="module")
def cpts_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "cpts"
    # run from another directory: the configs must be found wherever the user stands
    res = simsoins("scenario=cpts", *SHORT, f"hydra.run.dir={out}", cwd=out.parent)
    assert res.returncode == 0, res.stderr
    return out, res


def test_scenario_run_prints_the_comparison_table(cpts_run):
    _, res = cpts_run
    header = next(line for line in res.stdout.splitlines() if line.startswith("Indicateur"))  # dashboard.lang=fr
    assert "baseline : moyenne [IC 95 %]" in header and "cpts : moyenne [IC 95 %]" in header
    assert "Différence [IC 95 %]" in header and header.endswith("id")
    assert any(line.endswith("  routine_wait_days_median") for line in res.stdout.splitlines())


def test_scenario_run_writes_the_contracted_files(cpts_run):
    out, _ = cpts_run
    for name in ("summary.csv", "kpis.parquet", "events.parquet", "dashboard.html", "manifest.json"):
        assert (out / name).is_file(), name
    summary = pd.read_csv(out / "summary.csv")
    assert {"scenario", "kpi", "unit", "mean", "ci_low", "ci_high", "n", "diff_mean", "diff_ci_low",
            "diff_ci_high"} <= set(summary.columns)
    assert set(summary["scenario"]) == {"baseline", "cpts"}
    assert summary.loc[summary["scenario"] == "baseline", "diff_mean"].isna().all()
    cp = summary[summary["scenario"] == "cpts"].set_index("kpi")
    assert cp["diff_mean"].notna().all() or cp["diff_mean"].isna().sum() < len(cp)
    # every KPI over the 3 replications, but the SAS's own: no SAS in these scenarios
    sas_own = summary["kpi"].isin(["sas_answer_minutes_mean", "sas_abandoned_share"])
    assert (summary.loc[~sas_own, "n"] == 3).all()
    assert (summary.loc[sas_own, "n"] == 0).all()
    kpis = pd.read_parquet(out / "kpis.parquet")
    assert list(kpis.columns) == ["scenario", "replication", "year", "kpi", "unit", "value"]
    assert kpis["year"].isna().all()  # a one-year run: the whole window's rows only
    assert len(kpis) == 2 * 3 * summary["kpi"].nunique()
    events = pd.read_parquet(out / "events.parquet")
    assert set(events["scenario"]) == {"baseline", "cpts"} and set(events["replication"]) == {0}
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["seed"] == 20261102
    assert {"simsoins", "simpy", "numpy", "pandas"} <= set(manifest["versions"])


def test_baseline_alone(tmp_path):
    res = simsoins("territory=exemple", "run.replications=2", "run.horizon_days=30", "run.warmup_days=7",
                   f"hydra.run.dir={tmp_path / 'b'}")
    assert res.returncode == 0, res.stderr
    summary = pd.read_csv(tmp_path / "b" / "summary.csv")
    assert set(summary["scenario"]) == {"baseline"}
    assert (tmp_path / "b" / "dashboard.html").is_file() and "dashboard.html" in res.stdout


def test_a_run_may_leave_its_dashboard_out(tmp_path):
    res = simsoins("territory=exemple", "run.replications=1", "run.horizon_days=14", "run.warmup_days=7",
                   "dashboard.write=false", f"hydra.run.dir={tmp_path / 'b'}")
    assert res.returncode == 0, res.stderr
    assert not (tmp_path / "b" / "dashboard.html").exists() and "dashboard.html" not in res.stdout
    assert (tmp_path / "b" / "summary.csv").is_file() and (tmp_path / "b" / "manifest.json").is_file()


@pytest.mark.parametrize("override, field", [
    ("run.replications=0", "run.replications"),
    ("run.warmup_days=400", "run.warmup_days"),
    ("pathways.tele_uptake=1.5", "pathways.tele_uptake"),
    ("scenario.levers.cpts.pool_share=-0.1", "levers.cpts.pool_share"),
    ("scenario.levers.cpts.area=[12345]", "scenario.levers.cpts.area"),
])
def test_bad_input_is_refused_in_one_line_with_exit_2(tmp_path, override, field):
    out = tmp_path / "bad"
    res = simsoins("territory=exemple", "scenario=cpts", override, f"hydra.run.dir={out}")
    assert res.returncode == 2, res.stderr
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and field in lines[0] and "Traceback" not in res.stderr
    assert not out.exists()


def test_a_sweep_compares_its_jobs_and_resumes_without_recomputing(tmp_path):
    sweep = tmp_path / "sweep"
    args = ["-m", "territory=exemple", "scenario=baseline,cpts", "run.replications=2", "run.horizon_days=30",
            "run.warmup_days=7", "run.jobs=1", f"hydra.sweep.dir={sweep}"]
    first = simsoins(*args)
    assert first.returncode == 0, first.stderr
    table = pd.read_parquet(sweep / "sweep_kpis.parquet")
    assert {"job", "scenario", "replication", "kpi", "unit", "value"} <= set(table.columns)
    assert set(table["scenario"]) == {"baseline", "cpts"}
    # each job ran only its own scenario; the sweep pairs them by replication
    assert set(pd.read_parquet(sweep / "1" / "kpis.parquet")["scenario"]) == {"cpts"}
    summary = pd.read_csv(sweep / "sweep_summary.csv")
    assert summary.loc[summary["scenario"] == "cpts", "diff_mean"].notna().any()
    assert (sweep / "dashboard.html").is_file()
    stamp = (sweep / "1" / "kpis.parquet").stat().st_mtime_ns
    # a killed job: remove its manifest; the same command redoes only that job
    (sweep / "0" / "manifest.json").unlink()
    second = simsoins(*args)
    assert second.returncode == 0, second.stderr
    assert "job 1 already complete" in second.stderr + second.stdout
    assert (sweep / "1" / "kpis.parquet").stat().st_mtime_ns == stamp
    assert (sweep / "0" / "manifest.json").is_file()


def test_the_multirun_flag_may_come_after_the_overrides(tmp_path):
    res = simsoins("territory=exemple", "scenario=baseline,cpts", "run.replications=1", "run.horizon_days=7",
                   "run.warmup_days=0", f"hydra.sweep.dir={tmp_path / 's'}", "-m")
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "s" / "sweep_kpis.parquet").is_file()


def test_scenario_combination_is_named_after_its_levers(tmp_path):
    res = simsoins("territory=exemple", "scenario=[cpts,teleconsultation]", "run.replications=2",
                   "run.horizon_days=30", "run.warmup_days=7", f"hydra.run.dir={tmp_path / 'c'}")
    assert res.returncode == 0, res.stderr
    assert set(pd.read_csv(tmp_path / "c" / "summary.csv")["scenario"]) == {"baseline", "cpts+teleconsultation"}


def test_help_describes_simsoins_with_the_commands_values():
    res = simsoins("territory=exemple", "run.replications=7", "--help")
    assert res.returncode == 0, res.stderr
    text = res.stdout
    assert text.startswith("simsoins — access to primary care") and "powered by Hydra" not in text
    # what it answers, its config groups with their options, the run settings, examples, results
    assert "Which levers shorten the wait for a GP" in text
    assert "scenario: assistants_medicaux, baseline, cpts" in text
    assert "territory: departement, exemple, loir_et_cher" in text
    assert "experiment: " in text and "+experiment=tous_les_leviers" in text
    for key in ("run.replications", "run.horizon_days", "run.warmup_days", "run.seed", "run.jobs", "run.event_log"):
        assert key in text, key
    assert "(now: 7)" in text and "(now: Val-Exemple" in text  # the values of this command
    assert "python -m simsoins scenario=cpts" in text and "python -m simsoins -m scenario=baseline,cpts" in text
    assert "outputs/DATE/TIME/" in text and "summary.csv" in text


def test_a_flag_among_the_overrides_is_hydras_usage_error(tmp_path):
    res = simsoins("territory=exemple", "-m", "scenario=baseline,cpts", f"hydra.sweep.dir={tmp_path / 's'}")
    assert res.returncode == 2 and "unrecognized arguments" in res.stderr.splitlines()[-1]
    assert not (tmp_path / "s").exists()


def test_a_sweep_is_checked_with_one_composition_per_group_option(monkeypatch):
    """Every swept key at its first value is composed once; each other value of a config
    key is checked on that config, each other option of a group composed: not the cross
    product of the swept values."""
    from simsoins.cli import checks

    composed = []
    real = checks.compose_config
    monkeypatch.setattr(checks, "compose_config", lambda ov: composed.append(ov) or real(ov))
    sweep = ["territory=exemple", "scenario=baseline,cpts,sas", "run.seed=1,2,3", "run.replications=1,2"]
    assert checks.refusal(sweep, multirun=True) is None
    assert composed == [["territory=exemple", "scenario=baseline", "run.seed=1", "run.replications=1"],
                        ["territory=exemple", "scenario=cpts", "run.seed=1", "run.replications=1"],
                        ["territory=exemple", "scenario=sas", "run.seed=1", "run.replications=1"]]


@pytest.mark.parametrize("overrides, message", [
    (["run.replications=1,0"], "run.replications = 0: must be ≥ 1"),
    (["pathways.tele_uptake=0.5,1.5"], "pathways.tele_uptake = 1.5"),
    (["scenario=baseline,nope"], "scenario=nope: unknown scenario; available: assistants_medicaux, baseline"),
    (["+run.foo=1,2"], "run.foo: unknown key"),
    (["run.start_date='2026-11-02','2026-11-03'"], "run.start_date = '2026-11-03': must be a Monday"),
])
def test_every_value_of_a_sweep_is_checked_before_it_starts(overrides, message):
    from simsoins.cli import refusal

    assert message in (refusal(["territory=exemple", *overrides], multirun=True) or "")


def test_a_good_sweep_passes_the_check():
    from simsoins.cli import refusal

    assert refusal(["territory=exemple", "scenario=glob(c*)", "run.seed=range(0,3)", "hydra.job.name=a,b"],
                   multirun=True) is None


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="peak memory is reset through Linux's /proc")
def test_the_peak_memory_a_run_records_is_its_own():
    """A sweep worker runs job after job: each job's manifest gives its own peak, not the
    worker's largest so far."""
    code = ("import numpy as np\n"
            "from simsoins.cli.job import peak_rss_mb, reset_peak_rss\n"
            "big = np.ones(50_000_000)\n"   # 400 MB touched
            "del big\n"
            "before = peak_rss_mb()\n"
            "reset_peak_rss()\n"
            "print(before, peak_rss_mb())\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    before, after = map(float, res.stdout.split())
    assert before > 400 and after < before - 300
