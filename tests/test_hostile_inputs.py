"""Hostile or careless inputs, second round (issue #22, findings 4, 7 and 9): ids with
spaces, CSVs as Excel writes them, YAML numbers where codes are expected, absurd
populations, impossible doses and text a spreadsheet would run.  Each is refused with one
line naming the file (or field), the line and the value, or read as the planner meant it.
"""

from __future__ import annotations

import json

import pytest
from omegaconf import OmegaConf
from test_bad_input import CLINICIANS, COMMUNES, PRACTICES, files, put
from test_cli import simsoins as run_simsoins
from test_config import base_cfg

from simsoins.cli import prepare
from simsoins.cli.configs import plain
from simsoins.config.model import ConfigError
from simsoins.results.outputs import check_format


def refused(tmp_path, *mutations) -> str:
    """The one-line ConfigError that ``prepare`` raises on the base config mutated."""
    cfg = base_cfg()
    files()(cfg, tmp_path)
    for mutate in mutations:
        mutate(cfg, tmp_path)
    with pytest.raises(ConfigError) as err:
        prepare(cfg)
    message = str(err.value)
    assert "\n" not in message, message
    return message


def accepted(tmp_path, *mutations):
    cfg = base_cfg()
    files()(cfg, tmp_path)
    for mutate in mutations:
        mutate(cfg, tmp_path)
    return prepare(cfg)


def assert_names(message: str, *parts: str) -> None:
    for part in parts:
        assert part in message, message


# ----------------------------------------------------------------- 4. ids with spaces


def test_a_practice_id_repeated_with_a_trailing_space_is_a_duplicate(tmp_path):
    # line 5 of the file: header, three practices, then the repeat
    text = PRACTICES + "MSP-VB ,Autre MSP,99002,msp\n"
    message = refused(tmp_path, files(practices=text))
    assert_names(message, "territory.practices", "practices.csv", "row 5", "duplicate id 'MSP-VB'",
                 "already on row 2")


def test_a_clinician_id_repeated_with_a_trailing_space_is_a_duplicate(tmp_path):
    text = CLINICIANS + "E01 ,CAB-SE,gp,temps_plein,no\n"
    message = refused(tmp_path, files(clinicians=text))
    assert_names(message, "territory.clinicians", "clinicians.csv", "row 12", "duplicate id 'E01'")


def test_an_empty_clinician_id_is_refused(tmp_path):
    text = CLINICIANS.replace("E03,MSP-VB", " ,MSP-VB")
    message = refused(tmp_path, files(clinicians=text))
    assert_names(message, "territory.clinicians", "clinicians.csv", "column clinician_id", "row 4", "is empty")


def test_a_commune_code_with_a_trailing_space_is_the_code(tmp_path):
    job = accepted(tmp_path, files(communes=COMMUNES.replace("99001,Villebourg", "99001 ,Villebourg")))
    t = job.territory
    assert t.commune_code[0] == "99001"
    assert t.practice_commune[t.practice_index(["MSP-VB"], "x")[0]] == 0


def test_a_commune_repeated_with_a_trailing_space_is_a_duplicate(tmp_path):
    # once accepted, it crashed after the whole simulation ("Categorical categories must be unique")
    message = refused(tmp_path, files(communes=COMMUNES + "99001 ,Doublon,100,1.01,47.5\n"))
    assert_names(message, "territory.communes", "communes.csv", "row 8", "duplicate id '99001'", "already on row 3")


# ----------------------------------------------------------------- 7. silently accepted


def test_a_repeated_header_column_is_refused(tmp_path):
    text = COMMUNES.replace("code,name,population,lon,lat", "code,name,population,lon,lat,population")
    text = "\n".join(line + ",1" if line[:1].isdigit() else line for line in text.splitlines()) + "\n"
    message = refused(tmp_path, files(communes=text))
    assert_names(message, "territory.communes", "communes.csv", "row 2 (header)", "'population' appears twice")


@pytest.mark.parametrize("value, expected", [
    ("inf", "must be a number (finite)"),
    ("nan", "must be a number (finite)"),
    ("1e15", "≤ 10000000"),
    ("-10", "≥ 0"),
])
def test_an_impossible_population_is_refused_at_read(tmp_path, value, expected):
    message = refused(tmp_path, files(communes=COMMUNES.replace("Les Prés,1200", f"Les Prés,{value}")))
    assert_names(message, "territory.communes", "column population", "row 5", f"'{value}'", expected)


def test_the_population_bound_says_why(tmp_path):
    message = refused(tmp_path, files(communes=COMMUNES.replace("Les Prés,1200", "Les Prés,2e8")))
    assert_names(message, "at most 10 million", "Paris")


# ----------------------------------------------------------------- 9. messages that mislead


def test_a_bom_and_a_comment_line_keep_the_true_line(tmp_path):
    # the exemple's communes.csv begins with a comment; Excel adds a BOM: 'est' is on line 4
    text = "\ufeff" + COMMUNES.replace("1.080,47.540", "est,47.540")
    path = tmp_path / "communes.csv"
    message = refused(tmp_path, lambda cfg, tmp: path.write_bytes(text.encode("utf-8")))
    assert_names(message, "column lon", "row 4 = 'est'")


