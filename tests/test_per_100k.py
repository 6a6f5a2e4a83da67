"""Doses per 100,000 inhabitants (simsoins/levers/per100k.py): a lever's ``per_100k`` gives
the same plan and books as the equivalent absolute size, on the synthetic territory
(16,300 inhabitants) and on Loir-et-Cher (328,543); giving the size twice or a dose out of
range is refused in one line; the resolved size is logged and recorded in scenarios.json,
the scenario's label and config view, and the dashboard's dose table."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml
from omegaconf import OmegaConf

from simsoins.cli import prepare
from simsoins.config.levers import Levers
from simsoins.config.model import ConfigError, RunConfig
from simsoins.config.schema import from_mapping, merge
from simsoins.levers import make_plan
from simsoins.levers.dose import offered_slots_per_week
from simsoins.levers.per100k import PER_100K_KEYS, half_up, resolve_lever, resolve_levers, sas_roster
from tests.conftest import CONFIGS, ROOT
from tests.test_configs_compose import composed

RUN = RunConfig(horizon_days=28, warmup_days=7, seed=11)
#: lever → (per_100k, its size on the synthetic territory, on Loir-et-Cher), worked by hand:
#: ⌊per_100k × population / 100,000 + 0.5⌋, a centre and a unit at least 1.
CASES = {
    "assistants_medicaux": (10.0, 2, 33),   # 1.63 → 2; 32.85 → 33
    "docteurs_juniors": (6.09, 1, 20),      # 0.99 → 1; 20.01 → 20
    "nouveau_centre": (1.22, 1, 4),         # 0.20 → 0, raised to 1; 4.01 → 4
    "hopital_proximite": (0.9, 1, 3),       # 0.15 → 0, raised to 1; 2.96 → 3
    "teleconsultation": (4.0, 1, 13),       # 0.65 → 1; 13.14 → 13
    "departs_retraite": (12.0, 2, 39),      # 1.96 → 2; 39.43 → 39
}
SHORT = ["territory=exemple", "run.replications=2", "run.horizon_days=28", "run.warmup_days=7", "run.jobs=1"]


def scenario_values(name: str) -> dict:
    """The lever's values in its scenario file (the size ``per_100k`` replaces included)."""
    return OmegaConf.to_container(OmegaConf.load(CONFIGS / "scenario" / f"{name}.yaml"))["levers"][name]


def with_lever(model, name: str, values: dict):
    base = OmegaConf.to_container(OmegaConf.load(CONFIGS / "config.yaml"))["levers"][name]
    lever = from_mapping(type(getattr(model.levers, name)), merge(base, values), f"levers.{name}")
    return dataclasses.replace(model, levers=dataclasses.replace(model.levers, **{name: lever}))


def same(a, b, path="plan") -> None:
    """Assert two plans (dataclasses, arrays, lists, dicts) are equal, naming the first difference."""
    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        assert type(a) is type(b), path
        for f in dataclasses.fields(a):
            same(getattr(a, f.name), getattr(b, f.name), f"{path}.{f.name}")
    elif isinstance(a, np.ndarray):
        assert a.shape == b.shape and np.array_equal(a, b, equal_nan=a.dtype.kind == "f"), path
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            same(a[k], b[k], f"{path}[{k}]")
    elif isinstance(a, (list, tuple)) and not hasattr(a, "_fields"):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    elif hasattr(a, "_fields"):  # named tuples holding arrays (Campaign)
        same(tuple(a), tuple(b), path)
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def test_rounding_is_half_up():
    assert [half_up(x) for x in (0.49, 0.5, 1.5, 2.5, 32.8543)] == [0, 1, 2, 3, 33]  # round() gives 0, 2, 2


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("where", ["exemple", "loir_et_cher"])
def test_per_100k_gives_the_plan_and_books_of_the_absolute_size(name, where, model, request):
    t = request.getfixturevalue(where)
    per, *sizes = CASES[name]
    size = sizes[where == "loir_et_cher"]
    key = PER_100K_KEYS[name]
    values = scenario_values(name)  # the file's absolute size stays: per_100k replaces it
    given = with_lever(model, name, {**values, "per_100k": per})
    levers, records = resolve_levers(given.levers, float(t.population.sum()))
    assert getattr(getattr(levers, name), key) == size and getattr(levers, name).per_100k is None
    assert [r.value for r in records] == [size]
    absolute = with_lever(model, name, {**values, key: size})
    assert levers == absolute.levers
    resolved = dataclasses.replace(given, levers=levers)
    plan = make_plan(t, resolved, RUN)
    same(plan, make_plan(t, absolute, RUN))
    if size != values[key]:  # the dose, not the file's size, made the plan
        with pytest.raises(AssertionError):
            same(plan, make_plan(t, with_lever(model, name, values), RUN))
    slots = offered_slots_per_week(t, resolved, RUN)
    assert slots == offered_slots_per_week(t, absolute, RUN)
    if name in ("docteurs_juniors", "nouveau_centre", "hopital_proximite", "assistants_medicaux"):
        # the size matters: the books differ from the baseline's, by more with a larger size
        assert slots > offered_slots_per_week(t, model, RUN)


