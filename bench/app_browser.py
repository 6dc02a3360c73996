"""The app as a person meets it, in headless Chromium: timings and a screenshot of every page.

usage: python bench/app_browser.py [--repeats N] [--out DIR]

Starts `streamlit run app.py`, then measures in the browser:

* first render: from opening the URL until the investment case shows its
  recommendation and the script has finished;
* re-render after an input change, at the app's default trial count: on the Assumptions page, the site-fire rate is
  raised to a new high value (never used before, so nothing is cached) and "Apply" is
  clicked; the time until the headline figures show the change and the script has
  finished;
* the same after a sidebar change (discount rate), read on the investment case;
* the Sensitivity page's tornado: from the click until it is drawn, for settings it has
  not seen (nothing cached).

and writes a full-page screenshot of every page in both languages to DIR (default
bench/results/screens). Medians of ``--repeats`` changes are printed as a table.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import time

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from chromium_app import CHROMIUM, FLAGS, PAGES, RUNNING, served_app, settled  # noqa: E402

SLUGS = ["investment-case", "risk", "architectures", "skills", "sensitivity", "assumptions"]


def idle(page, timeout: float = 120.0) -> float:
    """Wait until no script is running; return the time it became idle [perf_counter s]."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if page.locator(RUNNING).count() == 0:
            return time.perf_counter()
        time.sleep(0.02)
    raise TimeoutError("the script did not finish")


def wait_text(page, text: str, timeout: float = 120.0) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout * 1000)


def _until(page, changed, start: float, timeout: float = 60.0) -> float:
    """Seconds from ``start`` until ``changed()`` holds and the script has finished."""
    while not changed():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the page did not change")
        time.sleep(0.01)
    return idle(page) - start


def shoot(page, path: pathlib.Path) -> None:
    """The whole page: Streamlit scrolls inside its own container, so the window is made as tall as it."""
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(1000, min(int(height) + 100, 12000))})
    settled(page)
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1000})


def metric_values(page) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def change_site_fire(page, high: float) -> float:
    """Set the site-fire rate's high value and apply; seconds until the headline shows it."""
    settled(page, quiet=0.5)  # the previous edit's stale form is gone (not timed)
    before = metric_values(page)
    field = page.get_by_label("High (95%)")
    field.fill(f"{high:g}")
    start = time.perf_counter()
    page.get_by_role("button", name="Apply and re-run").click()
    return _until(page, lambda: metric_values(page) != before, start)


def change_discount_rate(page, rate: float) -> float:
    settled(page, quiet=0.5)  # not timed
    before = page.locator('[data-testid="stMain"]').inner_text()
    field = page.get_by_label("Discount rate [%/yr]")
    field.fill(f"{rate:g}")
    start = time.perf_counter()
    field.press("Enter")
    return _until(page, lambda: page.locator('[data-testid="stMain"]').inner_text() != before, start)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "bench" / "results" / "screens")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with served_app() as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        start = time.perf_counter()
        page.goto(url)
        wait_text(page, "권고안")
        first = idle(page) - start
        settled(page)
        nav = page.locator('[data-testid="stSidebarNav"]')
        for lang, label in (("ko", "한국어"), ("en", "English")):
            page.get_by_text(label, exact=True).click()
            nav.get_by_text(PAGES[lang][0], exact=True).wait_for(timeout=120_000)
            settled(page)
            for title, slug in zip(PAGES[lang], SLUGS):
                nav.get_by_text(title, exact=True).click()
                settled(page)
                shoot(page, args.out / f"{lang}-{slug}.png")
        # English is on and the Assumptions page open: pick the site-fire rate.
        page.get_by_label("Input to edit").click()
        page.keyboard.type("pangyo_site_loss › rate")
        page.keyboard.press("Enter")
        settled(page)
        # High values far apart, so that the rounded headline figures move every time.
        edits = [change_site_fire(page, 0.02 * (i + 2)) for i in range(args.repeats)]
        settled(page)
        shoot(page, args.out / "en-assumptions-edited.png")
        nav.get_by_text("Investment case", exact=True).click()
        settled(page)
        sidebar = [change_discount_rate(page, 9 + 0.5 * i) for i in range(args.repeats)]  # kakao-2022 loads at 8.5
        settled(page)
        # Settings the tornado has not seen yet, so nothing is cached: time until it is drawn.
        start = time.perf_counter()
        nav.get_by_text("Sensitivity", exact=True).click()
        page.locator('[data-testid="stMain"] .js-plotly-plot').first.wait_for(timeout=120_000)
        tornado = idle(page) - start
        browser.close()
    print("| measured in Chromium | s (median) | runs | each |\n|---|---:|---:|---|")
    print(f"| first render after the server is up | {first:.2f} | 1 | |")
    print(f"| re-render after an input edit (Assumptions, Apply) | {statistics.median(edits):.2f} | {len(edits)} | "
          f"{', '.join(f'{x:.2f}' for x in edits)} |")
    print(f"| re-render after a sidebar change (discount rate) | {statistics.median(sidebar):.2f} | {len(sidebar)} | "
          f"{', '.join(f'{x:.2f}' for x in sidebar)} |")
    print(f"| Sensitivity page: tornado on screen (top 8 inputs, 18 runs, nothing cached) | {tornado:.2f} | 1 | |")
    print(f"\nscreenshots: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
