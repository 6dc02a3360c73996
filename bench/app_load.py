"""The app under load: N people open it at once, then each changes the seed at once.

usage: python bench/app_load.py [--sessions N] [--port PORT] [--timeout S]

For one session alone (the baseline), then for ``--sessions`` (default 20), a fresh
``streamlit run app.py`` is started in its own process group (fresh, so that the baseline's
results are not in the load case's cache and both pay the same cold start, as the "first
render after the server is up" of bench/app_browser.py does), and

1. every session opens the default page (the investment case on the built-in default
   scenario) at once; *first results* is the time from navigation start until the
   recommendation subheader and the comparison table are visible, no element is stale
   and no script is running;
2. then every session commits a different seed in the sidebar at once (so that no session
   can reuse another's computation); *edit* is the time from the Enter key until the new
   results are shown, judged the same way.

Sessions are isolated contexts (own cookies, cache and websocket: N first visits by N users)
of one headless Chromium rather than N browsers: a renderer per context is much lighter than
a browser each, and on 2 cores every cycle the browser takes is taken from the server being
measured. So the browser's CPU time is reported, and each run's server part (see `Session`).

Times come from the page's own clock (``performance.now()``): the Python event loop that
drives N pages adds nothing to them. An error is an exception, error box or "Traceback" on
the page, a JavaScript error, a lost connection, a navigation failure, a run that did not
finish successfully, a traceback in the server's log, or a wait over ``--timeout``. Nothing
asserts: the targets are pass/fail rows of the table, printed and written to
bench/results/app_load.md.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import dataclasses
import os
import pathlib
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from chromium_app import CHROMIUM, FLAGS, wait_until_serving  # noqa: E402

SEED_LABEL = "난수 시드"  # the sidebar's seed input; the app opens in Korean
TICK, PAGE_MB = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE") / 2**20

# False until the results are on screen, then the milliseconds since navigation start (first load)
# or since the edit's Enter key; -1 at once if the script raised. Streamlit shows its running icon
# only after a run has taken 500 ms, and fades the widget out for 200 ms (StatusWidget-exit) after
# it: a fading icon counts as idle, and an edit needs a run seen since the key press (MARK_EDIT),
# for until then the old results are on screen.
READY = """(edit) => {
  if (document.querySelector('[data-testid="stException"]')) return -1;
  const widget = document.querySelector('[data-testid="stStatusWidget"]');
  if (widget && !widget.className.includes('StatusWidget-exit')
      && widget.querySelector('[data-testid="stStatusWidgetRunningIcon"]')) return false;
  if (edit && !window.__sawRun) return false;
  const main = document.querySelector('[data-testid="stMain"]');
  if (!main || main.querySelector('[data-stale="true"]')) return false;
  const shown = (e) => e && e.getClientRects().length > 0;
  const heading = [...main.querySelectorAll('h3')].find(h => /권고안|Recommended option/.test(h.innerText));
  if (!shown(heading) || !shown(main.querySelector('[data-testid="stDataFrame"]'))) return false;
  return performance.now() - (edit ? window.__editAt : 0);
}"""
# What READY is still waiting for, for the message of a timeout.
STATE = """() => JSON.stringify({
  widget: document.querySelector('[data-testid="stStatusWidget"]')?.className.match(/StatusWidget-\\w+/g),
  running: !!document.querySelector('[data-testid="stStatusWidgetRunningIcon"]'), sawRun: window.__sawRun,
  stale: document.querySelectorAll('[data-stale="true"]').length,
  h3: [...document.querySelectorAll('[data-testid="stMain"] h3')].map(h => h.innerText.slice(0, 40))})"""
# Stamps the Enter that commits the seed, and notes that a run has begun: a run marks the old
# elements stale at once, long before the running icon shows. A MutationObserver sees that
# however briefly it lasts, where polling could miss it.
MARK_EDIT = """() => {
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { window.__editAt = performance.now(); window.__sawRun = false; }
  }, true);
  new MutationObserver(() => {
    if (window.__sawRun === false && document.querySelector(
        '[data-stale="true"], [data-testid="stStatusWidgetRunningIcon"]')) window.__sawRun = true;
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-stale']});
}"""
PAGE_ERRORS = ('[data-testid="stException"], [data-testid="stAlertContentError"], '
               '[data-testid="stConnectionStatus"]')


def tree(root: int) -> dict[int, list[str]]:
    """Every live process of ``root``'s tree: its /proc/PID/stat fields after the command name."""
    stats = {}
    for entry in pathlib.Path("/proc").iterdir():
        with contextlib.suppress(OSError, ValueError):  # processes come and go while this reads
            text = (entry / "stat").read_text()
            stats[int(entry.name)] = text[text.rindex(")") + 2:].split()  # a command name may hold spaces
    found, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            found[pid] = stats[pid]
            todo += [child for child, fields in stats.items() if int(fields[1]) == pid]
    return found


class Monitor:
    """Peak RSS of some processes, sampled every 0.2 s in a thread, and their CPU time lap by lap.

    Parameters
    ----------
    processes : callable
        Returns the processes to measure at the time of the call, as `tree` does.
    """

    def __init__(self, processes):
        self.processes, self.peak_mb = processes, 0.0
        self._last = self._cpu()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _cpu(self) -> dict[int, float]:
        """User and system time of each process and of its reaped children [s]."""
        return {pid: sum(int(f[i]) for i in (11, 12, 13, 14)) / TICK for pid, f in self.processes().items()}

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak_mb = max(self.peak_mb, sum(int(f[21]) for f in self.processes().values()) * PAGE_MB)

    def lap(self) -> float:
        """CPU time since the previous lap [s] (a process born since counts in full)."""
        now = self._cpu()
        spent, self._last = sum(cpu - self._last.get(pid, 0.0) for pid, cpu in now.items()), now
        return spent

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@contextlib.contextmanager
def server(port: int, log: pathlib.Path, timeout: float, cores: set[int] | None = None):
    """``streamlit run app.py`` in its own process group, on ``cores`` if given; yield (URL, process) once it serves."""
    if not port:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    # No file watcher: others edit the sources meanwhile, and a change would put a "File change"
    # prompt in every page's status widget (and reload modules mid-measurement).
    command = [str(ROOT / ".venv" / "bin" / "streamlit"), "run", "app.py", "--server.headless", "true", "--browser.gatherUsageStats", "false",
                "--server.port", str(port), "--server.fileWatcherType", "none"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                preexec_fn=(lambda: os.sched_setaffinity(0, cores)) if cores else None)
    url = f"http://127.0.0.1:{port}/"
    try:
        try:
            wait_until_serving(url, proc, timeout)
        except TimeoutError as exc:
            raise RuntimeError(f"{exc}; see {log}") from None
        yield url, proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the group: the server and anything it started
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@dataclasses.dataclass
class Session:
    """One user: a page in its own browser context, and what happened to it.

    Besides the times on the page, ``spans`` holds the server's part of each run: from the
    browser sending the run request to its receiving the run's end, both stamped by the
    browser's network service (read over CDP), so that the renderer's work (loading the
    app's scripts, drawing the results) is left out.
    """

    page: object
    seed: int
    first: float | None = None  # s, on the page
    edit: float | None = None  # s, on the page
    server_first: float | None = None  # s, the server's part of ``first``
    server_edit: float | None = None  # s, the server's part of ``edit``
    errors: list[str] = dataclasses.field(default_factory=list)
    spans: list[float] = dataclasses.field(default_factory=list)  # s, of the runs finished successfully
    _requested: float = 0.0  # when the last run request was sent [s, the network service's clock]

    async def watch(self, context) -> None:
        self.page.on("pageerror", lambda exc: self.errors.append(f"JavaScript: {exc}"))
        cdp = await context.new_cdp_session(self.page)
        cdp.on("Network.webSocketFrameSent", lambda event: self._frame(True, event))
        cdp.on("Network.webSocketFrameReceived", lambda event: self._frame(False, event))
        cdp.on("Network.webSocketClosed", lambda _: self.errors.append("websocket closed"))
        await cdp.send("Network.enable")

    def _frame(self, sent: bool, event) -> None:
        if event["response"]["opcode"] != 2:  # Streamlit's messages are binary protobuf
            return
        data = base64.b64decode(event["response"]["payloadData"])
        if sent:
            if BackMsg.FromString(data).HasField("rerun_script"):
                self._requested = event["timestamp"]
        elif (msg := ForwardMsg.FromString(data)).WhichOneof("type") == "script_finished":
            if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                self.spans.append(event["timestamp"] - self._requested)
            elif msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                self.errors.append(f"script finished with status {msg.script_finished}")

    async def step(self, what: str, action) -> bool:
        """Await ``action`` and look at the page; a failure (navigation, timeout, …) is recorded, not raised."""
        try:
            await action
            return True
        except Exception as exc:
            self.errors.append(f"{what}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
            return False
        finally:
            with contextlib.suppress(Exception):  # a page that is gone has already been recorded
                problems = self.page.locator(PAGE_ERRORS)
                if await problems.count():
                    text = (await problems.first.inner_text()).strip().splitlines() or [""]
                    self.errors.append(f"{what}: on the page: {text[0][:120]}")
                elif "Traceback" in await self.page.locator("body").inner_text():
                    self.errors.append(f"{what}: 'Traceback' on the page")

    async def results(self, edit: bool, timeout: float) -> float:
        """Seconds until the results are on screen (see READY), on the page's clock."""
        try:
            handle = await self.page.wait_for_function(READY, arg=edit, polling=50, timeout=timeout * 1000)
        except PlaywrightTimeout:
            raise PlaywrightTimeout(f"none after {timeout:g} s; {await self.page.evaluate(STATE)}") from None
        if (ms := await handle.json_value()) < 0:
            raise RuntimeError("the script raised an exception")
        return ms / 1000

    async def server_span(self, runs: int) -> float:
        """The server's part of the run after the first ``runs`` (its end may be reported after the page shows it)."""
        for _ in range(100):
            if len(self.spans) > runs:
                return self.spans[-1]
            await asyncio.sleep(0.05)
        raise RuntimeError("the server reported no finished run")

    async def load(self, url: str, timeout: float) -> None:
        await self.page.goto(url, wait_until="commit", timeout=timeout * 1000)
        self.first = await self.results(False, timeout)
        self.server_first = await self.server_span(0)

    async def type_seed(self) -> None:
        """Type the seed without committing it: Enter commits it, in `commit_seed`."""
        await self.page.get_by_label(SEED_LABEL).fill(str(self.seed))
        await self.page.evaluate(MARK_EDIT)

    async def commit_seed(self, timeout: float) -> None:
        runs = len(self.spans)
        await self.page.get_by_label(SEED_LABEL).press("Enter")
        self.edit = await self.results(True, timeout)
        self.server_edit = await self.server_span(runs)  # what is on screen must come from a finished run


async def run_case(n: int, port: int, timeout: float, seed0: int, pin: bool = False) -> dict:
    """Serve the app, load it in ``n`` sessions at once, then edit in all at once; the case's figures.

    With ``pin`` the server runs on core 0 and the browser on the others, so the browser's
    drawing (here, not on the users' own machines) cannot slow the server.
    """
    log = pathlib.Path(tempfile.mkstemp(prefix="app_load-", suffix=".log")[1])
    everything = os.sched_getaffinity(0)
    if pin:
        os.sched_setaffinity(0, everything - {0})  # this process, and so the browser it starts
    with server(port, log, timeout, {0} if pin else None) as (url, proc):
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            sessions = []
            for i in range(n):  # contexts are opened before the clock starts
                context = await browser.new_context(viewport={"width": 1400, "height": 1000})
                sessions.append(Session(await context.new_page(), seed0 + i))
                await sessions[-1].watch(context)

            def browser_tree():  # what this process started besides the server (the driver too, a relay)
                ours, served = tree(os.getpid()), tree(proc.pid)
                return {pid: f for pid, f in ours.items() if pid != os.getpid() and pid not in served}

            server_mon, browser_mon = Monitor(lambda: tree(proc.pid)), Monitor(browser_tree)
            wall = time.perf_counter()
            await asyncio.gather(*(s.step("first load", s.load(url, timeout)) for s in sessions))
            cpu = {"first": (server_mon.lap(), browser_mon.lap())}
            await asyncio.sleep(1.0)  # the first runs' status widgets fade out (not timed)
            # Every seed is typed first, so that the timed Enter keys go out together.
            loaded = [s for s in sessions if s.first is not None]
            typed = await asyncio.gather(*(s.step("typing the seed", s.type_seed()) for s in loaded))
            server_mon.lap(), browser_mon.lap()
            await asyncio.gather(*(s.step("edit", s.commit_seed(timeout)) for s, ok in zip(loaded, typed) if ok))
            cpu["edit"] = (server_mon.lap(), browser_mon.lap())
            wall = time.perf_counter() - wall
            server_mon.stop(), browser_mon.stop()
            await browser.close()
    errors = [e for s in sessions for e in s.errors]
    errors += ["server log: a traceback"] * log.read_text(errors="replace").count("Traceback")
    log.unlink()
    figures = {k: [getattr(s, k) for s in sessions if getattr(s, k) is not None]
               for k in ("first", "server_first", "edit", "server_edit")}
    return {"sessions": n, "errors": errors, **figures, "rss": server_mon.peak_mb, "cpu": cpu, "wall": wall}


def report(cases: list[dict], total: float) -> str:
    """The markdown table of the cases, the targets of the last one, and its errors."""
    def spread(xs):
        return f"{min(xs):.2f} / {statistics.median(xs):.2f} / {max(xs):.2f}" if xs else "–"

    lines = ["| sessions | errors | first results min / median / max [s] | server's part [s] "
             "| edit min / median / max [s] | server's part [s] "
             "| server peak RSS [MB] | server CPU: first loads + edits [s] | browser CPU: first loads + edits [s] "
             "| wall [s] |",
             "|---:|---:|---|---|---|---|---:|---:|---:|---:|"]
    lines += [f"| {c['sessions']} | {len(c['errors'])} | {spread(c['first'])} | {spread(c['server_first'])} "
              f"| {spread(c['edit'])} | {spread(c['server_edit'])} "
              f"| {c['rss']:.0f} | {c['cpu']['first'][0]:.1f} + {c['cpu']['edit'][0]:.1f} "
              f"| {c['cpu']['first'][1]:.1f} + {c['cpu']['edit'][1]:.1f} | {c['wall']:.1f} |" for c in cases]
    load = cases[-1]
    first, edit = (statistics.median(load[k]) if load[k] else float("inf") for k in ("first", "edit"))
    targets = [(f"0 errors ({load['sessions']} sessions)", f"{len(load['errors'])}", not load["errors"]),
               ("median first results ≤ 5 s", f"{first:.2f} s", first <= 5),
               ("median edit ≤ 5 s", f"{edit:.2f} s", edit <= 5),
               ("server peak RSS ≤ 1024 MB", f"{load['rss']:.0f} MB", load["rss"] <= 1024)]
    lines += ["", "| target | measured | |", "|---|---:|:-:|"]
    lines += [f"| {name} | {value} | {'pass' if ok else 'FAIL'} |" for name, value, ok in targets]
    lines += [f"\n- {c['sessions']} sessions: {e} (×{c['errors'].count(e)})"
              for c in cases for e in sorted(set(c["errors"]))[:10]]
    lines.append(f"\nWhole benchmark: {total:.0f} s. Times are read from the page's clock; the server's part of "
                 "a run is from the browser sending its request to receiving its end, on the browser's network "
                 "clock (loading the app's scripts and drawing left out). Peak RSS: the sum over "
                 "the server's process tree, sampled every 0.2 s. CPU times: while the sessions load, and while "
                 "they wait for their edit's results. Wall: from the first navigation to the last edit's results.")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions of the load case")
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: a free one)")
    parser.add_argument("--timeout", type=float, default=180.0, help="longest wait for one result [s]")
    parser.add_argument("--pin", action="store_true",
                        help="server on core 0, browser on the others (measures the server apart from the browser)")
    args = parser.parse_args()
    if args.pin and len(os.sched_getaffinity(0)) < 2:
        parser.error("--pin needs at least two cores")
    total, load = time.perf_counter(), os.getloadavg()[0]  # others share this machine: say how busy it was
    # Seeds far from the default (20221015), different per session and case: nothing is cached.
    cases = [asyncio.run(run_case(n, args.port, args.timeout, seed0, args.pin))
             for n, seed0 in ((1, 1), (args.sessions, 1001))]
    table = report(cases, time.perf_counter() - total)
    print(table)
    out = ROOT / "bench" / "results" / "app_load.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(f"# The app under load\n\n{time.strftime('%Y-%m-%dT%H:%M:%S')} · {os.cpu_count()} CPUs, load "
                   f"{load:.1f} at the start · one headless Chromium, a context per session"
                   f"{' · server on core 0, browser on the others' if args.pin else ''} · "
                   f"`python bench/app_load.py --sessions {args.sessions}{' --pin' if args.pin else ''}`\n\n{table}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
