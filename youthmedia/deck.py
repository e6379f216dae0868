"""Editable PowerPoint decks: the headline in the title placeholder, subtitle and footer text
boxes where the figure had them, the chart a described picture without them (or a native chart),
the numbers in the speaker notes. The same input gives the same bytes.

Examples
--------
>>> import tempfile, pathlib
>>> from pptx import Presentation
>>> from youthmedia.result import Result
>>> from youthmedia.figures import charts
>>> r = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.4, "n": 400}],
...                      labels={"nl": {"x": "Online gepest"}})
>>> path = write_deck([charts.bars(r), Slide("Niet getoond", body=["BeReal: n < 10"])],
...                   pathlib.Path(tempfile.mkdtemp()) / "d.pptx")
>>> [s.shapes.title.text for s in Presentation(path).slides]
['Jongeren en sociale media', 'Online gepest: 40% van de jongeren', 'Niet getoond']
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

from . import i18n
from .errors import ConfigError, DataError
from .figures.common import hide_crowded_labels
from .figures.frame import fit_headline, notebook_png, wrap
from .figures.slide import ChartData, Slide
from .figures.text import _is_wave, n_total
from .figures.theme import Theme, get_theme
from .files import atomic_write

#: The date in document properties and ZIP entries; ``SOURCE_DATE_EPOCH`` overrides it.
FIXED_DATE = dt.datetime(2000, 1, 1)
_W, _H, _IN = 12192000, 6858000, 914400  # 13.333 × 7.5 in, in EMU; EMU per inch
_PT = _IN / 72
_FRAME_TEXTS = ("youthmedia-headline", "youthmedia-subtitle", "youthmedia-footer")


def _fixed_date() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch and not epoch.isdigit():
        raise ConfigError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds.")
    stamp = dt.datetime.fromtimestamp(int(epoch or 0), dt.UTC).replace(tzinfo=None)
    return stamp if epoch else FIXED_DATE


def _normalise_zip(blob: bytes, date: dt.datetime | None = None) -> bytes:
    """An OOXML ZIP with fixed entry times and core-property dates."""
    date = date or _fixed_date()
    stamp = date.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith(".xlsx"):  # a native chart's data sheet
                data = _normalise_zip(data, date)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:creat|modifi)ed[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            new = zipfile.ZipInfo(info.filename, (max(date.year, 1980), *date.timetuple()[1:6]))
            new.external_attr, new.create_system = 0o644 << 16, 0
            dst.writestr(new, data, zipfile.ZIP_DEFLATED, 6)
    return out.getvalue()


def _span(values: list[str], lang: str) -> str:
    """``2015–2023`` for waves that are years ("2023", "2015–2023"), else the waves listed."""
    values = list(dict.fromkeys(v for v in values if v))
    years = sorted({int(y) for v in values for y in re.findall(r"\b(?:19|20)\d\d\b", v)})
    if years:
        return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return i18n.join(values, lang)


def deck_subtitle(slides: list[Slide], lang: str) -> str:
    """The title slide's line about the whole deck: its sources, waves and range of n."""
    waves_of: dict[str, list[str]] = {}  # source name -> its waves
    ns: list[int] = []
    for r in (s.result for s in slides if s.result is not None):
        src, per_wave = r.meta.source, [b for b in r.meta.by if _is_wave(b)]
        waves = waves_of.setdefault(i18n.text_in(src.get("name"), lang), [])
        waves += [str(src.get("year") or "").strip()]
        waves += [str(v) for k, v in r.meta.selection.items() if _is_wave(k)]
        waves += [str(v) for b in per_wave for v in dict.fromkeys(r[b].astype(str))]
        if per_wave and "n" in r.columns:  # each wave its own n
            ns += [int(n) for n in r.groupby(per_wave[0], observed=True)["n"].max().dropna()]
        elif n_total(r):
            ns.append(n_total(r))
    named = [f"{name} {_span(w, lang)}".strip() for name, w in waves_of.items() if name]
    head = f"{i18n.t('source', lang)}: {'; '.join(named)}" if named else ""
    parts = [head or _span(waves_of.get("", []), lang)]
    if ns:
        lo, hi = (i18n.integer(x, lang) for x in (min(ns), max(ns)))
        n = lo if lo == hi else f"{lo} {i18n.t('to', lang)} {hi}"
        parts.append(i18n.t("n_equals", lang, n=n))
    return "; ".join(p for p in parts if p)


