"""The app as a person meets it, in headless Chromium: timings, the precision reached, and a screenshot of every page.

usage: python bench/app_browser.py [--repeats N] [--out DIR]

Starts `streamlit run app.py` on the default scenario (kakao-2022) at the app's default
run mode — "auto", an adaptive run that adds trials until the decision's NPV has a
standard error ≤ 1 % of its value (cap 50,000 trials) — then measures in the browser:

* first render: from opening the URL until the investment case shows its
  recommendation and the script has finished;
* re-render after an input edit: on the Assumptions page, the site-fire rate is raised
  to a new high value (never used before, so nothing is cached) and "Apply" is clicked;
  the time until the headline figures show the change and the script has finished;
* the same after a sidebar change (discount rate, again a new value each time), read on
  the investment case; the two are interleaved, an edit then a sidebar change, so that
  neither runs on a machine warmed or cooled by a streak of the other;
* the Sensitivity page's tornado: from the click until it is drawn, for settings it has
  not seen (nothing cached).

Beside each wall time it gives the CPU time the server process (and any children) spent
over the same interval: on this machine's shared cores a wall time means little without
it. After the first render and after every edit and sidebar change it reads the
investment case's precision caption (``precision_settled``, ``precision_capped`` or
``precision_fixed`` in the catalogs): the trials the figures rest on, the standard error
reached as a share of the NPV, and whether the run settled or stopped at the cap.

It writes a full-page screenshot of every page in both languages to DIR (default
bench/results/screens), prints medians of ``--repeats`` changes as a table, each change
with its precision in a second one, any error the pages showed, and one line saying
whether the default run reached its 1 % on kakao-2022 as loaded.
"""

from __future__ import annotations

import argparse
import dataclasses
import pathlib
import re
import statistics
import string
import sys
import time
import urllib.parse

import psutil
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from chromium_app import CHROMIUM, FLAGS, PAGES, RUNNING, served_app, settled  # noqa: E402

from riskmodel import DEFAULT_SCENARIO, load  # noqa: E402
from riskmodel.present.i18n import LANGUAGES, catalog  # noqa: E402
from riskmodel.present.names import Names  # noqa: E402

SLUGS = ["investment-case", "risk", "architectures", "skills", "sensitivity", "assumptions"]
#: What ends an adaptive run, by the catalog key of the caption that says so.
ENDINGS = {"precision_settled": "settled", "precision_capped": "capped", "precision_fixed": "fixed"}
#: What each field of those captions looks like on screen: "3,000", "0.85%", a list of conditions.
FIELDS = {"trials": r"[\d,]+", "achieved": r"[\d.,]+\s*%", "target": r"[\d.,]+\s*%", "unmet": r"[^\n]+"}
#: Where the page says something failed: a traceback, or an st.error box (a rejected edit included).
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
#: The adaptive run's target, as the app states it: SE ≤ 1 % of the decision's NPV.
TARGET = 1.0  # [% of the NPV]
#: How long a page may take to settle [s]: a page may start several adaptive runs, each up to 50,000 trials.
SETTLE = 600.0
#: A run's progress bar (riskmodel.ui.state.shared), and what Streamlit greys out while a script re-runs.
PROGRESS = '[data-testid="stProgress"]'
STALE = '[data-stale="true"]'


def finished(page) -> bool:
    """No script running: no status indicator, no run's progress bar, no stale element left.

    The indicator comes some 0.4 s after a rerun has started and the stale elements, so it
    alone would call a run that has just begun finished.
    """
    return all(page.locator(s).count() == 0 for s in (RUNNING, PROGRESS, STALE))


