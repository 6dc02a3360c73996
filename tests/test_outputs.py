"""Safe outputs: the spreadsheet rule, the checks before a run, and kills at every step of a write."""

import contextlib
import csv
import io
import json
import os
import pathlib
import re
import shutil
import signal
import sys
import tempfile
import time

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml
from conftest import SCENARIOS, make, scenario_dict
from hypothesis import given
from hypothesis import strategies as st

from riskmodel import appraise, cli, outputs, simulate
from riskmodel.outputs import MANIFEST, neutral_frame, neutralise, quote_path
from riskmodel.report import write_workbook

#: OWASP's CSV-injection rule: text starting with these is read as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EVIL = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil","x")', "+1+1", "@SUM(A1)", "-2+3", "\tTAB", "\rCR"]


def evil_scenario() -> dict:
    """A scenario whose every kind of user string (names, sources, descriptions) would start a formula."""
    threats = [{"name": name, "scope": "site", "category": "facility", "rate": {"value": 0.3, "source": name},
                "duration_hours": {"ci90": [2, 40], "source": name}} for name in EVIL]
    options = [{"name": EVIL[0], "baseline": True}] + [{"name": name, "architecture": "warm_standby",
                                                        "description": name} for name in EVIL[1:3]]
    # infrastructure that costs money, so the options' capital shows as negative cash flows
    return scenario_dict(name=EVIL[1], description=EVIL[2], threats=threats, options=options,
                         infra_annual_cost=3.0e6)


def assert_inert(value, where):
    """A spreadsheet value that is a number, or text no spreadsheet reads as a formula."""
    if isinstance(value, str):
        assert not value.startswith(FORMULA_STARTS), (where, value)


# --- the rule ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", EVIL + ["-5", "=1", "@"])
def test_text_that_would_start_a_formula_gets_a_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-5, -5.0, np.float64(-2.5), 0, None, True, "fire", "'=already quoted", "a=b", ""])
def test_numbers_and_plain_text_are_left_alone(value):
    assert neutralise(value) is value


@given(st.text())
def test_neutralised_text_never_starts_a_formula_and_keeps_every_character(text):
    out = neutralise(text)
    assert not out.startswith(FORMULA_STARTS)
    assert out == text if not text.startswith(FORMULA_STARTS) else out == "'" + text


def test_a_frame_is_neutralised_in_cells_labels_and_level_names_and_numbers_stay_numbers():
    index = pd.MultiIndex.from_tuples([("=a", "s"), ("b", "+c")], names=["option", "@level"])
    table = pd.DataFrame({"-x [USD]": [-5.0, 2.0], "name": ["=1+1", "ok"]}, index=index)
    out = neutral_frame(table)
    assert out.index.tolist() == [("'=a", "s"), ("b", "'+c")] and out.index.names == ["option", "'@level"]
    assert out.columns.tolist() == ["'-x [USD]", "name"] and out["name"].tolist() == ["'=1+1", "ok"]
    assert out["'-x [USD]"].dtype == float and out["'-x [USD]"].tolist() == [-5.0, 2.0]
    assert table.index[0] == ("=a", "s")  # a copy: the appraisal's own tables keep their names


# --- no formula reaches a spreadsheet ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def evil_result():
    return appraise(simulate(make(**evil_scenario()), trials=200, seed=3))


@pytest.mark.parametrize("to", ["download", "file"])
def test_no_formula_reaches_the_workbook(evil_result, tmp_path, to):
    if to == "download":  # what the app does
        target = io.BytesIO()
        write_workbook(evil_result, target)
        target.seek(0)
    else:
        target = write_workbook(evil_result, tmp_path / "case.xlsx")
    book = openpyxl.load_workbook(target)
    texts, negatives = set(), 0
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                assert_inert(cell.value, (ws.title, cell.coordinate))
                if isinstance(cell.value, str):
                    texts.add(cell.value)
                negatives += isinstance(cell.value, (int, float)) and cell.value < 0
    # every hostile string is still there, as text (XML reads a CR as a line feed), and negative numbers
    # (capital spent) stay numbers
    assert all(any(t.startswith("'" + e.replace("\r", "\n")) for t in texts) for e in EVIL), sorted(texts)[:20]
    assert negatives > 0


