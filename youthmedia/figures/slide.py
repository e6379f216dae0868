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

__all__ = ["Slide"]


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
