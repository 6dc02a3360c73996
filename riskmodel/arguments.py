"""The command line's arguments: every number read strictly, within a stated range.

A number on the command line is digits, optionally grouped (``20_000`` or ``20,000``);
``1e3``, ``2.0`` and ``lots`` are refused rather than guessed at. Each has a maximum,
stated here and in ``--help``, that keeps one command's work within what a laptop does
in minutes and in bounded memory. A bad argument is one line on stderr naming the
option, the value (at most ~80 characters of it) and the rule; exit status 2.
"""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable
from typing import NoReturn

from riskmodel.documents import QUOTE, quote
from riskmodel.scenario import MAX_HORIZON_YEARS

# Trials have the engine's own bound, riskmodel.engine.run.MAX_TRIALS, which the CLI states.

#: The largest seed: a signed 64-bit integer, which every store of a seed holds exactly.
MAX_SEED = 2**63 - 1
#: Local worker processes: more processes than CPUs add memory, not speed.
MAX_WORKERS = os.cpu_count() or 1
#: Tornado inputs (``--top``): each costs two runs.
MAX_TOP = 100
#: Sobol base points (``--sobol``): with the top 5 inputs, 7 runs per point.
MAX_SOBOL = 1_024
#: Years per trial: as the scenario schema's ``finance.horizon_years``.
MIN_HORIZON, MAX_HORIZON = 1, MAX_HORIZON_YEARS

# Digits, grouped by "_" anywhere or by "," in thousands (20_000, 20,000); never a float (1e3, 2.0).
_WHOLE = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:_[0-9]+)*)")
# A precision: a percentage (1%, 0.5 %) or a fraction (0.01), never an exponent or a word.
_PRECISION = re.compile(r"(?P<number>[0-9]*\.?[0-9]+)\s*(?P<percent>%?)")
#: The finest precision ``--precision`` takes: 0.1 % needs ~100× the trials of 1 %.
MIN_PRECISION = 0.001


def whole(low: int, high: int, power_of_two: bool = False) -> Callable[[str], int]:
    """A strict argument type: a whole number from ``low`` to ``high`` (and a power of 2 if asked).

    Refused, in one line that quotes at most ~80 characters of the text: anything but
    digits (so ``1e3``, ``2.0``, ``lots``), and numbers out of range, which are judged by
    their digits before Python reads them (it reads at most 4,300 digits, slowly).
    """

    def parse(text: str) -> int:
        if not _WHOLE.fullmatch(text):
            raise argparse.ArgumentTypeError(f"{quote(text)} is not a whole number ({low:,} to {high:,}; "
                                             f"write digits, e.g. 20000 or 20_000)")
        digits = text.replace("_", "").replace(",", "")
        magnitude = digits.lstrip("+-").lstrip("0") or "0"
        value = int(magnitude) if len(magnitude) <= len(str(high)) else high + 1
        value = -value if digits.startswith("-") else value
        if value > high:
            raise argparse.ArgumentTypeError(f"{quote(text)} is more than {high:,}, the most it takes")
        if value < low:
            raise argparse.ArgumentTypeError(f"{quote(text)} is less than {low:,}, the least it takes")
        if power_of_two and value & (value - 1):
            raise argparse.ArgumentTypeError(f"{quote(text)} is not a power of 2 ({low:,}, {2 * low:,}, … "
                                             f"{high:,})")
        return value

    return parse


class Parser(argparse.ArgumentParser):
    """argparse that reports a bad argument in one line, without the usage text."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {one_line(message)} (see {self.prog} --help)\n")


def one_line(message: str) -> str:
    """``message`` on one line, each word cut to 240 characters (argparse quotes values whole;
    a path, the longest value worth showing whole, stays whole), the line to ~480."""
    words = [w if len(w) <= 3 * QUOTE else f"{w[:3 * QUOTE - 1]}…" for w in message.split()]
    line = " ".join(words)
    return line if len(line) <= 6 * QUOTE else f"{line[:6 * QUOTE - 1]}…"


def precision(text: str) -> float:
    """A strict argument type: the precision of an adaptive run, as ``1%`` or ``0.01`` [1].

    Refused in one line: anything but a number with an optional ``%``, and values outside
    0.1 % to 50 % (finer would take ~100 times the trials of 1 %; coarser says nothing).

    Examples
    --------
    >>> precision("1%"), precision("0.005")
    (0.01, 0.005)
    """
    found = _PRECISION.fullmatch(text.strip())
    value = None if found is None else float(found["number"]) / (100 if found["percent"] else 1)
    if value is None or not MIN_PRECISION <= value <= 0.5:
        raise argparse.ArgumentTypeError(f"{quote(text)} is not a precision from {MIN_PRECISION:.1%} to 50% "
                                         f"(a standard error as a share of the figure it is for; write e.g. 1% or 0.01)")
    return value
