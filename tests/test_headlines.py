"""Headline rules (youthmedia.figures.headline) and editable decks: one test per defect of
issue 15, on data made here. Expected numbers come from the data put in (hand calculations in
the comments), never from youthmedia's own output."""

from __future__ import annotations

import math

import matplotlib.text
import numpy as np
import pandas as pd
import pytest
from pptx import Presentation

import youthmedia as ym
from youthmedia import export
from youthmedia.codebook import Codebook, Variable
from youthmedia.figures import charts
from youthmedia.figures.data import scale_kind
from youthmedia.figures.headline import holm, quantity
from youthmedia.figures.slide import Slide
from youthmedia.figures.theme import Theme, contrast_ratio
from youthmedia.result import Result

# -- the quantifier table (rule 2) --------------------------------------------------------------------
QUANTIFIERS = [
    # estimate, CI, lang, phrase
    (0.83, 0.81, 0.85, "nl", "ruim acht op de tien jongeren"),  # not "meer dan de helft"
    (0.90, 0.88, 0.92, "nl", "negen op de tien jongeren"),  # not "ruim driekwart"
    (0.97, 0.95, 0.98, "nl", "bijna alle jongeren"),
    (0.998, 0.99, 1.0, "en", "virtually all young people"),
    (0.52, 0.47, 0.57, "en", "about half of young people"),  # CI holds 50%: not "more"
    (0.53, 0.51, 0.55, "en", "more than half of young people"),  # CI above 50%
    (0.55, 0.52, 0.58, "en", "55% of young people"),  # 5 points off: the number
    (0.16, 0.15, 0.17, "en", "16% of young people"),  # not "almost one in five"
    (0.47, 0.45, 0.49, "nl", "bijna de helft van de jongeren"),  # CI below 50%
    (0.25, 0.22, 0.28, "en", "a quarter of young people"),
    (0.34, 0.31, 0.37, "nl", "ongeveer een derde van de jongeren"),
    (0.66, 0.63, 0.69, "en", "about two thirds of young people"),
    (0.70, 0.67, 0.73, "nl", "zeven op de tien jongeren"),
    (0.20, 0.18, 0.22, "nl", "één op de vijf jongeren"),
    (0.10, 0.09, 0.11, "en", "one in ten young people"),
    (0.04, 0.03, 0.05, "nl", "4% van de jongeren"),  # too small for a fraction
    (0.12, 0.05, 0.22, "nl", "12% van de jongeren"),  # interval too wide
    (0.60, math.nan, math.nan, "en", "60% of young people"),  # no interval: the number
]


@pytest.mark.parametrize(("est", "lo", "hi", "lang", "phrase"), QUANTIFIERS)
def test_quantifier_never_understates_or_overstates(est, lo, hi, lang, phrase):
    assert quantity(est, lo, hi, lang) == phrase


def test_holm_matches_r_p_adjust():
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm") = 0.03 0.06 0.06 0.02
    assert holm([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])


@pytest.mark.parametrize(
    ("labels", "kind"),
    [
        (["helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"], "agreement"),
        (["Strongly disagree", "Disagree", "Agree", "Strongly agree"], "agreement"),
        (["nooit", "soms", "vaak", "heel vaak"], "frequency"),
        (["0 times", "1 time", "2 or 3 times", "4 or 5 times", "6 or more times"], "frequency"),
        (["0", "1", "2-3", "4 of meer"], "frequency"),
        (["helemaal niet", "een beetje", "heel erg"], "intensity"),
        (["vmbo", "havo", "vwo"], "other"),
    ],
)
def test_scale_kind_reads_the_answers(labels, kind):
    assert scale_kind(labels) == kind


# -- data made in the tests ----------------------------------------------------------------------------
def gender_survey(seed: int = 1) -> ym.Survey:
    """756 girls (28% bullied), 703 boys (16%), 49 "anders" (15%): exact counts."""
    groups = {"meisje": (756, 212), "jongen": (703, 112), "anders / zeg ik liever niet": (49, 7)}
    gender, victim = [], []
    for g, (n, k) in groups.items():
        gender += [g] * n
        victim += ["ja"] * k + ["nee"] * (n - k)
    d = pd.DataFrame({"gender": gender, "victim": victim})
    cb = Codebook(
        {
            "gender": Variable("gender", label="Geslacht"),
            "victim": Variable("victim", label="Online gepest"),
        }
    )
    return ym.Survey(d, cb)


