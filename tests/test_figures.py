"""Figures, tested by their content (as seaborn tests its plots): bar lengths are the estimates,
whiskers the intervals, texts present, language switched, nothing too small or cut off.

The numbers are made up for the tests and typed in by hand; each assertion compares a drawn
quantity with the number that was put in (or a hand calculation from it, shown in a comment).
"""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.collections import LineCollection, PolyCollection
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from youthmedia.errors import ConfigError
from youthmedia.figures import Theme, charts
from youthmedia.figures.data import strip_common_prefix
from youthmedia.figures.headline import quantity
from youthmedia.result import Result

SOURCE = {"name": "Testdata", "year": "2023"}

PLATFORMS = [
    # variable, label, estimate, ci_low, ci_high, n
    ("use_tiktok", "TikTok", 0.66, 0.63, 0.69, 1512),
    ("use_whatsapp", "WhatsApp", 0.97, 0.955, 0.98, 1512),
    ("use_facebook", "Facebook", 0.21, 0.19, 0.23, 1512),
    ("use_youtube", "YouTube", 0.93, 0.91, 0.945, 1512),
    ("use_bereal", "BeReal", 0.02, 0.0, 0.1, 6),  # n < 10: must be suppressed
    ("use_x", "X", 0.125, 0.05, 0.26, 24),  # 10 <= n < 30: indicative
]


def platform_result(**meta) -> Result:
    rows = [
        {"variable": v, "category": "ja", "estimate": e, "ci_low": lo, "ci_high": hi, "n": n}
        for v, _, e, lo, hi, n in PLATFORMS
    ]
    labels = {lang: {v: lab for v, lab, *_ in PLATFORMS} for lang in ("nl", "en")}
    base = dict(
        kind="share",
        labels=labels,
        source=SOURCE,
        weighted=True,
        n_total=1512,
        title={"nl": "Welke sociale media gebruik je?", "en": "Which social media do you use?"},
    )
    base.update(meta)
    return Result.from_rows(rows, **base)


AGES = ["12–13 jaar", "14–15 jaar", "16–18 jaar"]
AGES_EN = ["12–13 years", "14–15 years", "16–18 years"]
BY_AGE = {  # variable -> [(estimate, ci_low, ci_high, n) per age band]
    "use_instagram": [(0.40, 0.35, 0.45, 400), (0.65, 0.60, 0.70, 500), (0.80, 0.76, 0.84, 600)],
    "use_tiktok": [(0.60, 0.55, 0.65, 400), (0.62, 0.57, 0.67, 500), (0.64, 0.60, 0.68, 600)],
}


def age_result(**meta) -> Result:
    rows = []
    for var, values in BY_AGE.items():
        for age, (e, lo, hi, n) in zip(AGES, values, strict=True):
            rows.append(
                {
                    "age_band": age,
                    "variable": var,
                    "category": "ja",
                    "estimate": e,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n": n,
                }
            )
    labels = {
        "nl": {"use_instagram": "Instagram", "use_tiktok": "TikTok", "age_band": "Leeftijd"},
        "en": {"use_instagram": "Instagram", "use_tiktok": "TikTok", "age_band": "Age band"},
    }
    value_labels = {"en": {"age_band": dict(zip(AGES, AGES_EN, strict=True))}}
    return Result.from_rows(
        rows,
        kind="share",
        by=["age_band"],
        labels=labels,
        value_labels=value_labels,
        source=SOURCE,
        weighted=True,
        **meta,
    )


SCALE = ["nooit", "soms", "regelmatig", "vaak", "heel vaak"]
SCALE_EN = ["never", "sometimes", "regularly", "often", "very often"]
ITEMS = {"freq_chat": [0.02, 0.08, 0.20, 0.35, 0.35], "freq_news": [0.10, 0.20, 0.30, 0.25, 0.15]}


def scale_result() -> Result:
    rows = [
        {"variable": v, "category": c, "estimate": e, "n": 1000}
        for v, shares in ITEMS.items()
        for c, e in zip(SCALE, shares, strict=True)
    ]
    labels = {
        "nl": {"freq_chat": "Chatten", "freq_news": "Nieuws"},
        "en": {"freq_chat": "Chatting", "freq_news": "News"},
    }
    value_labels = {"en": {v: dict(zip(SCALE, SCALE_EN, strict=True)) for v in ITEMS}}
    return Result.from_rows(
        rows, kind="share", labels=labels, value_labels=value_labels, source=SOURCE, weighted=False
    )


def texts(fig: Figure) -> list[Text]:
    fig.draw_without_rendering()
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def all_text(fig: Figure) -> str:
    return "\n".join(t.get_text() for t in texts(fig))


def gid(fig: Figure, name: str, kind=None) -> list:
    return [a for a in fig.findobj(kind) if a.get_gid() == name]


def bar_patches(fig: Figure) -> list[Rectangle]:
    return gid(fig, "youthmedia-bar", Rectangle)


def check_slide(fig: Figure) -> None:
    """16:9, laid out once (no layout pass at every draw), no text below 16 pt or outside."""
    assert tuple(np.round(fig.get_size_inches(), 3)) == (13.333, 7.5)
    assert fig.get_layout_engine() is None
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    slide = fig.bbox
    for t in texts(fig):
        assert t.get_fontsize() >= 16, (t.get_text(), t.get_fontsize())
        box = t.get_window_extent(renderer)
        assert box.x0 >= slide.x0 - 1 and box.x1 <= slide.x1 + 1, t.get_text()
        assert box.y0 >= slide.y0 - 1 and box.y1 <= slide.y1 + 1, t.get_text()
    # the headline does not run into the plot
    head = gid(fig, "youthmedia-headline", Text)
    if head:
        hbox = head[0].get_window_extent(renderer)
        for ax in fig.axes:
            if ax.get_gid() == "youthmedia-logo":
                continue
            assert ax.get_tightbbox(renderer).y1 <= hbox.y0 + 1


# -- ranked bars ---------------------------------------------------------------------------------
def test_bars_lengths_whiskers_order_and_texts():
    fig = charts.bars(platform_result())
    check_slide(fig)
    bars = bar_patches(fig)
    # BeReal (n = 6) is suppressed: 5 bars, ranked high to low from the top
    by_y = sorted(bars, key=lambda p: -p.get_y())
    assert [round(p.get_width(), 3) for p in by_y] == [0.97, 0.93, 0.66, 0.21, 0.125]
    assert all(p.get_x() == 0 for p in bars)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["WhatsApp", "YouTube", "TikTok", "Facebook", "X *", "BeReal"]  # top down
    segments = [s for c in gid(fig, "youthmedia-ci", LineCollection) for s in c.get_segments()]
    ends = sorted((round(s[0][0], 3), round(s[1][0], 3)) for s in segments)
    assert ends == sorted([(0.955, 0.98), (0.91, 0.945), (0.63, 0.69), (0.19, 0.23), (0.05, 0.26)])
    # each whisker is at the height of its bar
    for seg in segments:
        bar = min(bars, key=lambda p: abs(p.get_y() + p.get_height() / 2 - seg[0][1]))
        assert bar.get_x() + bar.get_width() > seg[0][0] and bar.get_width() < seg[1][0]
    words = all_text(fig)
    assert fig.slide.headline == "WhatsApp bereikt bijna alle jongeren (97%)"
    assert fig.slide.headline in words.replace("\n", " ")
    assert "Welke sociale media gebruik je?" in words
    assert "Bron: Testdata 2023; n = 1.512; gewogen" in words
    assert "97%" in words and "13%*" in words  # 0.125 -> 13% at 0 decimals, * indicative


