import numpy as np
import pytest
from numpy.testing import assert_allclose

from riskmodel.analysis import metrics


@pytest.fixture(scope="module")
def sample():
    rng = np.random.default_rng(8)
    x = rng.lognormal(12, 2, 200_000)
    x[rng.random(x.size) < 0.6] = 0.0
    return x


@pytest.mark.parametrize("q", [0.5, 0.9, 0.95, 0.99, 0.999])
def test_histogram_quantiles_are_within_half_a_bin(sample, q):
    exact = np.quantile(sample, q, method="inverted_cdf")
    assert_allclose(metrics.quantile(metrics.histogram(sample), q), exact, rtol=2.4e-3, atol=1e-9)


def test_tail_mean_and_exceedance(sample):
    counts = metrics.histogram(sample)
    var = np.quantile(sample, 0.99)
    assert_allclose(metrics.tail_mean(counts, 0.99), sample[sample >= var].mean(), rtol=3e-3)
    for x in (1e3, 1e5, 1e7):
        assert_allclose(metrics.exceedance(counts, x)[0], (sample > x).mean(), atol=2e-4)


def test_signed_values_and_counts_add_exactly(sample):
    signed = sample - np.median(sample[sample > 0])
    a, b = metrics.histogram(signed[:1000]), metrics.histogram(signed[1000:])
    assert (a + b == metrics.histogram(signed)).all()
    assert_allclose(metrics.quantile(a + b, 0.05), np.quantile(signed, 0.05, method="inverted_cdf"), rtol=3e-3)
