"""Wilson score intervals for published figures with a known sample size.

Examples
--------
>>> from youthmedia.published.intervals import wilson_interval
>>> lo, hi = wilson_interval(0.5, 100)
>>> round(lo, 4), round(hi, 4)
(0.4038, 0.5962)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from ..errors import ConfigError

__all__ = ["wilson_interval"]


def wilson_interval(p: Any, n: Any, level: float = 0.95) -> tuple[Any, Any]:
    """Wilson score interval for a proportion ``p`` observed in a simple random sample of ``n``.

    ``centre = (p + z²/2n) / (1 + z²/n)``, ``half = z / (1 + z²/n) · √(p(1−p)/n + z²/4n²)``
    with ``z`` the normal quantile for ``level`` (1.959964 for 95%). NaN where ``p`` or ``n``
    is missing or ``n`` is not positive. Scalars in, floats out; arrays in, arrays out.

    Examples
    --------
    >>> lo, hi = wilson_interval(0.88, 761)
    >>> round(lo, 4), round(hi, 4)
    (0.855, 0.9012)
    """
    if not 0 < level < 1:
        raise ConfigError(f"level={level!r}; give the confidence level as a proportion, e.g. 0.95.")
    scalar = np.ndim(p) == 0 and np.ndim(n) == 0
    pa = np.asarray(p, dtype=float)
    na = np.asarray(n, dtype=float)
    z = float(stats.norm.ppf(1 - (1 - level) / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        z2 = z * z
        denom = 1 + z2 / na
        centre = (pa + z2 / (2 * na)) / denom
        half = z / denom * np.sqrt(pa * (1 - pa) / na + z2 / (4 * na * na))
        bad = ~(na > 0) | np.isnan(pa)
        lo = np.where(bad, np.nan, np.clip(centre - half, 0.0, 1.0))
        hi = np.where(bad, np.nan, np.clip(centre + half, 0.0, 1.0))
    if scalar:
        return float(lo), float(hi)
    return lo, hi