def test_suppressed_row_is_a_dash_not_a_zero_bar():
    fig = charts.bars(platform_result())
    (dash,) = gid(fig, "youthmedia-suppressed", Text)
    assert dash.get_text() == "–"
    ax = fig.axes[0]
    bereal_y = ax.get_yticks()[[t.get_text() for t in ax.get_yticklabels()].index("BeReal")]
    assert dash.get_position()[1] == bereal_y
    assert not [p for p in bar_patches(fig) if abs(p.get_y() + p.get_height() / 2 - bereal_y) < 0.1]
    assert "– = niet getoond" in fig.slide.footnotes[1]
    assert "BeReal: niet getoond" in fig.slide.alt_text
    # the number never reaches the alt text or the notes
    assert "BeReal: 2%" not in fig.slide.alt_text
    assert "BeReal: niet getoond" in fig.slide.notes


def test_indicative_bar_is_marked():
    fig = charts.bars(platform_result())
    x_bar = [p for p in bar_patches(fig) if round(p.get_width(), 3) == 0.125][0]
    assert x_bar.get_hatch() == "//"
    assert any("Indicatief" in n for n in fig.slide.footnotes)
    assert "X: 13% (95%-BI 5–26%; indicatief)" in fig.slide.alt_text


def test_language_switch_changes_texts_and_number_formats():
    nl = charts.bars(platform_result(), lang="nl", decimals=1)
    en = charts.bars(platform_result(), lang="en", decimals=1)
    assert "12,5%*" in all_text(nl) and "12.5%*" in all_text(en)
    assert "Source: Testdata 2023; n = 1,512; weighted" in all_text(en)
    assert en.slide.headline == "WhatsApp reaches almost all young people (97%)"
    assert "Which social media do you use?" in all_text(en)
    assert "Horizontal bar chart" in en.slide.alt_text
    assert "Liggend staafdiagram" in nl.slide.alt_text
    assert nl.slide.lang == "nl" and en.slide.lang == "en"
    tick_nl = [t.get_text() for t in nl.axes[0].get_xticklabels()]
    assert "50%" in tick_nl and "100%" in tick_nl


def test_headline_override_and_none():
    fig = charts.bars(platform_result(), headline="Eigen kop")
    assert fig.slide.headline == "Eigen kop" and "Eigen kop" in all_text(fig)
    fig = charts.bars(platform_result(), headline="")
    assert not gid(fig, "youthmedia-headline", Text)


def test_headline_does_not_overclaim():
    # 91% is about nine in ten: neither "bijna alle" (overstates) nor "ruim driekwart" (under)
    assert quantity(0.91, 0.86, 0.95, "nl") == "ongeveer negen op de tien jongeren"
    assert quantity(0.91, 0.905, 0.915, "nl") == "ongeveer negen op de tien jongeren"
    # 0.52 with CI 0.47-0.57: not "more than half"
    assert quantity(0.52, 0.47, 0.57, "en") == "about half of young people"
    assert quantity(0.30, 0.27, 0.33, "en") == "three in ten young people"
    assert quantity(0.05, 0.03, 0.08, "nl") == "5% van de jongeren"
    # two leaders whose intervals overlap: neither is said to lead alone
    rows = [
        {
            "variable": "use_a",
            "category": "ja",
            "estimate": 0.95,
            "ci_low": 0.92,
            "ci_high": 0.97,
            "n": 500,
        },
        {
            "variable": "use_b",
            "category": "ja",
            "estimate": 0.94,
            "ci_low": 0.91,
            "ci_high": 0.96,
            "n": 500,
        },
        {
            "variable": "use_c",
            "category": "ja",
            "estimate": 0.5,
            "ci_low": 0.45,
            "ci_high": 0.55,
            "n": 500,
        },
    ]
    r = Result.from_rows(rows, labels={"nl": {"use_a": "A", "use_b": "B", "use_c": "C"}})
    assert charts.bars(r).slide.headline == "A en B bereiken ongeveer evenveel jongeren (94–95%)"
    # not platform use: no "reach"
    r2 = Result.from_rows(
        [{**row, "variable": row["variable"].replace("use_", "item_")} for row in rows],
        labels={"nl": {"item_a": "A", "item_b": "B", "item_c": "C"}},
    )
    assert charts.bars(r2).slide.headline == "A en B ongeveer even vaak genoemd (94–95%)"


def test_ranked_headline_without_intervals_gives_the_number_once():
    rows = [
        {"variable": "use_whatsapp", "category": "ja", "estimate": 0.84, "n": 500},
        {"variable": "use_snapchat", "category": "ja", "estimate": 0.67, "n": 500},
    ]
    labels = {
        lang: {"use_whatsapp": "WhatsApp", "use_snapchat": "Snapchat"} for lang in ("nl", "en")
    }
    r = Result.from_rows(rows, labels=labels)
    assert charts.bars(r).slide.headline == "WhatsApp bereikt 84% van de jongeren"
    assert charts.bars(r, lang="en").slide.headline == "WhatsApp reaches 84% of young people"
    one = r[r["variable"] == "use_whatsapp"]
    assert charts.big_number(one, lang="en").slide.headline == "WhatsApp: 84% of young people"
    # an interval too wide for a phrase (0.12, CI 0.05-0.22) also gives the number once
    wide = Result.from_rows(
        [
            {
                "variable": "item_a",
                "category": "ja",
                "estimate": 0.12,
                "ci_low": 0.05,
                "ci_high": 0.22,
                "n": 500,
            }
        ],
        labels={"nl": {"item_a": "Nieuws"}},
    )
    assert charts.bars(wide).slide.headline == "Nieuws: 12% van de jongeren"


def test_unsuppressed_result_is_suppressed_before_drawing():
    r = platform_result()
    assert not r.meta.privacy
    fig = charts.bars(r)
    assert len(bar_patches(fig)) == 5
    assert not r.meta.privacy  # the input is not changed


def test_means_are_drawn_on_a_number_axis():
    rows = [
        {
            "variable": "hours",
            "category": "",
            "estimate": 2.5,
            "ci_low": 2.3,
            "ci_high": 2.7,
            "n": 800,
        },
        {
            "variable": "sleep",
            "category": "",
            "estimate": 8.25,
            "ci_low": 8.0,
            "ci_high": 8.5,
            "n": 800,
        },
    ]
    r = Result.from_rows(
        rows, kind="mean", labels={"en": {"hours": "Hours online", "sleep": "Hours of sleep"}}
    )
    fig = charts.bars(r, lang="en")
    check_slide(fig)
    assert sorted(round(p.get_width(), 2) for p in bar_patches(fig)) == [2.5, 8.25]
    assert "8.2" in all_text(fig) or "8.3" in all_text(fig)
    assert "%" not in "".join(t.get_text() for t in fig.axes[0].get_xticklabels())


def test_many_rows_are_cut_with_a_note():
    rows = [
        {"variable": f"use_{i}", "category": "ja", "estimate": i / 40, "n": 500}
        for i in range(1, 31)
    ]
    fig = charts.bars(Result.from_rows(rows))
    check_slide(fig)
    shown = len(bar_patches(fig))
    assert shown < 30
    assert any(f"De {shown} hoogste van 30 getoond" in n for n in fig.slide.footnotes)
    assert max(p.get_width() for p in bar_patches(fig)) == pytest.approx(30 / 40)


def test_wrong_inputs_are_named():
    with pytest.raises(ConfigError, match="grouped"):
        charts.bars(age_result())
    with pytest.raises(ConfigError, match="Result"):
        charts.bars([1, 2, 3])
    with pytest.raises(ConfigError, match="category="):
        r = Result.from_rows(
            [
                {"variable": v, "category": c, "estimate": 0.5, "n": 100}
                for v in ("a", "b")
                for c in ("x", "y")
            ]
        )
        charts.bars(r)
    with pytest.raises(ConfigError, match="'de'"):
        charts.bars(platform_result(), lang="de")


