"""A run as the workspace keeps it: what made it, its headline figures, and every appraisal table.

A stored run holds its scenario version (by reference), its settings (the call:
trials or a precision to reach, seed, horizon, discount rate, basis) and the engine that
ran it (riskmodel, numpy and numba versions, the kernel). Running the same version with
the same settings on the same installation reproduces every table bit for bit
(:func:`same_tables`); the engine record says what differs when it does not.

Tables are Parquet (one blob per table, see :mod:`riskmodel.workspace.records`):
float64 columns keep every bit, the index and dtypes come back as they went in.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import math
import platform
import time
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from riskmodel.analysis import precision
from riskmodel.analysis.appraisal import COMPARISON, Appraisal, appraise
from riskmodel.engine import kernels
from riskmodel.scenario import Scenario, loads
from riskmodel.version import __version__

#: The headline figures kept per option, and the standard error each is compared with.
#: VaR's SE is read off its 90 % interval (half its width over 1.645), as a normal one would.
STANDARD_ERRORS = {"ale": "ale_se", "npv_mean": "npv_se", "p_npv_positive": "p_npv_positive_se", "var_99": None}
_Z90 = 1.6448536269514722
#: |difference| / SE beyond which two runs' figures differ by more than Monte Carlo noise.
#: Three, not two: a comparison reads some 30 figures at once, and two would flag one by chance.
NOISE_Z = 3.0


@dataclasses.dataclass(frozen=True)
class Settings:
    """How a run is made. ``trials`` None with a ``precision`` is an adaptive run.

    Attributes: trials [trials], seed, horizon_years [yr], discount_rate [1/yr],
    basis ("cash" or "capacity"), precision [1, SE / |NPV|], max_trials [trials].
    """

    trials: int | None = 20_000
    seed: int = 20221015
    horizon_years: int | None = None
    discount_rate: float | None = None
    basis: str | None = None
    precision: float | None = None
    max_trials: int | None = None
    #: The core: "auto" picks one per run; a stored run records the one that ran ("numba" or
    #: "numpy"), so that running it again takes the same and rounds alike.
    engine: str = "auto"

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> "Settings":
        return cls(**{f.name: data.get(f.name, f.default) for f in dataclasses.fields(cls)})


def scenario_for(text: str, settings: Settings) -> Scenario:
    """The scenario of ``text`` with the settings' horizon and discount rate, where they are given."""
    scenario = loads(text)
    update = {k: v for k, v in (("horizon_years", settings.horizon_years),
                                ("discount_rate", settings.discount_rate)) if v is not None}
    if not update:
        return scenario
    return scenario.model_copy(update={"finance": scenario.finance.model_copy(update=update)})


def execute(text: str, settings: Settings, progress: Callable[[int, int], None] | None = None) -> tuple[Appraisal, float]:
    """Simulate and appraise ``text`` as ``settings`` say; (the appraisal, CPU-independent wall seconds [s]).

    Examples
    --------
    >>> result, seconds = execute(text, Settings(trials=2_000, seed=1))  # doctest: +SKIP
    """
    scenario = scenario_for(text, settings)
    started = time.perf_counter()
    extra = {"progress": progress} if progress else {}
    sim = precision.simulate(scenario, trials=settings.trials, horizon_years=scenario.finance.horizon_years,
                             seed=settings.seed, precision=settings.precision, basis=settings.basis,
                             max_trials=settings.max_trials, engine=settings.engine, **extra)
    result = appraise(sim, settings.basis)
    return result, time.perf_counter() - started


def engine_record(result: Appraisal) -> dict:
    """What ran: versions that can change a float's last bit, and the kernel."""
    sim = result.simulation
    try:
        import numba
        numba_version = numba.__version__ if kernels.available() else None
    except ImportError:
        numba_version = None
    return {"riskmodel": __version__, "numpy": np.__version__, "numba": numba_version,
            "python": platform.python_version(), "machine": platform.machine(),
            "kernel": sim.engine}


def tables(result: Appraisal) -> dict[str, pd.DataFrame]:
    """Every table of an appraisal under a stable name, as stored."""
    out = {"risk": result.risk, "cash_flows": result.cash_flows, "components": result.components,
           "threats": result.threats, "services": result.services, "concentration": result.concentration.to_frame(),
           "buildings": result.buildings, "exceedance": result.exceedance, "architectures": result.architectures}
    out.update({f"investment_{basis}": table for basis, table in result.investment_by_basis.items()})
    if result.tolerance is not None:
        out["tolerance"] = result.tolerance
    return out


