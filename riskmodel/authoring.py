"""Command line for writing scenarios: ``riskmodel new`` (a scenario from a template), ``export`` and
``import`` (a scenario as an Excel workbook and back) and ``schema``.

Kept apart from :mod:`riskmodel.cli`, which runs scenarios: these commands make or
describe scenario files and run no model. Outputs are written whole or not at all
(:func:`riskmodel.outputs.write_file`), and bad input is one line naming the rule.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

from riskmodel import archetypes, documents, schema, spreadsheet
from riskmodel.edits import dump
from riskmodel.outputs import OutputError, check_file, quote_path, write_file
from riskmodel.scenario import ScenarioError, load

#: The subcommands this module runs.
COMMANDS = ("new", "export", "import", "schema")


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to ``riskmodel``'s parser."""
    new = sub.add_parser("new", help="start a scenario of your own organisation from a template",
                         description="Write a complete, valid scenario from a template and a few answers; every "
                                     "other figure comes from data/reference/ with its source. Start with "
                                     "--example-answers, edit them, and pass them back with --answers.")
    new.add_argument("--template", choices=list(archetypes.ARCHETYPES), help="the kind of organisation")
    new.add_argument("--list", action="store_true", help="list the templates and what each models")
    new.add_argument("--example-answers", action="store_true",
                     help="print the template's example answers (YAML) to edit and pass with --answers")
    new.add_argument("--answers", type=pathlib.Path, metavar="FILE",
                     help="your answers (YAML): name, currency, annual_revenue, engineers, sites, services")
    new.add_argument("--out", type=pathlib.Path, metavar="FILE.yaml", help="the scenario file to write")
    new.add_argument("--force", action="store_true", help="replace --out if it exists (by default a file is never "
                                                          "overwritten: it may hold your work)")
    export = sub.add_parser("export", help="write a scenario as an Excel workbook: a sheet per part, a row per "
                                          "input with its form, range, unit and source")
    export.add_argument("scenario", help="a scenario file, or a shipped scenario's name")
    export.add_argument("--xlsx", type=pathlib.Path, required=True, metavar="FILE.xlsx", help="the workbook to write")
    imported = sub.add_parser("import", help="read a scenario workbook (as riskmodel export writes) into YAML")
    imported.add_argument("workbook", type=pathlib.Path, help="the .xlsx file")
    imported.add_argument("--out", type=pathlib.Path, required=True, metavar="FILE.yaml", help="the scenario to write")
    imported.add_argument("--force", action="store_true", help="replace --out if it exists")
    described = sub.add_parser("schema", help="write the scenario schema: JSON Schema for editors, or a Markdown "
                                               "reference of every field")
    described.add_argument("--markdown", action="store_true",
                           help="the Markdown reference (meaning, unit, default, forms, example of every field) "
                                "instead of the JSON Schema")
    described.add_argument("--out", type=pathlib.Path, metavar="FILE", help="write to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    """Run one of :data:`COMMANDS`; the exit status."""
    if args.command == "new":
        return _new(args)
    if args.command == "export":
        scenario = load(args.scenario)
        if check_file("--xlsx", args.xlsx, {"the scenario file": pathlib.Path(args.scenario)}):
            print(f"note: --xlsx {quote_path(args.xlsx)} exists; it is replaced", file=sys.stderr)
        write_file(args.xlsx, spreadsheet.export(scenario))
        print(f"wrote {args.xlsx}: edit it, then riskmodel import {args.xlsx} --out SCENARIO.yaml")
        return 0
    if args.command == "import":
        if args.out.exists() and not args.force:
            raise OutputError(f"--out {quote_path(args.out)}: exists; riskmodel import never overwrites a file (it "
                              "may hold your work): name another, or add --force")
        check_file("--out", args.out, {"the workbook": args.workbook})
        try:
            data = args.workbook.read_bytes()
        except OSError as exc:
            raise ValueError(f"{quote_path(args.workbook)}: cannot read ({exc.strerror or exc})") from None
        text = spreadsheet.import_workbook(data)
        write_file(args.out, text.encode("utf-8"))
        print(f"wrote {args.out}")
        return 0
    if args.command == "schema":
        text = schema.markdown() if args.markdown else schema.json_text()
        if args.out is None:
            sys.stdout.write(text)
            return 0
        if check_file("--out", args.out, {}):
            print(f"note: --out {args.out} exists; it is replaced", file=sys.stderr)
        write_file(args.out, text.encode("utf-8"))
        print(f"wrote {args.out}")
        return 0
    raise ValueError(f"{args.command}: not a command of riskmodel.authoring")


def _new(args: argparse.Namespace) -> int:
    if args.list:
        for a in archetypes.ARCHETYPES.values():
            print(f"{a.name:<16} {a.label['en']} ({a.label['ko']}): {a.summary['en']}")
        return 0
    if args.template is None:
        raise ValueError("--template: give one of " + ", ".join(archetypes.ARCHETYPES) + " (--list describes them)")
    if args.example_answers:
        sys.stdout.write(documents_text(archetypes.ARCHETYPES[args.template].example))
        return 0
    if args.out is None:
        raise ValueError("--out: name the scenario file to write (e.g. --out my-company.yaml)")
    if args.out.exists() and not args.force:
        raise OutputError(f"--out {quote_path(args.out)}: exists; riskmodel new never overwrites a file (it may "
                          "hold your work): name another, or add --force")
    check_file("--out", args.out, {"the answers": args.answers} if args.answers else {})
    answers = None
    if args.answers is not None:
        try:
            answers = documents.parse(documents.read_text(args.answers))
        except documents.DocumentError as exc:
            raise ScenarioError(exc.messages, str(args.answers)) from None
    text = archetypes.make_text(args.template, answers)
    write_file(args.out, text.encode("utf-8"))
    print(f"wrote {args.out}: the {archetypes.ARCHETYPES[args.template].label['en']} template"
          + (f" for {args.answers}" if args.answers else " with its example answers")
          + f"; next: riskmodel validate {args.out}, riskmodel run {args.out} --precision 1%")
    return 0


def documents_text(data: dict) -> str:
    """Answers as a YAML text a person edits."""
    return ("# Answers for `riskmodel new --template … --answers THIS_FILE`. annual_revenue [currency/yr] is the "
            "annual budget\n# of a public body; revenue_share [0-1] of it per service; engineers: the operations "
            "team.\n" + dump(data))
