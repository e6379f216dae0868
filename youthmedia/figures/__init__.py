"""Slide-ready figures: one theme, the standard chart types, Dutch and English.

Examples
--------
>>> sorted(CHARTS)
['bars', 'big_number', 'coefplot', 'diverging', 'dumbbell', 'grouped', 'heatmap', 'trend']
"""

from .charts import auto, bars, big_number, diverging, dumbbell, grouped, heatmap, trend
from .coefplot import coefplot
from .theme import OKABE_ITO, Theme, get_theme

CHARTS = {c.__name__: c for c in (bars, grouped, trend, diverging, heatmap, big_number)}
CHARTS |= {"dumbbell": dumbbell, "coefplot": coefplot}
__all__ = ["CHARTS", "OKABE_ITO", "Theme", "auto", "get_theme", *CHARTS]
