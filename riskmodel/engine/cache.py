"""numba's on-disk cache of the compiled core, made to notice changes in the modules it compiles.

numba keys a cached function by its own source file only. The compiled core
(:mod:`riskmodel.engine.kernels_numba`) compiles the model's functions from other modules
(the cost model, recovery, the quantile functions, the keyed draws), so an edit there would
leave a stale cache running the old formulas. :func:`track_sources` adds those files to the
key of every function cached from the core's file.

Only :mod:`riskmodel.engine.kernels_numba` imports this module (it needs numba).
"""

from __future__ import annotations

import functools
import hashlib
import os

from numba.core import caching

_TRACKED: dict[str, tuple[str, ...]] = {}


@functools.lru_cache(maxsize=None)
def _digest(path: str, mtime: float, size: int) -> bytes:
    # mtime and size key the memo, so a file edited while the process runs is read again.
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).digest()


def source_stamp(paths: tuple[str, ...]) -> tuple[bytes, ...]:
    """The contents' digests of ``paths``: what a cached function's freshness is judged by."""
    return tuple(_digest(p, os.stat(p).st_mtime, os.stat(p).st_size) for p in paths)


class _TrackingLocator(caching._CacheLocator):
    """numba's own locator for the file (in-tree, user-wide …), with the tracked files in the stamp."""

    def __init__(self, inner: caching._CacheLocator, paths: tuple[str, ...]):
        self._inner, self._paths = inner, paths

    def ensure_cache_path(self):
        self._inner.ensure_cache_path()

    def get_cache_path(self):
        return self._inner.get_cache_path()

    def get_disambiguator(self):
        return self._inner.get_disambiguator()

    def get_source_stamp(self):
        return self._inner.get_source_stamp(), source_stamp(self._paths)

    @classmethod
    def from_function(cls, py_func, py_file):
        paths = _TRACKED.get(os.path.realpath(py_file))
        if paths is None:
            return None
        for other in caching.CacheImpl._locator_classes:
            inner = None if other is cls else other.from_function(py_func, py_file)
            if inner is not None:
                return cls(inner, paths)
        return None


def track_sources(module_file: str, *sources: str) -> None:
    """Key the cache of every function compiled from ``module_file`` by ``sources`` too."""
    _TRACKED[os.path.realpath(module_file)] = tuple(os.path.realpath(s) for s in sources)
    if _TrackingLocator not in caching.CacheImpl._locator_classes:
        caching.CacheImpl._locator_classes.insert(0, _TrackingLocator)
