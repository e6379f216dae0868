"""Files written whole or not at all, past the privacy gate (:func:`atomic_path`), never onto a
loaded survey nor onto a file youthmedia did not write (SHA-256 log in the user's cache)."""

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

__all__ = "atomic_path atomic_write check_writable made_here register_input sha256_of".split()

_INPUTS: dict[Any, str] = {}  # (device, inode) and resolved path -> a loaded survey file
_CHECKS: list[Callable[[Path, bytes, Iterable[Any]], None]] = []  # privacy.gate_file
_WRITTEN: set[str] = set()  # SHA-256 of the files youthmedia wrote


def _keys(path: Path) -> list[Any]:
    with contextlib.suppress(OSError):
        return [((st := path.stat()).st_dev, st.st_ino), str(path.resolve())]
    return [str(path.resolve())]


def register_input(path: str | os.PathLike[str]) -> None:
    """Remember that a survey was read from ``path``: no writer may replace it."""
    _INPUTS.update(dict.fromkeys(_keys(Path(path)), str(path)))


def _log() -> Path:
    base = os.environ.get("YOUTHMEDIA_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "youthmedia" / "written.sha256"


def _record(digest: str) -> None:
    """Remember (for every process of this user) that youthmedia wrote these bytes."""
    _WRITTEN.add(digest)
    with contextlib.suppress(OSError):
        (log := _log()).parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="ascii") as fh:
            fh.write(digest + "\n")
        if log.stat().st_size > 4 << 20:  # keep the newest 30,000 (about 2 MB)
            tmp = log.with_suffix(f".{os.getpid()}")
            tmp.write_text("\n".join(log.read_text("ascii").split()[-30_000:]) + "\n", "ascii")
            os.replace(tmp, log)


def made_here(path: Path) -> bool:
    """Whether youthmedia wrote ``path`` (any process), or its OOXML properties name youthmedia."""
    if (digest := sha256_of(path)) not in _WRITTEN:
        with contextlib.suppress(OSError):
            _WRITTEN.update(_log().read_text("ascii").split())
    with contextlib.suppress(OSError, KeyError, zipfile.BadZipFile), zipfile.ZipFile(path) as z:
        return digest in _WRITTEN or b"youthmedia" in z.read("docProps/core.xml")
    return digest in _WRITTEN


def check_writable(path: str | os.PathLike[str], folder: bool = False) -> Path:
    """A ``ConfigError`` now, before any work, if ``path`` (a file, or a folder) cannot be written."""
    path = Path(path)
    if not folder and path.is_dir():
        raise ConfigError(f"{path} is a folder; give a file name to write to.")
    existing = path if folder else path.parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if source := next((_INPUTS[k] for k in _keys(path) if k in _INPUTS), None):
        raise ConfigError(
            f"Will not write {path}: it is the survey file {source} that was loaded; "
            "choose another output name."
        )
    if existing.exists() and not existing.is_dir():
        why = f"{existing} is a file, not a folder"
    elif not os.access(existing, os.W_OK | os.X_OK):
        why = f"the folder {existing} is not writable"
    else:
        return path
    raise ConfigError(f"Cannot write {path}: {why}; choose another output folder.")


@contextlib.contextmanager
def atomic_path(
    path: str | os.PathLike, suffix: str = ".tmp", survey_data: bool = False, made_from: Any = ()
) -> Iterator[Path]:
    """A temporary file (extension ``suffix``) beside ``path`` that replaces ``path`` when the block
    ends without an error, checked by the privacy gate (for the identifiers of ``made_from``)
    unless ``survey_data``."""
    if (path := check_writable(path)).is_file() and not survey_data and not made_here(path):
        raise ConfigError(
            f"Will not replace {path}: youthmedia did not make it (or it was changed since); "
            "choose another output name or folder (--out), or delete that file."
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    except OSError as exc:
        why = exc.strerror or exc
        raise ConfigError(f"Cannot write {path}: {why}; choose another output folder.") from None
    os.close(fd)
    try:
        yield (tmp := Path(name))
        for check in _CHECKS if not survey_data else []:
            check(path, tmp.read_bytes(), made_from)
        os.umask(umask := os.umask(0o022))
        os.chmod(tmp, (path.stat().st_mode & 0o777) if path.exists() else (0o666 & ~umask))
        with open(tmp, "rb") as fh:  # on disk before it replaces the old file
            os.fsync(fh.fileno())
            digest = hashlib.file_digest(fh, "sha256").hexdigest()
        os.replace(tmp, path)
        _record(digest)
    finally:
        with contextlib.suppress(FileNotFoundError):
            Path(name).unlink()


def atomic_write(path: str | os.PathLike[str], data: bytes | str, **options: Any) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` by :func:`atomic_path` (``options``
    ``survey_data``, ``made_from``); returns the path."""
    with (
        atomic_path(path, **options) as tmp,
        os.fdopen(os.open(tmp, os.O_WRONLY | os.O_TRUNC), "wb") as fh,  # tests interrupt here
    ):
        fh.write(data.encode() if isinstance(data, str) else bytes(data))
    return Path(path)


def sha256_of(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes (hex)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()
