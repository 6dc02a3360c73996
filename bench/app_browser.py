"""The app as a person meets it, in headless Chromium: timings and a screenshot of every page.

usage: python bench/app_browser.py [--repeats N] [--out DIR]

Starts `streamlit run app.py`, then measures in the browser:

* first render: from opening the URL until the investment case shows its
  recommendation and the script has finished;
* re-render after an input change: on the Assumptions page, the site-fire rate is
  set to a new value (one never used before, so nothing is cached) and "Apply" is
  clicked; the time until the headline figures show the change and the script has
  finished;
* the same after a sidebar change (discount rate), read on the investment case.

and writes a full-page screenshot of every page in both languages to DIR (default
bench/results/screens). Medians of ``--repeats`` changes are printed as a table.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
PAGES = {"ko": ["투자 타당성", "위험", "재해복구(DR) 아키텍처", "가정"],
         "en": ["Investment case", "Risk", "DR architectures", "Assumptions"]}
PATHS = ["investment-case", "risk", "architectures", "assumptions"]
SITE_FIRE = "threats: pangyo_site_loss › rate"


def start_server() -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
                               "true", "--server.port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(240):
        try:
            urllib.request.urlopen(url + "_stcore/health", timeout=2)
            return server, url
        except OSError:
            time.sleep(0.5)
    server.kill()
    sys.exit("the app server did not come up in 120 s")


def idle(page, timeout: float = 120.0) -> float:
    """Wait until no script is running; return the time it became idle [perf_counter s]."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            return time.perf_counter()
        time.sleep(0.02)
    raise TimeoutError("the script did not finish")


def wait_text(page, text: str, timeout: float = 120.0) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout * 1000)


def settle(page) -> None:
    """Idle for a whole second: a rerun started by a click may not show its indicator at once."""
    while True:
        idle(page)
        time.sleep(1.0)
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            return


def metric_values(page) -> list[str]:
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def change_site_fire(page, high: float) -> float:
    """Set the site-fire rate's high value and apply; seconds until the headline shows it."""
    before = metric_values(page)
    field = page.get_by_label("High (95%)")
    field.fill(f"{high:g}")
    start = time.perf_counter()
    page.get_by_role("button", name="Apply and re-run").click()
    deadline = start + 120
    while metric_values(page) == before and time.perf_counter() < deadline:
        time.sleep(0.01)
    return idle(page) - start


def change_discount_rate(page, rate: float) -> float:
    before = page.locator('[data-testid="stMain"]').inner_text()
    field = page.get_by_label("Discount rate [%/yr]")
    field.fill(f"{rate:g}")
    start = time.perf_counter()
    field.press("Enter")
    deadline = start + 120
    while page.locator('[data-testid="stMain"]').inner_text() == before and time.perf_counter() < deadline:
        time.sleep(0.01)
    return idle(page) - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "bench" / "results" / "screens")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    server, url = start_server()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            start = time.perf_counter()
            page.goto(url)
            wait_text(page, "권고안")
            first = idle(page) - start
            settle(page)
            nav = page.locator('[data-testid="stSidebarNav"]')
            for lang, label in (("ko", "한국어"), ("en", "English")):
                page.get_by_text(label, exact=True).click()
                nav.get_by_text(PAGES[lang][0], exact=True).wait_for(timeout=120_000)
                settle(page)
                for title, path in zip(PAGES[lang], PATHS):
                    nav.get_by_text(title, exact=True).click()
                    settle(page)
                    page.screenshot(path=args.out / f"{lang}-{path}.png", full_page=True)
            # English is on; the Assumptions page is open. Pick the site-fire rate.
            nav.get_by_text("Assumptions", exact=True).click()
            settle(page)
            page.get_by_label("Input to edit").click()
            page.keyboard.type("pangyo_site_loss › rate")
            page.keyboard.press("Enter")
            settle(page)
            edits = [change_site_fire(page, 0.02 + 0.001 * (i + 1)) for i in range(args.repeats)]
            page.screenshot(path=args.out / "en-assumptions-edited.png", full_page=True)
            nav.get_by_text("Investment case", exact=True).click()
            settle(page)
            sidebar = [change_discount_rate(page, 8 + 0.5 * (i + 1)) for i in range(args.repeats)]
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    print("| measured in Chromium | s (median) | runs | each |\n|---|---:|---:|---|")
    print(f"| first render after the server is up | {first:.2f} | 1 | |")
    print(f"| re-render after an input edit (Assumptions, Apply) | {statistics.median(edits):.2f} | {len(edits)} | "
          f"{', '.join(f'{x:.2f}' for x in edits)} |")
    print(f"| re-render after a sidebar change (discount rate) | {statistics.median(sidebar):.2f} | {len(sidebar)} | "
          f"{', '.join(f'{x:.2f}' for x in sidebar)} |")
    print(f"\nscreenshots: {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
