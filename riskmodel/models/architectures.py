"""DR architectures (DESIGN §5): what an outage becomes under each architecture.

Pure functions over events; parameters come from :class:`riskmodel.scenario.Architecture`
(presets in :mod:`riskmodel.presets`). :func:`failover_works`, :func:`effective_downtime` and
:func:`data_loss` are the one definition of recovery both engine paths use: numpy calls them
on arrays, the compiled core (:mod:`riskmodel.engine.kernels_numba`) compiles them for one
(event, service) pair, so they use only arithmetic, comparisons, ufuncs and ``if_else``.
"""

from __future__ import annotations

import numpy as np

from riskmodel.distributions import if_else


def failover_works(u, success, uplift):
    """Whether a failover works, at uniform draws ``u`` [0–1).

    Parameters
    ----------
    u : numpy.ndarray or float
        The pair's failover draw, shared by every option (common random numbers).
    success : numpy.ndarray or float
        The architecture's success probability, automatic or manual [0–1].
    uplift : numpy.ndarray or float
        What a skills programme adds to it [0–1]; the sum is capped at 1 (DESIGN §7).

    Returns
    -------
    numpy.ndarray of bool or bool
        ``u < min(1, success + uplift)``: a failover that works at probability p works at
        every higher p.

    Examples
    --------
    >>> failover_works(np.array([0.5, 0.95]), 0.9, 0.2).tolist()
    [True, True]
    """
    return u < np.minimum(1.0, success + uplift)


def effective_downtime(duration, covered, failover_ok, rto):
    """Downtime of one event under an architecture.

    Parameters
    ----------
    duration : numpy.ndarray
        Time to restore with no DR [h].
    covered : numpy.ndarray of bool
        The architecture protects against the event's scope.
    failover_ok : numpy.ndarray of bool
        The failover (or restore) worked.
    rto : numpy.ndarray
        Time to be serving again after a working failover [h].

    Returns
    -------
    numpy.ndarray
        Downtime [h]: ``min(duration, rto)`` when covered and the failover works,
        else ``duration``.

    Examples
    --------
    >>> effective_downtime(np.array([10.0, 10.0]), np.array([True, True]),
    ...                    np.array([True, False]), np.array([2.0, 2.0])).tolist()
    [2.0, 10.0]
    """
    return if_else(covered & failover_ok, np.minimum(duration, rto), duration)


def data_loss(event_loss, covered, failover_ok, rpo):
    """Data lost in one event [h of data].

    Parameters
    ----------
    event_loss : numpy.ndarray
        Data the event destroys with no DR (the threat's ``data_loss_hours``) [h].
    covered, failover_ok : numpy.ndarray of bool
        As in :func:`effective_downtime`.
    rpo : numpy.ndarray
        Recovery point objective of the architecture [h].

    Returns
    -------
    numpy.ndarray
        ``min(event_loss, rpo)`` when covered and the recovery works: a replica or a
        point-in-time copy loses at most the RPO, and never more than the event
        destroyed. Otherwise ``event_loss``.
    """
    return if_else(covered & failover_ok, np.minimum(event_loss, rpo), event_loss)


def covers_event(covers, scope, geo_separated, point_in_time_recovery):
    """Whether an architecture protects against each event.

    Parameters
    ----------
    covers : numpy.ndarray of bool, shape (4,)
        Scopes the architecture covers, in the order of ``riskmodel.scenario.SCOPES``
        (component, site, region, logical).
    scope : numpy.ndarray of int
        Scope index of each event.
    geo_separated : bool
        The second site is in another region.
    point_in_time_recovery : bool
        The architecture keeps point-in-time copies.

    Returns
    -------
    numpy.ndarray of bool
        A region event is covered only by a geo-separated architecture that covers sites
        or regions; a logical event only with point-in-time recovery, since live
        replication copies the corruption (DESIGN §5); other events when their scope is
        covered.
    """
    table = np.array([covers[0], covers[1], geo_separated and bool(covers[1] or covers[2]),
                      point_in_time_recovery])
    return table[scope]
