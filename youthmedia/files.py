"""Files written whole or not at all, never onto an input, and their fingerprints.

Every file youthmedia writes (figures, workbooks, decks, reports, the demo data, SPSS files)
goes through a temporary file in the same folder and ``os.replace``: a reader never sees half a
file, and when writing fails an existing file is left as it was and no temporary file is left
behind. A replaced file keeps its permissions; a new one gets those the umask allows.

Before a file is replaced:

- it must not be a file a survey was loaded from in this process (:func:`register_input`;
  ``load`` registers every file it reads): a ``ConfigError`` names both;
- an existing file is replaced only if youthmedia made it, in this process or another: the
  SHA-256 of every file it writes is kept in ``~/.cache/youthmedia/written.sha256`` (or under
  ``$YOUTHMEDIA_CACHE`` / ``$XDG_CACHE_HOME``; hashes only, no names), and a workbook or deck
  whose document properties name youthmedia counts too. Anything else (a survey export, a
  file the user changed) is refused with a ``ConfigError`` naming it;
- the checks registered with :func:`add_check` (the privacy gate of :mod:`youthmedia.privacy`)
  see the bytes, unless the file is written as ``data=True`` (the demo data, an SPSS file).

:func:`check_writable` tells before any work whether an output folder can be written.

Examples
--------
>>> import pathlib, tempfile
>>> from youthmedia.files import atomic_path, atomic_write, sha256_of
>>> p = atomic_write(pathlib.Path(tempfile.mkdtemp()) / "a.txt", "abc")
>>> sha256_of(p)[:16]
'ba7816bf8f01cfea'
>>> with atomic_path(p.with_name("b.txt")) as tmp:
...     _ = tmp.write_text("written by another library")
>>> p.with_name("b.txt").read_text()
'written by another library'
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import ConfigError

__all__ = [
    "add_check",
    "atomic_path",
    "atomic_write",
    "check_writable",
    "register_input",
    "sha256_of",
]

_INPUTS: dict[Any, str] = {}
_CHECKS: list[Callable[[Path, bytes, Iterable[Any]], None]] = []
_WRITTEN: set[str] = set()  # SHA-256 of the files youthmedia wrote (see _log)


def register_input(path: str | os.PathLike[str]) -> None:
    """Remember that a survey was read from ``path``: no writer may replace it."""
    p = Path(path)
    with contextlib.suppress(OSError):
        st = p.stat()
        _INPUTS[(st.st_dev, st.st_ino)] = str(p)
        _INPUTS[str(p.resolve())] = str(p)


def add_check(check: Callable[[Path, bytes, Iterable[Any]], None]) -> None:
    """Run ``check(path, bytes, made_from)`` before every file written (not ``data=True``); it
    raises to stop. ``made_from``: the Results, figures or Surveys the file shows."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def _input_at(path: Path) -> str | None:
    with contextlib.suppress(OSError):
        st = path.stat()
        if (st.st_dev, st.st_ino) in _INPUTS:
            return _INPUTS[(st.st_dev, st.st_ino)]
    return _INPUTS.get(str(path.resolve()))


def _log() -> Path:
    """Where the SHA-256 of every file youthmedia wrote is kept (hashes only, no names)."""
    base = os.environ.get("YOUTHMEDIA_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "youthmedia" / "written.sha256"


def _record(digest: str) -> None:
    """Remember (for every process of this user) that youthmedia wrote a file with these bytes."""
    _WRITTEN.add(digest)
    with contextlib.suppress(OSError):
        log = _log()
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="ascii") as fh:
            fh.write(digest + "\n")
        if log.stat().st_size > 4 << 20:  # keep the newest 30,000 (about 2 MB)
            tmp = log.with_suffix(f".{os.getpid()}")
            tmp.write_text("\n".join(log.read_text("ascii").split()[-30_000:]) + "\n", "ascii")
            os.replace(tmp, log)


