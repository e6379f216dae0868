"""The standard deck and tables, chosen from the codebook, on the bundled demo data and on a real
youth survey (onharassment). Expected percentages are computed here by hand from the data
(weighted share = sum(w * y) / sum(w)), not taken from youthmedia's estimators."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pyreadstat
import pytest
from pptx import Presentation

from youthmedia import cli, i18n, standard
from youthmedia.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "youth_social_media_demo.sav"

pytestmark = pytest.mark.skipif(not DEMO.exists(), reason=f"{DEMO} is absent (make data)")


@pytest.fixture(scope="module")
def demo():
    import youthmedia as ym

    return ym.load(DEMO)


def weighted_share(column: str, value: float = 1, wave: float | None = None) -> float:
    """By hand from the raw file: sum(w * [x == value]) / sum(w) over answered rows (of one
    wave: the demo's wave is coded 2015, 2019, 2023)."""
    raw, _ = pyreadstat.read_sav(str(DEMO), usecols=[column, "weight", "wave"])
    ok = raw[column].notna() & ((raw["wave"] == wave) if wave is not None else True)
    w = raw.loc[ok, "weight"].to_numpy(dtype=float)
    y = (raw.loc[ok, column] == value).to_numpy(dtype=float)
    return float(np.sum(w * y) / np.sum(w))


def respondents(wave: float | None = None) -> int:
    raw, _ = pyreadstat.read_sav(str(DEMO), usecols=["wave"])
    return int(len(raw) if wave is None else (raw["wave"] == wave).sum())


def test_roles_and_plan(demo):
    found = standard.roles(demo)
    assert (found.age, found.gender, found.wave, found.weight) == (
        "age_band",
        "gender",
        "wave",
        "weight",
    )
    items = standard.plan(demo)
    kinds = [(i.kind, i.names[0]) for i in items]
    assert kinds[0] == ("mrset", "platforms")
    assert ("binary", "any_social") in kinds
    freq = next(i for i in items if i.names[0] == "freq_whatsapp")
    assert freq.kind == "scale" and freq.ordinal and len(freq.names) == 5  # one battery
    smds = next(i for i in items if i.names[0] == "smds_1")
    assert smds.kind == "binary" and len(smds.names) == 9
    names = {n for i in items for n in i.names}
    assert not names & {"age_band", "gender", "wave", "weight", "resp_id", "school", "region"}
    assert [i.names for i in standard.plan(demo, ["any_social", "platforms"])] == [
        ["any_social"],
        ["platforms"],
    ]
    with pytest.raises(ConfigError, match="'nope'"):
        standard.plan(demo, ["nope"])


def test_deck_of_the_demo(demo, tmp_path):
    out = standard.write_deck(DEMO, tmp_path / "deck.pptx", questions=["platforms", "any_social"])
    prs = Presentation(str(out))
    slides = list(prs.slides)
    # title; platforms: bars, heatmap by age, dots by gender, trend by wave;
    # any_social: big number, by age, by gender, trend by wave
    assert len(slides) == 1 + 4 + 4
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)
    # the waves pooled only in the trends; the other slides show the latest wave (2023)
    n_all = i18n.integer(respondents(), "nl")
    n_2023 = i18n.integer(respondents(2023), "nl")
    for i, slide in enumerate(slides[1:], start=1):
        (pic,) = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pic._element.nvPicPr.cNvPr.get("descr")) > 80
        notes = slide.notes_slide.notes_text_frame.text
        if i in (4, 8):  # trend by wave
            assert f"2015–2023; n = {n_all}; gewogen" in notes
        else:
            assert f"2023; n = {n_2023}; gewogen" in notes
            assert "Cijfers van 2023, de laatste meting (eerdere metingen: 2015 en 2019)." in notes
    whatsapp = i18n.percent(weighted_share("use_whatsapp", wave=2023), "nl")
    assert f"WhatsApp: {whatsapp} (95%-BI" in slides[1].notes_slide.notes_text_frame.text
    any_social = i18n.percent(weighted_share("any_social", wave=2023), "nl")
    big = slides[5].notes_slide.notes_text_frame.text
    assert f"Actief op minstens één sociaal medium: {any_social}" in big


