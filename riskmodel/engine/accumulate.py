"""A run's totals from its chunks, in block order: bit-identical for any chunking or workers.

Float sums are kept per seed block (small arrays) and added in block order at the end, so
the total never depends on the chunking; integer counts (histograms, event counts) are
added at once, so memory does not grow with the number of chunks.
"""

from __future__ import annotations

import numpy as np

#: The axis along which per-trial detail arrays of several chunks are joined (0 where not listed).
DETAIL_AXIS = {"loss": 1, "npv": 1, "cash_npv": 1, "capex": 1, "cost_run": 1, "benefit_run": 1, "pair_cost": 1,
               "pair_downtime": 1}


class Accumulator:
    """Combines chunk results as they arrive, in block order.

    Float sums are kept per seed block (small arrays) and added in block order at the
    end, so the total never depends on the chunking; integer counts (histograms) are
    added at once, so memory does not grow with the number of chunks.
    """

    def __init__(self) -> None:
        self.blocks: dict[str, list[np.ndarray]] = {}
        self.counts: dict[str, np.ndarray] = {}
        self.details: list[dict] = []
        self.per_trial: list[dict] = []

    def add(self, part: dict) -> None:
        for key, value in part.items():
            if key == "detail":
                self.details.append(value)
            elif key == "per_trial":
                self.per_trial.append(value)
            elif key.endswith(("_sum", "_sq")):
                self.blocks.setdefault(key, []).append(value)
            elif key in self.counts:
                self.counts[key] = self.counts[key] + value
            else:
                self.counts[key] = value

    def result(self) -> dict:
        # A C-ordered (blocks, …) array summed over its first axis adds block after
        # block in order, whatever the chunks were.
        merged = {key: np.ascontiguousarray(np.concatenate(values)).sum(axis=0) for key, values in self.blocks.items()}
        merged.update(self.counts)
        if self.details:
            merged["detail"] = merge_detail(self.details)
        if self.per_trial:  # (O, trials) arrays, trials in block order
            merged["per_trial"] = {k: np.concatenate([p[k] for p in self.per_trial], axis=1) for k in self.per_trial[0]}
        return merged


def merge_detail(parts: list[dict]) -> dict:
    offsets = np.cumsum([0] + [p["event_trial"].size for p in parts[:-1]])
    out = {k: np.concatenate([p[k] for p in parts], axis=DETAIL_AXIS.get(k, 0)) for k in parts[0]}
    out["pair_event"] = np.concatenate([p["pair_event"] + off for p, off in zip(parts, offsets)])
    return out
