"""Model runs shared by every session of the app: one computation per content, bounded.

Twenty people opening the app on the default scenario ask for the same run; an
executive and an analyst looking at the same version of a scenario too. A run is
keyed by what makes it (the scenario's YAML text and the settings), computed once in a
small pool of worker threads (the engine releases the GIL in numpy and in the compiled
core), and handed to every session that asks for it, while it runs and after.

A run ends early, raising :class:`Stopped`, when nobody has waited for it for
``GRACE_S`` (every session that asked was closed, moved on, or pressed Stop) or when it
passes its time budget, counted from when a worker took it; the engine checks at the end
of each chunk of trials. Finished runs are kept in a least-recently-used table of
``MAX_KEPT`` entries, so the server's memory does not grow with the number of edits.
"""

from __future__ import annotations

import collections
import concurrent.futures
import dataclasses
import os
import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

#: Finished runs kept for reuse: an appraisal at the app's trial counts is a few MB.
MAX_KEPT = 24
#: Seconds a run goes on with nobody waiting for it: a page switch or a language change
#: mid-run lets go of the run and asks for it again at once; a closed tab does not.
GRACE_S = 2.0
#: Wall-clock seconds a run may take before it is stopped (the app's largest setting,
#: 50,000 trials of kakao-2022, takes some 20 s on one core of a laptop).
BUDGET_S = 120.0


class Stopped(Exception):
    """A run ended before its result: ``reason`` is "budget" or "abandoned"."""

    def __init__(self, reason: str, seconds: float):
        self.reason, self.seconds = reason, seconds
        super().__init__(f"run stopped ({reason}) after {seconds:.1f} s")


@dataclasses.dataclass
class _Job:
    budget: float
    grace: float
    future: concurrent.futures.Future | None = None
    started: float | None = None  # when a worker took it: time queued is not the run's
    waiters: int = 0
    unwatched_since: float | None = None  # when its last waiter let go
    done: int = 0
    total: int = 1

    def run(self, compute: Callable[[Callable[[int, int], None]], Any]) -> Any:
        """What a worker does: the run, unless nobody has wanted it since it was queued."""
        self.started = time.monotonic()
        self.progress(0, 1)
        return compute(self.progress)

    def progress(self, done: int, total: int) -> None:
        """The engine's progress callback: records progress, and stops a run nobody wants or
        that is past its budget. A finished run is never thrown away."""
        self.done, self.total = done, total
        if done and done >= total:
            return
        now, left = time.monotonic(), self.unwatched_since
        elapsed = now - (self.started or now)
        if left is not None and now - left >= self.grace:
            raise Stopped("abandoned", elapsed)
        if elapsed > self.budget:
            raise Stopped("budget", elapsed)


@dataclasses.dataclass(frozen=True)
class Ticket:
    """A session's claim on a run: wait on it with :meth:`result`, then :meth:`Runs.release` it."""

    key: Hashable
    job: _Job

    @property
    def fraction(self) -> float:
        """How much of the run is done [0–1]."""
        return self.job.done / max(self.job.total, 1)

    def result(self, timeout: float | None = None) -> Any:
        """The run's result; raises :class:`Stopped`, or ``TimeoutError`` after ``timeout`` [s]."""
        return self.job.future.result(timeout=timeout)


class Runs:
    """The table of shared runs.

    Parameters
    ----------
    workers : int, optional
        Runs computed at once (default: the machine's cores).
    kept : int
        Finished runs kept for reuse.
    budget : float
        Seconds a run may take [s].
    grace : float
        Seconds a run goes on with nobody waiting for it [s].

    Examples
    --------
    >>> runs = Runs(workers=1)
    >>> ticket = runs.submit("key", lambda progress: 42)
    >>> ticket.result(), runs.release(ticket)
    (42, None)
    """

    def __init__(self, workers: int | None = None, kept: int = MAX_KEPT, budget: float = BUDGET_S,
                 grace: float = GRACE_S):
        self._pool = concurrent.futures.ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1,
                                                           thread_name_prefix="riskmodel-run")
        self._jobs: collections.OrderedDict[Hashable, _Job] = collections.OrderedDict()
        self._lock = threading.Lock()
        self._kept, self._budget, self._grace = kept, budget, grace

    def submit(self, key: Hashable, compute: Callable[[Callable[[int, int], None]], Any]) -> Ticket:
        """Claim the run ``key``: the finished or running one, or a new run of ``compute(progress)``.

        A run that was stopped is not reused: asking again starts it anew.
        """
        with self._lock:
            job = self._jobs.get(key)
            if job is None or (job.future.done() and job.future.exception() is not None):
                job = _Job(self._budget, self._grace)
                job.future = self._pool.submit(job.run, compute)
                self._jobs[key] = job
            job.waiters += 1
            job.unwatched_since = None
            self._jobs.move_to_end(key)
            self._trim()
            return Ticket(key, job)

    def release(self, ticket: Ticket) -> None:
        """The session no longer waits. A run nobody waits for stops after the grace, unless
        someone asks for it again meanwhile (a page switched or a language changed mid-run)."""
        with self._lock:
            job = ticket.job
            job.waiters -= 1
            if job.waiters <= 0 and not job.future.done():
                job.unwatched_since = time.monotonic()

    def _trim(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.future.done() and j.waiters <= 0]
        for key in finished[:max(0, len(self._jobs) - self._kept)]:
            del self._jobs[key]

    def __len__(self) -> int:
        with self._lock:
            return len(self._jobs)


class Checked(concurrent.futures.Executor):
    """An executor for model functions that take one (``tornado.tornado``): each task
    runs at once in the calling thread, after ``progress`` was asked whether to go on, so
    a run of many model runs stops between them like a simulation between its chunks.

    Examples
    --------
    >>> done = []
    >>> Checked(lambda i, n: done.append(i), total=2).submit(pow, 2, 3).result(), done
    (8, [0])
    """

    def __init__(self, progress: Callable[[int, int], None], total: int):
        self._progress, self._total, self._done = progress, total, 0

    def submit(self, fn, /, *args, **kwargs) -> concurrent.futures.Future:
        self._progress(self._done, self._total)
        future: concurrent.futures.Future = concurrent.futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - handed to whoever reads the future, as an executor does
            future.set_exception(exc)
        self._done += 1
        return future