def idle(page, timeout: float = SETTLE) -> float:
    """Wait until no script is running; return the time it became idle [perf_counter s]."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if finished(page):
            return time.perf_counter()
        time.sleep(0.02)
    raise TimeoutError("the script did not finish")


def settle(page, quiet: float = 1.0) -> None:
    """:func:`chromium_app.settled`, then :func:`idle`: a page reached by a click may not yet show that it runs."""
    settled(page, quiet=quiet, timeout=SETTLE)
    idle(page)


def wait_text(page, text: str, timeout: float = SETTLE) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout * 1000)


def server_process(url: str) -> psutil.Process:
    """The `streamlit run` process serving ``url``: a child of this one (served_app keeps its handle to itself)."""
    port = str(urllib.parse.urlsplit(url).port)
    for child in psutil.Process().children(recursive=True):
        try:
            command = child.cmdline()
        except psutil.Error:
            continue
        if "streamlit" in command and port in command:
            return child
    raise LookupError(f"no streamlit process serving {url}")


def cpu_seconds(server: psutil.Process) -> float:
    """User + system CPU time of the server so far, its children's (live or reaped) included [s]."""
    times = server.cpu_times()
    total = times.user + times.system + times.children_user + times.children_system
    for child in server.children(recursive=True):
        try:
            c = child.cpu_times()
        except psutil.Error:  # ended between the listing and the read: its time is in children_* once reaped
            continue
        total += c.user + c.system
    return total


@dataclasses.dataclass(frozen=True)
class Timing:
    wall: float  #: from the action until the page showed the change and the script finished [s]
    cpu: float  #: the server's CPU time over the same interval [s]


def _until(page, server, changed, start: float, cpu_start: float, timeout: float = SETTLE) -> Timing:
    """From ``start`` until ``changed()`` holds and the script has finished; an adaptive run may take minutes.

    Both at once: the progress bar replaces the figures as soon as the rerun starts, before the
    running indicator shows, so a change of the page alone is no sign that the results are in.
    """
    while not (changed() and finished(page)):
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the page did not show the change")
        time.sleep(0.01)
    end = time.perf_counter()
    return Timing(end - start, cpu_seconds(server) - cpu_start)


@dataclasses.dataclass(frozen=True)
class Precision:
    """The investment case's precision caption, read back."""

    trials: int  #: trials the figures rest on [trials]
    achieved: float | None  #: standard error reached [% of the NPV]; None for a fixed run
    target: float | None  #: standard error aimed at [% of the NPV]
    ended: str  #: "settled", "capped" or "fixed"

    def cells(self) -> list[str]:
        se = "–" if self.achieved is None else f"{self.achieved:.2f} %"
        return [f"{self.trials:,}", se, self.ended]


def _pattern(text: str) -> re.Pattern:
    """A catalog text as a regular expression, each ``{field}`` a named group: the bench follows the wording."""
    parts = []
    for literal, field, _spec, _conversion in string.Formatter().parse(text):
        parts.append(re.escape(literal))
        if field is not None:
            parts.append(f"(?P<{field}>{FIELDS[field]})")
    return re.compile("".join(parts))


PATTERNS = [(_pattern(catalog(lang)[key]), ended) for lang in LANGUAGES for key, ended in ENDINGS.items()]


def _percent(text: str | None) -> float | None:
    return None if text is None else float(text.replace(",", "").rstrip("% "))


def precision_shown(page) -> Precision | None:
    """The trials and precision the investment case states, in either language; None if it states none."""
    text = page.locator('[data-testid="stMain"]').inner_text()
    for pattern, ended in PATTERNS:
        if m := pattern.search(text):
            fields = m.groupdict()
            return Precision(int(fields["trials"].replace(",", "")), _percent(fields.get("achieved")),
                             _percent(fields.get("target")), ended)
    return None


