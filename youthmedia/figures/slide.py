"""A slide: what a deck, a notebook or an exported picture needs besides the chart itself.

Examples
--------
>>> s = Slide("Inhoud", body=["1. Bereik", "2. Gebruik"])
>>> s.is_text, s.texts()
(True, ['Inhoud', '1. Bereik', '2. Gebruik'])
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class ChartData:
    """The numbers of a chart as drawn, for a native PowerPoint chart: ``kind`` ``"bar"``,
    ``"stacked"`` or ``"line"``; ``series`` of (name, values, colour), ``None`` where hidden.
    """

    kind: str
    categories: list[str]
    series: list[tuple[str, list[float | None], str]]
    percent: bool = True


@dataclass(frozen=True)
class Slide:
    """The texts and the chart of one slide: ``headline`` (the title), ``subtitle``, ``source``,
    ``footnotes``, ``alt_text``, speaker ``notes``, the ``figure`` (``None`` for a text slide with
    ``body`` lines), its ``kind``, ``lang``, the ``result`` drawn and its ``chart`` numbers.
    """

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

    @property
    def is_text(self) -> bool:
        """Whether this is a text slide (no chart)."""
        return self.figure is None

    def texts(self) -> list[str]:
        """Every text the slide shows or carries (for the privacy gate), in order."""
        out = [
            self.headline,
            self.subtitle,
            self.source,
            *self.footnotes,
            *self.body,
            self.alt_text,
            self.notes,
        ]
        return [t for t in out if t]

    def with_texts(self, **changes: Any) -> Slide:
        """A copy with some texts replaced (a trainer's own headline)."""
        return replace(self, **changes)
