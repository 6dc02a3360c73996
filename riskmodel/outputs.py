"""Output files written safely: whole or not at all, checked before the work, inert in a spreadsheet.

Files
    A report, a workbook or a JSON file is written to a new hidden file beside its target
    (``.NAME.riskmodel-…``), flushed to the disk (``fsync``) and renamed over the target
    (``os.replace``, one atomic step within a file system). A kill at any moment leaves
    the previous file byte for byte, or the complete new one; never a truncated file.
Table sets
    The CSV tables of one run belong together: a reader must never find some tables of
    one run beside tables of another, nor a table an earlier run wrote that this run did
    not (a scenario without a risk tolerance has no ``risk_tolerance.csv``). So the set is
    written into a new hidden sibling directory, with ``MANIFEST.json`` last (the run's
    settings and every table's size and SHA-256), and then swapped with the old directory
    in one step: Linux's ``renameat2(RENAME_EXCHANGE)``. Where the system has no such
    swap (other systems, some network file systems) it takes two renames, old set out and
    new set in; a kill between them leaves no directory at the name (never a mix), both
    sets whole beside it. Because the whole directory is replaced, it may only be one that
    riskmodel wrote (every entry named by its manifest) or a new or empty one: files of
    someone else's are never deleted. A reader that opens the tables one by one while a
    new set is swapped in could still straddle the swap; reading ``MANIFEST.json`` first
    and checking each table's SHA-256 against it tells it so.
Leftovers
    A killed write can leave hidden ``.NAME.riskmodel-…`` entries beside its target; the
    next write to the same target removes them. Two runs writing the same target at once
    are not supported: the output stays whole, but one of the runs may fail.
Checks
    :func:`check_file` and :func:`check_directory` say, before any simulation, whether an
    output can be written: its directory exists and takes a new file, it is not the
    scenario being read (nor another output of the same command), it is not a directory
    where a file is meant (or the reverse). Each problem is one line naming the option,
    the value and the rule (:class:`OutputError`).
Spreadsheets
    :func:`neutralise` is the one rule for text a spreadsheet opens (OWASP's CSV
    injection rule), used by the CSV tables and by the Excel workbook.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import pathlib
import secrets
import shutil
from collections.abc import Mapping

import pandas as pd

from riskmodel.documents import quote
from riskmodel.version import __version__

#: The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
#: Injection"): ``=``, ``+``, ``-``, ``@``, and tab and carriage return, which some
#: spreadsheets skip before looking for the others.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The file of a table set that names its tables; written last.
MANIFEST = "MANIFEST.json"
_LEFTOVER = ".riskmodel-"  # .NAME.riskmodel-TOKEN: a temporary file or directory of ours
_Path = str | os.PathLike
_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100  # linux/fcntl.h


class OutputError(ValueError):
    """An output that cannot be written where it was asked for; the message is one line."""



#: Characters of a path quoted in a message: paths are longer than other values, and a
#: person needs all of one to find the file.
PATH_QUOTE = 240


def quote_path(path) -> str:
    """A path as a message quotes it (:func:`riskmodel.documents.quote`, longer)."""
    return quote(str(path), limit=PATH_QUOTE)


def neutralise(value: object) -> object:
    """``value`` as a spreadsheet should get it: text that would start a formula gets a leading ``'``.

    Only text is changed; numbers stay numbers (the number -5 stays -5, the text "-5"
    becomes "'-5"). The quote is what OWASP recommends: a spreadsheet then shows the text
    as typed, with the quote, and never evaluates it.

    Examples
    --------
    >>> neutralise("=SUM(A1:A9)"), neutralise("-2+3"), neutralise(-5), neutralise("fire")
    ("'=SUM(A1:A9)", "'-2+3", -5, 'fire')
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutral_frame(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` with :func:`neutralise` applied to every cell, label and level name."""
    out = table.map(neutralise).rename(index=neutralise, columns=neutralise)
    out.index = out.index.set_names([neutralise(n) for n in out.index.names])
    out.columns = out.columns.set_names([neutralise(n) for n in out.columns.names])
    return out


def check_file(option: str, path: _Path, avoid: Mapping[str, _Path] | None = None) -> bool:
    """Check that ``path`` can take the output ``option`` asks for; return whether a file is replaced.

    Parameters
    ----------
    option : str
        The option naming the output, e.g. ``"--out"``, for the message.
    path : str or os.PathLike
        The file to write.
    avoid : mapping of str to path
        Files or directories this output must not be, nor hold, by what they are for the
        message (``{"the scenario file": "s.yaml", "the --out output": "r.html"}``).

    Returns
    -------
    bool
        Whether a file is there already, which the write will replace.

    Raises
    ------
    OutputError
        When the path is a directory, its directory is missing or takes no new file, it
        is read-only, or it is one of ``avoid``.
    """
    target = _real(path)
    if target.is_dir():
        raise OutputError(f"{option} {quote_path(path)}: is a directory; name a file")
    _check_place(option, path, target, avoid or {})
    exists = target.exists()
    if exists and not os.access(target, os.W_OK):
        raise OutputError(f"{option} {quote_path(path)}: the file is read-only; riskmodel does not replace it")
    return exists


def check_directory(option: str, path: _Path, avoid: Mapping[str, _Path] | None = None) -> bool:
    """Check that ``path`` can take a table set (:func:`write_set`); return whether a set is replaced.

    The directory may be new, empty, or one that riskmodel wrote: every entry in it named
    by its ``MANIFEST.json``. It is replaced as a whole, so anything else in it would be lost.
    Parameters as :func:`check_file`; returns whether a non-empty directory is replaced.

    Raises
    ------
    OutputError
        When the path is a file, its parent directory is missing or takes no new entry, it
        holds files riskmodel did not write, or it is or holds one of ``avoid`` or the
        working directory.
    """
    target = _real(path)
    if target.exists() and not target.is_dir():
        raise OutputError(f"{option} {quote_path(path)}: is a file; name a directory")
    avoid = {**(avoid or {}), "the working directory": pathlib.Path.cwd()}
    _check_place(option, path, target, avoid)
    if not target.exists():
        return False
    foreign = sorted(set(os.listdir(target)) - set(_manifest_files(target)) - {MANIFEST})
    if foreign:
        more = f" and {len(foreign) - 3:,} more" if len(foreign) > 3 else ""
        raise OutputError(f"{option} {quote_path(path)}: holds {', '.join(map(quote, foreign[:3]))}{more}, "
                          f"which riskmodel did not write; the directory is replaced as a whole, so name a new "
                          f"one or one riskmodel wrote")
    if not os.access(target, os.W_OK | os.X_OK):
        raise OutputError(f"{option} {quote_path(path)}: the directory is read-only; riskmodel does not replace it")
    return bool(os.listdir(target))


def write_file(path: _Path, data: bytes) -> pathlib.Path:
    """Write ``data`` to ``path`` whole or not at all (see the module's notes); return ``path``.

    A symbolic link at ``path`` stays a link: the file it points to is replaced. An
    existing file's permissions are kept.
    """
    target = _real(path)
    _remove_leftovers(target)
    temporary = _temporary(target)
    try:
        _write_new(temporary, data, like=target)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    _fsync_directory(target.parent)
    return pathlib.Path(path)


def write_set(directory: _Path, files: Mapping[str, bytes], about: Mapping | None = None) -> pathlib.Path:
    """Replace ``directory`` by exactly ``files`` (name → content) in one step; return ``directory``.

    ``MANIFEST.json`` is added, naming riskmodel's version, ``about`` (e.g. the run's
    settings) and each file's size [bytes] and SHA-256. See the module's notes for what a
    kill leaves. The directory must pass :func:`check_directory`.
    """
    target = _real(directory)
    _remove_leftovers(target)
    staging = _temporary(target)
    os.mkdir(staging)
    try:
        manifest = {"written_by": f"riskmodel {__version__}", "about": dict(about or {}), "files": {}}
        for name, data in files.items():
            _write_new(staging / name, data)
            manifest["files"][name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        _write_new(staging / MANIFEST, json.dumps(manifest, indent=1).encode("utf-8"))
        _fsync_directory(staging)
        if target.is_dir():
            shutil.copymode(target, staging)
            _swap(staging, target)  # staging now holds the old set
        else:
            os.rename(staging, target)
        _fsync_directory(target.parent)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return pathlib.Path(directory)


def _real(path: _Path) -> pathlib.Path:
    # Through symbolic links, so a link is followed (not replaced) and an input reached
    # by another name is still recognised.
    return pathlib.Path(os.path.realpath(path))


def _check_place(option: str, path, target: pathlib.Path, avoid: Mapping) -> None:
    shown = quote_path(path)
    for what, other in avoid.items():
        other = _real(other)
        if _same(target, other) or target in other.parents:
            holds = "is" if _same(target, other) else "holds"
            raise OutputError(f"{option} {shown}: {holds} {what}; an output never replaces an input or another "
                              f"output, so name another")
    if not target.parent.is_dir():
        raise OutputError(f"{option} {shown}: the directory {quote_path(target.parent)} does not exist")
    probe = _temporary(target)
    try:
        _write_new(probe, b"")
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"{option} {shown}: cannot write in {quote_path(target.parent)} "
                          f"({exc.strerror or exc})") from None


def _same(a: pathlib.Path, b: pathlib.Path) -> bool:
    try:
        return os.path.samefile(a, b)  # also hard links, and names that differ only in case where that is one file
    except OSError:
        return os.path.normcase(a) == os.path.normcase(b)


def _manifest_files(directory: pathlib.Path) -> list[str]:
    """The files a set's manifest names; none if there is no manifest riskmodel could have written."""
    try:
        with open(directory / MANIFEST, "rb") as fh:
            manifest = json.loads(fh.read(1_000_000))
        return [str(name) for name in manifest["files"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def _temporary(target: pathlib.Path) -> pathlib.Path:
    return target.parent / f".{target.name}{_LEFTOVER}{secrets.token_hex(6)}"


def _remove_leftovers(target: pathlib.Path) -> None:
    prefix = f".{target.name}{_LEFTOVER}"
    with os.scandir(target.parent) as entries:
        for entry in entries:
            if not entry.name.startswith(prefix):
                continue
            with contextlib.suppress(FileNotFoundError):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)


def _write_new(path: pathlib.Path, data: bytes, like: pathlib.Path | None = None) -> None:
    """Create ``path`` (never an existing file), write ``data``, and flush it to the disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        if like is not None and like.exists():
            shutil.copymode(like, path)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(directory: pathlib.Path) -> None:
    """Make a rename in ``directory`` durable (POSIX; Windows has no directory handles to flush)."""
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap(new: pathlib.Path, old: pathlib.Path) -> None:
    """Exchange two directories' names: in one step where the system can, else in two renames."""
    if _exchange(new, old):
        return
    aside = _temporary(old)
    os.rename(old, aside)
    try:
        os.rename(new, old)
    except BaseException:
        os.rename(aside, old)
        raise
    os.rename(aside, new)


def _exchange(a: pathlib.Path, b: pathlib.Path) -> bool:
    """Swap ``a`` and ``b`` atomically with Linux's renameat2; False where it is not available."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None) if os.name == "posix" else None
    if renameat2 is None:
        return False
    renameat2.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):  # not this kernel or file system
        return False
    raise OSError(code, os.strerror(code), str(b))
