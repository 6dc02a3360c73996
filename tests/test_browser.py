"""The app in a real headless Chromium (Debian's, installed by `make test`): every page, both languages."""

import os
import pathlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
PAGES = {"ko": ["투자 타당성", "위험", "재해복구(DR) 아키텍처", "가정"],
         "en": ["Investment case", "Risk", "DR architectures", "Assumptions"]}
PATHS = ["", "risk", "architectures", "assumptions"]  # the default page lives at the root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url():
    port = _free_port()
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
                               "true", "--server.port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.kill()
        pytest.fail("the app server did not come up in 120 s")
    yield url
    server.terminate()
    server.wait(timeout=20)


def _settled(page, timeout=120):
    """Wait until the script has finished (no running indicator) and the main area has text.

    The rerun an action starts may not show its indicator at once, so the indicator must
    stay away for a second before the page counts as settled.
    """
    deadline = time.monotonic() + timeout
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count()
        main = page.locator('[data-testid="stMain"]')
        if running == 0 and main.count() and main.first.inner_text().strip():
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > 1.0:
                return
        else:
            quiet_since = None
        time.sleep(0.1)
    pytest.fail("the page did not settle")


def test_every_page_in_both_languages_without_an_exception(app_url):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(app_url)
        _settled(page)
        main = page.locator('[data-testid="stMain"]')
        nav = page.locator('[data-testid="stSidebarNav"]')
        page.get_by_text("권고안", exact=False).first.wait_for(timeout=120_000)
        for lang, label in (("ko", "한국어"), ("en", "English")):
            if lang == "en":
                page.get_by_text(label, exact=True).click()
                nav.get_by_text(PAGES["en"][0], exact=True).wait_for(timeout=120_000)
                _settled(page)
            for title, path in zip(PAGES[lang], PATHS):
                nav.get_by_text(title, exact=True).click()
                page.wait_for_url(f"**/{path}", timeout=60_000)  # the click has taken effect
                _settled(page)
                assert page.locator('[data-testid="stException"]').count() == 0, f"{lang}: {title}"
                assert page.locator("h1").first.inner_text().strip(), f"{lang}: {title} drew no title"
            nav.get_by_text(PAGES[lang][0], exact=True).click()
            page.wait_for_url(f"**/{PATHS[0]}", timeout=60_000)
            _settled(page)
            expected = {"ko": "권고안", "en": "Recommended option"}[lang]
            assert expected in main.inner_text()
        browser.close()
    assert not errors