def test_no_formula_reaches_the_csv_tables(tmp_path, capsys):
    path = tmp_path / "evil.yaml"
    path.write_text(yaml.safe_dump(evil_scenario()), encoding="utf-8")
    assert cli.main(["run", str(path), "--trials", "200", "--csv", str(tmp_path / "csv")]) == 0
    fields, negatives = [], 0
    for table in sorted((tmp_path / "csv").glob("*.csv")):
        with table.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
            assert len({len(row) for row in rows}) == 1, table.name  # a CR or quote in a name broke no row
            for row in rows:
                for field in row:
                    try:
                        negatives += float(field) < 0  # a number, as a spreadsheet reads it
                    except ValueError:
                        assert_inert(field, table.name)
                        fields.append(field)
    assert all(any(f.startswith("'" + e) for f in fields) for e in EVIL)
    assert negatives > 0


# --- checks before the run --------------------------------------------------------------------------------------


@pytest.fixture
def scenario_file(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(scenario_dict()), encoding="utf-8")
    return path


@pytest.fixture
def no_simulation(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the simulation ran before the outputs were checked")

    monkeypatch.setattr(cli, "simulate", refuse)


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if not line.startswith("note:")]
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


SAME_AS_INPUT = {
    "report over the scenario": (["report", "{s}", "--out", "{s}"], "--out", "is the scenario file"),
    "workbook over the scenario": (["report", "{s}", "--out", "{d}/r.html", "--xlsx", "{s}"], "--xlsx",
                                   "is the scenario file"),
    "json over the scenario": (["run", "{s}", "--json", "{s}"], "--json", "is the scenario file"),
    "json over the scenario by another name": (["run", "{s}", "--json", "{d}/./sub/../s.yaml"], "--json",
                                               "is the scenario file"),
    "csv directory holding the scenario": (["run", "{s}", "--csv", "{d}"], "--csv", "holds the scenario file"),
    "workbook over the report": (["report", "{s}", "--out", "{d}/r.html", "--xlsx", "{d}/r.html"], "--xlsx",
                                 "is the --out output"),
}


@pytest.mark.parametrize("case", sorted(SAME_AS_INPUT))
def test_an_output_over_an_input_or_another_output_is_refused_before_the_run(case, scenario_file, tmp_path,
                                                                             no_simulation, capsys):
    argv, option, rule = SAME_AS_INPUT[case]
    (tmp_path / "sub").mkdir()
    before = scenario_file.read_bytes()
    assert cli.main([a.format(s=scenario_file, d=tmp_path) for a in argv]) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"error: {option} ") and rule in line
    assert scenario_file.read_bytes() == before


def test_a_shipped_scenario_is_an_input_too(tmp_path, no_simulation, capsys):
    shipped = os.path.realpath(str(cli.shipped_scenarios()["kakao-2022"]))
    assert cli.main(["report", "kakao-2022", "--out", str(shipped)]) == 2
    assert "is the shipped scenario" in one_error_line(capsys)


BAD_PLACES = {
    "missing directory": (["--json", "{d}/nowhere/r.json"], "does not exist"),
    "directory for a file": (["--json", "{d}"], "is a directory; name a file"),
    "file for a directory": (["--csv", "{s}"], "is a file; name a directory"),
    "someone else's directory": (["--csv", "{d}/theirs"], "which riskmodel did not write"),
    "the working directory": (["--csv", "."], "the working directory"),
    "unwritable directory": (["--json", "/sys/r.json"], "cannot write in '/sys'"),
}


@pytest.mark.parametrize("case", sorted(BAD_PLACES))
def test_bad_output_places_are_one_line_before_the_run(case, scenario_file, tmp_path, no_simulation, capsys,
                                                       monkeypatch):
    args, rule = BAD_PLACES[case]
    if case == "unwritable directory" and not os.path.isdir("/sys"):
        pytest.skip("needs Linux's /sys, which no one (not even root) can add files to")
    (tmp_path / "theirs").mkdir()
    (tmp_path / "theirs" / "notes.txt").write_text("mine")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    assert cli.main(["run", str(scenario_file), *[a.format(s=scenario_file, d=tmp_path) for a in args]]) == 2
    line = one_error_line(capsys)
    assert line.startswith(f"error: {args[0]} ") and rule in line, line
    assert (tmp_path / "theirs" / "notes.txt").read_text() == "mine"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write any file")
