"""The ``<name>.published.yaml`` sidecar of a published table: where it is, what it holds.

Examples
--------
>>> from pathlib import Path
>>> from youthmedia.published.sidecar import _find_sidecar
>>> _find_sidecar(Path("data/published/pew_teens_2022_2024.csv")).name       # doctest: +SKIP
'pew_teens_2022_2024.published.yaml'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ConfigError, DataError


def _find_sidecar(path: Path) -> Path | None:
    for ext in (".published.yaml", ".published.yml"):
        candidate = path.with_name(path.stem + ext)
        if candidate.is_file():
            return candidate
    return None


_SIDECAR_KEYS = {"source", "year", "n", "measure", "item", "population", "title", "reach",
                 "notes", "translations", "shape", "columns_name", "level"}


def _read_sidecar(spec: str | Path | Mapping[str, Any] | None, path: Path) -> tuple[dict, str]:
    if spec is False:
        return {}, ""
    if spec is None or spec is True:
        found = _find_sidecar(path)
        if found is None:
            return {}, ""
        spec = found
    if isinstance(spec, Mapping):
        data, where = dict(spec), "codebook="
    else:
        import yaml

        sp = Path(spec)
        if not sp.is_file():
            raise ConfigError(f"{sp}: table sidecar not found; give the path of a .published.yaml "
                              "file, or leave codebook= out.")
        try:
            data = yaml.safe_load(sp.read_text(encoding="utf-8-sig")) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" (line {mark.line + 1})" if mark is not None else ""
            raise DataError(f"{sp}: not valid YAML{line}; check the indentation and quotes.") \
                from None
        where = str(sp)
        if not isinstance(data, Mapping):
            raise DataError(f"{sp}: must hold keys such as source:, year:, n:; it holds "
                            f"{type(data).__name__}.")
    unknown = sorted(set(map(str, data)) - _SIDECAR_KEYS)
    if unknown:
        raise DataError(f"{where}: unknown key(s) {', '.join(unknown)}; a table sidecar takes "
                        f"{', '.join(sorted(_SIDECAR_KEYS))}.")
    return dict(data), where
