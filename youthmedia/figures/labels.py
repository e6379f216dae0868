"""Placing labels beside the points they name without overlap (in points, not data units)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import isotonic_regression


def repel(
    targets: Sequence[float], heights: Sequence[float], low: float, high: float, gap: float = 2.0
) -> list[float]:
    """Centres near ``targets``, ``gap`` apart, in [low, high]: an isotonic least-squares fit."""
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
    """Indices of intervals grouped so that intervals overlapping (even through others) meet."""
    start, end = np.asarray(starts, dtype=float), np.asarray(ends, dtype=float)
    order = np.lexsort((np.arange(len(start)), start))
    breaks = np.flatnonzero(start[order][1:] >= np.maximum.accumulate(end[order])[:-1]) + 1
    return [sorted(map(int, g)) for g in np.split(order, breaks) if len(g)]
