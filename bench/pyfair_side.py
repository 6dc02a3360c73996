"""pyfair's side of the FAIR comparison in bench/run.py, run by the python of bench/.peers.

It imports only pyfair and the standard library, since riskmodel is not installed in that
venv. Takes one JSON object as its argument: ``trials``, ``repeats``, ``seed`` and the PERT
triples ``rate`` (events/yr) and ``loss`` (USD per event). Prints one JSON line:
``version`` of pyfair, ``seconds`` and ``cpu`` seconds of each run (model built, inputs drawn, risk calculated),
and ``mean`` and ``se`` (standard error) of the last run's annual risk [USD/yr].
"""

import json
import math
import sys
import time
from importlib.metadata import version

import pyfair


def main() -> None:
    p = json.loads(sys.argv[1])
    seconds, cpu = [], []
    for _ in range(p["repeats"]):
        start, cpu_start = time.perf_counter(), time.process_time()
        model = pyfair.FairModel(name="FAIR single threat", n_simulations=p["trials"], random_seed=p["seed"])
        model.input_data("Loss Event Frequency", low=p["rate"][0], mode=p["rate"][1], high=p["rate"][2])
        model.input_data("Loss Magnitude", low=p["loss"][0], mode=p["loss"][1], high=p["loss"][2])
        model.calculate_all()
        risk = model.export_results()["Risk"].to_numpy()
        seconds.append(time.perf_counter() - start)
        cpu.append(time.process_time() - cpu_start)
    print(json.dumps({"version": version("pyfair"), "seconds": seconds, "cpu": cpu, "mean": float(risk.mean()),
                      "se": float(risk.std() / math.sqrt(risk.size))}))


if __name__ == "__main__":
    main()