def bar_widths(fig) -> dict[str, float]:
    """The drawn bars of a ranked bar chart, by their label (top down)."""
    from matplotlib.patches import Rectangle

    ax = fig.axes[0]
    labels = {
        round(float(y), 6): t.get_text()
        for y, t in zip(ax.get_yticks(), ax.get_yticklabels(), strict=True)
    }
    return {
        labels[round(p.get_y() + p.get_height() / 2, 6)]: p.get_width()
        for p in ax.patches
        if isinstance(p, Rectangle) and p.get_gid() == "youthmedia-bar"
    }


def test_cross_sectional_charts_show_the_latest_wave_and_the_trend_all_waves(demo):
    figs = standard.build_figures(demo, "nl", ["platforms"])
    assert [f.slide.kind for f in figs] == ["bars", "heatmap", "grouped", "trend"]
    reach = bar_widths(figs[0])
    # Σ w·y / Σ w over the 2023 rows, from the .sav read by pyreadstat
    assert reach["WhatsApp"] == pytest.approx(weighted_share("use_whatsapp", wave=2023), abs=1e-9)
    assert reach["Facebook"] == pytest.approx(weighted_share("use_facebook", wave=2023), abs=1e-9)
    # not the pooled figure, which is far off for Facebook (it fell from 2015 to 2023)
    assert abs(reach["Facebook"] - weighted_share("use_facebook")) > 0.1
    for fig in figs[:3]:
        assert fig.slide.source.startswith("Bron: Voorbeelddata youthmedia (synthetisch) 2023;")
        assert "in 2023" in fig.slide.headline
    # the trend keeps every wave, each point that wave's share
    trend = figs[3]
    assert "2015–2023" in trend.slide.source
    facebook = next(line for line in trend.axes[0].lines if line.get_label() == "Facebook")
    assert list(facebook.get_xdata()) == [2015, 2019, 2023]
    assert list(facebook.get_ydata()) == pytest.approx(
        [weighted_share("use_facebook", wave=w) for w in (2015, 2019, 2023)], abs=1e-9
    )


def test_a_question_not_asked_in_the_latest_wave_shows_its_last_wave(demo):
    data = demo.data.copy()
    data.loc[data["wave"] == "2023", "any_social"] = np.nan  # as if not asked in 2023
    s = demo.replace(data=data)
    (big, *_rest) = standard.build_figures(s, "en", ["any_social"])
    assert big.slide.kind == "big_number"
    assert big.slide.source.startswith("Source: Voorbeelddata youthmedia (synthetisch) 2019;")
    assert (
        "Figures for 2019, the latest wave with this question (earlier waves: 2015)."
        in big.slide.footnotes
    )
    share = i18n.percent(weighted_share("any_social", wave=2019), "en")
    assert f"({share})" in big.slide.headline or f" {share}" in big.slide.headline


def test_tables_of_the_demo(demo, tmp_path):
    out = standard.write_tables(
        demo, tmp_path / "t.xlsx", lang="en", questions=["platforms", "freq_whatsapp"]
    )
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Contents"
    assert len(wb.sheetnames) == 1 + 2 * 4 - 1  # platforms x (all, age, gender, wave) + freq x 3
    ws = wb.worksheets[1]
    header = [c.value for c in ws[4]]
    assert header[:3] == ["Question", "Answer", "Percentage"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=5) if r[0].value}
    pct = rows["Uses WhatsApp"][header.index("Percentage")]
    assert pct.value == pytest.approx(weighted_share("use_whatsapp", wave=2023), abs=1e-9)
    assert pct.number_format == "0.0%"
    assert ws["A2"].value.endswith(f"2023; n = {i18n.integer(respondents(2023), 'en')}; weighted")


