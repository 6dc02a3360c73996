"""Mutated scenario files: never a traceback, never a hang, exit 2 with a message naming
file, field, value and rule; a file that validates also runs."""

import contextlib
import copy
import io

import yaml
from conftest import SCENARIOS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_documents import within

from riskmodel import cli
from riskmodel.scenario import Scenario

SHIPPED = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(SCENARIOS.glob("*.yaml"))}

# What a careless or hostile author might put in place of any value.
HOSTILE = st.one_of(
    st.sampled_from([None, True, "", "=cmd|' /C calc'!A0", "[x](https://evil.example)", "<b>x</b>", "nan",
                     -1, 0, 1e308, -1e308, 1e-308, 10**40, 2**63, float("nan"), float("inf"), [], {}, [[[[[]]]]],
                     {"ci90": [5, 3]}, {"pert": [0, 1, 1e308]}, {"gamma": [1e6, 1e-6]}, {"beta": [0, 1]},
                     {"lognormal": {"median": 1, "p95": 1e300}}, {"uniform": [0, 1e19]}, "x" * 5000]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**30, max_value=10**30),
    st.text(max_size=40),
)


def paths(data, prefix=()):
    """Every place in the document: (path of keys and indices, value)."""
    yield prefix, data
    if isinstance(data, dict):
        for k, v in data.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from paths(v, prefix + (i,))


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(SHIPPED)))
    data = copy.deepcopy(SHIPPED[name])
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p, _ in paths(data) if p]
        path = draw(st.sampled_from(places))
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "replace", "delete", "duplicate"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
        else:
            parent[path[-1]] = copy.deepcopy(draw(HOSTILE))  # a later step may edit it: never the shared constant
    return name, data


def fields(data) -> set[str]:
    """Every field path of a document as messages write them (``threats[0].rate.ci90``)."""
    out = {"(top level)"}
    for path, _ in paths(data):
        text = ""
        for key in path:
            text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
        out.add(text)
    return out


def run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(argv)
    return code, err.getvalue()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated())
def test_a_mutated_scenario_validates_or_fails_cleanly(tmp_path_factory, case):
    name, data = case
    path = tmp_path_factory.mktemp("fuzz") / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with within(20):
        code, err = run(["validate", str(path)])
    if code == 0:
        with within(60):
            code, err = run(["run", str(path), "--trials", "50"])
        assert code == 0, err
        return
    assert code == 2, err
    lines = err.strip().splitlines()
    assert lines and lines[0].startswith(f"error: {path}: "), err
    problems = [line.strip() for line in lines[1:]] or [lines[0].removeprefix(f"error: {path}: ")]
    known = fields(data) | fields(Scenario.model_json_schema().get("properties", {}))
    for problem in problems:
        assert len(problem) < 400, problem  # values are quoted short
        where = problem.split(": ", 1)[0]
        # Each message names a place in the file (or the file as a whole), then the rule.
        assert where.split(".")[0].split("[")[0] in {p.split(".")[0].split("[")[0] for p in known} | {
            "the file is larger than 1,000,000 bytes; a scenario is far smaller (kakao-2022.yaml has 31 KB)",
            "not valid YAML at line"}, problem


def test_the_fuzzed_documents_are_mostly_invalid_but_not_all():
    """The mutations reach both branches: most break a rule, some stay valid and are run."""
    outcomes = []

    @settings(max_examples=150, deadline=None, database=None)
    @given(mutated())
    def collect(case):
        try:
            Scenario.from_dict(case[1])
            outcomes.append(True)
        except Exception:  # noqa: BLE001 - counting, not judging
            outcomes.append(False)

    collect()
    assert 0 < sum(outcomes) < len(outcomes)
