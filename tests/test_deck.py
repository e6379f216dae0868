"""Native PowerPoint charts (``charts="native"``) and deck titles (issue 15).

The numbers read back from each chart's data sheet are compared with the Result put in (made
here), never with another youthmedia output.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation

from youthmedia import deck
from youthmedia.errors import ConfigError
from youthmedia.figures import charts
from youthmedia.figures.theme import OKABE_ITO
from youthmedia.result import Result

PLATFORMS = {"wa": "WhatsApp", "tt": "TikTok", "br": "BeReal"}


def _reach(by: str | None = None) -> Result:
    groups = [("meisje", 0.0), ("jongen", -0.1)] if by else [(None, 0.0)]
    rows = []
    for g, shift in groups:
        for var, est, n in (("wa", 0.9, 700), ("tt", 0.6, 700), ("br", 0.2, 6)):
            rows.append(
                {
                    **({by: g} if by else {}),
                    "variable": var,
                    "category": "ja",
                    "estimate": est + shift,
                    "ci_low": est + shift - 0.03,
                    "ci_high": est + shift + 0.03,
                    "n": n,
                }
            )
    return Result.from_rows(
        rows,
        by=[by] if by else [],
        labels={"nl": PLATFORMS},
        source={"name": "Demo", "year": "2023"},
        n_total=1400,
    )


def _trend() -> Result:
    rows = [
        {"year": y, "variable": v, "estimate": e, "ci_low": e - 0.02, "ci_high": e + 0.02, "n": 900}
        for v, ests in (("tt", (None, 0.22, 0.64)), ("wa", (0.94, 0.95, 0.96)))
        for y, e in zip(("2015", "2019", "2023"), ests, strict=True)
        if e is not None
    ]
    return Result.from_rows(rows, by=["year"], labels={"nl": PLATFORMS})


def _scale() -> Result:
    answers = (("nooit", 0.80), ("soms", 0.12), ("vaak", 0.05), ("dagelijks", 0.03))
    return Result.from_rows(
        [{"variable": "bully", "category": c, "estimate": e, "n": 800} for c, e in answers],
        labels={"nl": {"bully": "Online gepest"}},
    )


@pytest.fixture(scope="module")
def native(tmp_path_factory):
    figs = [
        charts.bars(_reach()),
        charts.grouped(_reach("gender")),
        charts.trend(_trend()),
        charts.diverging(_scale()),
        charts.big_number(_scale().iloc[[0]]),
    ]
    out = tmp_path_factory.mktemp("native")
    path = deck.write_deck(figs, out / "a.pptx", charts="native")
    again = deck.write_deck(figs, out / "b.pptx", charts="native")
    return figs, Presentation(str(path)), path, again


def _chart(slide):
    return next(s for s in slide.shapes if s.has_chart)


def _series(slide) -> dict[str, list]:
    plot = _chart(slide).chart.plots[0]
    return {s.name: list(s.values) for s in plot.series}


def test_bars_read_back_equal_the_result_suppressed_cell_empty(native):
    figs, prs, *_ = native
    plot = _chart(prs.slides[1]).chart.plots[0]
    # bars are drawn bottom up: the categories go in reversed, the first on top
    assert list(plot.categories)[::-1] == ["WhatsApp", "TikTok", "BeReal"]
    # BeReal rests on 6 answers: suppressed (privacy min_n 10), so no number in the chart
    assert list(plot.series[0].values)[::-1] == pytest.approx([0.9, 0.6, None])
    assert _chart(prs.slides[1]).chart.chart_type.name == "BAR_CLUSTERED"


def test_grouped_bars_one_series_per_group(native):
    _, prs, *_ = native
    values = _series(prs.slides[2])
    assert values["meisje"][::-1] == pytest.approx([0.9, 0.6, None])
    assert values["jongen"][::-1] == pytest.approx([0.8, 0.5, None])
    # the groups too, so that LibreOffice's legend (bottom up) reads as the bars: meisje first
    assert list(values) == ["jongen", "meisje"]


def test_trend_lines_keep_the_platform_colour_and_a_gap_where_not_asked(native):
    _, prs, *_ = native
    chart = _chart(prs.slides[3]).chart
    assert chart.chart_type.name == "LINE_MARKERS"
    assert list(chart.plots[0].categories) == ["2015", "2019", "2023"]
    values = _series(prs.slides[3])
    assert values["TikTok"] == pytest.approx([None, 0.22, 0.64])
    assert values["WhatsApp"] == pytest.approx([0.94, 0.95, 0.96])
    colours = {s.name: str(s.format.line.color.rgb) for s in chart.plots[0].series}
    assert colours["TikTok"] == OKABE_ITO["black"].lstrip("#")
    assert colours["WhatsApp"] == OKABE_ITO["bluish_green"].lstrip("#")


def test_a_frequency_scale_is_stacked_sequential_never_lightest(native):
    _, prs, *_ = native
    chart = _chart(prs.slides[4]).chart
    assert chart.chart_type.name == "BAR_STACKED_100"
    assert {k: v[0] for k, v in _series(prs.slides[4]).items()} == pytest.approx(
        {"nooit": 0.80, "soms": 0.12, "vaak": 0.05, "dagelijks": 0.03}
    )
    fills = [str(s.format.fill.fore_color.rgb) for s in chart.plots[0].series]
    lum = [sum(int(c[i : i + 2], 16) for i in (0, 2, 4)) for c in fills]
    assert lum == sorted(lum, reverse=True)  # "nooit" lightest, "dagelijks" darkest


def test_the_data_sheet_holds_the_numbers(native):
    _, prs, *_ = native
    blob = _chart(prs.slides[1]).chart.part.chart_workbook.xlsx_part.blob
    sheet = openpyxl.load_workbook(io.BytesIO(blob)).active
    rows = {r[0]: r[1] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["WhatsApp"] == pytest.approx(0.9) and rows["BeReal"] is None


def test_native_slides_are_editable_with_alt_text_and_intervals_in_the_notes(native):
    figs, prs, *_ = native
    for slide, fig in zip(list(prs.slides)[1:], figs, strict=True):
        assert slide.shapes.title.text == fig.slide.headline
        graphics = [s for s in slide.shapes if s.has_chart or s.shape_type == 13]
        assert len(graphics) == 1
        assert graphics[0]._element.xpath("./*[1]/p:cNvPr")[0].get("descr") == fig.slide.alt_text
        for shape in slide.shapes:
            assert 0 <= shape.left and shape.left + shape.width <= prs.slide_width
            assert 0 <= shape.top and shape.top + shape.height <= prs.slide_height
    notes = prs.slides[1].notes_slide.notes_text_frame.text
    assert re.search(r"87.{0,3}93", notes)  # WhatsApp's interval 0.87–0.93
    assert not any(s.has_chart for s in prs.slides[5].shapes)  # a big number stays a picture


def test_a_native_deck_is_byte_identical_on_rerun(native):
    *_, path, again = native
    assert (
        hashlib.sha256(Path(path).read_bytes()).digest()
        == hashlib.sha256(Path(again).read_bytes()).digest()
    )


def test_unknown_chart_mode_is_one_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="charts='svg'"):
        deck.write_deck([charts.bars(_reach())], tmp_path / "d.pptx", charts="svg")


def test_an_english_deck_of_dutch_data_has_an_english_title(tmp_path):
    from youthmedia import standard

    data = Path(__file__).parents[1] / "data" / "youth_social_media_demo.sav"
    path = standard.write_deck(
        data, tmp_path / "en.pptx", lang="en", questions=["use_whatsapp"], by=[]
    )
    first = Presentation(str(path)).slides[0]
    assert first.shapes.title.text == "Young people and social media"
    assert "Voorbeelddata" in first.placeholders[1].text_frame.text  # the source keeps its name
