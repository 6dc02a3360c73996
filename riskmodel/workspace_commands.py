"""``riskmodel workspace …``: the workspace's operations from the command line, as the app does them.

``save`` a scenario file as a new version (``--merge`` or ``--branch`` when someone saved
meanwhile), ``list`` the scenarios one may read, ``show`` a scenario's versions, ``diff``
two versions assumption by assumption, ``run`` a version and store the run, ``runs`` of a
scenario, ``rerun`` a stored run to check it reproduces bit for bit, ``compare`` two runs,
``export`` a version's text, and ``share`` one's own scenario. The database is
``--database``, else ``RISKMODEL_DATABASE_URL``, else the file in the user's data
directory; the user is ``--user``, else ``RISKMODEL_USER``, else the local user.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import sys

from riskmodel.analysis.precision import DEFAULT_MAX_TRIALS
from riskmodel.arguments import MAX_SEED, precision, whole
from riskmodel.documents import read_text
from riskmodel.engine.run import MAX_TRIALS
from riskmodel.outputs import OutputError, check_file, quote_path, write_file
from riskmodel.present.i18n import t
from riskmodel.resources import shipped_scenarios

COMMANDS = ("workspace",)
ACTIONS = ("save", "list", "show", "diff", "run", "runs", "rerun", "compare", "export", "share")


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add ``workspace`` and its actions to ``riskmodel``'s parser."""
    ws = sub.add_parser("workspace", help="scenarios, versions and runs kept in a database (save, list, show, diff, "
                                          "run, runs, rerun, compare, export, share)")
    # Every action takes these, after its own arguments or before them.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", metavar="URL", help="the database (default $RISKMODEL_DATABASE_URL, else a "
                                                          "file in your data directory)")
    common.add_argument("--user", metavar="LOGIN", help="who you are (default $RISKMODEL_USER, else 'local')")
    common.add_argument("--lang", choices=("en", "ko"), default="en", help="language of what is printed")
    act = ws.add_subparsers(dest="action", required=True, metavar="ACTION")
    add_parser = act.add_parser
    act.add_parser = lambda *a, **k: add_parser(*a, parents=[common], **k)
    save = act.add_parser("save", help="save a scenario file as a new version (nothing is ever overwritten)")
    save.add_argument("scenario", help="a scenario file, or a shipped scenario's name")
    save.add_argument("--as", dest="name", required=True, metavar="NAME",
                      help="the workspace scenario (yours, or OWNER/NAME shared with you for editing)")
    save.add_argument("-m", "--message", default="", help="what this version changes, for the others")
    save.add_argument("--parent", type=whole(1, 10**9), metavar="N",
                      help="the version your file was edited from; a newer save by someone else is then "
                           "reported, not overwritten")
    how = save.add_mutually_exclusive_group()
    how.add_argument("--merge", action="store_true", help="when someone saved meanwhile: merge your changes into "
                                                          "the newest version (needs --parent)")
    how.add_argument("--branch", action="store_true", help="save beside the main line, from --parent")
    act.add_parser("list", help="the scenarios you can read")
    show = act.add_parser("show", help="a scenario's versions")
    show.add_argument("name")
    diff = act.add_parser("diff", help="what changed between two versions, assumption by assumption")
    diff.add_argument("name")
    diff.add_argument("a", type=whole(1, 10**9), help="the earlier version")
    diff.add_argument("b", type=whole(1, 10**9), help="the later version")
    run = act.add_parser("run", help="run a version and store the run with every table")
    run.add_argument("name")
    run.add_argument("--version", type=whole(1, 10**9), help="default the newest")
    run.add_argument("--trials", type=whole(1, MAX_TRIALS), default=None,
                     help="simulated futures (default 20,000; with --precision the first stage)")
    run.add_argument("--precision", type=precision, metavar="P", help="run until the answer's SE ≤ P of its NPV")
    run.add_argument("--max-trials", type=whole(1, MAX_TRIALS), default=None,
                     help=f"the cap of a --precision run (default {DEFAULT_MAX_TRIALS:,})")
    run.add_argument("--seed", type=whole(0, MAX_SEED), default=20221015)
    runs = act.add_parser("runs", help="the stored runs of a scenario")
    runs.add_argument("name")
    rerun = act.add_parser("rerun", help="run a stored run again and say whether every table is bit-identical")
    rerun.add_argument("run", type=whole(1, 10**12), help="the run's number (riskmodel workspace runs)")
    compare = act.add_parser("compare", help="two runs side by side: figures with SEs, what is beyond noise, "
                                             "and the assumptions that differ")
    compare.add_argument("a", type=whole(1, 10**12))
    compare.add_argument("b", type=whole(1, 10**12))
    compare.add_argument("--drivers", action="store_true",
                         help="also run each changed assumption alone on run A's futures: what each does")
    export = act.add_parser("export", help="a version's text, as saved")
    export.add_argument("name")
    export.add_argument("--version", type=whole(1, 10**9), help="default the newest")
    export.add_argument("--out", type=pathlib.Path, metavar="FILE.yaml", help="write here instead of stdout")
    export.add_argument("--force", action="store_true", help="replace --out if it exists")
    share = act.add_parser("share", help="how your scenario is shared: private, read (others read and run it) "
                                         "or edit (others save versions too)")
    share.add_argument("name")
    share.add_argument("sharing", choices=("private", "read", "edit"))