def test_a_clear_gap_beside_a_small_group_is_called_clear():
    s = gender_survey()
    r = ym.share(s, "victim", by="gender")
    head = charts.grouped(r[r["category"] == "ja"], lang="nl").slide.headline
    # 212/756 = 28.0%, 112/703 = 15.9%: z ≈ 5.7; the small group (n = 49) is not compared
    assert head == "Online gepest: jongen 16%, meisje 28%; duidelijk verschil"
    assert "geen duidelijk verschil" not in head and "anders" not in head


def test_no_clear_difference_names_the_groups_compared_not_a_small_one():
    rows = [
        {
            "gender": g,
            "variable": "x",
            "category": "ja",
            "estimate": e,
            "se": se,
            "n": n,
            "n_eff": n,
        }
        for g, e, se, n in (
            ("meisje", 0.30, 0.02, 700),
            ("jongen", 0.31, 0.02, 700),
            ("anders", 0.10, 0.05, 40),
        )
    ]
    r = Result.from_rows(rows, by=["gender"], labels={"nl": {"x": "Gamen"}})
    assert (
        charts.grouped(r).slide.headline == "Gamen: meisje 30%, jongen 31%; geen duidelijk verschil"
    )


def test_a_tie_is_named_once():
    rows = [
        {"gender": g, "variable": "x", "category": "ja", "estimate": 0.33, "se": 0.02, "n": 600}
        for g in ("jongen", "meisje")
    ]
    r = Result.from_rows(
        rows,
        by=["gender"],
        labels={"nl": {"x": "Gamen"}, "en": {"x": "Gaming"}},
        value_labels={"en": {"gender": {"jongen": "boy", "meisje": "girl"}}},
    )
    assert charts.grouped(r).slide.headline == "Gamen: jongen en meisje 33%"
    assert charts.grouped(r, lang="en").slide.headline == "Gaming: boy and girl 33%"


def test_several_groups_are_holm_corrected():
    # three age bands, each pair differing by 4 points with SE 0.02 each: z = 0.04/0.0283 =
    # 1.41, p = 0.157 > 0.05 — no difference, and Holm only makes it stricter
    rows = [
        {"age": a, "variable": "x", "category": "ja", "estimate": e, "se": 0.02, "n": 500}
        for a, e in (("12-13", 0.40), ("14-15", 0.44), ("16-18", 0.48))
    ]
    r = Result.from_rows(rows, by=["age"], labels={"en": {"x": "Gaming"}})
    # 12-13 vs 16-18: z = 0.08/0.0283 = 2.83, p = 0.0047; Holm × 3 = 0.014 < 0.05: clear
    assert (
        charts.grouped(r, lang="en").slide.headline
        == "Gaming: 12-13 40%, 16-18 48%; a clear difference"
    )
    # p = 0.02 alone is clear, but with three pairs Holm makes it 0.06: not clear
    rows = [
        {"age": a, "variable": "x", "category": "ja", "estimate": e, "se": 0.02, "n": 500}
        for a, e in (("12-13", 0.40), ("14-15", 0.43), ("16-18", 0.466))
    ]
    r = Result.from_rows(rows, by=["age"], labels={"en": {"x": "Gaming"}})
    assert "no clear difference" in charts.grouped(r, lang="en").slide.headline


def test_a_by_group_slide_never_says_young_people_for_one_group():
    # only one group large enough: numbers per group, no claim about "young people"
    rows = [
        {"gender": g, "variable": "x", "category": "ja", "estimate": e, "n": n}
        for g, e, n in (("meisje", 0.20, 40), ("jongen", 0.25, 38))
    ]
    head = charts.grouped(
        Result.from_rows(rows, by=["gender"], labels={"nl": {"x": "Gamen"}})
    ).slide.headline
    assert head == "Gamen: meisje 20%, jongen 25%"
    assert "jongeren" not in head