# -- grouped, trend, diverging, heatmap, big number ----------------------------------------------
@pytest.mark.parametrize("style", ["bars", "dots"])
def test_grouped(style):
    fig = charts.grouped(age_result(), style=style)
    check_slide(fig)
    ci = gid(fig, "youthmedia-ci", LineCollection)
    assert len(ci) == 6
    ends = sorted(
        (round(c.get_segments()[0][0][0], 2), round(c.get_segments()[0][1][0], 2)) for c in ci
    )
    assert ends == sorted((lo, hi) for vals in BY_AGE.values() for _, lo, hi, _ in vals)
    if style == "bars":
        widths = sorted(round(p.get_width(), 2) for p in bar_patches(fig))
    else:
        widths = sorted(round(float(d.get_xdata()[0]), 2) for d in gid(fig, "youthmedia-dot"))
    assert widths == sorted(e for vals in BY_AGE.values() for e, *_ in vals)
    # Instagram 16-18 (0.76-0.84) and 12-13 (0.35-0.45) do not overlap: a clear difference
    assert fig.slide.headline == "Instagram: 12–13 jaar 40%, 16–18 jaar 80%; duidelijk verschil"
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == AGES
    assert "naar leeftijd" in all_text(fig).lower()


def test_grouped_english_labels_and_unclear_difference():
    only_tiktok = age_result()
    only_tiktok = only_tiktok[only_tiktok["variable"] == "use_tiktok"]
    fig = charts.grouped(only_tiktok, lang="en")
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == AGES_EN
    # TikTok 0.60 (0.55-0.65) vs 0.64 (0.60-0.68): overlapping, so no difference is claimed
    assert fig.slide.headline == (
        "TikTok: 12–13 years 60%, 14–15 years 62%, 16–18 years 64%; no clear difference"
    )


def test_group_headlines_read_well_with_singular_value_labels():
    # value labels are singular ("meisje", "girl"): "hoger bij meisje" / "higher among girl" do
    # not read; the headline lists each group with its number instead, in the groups' order
    rows = [
        {
            "gender": g,
            "variable": "use_instagram",
            "category": "ja",
            "estimate": e,
            "ci_low": lo,
            "ci_high": hi,
            "n": 500,
        }
        for g, e, lo, hi in [("jongen", 0.40, 0.35, 0.45), ("meisje", 0.80, 0.76, 0.84)]
    ]
    r = Result.from_rows(
        rows,
        kind="share",
        by=["gender"],
        source=SOURCE,
        weighted=True,
        labels={
            "nl": {"use_instagram": "Instagram", "gender": "Geslacht"},
            "en": {"use_instagram": "Instagram", "gender": "Gender"},
        },
        value_labels={"en": {"gender": {"jongen": "boy", "meisje": "girl"}}},
    )
    # 0.76-0.84 and 0.35-0.45 do not overlap: a clear difference
    assert charts.grouped(r).slide.headline == (
        "Instagram: jongen 40%, meisje 80%; duidelijk verschil"
    )
    assert charts.grouped(r, lang="en").slide.headline == (
        "Instagram: boy 40%, girl 80%; a clear difference"
    )
    # answer scale by gender: the upper side's share per group, no "70% of girl answer ..."
    scale = [
        {"gender": g, "variable": "freq_chat", "category": c, "estimate": e, "n": 500}
        for g, shares in [
            ("jongen", [0.1, 0.2, 0.2, 0.3, 0.2]),
            ("meisje", [0.05, 0.1, 0.15, 0.35, 0.35]),
        ]
        for c, e in zip(SCALE, shares, strict=True)
    ]
    d = Result.from_rows(
        scale,
        kind="share",
        by=["gender"],
        source=SOURCE,
        weighted=False,
        labels={"nl": {"freq_chat": "Chatten"}, "en": {"freq_chat": "Chatting"}},
        value_labels={
            "en": {
                "gender": {"jongen": "boy", "meisje": "girl"},
                "freq_chat": dict(zip(SCALE, SCALE_EN, strict=True)),
            }
        },
    )
    # a frequency scale: at least once = 1 − 'nooit': boys 90%, girls 95%; n = 500 each:
    # z = 0.05 / √(0.9·0.1/500 + 0.95·0.05/500) = 3.0, p = 0.003: a clear difference
    assert charts.diverging(d).slide.headline == (
        "Chatten, minstens één keer: jongen 90%, meisje 95%; duidelijk verschil"
    )
    assert charts.diverging(d, lang="en").slide.headline == (
        "Chatting, at least once: boy 90%, girl 95%; a clear difference"
    )


def test_trend_lines_bands_and_gap():
    rows = []
    for year, e in zip([2019, 2021, 2023], [0.80, 0.85, 0.92], strict=True):
        rows.append(
            {
                "year": str(year),
                "variable": "use_whatsapp",
                "category": "ja",
                "estimate": e,
                "ci_low": e - 0.02,
                "ci_high": e + 0.02,
                "n": 900,
            }
        )
    rows.append(
        {"year": "2025", "variable": "use_whatsapp", "category": "ja", "estimate": 0.9, "n": 5}
    )  # suppressed
    r = Result.from_rows(
        rows, by=["year"], labels={"nl": {"use_whatsapp": "WhatsApp"}}, source=SOURCE, weighted=True
    )
    fig = charts.trend(r)
    check_slide(fig)
    (line,) = gid(fig, "youthmedia-line")
    assert list(line.get_xdata()) == [2019, 2021, 2023, 2025]
    y = np.asarray(line.get_ydata(), dtype=float)
    assert np.allclose(y[:3], [0.80, 0.85, 0.92]) and np.isnan(y[3])
    (band,) = gid(fig, "youthmedia-ci", PolyCollection)
    verts = np.vstack([p.vertices for p in band.get_paths()])
    assert np.isclose(verts[:, 1].min(), 0.78) and np.isclose(verts[:, 1].max(), 0.94)
    # 0.80 (0.78-0.82) -> 0.92 (0.90-0.94): intervals apart, so "gestegen"
    assert fig.slide.headline == "WhatsApp: gestegen van 80% (2019) naar 92% (2023)"
    assert gid(fig, "youthmedia-suppressed", Text)
    assert fig.axes[0].get_ylim()[0] == 0  # shares on the full axis, not exaggerated


def trend_result(series: dict[str, list[tuple]], **meta) -> Result:
    """``{label: [(year, estimate, ci_low, ci_high), ...]}`` as a Result by year."""
    rows = [
        {
            "year": y,
            "variable": v,
            "category": "ja",
            "estimate": e,
            "ci_low": lo,
            "ci_high": hi,
            "n": 900,
        }
        for v, points in series.items()
        for y, e, lo, hi in points
    ]
    return Result.from_rows(rows, by=["year"], source=SOURCE, weighted=True, **meta)


def test_trend_headline_without_intervals_gives_the_numbers_only():
    nan = float("nan")
    r = trend_result(
        {
            "Facebook": [("2016", 0.88, nan, nan), ("2017", 0.80, nan, nan)],
            "Instagram": [("2016", 0.48, nan, nan), ("2017", 0.66, nan, nan)],
        }
    )
    # no intervals: no "clear"/"unclear" — the highest series' two numbers
    assert charts.trend(r).slide.headline == "Facebook: van 88% (2016) naar 80% (2017)"
    assert charts.trend(r, lang="en").slide.headline == "Facebook: from 88% (2016) to 80% (2017)"
    # a series seen in one wave only (84% in 2017) is one number, not "84% (2017) en 84% (2017)"
    one = trend_result({"WhatsApp": [("2016", nan, nan, nan), ("2017", 0.84, nan, nan)]})
    assert charts.trend(one).slide.headline == "WhatsApp: 84% (2017)"
    # beside a series of two waves, the single point does not take the headline though higher
    both = trend_result(
        {
            "WhatsApp": [("2017", 0.84, nan, nan)],
            "Facebook": [("2016", 0.88, nan, nan), ("2017", 0.80, nan, nan)],
        }
    )
    assert charts.trend(both).slide.headline == "Facebook: van 88% (2016) naar 80% (2017)"
    # with intervals that overlap (0.78-0.86 and 0.76-0.84) the change is called unclear
    flat = trend_result({"Facebook": [("2016", 0.82, 0.78, 0.86), ("2017", 0.80, 0.76, 0.84)]})
    assert charts.trend(flat).slide.headline == (
        "Facebook: 82% (2016) en 80% (2017); geen duidelijke verandering"
    )


