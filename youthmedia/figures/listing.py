"""A slide of text lines: a deck's contents, or what it does not show and why.

Examples
--------
>>> fig = listing("Niet getoond, en waarom", ["Hoe oud ben je? — te weinig antwoorden"], "nl")
>>> fig.youthmedia_kind, fig.youthmedia_headline
('listing', 'Niet getoond, en waarom')
"""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from .frame import SlideFrame, tag_figure, wrap
from .theme import get_theme

__all__ = ["listing"]

_MAX_LINES = 14


def listing(title: str, lines: list[str], lang: str, theme: Any = None) -> Figure:
    """A slide headed ``title`` listing ``lines`` (at most 14 shown; the rest counted)."""
    theme = get_theme(theme)
    frame = SlideFrame(theme, title)
    fig = frame.fig
    width_pt = frame.plot_width_in * 72
    size = theme.subtitle_size
    shown: list[str] = []
    for line in lines:
        shown += wrap("• " + line, width_pt, size, theme.font_family, max_lines=2)
    if len(shown) > _MAX_LINES:
        rest = len(lines) - sum(1 for s in shown[:_MAX_LINES - 1] if s.startswith("• "))
        shown = shown[:_MAX_LINES - 1] + [f"… (+{rest})"]
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(0, 1, "\n".join(shown), ha="left", va="top", fontsize=size, color=theme.foreground,
            family=theme.font_family, linespacing=1.5, transform=ax.transAxes)
    text = "\n".join(lines)
    return tag_figure(fig, "listing", lang, None, title, "", "", [], f"{title}: {text}", text)
