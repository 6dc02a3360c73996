"""Uncertain inputs: the forms a scenario may give a number in, and their samplers.

Every numeric input is a :class:`Quantity`: a fixed value or one of the
distribution forms of DESIGN §3. Samplers work by inverse transform,
``quantity.ppf(u)`` with ``u`` uniform on [0, 1), so that the engine can feed the
same uniforms to every option and to every variant of an input (common random
numbers for comparisons, tornado charts and break-even searches): changing one
input's distribution never shifts the draws of another.

Beta- and gamma-shaped forms (``pert``, ``beta``, ``gamma``) have no fast exact inverse
in scipy (``betaincinv`` costs about 3 µs a value); their ppf is interpolated from a
table of scipy's exact quantiles on a probit grid (2,049 nodes over ±8.3 σ). The
table's largest error is below 1e-6 of the range (checked in
tests/test_distributions.py).

``{gamma: [shape, rate]}`` is the conjugate prior of a Poisson rate: a threat may
give one with its incident history, and :meth:`Quantity.updated` returns the
posterior Gamma(shape + events, rate + years) (DESIGN §4).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, model_serializer, model_validator
from scipy import special, stats

Z95 = float(special.ndtri(0.95))
FORMS = ("value", "ci90", "pert", "uniform", "triangular", "beta", "lognormal", "gamma")
_GRID_Z = np.linspace(-8.3, 8.3, 2049)
_GRID_U = special.ndtr(_GRID_Z)
#: Kinds of quantile function in :meth:`Quantity.ppf_spec`, by index.
PPF_KINDS = ("value", "lognormal", "beta", "gamma", "uniform", "triangular")
VALUE, LOGNORMAL, BETA, GAMMA, UNIFORM, TRIANGULAR = range(len(PPF_KINDS))
#: The probit grid of tabulated quantiles: first and last z, and the step between nodes.
PPF_GRID = np.array([_GRID_Z[0], _GRID_Z[-1], _GRID_Z[1] - _GRID_Z[0]])
#: Nodes in that grid, the length of every table.
PPF_GRID_NODES = _GRID_Z.size
#: A quantity's row in the compiled core's ``spec`` array (:meth:`Quantity.ppf_spec` laid flat):
#: these columns, then its table of quantiles on the probit grid (zeros if none).
SPEC_COLUMNS = ("kind", "p0", "p1", "p2")
# Plain floats: the compiled core takes a module's numbers as constants.
_Z_LO, _Z_HI, _Z_STEP = (float(x) for x in PPF_GRID)


@functools.lru_cache(maxsize=512)
def _table(family: str, *shape: float) -> np.ndarray:
    return getattr(stats, family)(*shape).ppf(_GRID_U)


# The quantile functions below are the one definition both engine paths use: numpy calls them
# on arrays, the compiled core (riskmodel.engine.kernels_numba) compiles them for scalars. So
# they use only arithmetic, comparisons, numpy's ufuncs and ``if_else``.

def if_else(condition, if_true, if_false):
    """``numpy.where`` for the formulas both engine paths share.

    numba's ``np.where`` returns an array even for scalars, so the compiled core gives this
    function a scalar form (``if_true if condition else if_false``); both arguments are
    evaluated on either path.
    """
    return np.where(condition, if_true, if_false)


def needs_normal(kind):
    """Whether quantile ``kind`` (an index into :data:`PPF_KINDS`) reads z = ndtri(u)."""
    return (kind == LOGNORMAL) | (kind == BETA) | (kind == GAMMA)


def tabulated_ppf(z, table):
    """Quantile interpolated in ``table`` (quantiles on the probit grid :data:`PPF_GRID`) at z = ndtri(u).

    The grid is even in z, so the cell is found by arithmetic, not by a search.
    """
    x = (np.minimum(np.maximum(z, _Z_LO), _Z_HI) - _Z_LO) / _Z_STEP
    cell = np.minimum(np.int64(x), PPF_GRID_NODES - 2)
    frac = x - cell
    return table[cell] + frac * (table[cell + 1] - table[cell])


def spec_ppf(kind, p0, p1, p2, table, u, z):
    """The quantile function :meth:`Quantity.ppf_spec` encodes, at uniforms ``u`` [0–1).

    Parameters
    ----------
    kind : int
        Index into :data:`PPF_KINDS`.
    p0, p1, p2 : float
        The kind's parameters, as :meth:`Quantity.ppf_spec` gives them.
    table : numpy.ndarray
        Quantiles on the probit grid, for the beta and gamma kinds.
    u, z : numpy.ndarray or float
        Uniforms, and their normal quantiles ``ndtri(u)`` where :func:`needs_normal`.

    Returns
    -------
    numpy.ndarray or float
        The quantile [the quantity's unit]; the value itself for the fixed kind.
    """
    if kind == LOGNORMAL:
        return np.exp(p0 + p1 * z)
    if kind == BETA:
        return p0 + p1 * tabulated_ppf(z, table)
    if kind == GAMMA:
        return tabulated_ppf(z, table) / p0
    if kind == UNIFORM:
        return p0 + (p1 - p0) * u
    if kind == TRIANGULAR:
        width = p2 - p0
        return if_else(u < (p1 - p0) / width, p0 + np.sqrt(u * width * (p1 - p0)),
                       p2 - np.sqrt((1 - u) * width * (p2 - p1)))
    return p0


class LognormalSpec(BaseModel):
    """Lognormal given by its median and 95th percentile (both > 0, p95 > median)."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    median: float
    p95: float


class Quantity(BaseModel):
    """One input: a fixed number or a distribution, with an optional source.

    Exactly one form is given. In YAML a bare number is the fixed form, and a
    fixed value without a source is written back as a bare number, so files
    round-trip unchanged.

    Examples
    --------
    >>> Quantity.parse(5).mean()
    5.0
    >>> q = Quantity.parse({"ci90": [1, 100]})
    >>> round(float(q.ppf(np.array([0.95]))[0]), 6)
    100.0
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    value: float | None = None
    ci90: tuple[float, float] | None = None
    pert: tuple[float, float, float] | None = None
    uniform: tuple[float, float] | None = None
    triangular: tuple[float, float, float] | None = None
    beta: tuple[float, float] | None = None
    lognormal: LognormalSpec | None = None
    gamma: tuple[float, float] | None = None
    source: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_number(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise ValueError(f"expected a number or a distribution, got {data!r}")
        if isinstance(data, (int, float)):
            return {"value": data}
        return data

    @model_validator(mode="after")
    def _check(self) -> "Quantity":
        given = [f for f in FORMS if getattr(self, f) is not None]
        if len(given) != 1:
            raise ValueError(
                f"give exactly one of {', '.join(FORMS)}; got {', '.join(given) or 'none'}"
            )
        form = given[0]
        params = getattr(self, form)
        numbers = params.model_dump().values() if form == "lognormal" else (
            [params] if form == "value" else params)
        for x in numbers:
            if not math.isfinite(x):
                raise ValueError(f"{form}: {x} is not a finite number")
        if form in ("ci90", "uniform"):
            lo, hi = params
            if not lo < hi:
                raise ValueError(f"{form}: low {lo:g} must be below high {hi:g}")
            if form == "ci90" and lo <= 0:
                raise ValueError(f"ci90: low {lo:g} must be > 0 (ci90 is a lognormal, for positive quantities)")
        elif form in ("pert", "triangular"):
            lo, mode, hi = params
            if not lo < hi:
                raise ValueError(f"{form}: low {lo:g} must be below high {hi:g}")
            if not lo <= mode <= hi:
                raise ValueError(f"{form}: most likely {mode:g} must lie within [{lo:g}, {hi:g}]")
        elif form in ("beta", "gamma"):
            if min(params) <= 0:
                raise ValueError(f"{form}: parameters {list(params)} must both be > 0")
        elif form == "lognormal":
            if params.median <= 0 or params.p95 <= params.median:
                raise ValueError(
                    f"lognormal: need 0 < median < p95; got median {params.median:g}, p95 {params.p95:g}")
        return self

    @model_serializer(mode="wrap")
    def _serialize(self, handler):
        data = {k: v for k, v in handler(self).items() if v is not None}
        if set(data) == {"value"}:
            return data["value"]
        for k, v in data.items():
            if isinstance(v, tuple):
                data[k] = list(v)
        return data

    @classmethod
    def parse(cls, data: Any) -> "Quantity":
        """Build a Quantity from a number or a mapping as written in a scenario file."""
        return cls.model_validate(data)

    @property
    def form(self) -> str:
        """Name of the form given (``value``, ``ci90``, ``pert`` …)."""
        return next(f for f in FORMS if getattr(self, f) is not None)

    @property
    def is_fixed(self) -> bool:
        return self.value is not None

    def _lognormal_params(self) -> tuple[float, float]:
        if self.ci90 is not None:
            lo, hi = self.ci90
            return (math.log(lo) + math.log(hi)) / 2, (math.log(hi) - math.log(lo)) / (2 * Z95)
        median, p95 = self.lognormal.median, self.lognormal.p95
        return math.log(median), math.log(p95 / median) / Z95

    def _beta_params(self) -> tuple[float, float, float, float]:
        """(a, b, loc, scale) of the beta behind ``pert`` or ``beta``."""
        if self.beta is not None:
            return self.beta[0], self.beta[1], 0.0, 1.0
        lo, mode, hi = self.pert
        width = hi - lo
        return 1 + 4 * (mode - lo) / width, 1 + 4 * (hi - mode) / width, lo, width

    def frozen(self):
        """The scipy.stats frozen distribution of this input (a point mass for fixed values)."""
        return _frozen(self)

    def _make_frozen(self):
        form = self.form
        if form == "value":
            return stats.uniform(loc=self.value, scale=0.0)
        if form in ("ci90", "lognormal"):
            mu, sigma = self._lognormal_params()
            return stats.lognorm(s=sigma, scale=math.exp(mu))
        if form in ("pert", "beta"):
            a, b, loc, scale = self._beta_params()
            return stats.beta(a, b, loc=loc, scale=scale)
        if form == "gamma":
            return stats.gamma(self.gamma[0], scale=1 / self.gamma[1])
        if form == "uniform":
            lo, hi = self.uniform
            return stats.uniform(loc=lo, scale=hi - lo)
        lo, mode, hi = self.triangular
        return stats.triang(c=(mode - lo) / (hi - lo), loc=lo, scale=hi - lo)

    def ppf(self, u: np.ndarray, z: np.ndarray | None = None) -> np.ndarray:
        """Quantiles at probabilities ``u`` (array in [0, 1)); same shape as ``u``.

        ``z`` is ``scipy.special.ndtri(u)`` when the caller already has it: the engine
        turns one column of uniforms into quantiles of several architectures' inputs,
        and the normal quantile is the costly part of each.
        """
        u = np.asarray(u, dtype=float)
        if self.is_fixed:
            return np.full(u.shape, self.value)
        kind, (p0, p1, p2), table = self.ppf_spec()
        if z is None and needs_normal(kind):
            z = special.ndtri(u)
        return spec_ppf(kind, p0, p1, p2, table, u, z)

    def ppf_spec(self) -> tuple[int, tuple[float, float, float], np.ndarray | None]:
        """:meth:`ppf` as numbers a compiled kernel can evaluate.

        Returns
        -------
        tuple
            The kind, an index into :data:`PPF_KINDS`; three parameters (value; mu and
            sigma of the log; loc and scale of a beta; the gamma's rate; the uniform's
            bounds; the triangle's low, mode and high); and the table of quantiles on the
            probit grid ``PPF_GRID`` for beta and gamma kinds, else None.
        """
        form = self.form
        if form == "value":
            return PPF_KINDS.index("value"), (self.value, 0.0, 0.0), None
        if form in ("ci90", "lognormal"):
            return PPF_KINDS.index("lognormal"), (*self._lognormal_params(), 0.0), None
        if form in ("pert", "beta"):
            a, b, loc, scale = self._beta_params()
            return PPF_KINDS.index("beta"), (loc, scale, 0.0), _table("beta", a, b)
        if form == "gamma":
            return PPF_KINDS.index("gamma"), (self.gamma[1], 0.0, 0.0), _table("gamma", self.gamma[0])
        if form == "uniform":
            return PPF_KINDS.index("uniform"), (*self.uniform, 0.0), None
        return PPF_KINDS.index("triangular"), tuple(self.triangular), None

    def mean(self) -> float:
        """Expected value [same unit as the input]."""
        return float(self.value) if self.is_fixed else _moment(self, "mean")

    def quantile(self, q: float) -> float:
        """Exact quantile from scipy (for display and analysis; sampling uses :meth:`ppf`)."""
        return float(self.value) if self.is_fixed else _quantile(self, float(q))

    def support(self) -> tuple[float, float]:
        """Smallest and largest value the input can take."""
        form = self.form
        if form == "value":
            return self.value, self.value
        if form in ("ci90", "lognormal", "gamma"):
            return 0.0, math.inf
        if form in ("pert", "triangular"):
            return self.pert[0] if self.pert else self.triangular[0], (self.pert or self.triangular)[2]
        if form == "uniform":
            return self.uniform
        return 0.0, 1.0

    @classmethod
    def from_summary(cls, form: str, low: float, likely: float, high: float,
                     source: str | None = None) -> "Quantity":
        """The quantity of ``form`` that a (low, most likely, high) triple describes.

        The inverse of :meth:`summary` for the forms a person sets by three numbers:
        ``value`` takes ``likely``; ``ci90`` and ``uniform`` take ``low`` and ``high``;
        ``pert`` and ``triangular`` all three; ``lognormal`` takes ``likely`` as its median
        and ``high`` as its 95th percentile. ``beta`` and ``gamma`` are set by their shape
        parameters, in the scenario file.

        Raises
        ------
        ValueError
            For ``beta`` or ``gamma``, or when the numbers break the form's rule.

        Examples
        --------
        >>> Quantity.from_summary("pert", 1, 2, 5).pert
        (1.0, 2.0, 5.0)
        """
        params: dict[str, Any] = {
            "value": {"value": likely}, "ci90": {"ci90": (low, high)}, "uniform": {"uniform": (low, high)},
            "pert": {"pert": (low, likely, high)}, "triangular": {"triangular": (low, likely, high)},
            "lognormal": {"lognormal": {"median": likely, "p95": high}},
        }.get(form)
        if params is None:
            raise ValueError(f"the {form} form is set by its parameters in the scenario file, not by low, "
                             f"most likely and high; choose one of value, ci90, uniform, pert, triangular, lognormal")
        return cls.model_validate({**params, **({"source": source} if source else {})})

    def summary(self) -> tuple[float, float, float]:
        """(low, most likely, high) for display and editing.

        Bounded forms give their bounds and mode (``uniform``: its midpoint); the others
        the 5th percentile, median and 95th percentile. :meth:`from_summary` of the
        same form turns the triple back into this quantity.
        """
        if self.is_fixed:
            return self.value, self.value, self.value
        if self.pert or self.triangular:
            lo, mode, hi = self.pert or self.triangular
            return lo, mode, hi
        if self.uniform:
            lo, hi = self.uniform
            return lo, (lo + hi) / 2, hi
        return self.quantile(0.05), self.quantile(0.5), self.quantile(0.95)

    def updated(self, events: int, years: float) -> "Quantity":
        """The posterior of a Gamma rate prior after ``events`` in ``years`` of history.

        Parameters
        ----------
        events : int
            Incidents observed [events].
        years : float
            Exposure over which they were observed [yr].

        Returns
        -------
        Quantity
            ``{gamma: [shape + events, rate + years]}`` [events/yr].

        Examples
        --------
        >>> Quantity.parse({"gamma": [2, 10]}).updated(3, 5).gamma
        (5.0, 15.0)
        """
        if self.gamma is None:
            raise ValueError(f"only a gamma prior can be updated with incident counts; this is {self.form}")
        shape, rate = self.gamma
        note = f"posterior of Gamma({shape:g}, {rate:g}) after {events} events in {years:g} years"
        return Quantity(gamma=(shape + events, rate + years),
                        source=f"{self.source}; {note}" if self.source else note)


# Quantities are immutable and hashable, and scipy's frozen distributions are slow to
# build and query one value at a time; pages and tables ask for the same few again and again.
@functools.lru_cache(maxsize=4096)
def _frozen(q: Quantity):
    return q._make_frozen()


@functools.lru_cache(maxsize=8192)
def _quantile(q: Quantity, p: float) -> float:
    return float(_frozen(q).ppf(p))


@functools.lru_cache(maxsize=4096)
def _moment(q: Quantity, name: str) -> float:
    return float(getattr(_frozen(q), name)())
