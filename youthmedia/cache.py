"""A cache for repeated loads of the same file: re-running a notebook on a 1 GB ``.sav`` takes
seconds, not minutes.

:func:`cached_load` returns exactly what :func:`youthmedia.load` returns — data, codebook,
source and the warnings the load gave — but keeps the loaded data as Parquet (through
``pyarrow``) and the metadata as JSON beside it. An entry is keyed by

- the SHA-256 of the file's bytes (so a changed file is a new entry, wherever it lives),
- the load options (``columns``, ``codebook``, ``encoding``, ...), including the content of
  the codebook sidecar in use (``<name>.codebook.yaml``), so editing it invalidates the entry,
- the youthmedia version and a fingerprint of its readers' source, and the pandas and pyarrow
  versions, so an upgrade never serves data read by older code.

Hashing a large file takes about a second per GB; a small index of ``(path, size,
modification time, inode) -> SHA-256`` spares re-hashing a file that has not been touched.
``verify=True`` hashes anyway.

The cache lives in ``$YOUTHMEDIA_CACHE`` if set, else ``$XDG_CACHE_HOME/youthmedia``, else
``~/.cache/youthmedia``. Without ``pyarrow`` (``pip install pyarrow``) :func:`cached_load`
warns once and loads without caching. Entries are written atomically; a damaged entry is
removed and the file loaded again. :func:`clear_cache` empties it.

Examples
--------
>>> from youthmedia.cache import cached_load, clear_cache
>>> s = cached_load("data/youth_social_media_demo.sav")    # doctest: +SKIP
>>> s = cached_load("data/youth_social_media_demo.sav")    # doctest: +SKIP  (from the cache)
>>> clear_cache()                                          # doctest: +SKIP
2
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import threading
import time
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from .codebook import Codebook, MRSet, Variable
from .errors import YouthmediaWarning
from .survey import Source, Survey

__all__ = ["cache_key", "cache_location", "cached_load", "clear_cache", "have_pyarrow"]

#: Bumped whenever the layout of an entry changes.
CACHE_FORMAT = 1
ENV = "YOUTHMEDIA_CACHE"
#: Loads of files larger than this show a progress bar (after two seconds).
PROGRESS_BYTES = 50 * 2**20

_warned_no_pyarrow = False


# --------------------------------------------------------------------------------------------
# Where and under which key
# --------------------------------------------------------------------------------------------
def have_pyarrow() -> bool:
    """Whether ``pyarrow`` (needed to write the Parquet cache) is installed."""
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def cache_location(path: str | os.PathLike[str] | None = None) -> Path:
    """The cache folder: ``path``, else ``$YOUTHMEDIA_CACHE``, else the user cache folder."""
    if path is not None:
        return Path(path).expanduser()
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "youthmedia"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            h.update(block)
    return h.hexdigest()


def _file_hash(path: Path, root: Path, verify: bool) -> str:
    """SHA-256 of ``path``, from the stat index when the file is untouched since last time."""
    st = path.stat()
    stamp = [st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev]
    index = root / "stat" / (hashlib.sha1(str(path.resolve()).encode()).hexdigest() + ".json")
    if not verify:
        try:
            known = json.loads(index.read_text())
            if known.get("stamp") == stamp and len(known.get("sha256", "")) == 64:
                return str(known["sha256"])
        except (OSError, ValueError):
            pass
    digest = _sha256(path)
    try:
        _atomic_write_text(index, json.dumps({"path": str(path.resolve()), "stamp": stamp,
                                              "sha256": digest}))
    except OSError:
        pass
    return digest


_READER_FINGERPRINT: str | None = None


def _reader_fingerprint() -> str:
    """A hash of youthmedia's reading code, so a changed reader never serves old entries."""
    global _READER_FINGERPRINT
    if _READER_FINGERPRINT is None:
        here = Path(__file__).resolve().parent
        h = hashlib.sha256()
        for p in sorted([*(here / "io").glob("*.py"), here / "codebook.py", here / "survey.py",
                         Path(__file__).resolve()]):
            h.update(p.name.encode())
            h.update(p.read_bytes())
        _READER_FINGERPRINT = h.hexdigest()[:16]
    return _READER_FINGERPRINT


