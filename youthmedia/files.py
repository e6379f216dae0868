"""Files written whole or not at all, and their fingerprints.

Every file youthmedia writes (figures, workbooks, decks, reports, the demo data, SPSS files)
goes through a temporary file in the same folder and ``os.replace``: a reader never sees half a
file, and when writing fails an existing file is left as it was and no temporary file is left
behind. A replaced file keeps its permissions; a new one gets those the umask allows.

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
from collections.abc import Iterator
from pathlib import Path

from .errors import ConfigError

__all__ = ["atomic_path", "atomic_write", "sha256_of"]


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str], suffix: str = ".tmp") -> Iterator[Path]:
    """A temporary file beside ``path`` to write to (by any library); when the block ends
    without an error it replaces ``path``, else it is removed and ``path`` left as it was.

    The folder is created if needed; ``suffix`` is the temporary file's extension (some writers
    want the real one).
    """
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"{path} is a folder; give a file name to write to.")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        mode = (path.stat().st_mode & 0o777) if path.exists() else (0o666 & ~_umask())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def atomic_write(path: str | os.PathLike[str], data: bytes | str, encoding: str = "utf-8") -> Path:
    """Write ``data`` (text in ``encoding``, or bytes) to ``path`` atomically; returns the path.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = atomic_write(pathlib.Path(tempfile.mkdtemp()) / "a.txt", "hallo")
    >>> p.read_text()
    'hallo'
    """
    blob = data.encode(encoding) if isinstance(data, str) else bytes(data)
    with atomic_path(path) as tmp, os.fdopen(os.open(tmp, os.O_WRONLY | os.O_TRUNC), "wb") as fh:
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
