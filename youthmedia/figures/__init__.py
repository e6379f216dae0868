"""Slide-ready figures: one theme, the standard chart types, Dutch and English.

Every chart takes a :class:`~youthmedia.result.Result` and returns a 16:9
``matplotlib.figure.Figure`` with a headline, a source line, footnotes and alt text
(``fig.youthmedia_alt_text``); see :mod:`youthmedia.figures.charts`.

Examples
--------
>>> from youthmedia import figures
>>> figures.Theme.light().height
7.5
>>> sorted(figures.CHARTS)
['bars', 'big_number', 'diverging', 'grouped', 'heatmap', 'trend']
"""

from __future__ import annotations

from .charts import auto, bars, big_number, diverging, grouped, heatmap, trend
from .theme import OKABE_ITO, Theme, get_theme

CHARTS = {
    "bars": bars,
    "grouped": grouped,
    "trend": trend,
    "diverging": diverging,
    "heatmap": heatmap,
    "big_number": big_number,
}

__all__ = [
    "CHARTS",
    "OKABE_ITO",
    "Theme",
    "auto",
    "bars",
    "big_number",
    "diverging",
    "get_theme",
    "grouped",
    "heatmap",
    "trend",
]
