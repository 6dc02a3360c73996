"""Command line for checking the model against what happened: ``riskmodel backtest`` and ``riskmodel recovery``.

``backtest`` prices each public outage of ``data/reference/outage_cases.csv`` with a
minimal scenario built from its published figures (:mod:`riskmodel.analysis.backtest`)
and sets the model's cost beside the published one. ``recovery`` shows what one
whole-site loss does under each DR preset (the ladder) and, service by service, under a
scenario's baseline, beside the record where there is one
(:mod:`riskmodel.analysis.recovery`). Kept apart from :mod:`riskmodel.cli`, which runs
and appraises scenarios.
"""

from __future__ import annotations

import argparse

from riskmodel.analysis import backtest, recovery
from riskmodel.arguments import MAX_SEED, whole
from riskmodel.engine.run import MAX_TRIALS
from riskmodel.present import evidence as shown_tables
from riskmodel.present.format import money
from riskmodel.present.i18n import t
from riskmodel.present.names import Names
from riskmodel.scenario import load

#: The subcommands this module runs.
COMMANDS = ("backtest", "recovery")
#: Trials per run: a whole-site loss hits every service, so runs stay short well below the engine's cap.
trials = whole(1, min(MAX_TRIALS, 200_000))
seed = whole(0, MAX_SEED)


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to ``riskmodel``'s parser."""
    back = sub.add_parser("backtest", help="price public outages from their published figures alone and set the "
                                           "model's cost beside the published one")
    back.add_argument("--trials", type=trials, default=4_000, help="trials per case (default 4,000)")
    back.add_argument("--seed", type=seed, default=20221015, help="random seed (default 20221015)")
    back.add_argument("--lang", choices=("en", "ko"), default="en", help="language of the tables and money")
    rec = sub.add_parser("recovery", help="one whole-site loss under each DR preset, and service by service under "
                                          "the scenario's baseline")
    rec.add_argument("scenario", help="a scenario file, or a shipped scenario's name")
    rec.add_argument("--hours", default=",".join(f"{h:g}" for h in recovery.LADDER_HOURS), metavar="H,H,…",
                     help="lengths of the site loss for the ladder [h] (default 24,127.5,720)")
    rec.add_argument("--fire-hours", type=float, default=recovery.KAKAO_HOURS, metavar="H",
                     help="length of the site loss for the per-service table [h] (default 127.5, the 2022 fire)")
    rec.add_argument("--trials", type=trials, default=4_000, help="trials per run (default 4,000)")
    rec.add_argument("--seed", type=seed, default=20221015, help="random seed (default 20221015)")
    rec.add_argument("--lang", choices=("en", "ko"), default="en", help="language of the tables and money")


def run(args: argparse.Namespace) -> int:
    """Run one of :data:`COMMANDS`; the exit status."""
    lang = args.lang
    if args.command == "backtest":
        table = backtest.backtest(args.trials, args.seed)
        shown = shown_tables.backtest(table, lang)
        why = shown.pop(t("ev_why", lang))
        print(t("ev_backtest_caption", lang, trials=f"{args.trials:,}"))
        print(shown.to_string())
        print("\n" + shown_tables.backtest_summary(table, lang))
        for case, text in why.items():
            if text:
                print(f"  {case}: {text}")
        mean, se, published = backtest.kakao_in_sample(args.trials, args.seed)
        print("\n" + t("ev_in_sample", lang, hours=f"{recovery.KAKAO_HOURS:g}", model=money(mean, "KRW", lang),
                       se=money(se, "KRW", lang), published=money(published, "KRW", lang)))
        return 0
    hours = _hours(args.hours)
    if not 0 < args.fire_hours <= 8_760:
        raise ValueError(f"--fire-hours: {args.fire_hours:g} is not a length of outage from 0 to 8,760 h")
    scenario = load(args.scenario)
    threat = recovery.whole_site_loss(scenario)
    if threat is None:
        raise ValueError(f"scenario {scenario.name!r} has no site-scope threat: nothing to lose a whole site to")
    names = Names(scenario, lang)
    print(t("ev_ladder_caption", lang, threat=names.threat(threat), trials=f"{args.trials:,}"))
    print(shown_tables.ladder(recovery.ladder(scenario, threat, hours, args.trials, args.seed), names).to_string())
    recorded = recovery.recorded_for(scenario)
    table = (recovery.against_record(scenario, threat, args.fire_hours, recorded, args.trials, args.seed)
             if recorded is not None else recovery.restoration(scenario, threat, args.fire_hours, args.trials, args.seed))
    print("\n" + t("ev_restoration_caption", lang, threat=names.threat(threat), hours=f"{args.fire_hours:g}",
                   option=names.option(scenario.baseline.name), trials=f"{args.trials:,}"))
    print(shown_tables.restoration(table, names).to_string())
    return 0


def _hours(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(h) for h in text.split(","))
    except ValueError:
        raise ValueError(f"--hours: {text!r} is not a comma-separated list of hours (e.g. 24,127.5,720)") from None
    if not values or any(not 0 < h <= 8_760 for h in values):
        raise ValueError(f"--hours: {text!r}: each length must be from 0 to 8,760 h")
    return values
