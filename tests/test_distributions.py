import numpy as np
import pytest
from numpy.testing import assert_allclose
from pydantic import ValidationError
from scipy import stats

from riskmodel import Quantity

U = (np.arange(200_000) + 0.5) / 200_000  # a fine, even grid of probabilities


def test_ci90_reproduces_its_percentiles():
    q = Quantity.parse({"ci90": [3.0, 300.0]})
    assert_allclose(q.ppf(np.array([0.05, 0.5, 0.95])), [3.0, 30.0, 300.0], rtol=1e-12)
    assert_allclose(q.quantile(0.05), 3.0, rtol=1e-12)


def test_lognormal_median_p95_form():
    q = Quantity.parse({"lognormal": {"median": 10, "p95": 40}})
    assert_allclose(q.ppf(np.array([0.5, 0.95])), [10, 40], rtol=1e-12)


@pytest.mark.parametrize("lo, mode, hi", [(0, 1, 10), (1e5, 1e6, 2e7), (0.05, 0.2, 1.0), (0, 0, 1), (2, 5, 5)])
def test_pert_quantiles_and_moments(lo, mode, hi):
    q = Quantity.parse({"pert": [lo, mode, hi]})
    a = 1 + 4 * (mode - lo) / (hi - lo)
    b = 1 + 4 * (hi - mode) / (hi - lo)
    exact = stats.beta(a, b, loc=lo, scale=hi - lo)
    # the interpolated ppf stays within 1e-6 of the range from scipy's exact one
    assert np.max(np.abs(q.ppf(U) - exact.ppf(U))) < 1e-6 * (hi - lo)
    assert_allclose(q.mean(), (lo + 4 * mode + hi) / 6, rtol=1e-12)
    sample = q.ppf(U)
    assert_allclose(sample.mean(), (lo + 4 * mode + hi) / 6, rtol=1e-4)
    assert_allclose(sample.var(), exact.var(), rtol=1e-3)


@pytest.mark.parametrize("spec, dist", [
    ({"uniform": [2, 6]}, stats.uniform(2, 4)),
    ({"triangular": [1, 2, 7]}, stats.triang(1 / 6, loc=1, scale=6)),
    ({"beta": [2, 5]}, stats.beta(2, 5)),
])
def test_other_forms_match_scipy(spec, dist):
    q = Quantity.parse(spec)
    assert np.max(np.abs(q.ppf(U) - dist.ppf(U))) < 1e-6
    assert_allclose(q.mean(), dist.mean(), rtol=1e-12)


def test_fixed_value_round_trips_as_a_bare_number():
    assert Quantity.parse(5).model_dump() == 5.0
    assert Quantity.parse({"value": 5, "source": "s"}).model_dump() == {"value": 5.0, "source": "s"}
    assert Quantity.parse({"pert": [1, 2, 3]}).model_dump() == {"pert": [1.0, 2.0, 3.0]}


@pytest.mark.parametrize("spec, words", [
    ({"ci90": [5, 3]}, ["ci90", "low 5", "high 3"]),
    ({"pert": [1, 9, 3]}, ["most likely 9", "[1, 3]"]),
    ({"ci90": [0, 3]}, ["must be > 0"]),
    ({"beta": [0, 3]}, ["> 0"]),
    ({"value": float("nan")}, ["finite"]),
    ({"pert": [1, 2, 3], "uniform": [1, 2]}, ["exactly one"]),
])
def test_bad_forms_say_what_is_wrong(spec, words):
    with pytest.raises(ValidationError) as info:
        Quantity.parse(spec)
    text = str(info.value)
    for word in words:
        assert word in text


def test_gamma_form_and_its_conjugate_update():
    q = Quantity.parse({"gamma": [2.0, 10.0]})
    exact = stats.gamma(2.0, scale=0.1)
    assert np.max(np.abs(q.ppf(U) - exact.ppf(U))) < 1e-6 * exact.ppf(0.9999)
    post = q.updated(events=3, years=5)
    assert post.gamma == (5.0, 15.0)
    assert_allclose(post.mean(), 5 / 15)
    with pytest.raises(ValueError, match="only a gamma prior"):
        Quantity.parse({"ci90": [1, 2]}).updated(1, 1)


EDITABLE = [{"value": 3.0}, {"ci90": [2.0, 40.0]}, {"uniform": [0.1, 0.4]}, {"pert": [1.0, 2.0, 9.0]},
            {"triangular": [1.0, 4.0, 5.0]}, {"lognormal": {"median": 10.0, "p95": 60.0}}]


@pytest.mark.parametrize("spec", EDITABLE, ids=lambda s: next(iter(s)))
def test_from_summary_turns_a_summary_back_into_its_quantity(spec):
    """The Assumptions page shows summary() and applies from_summary(): an unchanged edit changes nothing."""
    q = Quantity.model_validate({**spec, "source": "s"})
    again = Quantity.from_summary(q.form, *q.summary(), source="s")
    assert again.form == q.form
    assert_allclose(again.summary(), q.summary(), rtol=1e-12)
    assert_allclose([again.quantile(p) for p in (0.05, 0.5, 0.95)], [q.quantile(p) for p in (0.05, 0.5, 0.95)],
                    rtol=1e-12)


@pytest.mark.parametrize("form, triple, words", [
    ("ci90", (40.0, 0.0, 2.0), "ci90"),
    ("pert", (1.0, 9.0, 5.0), "pert"),
    ("gamma", (1.0, 2.0, 3.0), "set by its parameters"),
])
def test_from_summary_refuses_what_its_form_cannot_be(form, triple, words):
    with pytest.raises(ValueError, match=words):
        Quantity.from_summary(form, *triple)