def test_the_sas_roster_keeps_its_shape_and_stays_open(model, exemple, loir_et_cher):
    default = Levers().sas.regulators
    assert sas_roster(0.609, 328_543, default) == default  # 2 at the busiest hour, 1 at night
    assert sas_roster(0.609, 16_300, default) == (1.0,) * 24  # 0.10 → 0, kept open: 1 each hour
    assert sas_roster(0.609, 16_300, default, keep_open=False) == (0.0,) * 24
    assert sas_roster(3.0, 328_543, default) == (5.0,) * 8 + (10.0,) * 12 + (5.0,) * 4  # 9.86 → 10, 4.93 → 5
    on = with_lever(model, "sas", {**scenario_values("sas"), "per_100k": 0.609})
    for t, floored in ((loir_et_cher, False), (exemple, True)):
        levers, (rec,) = resolve_levers(on.levers, float(t.population.sum()))
        assert rec.floored is floored and levers.sas.regulators == rec.value
    levers, _ = resolve_levers(on.levers, float(loir_et_cher.population.sum()))
    assert levers == with_lever(model, "sas", scenario_values("sas")).levers  # Loir-et-Cher: the file's roster


def test_a_centre_and_a_unit_keep_at_least_one_doctor(model):
    rec = resolve_levers(with_lever(model, "hopital_proximite", {"enabled": True, "per_100k": 0.304}).levers,
                         76_486)[1][0]  # Lozère
    assert (rec.value, rec.floored) == (1, True) and "raised to 1" in rec.text()
    assert "0.304 per 100,000 inhabitants × 76,486 = 0.23" in rec.text()


def test_a_size_beyond_the_absolute_range_is_refused_naming_the_dose():
    lever = dataclasses.replace(Levers().teleconsultation, per_100k=100.0)
    with pytest.raises(ConfigError, match=r"^scenario\.levers\.teleconsultation\.per_100k = 100 gives "
                                          r"extra_slots_per_hour = 2,616 on 2,615,635 inhabitants: .* ≤ 1,000"):
        resolve_lever("teleconsultation", lever, 2_615_635, "scenario.levers")


def test_an_unresolved_dose_is_never_read_as_no_lever(model, exemple):
    given = with_lever(model, "assistants_medicaux", {"per_100k": 10.0})
    with pytest.raises(ConfigError, match=r"^scenario\.levers\.assistants_medicaux\.per_100k = 10: not resolved"):
        make_plan(exemple, given, RUN, "scenario.levers")


# ----------------------------------------------------------- the composed config


def test_per_100k_replaces_the_scenario_files_size():
    job = prepare(composed(["scenario=assistants_medicaux", "scenario.levers.assistants_medicaux.per_100k=10"]))
    assert job.models["assistants_medicaux"].levers.assistants_medicaux.count == 33  # not the file's 30
    assert job.labels["assistants_medicaux"] == ("assistants_medicaux — assistants_medicaux.count = 33 "
                                                 "(10 pour 100 000 habitants)")
    (rec,) = job.per_100k["assistants_medicaux"]
    assert rec["value"] == 33 and rec["population"] == 328_543 and job.per_100k["baseline"] == []
    assert rec["text"] == "assistants_medicaux.count = 33: 10 per 100,000 inhabitants × 328,543 = 32.85"


def test_the_baseline_levers_take_a_dose_too():
    """``levers.*.per_100k`` sizes the baseline's lever; a scenario that does not size it again inherits it."""
    job = prepare(composed(["levers.assistants_medicaux.per_100k=10", "scenario=cpts", "territory=exemple"]))
    assert [m.levers.assistants_medicaux.count for m in job.models.values()] == [2, 2]
    assert [[r["text"] for r in job.per_100k[sc]] for sc in job.models] == [
        ["assistants_medicaux.count = 2: 10 per 100,000 inhabitants × 16,300 = 1.63"]] * 2
    again = prepare(composed(["levers.assistants_medicaux.per_100k=10", "scenario=assistants_medicaux",
                              "scenario.levers.assistants_medicaux.count=3", "territory=exemple"]))
    assert [m.levers.assistants_medicaux.count for m in again.models.values()] == [2, 3]
    assert again.per_100k["assistants_medicaux"] == []


