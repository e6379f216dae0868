"""A slide of text lines: a deck's contents, or what it does not show and why.

Examples
--------
>>> fig = listing("Niet getoond, en waarom", ["Hoe oud ben je? — te weinig antwoorden"], "nl")
>>> fig.slide.kind, fig.slide.headline
('listing', 'Niet getoond, en waarom')
"""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from .. import i18n
from .frame import SlideFrame, tag_figure, wrap
from .theme import get_theme

_MAX_LINES = 14


def contents(questions: list[str], lang: str, theme: Any = None) -> Figure:
    """The contents slide of a deck: its questions, each once, in order."""
    return listing(i18n.t("contents", lang), list(dict.fromkeys(questions)), lang, theme)


def not_shown(missing: list[tuple[str, str | None, str]], lang: str, theme: Any = None) -> Figure:
    """The closing slide: each ``(question, breakdown label or None, why)`` left out, where
    ``why`` is ``"n=<answers>"`` (too few to show) or the error that stopped it."""
    from ..privacy import DEFAULT_MIN_N

    lines = []
    for title, by, why in missing:
        if by:
            title += " – " + i18n.t("alt_by", lang, by=by.lower())
        few = why.startswith("n=")
        reason = (
            i18n.t("too_few", lang, n=why, k=DEFAULT_MIN_N)
            if few
            else i18n.t("not_estimated", lang)
        )
        lines.append(f"{title}: {reason}")
    return listing(i18n.t("not_shown_title", lang), list(dict.fromkeys(lines)), lang, theme)


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
        rest = len(lines) - sum(1 for s in shown[: _MAX_LINES - 1] if s.startswith("• "))
        shown = shown[: _MAX_LINES - 1] + [f"… (+{rest})"]
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.text(
        0,
        1,
        "\n".join(shown),
        ha="left",
        va="top",
        fontsize=size,
        color=theme.foreground,
        family=theme.font_family,
        linespacing=1.5,
        transform=ax.transAxes,
    )
    text = "\n".join(lines)
    return tag_figure(fig, "listing", lang, None, title, "", "", [], f"{title}: {text}", text)
