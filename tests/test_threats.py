import numpy as np
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from riskmodel.threats import annual_rate, poisson_counts


def test_poisson_inversion_equals_scipy_ppf():
    rng = np.random.default_rng(1)
    rate = rng.choice([1e-4, 0.01, 0.3, 1.0, 4.0, 35.0], size=50_000)
    u = rng.random(50_000)
    assert_array_equal(poisson_counts(rate, u), stats.poisson.ppf(u, rate).astype(int))


def test_counts_never_fall_when_the_rate_rises():
    u = np.random.default_rng(2).random(10_000)
    low, high = poisson_counts(np.full(u.shape, 0.4), u), poisson_counts(np.full(u.shape, 0.41), u)
    assert (high >= low).all()


def test_rate_forms():
    assert_allclose(annual_rate("annual_probability", np.array(0.1)), -np.log(0.9))
    assert_allclose(annual_rate("return_period_years", np.array(25.0)), 0.04)
    assert_allclose(annual_rate("mtbf_hours", np.array(4380.0)), 2.0)
    assert_allclose(annual_rate("rate", np.array(0.3)), 0.3)