def test_diverging_segments():
    fig = charts.diverging(scale_result(), negative=2, neutral="regelmatig")  # forced diverging
    check_slide(fig)
    segs = gid(fig, "youthmedia-segment", Rectangle)
    assert len(segs) == 10
    chat = sorted([s for s in segs if s.get_y() > 0.5], key=lambda s: s.get_x())  # top row
    assert [round(s.get_width(), 2) for s in chat] == ITEMS["freq_chat"]
    # left edge: -(nooit + soms + regelmatig / 2) = -(0.02 + 0.08 + 0.10) = -0.20
    assert chat[0].get_x() == pytest.approx(-0.20)
    # "vaak" + "heel vaak" for chatting: 0.35 + 0.35 = 70%
    assert fig.slide.headline == "Chatten: 70% antwoordt ‘vaak’ of ‘heel vaak’"
    en = charts.diverging(scale_result(), lang="en", negative=2, neutral="regelmatig")
    assert [t.get_text() for t in en.axes[0].get_legend().get_texts()] == SCALE_EN
    assert en.slide.headline == "Chatting: 70% answer ‘often’ or ‘very often’"
    assert "Chatting, never: 2%" in en.slide.alt_text


@pytest.mark.parametrize(
    ("answers", "diverges"),
    [
        (["Less than 1", "1 cigarette", "2 to 5", "6 to 10", "11 to 20", "More than 20"], False),
        (["0 days", "1 or 2 days", "3 to 5 days", "All 30 days"], False),
        (["Helemaal niet", "Een beetje", "Best wel", "Heel erg"], False),
        (["Zeer ontevreden", "Ontevreden", "Neutraal", "Tevreden", "Zeer tevreden"], True),
        (["Very bad", "Bad", "Good", "Very good"], True),
    ],
)
def test_only_two_sided_scales_diverge(answers, diverges):
    # a count ("Smoked >10 cigarettes", YRBS) is one-sided: one hue from 0 to 100%, fewest lightest
    shares = np.full(len(answers), 1 / len(answers))
    rows = [
        {"variable": "q", "category": a, "estimate": e, "n": 500}
        for a, e in zip(answers, shares, strict=True)
    ]
    fig = charts.diverging(Result.from_rows(rows, labels={"en": {"q": "Question"}}), lang="en")
    segs = sorted(gid(fig, "youthmedia-segment", Rectangle), key=lambda p: p.get_x())
    assert (segs[0].get_x() < -0.01) == diverges
    if not diverges:
        light = [sum(p.get_facecolor()[:3]) for p in segs]
        assert light == sorted(light, reverse=True) and len(set(light)) == len(answers)


def test_diverging_item_with_a_suppressed_answer_is_not_drawn():
    r = scale_result()
    r.loc[(r["variable"] == "freq_news") & (r["category"] == "nooit"), "n"] = 4
    fig = charts.diverging(r)
    assert len(gid(fig, "youthmedia-segment", Rectangle)) == 5
    assert gid(fig, "youthmedia-suppressed", Text)


def test_heatmap_cells():
    r = age_result()
    r.loc[(r["variable"] == "use_tiktok") & (r["age_band"] == AGES[0]), "n"] = 3
    fig = charts.heatmap(r)
    check_slide(fig)
    (image,) = gid(fig, "youthmedia-heatmap", AxesImage)
    grid = image.get_array()
    # rows sorted by mean: Instagram (0.617) above TikTok (0.63 without the hidden cell)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    inst = labels.index("Instagram")
    assert list(np.round(grid[inst].data, 2)) == [0.40, 0.65, 0.80]
    tik = labels.index("TikTok")
    assert grid.mask[tik, 0] and list(np.round(grid[tik, 1:].data, 2)) == [0.62, 0.64]
    assert [t.get_text() for t in gid(fig, "youthmedia-suppressed", Text)] == ["–"]


def test_big_number():
    r = platform_result()
    fig = charts.big_number(r, variable="use_whatsapp")
    check_slide(fig)
    (big,) = gid(fig, "youthmedia-big", Text)
    assert big.get_text() == "97%"
    assert fig.slide.headline == "WhatsApp: bijna alle jongeren (97%)"
    assert "95%-BI: 96–98%" in all_text(fig)  # 0.955 -> 96 (half to even), 0.98 -> 98
    en = charts.big_number(r, lang="en", variable="use_x", decimals=1)
    assert [t.get_text() for t in gid(en, "youthmedia-big", Text)] == ["12.5%*"]
    hidden = charts.big_number(r, variable="use_bereal")
    assert [t.get_text() for t in gid(hidden, "youthmedia-big", Text)] == ["–"]


def test_auto_chooses_by_shape():
    assert charts.auto(platform_result()).slide.kind == "bars"
    assert charts.auto(age_result()).slide.kind == "grouped"
    assert charts.auto(scale_result(), scale=True).slide.kind == "diverging"


# -- theme ---------------------------------------------------------------------------------------
def test_theme_variants_and_checks(tmp_path):
    dark = charts.bars(platform_result(), theme="dark")
    assert dark.get_facecolor()[:3] == pytest.approx((0x1B / 255, 0x1F / 255, 0x24 / 255))
    check_slide(dark)
    with pytest.raises(ConfigError, match="16 pt"):
        Theme(small_size=12)
    with pytest.raises(ConfigError, match="colour"):
        Theme(primary="not-a-colour")
    from matplotlib.image import imsave

    logo = tmp_path / "logo.png"
    imsave(logo, np.tile(np.linspace(0, 1, 60), (20, 1)), cmap="viridis")
    org = Theme.light().with_organisation(colors=["#7A1F5C"], logo=logo)
    fig = charts.bars(platform_result(), theme=org)
    check_slide(fig)
    assert all(
        p.get_facecolor()[:3] == pytest.approx((0x7A / 255, 0x1F / 255, 0x5C / 255))
        for p in bar_patches(fig)
        if not p.get_hatch()
    )
    (logo_ax,) = [ax for ax in fig.axes if ax.get_gid() == "youthmedia-logo"]
    renderer = fig.canvas.get_renderer()
    assert logo_ax.get_window_extent(renderer).y1 <= fig.bbox.y1
    headline = gid(fig, "youthmedia-headline", Text)[0].get_window_extent(renderer)
    assert not headline.overlaps(logo_ax.get_window_extent(renderer))


def test_long_headline_wraps_inside_the_slide():
    long = "Een hele lange kop die doorloopt " * 6
    fig = charts.bars(platform_result(), headline=long)
    check_slide(fig)
    head = gid(fig, "youthmedia-headline", Text)[0].get_text()
    assert 2 <= head.count("\n") + 1 <= 3


def test_strip_common_prefix():
    assert strip_common_prefix(["Gebruik: A", "Gebruik: B"]) == (["A", "B"], "Gebruik")
    assert strip_common_prefix(["Welke app? TikTok", "Welke app? X"]) == (
        ["TikTok", "X"],
        "Welke app?",
    )
    assert strip_common_prefix(["TikTok", "Twitter"]) == (["TikTok", "Twitter"], "")


