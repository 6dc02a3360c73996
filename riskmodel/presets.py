"""DR architecture presets: data, not code.

``ARCHITECTURE_PRESETS`` maps each preset name (AWS Resilience Hub's
``disasterRecoveryApproach`` values, lower-cased, with ``single_site`` for no DR) to the
fields of :class:`riskmodel.scenario.Architecture`. The figures are read from
``data/reference/dr_strategies.csv``, one sourced row per preset, so the table a reader
checks is the table the model uses. A scenario uses a preset by name and may override
any field (``{name: dr, preset: warm_standby, opex_per_year: …}``).

How a row becomes a preset: RTO [h] and failover success [0–1] are PERT
(low, mode, high); RPO [h] is uniform on (low, high); manual RTO [h] is a calibrated
90 % interval (ci90); the restore step's success [0–1] is PERT and its time [h] a ci90, both
sourced in the row's ``restore_source``; ``relative_cost`` becomes ``opex_multiple`` and
``relative_capex`` ``capex_multiple``, both multiples of the protected service's own
``infra_annual_cost``, so presets carry no currency. Zero-width ranges become fixed
values.
"""

from __future__ import annotations

import csv

from riskmodel.resources import reference


def _quantity(form: str, values: list[float], source: str) -> dict | float:
    if max(values) == min(values):
        return values[0]
    return {form: values, "source": source}


def _preset(row: dict[str, str]) -> dict:
    f = lambda name: float(row[name])  # noqa: E731
    source = f"data/reference/dr_strategies.csv ({row['architecture']}; confidence {row['confidence']})"
    restore = f"data/reference/dr_strategies.csv ({row['architecture']}, {row['restore_source']})"
    return {
        "covers": [c for c in row["covers"].split(";") if c],
        "geo_separated": row["geo_separated"] == "true",
        "point_in_time_recovery": row["point_in_time_recovery"] == "true",
        "failover_control": row["failover_control"],
        "rto_hours": _quantity("pert", [f("rto_hours_low"), f("rto_hours_mode"), f("rto_hours_high")], source),
        "rpo_hours": _quantity("uniform", [f("rpo_hours_low"), f("rpo_hours_high")], source),
        "failover_success": _quantity(
            "pert", [f("failover_success_low"), f("failover_success_mode"), f("failover_success_high")], source),
        "manual_failover_success": {"value": f("manual_failover_success"), "source": source},
        "manual_rto_hours": (_quantity("ci90", [f("manual_rto_hours_low"), f("manual_rto_hours_high")], source)
                             if f("manual_rto_hours_low") > 0 else f("manual_rto_hours_high")),
        "restore_success": _quantity("pert", [f("restore_success_low"), f("restore_success_mode"),
                                              f("restore_success_high")], restore),
        "restore_hours": (_quantity("ci90", [f("restore_hours_low"), f("restore_hours_high")], restore)
                          if f("restore_hours_low") > 0 else f("restore_hours_high")),
        "opex_multiple": {"value": f("relative_cost"), "source": source},
        "capex_multiple": {"value": f("relative_capex"), "source": source},
        "added_incident_rate": f("added_incident_rate"),
        "source": row["source"],
    }


def _load() -> dict[str, dict]:
    with reference("dr_strategies.csv").open(encoding="utf-8", newline="") as fh:
        return {row["architecture"]: _preset(row) for row in csv.DictReader(fh)}


ARCHITECTURE_PRESETS: dict[str, dict] = _load()