def test_weight_and_suffix_errors(demo, tmp_path):
    with pytest.raises(ConfigError, match="'gewicht'"):
        standard.write_tables(demo, tmp_path / "t.xlsx", weight="gewicht")
    with pytest.raises(ConfigError, match=".xlsx"):
        standard.write_tables(demo, tmp_path / "t.csv")
    with pytest.raises(ConfigError, match=".pptx"):
        standard.write_deck(DEMO, tmp_path / "d.ppt")


def test_cli_slides_and_tables(tmp_path, capsys):
    deck = tmp_path / "reports" / "deck.pptx"
    assert (
        cli.main(
            ["slides", str(DEMO), "--lang", "en", "--out", str(deck), "--questions", "any_social"]
        )
        == 0
    )
    assert f"wrote {deck}" in capsys.readouterr().out
    slides = list(Presentation(str(deck)).slides)
    assert "Source:" in slides[0].placeholders[1].text_frame.text
    assert (
        cli.main(["tables", str(DEMO), "--out", str(tmp_path / "t.xlsx"), "--questions", "nope"])
        == 2
    )
    assert "'nope'" in capsys.readouterr().err


def test_real_survey_without_weights_or_sets(testdata, tmp_path):
    path = testdata / "onharassment" / "onharassment.sav"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    import youthmedia as ym

    s = ym.load(path)
    found = standard.roles(s)
    assert (found.age, found.gender, found.weight) == ("age", "sex", None)
    out = standard.write_deck(s, tmp_path / "h.pptx", lang="en")
    slides = list(Presentation(str(out)).slides)
    assert len(slides) >= 6
    notes = "\n".join(sl.notes_slide.notes_text_frame.text for sl in slides[1:])
    assert "unweighted" in notes
    # daily Instagram use, by hand: share answering "yes" (code 2) among those who answered
    raw, _ = pyreadstat.read_sav(str(path), usecols=["instagram"])
    share = float((raw["instagram"] == 2).sum() / raw["instagram"].notna().sum())
    assert f"Uses Instagram daily: {i18n.percent(share, 'en')}" in notes


def test_forms_export_gets_scales_and_gender_charts(tmp_path):
    import csv
    import io

    import youthmedia as ym

    forms = ROOT / "data" / "klas_enquete_forms.csv"
    s = ym.load(forms)
    figures = standard.build_figures(s, "nl")
    kinds = [f.slide.kind for f in figures]
    assert "diverging" in kinds  # "Hoe vaak gebruik je TikTok?" as a scale
    assert len(figures) > 2  # more than the platform slides
    # by gender, 29 pupils leave at most one group visible: no chart (a comparison of one group
    # is none) but a line on the closing slide, naming the breakdown "geslacht", not "ik ben een"
    deck = Presentation(str(standard.write_deck(s, tmp_path / "f.pptx", "nl")))
    closing = " ".join(sh.text_frame.text for sh in deck.slides[-1].shapes if sh.has_text_frame)
    assert "naar geslacht: " in closing and "ik ben een" not in closing.lower()
    assert not any("ik ben een" in f.slide.subtitle.lower() for f in figures)
    # the cyberbullying question: 'Nee' counted from the raw CSV text
    rows = list(csv.DictReader(io.StringIO(forms.read_text(encoding="utf-8-sig")), delimiter=";"))
    column = next(k for k in rows[0] if k.startswith("Ben je de afgelopen twee maanden"))
    # "Zeg ik liever niet" is no answer: out of the base (24 of 27, not 24 of 29)
    answered = [r[column] for r in rows if r[column].strip() and r[column] != "Zeg ik liever niet"]
    share = sum(a == "Nee" for a in answered) / len(answered)
    assert round(100 * share) == 89
    bullied = next(f for f in figures if f.slide.kind == "bars" and "gepest" in f.slide.subtitle)
    # headlined by those bullied at least once (issue 15): 100% − 'Nee' 89% = 11%
    assert f"{100 - round(100 * share)}%" in bullied.slide.headline


