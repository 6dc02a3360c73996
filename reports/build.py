"""Regenerate the sample business case for kakao-2022: HTML, PDF (printed by Chromium) and Excel.

usage: python reports/build.py [--trials N]   (or ``make reports``)

Writes reports/kakao-2022-{en,ko}.html (large: plotly.js is embedded so they open
offline; not committed), reports/kakao-2022-{en,ko}.pdf and reports/kakao-2022.xlsx
(small; committed). The PDF is what Chromium's print gives on A4.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shutil
import sys

from playwright.sync_api import sync_playwright

from riskmodel.cli import main as riskmodel

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
#: The sample's trials and seed: tests/test_samples.py rebuilds its figures with them.
TRIALS, SEED = 20_000, 20221015


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=TRIALS)
    args = parser.parse_args()
    os.chdir(ROOT)  # the reports print the command that regenerates them, relative to the repository
    pages = []
    for lang in ("en", "ko"):
        html = pathlib.Path("reports") / f"kakao-2022-{lang}.html"
        extra = ["--xlsx", "reports/kakao-2022.xlsx"] if lang == "en" else []
        status = riskmodel(["report", "data/scenarios/kakao-2022.yaml", "--out", str(html), "--lang", lang,
                            "--trials", str(args.trials), "--seed", str(SEED), *extra])
        if status:
            return status
        pages.append((html, html.with_suffix(".pdf")))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        for html, pdf in pages:
            page.goto(html.resolve().as_uri())
            page.wait_for_load_state("load")
            page.emulate_media(media="print")
            page.pdf(path=pdf, format="A4", print_background=True)
            print(f"wrote {pdf}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
