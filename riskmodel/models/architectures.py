"""DR architectures (DESIGN §5): what an outage becomes under each architecture.

Pure functions over events; parameters come from :class:`riskmodel.scenario.Architecture`
(presets in :mod:`riskmodel.presets`). :func:`failover_works`, :func:`chain_downtime` and
:func:`data_loss` are the one definition of recovery both engine paths use: numpy calls them
on arrays, the compiled core (:mod:`riskmodel.engine.kernels_numba`) compiles them for one
(event, service) pair, so they use only arithmetic, comparisons, ufuncs and ``if_else``.

An event's recovery is a chain (DESIGN §5): automatic failover, then manual failover,
then a restore from the last good backup, then waiting for the site or the fault to clear.
Each step that applies has its own success draw and time; a step cannot finish before the
one it follows has been tried, so the chain's clock is the running maximum of the step
times, and the downtime is that clock at the first step that works, capped by the event's
own duration.
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


def chain_downtime(duration, first, first_ok, first_time, second, second_ok, second_time, third, third_ok,
                   third_time):
    """Downtime of one event under an architecture's recovery chain.

    Parameters
    ----------
    duration : numpy.ndarray
        Time to restore with no DR: waiting for the site or the fault to clear [h].
    first, second, third : numpy.ndarray of bool
        Whether each step applies to the event: the first failover (automatic, or manual
        where the automation ran in the site that was hit), the manual failover after a
        failed automatic one, the restore from backup.
    first_ok, second_ok, third_ok : numpy.ndarray of bool
        Whether the step works when tried.
    first_time, second_time, third_time : numpy.ndarray
        Time from the event's start at which the step, if it works, has the service
        serving again [h].

    Returns
    -------
    numpy.ndarray
        Downtime [h]: ``min(duration, T)`` with ``T`` the chain's clock at the first
        applying step that works (the running maximum of the applying steps' times up to
        it), or ``duration`` when none does.

    Examples
    --------
    An automatic failover that fails falls through to a manual one at 6 h:

    >>> yes, no = np.array([True, True]), np.array([True, False])
    >>> chain_downtime(np.array([100.0, 100.0]), yes, no, np.array([0.1, 0.1]), yes, yes, np.array([6.0, 6.0]),
    ...                yes, yes, np.array([48.0, 48.0])).tolist()
    [0.1, 6.0]
    """
    # Step times are never negative, so a step that does not apply adds 0 to the clock.
    clock1 = first_time * first
    clock2 = np.maximum(clock1, second_time * second)
    clock3 = np.maximum(clock2, third_time * third)
    # The clocks only rise, so the first step that works is the one with the least clock; a
    # step that does not work is pushed past the event's duration (+ duration, exact where it works).
    done = np.minimum(clock1 + (1 - (first & first_ok)) * duration, clock2 + (1 - (second & second_ok)) * duration)
    done = np.minimum(done, clock3 + (1 - (third & third_ok)) * duration)
    return np.minimum(duration, done)


def data_loss(event_loss, covered, failover_ok, rpo):
    """Data lost in one event [h of data].

    Parameters
    ----------
    event_loss : numpy.ndarray
        Data the event destroys with no DR (the threat's ``data_loss_hours``) [h].
    covered : numpy.ndarray of bool
        The architecture protects against the event's scope.
    failover_ok : numpy.ndarray of bool
        A failover step (or, for a logical event, the point-in-time restore) worked; a
        restore from the last backup (the chain's third step) does not count: what the
        event destroyed since that backup is lost.
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
