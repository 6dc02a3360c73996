"""The app in a real headless Chromium (Debian's, installed by `make test`): every page, both languages."""

import pytest
from chromium_app import PAGES, PATHS, opened, served_app, settled
from playwright.sync_api import sync_playwright


@pytest.fixture(scope="module")
def app_url():
    with served_app() as url:
        yield url


def test_every_page_in_both_languages_without_an_exception(app_url):
    with sync_playwright() as p:
        browser, page, errors = opened(p, app_url, width=1400)
        main = page.locator('[data-testid="stMain"]')
        nav = page.locator('[data-testid="stSidebarNav"]')
        page.get_by_text("권고안", exact=False).first.wait_for(timeout=120_000)
        for lang, label in (("ko", "한국어"), ("en", "English")):
            if lang == "en":
                page.get_by_text(label, exact=True).click()
                nav.get_by_text(PAGES["en"][0], exact=True).wait_for(timeout=120_000)
                settled(page)
            for title, path in zip(PAGES[lang], PATHS):
                nav.get_by_text(title, exact=True).click()
                page.wait_for_url(f"**/{path}", timeout=60_000)  # the click has taken effect
                settled(page)
                assert page.locator('[data-testid="stException"]').count() == 0, f"{lang}: {title}"
                assert page.locator("h1").first.inner_text().strip(), f"{lang}: {title} drew no title"
            nav.get_by_text(PAGES[lang][0], exact=True).click()
            page.wait_for_url(f"**/{PATHS[0]}", timeout=60_000)
            settled(page)
            expected = {"ko": "권고안", "en": "Recommended option"}[lang]
            assert expected in main.inner_text()
        browser.close()
    assert not errors