def test_a_long_deck_is_organised_by_question_group(demo, tmp_path):
    """More than eight charts: a contents slide naming the groups, and each group of several
    questions (the demo's "platforms": the set and "any_social") opened by a slide listing them,
    right before its charts; each chart written and cleared one at a time."""
    out = standard.write_deck(demo, tmp_path / "d.pptx", lang="en", by=["gender"])
    titles = [s.shapes.title.text for s in Presentation(str(out)).slides]
    platforms = demo.codebook.mr_sets["platforms"].label_in("en")
    any_social = demo.codebook.label("any_social", "en")
    assert titles[1] == "Contents"
    opening = titles.index(platforms, 2)
    texts = [
        sh.text_frame.text
        for sh in Presentation(str(out)).slides[opening].shapes
        if sh.has_text_frame
    ]
    assert any(f"• {platforms}" in t and f"• {any_social}" in t for t in texts)
    assert opening == 2  # the group comes first: its opening slide, then its charts
    # the group's charts follow its opening slide, before any other group's
    assert titles.count(platforms) == 1 and len(titles) > 10


def test_a_question_and_its_yes_no_recode_are_charted_once(tmp_path):
    """YRBS' shape: a labelled frequency question Q8 beside its unlabelled 1/2 recode QN8 (1 =
    "never" or "rarely"), and two unrelated yes/no items answered by the same pupils. The recode
    is charted (its share is the published figure), Q8 is not; the unrelated items both are."""
    import youthmedia as ym

    rng = np.random.default_rng(1)
    n = 200
    q8 = rng.integers(1, 6, n).astype(float)
    q8[:15] = np.nan  # not answered
    qn8 = np.where(np.isnan(q8), np.nan, np.where(q8 <= 2, 1.0, 2.0))
    bullied, sad = rng.integers(1, 3, n).astype(float), rng.integers(1, 3, n).astype(float)
    frame = pd.DataFrame({"Q8": q8, "Q23": bullied, "Q25": sad, "QN8": qn8})
    path = tmp_path / "yrbs_like.sav"
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=[
            "How often wore a seat belt",
            "Bullied at school",
            "Felt sad or hopeless",
            "Rarely or never wore a seat belt",
        ],
        variable_value_labels={
            "Q8": {
                1.0: "Never",
                2.0: "Rarely",
                3.0: "Sometimes",
                4.0: "Most of the time",
                5.0: "Always",
            },
            "Q23": {1.0: "Yes", 2.0: "No"},
            "Q25": {1.0: "Yes", 2.0: "No"},
        },
    )
    s = ym.load(path)
    charted = [n for item in standard.plan(s) for n in item.names]
    assert "QN8" in charted and "Q8" not in charted
    assert "Q23" in charted and "Q25" in charted
    # the share charted is the recode's: by hand, "never" or "rarely" among those who answered
    (big, *_) = standard.build_figures(s, "en", ["QN8"], by=[])
    answered = q8[~np.isnan(q8)]
    share = float(np.mean(answered <= 2))
    assert i18n.percent(share, "en") in big.slide.headline
    # named, the question itself is still charted
    assert [i.names for i in standard.plan(s, ["Q8"])] == [["Q8"]]


def _class_deck(tmp_path, groups: dict[str, tuple[int, int]]) -> list:
    """A class survey CSV: per gender (bullied, not bullied) counts; its deck's slides."""
    rows = ["Geslacht;Ben je gepest?"]
    for gender, (yes, no) in groups.items():
        rows += [f"{gender};Ja"] * yes + [f"{gender};Nee"] * no
    path = tmp_path / "klas.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return list(Presentation(str(standard.write_deck(path, tmp_path / "k.pptx", lang="nl"))).slides)