def test_comment_and_blank_lines_between_rows_are_counted(tmp_path):
    lines = COMMUNES.splitlines()
    text = "\n".join([*lines[:3], "", "# a note", *lines[3:]]).replace("Les Prés,1200", "Les Prés,x") + "\n"
    message = refused(tmp_path, files(communes=text))
    assert_names(message, "column population", "row 7 = 'x'")


def test_a_semicolon_separated_csv_is_named(tmp_path):
    text = "\n".join(line.replace(",", ";") for line in PRACTICES.splitlines()) + "\n"
    message = refused(tmp_path, files(practices=text))
    assert_names(message, "territory.practices", "practices.csv", "row 1 (header) is separated by ';'",
                 "délimité par des virgules")


def test_a_semicolon_csv_with_decimal_commas_is_named_as_such(tmp_path):
    # Excel (French): ';' between fields, ',' in decimals: not "row 3 has 3 fields"
    text = "\n".join(line.replace(",", ";").replace(".", ",") for line in COMMUNES.splitlines()) + "\n"
    message = refused(tmp_path, files(communes=text))
    assert_names(message, "communes.csv", "row 2 (header) is separated by ';'", "'.' as decimal separator")


def test_an_unquoted_comma_is_one_line_naming_the_row(tmp_path):
    text = PRACTICES.replace("Cabinet de Saint-Exemple", "Cabinet, Saint-Exemple")
    message = refused(tmp_path, files(practices=text))
    assert_names(message, "practices.csv", "row 3 has 5 fields", "the header (row 1) has 4", "quoted")


def test_a_quoted_comma_is_read(tmp_path):
    job = accepted(tmp_path, files(practices=PRACTICES.replace("Cabinet de Saint-Exemple",
                                                               '"Cabinet, Saint-Exemple"')))
    assert "Cabinet, Saint-Exemple" in job.territory.practice_name


def test_an_octal_commune_code_from_yaml_is_refused_with_a_hint(tmp_path):
    # what Hydra gives for `commune: 01001` written without quotes (YAML 1.1 octal)
    value = OmegaConf.to_container(OmegaConf.create("commune: 01001"))["commune"]
    assert value == 513
    message = refused(tmp_path, put("territory.er_sites", [{"name": "Urgences", "commune": value}]))
    assert_names(message, "territory.er_sites[0].commune = 513", "01001", "in quotes")
    assert "'513'" not in message


def test_an_octal_commune_code_in_a_scenario_is_refused(tmp_path):
    cfg_levers = {"cpts": {"enabled": True, "area": ["99001", 513]}}

    def scenario(cfg, tmp):
        cfg["scenario"] = {"name": "essai", "levers": cfg_levers}

    message = refused(tmp_path, scenario)
    assert_names(message, "scenario.levers.cpts.area[1] = 513", "in quotes")


def test_a_five_digit_code_written_without_quotes_is_still_read():
    from simsoins.config.schema import _to_str

    assert _to_str("territory.er_sites[0].commune", 41018) == "41018"
    assert _to_str("scenario.name", 7) == "7"  # not a code: as before


def test_a_results_format_written_as_text_is_said_so(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({"status": "complete", "results_format": "1"}))
    with pytest.raises(ValueError) as err:
        check_format(tmp_path)
    assert "results_format = '1' is not a format number" in str(err.value)
    (tmp_path / "manifest.json").write_text(json.dumps({"status": "complete", "results_format": 99}))
    with pytest.raises(ValueError, match="format 99, written by a newer simsoins"):
        check_format(tmp_path)


def test_an_unresolved_interpolation_names_its_field():
    cfg = OmegaConf.create({"scenario": {"name": "x", "label": "${nope.x}"}})
    with pytest.raises(ConfigError, match=r"^scenario\.label: its interpolation \$\{\.\.\.\} does not resolve"):
        plain(cfg)


def test_more_departures_than_clinicians_are_refused(tmp_path):
    message = refused(tmp_path, put("scenario", {"name": "essai", "levers": {"departs_retraite": {"count": 11}}}))
    assert_names(message, "scenario.levers.departs_retraite.count = 11", "10 clinicians", "at most 10")


def test_all_the_clinicians_may_leave(tmp_path):
    accepted(tmp_path, put("scenario", {"name": "essai", "levers": {"departs_retraite": {"count": 10}}}))


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)"])
def test_a_scenario_name_a_spreadsheet_would_run_is_refused(tmp_path, name):
    message = refused(tmp_path, put("scenario", {"name": name, "levers": {}}))
    assert_names(message, f"scenario.name = {name!r}", "formula")


def test_the_command_line_refuses_a_padded_duplicate_in_one_line(tmp_path):
    practices = tmp_path / "practices.csv"
    practices.write_text(PRACTICES + "MSP-VB ,Autre MSP,99002,msp\n", encoding="utf-8")
    res = run_simsoins("territory=exemple", f"territory.practices={practices}", f"hydra.run.dir={tmp_path / 'run'}")
    lines = [line for line in res.stderr.splitlines() if line.strip()]
    assert res.returncode == 2 and len(lines) == 1, res.stderr
    assert_names(lines[0], "simsoins: error: territory.practices", str(practices), "row 5", "'MSP-VB'")
