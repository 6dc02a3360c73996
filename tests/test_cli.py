import json
import subprocess
import sys

import pytest
import yaml
from conftest import SCENARIOS, scenario_dict


def riskmodel(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "riskmodel.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd)


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(scenario_dict(options=[{"name": "none", "baseline": True},
                                                          {"name": "warm", "architecture": "warm_standby"}])))
    return path


def test_run_prints_the_option_comparison_and_writes_tables(scenario_file, tmp_path):
    out = riskmodel("run", scenario_file, "--trials", 3000, "--seed", 4, "--csv", tmp_path / "csv")
    assert out.returncode == 0, out.stderr
    for words in ("NPV mean", "ALE /yr", "1-in-100 loss", "Warm", "Recommended option: Warm"):  # names in words
        assert words in out.stdout
    assert (tmp_path / "csv" / "comparison.csv").exists() and (tmp_path / "csv" / "loss_exceedance.csv").exists()


def test_run_in_korean_labels_every_figure_in_korean():
    """kakao-2022 prints every part of the summary: services, buildings, a tiered option, the tolerance."""
    from riskmodel.present import labels

    out = riskmodel("run", "kakao-2022", "--trials", 1000, "--seed", 4, "--lang", "ko")
    assert out.returncode == 0, out.stderr
    for key in ("annual_cost", "npv_mean", "var_99", "p_npv_positive", "payback", "service"):
        assert labels.label(key, "ko") in out.stdout, key
    assert "권고안: " in out.stdout and "모의실험 1,000회" in out.stdout and "억 원" in out.stdout
    assert "등급별(1등급 액티브-액티브) 안은" in out.stdout and "단일 적용:" in out.stdout  # labels, not identifiers
    assert "status_quo_2022" not in out.stdout and "pangyo_site_loss" not in out.stdout
    for english in ("NPV mean", "1-in-100 loss", "Recommended", "Standard error", "trials ×", "mixes",
                    "uniform:", "annual cost", "expected downtime", "breached at", "within tolerance"):
        assert english not in out.stdout, english


def test_json_output_is_the_same_run(scenario_file, tmp_path):
    out = riskmodel("run", scenario_file, "--trials", 2000, "--seed", 4, "--json", tmp_path / "r.json")
    assert out.returncode == 0, out.stderr
    payload = json.loads((tmp_path / "r.json").read_text())
    assert payload["settings"]["trials"] == 2000 and "investment" in payload