def to_parquet(table: pd.DataFrame) -> bytes:
    """A table as Parquet bytes; column names that are not text (years of cash flows) are kept."""
    names = list(table.columns)
    stored = table.copy(deep=False)
    stored.columns = [str(c) for c in names]
    stored.attrs = {"riskmodel_columns": json.dumps(names)} if any(not isinstance(c, str) for c in names) else {}
    buffer = io.BytesIO()
    stored.to_parquet(buffer, engine="pyarrow", compression="zstd")
    return buffer.getvalue()


def from_parquet(data: bytes) -> pd.DataFrame:
    table = pd.read_parquet(io.BytesIO(data), engine="pyarrow")
    names = table.attrs.pop("riskmodel_columns", None)
    if names is not None:
        table.columns = json.loads(names)
    return table


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _number(x) -> float | None:
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x  # JSON has no NaN; "no value" is None


def headline(result: Appraisal) -> dict:
    """Per option the comparison's figures and their SEs, and the decision: what lists and comparisons show."""
    comparison = pd.concat([result.comparison(), result.risk, result.investment], axis=1)
    comparison = comparison.loc[:, ~comparison.columns.duplicated()]
    options = {}
    for option, row in comparison.iterrows():
        figures = {key: _number(row[key]) for key in COMPARISON}
        for key, se in STANDARD_ERRORS.items():
            figures[f"{key}_se"] = _number(row[se]) if se else _number((row["var_99_high"] - row["var_99_low"]) / (2 * _Z90))
        options[option] = figures
    d = result.decision
    return {"options": options, "currency": result.simulation.scenario.currency, "trials": result.simulation.trials,
            "decision": {"status": d.status, "option": d.option, "basis": d.basis, "npv": _number(d.npv),
                         "npv_se": _number(d.npv_se), "runner_up": d.runner_up}}


def same_tables(a: Mapping[str, pd.DataFrame], b: Mapping[str, pd.DataFrame]) -> list[str]:
    """The names of the tables that differ in any bit (or exist in one only); [] when all are identical."""
    differ = sorted(set(a) ^ set(b))
    for name in sorted(set(a) & set(b)):
        x, y = a[name], b[name]
        if not (x.index.equals(y.index) and list(x.columns) == list(y.columns)
                and all(_same_column(x[c], y[c]) for c in x.columns)):
            differ.append(name)
    return differ


def _same_column(x: pd.Series, y: pd.Series) -> bool:
    if x.dtype.kind == "f" and y.dtype.kind == "f":
        return x.to_numpy().tobytes() == y.to_numpy().tobytes()  # bit for bit, NaN equal to NaN
    return x.astype(object).equals(y.astype(object))


def compare(a: dict, b: dict) -> pd.DataFrame:
    """Two runs' headlines side by side, per option (those both have) and figure with an SE.

    Columns: ``a``, ``a_se``, ``b``, ``b_se``, ``difference`` (b − a), ``difference_se`` (the
    two SEs in quadrature: runs with their own seeds are independent; runs of one seed share
    their draws, which makes this SE an upper bound), ``z`` and ``beyond_noise`` (|z| > :data:`NOISE_Z`).

    Examples
    --------
    >>> compare(run_a.headline, run_b.headline).query("beyond_noise")  # doctest: +SKIP
    """
    rows = []
    for option in [o for o in b["options"] if o in a["options"]]:
        for key in STANDARD_ERRORS:
            x, y = a["options"][option], b["options"][option]
            va, vb, sa, sb = x.get(key), y.get(key), x.get(f"{key}_se"), y.get(f"{key}_se")
            if va is None or vb is None:
                continue
            se = math.hypot(sa or 0.0, sb or 0.0)
            if va == vb == 0 and se == 0:  # the baseline's NPV against itself: nothing to compare
                continue
            z = (vb - va) / se if se > 0 else (0.0 if vb == va else math.inf)
            rows.append({"option": option, "figure": key, "a": va, "a_se": sa, "b": vb, "b_se": sb,
                         "difference": vb - va, "difference_se": se, "z": z, "beyond_noise": abs(z) > NOISE_Z})
    return pd.DataFrame(rows).set_index(["option", "figure"]) if rows else pd.DataFrame(
        columns=["a", "a_se", "b", "b_se", "difference", "difference_se", "z", "beyond_noise"])