def test_every_chart_is_in_the_package_and_its_registry():
    import youthmedia as ym
    from youthmedia.figures import CHARTS, charts, coefplot, dumbbell
    from youthmedia.figures.coefplot import coefplot as coefplot_in_module

    assert ym.figures.dumbbell is dumbbell is charts.dumbbell is CHARTS["dumbbell"]
    # the function shadows its module's name in the package; the module path still imports
    assert ym.figures.coefplot is coefplot is coefplot_in_module is CHARTS["coefplot"]
    assert (
        {"bars", "grouped", "trend", "diverging", "heatmap", "big_number", "dumbbell", "coefplot"}
        <= set(CHARTS)
        <= set(ym.figures.__all__)
    )


# -- differences, selections, gaps, ties (what the notebooks had to work around) ----------------
def difference_result() -> Result:
    # 2023 − 2019 in proportions, typed in: TikTok +0.42 (CI .37 to .46), Facebook −0.16
    # (CI −.21 to −.11), WhatsApp +0.01 (CI −.01 to .03: no clear change)
    rows = [
        {
            "variable": v,
            "category": "gekozen",
            "estimate": e,
            "ci_low": lo,
            "ci_high": hi,
            "n": 3000,
        }
        for v, e, lo, hi in [
            ("use_whatsapp", 0.01, -0.01, 0.03),
            ("use_tiktok", 0.42, 0.37, 0.46),
            ("use_facebook", -0.16, -0.21, -0.11),
        ]
    ]
    labels = {
        lang: {"use_whatsapp": "WhatsApp", "use_tiktok": "TikTok", "use_facebook": "Facebook"}
        for lang in ("nl", "en")
    }
    return Result.from_rows(
        rows,
        kind="difference",
        percent=True,
        labels=labels,
        source=SOURCE,
        weighted=True,
        groups=("2019", "2023"),
        compared_by="wave",
    )


def test_bars_of_a_difference_say_percentage_points_with_a_sign():
    fig = charts.bars(difference_result())
    check_slide(fig)
    assert fig.slide.headline == "TikTok +42 en Facebook −16 procentpunt van 2019 tot 2023"
    assert "bereikt" not in fig.slide.headline
    # ranked by the signed difference; the fall drawn left of zero
    by_y = sorted(bar_patches(fig), key=lambda p: -p.get_y())
    assert [round(p.get_width(), 3) for p in by_y] == [0.42, 0.01, -0.16]
    values = [t.get_text() for t in gid(fig, "youthmedia-value", Text)]
    assert values == ["+42", "+1", "−16"] and not any("%" in v for v in values)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Verschil in procentpunten (2023 − 2019)"
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert "0" in ticks and "+20" in ticks and "−20" in ticks and not any("%" in t for t in ticks)
    fall = next(t for t in gid(fig, "youthmedia-value", Text) if t.get_text() == "−16")
    assert fall.get_position()[0] < -0.21 and fall.get_horizontalalignment() == "right"
    assert "Facebook: −16 procentpunt (95%-BI −21 tot −11)" in fig.slide.alt_text
    en = charts.bars(difference_result(), lang="en")
    assert en.slide.headline == ("TikTok +42 and Facebook −16 percentage points from 2019 to 2023")
    assert en.axes[0].get_xlabel() == "Difference in percentage points (2023 − 2019)"


def test_difference_without_a_clear_change_says_so():
    r = difference_result()
    flat = Result.from_rows(r[r["variable"] == "use_whatsapp"], r.meta)
    assert charts.bars(flat).slide.headline == "Geen duidelijke verandering van 2019 tot 2023"
    by_gender = Result.from_rows(
        r.to_frame(), r.meta, groups=("jongen", "meisje"), compared_by="gender"
    )
    assert charts.bars(by_gender, lang="en").slide.headline == (
        "TikTok +42 and Facebook −16 percentage points (meisje compared with jongen)"
    )


def test_headlines_name_the_selected_wave_and_group():
    rows = [
        {
            "wave": w,
            "variable": v,
            "category": "ja",
            "estimate": e,
            "ci_low": e - 0.02,
            "ci_high": e + 0.02,
            "n": 900,
        }
        for w in ("2019", "2023")
        for v, e in (("use_whatsapp", 0.96), ("use_tiktok", 0.64))
    ]
    r = Result.from_rows(
        rows, by=["wave"], labels={"nl": {"use_whatsapp": "WhatsApp", "use_tiktok": "TikTok"}}
    )
    assert charts.bars(r.select(wave=2023)).slide.headline == (
        "WhatsApp bereikt bijna alle jongeren in 2023 (96%)"
    )
    school = Result.from_rows(
        [
            {
                "wave": "2023",
                "school": "havo",
                "gender": g,
                "variable": "victim",
                "category": "ja",
                "estimate": e,
                "ci_low": e - 0.03,
                "ci_high": e + 0.03,
                "n": 300,
            }
            for g, e in (("jongen", 0.10), ("meisje", 0.25))
        ],
        by=["wave", "school", "gender"],
        labels={"nl": {"victim": "Online gepest"}},
    )
    fig = charts.grouped(school.select(wave=2023, school="havo"))
    assert fig.slide.headline == (
        "Online gepest (havo) in 2023: jongen 10%, meisje 25%; duidelijk verschil"
    )


def test_a_label_with_brackets_is_not_split_in_a_headline():
    # one item over three waves: the repeated label shares no prefix with another label
    rows = [
        {
            "wave": w,
            "variable": "life_sat",
            "estimate": e,
            "ci_low": e - 0.1,
            "ci_high": e + 0.1,
            "n": 1500,
        }
        for w, e in (("2015", 7.6), ("2019", 7.5), ("2023", 7.5))
    ]
    r = Result.from_rows(
        rows, kind="mean", by=["wave"], labels={"nl": {"life_sat": "Levenstevredenheid (0-10)"}}
    )
    assert charts.trend(r).slide.headline == (
        "Levenstevredenheid (0-10): 7,6 (2015) en 7,5 (2023); geen duidelijke verandering"
    )
    assert strip_common_prefix(["Gebruik (0-5): dagelijks", "Gebruik (0-10): wekelijks"]) == (
        ["Gebruik (0-5): dagelijks", "Gebruik (0-10): wekelijks"],
        "",
    )


def test_a_wave_not_asked_is_a_gap_in_the_trend_not_a_dash():
    rows = []
    for w, tiktok in (("2015", None), ("2019", 0.22), ("2023", 0.64)):
        rows.append(
            {
                "wave": w,
                "variable": "use_whatsapp",
                "category": "ja",
                "estimate": 0.95,
                "ci_low": 0.93,
                "ci_high": 0.97,
                "n": 1500,
            }
        )
        rows.append(
            {
                "wave": w,
                "variable": "use_tiktok",
                "category": "ja",
                "estimate": tiktok,
                "ci_low": None if tiktok is None else tiktok - 0.03,
                "ci_high": None if tiktok is None else tiktok + 0.03,
                "n": None if tiktok is None else 1500,
                "reason": "not_asked" if tiktok is None else "",
            }
        )
    r = Result.from_rows(
        rows, by=["wave"], labels={"nl": {"use_whatsapp": "WhatsApp", "use_tiktok": "TikTok"}}
    )
    fig = charts.trend(r)
    check_slide(fig)
    assert not gid(fig, "youthmedia-suppressed", Text)  # no "–" at a made-up height
    tiktok = next(line for line in gid(fig, "youthmedia-line") if line.get_label() == "TikTok")
    ys = tiktok.get_ydata()
    assert np.isnan(ys[0]) and list(ys[1:]) == [0.22, 0.64]  # a gap, then the line
    assert "TikTok: niet gevraagd in 2015." in fig.slide.footnotes
    assert not any(n.startswith("–") for n in fig.slide.footnotes)
    # a wave with no row at all is a gap too
    fig = charts.trend(Result.from_rows(r[r["n"].notna()], r.meta))
    assert not gid(fig, "youthmedia-suppressed", Text)
    assert "TikTok: niet gevraagd in 2015." in fig.slide.footnotes