def _split(fig: Figure, dpi: int | None) -> tuple[dict[str, tuple[int, ...]], bytes | None]:
    """EMU boxes of the figure's headline, subtitle and footer; (given a dpi) a PNG without them."""
    texts = [t for t in fig.texts if t.get_gid() in _FRAME_TEXTS and t.get_visible()]
    renderer, (w, h) = fig.canvas.get_renderer(), fig.get_size_inches() * fig.dpi
    x, y, boxes = _W / w, _H / h, {}
    for t in texts:
        b = t.get_window_extent(renderer)
        boxes[t.get_gid()] = int(b.x0 * x), int((h - b.y1) * y), int(b.width * x), int(b.height * y)
        t.set_visible(False)
    try:
        return boxes, notebook_png(fig, dpi) if dpi else None
    finally:
        for t in texts:
            t.set_visible(True)


def _rgb(hex_colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#").upper()[:6])


def _fill(frame: Any, lines: list[str], size: float, colour: str, bold=False, font=None) -> None:
    """One left-aligned paragraph per line, wrapped by PowerPoint, in the figure's font."""
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Pt

    frame.word_wrap, frame.auto_size = True, MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = MSO_ANCHOR.TOP
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    for k, line in enumerate(lines):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        para.alignment, run = PP_ALIGN.LEFT, para.add_run()
        run.text, run.font.size, run.font.bold = line, Pt(size), bold
        run.font.color.rgb = _rgb(colour)
        if font:
            run.font.name = font


def _textbox(slide: Any, where: tuple, lines: list, size: float, colour: str, name: str, font=None):
    shape = slide.shapes.add_textbox(*where)
    shape.name = name
    _fill(shape.text_frame, lines, size, colour, font=font)


def _inside(left: int, top: int, width: int, height: int) -> tuple[int, int, int, int]:
    """A box moved and cut to lie inside the slide."""
    left, top = max(0, left), max(0, top)
    return left, top, max(1, min(width, _W - left)), max(1, min(height, _H - top))


def _describe(shape: Any, name: str, descr: str) -> None:
    """The shape's name and alt text (``cNvPr`` ``descr``), read by screen readers."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].attrib.update({"name": name, "descr": descr})


def _add_slide(prs: Any, s: Slide, theme: Theme, dpi: int, i: int, lang: str, native: bool):
    """One slide: native texts where the figure had them over the chart, or a ``body``."""
    slide, fig = prs.slides.add_slide(prs.slide_layouts[5]), s.figure  # "Title Only"
    native = native and s.chart is not None
    boxes, png = _split(fig, None if native else dpi) if fig else ({}, None)
    margin, font = int(theme.margin * _IN), theme.font_family
    logo = [a for a in (fig.axes if fig else []) if a.get_gid() == "youthmedia-logo"]
    right = int(logo[0].get_position().x0 * _W - 0.25 * _IN) if logo else _W - margin
    size, lines = fit_headline(s.headline, (right - margin) / _PT, theme)
    head = boxes.get("youthmedia-headline", (0, margin, 0, 0))
    height, title = int((len(lines) * 1.2 + 0.3) * size * _PT), slide.shapes.title
    box = _inside(margin, head[1], right - margin, height)
    title.left, title.top, title.width, title.height = box
    _fill(title.text_frame, [s.headline], size, theme.foreground, True, font)
    slide.notes_slide.notes_text_frame.text = s.notes or s.alt_text or s.headline
    if fig is None:
        top = box[1] + box[3] + int(12 * _PT)
        where = (margin, top, _W - 2 * margin, _H - top - margin)
        return _textbox(slide, where, s.body, theme.subtitle_size, theme.foreground, "Tekst", font)
    sub, foot = boxes.get("youthmedia-subtitle"), boxes.get("youthmedia-footer")
    foot_top = _H - margin - int(foot[3] * 1.1) if foot else _H - margin
    if s.subtitle and sub:
        where = _inside(margin, sub[1], right - margin, int(sub[3] * 1.1))
        name = i18n.t("alt_subtitle", lang)
        _textbox(slide, where, [s.subtitle], theme.subtitle_size, theme.muted, name, font)
    if foot:
        where = _inside(margin, foot_top, _W - 2 * margin, int(foot[3] * 1.1))
        texts = [x for x in (s.source, "  ·  ".join(s.footnotes)) if x]
        _textbox(slide, where, texts, theme.small_size, theme.muted, i18n.t("source", lang), font)
    name, descr = f"{i18n.t('figure', lang)} {i}", s.alt_text or s.headline
    if native:
        top = (sub or head)[1] + (sub or head)[3] + int(12 * _PT)
        where = (margin, top, _W - 2 * margin, foot_top - top - int(8 * _PT))
        _describe(_native_chart(slide, s.chart, theme, where), name, descr)
        if logo:
            x0, y0, w, h = logo[0].get_position().bounds
            at = (int(x0 * _W), int((1 - y0 - h) * _H))
            slide.shapes.add_picture(str(theme.logo), *at, height=int(h * _H))
    else:
        pic = slide.shapes.add_picture(io.BytesIO(png), 0, 0, _W, _H)
        slide.shapes._spTree.insert(2, pic._element)  # behind the texts: first in the tree
        _describe(pic, name, descr)


_CHART_TYPES = {"bar": "BAR_CLUSTERED", "stacked": "BAR_STACKED_100", "line": "LINE_MARKERS"}


def _native_chart(slide: Any, data: ChartData, theme: Theme, where: tuple[int, ...]) -> Any:
    """A PowerPoint chart of ``data`` in the theme's colours; bars reversed (drawn bottom up)."""
    from pptx.chart.data import CategoryChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
    from pptx.enum.chart import XL_MARKER_STYLE as MARKER
    from pptx.util import Pt

    kind, fmt = data.kind, "0%" if data.percent else "0.0"
    cats, series, line = list(data.categories), list(data.series), data.kind == "line"
    if not line:
        width = where[2] / _PT * 0.36  # labels wrap as in the picture
        cats = ["\n".join(wrap(c, width, theme.text_size, theme.font_family)) for c in cats][::-1]
        series = [(n, v[::-1], c) for n, v, c in (series[::-1] if kind == "bar" else series)]
    cd = CategoryChartData(number_format=fmt)
    cd.categories = cats
    for name, values, _ in series:
        cd.add_series(name, values)
    chart = slide.shapes.add_chart(getattr(XL_CHART_TYPE, _CHART_TYPES[kind]), *where, cd)
    c = chart.chart
    c.font.size, c.font.name = Pt(theme.text_size), theme.font_family
    c.font.color.rgb = _rgb(theme.foreground)
    c.has_title, c.has_legend = False, len(series) > 1
    if c.has_legend:
        c.legend.position, c.legend.include_in_layout = XL_LEGEND_POSITION.TOP, False
    plot, stacked = c.plots[0], kind == "stacked"
    if not line:
        plot.gap_width, plot.overlap = 50, 100 if stacked else 0
    position = {"bar": "OUTSIDE_END", "line": "ABOVE", "stacked": "CENTER"}[kind]
    for ser, (_, _, colour) in zip(plot.series, series, strict=True):
        fill = ser.marker.format.fill if line else ser.format.fill
        fill.solid()
        fill.fore_color.rgb = _rgb(colour)
        if line:
            ser.format.line.color.rgb = ser.marker.format.line.color.rgb = _rgb(colour)
            ser.format.line.width, ser.smooth, ser.marker.style = Pt(3.5), False, MARKER.CIRCLE
        if not line or len(series) <= 3:  # segments too narrow for their number: no label
            labels = ser.data_labels
            labels.number_format = '[<0.06]"";0%' if stacked else fmt
            labels.number_format_is_linked, labels.show_value = False, True
            labels.position = getattr(XL_LABEL_POSITION, position)
            labels.font.size = Pt(theme.small_size if stacked else theme.text_size)
            labels.font.color.rgb = _rgb(theme.text_on(colour) if stacked else theme.foreground)
    if kind == "bar":  # legend and value axis take about 3.5 lines of the frame
        hide_crowded_labels(plot, where[3] * 72 / _IN - 3.5 * theme.text_size, theme.text_size)
    axis = c.value_axis
    axis.tick_labels.number_format, axis.tick_labels.number_format_is_linked = fmt, False
    axis.has_major_gridlines = True
    axis.major_gridlines.format.line.color.rgb = _rgb(theme.grid)
    axis.format.line.fill.background()
    highest = max([v for _, vs, _ in series for v in vs if v is not None] or [0.0])
    if data.percent and not stacked:
        axis.minimum_scale, axis.maximum_scale = 0.0, 1.0 if line or highest > 0.5 else None
    if data.percent and (stacked or axis.maximum_scale == 1.0):
        axis.major_unit = 0.25
    return chart


def write_deck(
    figures: Iterable[Figure | Slide],
    path: str | os.PathLike[str],
    title: str | None = None,
    subtitle: str | None = None,
    lang: str = "nl",
    theme: Theme | str | None = None,
    dpi: int | None = None,
    charts: str = "picture",
) -> Path:
    """Write figures (and text slides) to an editable 16:9 PowerPoint deck.

    Parameters
    ----------
    figures : iterable of Figure or Slide
        Charts (``fig.slide`` gives the texts), any figure, or text Slides; a generator keeps
        one figure alive at a time.
    path : path
        The ``.pptx`` file (written atomically).
    title, subtitle : str, optional
        The title slide; by default the deck's sources, waves and range of n.
    lang, theme, dpi : "nl"/"en", Theme or "light"/"dark", pictures' dpi (default 200)
    charts : {"picture", "native"}
        ``"native"``: bars, stacked bars and lines as PowerPoint charts (numbers in their data
        sheet, intervals in the notes).

    Returns
    -------
    pathlib.Path
    """
    from pptx import Presentation

    lang, theme = i18n.check_lang(lang), get_theme(theme)
    if charts not in ("picture", "native"):
        raise ConfigError(f"charts={charts!r}: use 'picture' or 'native'.")
    dpi = int(dpi or theme.dpi)
    if dpi < 200:
        raise ConfigError(f"dpi={dpi} is too coarse for a slide; use 200 or more.")
    prs = Presentation()
    shapes = list(prs.slide_master.shapes) + [x for lay in prs.slide_layouts for x in lay.shapes]
    for shape in shapes:  # the default template's placeholders from 4:3 to 16:9
        if shape.left is not None and shape.width is not None:
            wide = _W / prs.slide_width
            shape.left, shape.width = round(shape.left * wide), round(shape.width * wide)
    prs.slide_width, prs.slide_height = _W, _H
    deck_title = title or i18n.t("deck_title", lang)
    prs.slide_master.background.fill.solid()  # every slide in the theme's background
    prs.slide_master.background.fill.fore_color.rgb = _rgb(theme.background)
    first = prs.slides.add_slide(prs.slide_layouts[0])  # its subtitle is filled in at the end
    _fill(first.shapes.title.text_frame, [deck_title], 44, theme.foreground, bold=True)
    seen: list[Slide] = []
    for i, s in enumerate(figures, start=1):
        if not isinstance(s, Slide | Figure):
            raise ConfigError(f"Item {i} of the deck is a {type(s).__name__}, not a figure.")
        if isinstance(s, Figure):  # a chart's texts, or a plain figure's numbered title
            name = f"{i18n.t('figure', lang)} {i}"
            s = getattr(s, "slide", None) or Slide(name, figure=s, kind="figure", alt_text=name)
        _add_slide(prs, s, theme, dpi, i, lang, charts == "native")
        seen.append(Slide(s.headline, result=s.result))  # the texts, not the figure
    if not seen:
        raise DataError("There are no figures to put in the deck.")
    sub = subtitle if subtitle is not None else deck_subtitle(seen, lang)
    _fill(first.placeholders[1].text_frame, [sub], 24, theme.muted)
    core = prs.core_properties
    core.title, core.author, core.last_modified_by = deck_title, "youthmedia", "youthmedia"
    core.language = {"nl": "nl-NL", "en": "en-GB"}[lang]
    buf = io.BytesIO()
    prs.save(buf)
    return atomic_write(path, _normalise_zip(buf.getvalue()), made_from=seen)