def test_crosstab_reads_within_each_group_and_its_chart_says_so():
    # boys: 87 of 100 never bullied; girls: 70 of 100
    d = pd.DataFrame(
        {
            "gender": ["jongen"] * 100 + ["meisje"] * 100,
            "victim": ["niet"] * 87 + ["wel"] * 13 + ["niet"] * 70 + ["wel"] * 30,
        }
    )
    t = ym.crosstab(ym.Survey(d), "victim", "gender")
    cell = t.set_index(["gender", "category"])["estimate"]
    assert cell["jongen", "niet"] == pytest.approx(0.87) and cell[
        "meisje", "niet"
    ] == pytest.approx(0.70)
    fig = charts.grouped(t)
    assert "jongen): 87%" in fig.slide.alt_text.replace(
        "niet (jongen", "jongen"
    )  # niet (jongen): 87%
    # the subject is kept; a yes/no ("wel"/"niet") question compares its "wel" share
    assert fig.slide.headline == "Victim, ‘wel’: jongen 13%, meisje 30%; duidelijk verschil"


def test_small_percentages_get_the_ticks_they_need():
    rows = [
        {"variable": f"v{i}", "category": "ja", "estimate": e, "n": 900}
        for i, e in enumerate((0.02, 0.05, 0.09))
    ]
    fig = charts.bars(Result.from_rows(rows))
    fig.canvas.draw()
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert "2,5%" in ticks and "7,5%" in ticks and "3%" not in ticks and "8%" not in ticks


def count_scale(by: bool = False) -> Result:
    labels = ["0 times", "1 time", "2 or 3 times", "4 or 5 times", "6 or more times"]
    rows = []
    for sex, shares, se0 in (
        ("Female", (0.88, 0.05, 0.04, 0.02, 0.01), 0.010),
        ("Male", (0.93, 0.03, 0.02, 0.01, 0.01), 0.008),
    ):
        for c, e in zip(labels, shares, strict=True):
            se = se0 if c == "0 times" else 0.005
            rows.append(
                {
                    "sex": sex,
                    "variable": "q28",
                    "category": c,
                    "estimate": e,
                    "se": se,
                    "ci_low": e - 1.96 * se,
                    "ci_high": e + 1.96 * se,
                    "n": 6000,
                }
            )
    label = {
        "en": {"q28": "During the past 12 months, how many times did you actually attempt suicide?"}
    }
    r = Result.from_rows(rows, by=["sex"], labels=label)
    return (
        r
        if by
        else Result.from_rows(
            [{**x, "sex": None} for x in rows if x["sex"] == "Female"],
            labels=label,
            short_labels={"en": {"q28": "Suicide attempts"}},
        )
    )


def test_a_count_of_people_is_no_count_of_times():
    """YRBS "Current sexual activity" (None, 1 person, 2 people …): "at least once" would
    misread a count of partners; the first counted answer is named instead."""
    labels = ["None during past 3 months", "1 person", "2 people", "3 or more people"]
    rows = [
        {"variable": "q65", "category": c, "estimate": e, "se": 0.01, "n": 4000}
        for c, e in zip(labels, (0.28, 0.57, 0.10, 0.05), strict=True)
    ]
    fig = charts.bars(Result.from_rows(rows, labels={"en": {"q65": "Partners"}}), lang="en")
    assert "at least once" not in fig.slide.headline, fig.slide.headline
    assert "‘1 person’ or more" in fig.slide.headline  # 1 − 0.28 = 72%
    assert "72%" in fig.slide.headline
    stacked = charts.diverging(
        Result.from_rows(rows, labels={"en": {"q65": "Partners"}}), lang="en"
    )
    assert "‘1 person’ or more" in stacked.slide.headline, stacked.slide.headline