def run(args: argparse.Namespace) -> int:
    """Run one workspace action; the exit status (3: someone saved meanwhile, nothing was saved)."""
    try:
        from riskmodel import workspace
        from riskmodel.present import changes as change_text
        from riskmodel.workspace import results
    except ImportError as exc:
        raise ValueError(f"the workspace needs the 'workspace' extra (pip install 'riskmodel[workspace]'): {exc}") \
            from None
    lang = args.lang
    try:
        ws = workspace.Workspace(workspace.connect(args.database), args.user or os.environ.get("RISKMODEL_USER")
                                 or workspace.LOCAL)
        return _ACTIONS[args.action](ws, args, lang, workspace, change_text, results)
    except workspace.Conflict as conflict:
        print(f"error: {conflict}; add --merge to merge, or --branch to save beside it", file=sys.stderr)
        return 3
    except workspace.MergeConflict as conflict:
        print(f"error: cannot merge: {conflict}; nothing was saved (--branch saves beside it)", file=sys.stderr)
        return 3
    except (workspace.NotFound, workspace.Forbidden, workspace.WorkspaceUnavailable) as exc:
        raise ValueError(str(exc)) from None


def _save(ws, args, lang, workspace, change_text, results) -> int:
    source = args.scenario
    path = shipped_scenarios().get(source, pathlib.Path(source))
    text = read_text(path)
    if args.merge:
        if args.parent is None:
            raise ValueError("--merge: merges your changes from --parent into the newest version, so it needs --parent")
        saved = ws.save_merged(args.name, text, args.parent, args.message)
    else:
        saved = ws.save(args.name, text, args.message, parent=args.parent, branch=args.branch)
    where = t("ws_branch", lang) if saved.branch else ""
    print(t("ws_saved", lang, scenario=saved.scenario, number=saved.number, where=where))
    return 0


def _list(ws, args, lang, workspace, change_text, results) -> int:
    found = ws.scenarios()
    if not found:
        print(t("ws_none", lang))
    for s in found:
        print(t("ws_listed", lang, ref=s.ref, owner=s.owner_name, sharing=change_text.sharing(s.sharing, lang),
                head=s.head, versions=s.versions))
    return 0


def _show(ws, args, lang, *_) -> int:
    head = ws.version(args.name).number
    for v in ws.versions(args.name):
        mark = "*" if v.number == head else ("b" if v.branch else " ")
        parent = t("ws_from", lang, parent=v.parent) if v.parent else ""
        print(f"{mark} {v.number:>4}  {v.created:%Y-%m-%d %H:%M}  {v.author}  {parent}  {v.message}".rstrip())
    print(t("ws_show_legend", lang))
    return 0


def _names(text: str, lang: str):
    from riskmodel.present.names import Names
    from riskmodel.scenario import loads
    return Names(loads(text), lang)


def _diff(ws, args, lang, workspace, change_text, results) -> int:
    a, b = ws.version(args.name, args.a), ws.version(args.name, args.b)
    print(t("ws_diff_heading", lang, scenario=args.name, a=a.number, b=b.number))
    for line in change_text.describe_all(workspace.changes.differences(a.text, b.text), _names(a.text, lang),
                                         _names(b.text, lang)):
        print(f"  {line}")
    return 0


def _progress(done: int, total: int) -> None:
    print(f"\r{done:,} / {total:,}", end="", file=sys.stderr, flush=True)


