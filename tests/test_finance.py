import numpy as np
import numpy_financial as npf
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from riskmodel.models import finance

flows = st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=12)


@given(st.floats(0.0, 0.5), flows)
def test_npv_equals_numpy_financial(rate, cash):
    assert_allclose(finance.npv(rate, np.array(cash)), npf.npv(rate, cash), rtol=1e-9, atol=1e-6)


@given(flows)
def test_npv_at_zero_rate_is_the_sum(cash):
    assert_allclose(finance.npv(0.0, np.array(cash)), sum(cash), rtol=1e-9, atol=1e-6)


def test_payback_roi_and_undefined_results():
    assert finance.payback_year(0.0, np.array([-100.0, 60.0, 60.0])) == 2
    assert np.isnan(finance.payback_year(0.1, np.array([-100.0, 1.0, 1.0])))
    assert np.isnan(finance.irr(np.array([10.0, 10.0])))
    assert finance.roi(150.0, 100.0) == 0.5
    assert_allclose(finance.annuity_factor(0.0, 4), 0.25)
    assert_allclose(finance.annuity_factor(0.1, 3) * npf.pv(0.1, 3, -1), 1.0)