def shoot(page, path: pathlib.Path) -> None:
    """The whole page: Streamlit scrolls inside its own container, so the window is made as tall as it."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(1000, min(int(height) + 100, 12000))})
    settle(page)
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def progress(message: str, since: float) -> None:
    """A line on stderr as the bench goes: a run takes minutes, and a stall should show where."""
    print(f"[{time.perf_counter() - since:7.1f} s] {message}", file=sys.stderr, flush=True)


def metric_values(page) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def errors_shown(page, where: str, problems: dict[str, str]) -> None:
    """Note every error box or traceback on the page (each text once, with where it was first seen)."""
    for text in page.locator(ERRORS).all_inner_texts():
        problems.setdefault(" ".join(text.split())[:300], where)


def pick_site_fire(page) -> None:
    """Choose the site-fire rate to edit: the choice is forgotten whenever another page was shown."""
    page.get_by_label("Input to edit").click()
    scenario = load(DEFAULT_SCENARIO)  # the input as the page names it ("Pangyo DC lost (fire) · frequency")
    fire = next(i for i, threat in enumerate(scenario.threats) if threat.name == "pangyo_site_loss")
    page.keyboard.type(Names(scenario, "en").input(f"threats[{fire}].rate"))
    page.keyboard.press("Enter")
    settle(page)


def change_site_fire(page, server, high: float) -> Timing:
    """Set the site-fire rate's high value and apply; until the headline shows it."""
    settle(page, quiet=0.5)  # the previous edit's stale form is gone (not timed)
    before = metric_values(page)
    field = page.get_by_label("High (95%)")
    field.fill(f"{high:g}")
    cpu_start, start = cpu_seconds(server), time.perf_counter()
    page.get_by_role("button", name="Apply and re-run").click()
    return _until(page, server, lambda: (now := metric_values(page)) and now != before, start, cpu_start)


def change_discount_rate(page, server, rate: float) -> Timing:
    """Set the sidebar's discount rate; until the investment case's cards (the NPVs) show it."""
    settle(page, quiet=0.5)  # not timed
    before = metric_values(page)
    field = page.get_by_label("Discount rate [%/yr]")
    field.fill(f"{rate:g}")
    cpu_start, start = cpu_seconds(server), time.perf_counter()
    field.press("Enter")
    return _until(page, server, lambda: (now := metric_values(page)) and now != before, start, cpu_start)


def _median(timings: list[Timing]) -> Timing:
    return Timing(statistics.median(x.wall for x in timings), statistics.median(x.cpu for x in timings))