def test_a_tie_of_long_answers_is_counted_not_listed():
    long = [
        "Vaak sociale media gebruikt om niet aan negatieve gevoelens te hoeven denken",
        "Ruzie gehad met ouders of verzorgers over je gebruik van sociale media",
        "Geprobeerd minder tijd aan sociale media te besteden, maar dat lukte niet",
    ]
    rows = [
        {
            "variable": f"smds_{i}",
            "category": "ja",
            "estimate": e,
            "ci_low": e - 0.03,
            "ci_high": e + 0.03,
            "n": 900,
        }
        for i, e in enumerate((0.35, 0.33, 0.31))
    ]
    r = Result.from_rows(rows, labels={"nl": {f"smds_{i}": lab for i, lab in enumerate(long)}})
    head = charts.bars(r).slide.headline
    # the first named (the subject is kept), the others counted: they are on the chart
    assert head == (
        "Vaak sociale media gebruikt om niet aan negatieve gevoelens te hoeven denken "
        "en 2 andere antwoorden ongeveer even vaak genoemd (31–35%)"
    )


def test_a_figure_shows_itself_in_jupyter_without_matplotlib_inline():
    import struct

    from IPython.core.formatters import PNGFormatter

    fig = charts.bars(platform_result())
    png = PNGFormatter()(fig)  # what Jupyter asks a cell's value for
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1333, 750)  # 13.333 × 7.5 in at 100 dpi: screen size


def test_group_headline_of_a_long_question_stays_short():
    label = "Geprobeerd minder tijd aan sociale media te besteden, maar dat lukte niet"
    rows = [
        {
            "age_band": a,
            "variable": "smds_5",
            "category": "ja",
            "estimate": e,
            "ci_low": e - 0.02,
            "ci_high": e + 0.02,
            "n": 500,
        }
        for a, e in (("15-19 jaar", 0.20), ("20-24 jaar", 0.14))
    ]
    r = Result.from_rows(rows, by=["age_band"], labels={"nl": {"smds_5": label}})
    head = charts.grouped(r).slide.headline
    assert head == (
        "Geprobeerd minder tijd aan sociale media te besteden, maar dat lukte niet: "
        "15-19 jaar 20%, 20-24 jaar 14%; duidelijk verschil"
    )  # never cut


# -- no text on top of other text, on crowded figures of every chart type ------------------------
def drawn_texts(fig: Figure) -> list[Text]:
    """The texts actually drawn: visible, non-empty, and for tick labels only those of ticks
    inside the axis range (matplotlib keeps stale labels of ticks outside it, undrawn)."""
    fig.draw_without_rendering()
    undrawn = set()
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            lo, hi = sorted(axis.get_view_interval())
            eps = (hi - lo) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not lo - eps <= tick.get_loc() <= hi + eps:
                    undrawn |= {id(tick.label1), id(tick.label2)}
    return [t for t in texts(fig) if id(t) not in undrawn]


