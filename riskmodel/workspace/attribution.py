"""Which changed assumptions drive the difference between two versions' results.

Each assumption that differs (:func:`riskmodel.workspace.changes.differences`) is made
alone on the earlier version, and that scenario runs on the same futures as the earlier
version itself (same seed and trials: common random numbers), so each effect is the
change's own, not the noise between two seeds. The effects need not add up to the whole
difference: changes can reinforce or offset each other; the remainder says how much.
A change that cannot stand alone (a service added together with the option that uses
it) is reported as such rather than guessed at.
"""

from __future__ import annotations

import dataclasses
import math

import pandas as pd

from riskmodel.scenario import ScenarioError
from riskmodel.workspace import changes as changes_
from riskmodel.workspace.results import Settings, execute

#: Trials per attribution run: enough for the ranking (common random numbers remove most
#: of the noise between runs), and a dozen changes stay a matter of seconds.
TRIALS = 5_000
#: Changes attributed at most; the rest are listed without an effect.
LIMIT = 12


@dataclasses.dataclass(frozen=True)
class Driver:
    """One changed assumption and what it alone does to the earlier version's figures [currency/yr, currency].

    ``ale`` and ``npv`` map each option to the change's effect; ``ale_se_bound`` to an upper
    bound of its standard error (the two runs' SEs in quadrature, ignoring the shared draws).
    None where the change cannot be made alone.
    """

    change: changes_.Change
    ale: dict[str, float] | None
    npv: dict[str, float] | None
    ale_se_bound: dict[str, float] | None


def drivers(before: str, after: str, settings: Settings, trials: int = TRIALS) -> tuple[list[Driver], dict, dict]:
    """Each change from ``before`` to ``after`` alone, on the same futures; and the whole difference.

    Returns (drivers, total ALE effect per option, total NPV effect per option), the totals
    from ``after`` run on the same futures.

    Examples
    --------
    >>> found, ale, npv = drivers(v1_text, v2_text, Settings(seed=1))  # doctest: +SKIP
    >>> sorted(found, key=lambda d: -abs(d.npv["tiered"]))[0].change.path  # doctest: +SKIP
    ('threats', 'pangyo_site_loss', 'rate')
    """
    fixed = dataclasses.replace(settings, trials=min(settings.trials or trials, trials), precision=None,
                                max_trials=None)
    base = _figures(before, fixed)
    found = []
    for i, change in enumerate(changes_.differences(before, after)):
        if i >= LIMIT:
            found.append(Driver(change, None, None, None))
            continue
        try:
            alone = _figures(changes_.replay(before, [change], "one change"), fixed)
        except (ScenarioError, changes_.MergeConflict):
            found.append(Driver(change, None, None, None))
            continue
        shared = [o for o in alone[0] if o in base[0]]
        found.append(Driver(change, {o: alone[0][o] - base[0][o] for o in shared},
                            {o: alone[1][o] - base[1][o] for o in shared},
                            {o: math.hypot(alone[2][o], base[2][o]) for o in shared}))
    whole = _figures(after, fixed)
    shared = [o for o in whole[0] if o in base[0]]
    return found, {o: whole[0][o] - base[0][o] for o in shared}, {o: whole[1][o] - base[1][o] for o in shared}


def _figures(text: str, settings: Settings) -> tuple[dict, dict, dict]:
    result, _ = execute(text, settings)
    risk: pd.DataFrame = result.risk
    return (risk["ale"].to_dict(), result.investment["npv_mean"].to_dict(), risk["ale_se"].to_dict())