def _cells(shown: Precision | None) -> list[str]:
    return shown.cells() if shown else ["no caption", "–", "–"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="input edits and sidebar changes, each (default 5)")
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "bench" / "results" / "screens",
                        help="directory for the screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    problems: dict[str, str] = {}  # error text → where it was first seen
    with served_app() as url, sync_playwright() as p:
        server = server_process(url)
        began = time.perf_counter()
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            cpu_start, start = cpu_seconds(server), time.perf_counter()
            page.goto(url)
            wait_text(page, "권고안")
            end = idle(page)
            first = Timing(end - start, cpu_seconds(server) - cpu_start)
            settle(page)
            # The scenario as loaded, at the default run mode: what the closing line is about.
            loaded = precision_shown(page)
            headline = page.locator('[data-testid="stMain"] h3').first.inner_text()
            errors_shown(page, "first render", problems)
            progress(f"first render {first.wall:.1f} s: {loaded}", began)
            nav = page.locator('[data-testid="stSidebarNav"]')
            for lang, label in (("ko", "한국어"), ("en", "English")):
                page.get_by_text(label, exact=True).click()
                nav.get_by_text(PAGES[lang][0], exact=True).wait_for(timeout=300_000)
                settle(page)
                for title, slug in zip(PAGES[lang], SLUGS):
                    nav.get_by_text(title, exact=True).click()
                    settle(page)
                    errors_shown(page, f"{lang}/{slug}", problems)
                    progress(f"{lang}/{slug} settled", began)
                    shoot(page, args.out / f"{lang}-{slug}.png")
            # English is on and the Assumptions page open. Each round: an edit there (a new high
            # value, far from the last so that the rounded headline moves), its precision read on the
            # investment case, a sidebar change there (a new rate; kakao-2022 loads at 8.5), back.
            edits, sidebar, edit_shown, sidebar_shown = [], [], [], []
            for i in range(args.repeats):
                pick_site_fire(page)
                edits.append(change_site_fire(page, server, 0.02 * (i + 2)))
                settle(page)
                errors_shown(page, f"assumptions after edit {i + 1}", problems)
                if i == args.repeats - 1:
                    shoot(page, args.out / "en-assumptions-edited.png")
                nav.get_by_text("Investment case", exact=True).click()
                settle(page)  # the run the edit made is cached: not timed, not a new run
                edit_shown.append(precision_shown(page))
                progress(f"edit {i + 1}: {edits[-1]}, {edit_shown[-1]}", began)
                sidebar.append(change_discount_rate(page, server, 9 + 0.5 * i))
                settle(page)
                sidebar_shown.append(precision_shown(page))
                progress(f"sidebar change {i + 1}: {sidebar[-1]}, {sidebar_shown[-1]}", began)
                errors_shown(page, f"investment case after sidebar change {i + 1}", problems)
                # Back on Assumptions, the scenario as loaded is run at the new rate for its deltas: not timed.
                nav.get_by_text("Assumptions", exact=True).click()
                settle(page)
            # Settings the tornado has not seen yet, so nothing is cached: time until it is drawn.
            cpu_start, start = cpu_seconds(server), time.perf_counter()
            nav.get_by_text("Sensitivity", exact=True).click()
            page.locator('[data-testid="stMain"] .js-plotly-plot').first.wait_for(timeout=600_000)
            end = idle(page, timeout=600.0)
            tornado = Timing(end - start, cpu_seconds(server) - cpu_start)
            settle(page)
            errors_shown(page, "sensitivity (tornado)", problems)
            progress(f"tornado: {tornado}", began)
        except (TimeoutError, PlaywrightTimeout):
            # What the page showed when it stalled, for whoever reads the traceback.
            page.screenshot(path=args.out / "stalled.png", full_page=True)
            print(f"stalled: the page as it stood is in {args.out / 'stalled.png'}", file=sys.stderr)
            raise
        browser.close()
    each = lambda ts: ", ".join(f"{x.wall:.2f} / {x.cpu:.2f}" for x in ts)  # noqa: E731
    print("| measured in Chromium (default run mode: auto) | s (median) | server CPU s (median) | runs "
          "| each: s / CPU s |\n|---|---:|---:|---:|---|")
    print(f"| first render after the server is up | {first.wall:.2f} | {first.cpu:.2f} | 1 | |")
    m = _median(edits)
    print(f"| re-render after an input edit (Assumptions, Apply) | {m.wall:.2f} | {m.cpu:.2f} | {len(edits)} "
          f"| {each(edits)} |")
    m = _median(sidebar)
    print(f"| re-render after a sidebar change (discount rate) | {m.wall:.2f} | {m.cpu:.2f} | {len(sidebar)} "
          f"| {each(sidebar)} |")
    print(f"| Sensitivity page: tornado on screen (top 8 inputs, 18 runs, nothing cached) | {tornado.wall:.2f} "
          f"| {tornado.cpu:.2f} | 1 | |")
    print("\n| run | change | s | server CPU s | trials | SE of the NPV | run ended |\n"
          "|---:|---|---:|---:|---:|---:|---|")
    print("| 0 | none: kakao-2022 as loaded (first render) | " + f"{first.wall:.2f} | {first.cpu:.2f} | "
          + " | ".join(_cells(loaded)) + " |")
    for i, (edit, shown_e, side, shown_s) in enumerate(zip(edits, edit_shown, sidebar, sidebar_shown), 1):
        print(f"| {i} | site-fire rate high = {0.02 * (i + 1):g} | {edit.wall:.2f} | {edit.cpu:.2f} | "
              + " | ".join(_cells(shown_e)) + " |")
        print(f"| {i} | discount rate = {9 + 0.5 * (i - 1):g} % | {side.wall:.2f} | {side.cpu:.2f} | "
              + " | ".join(_cells(shown_s)) + " |")
    print(f"\nscreenshots: {args.out}")
    print("errors on screen: " + ("none" if not problems else "")
          + "".join(f"\n- {where}: {text}" for text, where in problems.items()))
    if loaded is None or loaded.achieved is None:
        verdict = "not known: " + ("no precision caption on the investment case" if loaded is None
                                   else f"the run was fixed at {loaded.trials:,} trials, not adaptive")
    else:
        reached = loaded.achieved <= TARGET
        verdict = (f"{'yes' if reached else 'NO'} — {loaded.trials:,} trials, SE {loaded.achieved:.2f} % of the "
                   f"NPV (target {loaded.target:.2f} %), run {loaded.ended}")
    print(f"default run (auto) reached SE ≤ {TARGET:g} % of the recommended NPV on kakao-2022 as loaded "
          f"(\"{headline}\"): {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
