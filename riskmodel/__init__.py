"""riskmodel: IT resilience as an investment, in money and probabilities.

The pipeline reads as a sentence::

    from riskmodel import load, simulate, appraise
    result = appraise(simulate(load("kakao-2022"), trials=20_000, seed=1))
    result.comparison()

``simulate(..., precision=0.01)`` runs as many trials as the answer needs instead
(:mod:`riskmodel.analysis.precision`).
"""

from riskmodel.analysis.appraisal import Appraisal, appraise
from riskmodel.analysis.precision import simulate
from riskmodel.distributions import Quantity
from riskmodel.engine.run import Simulation
from riskmodel.presets import ARCHITECTURE_PRESETS
from riskmodel.resources import DEFAULT_SCENARIO, shipped_scenarios
from riskmodel.scenario import Architecture, Scenario, ScenarioError, load, loads
from riskmodel.version import __version__

__all__ = ["ARCHITECTURE_PRESETS", "Appraisal", "Architecture", "DEFAULT_SCENARIO", "Quantity", "Scenario",
           "ScenarioError", "Simulation", "__version__", "appraise", "load", "loads", "shipped_scenarios", "simulate"]
