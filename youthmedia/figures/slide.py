"""A slide: what a deck, a notebook or an exported picture needs besides the chart itself.

Examples
--------
>>> s = Slide("Inhoud", body=["1. Bereik", "2. Gebruik"])
>>> s.texts()
['Inhoud', '1. Bereik', '2. Gebruik']
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ChartData:
    """A native chart's numbers: ``kind`` bar/stacked/line, ``series`` (name, values, colour)."""

    kind: str
    categories: list[str]
    series: list[tuple[str, list[float | None], str]]
    percent: bool = True


@dataclass(frozen=True)
class Slide:
    """The texts and chart of one slide; no ``figure``: a text slide of ``body`` lines."""

    headline: str
    subtitle: str = ""
    source: str = ""
    footnotes: list[str] = field(default_factory=list)
    alt_text: str = ""
    notes: str = ""
    figure: Any = None
    kind: str = "text"
    lang: str = "nl"
    result: Any = None
    body: list[str] = field(default_factory=list)
    chart: ChartData | None = None

    def texts(self) -> list[str]:
        """Every text the slide shows or carries (for the privacy gate), in order."""
        out = [self.headline, self.subtitle, self.source, *self.footnotes, *self.body]
        return [t for t in [*out, self.alt_text, self.notes] if t]
