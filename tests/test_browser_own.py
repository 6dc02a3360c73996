"""A new user's own organisation in a real Chromium, both languages: a 2-site, 3-service company made
from a template without typing YAML, cut to 3 options, a service with a dependency added and a site
renamed in the Build tables, downloaded as YAML and as a workbook, checked and brought back to the
same results."""

import time

import pytest
from chromium_app import CHROMIUM, FLAGS, served_app, settled
from playwright.sync_api import sync_playwright

from riskmodel import loads
from riskmodel.checks import warnings
from riskmodel.present import structure
from riskmodel.present.i18n import t

ROW = 35  # the data editor's header and row height [px]


@pytest.fixture(scope="module")
def app_url():
    with served_app() as url:
        yield url


def wait_for(page, text: str, timeout: float = 300) -> None:
    page.get_by_text(text, exact=False).first.wait_for(timeout=timeout * 1000)
    settled(page, timeout=timeout)


def show_part(page, lang: str, part: str) -> None:
    parts = page.get_by_role("radiogroup", name=t("build_part", lang))
    parts.get_by_text(t(structure.TAB_LABELS[part], lang), exact=True).click()
    settled(page, timeout=300)


def apply_table(page, lang: str) -> None:
    page.get_by_role("button", name=t("apply", lang)).first.click()
    time.sleep(1)
    settled(page, timeout=300)
    errors = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
    assert not errors, errors


def type_into_cell(page, grid, row: int, column_x: float, text: str) -> None:
    """Edit one cell of a data editor as a person does: select it, open it, replace its text, commit."""
    box = grid.bounding_box()
    page.mouse.click(box["x"] + column_x, box["y"] + ROW * (row + 1) + ROW / 2)
    time.sleep(0.2)
    page.keyboard.press("Enter")
    time.sleep(0.3)
    page.keyboard.press("Control+A")
    page.keyboard.type(text, delay=30)
    page.keyboard.press("Tab")  # commits and stays in the row (Enter would step onto the add-row line)
    time.sleep(0.3)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_new_user_builds_their_company_and_gets_the_same_results_back(app_url, lang, tmp_path):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        nav = page.locator('[data-testid="stSidebarNav"]')
        main = page.locator('[data-testid="stMain"]')
        page.goto(app_url + "new-scenario")
        settled(page, timeout=300)
        if lang == "en":
            page.get_by_text("English", exact=True).click()
            wait_for(page, t("new_template", "en"))
        # A template and its answers, as offered: no YAML typed.
        page.get_by_text("B2B SaaS", exact=True).first.click()
        settled(page, timeout=300)
        page.get_by_label(t("new_name", lang)).fill(f"Acme {lang}")
        page.get_by_role("button", name=t("new_create", lang)).click()
        wait_for(page, t("new_created", lang).split("{")[0].strip() or f"Acme {lang}")
        assert main.locator("h3").first.inner_text().strip()  # the recommendation, in a heading

        nav.get_by_text(t("page_build", lang), exact=True).click()
        page.wait_for_url("**/build", timeout=60_000)
        settled(page, timeout=300)
        # Three options: today and the first two rungs of the ladder (rows 4-8 selected and deleted).
        show_part(page, lang, "options")
        box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
        page.mouse.click(box["x"] + 15, box["y"] + ROW * 4 + ROW / 2)
        page.keyboard.down("Shift")
        page.mouse.click(box["x"] + 15, box["y"] + ROW * 8 + ROW / 2)
        page.keyboard.up("Shift")
        page.keyboard.press("Delete")
        time.sleep(0.5)
        apply_table(page, lang)
        # A fourth service, depending on the application, with its revenue and infrastructure cost.
        show_part(page, lang, "services")
        box = page.locator('[data-testid="stDataFrame"]').first.bounding_box()
        page.mouse.click(box["x"] + 100, box["y"] + ROW * 4 + ROW / 2)  # the add-row line opens a new row's name
        time.sleep(0.6)
        for keys in ("billing", "Tab", "Tab", "2", "Tab", "Enter"):  # name, site (the first), tier, dependencies
            page.keyboard.press(keys) if keys in ("Tab", "Enter") else page.keyboard.type(keys, delay=40)
            time.sleep(0.3)
        page.get_by_role("option", name="application").click()
        time.sleep(0.3)
        page.keyboard.press("Tab")  # commits the list (Escape would drop it); the grid has lost the focus
        time.sleep(0.3)
        page.mouse.click(box["x"] + 100, box["y"] + ROW * 4 + ROW / 2)  # the new row's name: focus back
        time.sleep(0.3)
        for keys in ("Tab", "Tab", "Tab", "Tab", "1K – 3K", "Tab", "100K", "Tab"):  # revenue, infrastructure
            page.keyboard.press(keys) if keys == "Tab" else page.keyboard.type(keys, delay=40)
            time.sleep(0.3)
        apply_table(page, lang)
        # Rename the second site; every reference follows.
        show_part(page, lang, "sites")
        grid = page.locator('[data-testid="stDataFrame"]').first
        type_into_cell(page, grid, 1, 100, "dr_site")
        apply_table(page, lang)

        # The investment case of the edited scenario, then its file from the sidebar.
        nav.get_by_text(t("page_investment", lang), exact=True).click()
        settled(page, timeout=300)
        headline = main.locator("h3").first.inner_text()
        figures = main.locator('[data-testid="stMetricValue"]').all_inner_texts()
        with page.expect_download() as info:
            page.get_by_role("button", name=t("download", lang)).click()
        path = tmp_path / "acme.yaml"
        info.value.save_as(path)
        scenario = loads(path.read_text(encoding="utf-8"))
        assert [s.name for s in scenario.sites] == ["cloud_region_a", "dr_site"]
        assert [o.name for o in scenario.options] == ["today", "backup_and_restore", "pilot_light"]
        billing = scenario.services[-1]
        assert (billing.name, billing.tier, billing.depends_on) == ("billing", 2, ("application",))
        assert billing.impact.revenue_per_hour.ci90 == (1e3, 3e3) and billing.infra_annual_cost.value == 1e5
        assert warnings(scenario) == []

        # Brought back: it becomes the scenario on screen, with the same results.
        page.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(path))
        wait_for(page, t("upload_switched", lang, name="acme.yaml").split("acme")[0].strip())
        wait_for(page, headline)
        assert main.locator("h3").first.inner_text() == headline
        assert main.locator('[data-testid="stMetricValue"]').all_inner_texts() == figures
        # And as a workbook: downloaded, brought back, the same results again.
        with page.expect_download() as info:
            page.get_by_role("button", name=t("download_xlsx", lang)).click()
        book = tmp_path / "acme.xlsx"
        info.value.save_as(book)
        page.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(book))
        wait_for(page, "acme.xlsx")
        wait_for(page, headline)
        assert main.locator('[data-testid="stMetricValue"]').all_inner_texts() == figures
        assert page.locator('[data-testid="stException"]').count() == 0
        browser.close()
    assert not errors
