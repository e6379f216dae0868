"""Placing text labels beside the points they name without letting them overlap.

Lines that end close together (92%, 81%, 80%) would have their end labels on top of each other;
:func:`repel` moves such labels apart vertically, as little as possible, and keeps them inside
the plot. It works in display units (points), so that the gap between two labels is the same
whatever the axis range.

Examples
--------
>>> [round(y, 1) for y in repel([100.0, 101.0, 50.0], [20.0, 20.0, 20.0], 0.0, 300.0, gap=2.0)]
[89.5, 111.5, 50.0]
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["overlapping_groups", "repel"]


def repel(
    targets: Sequence[float], heights: Sequence[float], low: float, high: float, gap: float = 2.0
) -> list[float]:
    """Centres for labels near their ``targets``, at least ``gap`` apart, inside [low, high].

    The labels keep their order (by target) and the sum of squared moves is the least possible
    (a least-squares isotonic fit by pool-adjacent-violators on the targets minus the packed
    offsets, clipped to the bounds). When they cannot all fit between ``low`` and ``high`` the
    stack is centred between them.

    Parameters
    ----------
    targets : sequence of float
        Where each label would like its centre (e.g. the display y of a line's end).
    heights : sequence of float
        Each label's height, in the same units.
    low, high : float
        The range the labels must stay inside (their edges, not their centres).
    gap : float
        The least space between two neighbouring labels.

    Returns
    -------
    list of float
        The centres, in the order of ``targets``.

    Examples
    --------
    >>> repel([10.0, 10.0], [4.0, 4.0], 0.0, 100.0, gap=0.0)
    [8.0, 12.0]
    >>> repel([99.0], [10.0], 0.0, 100.0)   # kept inside the range
    [95.0]
    """
    n = len(targets)
    if n != len(heights):
        raise ValueError("repel needs one height per target")
    if n == 0:
        return []
    order = sorted(range(n), key=lambda i: (targets[i], i))
    h = [float(heights[i]) for i in order]
    offsets = [0.0]
    for k in range(1, n):
        offsets.append(offsets[-1] + (h[k - 1] + h[k]) / 2 + gap)
    # y_k = z_k + offset_k with z non-decreasing: an isotonic fit of target - offset
    blocks: list[list[float]] = []  # [sum, count]
    for k, i in enumerate(order):
        blocks.append([float(targets[i]) - offsets[k], 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    z = [s / c for s, c in blocks for _ in range(int(c))]
    lo = low + h[0] / 2
    hi = high - offsets[-1] - h[-1] / 2
    z = [(lo + hi) / 2] * n if hi < lo else [min(max(v, lo), hi) for v in z]
    out = [0.0] * n
    for k, i in enumerate(order):
        out[i] = z[k] + offsets[k]
    return out


def overlapping_groups(starts: Sequence[float], ends: Sequence[float]) -> list[list[int]]:
    """Indices of intervals grouped so that intervals that overlap (even through others) share
    a group: labels in different groups cannot touch horizontally, whatever their heights.

    Examples
    --------
    >>> overlapping_groups([0, 5, 20, 8], [10, 12, 30, 9])
    [[0, 1, 3], [2]]
    """
    order = sorted(range(len(starts)), key=lambda i: (starts[i], i))
    groups: list[list[int]] = []
    reach = float("-inf")
    for i in order:
        if groups and starts[i] < reach:
            groups[-1].append(i)
            reach = max(reach, ends[i])
        else:
            groups.append([i])
            reach = ends[i]
    return [sorted(g) for g in groups]