def _run(ws, args, lang, workspace, change_text, results) -> int:
    if args.max_trials is not None and args.precision is None:
        raise ValueError("--max-trials: the cap of an adaptive run, so it needs --precision (e.g. --precision 1%)")
    trials = 20_000 if args.trials is None and args.precision is None else args.trials
    settings = results.Settings(trials=trials, seed=args.seed, precision=args.precision, max_trials=args.max_trials)
    stored = ws.run(args.name, args.version, settings, progress=_progress if sys.stderr.isatty() else None)
    print(t("ws_ran", lang, run=stored.id, scenario=stored.scenario, number=stored.version,
            trials=f"{stored.trials:,}", seconds=f"{stored.seconds:.1f}"))
    _print_decision(stored, lang, ws)
    return 0


def _print_decision(stored, lang: str, ws) -> None:
    from riskmodel.present.format import money, money_se
    d, cur = stored.headline["decision"], stored.headline["currency"]
    names = _names(ws.version(stored.scenario, stored.version).text, lang)
    if d["option"] and d["npv"] is not None:
        print("  " + t("ws_decision", lang, option=names.option(d["option"]),
                       npv=f"{money(d['npv'], cur, lang)} ± {money_se(d['npv_se'] or 0, d['npv'], cur, lang)}"))


def _runs(ws, args, lang, *_) -> int:
    found = ws.runs(args.name)
    if not found:
        print(t("ws_no_runs", lang, scenario=args.name))
    for r in found:
        s = r.settings
        how = t("ws_adaptive", lang, precision=f"{s.precision:.1%}") if s.precision else ""
        print(t("ws_run_line", lang, run=r.id, number=r.version, trials=f"{r.trials:,}", seed=s.seed,
                when=f"{r.created:%Y-%m-%d %H:%M}", author=r.author, how=how).rstrip())
    return 0


def _rerun(ws, args, lang, *_) -> int:
    stored, differ = ws.rerun(args.run)
    if differ:
        print(t("ws_rerun_differs", lang, run=stored.id, tables=", ".join(differ), engine=stored.engine))
        return 1
    print(t("ws_rerun_same", lang, run=stored.id, trials=f"{stored.trials:,}"))
    return 0


def _compare(ws, args, lang, workspace, change_text, results) -> int:
    first, second, table, differences = ws.compare(args.a, args.b)
    names = _names(ws.version(second.scenario, second.version).text, lang)
    before = _names(ws.version(first.scenario, first.version).text, lang)
    for key, r in (("cmp_a", first), ("cmp_b", second)):
        print(f"{t(key, lang)}: {change_text.run_name(r, lang)}")
    shown = change_text.comparison_table(table, names, second.headline["currency"])
    print(shown.to_string(index=False))
    beyond = int(table["beyond_noise"].sum()) if len(table) else 0
    print("\n" + t("ws_beyond", lang, n=beyond, total=len(table), z=f"{results.NOISE_Z:g}"))
    print(t("ws_changed", lang))
    for line in change_text.describe_all(differences, before, names):
        print(f"  {line}")
    if args.drivers and differences:
        from riskmodel.workspace import attribution
        texts = [ws.version(r.scenario, r.version).text for r in (first, second)]
        found, ale, npv = attribution.drivers(*texts, first.settings)
        baseline = _names(texts[1], lang).scenario.baseline.name
        option = second.headline["decision"]["option"] or next(o for o in second.headline["options"] if o != baseline)
        print("\n" + t("drv_title", lang))
        print(change_text.drivers_table(found, ale, npv, baseline, option, before, names,
                                        second.headline["currency"]).to_string(index=False))
    return 0


def _export(ws, args, lang, *_) -> int:
    text = ws.export(args.name, args.version)
    if args.out is None:
        sys.stdout.write(text)
        return 0
    if args.out.exists() and not args.force:
        raise OutputError(f"--out {quote_path(args.out)}: exists; add --force to replace it, or name another file")
    check_file("--out", args.out)
    write_file(args.out, text.encode("utf-8"))
    print(t("ws_exported", lang, path=str(args.out)))
    return 0


def _share(ws, args, lang, workspace, change_text, results) -> int:
    ws.share(args.name, args.sharing)
    print(t("ws_shared", lang, scenario=args.name, sharing=change_text.sharing(args.sharing, lang)))
    return 0


_ACTIONS = {"save": _save, "list": _list, "show": _show, "diff": _diff, "run": _run, "runs": _runs,
            "rerun": _rerun, "compare": _compare, "export": _export, "share": _share}
