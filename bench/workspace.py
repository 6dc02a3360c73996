"""Workspace timings and sizes: save and load a kakao-2022 version, store and load a 20,000-trial run,
and the database's size per run, on SQLite and on a PostgreSQL server of its own.

Run as ``.venv/bin/python bench/workspace.py [--repeats N]``. Each figure is the median of
N interleaved repeats (save, load, store, load, save, …), wall time beside CPU time of this
process (the server's own CPU is not in it); sizes are the database's growth over the
repeats divided by their number. PostgreSQL is skipped, and said so, where its server
programs are not installed (``make test`` installs them).
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # tests/databases.py starts the PostgreSQL server

from riskmodel.resources import shipped_scenarios  # noqa: E402
from riskmodel.workspace import Settings, Workspace, connect, results  # noqa: E402

TRIALS = 20_000


def timed(call):
    wall, cpu = time.perf_counter(), time.process_time()
    out = call()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def size(engine) -> int:
    """Bytes the workspace takes: the SQLite database's pages (committed ones in its log included), or the server's tables with their TOAST and indexes."""
    with engine.connect() as c:
        if engine.dialect.name == "sqlite":
            return c.exec_driver_sql("PRAGMA page_count").scalar() * c.exec_driver_sql("PRAGMA page_size").scalar()
        return sum(c.exec_driver_sql(f"SELECT pg_total_relation_size('{t}')").scalar()
                   for t in ("users", "scenarios", "versions", "runs", "run_tables"))


def measure(url: str, repeats: int, text: str, result, seconds: float) -> dict:
    engine = connect(url)
    ws = Workspace(engine, "bench")
    first = ws.save("kakao", text, "first")
    ws.store_run("kakao", first.number, Settings(trials=TRIALS), result, seconds)  # warm: tables made, caches filled
    rows = {k: [] for k in ("save", "load version", "store run", "load run")}
    start = size(engine)
    for i in range(repeats):
        v, w, c = timed(lambda: ws.save("kakao", text + f"# repeat {i}\n", "again"))
        rows["save"].append((w, c))
        _, w, c = timed(lambda: ws.version("kakao", v.number).text)
        rows["load version"].append((w, c))
        run, w, c = timed(lambda: ws.store_run("kakao", v.number, Settings(trials=TRIALS), result, seconds))
        rows["store run"].append((w, c))
        _, w, c = timed(lambda: (ws.stored_run(run.id), ws.run_tables(run.id)))
        rows["load run"].append((w, c))
    grown = size(engine) - start
    engine.dispose()
    out = {k: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v)) for k, v in rows.items()}
    out["bytes per version + run"] = grown / repeats
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    text = pathlib.Path(str(shipped_scenarios()["kakao-2022"])).read_text(encoding="utf-8")
    result, seconds = results.execute(text, Settings(trials=TRIALS))
    blobs = {name: len(results.to_parquet(t)) for name, t in results.tables(result).items()}
    print(f"kakao-2022: {len(text.encode()):,} bytes of text; a {TRIALS:,}-trial run: {len(blobs)} tables, "
          f"{sum(blobs.values()):,} bytes of Parquet (largest: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(blobs.items(), key=lambda kv: -kv[1])[:3]) + ")\n")
    found = {}
    with tempfile.TemporaryDirectory() as folder:
        found["SQLite"] = measure(f"sqlite:///{folder}/bench.sqlite", args.repeats, text, result, seconds)
    try:
        from databases import Server, server_binaries
        if server_binaries() is None:
            raise RuntimeError("PostgreSQL's server programs are not installed (make test installs them)")
        server = Server()
        try:
            found["PostgreSQL"] = measure(server.new_database(), args.repeats, text, result, seconds)
        finally:
            server.stop()
    except Exception as exc:  # noqa: BLE001 - said in the table, the SQLite figures stand
        print(f"PostgreSQL skipped: {exc}\n")
    print(f"| operation (median of {args.repeats}) | " + " | ".join(f"{db} wall / CPU" for db in found) + " |")
    print("|---|" + "---:|" * len(found))
    for key in ("save", "load version", "store run", "load run"):
        print(f"| {key} | " + " | ".join(f"{v[key][0] * 1e3:.1f} ms / {v[key][1] * 1e3:.1f} ms"
                                      for v in found.values()) + " |")
    print("| database growth per version + run | " + " | ".join(f"{v['bytes per version + run'] / 1e3:,.0f} kB"
                                                            for v in found.values()) + " |")


if __name__ == "__main__":
    main()