@pytest.mark.parametrize("overrides, message", [
    (["scenario.levers.assistants_medicaux.count=40", "scenario.levers.assistants_medicaux.per_100k=10"],
     "scenario.levers.assistants_medicaux.count = 40 and scenario.levers.assistants_medicaux.per_100k = 10: "
     "the size given twice; give one (per_100k replaces count = 30)"),
    (["+dose.target_share=0.01", "scenario.levers.assistants_medicaux.per_100k=10"],
     "dose.target_share = 0.01 and scenario.levers.assistants_medicaux.per_100k = 10: both size the lever"),
    (["+dose.per_100k.assistants_medicaux=9", "scenario.levers.assistants_medicaux.per_100k=10"],
     "dose.per_100k.assistants_medicaux = 9 and scenario.levers.assistants_medicaux.per_100k = 10: both give"),
    (["+dose.per_100k.medicobus=1"], "dose.per_100k.medicobus: not a lever sized per 100,000 inhabitants"),
    (["+dose.per_100k.assistants_medicaux=201"], "dose.per_100k.assistants_medicaux = 201: must be ≥ 0 and ≤ 200"),
    (["scenario.levers.assistants_medicaux.per_100k=-1"],
     "scenario.levers.assistants_medicaux.per_100k = -1.0: must be ≥ 0 and ≤ 200"),
])
def test_a_size_given_twice_or_out_of_range_is_refused(overrides, message):
    with pytest.raises(ConfigError) as err:
        prepare(composed(["scenario=assistants_medicaux", *overrides, "territory=exemple"]))
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


def test_the_dose_block_sizes_whichever_lever_the_scenario_switches_on():
    doses = ["+dose.per_100k.assistants_medicaux=9.13", "+dose.per_100k.docteurs_juniors=6.09"]
    combined = prepare(composed(["scenario=plan_combine", *doses]))
    levers = combined.models["plan_combine"].levers
    assert (levers.assistants_medicaux.count, levers.docteurs_juniors.count) == (30, 20)  # Loir-et-Cher: the files'
    assert [r["lever"] for r in combined.per_100k["plan_combine"]] == ["assistants_medicaux", "docteurs_juniors"]
    lozere = prepare(composed(["scenario=assistants_medicaux", "territory=departement", "territory.code=48", *doses]))
    assert lozere.models["assistants_medicaux"].levers.docteurs_juniors.count == 0  # not switched on
    assert lozere.models["assistants_medicaux"].levers.assistants_medicaux.count == 7  # 6.98
    assert prepare(composed(["scenario=baseline", *doses])).per_100k == {}


def test_the_france_lever_sweep_gives_loir_et_cher_its_files_sizes():
    study = yaml.safe_load((CONFIGS / "experiment" / "france_leviers.yaml").read_text(encoding="utf-8"))
    france = yaml.safe_load((CONFIGS / "experiment" / "france.yaml").read_text(encoding="utf-8"))
    params = study["hydra"]["sweeper"]["params"]
    assert params["territory.code"] == france["hydra"]["sweeper"]["params"]["territory.code"]
    assert set(study["dose"]["per_100k"]) == set(PER_100K_KEYS)
    for scenario in params["scenario"].split(","):
        job = prepare(composed([f"scenario={scenario}", "territory=departement", "territory.code=41",
                                *[f"+dose.per_100k.{k}={v}" for k, v in study["dose"]["per_100k"].items()]]),
                      compare=False)
        file = OmegaConf.to_container(OmegaConf.load(CONFIGS / "scenario" / f"{scenario}.yaml"))
        for name, values in (file.get("levers") or {}).items():
            key = PER_100K_KEYS.get(name)
            if key:
                got = getattr(getattr(job.models[scenario].levers, name), key)
                assert got == (tuple(map(float, values[key])) if name == "sas" else values[key]), (scenario, name)


# ----------------------------------------------------------- a run, as a user runs it