def test_a_count_scale_is_headlined_by_at_least_once():
    fig = charts.bars(count_scale(), lang="en", sort=False)
    # 1 − 0.88 = 12%, CI 1 − (0.88 ± 1.96 · 0.010) = 10–14%: about one in ten
    assert (
        fig.slide.headline == "Suicide attempts: about one in ten young people at least once (12%)"
    )
    assert "0 times" not in fig.slide.headline


def test_by_group_count_scale_compares_the_same_share():
    head = charts.grouped(count_scale(by=True), lang="en").slide.headline
    # at least once: Female 12%, Male 7%; z = 0.05 / √(0.010² + 0.008²) = 3.9
    assert head == (
        "During the past 12 months, how many times did you actually attempt suicide? "
        "At least once: Female 12%, Male 7%; a clear difference"
    )


def test_a_frequency_scale_is_sequential_never_lightest():
    labels = ["nooit", "soms", "vaak", "dagelijks"]
    rows = [
        {"variable": "bully", "category": c, "estimate": e, "n": 800}
        for c, e in zip(labels, (0.80, 0.12, 0.05, 0.03), strict=True)
    ]
    r = Result.from_rows(rows, labels={"nl": {"bully": "Online gepest"}})
    fig = charts.diverging(r)
    segs = sorted(
        [p for p in fig.axes[0].patches if p.get_gid() == "youthmedia-segment"],
        key=lambda p: p.get_x(),
    )
    assert segs[0].get_x() == pytest.approx(0.0)  # from 0 to 100%, not around zero
    lum = [sum(p.get_facecolor()[:3]) for p in segs]
    assert lum == sorted(lum, reverse=True)  # "nooit" lightest, "dagelijks" darkest
    assert fig.slide.headline == "Online gepest: één op de vijf jongeren minstens één keer (20%)"


def test_an_agreement_scale_diverges_around_its_middle():
    labels = ["helemaal oneens", "oneens", "neutraal", "eens", "helemaal eens"]
    rows = [
        {"variable": "rules", "category": c, "estimate": e, "n": 800}
        for c, e in zip(labels, (0.1, 0.2, 0.2, 0.3, 0.2), strict=True)
    ]
    r = Result.from_rows(
        rows, labels={"nl": {"rules": "Mijn ouders hebben regels over schermtijd"}}
    )
    fig = charts.diverging(r)
    first = min(
        (p for p in fig.axes[0].patches if p.get_gid() == "youthmedia-segment"),
        key=lambda p: p.get_x(),
    )
    assert first.get_x() == pytest.approx(-(0.1 + 0.2 + 0.1))
    # the subject is kept: "eens" + "helemaal eens" = 50%
    assert fig.slide.headline == (
        "Mijn ouders hebben regels over schermtijd: 50% antwoordt ‘eens’ of ‘helemaal eens’"
    )


def test_platform_colours_are_the_same_in_every_deck():
    def trend(platforms):
        rows = [
            {"year": y, "variable": p, "estimate": 0.5, "n": 500}
            for p in platforms
            for y in ("2019", "2023")
        ]
        return charts.trend(Result.from_rows(rows, by=["year"]))

    def colour(fig, name):
        return next(
            line.get_color()
            for line in fig.axes[0].lines
            if line.get_gid() == "youthmedia-line" and line.get_label() == name
        )

    a, b = trend(["TikTok", "WhatsApp", "Instagram"]), trend(["Instagram", "Snapchat", "TikTok"])
    for name in ("TikTok", "Instagram"):
        assert colour(a, name) == colour(b, name)


def test_labels_on_colours_are_readable():
    theme = Theme.light()
    from youthmedia.figures.stacked import sequential_colours

    for colour in [*sequential_colours(theme, 5), *theme.palette, *theme.diverging]:
        assert contrast_ratio(theme.text_on(colour), colour) >= 4.5, colour


