"""youthmedia: survey data on young people's social-media use, as correct statistics and
slide-ready figures.

Examples
--------
>>> import youthmedia as ym
>>> s = ym.load("data/youth_social_media_demo.sav")          # doctest: +SKIP
>>> ym.share(s.with_design(weight="weight"), "platform", by="age_band")  # doctest: +SKIP
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .codebook import Codebook, MRSet, Variable
from .errors import ConfigError, DataError, DisclosureError, YouthmediaError, YouthmediaWarning
from .result import Result
from .survey import Source, Survey

__version__ = "0.1.0"

# Public names that live in heavier modules, imported on first use so that `import youthmedia`
# stays quick and a module's absence shows up only where it is used.
_LAZY = {
    name: f"youthmedia.{module}"
    for module, names in (
        ("io", "load"),
        ("published", "load_table"),
        ("weighting", "rake poststratify calibrate trim_weights"),
        ("estimate", "share mean total crosstab chisq difference"),
        ("summaries", "quantile ratio var ttest contrast compare"),
        ("models", "glm ordinal"),
        *((m, m) for m in ("figures", "export", "scales", "privacy")),
    )
    for name in names.split()
}
__all__ = ["Codebook", "MRSet", "Result", "Source", "Survey", "Variable", *_LAZY]
__all__ += ["ConfigError", "DataError", "DisclosureError", "YouthmediaError", "YouthmediaWarning"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = import_module(_LAZY[name])
        value = module if module.__name__.endswith("." + name) else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'youthmedia' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
