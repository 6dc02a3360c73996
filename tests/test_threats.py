import numpy as np
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from riskmodel.models.threats import annual_rate, normal_error, poisson_counts


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


def test_counts_end_for_any_rate_where_exp_of_minus_the_rate_underflows():
    """exp(-rate) is 0 from 745 on: the exact inversion would never end; above 500 the
    count inverts the normal approximation instead."""
    u = np.random.default_rng(3).random(20_000)
    for rate in (745.0, 1e4, 1e9, 1e18):
        counts = poisson_counts(np.full(u.shape, rate), u)
        se = np.sqrt(rate / u.size)  # standard error of the mean count
        assert abs(counts.mean() - rate) < 5 * se + 0.5, rate  # + 0.5: the counts' rounding


def test_large_rates_follow_poisson_within_the_normal_approximations_error():
    """Kolmogorov distance of the counts' distribution (on a fine grid of uniforms, so
    without sampling noise) to Poisson's, against the Edgeworth bound (threats.normal_error)
    plus its next order, 1/λ, and the grid's resolution."""
    u = (np.arange(200_000) + 0.5) / 200_000
    for rate in (501.0, 2_000.0, 8_760.0):
        counts = np.sort(poisson_counts(np.full(u.shape, rate), u))
        k = np.arange(counts.min(), counts.max() + 1)
        empirical = np.searchsorted(counts, k, side="right") / u.size
        assert np.abs(empirical - stats.poisson.cdf(k, rate)).max() < normal_error(rate) + 1 / rate + 1 / u.size, rate


def test_counts_never_fall_across_the_switch_to_the_normal_approximation():
    u = np.random.default_rng(4).random(20_000)
    rates = [499.0, 500.0, 500.001, 501.0, 520.0, 600.0]
    counts = [poisson_counts(np.full(u.shape, r), u) for r in rates]
    assert all((b >= a).all() for a, b in zip(counts, counts[1:]))