def _made_here(path: Path) -> bool:
    """Whether youthmedia wrote ``path`` as it is now (in any process), or it is an OOXML file
    whose document properties name youthmedia (a workbook or deck edited since)."""
    digest = sha256_of(path)
    if digest not in _WRITTEN:
        with contextlib.suppress(OSError):
            _WRITTEN.update(_log().read_text("ascii").split())
    if digest in _WRITTEN:
        return True
    try:
        with zipfile.ZipFile(path) as z:
            return b"youthmedia" in z.read("docProps/core.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def check_writable(path: str | os.PathLike[str], folder: bool = False) -> Path:
    """A ``ConfigError`` now, before any work, if ``path`` (a file, or a folder) cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> check_writable(pathlib.Path(tempfile.mkdtemp()) / "out" / "deck.pptx").name
    'deck.pptx'
    """
    path = Path(path)
    target = path if folder else path.parent
    if not folder and path.is_dir():
        raise ConfigError(f"{path} is a folder; give a file name to write to.")
    existing = target
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise ConfigError(
            f"Cannot write {path}: {existing} is a file, not a folder; "
            "choose another output folder."
        )
    if not os.access(existing, os.W_OK | os.X_OK):
        raise ConfigError(
            f"Cannot write {path}: the folder {existing} is not writable; "
            "choose another output folder."
        )
    if (source := _input_at(path)) is not None:
        raise ConfigError(
            f"Will not write {path}: it is the survey file {source} that was "
            "loaded; choose another output name."
        )
    return path


@contextlib.contextmanager
def atomic_path(
    path: str | os.PathLike[str],
    suffix: str = ".tmp",
    data: bool = False,
    made_from: Iterable[Any] = (),
) -> Iterator[Path]:
    """A temporary file beside ``path`` to write to (by any library); when the block ends
    without an error it replaces ``path``, else it is removed and ``path`` left as it was.

    The folder is created if needed; ``suffix`` is the temporary file's extension (some writers
    want the real one). ``data=True``: survey data written on purpose (not checked by the
    privacy gate). Raises ``ConfigError`` for a loaded survey file, a file youthmedia did not
    make, or a folder that cannot be written.
    """
    path = Path(path)
    check_writable(path)
    if path.is_file() and not data and not _made_here(path):
        raise ConfigError(
            f"Will not replace {path}: youthmedia did not make it (or it was "
            "changed since); choose another output name or folder (--out), or "
            "delete that file."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    except OSError as exc:
        raise ConfigError(
            f"Cannot write {path}: {exc.strerror or exc}; choose another output folder."
        ) from None
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if not data and _CHECKS:
            blob = tmp.read_bytes()
            for check in _CHECKS:
                check(path, blob, made_from)
        mode = (path.stat().st_mode & 0o777) if path.exists() else (0o666 & ~_umask())
        os.chmod(tmp, mode)
        digest = sha256_of(tmp)
        os.replace(tmp, path)
        _record(digest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes | str,
    encoding: str = "utf-8",
    *,
    survey_data: bool = False,
    made_from: Iterable[Any] = (),
) -> Path:
    """Write ``data`` (text in ``encoding``, or bytes) to ``path`` atomically; returns the path.

    ``survey_data=True``: the bytes are survey data written on purpose (the demo data), not an
    output for people, and skip the privacy gate.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = atomic_write(pathlib.Path(tempfile.mkdtemp()) / "a.txt", "hallo")
    >>> p.read_text()
    'hallo'
    """
    blob = data.encode(encoding) if isinstance(data, str) else bytes(data)
    with (
        atomic_path(path, data=survey_data, made_from=made_from) as tmp,
        os.fdopen(os.open(tmp, os.O_WRONLY | os.O_TRUNC), "wb") as fh,
    ):
        fh.write(blob)
        fh.flush()
        os.fsync(fh.fileno())
    return Path(path)


def sha256_of(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes (hex), read in blocks of 1 MiB."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