def test_a_read_only_file_is_not_replaced(scenario_file, tmp_path, no_simulation, capsys):
    target = tmp_path / "r.json"
    target.write_text("keep")
    target.chmod(0o444)
    assert cli.main(["run", str(scenario_file), "--json", str(target)]) == 2
    assert "read-only" in one_error_line(capsys) and target.read_text() == "keep"


def test_replacing_says_so_and_leaves_no_stale_table(scenario_file, tmp_path, capsys):
    out = tmp_path / "tables"
    assert cli.main(["run", str(SCENARIOS / "online-retailer-usd.yaml"), "--trials", "200", "--csv", str(out)]) == 0
    assert (out / "risk_tolerance.csv").exists() and "note:" not in capsys.readouterr().err
    assert cli.main(["run", str(scenario_file), "--trials", "200", "--csv", str(out)]) == 0  # no risk tolerance
    assert f"note: --csv '{out}' exists; it is replaced once the run succeeds" in capsys.readouterr().err
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(os.listdir(out)) == sorted([*manifest["files"], MANIFEST])
    assert "risk_tolerance.csv" not in manifest["files"] and manifest["about"]["trials"] == 200
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml", "tables"]  # no temporary left beside it


# --- a kill at every step of a write ----------------------------------------------------------------------------

# The file operations riskmodel.outputs makes; a forked child kills itself (SIGKILL: no clean-up runs) just
# before the n-th of them, after writing half the bytes if it is a write.
STEPS = ("open", "write", "fsync", "close", "replace", "rename", "mkdir", "unlink", "rmdir")