@pytest.mark.parametrize(
    ("groups", "share", "why"),
    [  # 5 boys: too few, and the girls would give them away (complementary suppression)
        ({"Meisje": (18, 37), "Jongen": (2, 3)}, "33%", "alle cellen onderdrukt"),
        # boys and "anders" both too few: only the girls visible, which compares nothing
        ({"Meisje": (16, 34), "Jongen": (2, 3), "Anders": (1, 4)}, "32%", "maar één groep"),
    ],
)
def test_no_slide_without_a_visible_estimate_or_with_one_visible_group(
    tmp_path, groups, share, why
):
    """Review O1/O2: a by-gender chart with nothing, or one group, to show is not made; the
    closing slide says why. The overall chart stays (by hand: 20 of 60 = 33%; 19 of 60 = 32%)."""
    slides = _class_deck(tmp_path, groups)
    titles = [s.shapes.title.text for s in slides]
    assert share in titles[1] and "naar geslacht" not in " ".join(titles)
    assert titles[-1] == "Niet getoond, en waarom" and len(slides) == 3
    assert titles[0] == "klas"  # a trainer's own file: the deck is named after it (review O7)
    closing = " ".join(sh.text_frame.text for sh in slides[-1].shapes if sh.has_text_frame)
    assert f"Ben je gepest? – naar geslacht: {why}" in closing


def test_a_deck_of_many_questions_says_how_to_get_breakdowns(tmp_path, monkeypatch):
    """Review O6: with more than 30 questions the breakdowns are left out for a usable deck; the
    contents slide says so and how to ask for them (in the deck's language)."""
    import youthmedia as ym

    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"Geslacht": rng.choice(["Jongen", "Meisje"], 80)})
    for i in range(32):
        frame[f"Heb je app {i} gebruikt?"] = rng.choice(["Ja", "Nee"], 80)
    path = tmp_path / "veel.csv"
    frame.to_csv(path, sep=";", index=False)
    survey, found, computed = standard._computed(ym.load(path), None, None, None, [])
    assert found.breakdowns == [] and found.skipped == ["Geslacht"] and len(computed) == 32
    monkeypatch.setattr(standard, "_charts", lambda *args: iter(()))  # the text slides only
    contents = next(standard._slides(survey, found, computed, "nl", []))
    assert contents.headline == "Inhoud" and len(contents.body) == 12
    assert contents.body[-2] == "… en nog 22"
    assert contents.body[-1].endswith("kies ze met --by Geslacht")


def test_base_without_not_applicable_answers_is_named(tmp_path):
    """A share whose base leaves out "Did not drive" is of drivers, never "of young people"."""
    import youthmedia as ym

    answers = ["Never"] * 30 + ["Once"] * 6 + ["Twice or more"] * 4 + ["Did not drive"] * 40
    path = tmp_path / "drive.csv"
    path.write_text("drunk_driving\n" + "\n".join(answers) + "\n", encoding="utf-8")
    (big, *_) = standard.build_figures(ym.load(path), "en", ["drunk_driving"], by=[])
    headline = big.slide.headline
    assert "young people who drove" in headline, headline  # named from "Did not drive"
    assert i18n.percent(10 / 40, "en") in headline  # by hand: 10 of the 40 drivers


def test_a_recode_keeps_the_base_of_its_question(tmp_path):
    """YRBS' QN10 is missing where Q10 says "Did not drive": charted instead of Q10, its slide
    says whom it is about and how many were not counted (review O1)."""
    import youthmedia as ym

    q10 = np.repeat([1.0, 2.0, 3.0, 4.0], [46, 53, 52, 49])  # did not drive, never, once, more
    frame = pd.DataFrame({"Q10": q10, "QN10": np.where(q10 == 1, np.nan, 1.0 + (q10 == 2))})
    path = tmp_path / "drive.sav"
    labels = {1.0: "Did not drive", 2.0: "Never", 3.0: "Once", 4.0: "Twice or more"}
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=["Drinking and driving", "Drove after drinking"],
        variable_value_labels={"Q10": labels},
    )
    (big, *_) = standard.build_figures(ym.load(path), "en", by=[])
    assert "young people who drove" in big.slide.headline  # the base, named
    assert i18n.percent(101 / 154, "en") in big.slide.headline  # by hand: (52 + 49) / 154
    assert "Not counted: Did not drive (46)" in big.slide.footnotes