def text_overlaps(fig: Figure) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes (window extents) share more than half a pixel each way."""
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in drawn_texts(fig)]
    out = []
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1 :]:
            if (
                min(ba.x1, bb.x1) - max(ba.x0, bb.x0) > 0.5
                and min(ba.y1, bb.y1) - max(ba.y0, bb.y0) > 0.5
            ):
                out.append((a, b))
    return out


CROWD = [
    "WhatsApp",
    "YouTube",
    "Instagram",
    "Snapchat",
    "TikTok",
    "Facebook",
    "Pinterest",
    "Twitch",
    "Discord",
    "BeReal",
    "Reddit",
    "Andere sociale media of apps",
]
CROWD_LAST = [0.98, 0.92, 0.81, 0.80, 0.79, 0.40, 0.39, 0.38, 0.20, 0.19, 0.05, 0.04]
CROWD_LABELS = {"nl": {**{f"p{i}": name for i, name in enumerate(CROWD)}, "age_band": "Leeftijd"}}


def crowded_trend(k: int = 6) -> Result:
    """``k`` platforms over 2015, 2019, 2023; the last values typed in above (three of them
    within 2 points: 81, 80, 79%), the line rising to it (half, 0.8 of it) except Facebook,
    which falls from 90% to 40%."""
    rows = []
    for i, last in enumerate(CROWD_LAST[:k]):
        points = (0.90, 0.65, 0.40) if CROWD[i] == "Facebook" else (last / 2, 0.8 * last, last)
        for year, e in zip(("2015", "2019", "2023"), points, strict=True):
            rows.append(
                {
                    "year": year,
                    "variable": f"p{i}",
                    "category": "ja",
                    "estimate": e,
                    "ci_low": max(e - 0.03, 0),
                    "ci_high": min(e + 0.03, 1),
                    "n": 900,
                }
            )
    return Result.from_rows(rows, by=["year"], labels=CROWD_LABELS, source=SOURCE, weighted=True)


def crowded_by_age() -> Result:
    ages = ["10–14 jaar", "15–19 jaar", "20–24 jaar", "25 jaar en ouder"]
    rows = [
        {
            "age_band": a,
            "variable": f"p{i}",
            "category": "ja",
            "estimate": e * (0.8 + 0.05 * j),
            "ci_low": e * (0.8 + 0.05 * j) - 0.03,
            "ci_high": min(e * (0.8 + 0.05 * j) + 0.03, 1),
            "n": 300,
        }
        for i, e in enumerate(CROWD_LAST[:6])
        for j, a in enumerate(ages)
    ]
    return Result.from_rows(
        rows, by=["age_band"], labels=CROWD_LABELS, source=SOURCE, weighted=True, kind="share"
    )


def crowded_flat() -> Result:
    rows = [
        {
            "variable": f"p{i}",
            "category": "ja",
            "estimate": e,
            "ci_low": max(e - 0.03, 0),
            "ci_high": min(e + 0.03, 1),
            "n": 900,
        }
        for i, e in enumerate(CROWD_LAST)
    ]
    return Result.from_rows(rows, labels=CROWD_LABELS, source=SOURCE, weighted=True, kind="share")


def crowded_scale() -> Result:
    rows = [
        {"variable": f"p{i}", "category": c, "estimate": e, "n": 900}
        for i in range(6)
        for c, e in zip(
            SCALE,
            [0.02, 0.08, 0.20, 0.35, 0.35] if i % 2 else [0.30, 0.30, 0.20, 0.15, 0.05],
            strict=True,
        )
    ]
    return Result.from_rows(rows, labels=CROWD_LABELS, source=SOURCE, weighted=True, kind="share")


def crowded_glm() -> Result:
    rows = [
        {
            "term": f"t{i}",
            "label": f"Term {i}: {name}",
            "estimate": 0.1 * (i % 3) - 0.1,
            "ci_low": 0.1 * (i % 3) - 0.3,
            "ci_high": 0.1 * (i % 3) + 0.1,
        }
        for i, name in enumerate(CROWD[:8])
    ]
    return Result.from_rows(
        rows,
        kind="glm",
        model={"family": "gaussian", "outcome": "y"},
        source=SOURCE,
        n_total=500,
        weighted=True,
    )


def crowded_two_groups() -> Result:
    r = crowded_by_age()
    return Result.from_rows(r[r["age_band"].isin(["10–14 jaar", "25 jaar en ouder"])], r.meta)


CROWDED = {
    "trend, 6 close lines": lambda: charts.trend(crowded_trend(6)),
    "trend, 12 lines": lambda: charts.trend(crowded_trend(12)),
    "trend, English": lambda: charts.trend(crowded_trend(6), lang="en"),
    "bars": lambda: charts.bars(crowded_flat()),
    "grouped bars": lambda: charts.grouped(crowded_by_age()),
    "grouped dots": lambda: charts.grouped(crowded_by_age(), style="dots"),
    "heatmap": lambda: charts.heatmap(crowded_by_age()),
    "diverging": lambda: charts.diverging(crowded_scale()),
    "big number": lambda: charts.big_number(crowded_flat(), variable="p0"),
    "dumbbell": lambda: __import__("youthmedia.figures", fromlist=["dumbbell"]).dumbbell(
        crowded_two_groups()
    ),
    "coefplot": lambda: __import__("youthmedia.figures", fromlist=["coefplot"]).coefplot(
        crowded_glm()
    ),
}


@pytest.mark.parametrize("case", list(CROWDED))
def test_no_text_lies_on_other_text_in_a_crowded_figure(case):
    fig = CROWDED[case]()
    check_slide(fig)
    assert len(drawn_texts(fig)) >= 5  # headline, source, numbers, labels
    assert text_overlaps(fig) == []


def test_trend_names_each_line_at_its_end_instead_of_a_legend():
    fig = charts.trend(crowded_trend(6))
    ax = fig.axes[0]
    assert ax.get_legend() is None
    renderer = fig.canvas.get_renderer()
    fig.draw(renderer)
    labels = gid(fig, "youthmedia-value", Text)
    # one label per line: its name and its last value, in its colour
    expected = {
        f"{name} {round(100 * last)}%" for name, last in zip(CROWD[:6], CROWD_LAST[:6], strict=True)
    }
    assert {t.get_text() for t in labels} == expected
    box = ax.get_window_extent(renderer)
    lines = {line.get_label(): line for line in gid(fig, "youthmedia-line")}
    pitch = []
    for t in labels:
        name = t.get_text().rsplit(" ", 1)[0]
        line = lines[name]
        assert same_hue(t.get_color(), line.get_color())  # in its colour (or darkened)
        end = ax.transData.transform((line.get_xdata()[-1], line.get_ydata()[-1]))
        tb = t.get_window_extent(renderer)
        assert (
            tb.x0 > end[0] and tb.x1 <= box.x1 + 1 and box.y0 - 1 <= tb.y0 and tb.y1 <= box.y1 + 1
        )
        pitch.append(((tb.y0 + tb.y1) / 2, end[1], tb.height))
    # the 81/80/79% labels had to move, but each stays within two label heights of its line's end
    assert all(abs(y - target) <= 2 * h for y, target, h in pitch)
    # WhatsApp (98%) above YouTube (92%) above Instagram (81%): the order of the lines is kept
    order = [
        t.get_text().rsplit(" ", 1)[0] for t in sorted(labels, key=lambda t: -t.get_position()[1])
    ]
    assert order == ["WhatsApp", "YouTube", "Instagram", "Snapchat", "TikTok", "Facebook"]


def test_trend_of_too_many_lines_keeps_the_highest_and_says_so():
    fig = charts.trend(crowded_trend(12))
    names = [t.get_text().rsplit(" ", 1)[0] for t in gid(fig, "youthmedia-value", Text)]
    assert "WhatsApp" in names and len(names) < 12
    dropped = [n for n in CROWD if n not in names]
    # the lines left out are the lowest at the last wave
    assert dropped == CROWD[len(names) :]
    assert f"De {len(names)} hoogste van 12 getoond" in " ".join(fig.slide.footnotes)
    assert len(gid(fig, "youthmedia-line")) == len(names)


def test_repel_moves_close_labels_apart_by_the_least_squares():
    from youthmedia.figures.lines import overlapping_groups, repel

    # targets 100 and 101, heights 20, gap 2: centres 22 apart, around their mean 100.5
    assert repel([101.0, 100.0], [20.0, 20.0], 0.0, 300.0, gap=2.0) == [111.5, 89.5]
    # pushed down from the top edge: 300 - 10 = 290 and 290 - 22 = 268
    assert repel([299.0, 298.0], [20.0, 20.0], 0.0, 300.0, gap=2.0) == [290.0, 268.0]
    # far apart: untouched
    assert repel([10.0, 200.0], [20.0, 20.0], 0.0, 300.0) == [10.0, 200.0]
    assert overlapping_groups([0, 50], [40, 60]) == [[0], [1]]


# -- distinct, legible series colours ------------------------------------------------------------
def wcag_luminance(colour: str) -> float:
    """WCAG 2 relative luminance, written out here (not the theme's): sRGB channels
    linearised, weighted 0.2126 R + 0.7152 G + 0.0722 B."""
    from matplotlib.colors import to_rgb

    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in to_rgb(colour)]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def wcag_contrast(a: str, b: str) -> float:
    la, lb = sorted((wcag_luminance(a), wcag_luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def same_hue(a: str, b: str) -> bool:
    """Same hue and saturation, maybe another lightness (black/white/grey: any grey)."""
    import colorsys

    from matplotlib.colors import to_rgb

    ha, _, sa = colorsys.rgb_to_hls(*to_rgb(a))
    hb, _, sb = colorsys.rgb_to_hls(*to_rgb(b))
    if sa < 0.05 or sb < 0.05:
        return sa < 0.05 and sb < 0.05
    return min(abs(ha - hb), 1 - abs(ha - hb)) < 0.02


def test_wcag_contrast_by_hand():
    # Okabe-Ito orange #E69F00 on white: R 230/255 -> ((0.902 + 0.055) / 1.055)^2.4 = 0.791,
    # G 159/255 -> 0.347, B 0; L = 0.2126 * 0.791 + 0.7152 * 0.347 = 0.416;
    # contrast (1 + 0.05) / (0.416 + 0.05) = 2.25: too pale for text (WCAG asks 4.5)
    assert wcag_contrast("#E69F00", "#FFFFFF") == pytest.approx(2.25, abs=0.01)
    assert wcag_contrast("#000000", "#FFFFFF") == pytest.approx(21.0)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_text_in_a_series_colour_reaches_4_5_to_1_against_the_slide(theme):
    t = Theme.light() if theme == "light" else Theme.dark()
    trend_fig = charts.trend(crowded_trend(12), theme=theme)
    from youthmedia.figures import dumbbell

    dumbbell_fig = dumbbell(crowded_two_groups(), theme=theme)
    labels = gid(trend_fig, "youthmedia-value", Text) + gid(dumbbell_fig, "youthmedia-value", Text)
    assert len(labels) >= 7 + 12
    series = {line.get_label(): line.get_color() for line in gid(trend_fig, "youthmedia-line")}
    darkened = 0
    for text in labels:
        assert wcag_contrast(text.get_color(), t.background) >= 4.5, (
            text.get_text(),
            text.get_color(),
        )
    for text in gid(trend_fig, "youthmedia-value", Text):
        line = series[text.get_text().rsplit(" ", 1)[0]]
        assert same_hue(text.get_color(), line)
        if wcag_contrast(line, t.background) >= 4.5:
            assert text.get_color() == line  # a colour that reads well is left alone
        else:
            darkened += 1
            lighter = wcag_luminance(text.get_color()) > wcag_luminance(line)
            assert lighter == (theme == "dark")  # darker on white, lighter on the dark slide
    # every series colour below 4.5 on the background was darkened (light) or lightened (dark):
    # on white orange, sky blue, green, vermillion, purple and yellow (blue 5.2 and black are
    # not); on #1B1F24 vermillion 4.3 and blue 3.2
    assert darkened == sum(wcag_contrast(c, t.background) < 4.5 for c in series.values()) > 0


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_series_colour_repeats_more_lines_are_cut_to_the_highest(theme):
    fig = charts.trend(crowded_trend(12), theme=theme)
    colours = [line.get_color() for line in gid(fig, "youthmedia-line")]
    assert len(colours) == len(set(colours))
    # 8 Okabe-Ito colours on the light theme; the dark one leaves out black: 7
    k = 8 if theme == "light" else 7
    assert len(colours) == k
    names = [t.get_text().rsplit(" ", 1)[0] for t in gid(fig, "youthmedia-value", Text)]
    assert names == CROWD[:k]  # CROWD_LAST is typed in highest first
    assert f"De {k} hoogste van 12 getoond" in fig.slide.footnotes


def test_grouped_chart_of_more_groups_than_colours_keeps_the_highest_groups():
    schools = [f"school {c}" for c in "ABCDEFGHIJKL"]
    # Instagram 5% + 7% per school, TikTok 90% - 3% per school: the mean rises 2% a school,
    # so the 8 highest are E to L
    rows = [
        {
            "school": g,
            "variable": v,
            "category": "ja",
            "estimate": e,
            "ci_low": e - 0.05,
            "ci_high": e + 0.05,
            "n": 200,
        }
        for i, g in enumerate(schools)
        for v, e in (("ig", 0.05 + 0.07 * i), ("tt", 0.9 - 0.03 * i))
    ]
    r = Result.from_rows(
        rows,
        by=["school"],
        source=SOURCE,
        weighted=True,
        labels={"nl": {"ig": "Instagram", "tt": "TikTok", "school": "School"}},
    )
    for style in ("bars", "dots"):
        fig = charts.grouped(r, style=style)
        check_slide(fig)
        fig.canvas.draw()  # the legend as read: row by row, left to right
        boxes = [
            (t.get_window_extent(), t.get_text()) for t in fig.axes[0].get_legend().get_texts()
        ]
        legend = [t for b, t in sorted(boxes, key=lambda w: (-round(w[0].y1), w[0].x0))]
        assert legend == schools[4:]
        handles = fig.axes[0].get_legend().legend_handles
        colours = {h.get_facecolor() if style == "bars" else h.get_color() for h in handles}
        assert len({str(c) for c in colours}) == 8
        assert "School: de 8 hoogste van 12 getoond" in fig.slide.footnotes
        assert "school A" not in fig.slide.alt_text


# -- answer-scale headlines of a question ---------------------------------------------------------
def question_result(label_nl: str, label_en: str) -> Result:
    rows = [
        {"wave": w, "variable": "freq_wa", "category": c, "estimate": e, "n": 800}
        for w in ("2019", "2023")
        for c, e in zip(SCALE, [0.05, 0.05, 0.20, 0.30, 0.40], strict=True)
    ]
    return Result.from_rows(
        rows,
        by=["wave"],
        source=SOURCE,
        weighted=True,
        labels={"nl": {"freq_wa": label_nl}, "en": {"freq_wa": label_en}},
        value_labels={"en": {"freq_wa": dict(zip(SCALE, SCALE_EN, strict=True))}},
    )


def test_diverging_headline_of_a_question_names_what_it_asks_about():
    r = question_result("Hoe vaak gebruik je WhatsApp?", "How often do you use WhatsApp?")
    fig = charts.diverging(r.select(wave=2023))
    # 'vaak' 30% + 'heel vaak' 40% = 70%
    # a frequency scale: the share at least once (1 − 'nooit' 5%), the question kept whole
    assert fig.slide.headline == (
        "Hoe vaak gebruik je WhatsApp? In 2023: bijna alle jongeren minstens één keer (95%)"
    )
    assert fig.slide.subtitle == "Hoe vaak gebruik je WhatsApp?"  # the question itself
    en = charts.diverging(r.select(wave=2023), lang="en")
    assert en.slide.headline == (
        "How often do you use WhatsApp? In 2023: almost all young people at least once (95%)"
    )


def test_diverging_headline_of_a_question_naming_nothing_gives_the_share():
    r = question_result("Hoe vaak ben je online gepest?", "How often were you bullied online?")
    fig = charts.diverging(r.select(wave=2023))
    assert fig.slide.headline == (
        "Hoe vaak ben je online gepest? In 2023: bijna alle jongeren minstens één keer (95%)"
    )
    assert charts.diverging(r.select(wave=2023), lang="en").slide.headline == (
        "How often were you bullied online? In 2023: almost all young people at least once (95%)"
    )


def test_native_grouped_bars_label_only_the_bars_whose_numbers_fit(tmp_path):
    from pptx import Presentation

    from youthmedia import deck

    groups, rng = ["12", "13", "14", "15", "16", "17"], np.random.default_rng(3)
    rows = [
        {"age": g, "variable": f"p{i}", "estimate": round(float(e), 3), "n": 400}
        for i in range(10)
        for g, e in zip(groups, rng.uniform(0.05, 0.95, 6), strict=True)
    ]
    labels = {"en": {f"p{i}": f"Platform {i}" for i in range(10)}}
    many = Result.from_rows(rows, by=["age"], labels=labels)
    few = [r for r in rows if r["variable"] in ("p0", "p1") and r["age"] in groups[:3]]
    few = Result.from_rows(few, by=["age"], labels=labels)
    figs = [charts.grouped(many, lang="en"), charts.grouped(few, lang="en")]
    prs = Presentation(str(deck.write_deck(figs, tmp_path / "d.pptx", charts="native")))

    def plot_and_hidden(slide):
        plot = next(s for s in slide.shapes if s.has_chart).chart.plots[0]
        hidden = {
            (i, int(d.xpath("c:idx/@val")[0]))
            for i, s in enumerate(plot.series)
            for d in s._element.xpath("c:dLbls/c:dLbl[c:delete]")
        }
        return plot, hidden

    plot, hidden = plot_and_hidden(prs.slides[1])
    values = [list(s.values) for s in plot.series]
    expected = {
        (r["age"], r["variable"][1:]): r["estimate"] for r in rows
    }  # "Platform " is the subtitle
    got = {
        (s.name, c): v for s in plot.series for c, v in zip(plot.categories, s.values, strict=True)
    }
    assert got == {k: expected[k] for k in got} and len(got) == 6 * len(plot.categories) >= 18
    assert 0 < len(hidden) < sum(map(len, values))
    top = max((v, i, j) for i, vs in enumerate(values) for j, v in enumerate(vs))
    assert (top[1], top[2]) not in hidden  # the largest bar keeps its number
    # bars of one item are thinner than a line of text: never two neighbours both labelled
    for j in range(len(plot.categories)):
        shown = [i for i in range(len(values)) if (i, j) not in hidden]
        assert all(b - a > 1 for a, b in zip(shown, shown[1:], strict=False))
    assert plot_and_hidden(prs.slides[2])[1] == set()  # two items of three groups: all fit


def test_a_scale_legend_reads_in_scale_order_row_by_row():
    # review C2: five long agreement answers in a by-group chart do not fit on one row
    answers = [
        "Helemaal mee oneens met deze uitspraak",
        "Mee oneens met deze uitspraak",
        "Neutraal, niet eens en niet oneens",
        "Mee eens met deze uitspraak",
        "Helemaal mee eens met deze uitspraak",
    ]
    rows = [
        {"gender": g, "variable": "blij", "category": a, "estimate": 0.2, "n": 300}
        for g in ("jongen", "meisje")
        for a in answers
    ]
    r = Result.from_rows(
        rows, by=["gender"], labels={"nl": {"blij": "Sociale media maken me blij"}}
    )
    fig = charts.diverging(r)
    fig.canvas.draw()
    texts = fig.axes[0].get_legend().get_texts()
    where = [t.get_window_extent() for t in texts]
    assert len({round(b.y0) for b in where}) > 1  # on more than one row
    reading = sorted(zip(where, texts, strict=True), key=lambda w: (-round(w[0].y1), w[0].x0))
    assert [t.get_text().replace("\n", " ") for _, t in reading] == answers
