"""The calibration fit: its loss, and the procedure end to end on the small territory."""

from __future__ import annotations

import pandas as pd
import pytest

from simsoins.tools.calibrate import FIT_TARGETS, PARAMETERS, loss, main
from simsoins.tools.validate import TARGETS


def at_targets() -> dict[str, float]:
    kpis = {tg.kpi: 123.0 for tg in TARGETS}  # held-out KPIs: any value
    kpis.update({tg.kpi: tg.value for tg in FIT_TARGETS})
    return kpis


def test_loss_is_zero_at_the_targets_and_ignores_held_out_kpis():
    k = at_targets()
    assert loss(k) == 0.0
    fit_kpis = {tg.kpi for tg in FIT_TARGETS}
    held_out = [tg.kpi for tg in TARGETS if tg.kpi not in fit_kpis]
    assert held_out, "some targets must stay out of the fit"
    assert loss({**k, **dict.fromkeys(held_out, -1000000000.0)}) == 0.0


def test_loss_counts_half_widths_and_one_sided_bounds():
    for tg in FIT_TARGETS:
        k = at_targets()
        k[tg.kpi] = tg.value + tg.half_width
        assert loss(k) == pytest.approx(1.0)
        k[tg.kpi] = tg.value - 2 * tg.half_width
        assert loss(k) == pytest.approx(0.0 if tg.side == "below" else 4.0)


def test_fit_end_to_end_on_the_small_territory(tmp_path):
    main(["--fit-days", "21", "--max-evals", "3", "--replications", "2", "--out", str(tmp_path),
          "territory=exemple", "run.warmup_days=14", "run.horizon_days=28"])
    rows = pd.read_csv(tmp_path / "fit.csv")
    n_grid = 1
    for p in PARAMETERS:
        n_grid *= len(p.grid)
    assert (rows["stage"] == "grid").sum() == n_grid and (rows["stage"] == "default").sum() == 1
    assert 1 <= (rows["stage"] == "nelder-mead").sum() <= 4
    # every parameter reaches the model: varying it alone changes what is simulated
    grid = rows[rows["stage"] == "grid"]
    kpi_cols = [tg.kpi for tg in TARGETS]
    for p in PARAMETERS:
        others = [q.key for q in PARAMETERS if q is not p]
        assert any(g[kpi_cols].round(12).drop_duplicates().shape[0] > 1 for _, g in grid.groupby(others)), p.key
    best = rows.loc[rows["loss"].idxmin()]
    fitted = dict(line.split("=") for line in (tmp_path / "fitted_overrides.txt").read_text().split())
    for p in PARAMETERS:
        assert p.low <= float(fitted[p.key]) <= p.high
        assert float(fitted[p.key]) == pytest.approx(best[p.key], rel=1e-3)
    # the recorded loss is the loss of the recorded KPIs
    for r in rows.itertuples():
        assert r.loss == pytest.approx(loss({tg.kpi: getattr(r, tg.kpi) for tg in FIT_TARGETS}))
    text = (tmp_path / "fit.md").read_text()
    for tg in TARGETS:
        assert f"`{tg.kpi}`" in text
    assert "out-of-sample" in text and "current defaults" in text


@pytest.mark.parametrize("module", ["calibrate", "validate"])
@pytest.mark.parametrize("args, says", [
    (["territory=nope"], "territory=nope: unknown territory; available:"),
    (["run.horizon_days=-3"], "run.horizon_days = -3: must be ≥ 1"),
    (["--replications", "1"], "'1': must be a whole number ≥ 2"),
])
def test_bad_input_is_one_line_and_exit_2(module, args, says, tmp_path, capsys):
    import importlib

    main_of = importlib.import_module(f"simsoins.{module}").main
    with pytest.raises(SystemExit) as exit_:
        main_of([*args, "--out", str(tmp_path / "out")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert says in err[-1] and f"python -m simsoins.{module}: error:" in err[-1]
    assert not (tmp_path / "out").exists()