# -- editable decks ---------------------------------------------------------------------------------
def test_deck_is_editable_texts_inside_alt_text_everywhere(tmp_path):
    years = [
        {
            "year": y,
            "variable": "tt",
            "estimate": e,
            "ci_low": e - 0.03,
            "ci_high": e + 0.03,
            "n": n,
        }
        for y, e, n in (("2015", 0.1, 1012), ("2023", 0.6, 1514))
    ]
    src = {"name": "Demo", "year": ""}
    r1 = Result.from_rows(years, by=["year"], labels={"nl": {"tt": "TikTok"}}, source=src)
    r2 = Result.from_rows(
        [years[1] | {"year": None}],
        labels={"nl": {"tt": "TikTok"}},
        source={"name": "Demo", "year": "2023"},
        n_total=1514,
    )
    r3 = Result.from_rows(
        [years[0] | {"year": None}],
        labels={"nl": {"tt": "TikTok"}},
        source={"name": "Demo", "year": "2015"},
        n_total=1012,
    )
    figs = [charts.trend(r1), charts.big_number(r2), charts.big_number(r3)]
    text = Slide("Niet getoond, en waarom", body=["BeReal: minder dan 10 antwoorden"])
    path = export.write_deck([*figs, text], tmp_path / "d.pptx")
    prs = Presentation(str(path))
    slides = list(prs.slides)
    assert slides[0].placeholders[1].text_frame.text == "Bron: Demo 2015–2023; n = 1.012 tot 1.514"
    for slide, fig in zip(slides[1:4], figs, strict=True):
        assert slide.shapes.title.text == fig.slide.headline
        pics = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pics) == 1 and pics[0]._element.nvPicPr.cNvPr.get("descr") == fig.slide.alt_text
    assert slides[4].shapes.title.text == "Niet getoond, en waarom"
    for slide in slides:
        for shape in slide.shapes:
            assert 0 <= shape.left and shape.left + shape.width <= prs.slide_width
            assert 0 <= shape.top and shape.top + shape.height <= prs.slide_height