class KillAt:
    """Stands in for ``os`` in riskmodel.outputs: counts file operations and kills the process at the n-th."""

    def __init__(self, n: int):
        self.n, self.steps = n, 0

    def step(self, name: str, call, args) -> None:
        self.steps += 1
        if self.steps == self.n:
            if name == "write":
                call(args[0], bytes(args[1][:len(args[1]) // 2]))
            os.kill(os.getpid(), signal.SIGKILL)

    def __getattr__(self, name):
        real = getattr(os, name)
        if name not in STEPS:
            return real

        def hooked(*args, **kwargs):
            self.step(name, real, args)
            return real(*args, **kwargs)

        return hooked


def run_in_child(argv: list[str], kill_at: int) -> dict:
    """Run the CLI in a forked child killed at its ``kill_at``-th file operation (0: never).

    Returns whether it was killed, and if not, its exit status, how many file operations
    it made, and every path it opened for writing (seen by an audit hook, whatever opened it).
    """
    fd, report = tempfile.mkstemp()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            opened = []

            def audit(event, args):
                if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)) and \
                        args[2] & (os.O_WRONLY | os.O_RDWR):
                    opened.append(os.path.realpath(os.fsdecode(args[0])))

            sys.addaudithook(audit)
            killer = KillAt(kill_at)
            outputs.os = killer
            exchange = outputs._exchange  # the one-step swap of two directories is a step too
            outputs._exchange = lambda a, b: (killer.step("exchange", None, ()), exchange(a, b))[1]
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                status = cli.main(argv)
            os.write(fd, json.dumps({"steps": killer.steps, "opened": opened, "status": status}).encode())
        finally:
            os._exit(0)
    os.close(fd)
    deadline = time.monotonic() + 120
    while not (done := os.waitpid(pid, os.WNOHANG))[0]:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            pytest.fail(f"the writer hung: {argv}")
        time.sleep(0.02)
    text = pathlib.Path(report).read_text()
    os.unlink(report)
    killed = os.WIFSIGNALED(done[1]) and os.WTERMSIG(done[1]) == signal.SIGKILL
    return {"killed": killed, **(json.loads(text) if text else {})}


def snapshot(path: pathlib.Path):
    """What a reader finds at ``path``: a file's bytes, a directory's files and bytes, or None."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in path.iterdir()}
    return path.read_bytes() if path.exists() else None


def restore(path: pathlib.Path, state) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()
    if isinstance(state, dict):
        path.mkdir()
        for name, data in state.items():
            (path / name).write_bytes(data)
    else:
        path.write_bytes(state)


def content(name: str, data: bytes):
    """What must be the same in two complete writes of one output, whose bytes differ run to run where
    openpyxl stamps the time into a workbook and plotly gives each chart of a report a random id."""
    if name.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(data))  # a cut file is not a zip: this raises
        return [[[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets]
    if name.endswith(".html"):
        return re.sub(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", b"ID", data)
    return data


KINDS = {
    "html and xlsx": (["report", "{s}", "--trials", "200", "--out", "{d}/r.html", "--xlsx", "{d}/r.xlsx"],
                      ["r.html", "r.xlsx"]),
    "json": (["run", "{s}", "--trials", "200", "--json", "{d}/r.json"], ["r.json"]),
    "csv directory": (["run", "{s}", "--trials", "200", "--csv", "{d}/tables"], ["tables"]),
}


@pytest.mark.skipif(not hasattr(os, "fork"), reason="kills a forked writer")
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_kill_at_any_step_leaves_the_old_output_or_the_complete_new_one(kind, tmp_path):
    argv, names = KINDS[kind]
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(scenario_dict()), encoding="utf-8")
    argv = [a.format(s=scenario, d=tmp_path) for a in argv]
    targets = [tmp_path / name for name in names]
    # the old outputs: a previous set with a table this run does not write, or files of other content
    for target in targets:
        if target.name == "tables":
            outputs.write_set(target, {"comparison.csv": b"old", "risk_tolerance.csv": b"old and stale"})
        else:
            target.write_bytes(b"the previous " + target.name.encode())
    old = {t: snapshot(t) for t in targets}

    complete = run_in_child(argv, kill_at=0)
    assert not complete["killed"] and complete["status"] == 0 and complete["steps"] > 3 * len(targets)
    # nothing wrote in place: every file was opened for writing beside its target, never as or inside it
    for path in complete["opened"]:
        assert all(path != str(t) and pathlib.Path(path).parent != t for t in targets), path
    new = {t: snapshot(t) for t in targets}
    assert all(new[t] != old[t] for t in targets)

    def is_new(target: pathlib.Path, state) -> bool:
        if not isinstance(state, bytes):
            return state == new[target]
        with contextlib.suppress(Exception):
            return content(target.name, state) == content(target.name, new[target])
        return False

    # Where the system cannot swap two directories in one step, the two renames leave a moment with no
    # directory at the name (never a mix); a kill there finds it absent.
    a, b = tmp_path / ".a", tmp_path / ".b"
    a.mkdir(), b.mkdir()
    absent_allowed = kind == "csv directory" and not outputs._exchange(a, b)
    a.rmdir(), b.rmdir()

    def leftovers() -> list[str]:
        return [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]

    seen, left = set(), None
    for n in range(1, complete["steps"] + 1):
        for target in targets:
            restore(target, old[target])
        assert run_in_child(argv, kill_at=n)["killed"], n
        for target in targets:
            state = snapshot(target)
            assert state == old[target] or is_new(target, state) or (state is None and absent_allowed), \
                (n, target.name)
            seen.add((target.name, "old" if state == old[target] else "new"))
        left = left or (leftovers() and n)
    # the kills fell both before and after each output was replaced
    assert seen == {(t.name, age) for t in targets for age in ("old", "new")}
    # what a killed write leaves beside the outputs, the next write clears
    assert left and run_in_child(argv, kill_at=left)["killed"] and leftovers()
    assert run_in_child(argv, kill_at=0)["status"] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["s.yaml", *names])


def test_a_failed_write_is_one_line_and_keeps_the_previous_file(scenario_file, tmp_path, monkeypatch, capsys):
    target = tmp_path / "r.json"
    target.write_bytes(b"previous")

    def full_disk(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs.os, "replace", full_disk)
    assert cli.main(["run", str(scenario_file), "--trials", "200", "--json", str(target)]) == 2
    assert one_error_line(capsys) == (f"error: --json {quote_path(target)}: cannot write (No space left on device); "
                                      f"any previous output there is unchanged")
    assert target.read_bytes() == b"previous" and sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "s.yaml"]


def test_an_interrupted_run_says_so_in_one_line(scenario_file, monkeypatch, capsys):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.adaptive, "simulate", interrupted)
    assert cli.main(["run", str(scenario_file)]) == 130
    assert capsys.readouterr().err.strip() == "interrupted; every output is its previous file or the complete new one"
