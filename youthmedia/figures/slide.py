"""A slide: what a deck, a notebook or an exported picture needs besides the chart itself.

Every chart returns a ``matplotlib`` ``Figure`` whose ``fig.slide`` is a :class:`Slide`; the
deck writer (:func:`youthmedia.export.write_deck`) puts the headline in the slide's title
placeholder, the subtitle, source line and footnotes in text boxes, the chart as a picture
with ``alt_text`` as its description, and ``notes`` in the speaker notes. A Slide without a
figure is a text slide (contents, "not shown, and why"): its ``body`` lines in a text box.

Examples
--------
>>> s = Slide("Inhoud", body=["1. Bereik", "2. Gebruik"])
>>> s.is_text, s.texts()
(True, ['Inhoud', '1. Bereik', '2. Gebruik'])
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["ChartData", "Slide"]


@dataclass(frozen=True)
class ChartData:
    """The numbers of a chart as drawn, for a native PowerPoint chart (``charts="native"``).

    ``kind`` is ``"bar"`` (horizontal bars, one series or grouped), ``"stacked"`` (answers of
    a scale stacked to 100%) or ``"line"``; ``series`` holds (name, values, colour), a value
    ``None`` where the estimate is suppressed or missing; ``percent`` says the values are
    proportions.
    """

    kind: str
    categories: list[str]
    series: list[tuple[str, list[float | None], str]]
    percent: bool = True


@dataclass(frozen=True)
class Slide:
    """The texts and the chart of one slide.

    Attributes
    ----------
    headline : str
        The finding in words; the slide's title.
    subtitle : str
        What is shown (the question, the grouping).
    source : str
        ``Bron: <dataset> <jaar>; n = 1.512; gewogen``.
    footnotes : list of str
        Interval, suppression and indicative notes, the Result's notes.
    alt_text : str
        The chart described for a screen reader: its kind, headline, numbers and source.
    notes : str
        Speaker notes: every number with its interval and n, the source, the caveats.
    figure : matplotlib.figure.Figure, optional
        The chart; ``None`` for a text slide.
    kind : str
        The chart type (``"bars"``, ``"trend"`` …) or ``"text"``.
    lang : {"nl", "en"}
    result : Result, optional
        The Result drawn.
    body : list of str
        The lines of a text slide.
    chart : ChartData, optional
        The numbers drawn, where a native PowerPoint chart can show them.
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
        out = [self.headline, self.subtitle, self.source, *self.footnotes, *self.body,
               self.alt_text, self.notes]
        return [t for t in out if t]

    def with_texts(self, **changes: Any) -> Slide:
        """A copy with some texts replaced (a trainer's own headline)."""
        return replace(self, **changes)
