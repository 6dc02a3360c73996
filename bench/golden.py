"""The figures users see, kept fixed across a change of the code.

Every shipped scenario is run through the command line as a user runs it: ``riskmodel
run --csv`` (every table), ``riskmodel report`` in both languages (HTML and the Excel
workbook). The snapshot keeps the CSV tables as written, the HTML with what differs on
every build taken out (the date, plotly's random element ids) and each workbook sheet as
CSV text. Two snapshots are compared file by file, byte for byte.

Both snapshots must come from one machine: where numpy's ``exp`` rounds differently (see
the README's "What is exactly reproducible"), the last bits differ, so a snapshot is
never committed as a reference. Instead::

    .venv/bin/python bench/golden.py --against REV     # REV (in a git worktree) against this checkout
    .venv/bin/python bench/golden.py snapshot DIR      # this checkout's figures into DIR
    .venv/bin/python bench/golden.py compare DIR DIR2  # two snapshots

With ``--against``, REV's code runs from a temporary worktree; the package data
(``data/``) is this checkout's wherever REV reads it as ``riskmodel.data`` (the editable
install maps that name here), which a change of code alone leaves equal.
"""

from __future__ import annotations

import argparse
import difflib
import io
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "data" / "scenarios").glob("*.yaml"))
TRIALS, SEED = "2000", "1"
# What changes on every build of the same report: the date, and plotly's uuid4 element ids.
_VOLATILE = [(re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "UUID"),
             (re.compile(r"\b20\d\d-\d\d-\d\d\b"), "DATE")]


def _riskmodel(code: pathlib.Path, cwd: pathlib.Path, *args: str) -> None:
    """``riskmodel ARGS`` in ``cwd`` with the package of checkout ``code`` (its CLI as a module, so any revision works)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run([sys.executable, "-m", "riskmodel.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"riskmodel {' '.join(args)} failed in {code}:\n{done.stderr}")


def _sheets(workbook: pathlib.Path) -> str:
    """Every sheet's cell values as CSV text (the file itself holds the time it was saved)."""
    import csv

    import openpyxl

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for sheet in openpyxl.load_workbook(workbook, read_only=True).worksheets:
        writer.writerow([f"## {sheet.title}"])
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(["" if v is None else repr(v) for v in row])
    return out.getvalue()


def snapshot(out: pathlib.Path, code: pathlib.Path = ROOT) -> pathlib.Path:
    """Write the figures of every shipped scenario, as checkout ``code`` gives them, into ``out``."""
    out.mkdir(parents=True, exist_ok=False)
    # One working directory for every snapshot: the report prints the command that made it,
    # with the paths as given, so they must be the same for both.
    work = pathlib.Path(tempfile.gettempdir()) / "riskmodel-golden"
    for path in SCENARIOS:
        name = path.stem
        _riskmodel(code, ROOT, "run", str(path), "--trials", TRIALS, "--seed", SEED, "--csv", str(out / name))
        (out / name / "MANIFEST.json").unlink(missing_ok=True)  # names its own build; the tables are compared
        for lang in ("en", "ko"):
            work.mkdir(exist_ok=True)
            html, book = f"{name}-{lang}.html", f"{name}-{lang}.xlsx"
            _riskmodel(code, work, "report", str(path), "--trials", TRIALS, "--seed", SEED, "--lang", lang,
                       "--out", html, "--xlsx", book)
            text = (work / html).read_text(encoding="utf-8")
            for pattern, stand_in in _VOLATILE:
                text = pattern.sub(stand_in, text)
            (out / html).write_text(text, encoding="utf-8")
            (out / f"{book}.csv").write_text(_sheets(work / book), encoding="utf-8")
            shutil.rmtree(work)
    return out


def compare(a: pathlib.Path, b: pathlib.Path) -> list[str]:
    """The differences between two snapshots, one line per file (and its first differing lines)."""
    files = {p.relative_to(a) for p in a.rglob("*") if p.is_file()} | {p.relative_to(b) for p in b.rglob("*")
                                                                      if p.is_file()}
    problems = []
    for rel in sorted(files):
        left, right = a / rel, b / rel
        if not left.exists() or not right.exists():
            problems.append(f"{rel}: only in {a if left.exists() else b}")
        elif left.read_bytes() != right.read_bytes():
            diff = difflib.unified_diff(left.read_text(encoding="utf-8").splitlines(),
                                        right.read_text(encoding="utf-8").splitlines(), lineterm="", n=0)
            shown = [line if len(line) <= 160 else f"{line[:160]}… ({len(line):,} characters)" for line in diff]
            problems.append(f"{rel}: differs\n    " + "\n    ".join(shown[2:8]))
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="compare revision REV's figures with this checkout's")
    parser.add_argument("--keep", type=pathlib.Path, metavar="DIR", help="with --against: keep both snapshots in DIR")
    sub = parser.add_subparsers(dest="command")
    snap = sub.add_parser("snapshot", help="this checkout's figures into a new directory")
    snap.add_argument("out", type=pathlib.Path)
    both = sub.add_parser("compare", help="compare two snapshots")
    both.add_argument("a", type=pathlib.Path)
    both.add_argument("b", type=pathlib.Path)
    args = parser.parse_args()
    if args.command == "snapshot":
        print(f"wrote {snapshot(args.out)}")
        return 0
    if args.command == "compare":
        problems = compare(args.a, args.b)
    elif args.against:
        with tempfile.TemporaryDirectory() as tmp:
            tree = pathlib.Path(tmp) / "rev"
            subprocess.run(["git", "worktree", "add", "--detach", str(tree), args.against], cwd=ROOT, check=True,
                           capture_output=True)
            where = args.keep or pathlib.Path(tmp)
            try:
                problems = compare(snapshot(where / "before", tree), snapshot(where / "after"))
            finally:
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
    else:
        parser.error("give --against REV, or snapshot / compare")
    print("\n".join(problems) if problems else f"identical: {len(SCENARIOS)} scenarios' tables, reports and "
                                               f"workbooks in both languages")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
