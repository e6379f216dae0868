"""The slide frame every chart is drawn in: headline, subtitle, plot area, source line, logo,
texts measured once so nothing is cut off (a constrained layout without its second pass).

Examples
--------
>>> frame = SlideFrame(Theme.light(), "Een kop", "Een ondertitel", ["Bron: test; n = 10"])
>>> [round(float(v), 3) for v in frame.fig.get_size_inches()]
[13.333, 7.5]
"""

import functools
import struct
import threading
import zlib

import matplotlib.image as mimage
import numpy as np
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.transforms import Bbox

from ..errors import ConfigError
from .theme import Theme

_LINESPACING = 1.2


_RENDERER = RendererAgg(10, 10, 72)  # at 72 dpi one pixel is one point


@functools.lru_cache(maxsize=4096)
def text_width(
    text: str, size: float, family: str = "DejaVu Sans", weight: str = "normal"
) -> float:
    """Width of one line of ``text`` in points when drawn at ``size`` points."""
    prop = FontProperties(family=family, size=size, weight=weight)
    return float(_RENDERER.get_text_width_height_descent(text, prop, ismath=False)[0])


@functools.lru_cache(maxsize=1)
def _canvas(width: int, height: int, dpi: float) -> tuple[RendererAgg, np.ndarray, threading.Lock]:
    """Agg buffer, PNG rows (each from a 0: no filter), lock: kept, new ones cost page faults."""
    rows = np.zeros((height, 1 + 4 * width), np.uint8)
    return RendererAgg(width, height, dpi), rows, threading.Lock()


def notebook_png(fig: Figure, dpi: int = 100) -> bytes:
    """``fig`` as PNG bytes, unhinted (text keeps the widths it was wrapped to at any dpi), drawn
    as ``savefig`` draws it, from the Agg buffer: rows unfiltered, zlib level 1 (decks zip again)."""
    renderer, rows, drawing = _canvas(*(int(v) for v in fig.get_size_inches() * dpi), dpi)
    with drawing, rc_context({"text.hinting": "no_hinting"}):
        old, fig.dpi = fig.dpi, dpi  # at ``dpi`` while drawn, as savefig draws it
        try:
            renderer.clear()
            fig.draw(renderer)
        finally:
            fig.dpi = old
        rgba = np.asarray(renderer.buffer_rgba())
        rows[:, 1:] = rgba.reshape(len(rows), -1)
        idat = zlib.compress(rows, 1)
    h, w, ppm = *rgba.shape[:2], round(dpi / 0.0254)  # pHYs: dots per metre
    head = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8-bit RGBA
    chunks = [b"IHDR" + head, b"pHYs" + struct.pack(">IIB", ppm, ppm, 1), b"IDAT" + idat, b"IEND"]
    parts = [struct.pack(">I", len(c) - 4) + c + struct.pack(">I", zlib.crc32(c)) for c in chunks]
    return b"\x89PNG\r\n\x1a\n" + b"".join(parts)


def wrap(
    text: str,
    width_pt: float,
    size: float,
    family: str = "DejaVu Sans",
    weight: str = "normal",
    max_lines: int | None = None,
) -> list[str]:
    """Break ``text`` into lines no wider than ``width_pt``; ``max_lines`` ends in "…"."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        words = paragraph.split() or [""]
        current = words[0]
        for word in words[1:]:
            trial = f"{current} {word}"
            if text_width(trial, size, family, weight) > width_pt:
                lines.append(current)
                trial = word
            current = trial
        lines.append(current)
    if max_lines is not None and len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and text_width(last + " …", size, family, weight) > width_pt:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines = [*lines[: max_lines - 1], last + " …"]
    return lines


def fit_headline(headline: str, width_pt: float, theme: Theme) -> tuple[float, list[str]]:
    """The headline's size and lines: smaller until it fits three lines; never cut."""
    if not headline:
        return theme.headline_size, []
    size = theme.headline_size
    while True:  # 5% to spare: PowerPoint and LibreOffice wrap a little wider than matplotlib
        lines = wrap(headline, width_pt * 0.95, size, theme.font_family, "bold")
        if len(lines) <= 3 or size - 2 < theme.subtitle_size + 2:
            return size, lines
        size -= 2


def _block_height(n_lines: int, size: float) -> float:
    """Height in points of ``n_lines`` lines of text at ``size`` (matplotlib's line layout)."""
    return size * (1.17 + _LINESPACING * (n_lines - 1)) + 0.25 * size if n_lines > 0 else 0.0


