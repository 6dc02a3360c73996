"""The app served by `streamlit run` and driven in Debian's Chromium: shared by the browser test and bench/."""

from __future__ import annotations

import contextlib
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]
PAGES = {"ko": ["투자 타당성", "위험", "재해복구(DR) 아키텍처", "엔지니어 역량", "민감도 분석", "가정", "구성", "새 시나리오",
                "작업공간", "실행 결과 비교"],
         "en": ["Investment case", "Risk", "DR architectures", "Engineer skills", "Sensitivity", "Assumptions", "Build",
                "New scenario", "Workspace", "Compare runs"]}
# The default page lives at the root.
PATHS = ["", "risk", "architectures", "skills", "sensitivity", "assumptions", "build", "new-scenario", "workspace",
         "compare"]
RUNNING = '[data-testid="stStatusWidget"]'


def wait_until_serving(url: str, server: subprocess.Popen, timeout: float) -> None:
    """Return once the app at ``url`` answers its health check; TimeoutError after ``timeout`` [s]
    or as soon as the ``server`` process has ended."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            urllib.request.urlopen(url + "_stcore/health", timeout=2)
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise TimeoutError(f"the app did not serve at {url} within {timeout:g} s") from None
            time.sleep(0.25)


@contextlib.contextmanager
def served_app(timeout: float = 120.0, database: str | None = None) -> Iterator[str]:
    """Run the app on a free local port; yield its URL once its health check answers.

    Its workspace is ``database``, by default a new SQLite file that goes with the server:
    a test never writes into the user's own workspace.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tempfile.TemporaryDirectory(prefix="riskmodel-app-")
    env = {**os.environ, "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "RISKMODEL_DATABASE_URL": database or f"sqlite:///{folder.name}/workspace.sqlite"}
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
                               "true", "--server.port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until_serving(url, server, timeout)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        folder.cleanup()


def settled(page, quiet: float = 1.0, timeout: float = 120.0) -> None:
    """Wait until the script has finished and the main area has text.

    The rerun an action starts may not show its indicator at once, so the indicator
    must stay away for ``quiet`` seconds before the page counts as settled.
    """
    deadline = time.monotonic() + timeout
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    quiet_since = None
    while time.monotonic() < deadline:
        main = page.locator('[data-testid="stMain"]')
        if page.locator(RUNNING).count() == 0 and main.count() and main.first.inner_text().strip():
            quiet_since = quiet_since or time.monotonic()
            if time.monotonic() - quiet_since > quiet:
                return
        else:
            quiet_since = None
        time.sleep(0.05)
    raise TimeoutError("the page did not settle")


def opened(playwright, url: str, width: int = 1440):
    """Chromium on the app at ``url``, settled: (browser, page, the page errors it will collect)."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    page = browser.new_page(viewport={"width": width, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    settled(page)
    return browser, page, errors
