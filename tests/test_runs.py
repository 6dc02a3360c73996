"""Shared runs: once per content, stopped when nobody waits or past the budget, bounded."""

import threading
import time

import pytest

from riskmodel.ui.runs import Checked, Runs, Stopped


def endless(calls: list, started: threading.Event | None = None):
    """A run that reports progress every 10 ms until it is stopped."""
    def compute(progress):
        calls.append(1)
        if started is not None:
            started.set()
        for step in range(100_000):
            progress(step, 100_000)
            time.sleep(0.01)
        return "never"
    return compute


def test_sessions_asking_for_the_same_run_share_one_computation():
    calls, gate = [], threading.Event()

    def compute(progress):
        calls.append(1)
        gate.wait(5)
        return "result"

    runs = Runs(workers=2)
    tickets = [runs.submit(("scenario", 1000), compute) for _ in range(20)]
    gate.set()
    assert [ticket.result(5) for ticket in tickets] == ["result"] * 20
    for ticket in tickets:
        runs.release(ticket)
    again = runs.submit(("scenario", 1000), compute)  # finished: handed out, not recomputed
    assert again.result(1) == "result" and calls == [1]


def test_a_run_nobody_waits_for_stops_after_the_grace():
    calls, started = [], threading.Event()
    runs = Runs(workers=1, grace=0.05)
    first, second = (runs.submit("key", endless(calls, started)) for _ in range(2))
    assert started.wait(5)
    runs.release(first)
    time.sleep(0.2)
    assert not first.job.future.done()  # the second session still waits
    runs.release(second)
    with pytest.raises(Stopped) as info:
        first.result(5)
    assert info.value.reason == "abandoned"
    third = runs.submit("key", endless(calls))  # asking again starts anew
    assert third.job is not first.job
    runs.release(third)


def test_a_run_let_go_and_asked_for_again_within_the_grace_goes_on():
    """A page switch mid-run: the script lets go of the run and asks for it again at once."""
    calls, gate, started = [], threading.Event(), threading.Event()

    def compute(progress):
        calls.append(1)
        started.set()
        while not gate.is_set():
            progress(0, 10)
            time.sleep(0.01)
        return "done"

    runs = Runs(workers=1, grace=1.0)
    ticket = runs.submit("key", compute)
    assert started.wait(5)
    runs.release(ticket)
    again = runs.submit("key", compute)
    gate.set()
    assert again.job is ticket.job and again.result(5) == "done" and calls == [1]
    runs.release(again)


def test_a_queued_run_nobody_waits_for_never_starts():
    calls, gate = [], threading.Event()
    runs = Runs(workers=1, grace=0.0)
    busy = runs.submit("busy", lambda progress: gate.wait(5))
    queued = runs.submit("queued", endless(calls))
    runs.release(queued)
    gate.set()
    with pytest.raises(Stopped):
        queued.result(5)
    assert calls == [] and busy.result(5)
    runs.release(busy)


def test_a_run_past_its_budget_is_stopped_and_says_so():
    runs = Runs(workers=1, budget=0.1)
    ticket = runs.submit("key", endless([]))
    with pytest.raises(Stopped) as info:
        ticket.result(5)
    assert info.value.reason == "budget" and info.value.seconds >= 0.1
    runs.release(ticket)


def test_finished_runs_are_kept_up_to_the_bound_least_recently_used_first():
    runs = Runs(workers=1, kept=3)

    def ask(key, value):
        ticket = runs.submit(key, lambda progress: value)
        result = ticket.result(5)
        runs.release(ticket)
        return result

    for key in range(4):
        ask(key, key)  # 0 is dropped: three kept
    assert ask(1, "recomputed") == 1  # kept, and now the most recently used
    ask(4, 4)  # drops the least recently used: 2
    assert ask(1, "recomputed") == 1 and ask(3, "recomputed") == 3
    assert ask(2, "recomputed") == "recomputed" and ask(0, "recomputed") == "recomputed"


def test_a_tornado_stops_between_its_model_runs():
    """A run of many model runs (the tornado) is stopped like a simulation: between runs."""
    from conftest import make

    from riskmodel.analysis import tornado

    scenario = make(threats=[{"name": "fire", "scope": "site", "category": "facility", "rate": {"ci90": [0.1, 1]},
                              "duration_hours": {"ci90": [2, 40]}}],
                    options=[{"name": "none", "baseline": True}, {"name": "warm", "architecture": "warm_standby"}])
    reports = []

    def progress(done, total):
        reports.append(done)
        if done == 3:
            raise Stopped("abandoned", 0.0)

    with pytest.raises(Stopped):
        tornado.tornado(scenario, "npv", "warm", trials=200, executor=Checked(progress, total=10), top=4)
    assert reports == [0, 1, 2, 3]


def test_a_tornado_stops_during_its_screening_run_too():
    """The screening run (one simulation of all trials) reports after each chunk, so Stop and
    the budget act there as well, before any one-at-a-time run."""
    from conftest import make

    from riskmodel.analysis import tornado

    scenario = make(threats=[{"name": "fire", "scope": "site", "category": "facility", "rate": {"ci90": [0.1, 1]},
                              "duration_hours": {"ci90": [2, 40]}}],
                    options=[{"name": "none", "baseline": True}, {"name": "warm", "architecture": "warm_standby"}])
    runs_started = []

    def stop(done, total):
        raise Stopped("abandoned", 0.0)

    with pytest.raises(Stopped):
        tornado.tornado(scenario, "npv", "warm", trials=2_000, top=2, progress=stop,
                            executor=Checked(lambda i, n: runs_started.append(i), total=6))
    assert runs_started == []
