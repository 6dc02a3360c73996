"""Command line for writing scenarios: ``riskmodel schema`` (and the commands that make files).

Kept apart from :mod:`riskmodel.cli`, which runs scenarios: these commands make or
describe scenario files and run no model. Outputs are written whole or not at all
(:func:`riskmodel.outputs.write_file`), and bad input is one line naming the rule.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

from riskmodel import schema
from riskmodel.outputs import check_file, write_file

#: The subcommands this module runs.
COMMANDS = ("schema",)


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Add this module's subcommands to ``riskmodel``'s parser."""
    described = sub.add_parser("schema", help="write the scenario schema: JSON Schema for editors, or a Markdown "
                                               "reference of every field")
    described.add_argument("--markdown", action="store_true",
                           help="the Markdown reference (meaning, unit, default, forms, example of every field) "
                                "instead of the JSON Schema")
    described.add_argument("--out", type=pathlib.Path, metavar="FILE", help="write to FILE instead of stdout")


def run(args: argparse.Namespace) -> int:
    """Run one of :data:`COMMANDS`; the exit status."""
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
