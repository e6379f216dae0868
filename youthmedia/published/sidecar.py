"""The ``<name>.published.yaml`` sidecar of a published table: where it is, what it holds.

Examples
--------
>>> from pathlib import Path
>>> from youthmedia.io.sidecar import find_sidecar
>>> find_sidecar(Path("data/published/pew_teens_2022_2024.csv"), "published").name  # doctest: +SKIP
'pew_teens_2022_2024.published.yaml'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import ConfigError, DataError
from ..io.sidecar import find_sidecar, load_yaml

_SIDECAR_KEYS = {"source", "year", "n", "measure", "item", "population", "title", "reach",
                 "notes", "translations", "shape", "columns_name", "level"}


def _read_sidecar(spec: str | Path | Mapping[str, Any] | None, path: Path) -> tuple[dict, str]:
    if spec is False:
        return {}, ""
    if spec is None or spec is True:
        found = find_sidecar(path, "published")
        if found is None:
            return {}, ""
        spec = found
    if isinstance(spec, Mapping):
        data, where = dict(spec), "codebook="
    else:
        sp = Path(spec)
        if not sp.is_file():
            raise ConfigError(f"{sp}: table sidecar not found; give the path of a .published.yaml "
                              "file, or leave codebook= out.")
        data = load_yaml(sp, "check the indentation and quotes") or {}
        where = str(sp)
        if not isinstance(data, Mapping):
            raise DataError(f"{sp}: must hold keys such as source:, year:, n:; it holds "
                            f"{type(data).__name__}.")
    unknown = sorted(set(map(str, data)) - _SIDECAR_KEYS)
    if unknown:
        raise DataError(f"{where}: unknown key(s) {', '.join(unknown)}; a table sidecar takes "
                        f"{', '.join(sorted(_SIDECAR_KEYS))}.")
    return dict(data), where