def test_the_deck_picture_holds_no_headline_text(tmp_path):
    from PIL import Image

    r = Result.from_rows(
        [{"variable": "x", "category": "ja", "estimate": 0.4, "n": 400}],
        labels={"nl": {"x": "Online gepest"}},
    )
    fig = charts.bars(r)
    prs = Presentation(str(export.write_deck([fig], tmp_path / "d.pptx")))
    pic = next(s for s in prs.slides[1].shapes if s.shape_type == 13)
    import io

    img = np.asarray(Image.open(io.BytesIO(pic.image.blob)).convert("L"))
    band = img[: img.shape[0] // 10]  # the top tenth, where the figure's headline was
    assert band.min() > 200  # empty (white): the headline is PowerPoint text
    assert any(t.get_gid() == "youthmedia-headline" and t.get_visible() for t in fig.texts)


def test_a_yes_no_question_is_headlined_by_its_yes_share():
    rows = [
        {"variable": "bullied", "category": c, "estimate": e, "n": 27}
        for c, e in (("Ja", 0.11), ("Nee", 0.89))
    ]
    r = Result.from_rows(rows, labels={"nl": {"bullied": "Ben je online gepest?"}})
    # 89% "Nee" is the answer chosen most, but the finding is the 11% who say yes
    assert charts.bars(r, sort=False).slide.headline == "Ben je online gepest? 11% antwoordt ‘Ja’"


def test_numbers_as_groups_are_named_with_their_grouping():
    rows = [
        {"age": a, "variable": "x", "category": "ja", "estimate": e, "n": 20}
        for a, e in (("14", 0.94), ("15", 0.80))
    ]
    r = Result.from_rows(rows, by=["age"], labels={"nl": {"x": "YouTube", "age": "Leeftijd"}})
    assert charts.grouped(r).slide.headline == "YouTube: leeftijd 14: 94%, leeftijd 15: 80%"


def test_wide_intervals_do_not_make_far_apart_items_a_tie():
    rows = [
        {
            "variable": f"use_{k}",
            "category": "ja",
            "estimate": e,
            "ci_low": e - 0.15,
            "ci_high": min(e + 0.15, 1),
            "n": 30,
        }
        for k, e in (("a", 0.90), ("b", 0.87), ("c", 0.66))
    ]
    r = Result.from_rows(rows, labels={"nl": {"use_a": "A", "use_b": "B", "use_c": "C"}})
    # B is within 5 points of A and its interval overlaps: a tie; C (24 points lower) is not
    assert charts.bars(r).slide.headline == "A en B bereiken ongeveer evenveel jongeren (87–90%)"


def test_no_then_kinds_of_yes_is_headlined_at_least_once():
    rows = [
        {"variable": "b", "category": c, "estimate": e, "n": 270}
        for c, e in (("Nee", 0.89), ("Ja, één of twee keer", 0.07), ("Ja, vaker", 0.04))
    ]
    r = Result.from_rows(rows, labels={"nl": {"b": "Online gepest"}})
    # no interval given: SE from n as on the stacked chart, √(0.11 · 0.89 / 270) = 1.9 points,
    # 95% CI 7–15%; 11% is within 2.5 points of one in ten
    assert (
        charts.bars(r, sort=False).slide.headline
        == "Online gepest: ongeveer één op de tien jongeren minstens één keer (11%)"
    )


# -- one visible group is no comparison (the bundled Forms survey, 29 respondents) -------------------
def _one_visible(by: str, groups: list[tuple[str, int]], labels: dict | None = None) -> Result:
    rows = [
        {by: g, "variable": v, "category": "ja", "estimate": e, "n": n}
        for g, n in groups
        for v, e in (("wa", 0.93), ("tt", 0.60))
    ]
    return ym.privacy.suppress(
        Result.from_rows(rows, by=[by], labels={"nl": {"wa": "WhatsApp", "tt": "TikTok"}})
    )


def test_a_by_group_chart_with_one_visible_group_says_so():
    # 27 girls, 2 boys, 1 "anders": only the girls can be shown (n < 10 is suppressed)
    r = _one_visible("gender", [("Meisje", 27), ("Jongen", 2), ("Anders", 1)])
    head = charts.grouped(r).slide.headline
    assert head == "WhatsApp: Meisje 93%; de andere groepen zijn te klein om te tonen"
    head = charts.grouped(r, lang="en").slide.headline
    assert head.endswith("the other groups are too small to show")


def test_a_by_age_table_with_one_visible_age_says_so():
    r = _one_visible("age", [("13", 3), ("14", 24), ("15", 2)])
    head = charts.heatmap(r).slide.headline
    assert head == "WhatsApp: age 14: 93%; de andere groepen zijn te klein om te tonen"


def test_a_by_group_answer_scale_with_one_visible_group_says_so():
    answers = ["Nooit", "Wekelijks", "Dagelijks"]
    rows = [
        {"gender": g, "variable": "tt", "category": c, "estimate": e, "n": n}
        for g, n in (("Meisje", 25), ("Jongen", 4))
        for c, e in zip(answers, (0.4, 0.3, 0.3), strict=True)
    ]
    r = ym.privacy.suppress(
        Result.from_rows(rows, by=["gender"], labels={"nl": {"tt": "TikTok"}}, percent=True)
    )
    head = charts.diverging(r).slide.headline
    # 1 − 0.4 = 60% of the girls at least once; the boys (n = 4) are hidden
    assert head == (
        "TikTok, minstens één keer: Meisje 60%; de andere groepen zijn te klein om te tonen"
    )


@pytest.mark.parametrize("width", [40 / 3, 9.0])
@pytest.mark.parametrize("dpi", [30, 40, 72, 100])
def test_footnotes_wrap_inside_the_figure_at_every_size(width, dpi):
    from PIL import Image

    from youthmedia.figures.frame import notebook_png

    rows = [{"variable": v, "estimate": 0.5, "ci_low": 0.4, "ci_high": 0.6, "n": 20} for v in "ab"]
    note = "Een lange kanttekening bij deze cijfers die over de hele breedte van de dia loopt " * 3
    r = Result.from_rows(rows, notes=[{"nl": note}])
    fig = charts.bars(r, theme=Theme.light(width=width))
    image = np.asarray(Image.open(__import__("io").BytesIO(notebook_png(fig, dpi))).convert("L"))
    margin = int(0.4 * Theme().margin * dpi)  # the right margin stays empty
    assert (image[:, -margin:] > 250).all()


def test_a_tie_of_equal_numbers_names_the_number_once():
    rows = [
        {"variable": v, "estimate": e, "ci_low": e - 0.03, "ci_high": e + 0.03, "n": 300}
        for v, e in (("wa", 0.902), ("yt", 0.898), ("tt", 0.60))
    ]
    r = Result.from_rows(rows, labels={"nl": {"wa": "WhatsApp", "yt": "YouTube", "tt": "TikTok"}})
    head = charts.bars(r).slide.headline
    # 90.2% and 89.8% both read "90%": one number, not "(90–90%)"
    assert head == "WhatsApp en YouTube ongeveer even vaak genoemd (elk 90%)"


def test_a_coefficient_plot_headline_leaves_definitions_to_the_notes():
    from youthmedia.figures.coefplot import coefplot

    rows = [
        {"term": t, "label": t, "variable": t, "estimate": e, "ci_low": e - 0.1, "ci_high": e + 0.1}
        for t, e in (("(Intercept)", 6.0), ("smds", -0.6))
    ]
    r = Result.from_rows(
        rows,
        kind="glm",
        model={"family": "gaussian", "outcome": "life_sat"},
        term_variables={"smds": "smds"},
        labels={"nl": {"smds": "Problematisch gebruik (SMDS ≥ 6 van 9; Boer et al. 2021)"}},
        outcome_short={"nl": "Levenstevredenheid (0-10)"},
    )
    head = coefplot(r).slide.headline
    assert head == "Levenstevredenheid: duidelijke samenhang met problematisch gebruik"


def test_a_never_to_always_scale_is_not_headlined_at_least_once():
    # "how often", up to "always": the upper answers, never "98% at least once"
    answers = (("Never", 0.02), ("Rarely", 0.03), ("Sometimes", 0.04), ("Most of the time", 0.34))
    rows = [
        {"variable": "belt", "category": c, "estimate": e, "n": 900}
        for c, e in (*answers, ("Always", 0.57))
    ]
    r = Result.from_rows(rows, labels={"en": {"belt": "Seat belt use"}}, percent=True)
    head = charts.diverging(r, lang="en").slide.headline
    # the upper two of five answers: 0.34 + 0.57 = 91%
    assert head == "Seat belt use: 91% answer ‘Most of the time’ or ‘Always’"
    assert "at least once" not in charts.bars(r, lang="en", sort=False).slide.headline


# -- F7: long labels keep their subject and fit two lines ---------------------------------------------
LONG = (
    "Physical fighting on school property: had been in a physical fight on school property "
    "one or more times during the 12 months before the survey"
)


def _lines(head: str) -> int:
    from youthmedia.figures.frame import wrap

    theme = Theme()  # the slide's headline width: 16:9 less margins and the logo (~12 in)
    return len(wrap(head, 12 * 72 * 0.95, theme.headline_size, theme.font_family, "bold"))


@pytest.mark.parametrize("kind", ["bars", "big_number", "grouped", "diverging"])
def test_a_long_label_is_headlined_by_its_topic_in_two_lines(kind):
    by = kind == "grouped"
    answers = (("0 times", 0.88), ("1 time", 0.08), ("2 or more times", 0.04))
    rows = [
        {**({"sex": g} if by else {}), "variable": "qn", "category": c, "estimate": e, "n": 900}
        for g in ("Female", "Male")[: 1 + by]
        for c, e in (answers if kind == "diverging" else [("Yes", 0.08), ("No", 0.92)])
    ]
    r = Result.from_rows(rows, by=["sex"] if by else [], labels={"en": {"qn": LONG}}, percent=True)
    r = r if kind == "diverging" else r[r["category"] == "Yes"]
    fig = getattr(charts, kind)(r, lang="en")
    head = fig.slide.headline
    assert head.startswith("Physical fighting on school property") and LONG not in head
    assert _lines(head) <= 2, head
    # the whole question stays on the slide (subtitle, or the label drawn on the chart)
    drawn = " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))
    assert "one or more times during the 12" in fig.slide.subtitle + drawn.replace("\n", " ")


def test_short_labels_from_the_codebook_win_and_labels_are_never_cut():
    from youthmedia.figures.headline import short_label

    r = Result.from_rows(
        [{"variable": "q", "category": "Yes", "estimate": 0.3, "n": 900}],
        labels={"en": {"q": LONG}},
        short_labels={"en": {"q": "Fighting at school"}},
    )
    assert charts.bars(r, lang="en").slide.headline.startswith("Fighting at school: ")
    # a topic in brackets goes; a long label without a topic stays whole
    assert short_label("Life satisfaction on the Cantril ladder (0 = worst, 10 = best life)") == (
        "Life satisfaction on the Cantril ladder"
    )
    whole = "Had sexual intercourse for the first time before age 13 years, as reported"
    stem = "In hoeverre ben je het eens met: Sociale media maken me onzeker over mijn uiterlijk"
    assert short_label(whole) == whole and short_label(stem) == stem  # a stem is no topic


# -- the base named from its not-applicable answer ---------------------------------------------------
@pytest.mark.parametrize(
    ("answers", "lang", "population"),
    [
        (["Did not drive"], "en", "young people who drove"),
        (["Did not attempt suicide"], "en", "young people who attempted suicide"),
        (["Did not date"], "en", "young people who dated"),
        (["Never had sex"], "en", "young people who have had sex"),
        (["I don't use social media"], "en", "young people who use social media"),
        (["Ik gebruik geen sociale media"], "nl", "jongeren die sociale media gebruiken"),
        (["Ik zit niet op TikTok"], "nl", "jongeren die op TikTok zitten"),
        # not certain: the plain wording
        (["Did not drive"], "nl", "jongeren voor wie het geldt"),  # no Dutch to name them with
        (["Did not visit"], "en", "young people it applies to"),  # "visited" or "visitted"?
        (["None of these"], "en", "young people it applies to"),
        (["Did not drive", "Did not date"], "en", "young people it applies to"),
        (["Ik heb geen telefoon"], "nl", "jongeren voor wie het geldt"),
    ],
)
def test_the_base_is_named_where_its_answer_says_it(answers, lang, population):
    from youthmedia.figures.headline import applies_to

    assert applies_to(answers)[lang] == population


def test_a_named_base_keeps_at_least_once_with_the_question(tmp_path):
    """ "5% of young people who drove at least once" would misread: the threshold goes first."""
    answers = ["Never"] * 30 + ["Once"] * 6 + ["Twice or more"] * 4 + ["Did not drive"] * 40
    path = tmp_path / "drive.csv"
    path.write_text("drunk_driving\n" + "\n".join(answers) + "\n", encoding="utf-8")
    from youthmedia import standard

    (big, *_) = standard.build_figures(ym.load(path), "en", ["drunk_driving"], by=[])
    # by hand: 10 of the 40 drivers drove after drinking at least once = 25%
    assert big.slide.headline.endswith(", at least once: 25% of young people who drove")


def test_three_upper_answers_are_named_by_the_lowest_of_them():
    # a how-many-hours scale, its upper half three answers: 16 + 10 + 21 = 47% from ‘3 hours’ up
    answers = [("None", 0.18), ("< 1 hour", 0.10), ("1 hour", 0.10), ("2 hours", 0.15)]
    answers += [("3 hours", 0.16), ("4 hours", 0.10), ("5 or more hours", 0.21)]
    rows = [{"variable": "games", "category": c, "estimate": e, "n": 900} for c, e in answers]
    r = Result.from_rows(rows, labels={"en": {"games": "Video games"}}, percent=True)
    head = charts.diverging(r, lang="en", negative=4, neutral=None).slide.headline
    assert head == "Video games: 47% answer ‘3 hours’ or more", head


def test_label_case_inside_a_sentence():
    from youthmedia.figures.text import lower_first, upper_first

    assert (lower_first("Geslacht"), lower_first("HBSC")) == ("geslacht", "HBSC")
    assert upper_first("tikTok-gebruik") == "TikTok-gebruik"
