"""riskmodel: IT resilience as an investment, in money and probabilities.

The pipeline reads as a sentence::

    from riskmodel import load, simulate, appraise
    result = appraise(simulate(load("kakao-2022"), trials=20_000, seed=1))
    result.comparison()
"""

from .appraisal import Appraisal, appraise
from .distributions import Quantity
from .presets import ARCHITECTURE_PRESETS
from .resources import DEFAULT_SCENARIO, shipped_scenarios
from .scenario import Architecture, Scenario, ScenarioError, load, loads
from .simulate import Simulation, simulate

__version__ = "0.1.0"
__all__ = ["ARCHITECTURE_PRESETS", "Appraisal", "Architecture", "DEFAULT_SCENARIO", "Quantity", "Scenario",
           "ScenarioError", "Simulation", "appraise", "load", "loads", "shipped_scenarios", "simulate"]