def test_a_recode_with_a_long_label_is_headlined_by_its_question(tmp_path):
    """Issue 15 (F7): YRBS' recode labels run to 120 characters; the charted recode takes its
    question's short label as the headline's subject, the full label stays on the slide."""
    import youthmedia as ym

    q10 = np.repeat([1.0, 2.0, 3.0, 4.0], [46, 53, 52, 49])  # did not drive, never, once, more
    frame = pd.DataFrame({"Q10": q10, "QN10": np.where(q10 == 1, np.nan, 1.0 + (q10 == 2))})
    path = tmp_path / "drive.sav"
    long = (
        "Drove a car or other vehicle one or more times during the 30 days before the survey "
        "when they had been drinking alcohol"
    )
    pyreadstat.write_sav(
        frame,
        str(path),
        column_labels=["Drinking and driving", long],
        variable_value_labels={
            "Q10": {1.0: "Did not drive", 2.0: "Never", 3.0: "Once", 4.0: "Twice or more"}
        },
    )
    (big, *_) = standard.build_figures(ym.load(path), "en", by=[])
    assert big.slide.headline.startswith("Drinking and driving: "), big.slide.headline
    assert i18n.percent(101 / 154, "en") in big.slide.headline  # by hand: (52 + 49) / 154
    assert long in big.slide.alt_text + big.slide.subtitle + "".join(big.slide.body)


def test_a_sidecar_short_label_is_the_headline_subject(tmp_path):
    """Issue 15: a long question is headlined by the short label the trainer gives in the
    codebook sidecar (in each language); the whole question stays on the slide."""
    import youthmedia as ym

    long = "Hoe vaak ben je in de afgelopen drie maanden online gepest door iemand uit je klas?"
    answers = ["Nooit"] * 24 + ["Soms"] * 12 + ["Vaak"] * 4  # by hand: 16 of 40 at least once
    path = tmp_path / "klas.csv"
    pd.DataFrame({long: answers}).to_csv(path, index=False)
    (tmp_path / "klas.codebook.yaml").write_text(
        "variables:\n"
        f"  {long!r}:\n"
        "    short_label: Online gepest\n"
        "    order: [Nooit, Soms, Vaak]\n"
        "    translations:\n"
        "      en: {short_label: Bullied online}\n",
        encoding="utf-8",
    )
    survey = ym.load(path)
    for lang, subject in (("nl", "Online gepest"), ("en", "Bullied online")):
        (fig, *_) = standard.build_figures(survey, lang, by=[])
        assert fig.slide.headline.startswith(subject), fig.slide.headline
        assert i18n.percent(16 / 40, lang) in fig.slide.headline
        assert long in fig.slide.subtitle + fig.slide.alt_text
    assert ym.load(path).codebook.get(long).short_label == "Online gepest"


def test_an_option_column_geselecteerd_is_charted_by_its_chosen_share():
    # "geselecteerd" / "niet geselecteerd" (a survey tool's option column): the headline number
    # is the share that chose it, 20 of 60 = 33 %, not the 67 % who did not
    import youthmedia as ym

    chosen = np.where(np.arange(60) % 3 == 0, "geselecteerd", "niet geselecteerd")
    s = ym.Survey(
        pd.DataFrame({"q": pd.Categorical(chosen, ["geselecteerd", "niet geselecteerd"])})
    )
    (big, *_rest) = standard.build_figures(s, "nl", ["q"], by=[])
    assert big.slide.kind == "big_number" and "33%" in big.slide.headline.replace("\u202f", "")