class SlideFrame:
    """A 16:9 figure: headline and subtitle, a plot area (``rect``, ``plot_width_in``,
    ``plot_height_in``), and the source line and footnotes below."""

    def __init__(
        self, theme: Theme, headline: str, subtitle: str = "", footer: list[str] | None = None
    ):
        fig = Figure(figsize=(theme.width, theme.height), facecolor=theme.background)
        FigureCanvasAgg(fig)  # an Agg canvas of its own: no pyplot, no global state
        fig.youthmedia_dpi = theme.dpi  # export.save_figure's resolution
        # shows itself in Jupyter without `%matplotlib inline` (IPython asks for _repr_png_)
        fig._repr_png_ = functools.partial(notebook_png, fig)
        self.fig, self.theme, family = fig, theme, theme.font_family
        width, margin, gap = (theme.width - 2 * theme.margin) * 72, theme.margin * 72, 8.0
        text_w = width
        if theme.logo is not None:  # top right, beside the header
            img = mimage.imread(str(theme.logo))
            logo_w = theme.logo_height * img.shape[1] / img.shape[0]
            if logo_w > theme.width / 3:
                raise ConfigError(
                    f"Logo {theme.logo} is too wide for a slide corner; use a logo "
                    "at most four times as wide as it is high."
                )
            left = 1 - (theme.margin + logo_w) / theme.width
            bottom = 1 - (theme.margin + theme.logo_height) / theme.height
            size = (logo_w / theme.width, theme.logo_height / theme.height)
            lax = fig.add_axes((left, bottom, *size), gid="youthmedia-logo")
            lax.imshow(img)
            lax.set_axis_off()
            text_w -= (logo_w + 0.25) * 72
        head_size, head = fit_headline(headline, text_w, theme)
        sub = wrap(subtitle, text_w, theme.subtitle_size, family, max_lines=2) if subtitle else []
        small = theme.small_size
        foot = [x for t in footer or [] if t for x in wrap(t, width * 0.97, small, family)]
        head_h = _block_height(len(head), head_size)
        sub_h = _block_height(len(sub), theme.subtitle_size)
        foot_h, height = _block_height(len(foot), small), theme.height * 72
        if theme.logo is not None:
            head_h = max(head_h, theme.logo_height * 72 - (sub_h + gap if sub_h else 0))
        sub_top, x = height - margin - head_h - gap, theme.margin / theme.width
        texts = [("youthmedia-headline", head, head_size, height - margin, "top", theme.foreground)]
        texts += [("youthmedia-subtitle", sub, theme.subtitle_size, sub_top, "top", theme.muted)]
        texts += [("youthmedia-footer", foot, small, margin, "bottom", theme.muted)]
        for gid, lines, size, y_pt, va, colour in texts:  # y_pt: points from the slide's bottom
            kw = {"fontsize": size, "color": colour, "family": family, "va": va, "gid": gid}
            kw["fontweight"] = "bold" if gid == "youthmedia-headline" else "normal"
            if lines:
                fig.text(x, y_pt / height, "\n".join(lines), linespacing=_LINESPACING, **kw)
        bottom = margin + foot_h + (gap if foot_h else 0)
        top = sub_top - (sub_h + gap if sub_h else 0) - gap
        if top - bottom < 0.3 * height:
            raise ConfigError(
                "The headline, subtitle and footnotes leave too little room for the "
                "chart; shorten the headline or the notes."
            )
        x0 = theme.margin / theme.width
        self.rect = Bbox.from_extents(x0, bottom / height, 1 - x0, top / height)
        self.plot_height_in, self.plot_width_in = (top - bottom) / 72, self.rect.width * theme.width

    def fit(self, ax: Axes) -> None:
        """Place ``ax`` so that it with its tick labels, legend and texts fills the plot area."""
        ax.set_position(self.rect)
        with rc_context({"text.hinting": "no_hinting"}):  # as drawn by notebook_png
            renderer = self.fig.canvas.get_renderer()
            inner, outer = ax.get_window_extent(renderer), ax.get_tightbbox(renderer)
        pad = 4 / 72 * self.fig.dpi  # 4 pt around, in pixels
        x0, y0 = (inner.p0 - outer.p0 + pad) / self.fig.bbox.size
        x1, y1 = (outer.p1 - inner.p1 + pad) / self.fig.bbox.size
        (left, bottom), (right, top) = self.rect.p0 + (x0, y0), self.rect.p1 - (x1, y1)
        if right - left > 0.1 and top - bottom > 0.1:  # else too crowded: keep the plot area
            ax.set_position(Bbox([[left, bottom], [right, top]]))


def style_axes(ax: Axes, theme: Theme, value_axis: str = "x") -> None:
    """The slide look: no box, a grid along the value axis (``"x"`` or ``"y"``), themed ticks."""
    ax.set_facecolor(theme.background)
    ax.spines[["top", "right", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0, pad=8 if value_axis == "x" else 3.5)
    (ax.xaxis if value_axis == "x" else ax.yaxis).grid(True, color=theme.grid, linewidth=1)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=theme.text_size, colors=theme.muted, labelcolor=theme.foreground)
