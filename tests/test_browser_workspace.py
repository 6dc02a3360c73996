"""The workspace in a real browser, as a person uses it: save, edit, save again, see what changed,
run both versions, compare the runs."""

import re

from chromium_app import opened, served_app, settled
from playwright.sync_api import expect, sync_playwright

from riskmodel import DEFAULT_SCENARIO, load
from riskmodel.present.names import Names


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label`` (typed, as a person searching the list)."""
    page.get_by_role("combobox", name=label, exact=True).click()
    page.keyboard.type(option)
    page.keyboard.press("Enter")
    settled(page)


def save(page, message: str) -> None:
    page.get_by_label("What changed").fill(message)
    page.get_by_role("button", name="Save version").click()
    settled(page)


def test_save_edit_save_diff_run_both_and_compare():
    scenario = load(DEFAULT_SCENARIO)
    fire = next(i for i, threat in enumerate(scenario.threats) if threat.name == "pangyo_site_loss")
    fire_name = Names(scenario, "en").input(f"threats[{fire}].rate")  # "Pangyo DC lost (fire) · frequency"
    with served_app() as url, sync_playwright() as p:
        browser, page, errors = opened(p, url)
        page.get_by_text("English", exact=True).click()
        settled(page)
        main = page.locator('[data-testid="stMain"]')
        nav = page.locator('[data-testid="stSidebarNav"]')

        nav.get_by_text("Workspace", exact=True).click()
        settled(page)
        expect(main).to_contain_text("Nothing saved yet")
        save(page, "as filed")
        expect(main).to_contain_text("Saved kakao-2022 version 1.")

        nav.get_by_text("Assumptions", exact=True).click()
        settled(page)
        choose(page, "Input to edit", fire_name)
        page.get_by_label("High (95%)").fill("0.04")
        page.get_by_role("button", name="Apply and re-run").click()
        settled(page)

        nav.get_by_text("Workspace", exact=True).click()
        settled(page)
        save(page, "fire rate: a later count of site-disabling fires")
        expect(main).to_contain_text("Saved kakao-2022 version 2.")
        expect(main).to_contain_text(f"{fire_name}: ci90 [0.002, 0.02] → ci90 [0.002, 0.04]")

        for version in ("2", "1"):
            choose(page, "Version", version)
            page.get_by_role("button", name=f"Run version {version} with the sidebar's settings and keep the run").click()
            settled(page)
        runs = main.locator('[data-testid="stDataFrame"]').last
        expect(runs).to_be_visible()

        nav.get_by_text("Compare runs", exact=True).click()
        settled(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        expect(main).to_contain_text(re.compile(r"\d+ of \d+ differences are beyond noise"))
        expect(main).to_contain_text(f"{fire_name}: ci90 [0.002, 0.04] → ci90 [0.002, 0.02]")
        expect(main.locator('[data-testid="stDataFrame"]').first).to_be_visible()
        page.screenshot(path=str(_shots() / "compare-en.png"), full_page=True)
        browser.close()
    assert not errors


def _shots():
    import pathlib
    import tempfile
    folder = pathlib.Path(tempfile.gettempdir()) / "riskmodel-screens"
    folder.mkdir(exist_ok=True)
    return folder