def _jsonable(value: Any) -> Any:
    """A stable JSON form of a load option (paths and mappings by content)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, os.PathLike):
        return {"file": str(value), "sha256": _sha256(Path(value)) if Path(value).is_file() else None}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return repr(value)


def cache_key(path: str | os.PathLike[str], *, cache: str | os.PathLike[str] | None = None,
              verify: bool = False, **options: Any) -> str:
    """The cache key of loading ``path`` with ``options`` (the entry's file name).

    Parameters
    ----------
    path : str or Path
        The data file.
    cache : str or Path, optional
        The cache folder (for its stat index); default :func:`cache_location`.
    verify : bool
        Hash the file even if its size and modification time are unchanged.
    **options
        The options given to :func:`youthmedia.load`.

    Returns
    -------
    str
        64 hexadecimal characters.

    Examples
    --------
    >>> k1 = cache_key("data/youth_social_media_demo.sav")                        # doctest: +SKIP
    >>> k1 == cache_key("data/youth_social_media_demo.sav", columns=["age"])      # doctest: +SKIP
    False
    """
    p = Path(path)
    root = cache_location(cache)
    return _cache_key(p, root, _file_hash(p, root, verify), options)


def _cache_key(p: Path, root: Path, digest: str, options: dict[str, Any]) -> str:
    """:func:`cache_key` with the file's digest already known."""
    import pyarrow

    from . import __version__

    opts = {k: v for k, v in options.items() if v is not None}   # None = load()'s default
    if isinstance(opts.get("columns"), str):
        opts["columns"] = [opts["columns"]]
    codebook = opts.pop("codebook", None)
    if codebook is False:
        side: Any = None                     # no sidecar: the same as none found
    elif codebook in (None, True):
        from .io.sidecar import find_sidecar

        found = find_sidecar(p)
        side = None if found is None else {"sha256": _sha256(found)}
    elif isinstance(codebook, Mapping):
        side = {"inline": _jsonable(codebook)}
    else:
        side = {"sha256": _sha256(Path(codebook)), "name": Path(codebook).name}
    parts = {
        "format": CACHE_FORMAT, "file": digest, "options": _jsonable(opts),
        "codebook": side, "youthmedia": __version__, "reader": _reader_fingerprint(),
        "pandas": pd.__version__, "pyarrow": pyarrow.__version__,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


# --------------------------------------------------------------------------------------------
# Metadata as JSON (codes keep their type: 1, 1.0 and "1" stay apart)
# --------------------------------------------------------------------------------------------
def _enc(x: Any) -> Any:
    if isinstance(x, dict):
        if all(isinstance(k, str) for k in x):
            return {"d": {k: _enc(v) for k, v in x.items()}}
        return {"p": [[_enc(k), _enc(v)] for k, v in x.items()]}
    if isinstance(x, tuple):
        return {"t": [_enc(v) for v in x]}
    if isinstance(x, list):
        return [_enc(v) for v in x]
    if hasattr(x, "item") and not isinstance(x, str | bytes):     # numpy scalars
        return _enc(x.item())
    if isinstance(x, float) and x != x:
        return {"nan": True}
    if x is None or isinstance(x, bool | int | float | str):
        return x
    raise TypeError(f"cannot keep {type(x).__name__} in the cache metadata")


def _dec(x: Any) -> Any:
    if isinstance(x, list):
        return [_dec(v) for v in x]
    if isinstance(x, dict):
        if "d" in x:
            return {k: _dec(v) for k, v in x["d"].items()}
        if "p" in x:
            return {_dec(k): _dec(v) for k, v in x["p"]}
        if "t" in x:
            return tuple(_dec(v) for v in x["t"])
        if "nan" in x:
            return float("nan")
    return x


def _fields(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def _meta_of(survey: Survey, caught: list[warnings.WarningMessage]) -> dict[str, Any]:
    cb = survey.codebook
    design = survey.design
    recipe = None
    if design is not None:
        recipe = {k: getattr(design, k) for k in ("weight", "strata", "cluster", "fpc", "nest",
                                                   "lonely_psu", "replicate_columns", "method",
                                                   "rho", "mse")}
    return {
        "format": CACHE_FORMAT,
        "codebook": _enc({
            "variables": [_fields(v) for v in cb.variables.values()],
            "mr_sets": [_fields(m) for m in cb.mr_sets.values()],
            "groups": dict(cb.groups), "file_label": cb.file_label, "encoding": cb.encoding,
            "weight": cb.weight,
        }),
        "source": _enc(_fields(survey.source)),
        "design": _enc(recipe),
        "warnings": [{"category": w.category.__name__, "message": str(w.message)} for w in caught],
        "columns": [str(c) for c in survey.data.columns],
        "created": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }


def _survey_of(data: pd.DataFrame, meta: dict[str, Any], path: str) -> Survey:
    raw = _dec(meta["codebook"])
    variables = {}
    for f in raw["variables"]:
        f["missing_ranges"] = [tuple(r) for r in f.get("missing_ranges", [])]
        variables[f["name"]] = Variable(**f)
    mr_sets = {m["name"]: MRSet(**m) for m in raw["mr_sets"]}
    cb = Codebook(variables=variables, mr_sets=mr_sets, groups=raw["groups"],
                  file_label=raw["file_label"], encoding=raw["encoding"], weight=raw["weight"])
    source = Source(**{**_dec(meta["source"]), "path": path})
    survey = Survey(data=data, codebook=cb, source=source)
    recipe = _dec(meta.get("design"))
    if recipe:
        if recipe.get("replicate_columns"):
            survey = survey.with_replicates(list(recipe["replicate_columns"]),
                                            method=recipe["method"], weight=recipe["weight"],
                                            rho=recipe["rho"], mse=recipe["mse"])
        else:
            survey = survey.with_design(weight=recipe["weight"], strata=recipe["strata"],
                                        cluster=list(recipe["cluster"]) or None,
                                        fpc=list(recipe["fpc"]) or None, nest=recipe["nest"],
                                        lonely_psu=recipe["lonely_psu"])
    return survey


def _replay(meta: dict[str, Any]) -> None:
    """Give the warnings of the original load again (a cache hit must not hide them)."""
    for w in meta.get("warnings", []):
        category = YouthmediaWarning if w["category"] == "YouthmediaWarning" else UserWarning
        warnings.warn(w["message"], category, stacklevel=3)


# --------------------------------------------------------------------------------------------
# Writing and reading entries
# --------------------------------------------------------------------------------------------
def _atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_entry(root: Path, key: str, survey: Survey, meta: dict[str, Any]) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    root.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(survey.data, preserve_index=True)
    final = root / f"{key}.parquet"
    tmp = root / f".{key}.{os.getpid()}.{threading.get_ident()}.parquet.tmp"
    try:
        pq.write_table(table, tmp, compression="lz4")
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    # the JSON last: an entry counts only once both files are complete
    _atomic_write_text(root / f"{key}.json", json.dumps(meta))


def _read_entry(root: Path, key: str) -> tuple[pd.DataFrame, dict[str, Any]] | None:
    import pyarrow.parquet as pq

    meta_path, data_path = root / f"{key}.json", root / f"{key}.parquet"
    if not meta_path.is_file() or not data_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("format") != CACHE_FORMAT:
            raise ValueError("old cache format")
        data = pq.read_table(data_path).to_pandas()
        if [str(c) for c in data.columns] != meta["columns"]:
            raise ValueError("columns differ from the metadata")
    except Exception as exc:  # noqa: BLE001 - any damage: drop the entry and load afresh
        warnings.warn(f"youthmedia cache entry {data_path.name} could not be read ({exc}); "
                      "loading the file again.", YouthmediaWarning, stacklevel=4)
        for p in (meta_path, data_path):
            p.unlink(missing_ok=True)
        return None
    try:
        os.utime(meta_path)            # last use, for anyone pruning by age
    except OSError:
        pass
    return data, meta


# --------------------------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------------------------
class _Progress:
    """A progress bar for a long load: how far the readers are through the file.

    On Linux the position of every open descriptor on the file is read from ``/proc``;
    elsewhere the bar shows the elapsed time. It appears only after two seconds.
    """

    def __init__(self, path: Path, enabled: bool) -> None:
        self.path = path.resolve()
        self.enabled = enabled
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _positions(self) -> list[int]:
        out = []
        fd_dir = Path("/proc/self/fd")
        try:
            for fd in os.listdir(fd_dir):
                try:
                    if os.readlink(fd_dir / fd) == str(self.path):
                        info = Path(f"/proc/self/fdinfo/{fd}").read_text()
                        out.append(int(info.split("pos:")[1].split()[0]))
                except (OSError, IndexError, ValueError):
                    continue
        except OSError:
            pass
        return out

    def _run(self) -> None:
        from tqdm.auto import tqdm

        size = self.path.stat().st_size
        bar = tqdm(total=size, unit="B", unit_scale=True, unit_divisor=1024, delay=2.0,
                   desc=f"reading {self.path.name}", leave=False)
        passes, last = 1, 0
        try:
            while not self._stop.wait(0.25):
                pos = max(self._positions(), default=None)
                if pos is None:
                    bar.refresh()
                    continue
                if pos < last - size // 10:           # a new pass over the file
                    passes += 1
                    bar.set_postfix_str(f"pass {passes}")
                last = pos
                bar.n = min(pos, size)
                bar.refresh()
        finally:
            bar.close()

    def __enter__(self) -> _Progress:
        if self.enabled:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()


# --------------------------------------------------------------------------------------------
# The public entry
# --------------------------------------------------------------------------------------------
def cached_load(path: str | os.PathLike[str], *, cache_dir: str | os.PathLike[str] | None = None,
                refresh: bool = False, verify: bool = False, progress: bool | None = None,
                **options: Any) -> Survey:
    """:func:`youthmedia.load`, kept in a Parquet cache for the next time.

    Parameters
    ----------
    path : str or Path
        The data file (any format :func:`youthmedia.load` reads).
    cache_dir : str or Path, optional
        Where entries live; default ``$YOUTHMEDIA_CACHE`` or ``~/.cache/youthmedia``.
    refresh : bool
        Load the file again and replace the entry.
    verify : bool
        Hash the file even when its size and modification time say it is unchanged.
    progress : bool, optional
        Show a progress bar; by default for files over 50 MB whose load takes longer than
        two seconds.
    **options
        Passed to :func:`youthmedia.load` (``columns``, ``codebook``, ``encoding``, ...).

    Returns
    -------
    Survey
        The same data, codebook and source as :func:`youthmedia.load`; ``source.path`` is the
        path given here. Warnings of the original load are given again on a cache hit.
        ``source.sha256`` is the digest the entry is keyed by: hashed now, or taken from the
        stat index when the file's size, modification time and inode are unchanged
        (``verify=True`` always hashes).

    Raises
    ------
    DataError, ConfigError
        As :func:`youthmedia.load`.

    Examples
    --------
    >>> s = cached_load("data/youth_social_media_demo.sav", columns=["age"])  # doctest: +SKIP
    >>> s.source.sha256 == cached_load("data/youth_social_media_demo.sav",
    ...                                columns=["age"]).source.sha256         # doctest: +SKIP
    True
    """
    global _warned_no_pyarrow
    from .io import _load, load
    from .io.sniff import check_file

    p, kind = check_file(path)
    big = p.stat().st_size > PROGRESS_BYTES
    show = big if progress is None else bool(progress)
    if not have_pyarrow():
        if not _warned_no_pyarrow:
            warnings.warn("pyarrow is not installed, so loads are not cached; "
                          "`pip install pyarrow` to make repeated loads fast.",
                          YouthmediaWarning, stacklevel=2)
            _warned_no_pyarrow = True
        with _Progress(p, show):
            return load(p, **options)
    root = cache_location(cache_dir)
    digest = _file_hash(p, root, verify)
    key = _cache_key(p, root, digest, options)
    if not refresh:
        hit = _read_entry(root, key)
        if hit is not None:
            data, meta = hit
            _replay(meta)
            from .files import register_input
            from .privacy import protect

            register_input(p)   # the identifier index and input guard, as a plain load has them
            return protect(_survey_of(data, meta, str(p)), warn=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with _Progress(p, show):
            # the digest the entry is keyed by is the source's: the file is not hashed twice
            survey = _load(p, kind, columns=options.pop("columns", None),
                           codebook=options.pop("codebook", None),
                           encoding=options.pop("encoding", None),
                           sheet=options.pop("sheet", None), options=options, sha256=digest)
    for w in caught:                      # the caller sees them as from a plain load
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    try:
        _write_entry(root, key, survey, _meta_of(survey, caught))
    except (OSError, TypeError, ValueError, ImportError) as exc:
        warnings.warn(f"Could not write the youthmedia cache in {root} ({exc}); the data "
                      "were loaded but not cached.", YouthmediaWarning, stacklevel=2)
    return survey


def clear_cache(cache_dir: str | os.PathLike[str] | None = None) -> int:
    """Remove every cache entry (and the stat index); returns how many entries were removed.

    Examples
    --------
    >>> import tempfile
    >>> clear_cache(tempfile.mkdtemp())
    0
    """
    root = cache_location(cache_dir)
    removed = 0
    if not root.is_dir():
        return 0
    for p in root.glob("*.json"):
        p.unlink(missing_ok=True)
        removed += 1
        root.joinpath(p.stem + ".parquet").unlink(missing_ok=True)
    for p in root.glob("*.parquet"):
        p.unlink(missing_ok=True)
    for p in root.glob(".*.tmp"):
        p.unlink(missing_ok=True)
    stat = root / "stat"
    if stat.is_dir():
        for p in stat.glob("*"):
            p.unlink(missing_ok=True)
    return removed
