"""What one whole-site loss does under each recovery chain: the preset ladder, and a portfolio's record.

Both questions are asked of the engine itself, on a copy of a scenario whose only threat is
one site loss of a fixed duration (:func:`one_site_loss`): every event strikes at the
same length, so what differs between options is their recovery chain alone
(:func:`riskmodel.models.architectures.chain_downtime`), drawn on common random numbers.

* :func:`ladder` — for each DR preset and each duration, the expected downtime and data
  loss per service and the cost of one event to the whole portfolio (DESIGN §5: for long
  site losses the downtime never rises up the ladder).
* :func:`restoration` — per service, when it is serving again under one option (the
  baseline by default); :func:`against_record` sets it beside a recorded restoration
  (kakao-2022: FIGURES §1b, ``data/reference/kakao_2022_restoration.csv``).

Data loss is read from a second run of the same events in which each service's only cost
is one unit per hour of data lost, so its cost per pair is the data lost [h].
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from riskmodel.distributions import Quantity
from riskmodel.engine.run import Simulation, simulate
from riskmodel.resources import reference
from riskmodel.scenario import Scenario

#: The presets from no DR to full duplication (DESIGN §5), in the order the ladder holds.
LADDER = ("single_site", "backup_and_restore", "pilot_light", "warm_standby", "hot_standby", "active_active")
#: Whole-site losses the ladder is shown for [h]: a day, Kakao's 127.5 h of 2022, a month.
LADDER_HOURS = (24.0, 127.5, 720.0)
#: What a site loss destroys when the scenario's threat gives nothing: the writes since the
#: last daily off-site backup, anywhere in the day [h of data].
DEFAULT_DATA_LOSS = Quantity(uniform=(0.0, 24.0), source="assumption (U): daily off-site backups")
_PREFIX = "ladder_"  # names the presets' copies apart from a scenario's own architectures


def one_site_loss(scenario: Scenario, threat: str, hours: float, trials: int, seed: int = 20221015, *,
                  data_only: bool = False, data_loss: Quantity | None = None) -> Simulation:
    """``scenario`` with ``threat`` its only threat, at 1 event/yr and lasting ``hours`` [h], over one year.

    Parameters
    ----------
    scenario : Scenario
    threat : str
        A site-scope threat of the scenario, by name.
    hours : float
        How long the site is out with no DR [h].
    trials : int
        Trials [trials]; about 0.63 of them see at least one event.
    seed : int
    data_only : bool
        Every service's only cost is 1 per hour of data lost (so a pair's cost is its data loss [h]).
    data_loss : Quantity, optional
        What the event destroys [h of data] (default: the threat's own).

    Returns
    -------
    Simulation
        With ``keep_detail``: every pair's downtime and cost by option.

    Examples
    --------
    >>> from riskmodel import load  # doctest: +SKIP
    >>> sim = one_site_loss(load("kakao-2022"), "pangyo_site_loss", 127.5, 2_000)  # doctest: +SKIP
    """
    data = scenario.model_dump(mode="json", exclude_none=True, exclude_defaults=False)
    found = [t for t in data["threats"] if t["name"] == threat]
    if not found or found[0]["scope"] != "site":
        raise ValueError(f"threat {threat!r}: not a site-scope threat of scenario {scenario.name!r}")
    t = found[0]
    for form in ("rate", "annual_probability", "return_period_years", "mtbf_hours", "history"):
        t.pop(form, None)
    t.update(rate={"value": 1.0}, duration_hours={"value": float(hours)})
    if data_loss is not None:
        t["data_loss_hours"] = data_loss.model_dump(mode="json", exclude_none=True)
    data["threats"] = [t]
    data["risk_tolerance"] = []
    if data_only:
        for service in data["services"]:
            service["impact"] = {"data_value_per_hour": {"value": 1.0}}
    return simulate(Scenario.model_validate(data), trials, horizon_years=1, seed=seed, keep_detail=True)


def per_event(values: np.ndarray, pair_event: np.ndarray, how: str) -> np.ndarray:
    """Per row of ``values`` (options × pairs), one value per event: the mean or the sum over its pairs."""
    events, index = np.unique(pair_event, return_inverse=True)
    totals = np.stack([np.bincount(index, weights=row, minlength=events.size) for row in values])
    return totals if how == "sum" else totals / np.bincount(index, minlength=events.size)


def _mean_se(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return x.mean(axis=-1), x.std(axis=-1, ddof=1) / np.sqrt(x.shape[-1])


def ladder(scenario: Scenario, threat: str, hours: tuple[float, ...] = LADDER_HOURS, trials: int = 5_000,
           seed: int = 20221015, presets: tuple[str, ...] = LADDER) -> pd.DataFrame:
    """Each preset on every service of ``scenario``, in one whole-site loss of each length.

    Returns
    -------
    pandas.DataFrame
        One row per (``hours``, ``preset``): ``downtime`` [h] and ``data_loss`` [h of data],
        each the mean per service hit or waiting on one, ``cost`` [currency] of the event to
        the portfolio, each with its standard error (``*_se``) over the events drawn.
        Without skills programmes (equal skills), and with the threat's data loss or, if it
        gives none, :data:`DEFAULT_DATA_LOSS`.

    Examples
    --------
    >>> from riskmodel import load  # doctest: +SKIP
    >>> ladder(load("kakao-2022"), "pangyo_site_loss").loc[(720.0, "active_active"), "downtime"]  # doctest: +SKIP
    """
    t = next(x for x in scenario.threats if x.name == threat)
    lost = t.data_loss_hours if not (t.data_loss_hours.is_fixed and t.data_loss_hours.value == 0) \
        else DEFAULT_DATA_LOSS
    data = scenario.model_dump(mode="json", exclude_none=True)
    data["architectures"] = [{"name": _PREFIX + p, "preset": p} for p in presets]
    data["options"] = [{"name": p, "architecture": _PREFIX + p, **({"baseline": True} if i == 0 else {})}
                       for i, p in enumerate(presets)]
    data.pop("skills_programmes", None)
    data.pop("beyond_pnl", None)
    of_presets = Scenario.model_validate(data)
    rows = []
    for h in hours:
        sim = one_site_loss(of_presets, threat, h, trials, seed, data_loss=lost)
        data_sim = one_site_loss(of_presets, threat, h, trials, seed, data_only=True, data_loss=lost)
        d, e = sim.detail, sim.detail.pair_event
        down, down_se = _mean_se(per_event(d.pair_downtime, e, "mean"))
        cost, cost_se = _mean_se(per_event(d.pair_cost, e, "sum"))
        dl, dl_se = _mean_se(per_event(data_sim.detail.pair_cost, data_sim.detail.pair_event, "mean"))
        for i, p in enumerate(presets):
            rows.append(dict(hours=h, preset=p, downtime=down[i], downtime_se=down_se[i], data_loss=dl[i],
                             data_loss_se=dl_se[i], cost=cost[i], cost_se=cost_se[i]))
    table = pd.DataFrame(rows).set_index(["hours", "preset"])
    table.attrs.update(currency=scenario.currency, threat=threat, events=int(sim.events.sum()))
    return table


def restoration(scenario: Scenario, threat: str, hours: float, trials: int = 5_000, seed: int = 20221015,
                option: str | None = None) -> pd.DataFrame:
    """Per service, how long it is down in one whole-site loss of ``hours`` under ``option`` (default: the baseline).

    Returns
    -------
    pandas.DataFrame
        Indexed by service: ``mean`` [h] and its ``se``, ``p05``, ``median`` and ``p95`` [h]
        of the downtime over the events drawn; services the loss does not reach show 0.

    Examples
    --------
    >>> from riskmodel import load  # doctest: +SKIP
    >>> restoration(load("kakao-2022"), "pangyo_site_loss", 127.5)["median"]  # doctest: +SKIP
    """
    option = option or scenario.baseline.name
    sim = one_site_loss(scenario.with_only_options([option]), threat, hours, trials, seed)
    d, o = sim.detail, sim.options.index(option)
    events, index = np.unique(d.pair_event, return_inverse=True)
    rows = {}
    for s, service in enumerate(scenario.services):
        down = np.zeros(events.size)
        mine = d.pair_service == s
        down[index[mine]] = d.pair_downtime[o, mine]
        mean, se = _mean_se(down)
        p05, median, p95 = np.quantile(down, [0.05, 0.5, 0.95])
        rows[service.name] = dict(mean=mean, se=se, p05=p05, median=median, p95=p95)
    return pd.DataFrame.from_dict(rows, orient="index")



#: The recorded restoration of each kakao-2022 service in the fire of 15 Oct 2022.
KAKAO_RECORD = "kakao_2022_restoration.csv"
#: The 2022 fire: Pangyo lost until full restoration [h] (MSIT 6 Dec 2022).
KAKAO_HOURS = 127.5
#: The threat a scenario models that fire with (kakao-2022 and scenarios made from it).
KAKAO_THREAT = "pangyo_site_loss"


def whole_site_loss(scenario: Scenario) -> str | None:
    """The site-scope threat with the longest mean outage, by name: the event DR is bought for; None without one."""
    site = [t for t in scenario.threats if t.scope == "site"]
    return max(site, key=lambda t: t.duration_hours.mean()).name if site else None


def recorded_for(scenario: Scenario) -> pd.DataFrame | None:
    """The record of the 2022 fire, where ``scenario`` models it (its threat and every recorded service); else None."""
    found = record()
    names = {s.name for s in scenario.services}
    if KAKAO_THREAT not in {t.name for t in scenario.threats} or not set(found.index) <= names:
        return None
    return found


def record(name: str = KAKAO_RECORD) -> pd.DataFrame:
    """A recorded restoration, by service: ``record_hours`` [h], ``feature``, ``also_seen``, ``source``."""
    with reference(name).open(encoding="utf-8", newline="") as fh:
        return pd.read_csv(fh, keep_default_na=False).set_index("service")


def against_record(scenario: Scenario, threat: str, hours: float, recorded: pd.DataFrame, trials: int = 5_000,
                   seed: int = 20221015) -> pd.DataFrame:
    """The baseline's restoration per service (:func:`restoration`) beside ``recorded``, in the scenario's order.

    Returns
    -------
    pandas.DataFrame
        ``feature``, ``record_hours`` [h], the model's ``median``, ``p05``, ``p95``,
        ``mean`` and ``se`` [h], and ``within``: the record inside the model's 90 % range.

    Examples
    --------
    >>> from riskmodel import load  # doctest: +SKIP
    >>> against_record(load("kakao-2022"), "pangyo_site_loss", KAKAO_HOURS, record())  # doctest: +SKIP
    """
    model = restoration(scenario, threat, hours, trials, seed)
    table = recorded[["feature", "record_hours"]].join(model, how="inner").loc[
        [s.name for s in scenario.services if s.name in recorded.index]]
    table["within"] = (table["p05"] <= table["record_hours"]) & (table["record_hours"] <= table["p95"])
    return table[["feature", "record_hours", "median", "p05", "p95", "mean", "se", "within"]]