BAD_FILES = {
    "low > high": ("threats", [{"name": "f", "scope": "site", "category": "facility", "rate": 1,
                                "duration_hours": {"pert": [9, 5, 3]}}], "threats[0].duration_hours"),
    "probability 1.5": ("impact", {"recovered_fraction": 1.5}, "impact.recovered_fraction"),
    "negative money": ("impact", {"fine": -1}, "impact.fine"),
    "unknown field": ("finanse", {}, "finanse"),
    "duplicate option": ("options", [{"name": "a", "baseline": True}, {"name": "a"}], "duplicate name"),
    "no baseline": ("options", [{"name": "a"}], "baseline"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_files_exit_2_with_one_clear_message(case, tmp_path):
    key, value, where = BAD_FILES[case]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(scenario_dict(**{key: value})))
    for command in ("run", "validate"):
        out = riskmodel(command, path, "--trials", 100) if command == "run" else riskmodel(command, path)
        assert out.returncode == 2
        assert where in out.stderr and "Traceback" not in out.stderr + out.stdout


@pytest.mark.parametrize("content", [b"name: [unclosed\n", b"name: x\ncurrency: USD\nimpact: {fine: .nan}\n",
                                     b"\x89PNG\r\n\x1a\n\x00\x00\xff", b"plain words"])
def test_files_that_are_not_scenarios(content, tmp_path):
    path = tmp_path / "x.yaml"
    path.write_bytes(content)
    out = riskmodel("validate", path)
    assert out.returncode == 2 and out.stderr.startswith("error:") and "Traceback" not in out.stderr


def test_missing_file_and_bad_flags(tmp_path):
    assert riskmodel("validate", tmp_path / "nope.yaml").returncode == 2
    out = riskmodel("run", tmp_path / "nope.yaml", "--trials", "lots")
    assert out.returncode == 2 and "not a whole number" in out.stderr


def test_shipped_scenarios_are_named_without_a_path(tmp_path):
    for name in sorted(p.stem for p in SCENARIOS.glob("*.yaml")):
        out = riskmodel("validate", name, cwd=tmp_path)
        assert out.returncode == 0 and out.stdout.startswith(f"{name}: valid"), out.stderr
    out = riskmodel("run", "online-retailer-usd", "--trials", 500, cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.rstrip().endswith("500 trials (fixed)"), out.stderr


def test_an_unknown_scenario_name_is_one_clear_line(tmp_path):
    out = riskmodel("run", "kakao-2023", cwd=tmp_path)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.startswith("error: kakao-2023: no such file") and "kakao-2022, online-retailer-usd" in out.stderr


def test_sensitivity_prints_the_tornado_evpi_and_break_even(capsys):
    from riskmodel.cli import main

    status = main(["sensitivity", str(SCENARIOS / "online-retailer-usd.yaml"), "--trials", "400", "--top", "3",
                   "--break-even", "threats[0].rate", "--sobol", "8"])
    out = capsys.readouterr().out
    assert status == 0
    assert "Tornado" in out and out.count(" → ") >= 6  # three inputs, two ends each
    assert "Expected value of perfect information" in out and "Break-even" in out
    assert out.count("first order") == 5


def test_sensitivity_takes_each_tornado_input_to_a_precision(capsys):
    from riskmodel.cli import main

    status = main(["sensitivity", str(SCENARIOS / "online-retailer-usd.yaml"), "--trials", "1000", "--top", "3",
                   "--tornado-precision", "2%", "--max-trials", "8000"])
    out = capsys.readouterr().out
    assert status == 0
    bars = [line for line in out.splitlines() if " → " in line]
    assert len(bars) == 3 and all(" ± " in line and " trials)" in line for line in bars)
    with pytest.raises(SystemExit) as refused:
        main(["sensitivity", str(SCENARIOS / "online-retailer-usd.yaml"), "--tornado-precision", "0"])
    assert refused.value.code == 2 and "not a precision from 0.1% to 50%" in capsys.readouterr().err


HUGE = "9" * 5_000
BAD_NUMBERS = [
    ("run", "--trials", "1e3", "not a whole number"),
    ("run", "--trials", "2.0", "not a whole number"),
    ("run", "--trials", "lots", "not a whole number"),
    ("run", "--trials", "1,0", "not a whole number"),  # a comma only groups thousands: 1,000
    ("run", "--trials", "١٢٣", "not a whole number"),  # digits, but not ASCII ones
    ("run", "--trials", " 5", "not a whole number"),
    ("run", "--trials", "0", "less than 1"),
    ("run", "--trials", "-5", "less than 1"),
    ("run", "--trials", "1_000_000_000_000", "more than 10,000,000"),
    ("run", "--trials", "1" * 41, "more than 10,000,000"),
    ("run", "--trials", HUGE, "more than 10,000,000"),
    ("run", "--trials", "-" + HUGE, "less than 1"),
    ("run", "--horizon", "1000", "more than 50"),
    ("run", "--horizon", "0", "less than 1"),
    ("run", "--seed", "-1", "less than 0"),
    ("run", "--seed", str(2**63), "more than 9,223,372,036,854,775,807"),
    ("run", "--workers", "0", "less than 1"),
    ("run", "--workers", "100000", "more than"),
    ("report", "--trials", "1e9", "not a whole number"),
    ("sensitivity", "--top", "101", "more than 100"),
    ("sensitivity", "--sobol", "100", "not a power of 2"),
    ("sensitivity", "--sobol", "2048", "more than 1,024"),
    ("sensitivity", "--trials", "nan", "not a whole number"),
    ("run", "--lang", "x" * 1_000, "invalid choice"),
]


@pytest.mark.parametrize("command, option, value, rule", BAD_NUMBERS, ids=lambda v: str(v)[:20])
def test_every_number_is_strict_and_bounded_in_one_short_line(command, option, value, rule, capsys):
    from riskmodel.cli import main

    argv = [command, "s.yaml", option, value] + (["--out", "r.html"] if command == "report" else [])
    with pytest.raises(SystemExit) as exit:
        main(argv)
    err = capsys.readouterr().err
    assert exit.value.code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"error: argument {option}: ") and rule in err, err
    assert len(err) < 400  # the value is quoted to ~80 characters, never echoed whole


@pytest.mark.parametrize("option, value, parsed", [
    ("--trials", "20_000", 20_000), ("--trials", "20,000", 20_000), ("--trials", "10000000", 10_000_000),
    ("--trials", "+7", 7), ("--horizon", "50", 50), ("--seed", str(2**63 - 1), 2**63 - 1), ("--seed", "0", 0),
    ("--trials", "0" * 30 + "5", 5),
])
def test_numbers_in_range_are_read_exactly(option, value, parsed):
    from riskmodel.cli import _parser

    args = _parser().parse_args(["run", "s.yaml", option, value])
    assert getattr(args, option[2:]) == parsed


def test_the_help_states_every_maximum():
    out = riskmodel("run", "--help").stdout + riskmodel("sensitivity", "--help").stdout
    for words in ("1 to 10,000,000", "years per trial, 1 to 50", "0 to 2^63 − 1", "1 to the number of CPUs",
                  "1 to 100", "a power of 2 from 2 to 1,024"):
        assert words in " ".join(out.split()), words


def test_a_41_digit_trial_count_is_one_line_from_the_command_line(scenario_file):
    out = riskmodel("run", scenario_file, "--trials", "1" * 41)
    assert out.returncode == 2 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "argument --trials" in out.stderr and "more than 10,000,000" in out.stderr


def test_a_bad_option_or_input_is_said_before_the_run(scenario_file, monkeypatch, capsys):
    from riskmodel import cli

    monkeypatch.setattr(cli, "simulate", lambda *a, **k: pytest.fail("ran before the arguments were checked"))
    assert cli.main(["sensitivity", str(scenario_file), "--option", "n" * 500]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --option 'nnn") and "not an option of this scenario (none, warm)" in err
    assert len(err) < 400
    assert cli.main(["sensitivity", str(scenario_file), "--break-even", "threats[9].rate"]) == 2
    assert "--break-even 'threats[9].rate': not an uncertain input" in capsys.readouterr().err


def test_run_with_a_precision_grows_until_it_is_met_and_says_so(scenario_file):
    out = riskmodel("run", scenario_file, "--precision", "2%", "--seed", 4, "--basis", "cash")
    assert out.returncode == 0, out.stderr
    last = out.stdout.rstrip().splitlines()[-1]
    assert "standard error" in last and "(target 2.00%)" in last and "the cap" not in last
    assert "Benefit is counted on the cash basis" in out.stdout


@pytest.mark.parametrize("args, words", [(["--precision", "1e-2"], "--precision: '1e-2' is not a precision"),
                                         (["--precision", "0%"], "is not a precision from 0.1% to 50%"),
                                         (["--max-trials", "5000"], "--max-trials: the cap of an adaptive run"),
                                         (["--basis", "profit"], "invalid choice: 'profit'")])
def test_bad_decision_arguments_are_one_clear_line(scenario_file, args, words):
    out = riskmodel("run", scenario_file, *args)
    assert out.returncode == 2 and words in out.stderr and "Traceback" not in out.stderr


def test_validate_prints_warnings_and_the_unsourced_count_and_strict_fails_on_them(scenario_file):
    out = riskmodel("validate", scenario_file)  # warm standby priced as a multiple of no infra cost
    assert out.returncode == 0 and "warning: services.business.infra_annual_cost: no infra cost" in out.stdout
    assert "inputs have no source" in out.stdout
    assert riskmodel("validate", scenario_file, "--strict").returncode == 1
