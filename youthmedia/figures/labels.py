"""Placing labels beside the points they name without overlap (in points, not data units).

Examples
--------
>>> [round(y, 1) for y in repel([100.0, 101.0, 50.0], [20.0, 20.0, 20.0], 0.0, 300.0, gap=2.0)]
[89.5, 111.5, 50.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import isotonic_regression


def repel(
    targets: Sequence[float], heights: Sequence[float], low: float, high: float, gap: float = 2.0
) -> list[float]:
    """Centres near ``targets``, at least ``gap`` apart, inside [low, high], order kept: the
    least-squares moves (an isotonic fit of the targets less the packed offsets), clipped to
    the bounds; a stack taller than the range is centred in it."""
    if not len(targets):
        return []
    order = np.lexsort((np.arange(len(targets)), np.asarray(targets, dtype=float)))
    h = np.asarray(heights, dtype=float)[order]
    offsets = np.r_[0.0, np.cumsum((h[:-1] + h[1:]) / 2 + gap)]
    z = isotonic_regression(np.asarray(targets, dtype=float)[order] - offsets).x
    lo, hi = low + h[0] / 2, high - offsets[-1] - h[-1] / 2
    z = np.full(len(z), (lo + hi) / 2) if hi < lo else np.clip(z, lo, hi)
    out = np.empty(len(z))
    out[order] = z + offsets
    return [float(v) for v in out]


def overlapping_groups(starts: Sequence[float], ends: Sequence[float]) -> list[list[int]]:
    """Indices of intervals grouped so that intervals overlapping (even through others) share
    a group.

    Examples
    --------
    >>> overlapping_groups([0, 5, 20, 8], [10, 12, 30, 9])
    [[0, 1, 3], [2]]
    """
    groups: list[list[int]] = []
    reach = float("-inf")
    for i in sorted(range(len(starts)), key=lambda i: (starts[i], i)):
        if groups and starts[i] < reach:
            groups[-1].append(i)
        else:
            groups.append([i])
        reach = max(reach, ends[i]) if len(groups[-1]) > 1 else ends[i]
    return [sorted(g) for g in groups]