def simsoins(*args):
    env = {k: v for k, v in os.environ.items() if k != "SIMSOINS_CONFIG_DIR"}
    return subprocess.run([sys.executable, "-m", "simsoins", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=600)


@pytest.fixture(scope="module")
def per_100k_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("per100k") / "run"
    res = simsoins("scenario=assistants_medicaux", "scenario.levers.assistants_medicaux.per_100k=10", *SHORT,
                   f"hydra.run.dir={out}")
    assert res.returncode == 0, res.stderr
    return out


#: 10 × 16,300 / 100,000 = 1.63 → 2 assistants on the synthetic territory
RESOLVED = "assistants_medicaux.count = 2: 10 per 100,000 inhabitants × 16,300 = 1.63"


def test_a_run_per_100k_states_its_size(per_100k_run):
    """End to end: the resolved size in the log, scenarios.json, the config view and the dashboard."""
    out = per_100k_run
    info = json.loads((out / "scenarios.json").read_text(encoding="utf-8"))
    assert [r["text"] for r in info["per_100k"]["assistants_medicaux"]] == [RESOLVED]
    assert info["per_100k"]["baseline"] == []
    assert info["configs"]["assistants_medicaux"].startswith(f"# {RESOLVED}\n")
    assert "count: 2\n" in info["configs"]["assistants_medicaux"]
    assert RESOLVED in (out / "simsoins.log").read_text(encoding="utf-8")
    html = (out / "dashboard.html").read_text(encoding="utf-8")
    assert "assistants_medicaux.count = 2 : 10 pour 100 000 habitants × 16" in html
    summary = pd.read_csv(out / "summary.csv")
    dose = summary.loc[summary["scenario"] == "assistants_medicaux", "dose_slots_per_week"]
    assert (dose > 0).all()  # two GPs with an assistant add slots


@pytest.mark.slow
def test_a_run_per_100k_is_the_run_of_its_absolute_size(per_100k_run, tmp_path):
    """The same results, row for row, as ``count=2``; no per_100k record there."""
    absolute = tmp_path / "abs"
    res = simsoins("scenario=assistants_medicaux", "scenario.levers.assistants_medicaux.count=2", *SHORT,
                   f"hydra.run.dir={absolute}")
    assert res.returncode == 0, res.stderr
    for name in ("kpis.parquet", "events.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(per_100k_run / name), pd.read_parquet(absolute / name))
    assert "per_100k" not in json.loads((absolute / "scenarios.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("override, message", [
    ("scenario.levers.assistants_medicaux.per_100k=500", "scenario.levers.assistants_medicaux.per_100k = 500.0: "
                                                         "must be ≥ 0 and ≤ 200"),
    ("scenario.levers.assistants_medicaux.count=40 scenario.levers.assistants_medicaux.per_100k=10",
     "scenario.levers.assistants_medicaux.count = 40 and scenario.levers.assistants_medicaux.per_100k = 10"),
])
def test_the_command_refuses_a_bad_dose_in_one_line(tmp_path, override, message):
    out = tmp_path / "run"
    res = simsoins("scenario=assistants_medicaux", *override.split(), *SHORT, f"hydra.run.dir={out}")
    assert res.returncode == 2 and res.stderr.startswith(f"simsoins: error: {message}")
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    assert not out.exists()



@pytest.mark.slow
def test_a_france_sweep_gives_each_departement_its_own_size(tmp_path):
    """``+experiment=france_leviers`` on two départements: in each job the dose per 100,000
    becomes that département's size, and france_report reads the jobs."""
    out = tmp_path / "sweep"
    res = simsoins("-m", "+experiment=france_leviers", "territory.code=48,90", "scenario=baseline,assistants_medicaux",
                   "run.horizon_days=7", "run.warmup_days=0", "run.jobs=1", f"hydra.sweep.dir={out}")
    assert res.returncode == 0, res.stderr[-3000:]
    sizes = {}
    for job in sorted(p for p in out.iterdir() if p.name.isdigit()):
        info = json.loads((job / "scenarios.json").read_text(encoding="utf-8"))
        if info["order"] == ["assistants_medicaux"]:
            (rec,) = info["per_100k"]["assistants_medicaux"]
            population = pd.read_parquet(job / "communes.parquet")["population"].sum()
            assert rec["population"] == population and rec["per_100k"] == 9.13
            sizes[int(population)] = rec["value"]
    assert sizes and all(v == half_up(9.13 * p / 100_000) for p, v in sizes.items()) and len(set(sizes.values())) == 2
    assert sizes[76_486] == 7  # Lozère: 6.98
    subprocess.run([sys.executable, "-m", "simsoins.france_report", str(out)], cwd=ROOT, check=True,
                   capture_output=True)
    france = pd.read_csv(out / "france.csv", dtype={"code": str})
    assert sorted(zip(france["code"], france["scenario"])) == [("48", "assistants_medicaux"), ("48", "baseline"),
                                                               ("90", "assistants_medicaux"), ("90", "baseline")]
