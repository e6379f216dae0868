"""Published tables as input (issue #10): reading, intervals, bad cells, comparisons, figures.

Every number asserted here is typed in from the published report (Pew Research Center, "Teens,
Social Media and Technology"; Newcom coverage; see data/published/README.md) or computed by hand
in a comment — never taken from this code's output.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from matplotlib.patches import Rectangle

import youthmedia as ym
from youthmedia import published as P
from youthmedia.errors import ConfigError, DataError
from youthmedia.figures import charts
from youthmedia.figures.charts import dumbbell, published_deck
from youthmedia.result import COLUMNS
from youthmedia.side_by_side import comparison, comparison_sentence

ROOT = Path(__file__).resolve().parents[1]
PUB = ROOT / "data" / "published"

# Pew Research Center, "Teens, Social Media and Technology 2024": % of US teens 13-17 who ever
# use each platform; n = 1,391. Typed from the report (and ../shared/reference).
PEW_2024 = {
    "YouTube": 90,
    "TikTok": 63,
    "Instagram": 61,
    "Snapchat": 55,
    "Facebook": 32,
    "WhatsApp": 23,
}


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def bar_widths(fig) -> list[float]:
    bars = [a for a in fig.findobj(Rectangle) if a.get_gid() == "youthmedia-bar"]
    bars.sort(key=lambda r: -r.get_y())  # top bar first
    return [round(r.get_width(), 6) for r in bars]


# -- round trip: typed table -> Result -> figure ---------------------------------------------------
def test_typed_table_round_trips_into_bars_of_the_published_length(tmp_path):
    rows = "\n".join(f"{k},{v}" for k, v in PEW_2024.items())
    path = write(tmp_path, "pew2024.csv", f"platform,percentage\n{rows}\n")
    r = ym.load_table(path, n=1391, source="Pew Research Center", year=2024)
    assert list(r.columns[: len(COLUMNS)]) == COLUMNS  # the estimators' shape
    fig = charts.bars(r, lang="en")
    # ranked high to low, each bar as long as the published percentage
    assert bar_widths(fig) == [v / 100 for v in PEW_2024.values()]
    assert fig.slide.source == (
        "Source: Pew Research Center 2024; published figures, "
        "assuming a simple random sample of n = 1,391"
    )
    # said once: the source line says it, the interval footnote does not repeat it
    assert "simple random sample" not in " ".join(fig.slide.footnotes)
    assert "confidence intervals (Wilson)" in " ".join(fig.slide.footnotes)


def test_bundled_pew_table_2024_bars_equal_the_report():
    r = ym.load_table(PUB / "pew_teens_2022_2024.csv")
    fig = charts.bars(P.select(r, year=2024), lang="nl")
    assert bar_widths(fig) == [v / 100 for v in PEW_2024.values()]
    assert "n = 1.391" in fig.slide.source


def test_bundled_tables_hold_the_reference_figures():
    pew = ym.load_table(PUB / "pew_teens_2022_2024.csv")
    got = {(str(row.year), row.category): round(row.estimate * 100) for row in pew.itertuples()}
    # ../shared/reference/published_figures.md, Pew table
    assert got[("2022", "YouTube")] == 95 and got[("2023", "TikTok")] == 63
    assert got[("2023", "WhatsApp")] == 21 and got[("2022", "Facebook")] == 32
    assert sorted(set(pew["n"])) == [1316, 1391, 1453]
    newcom = ym.load_table(PUB / "newcom_2016_2017_15_19.csv")
    by = {(str(row.jaar), row.category): row for row in newcom.itertuples()}
    assert by[("2016", "Facebook – account")].estimate == 0.88
    assert by[("2017", "Facebook – account")].estimate == 0.80
    assert by[("2016", "Instagram – account")].estimate == 0.48
    assert by[("2017", "Snapchat – account")].estimate == 0.67
    assert by[("2017", "WhatsApp – dagelijks gebruik")].estimate == 0.84
    just_over = by[("2017", "Facebook – dagelijks gebruik")]
    assert just_over.estimate == 0.50 and just_over.reason == "approx:ruim 50"
    assert newcom.meta.source["secondary"] is True
    assert any("Secondary source" in str(n) for n in newcom.meta.notes)
    # no n in the coverage: no intervals, and the notes say so
    assert newcom["ci_low"].isna().all()
    assert any(
        "No sample size" in n.get("en", "") for n in newcom.meta.notes if isinstance(n, dict)
    )


# -- Wilson intervals by hand -----------------------------------------------------------------------
def test_wilson_interval_by_hand():
    # p = 0.88, n = 761, z = 1.959964 (95%), z² = 3.841459
    # 1 + z²/n = 1.005048;  centre = (0.88 + 3.841459/1522) / 1.005048 = 0.878091
    # p(1-p)/n = 0.1056/761 = 0.000138765;  z²/(4n²) = 3.841459/2316484 = 0.000001658
    # half = 1.959964/1.005048 · √0.000140423 = 0.023109
    # -> [0.878091 - 0.023109, 0.878091 + 0.023109] = [0.854982, 0.901200]
    lo, hi = P.wilson_interval(0.88, 761)
    assert lo == pytest.approx(0.854982, abs=1e-6)
    assert hi == pytest.approx(0.901200, abs=1e-6)
    # p = 0, n = 100: centre = (z²/200)/(1 + z²/100) = 0.019208/1.038415 = 0.018498 = half
    lo, hi = P.wilson_interval(0.0, 100)
    assert lo == pytest.approx(0.0, abs=1e-12) and hi == pytest.approx(0.036994, abs=1e-6)
    assert all(math.isnan(x) for x in P.wilson_interval(0.5, float("nan")))


def test_table_with_n_761_gets_those_intervals_and_says_so(tmp_path):
    path = write(tmp_path, "t.csv", "platform;percentage\nFacebook;88\nInstagram;48\n")
    r = ym.load_table(path, n=761)
    row = r[r["category"] == "Facebook"].iloc[0]
    assert row["ci_low"] == pytest.approx(0.854982, abs=1e-6)  # hand calculation above
    assert row["se"] == pytest.approx(math.sqrt(0.88 * 0.12 / 761))
    assert row["n"] == 761 and not row["suppressed"]
    notes = [n for n in r.meta.notes if isinstance(n, dict)]
    assert any("assuming a simple random sample of n = 761" in n["en"] for n in notes)
    assert any(
        "uitgaande van een enkelvoudige aselecte steekproef van n = 761" in n["nl"] for n in notes
    )
    assert r.meta.source_note["en"].endswith("assuming a simple random sample of n = 761")
    assert r.meta.weighted is False and r.meta.kind == "share"
    fig = charts.bars(r, lang="nl")
    # said once, in the source line; the footnote names the interval method
    assert fig.slide.source.endswith(
        "uitgaande van een enkelvoudige aselecte steekproef van n = 761"
    )
    assert "aselecte steekproef" not in " ".join(fig.slide.footnotes)


def test_no_n_means_no_interval_and_a_note(tmp_path):
    path = write(tmp_path, "t.csv", "platform,percentage\nFacebook,88\nInstagram,48\n")
    r = ym.load_table(path)
    assert r["ci_low"].isna().all() and r["n"].isna().all()
    fig = charts.bars(r, lang="en")
    assert "No sample size given in the source" in " ".join(fig.slide.footnotes)
    assert not [a for a in fig.findobj() if a.get_gid() == "youthmedia-ci"]


# -- percentages or proportions ---------------------------------------------------------------------
def test_proportions_are_said_not_guessed(tmp_path):
    path = write(tmp_path, "t.csv", "platform,value\nFacebook,0.88\nInstagram,0.48\n")
    with pytest.raises(DataError, match=r"row 2, column 'value': '0.88' lies between 0 and 1"):
        ym.load_table(path)
    r = ym.load_table(path, measure="proportion")
    assert r.meta.read_as["scale"] == "proportion"
    assert r["estimate"].tolist() == [0.88, 0.48]


def test_percent_signs_and_dutch_decimal_comma(tmp_path):
    path = write(tmp_path, "t.csv", "platform;gebruik\nFacebook;88,5%\nInstagram;48%\n", "cp1252")
    r = ym.load_table(path)
    assert r.meta.read_as["scale"] == "percent"
    assert r["estimate"].tolist() == pytest.approx([0.885, 0.48])


def test_measure_decides_the_scale(tmp_path):
    path = write(tmp_path, "t.csv", "platform,aandeel\nFacebook,0.88\nInstagram,0.48\n")
    (tmp_path / "t.published.yaml").write_text("measure: proportion\n", encoding="utf-8")
    r = ym.load_table(path)  # the sidecar says it
    assert r.meta.read_as["scale"] == "proportion"
    path = write(tmp_path, "u.csv", "platform,percentage\nX,0.5\nBeReal,0.3\n")
    r = ym.load_table(path, measure="percent")  # 0.5 is half a percent
    assert r["estimate"].tolist() == pytest.approx([0.005, 0.003])
    # a % sign says what the figure is, whatever measure= says: 50% is half
    r = ym.load_table(
        write(tmp_path, "v.csv", "platform,share\nX,50%\nY,0.25\n"), measure="proportion"
    )
    assert r["estimate"].tolist() == pytest.approx([0.5, 0.25])


def test_mix_of_percentages_and_proportions_is_refused_naming_cells(tmp_path):
    path = write(tmp_path, "t.csv", "platform,value\nFacebook,88\nInstagram,0.48\nTikTok,67\n")
    with pytest.raises(DataError, match=r"row 3, column 'value': '0.48' lies between 0 and 1"):
        ym.load_table(path)
    # deciding the scale by hand reads it: 0.48 is then 0.48%
    r = ym.load_table(path, measure="percent")
    assert r["estimate"].tolist() == pytest.approx([0.88, 0.0048, 0.67])


# -- bad cells ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "cell, message",
    [
        ("101", r"row 3, column 'percentage': '101' is over 100%"),
        ("-5", r"row 3, column 'percentage': '-5' is negative"),
        ("abc", r"row 3, column 'percentage': 'abc' is not a figure"),
        ("*", r"row 3, column 'percentage': '\*' is not a figure"),
        ("<10%", r"row 3, column 'percentage': '<10%' is too wide a bound"),
    ],
)
def test_bad_cells_refused_naming_row_column_value(tmp_path, cell, message):
    path = write(tmp_path, "t.csv", f"platform,percentage\nFacebook,88\nBeReal,{cell}\n")
    with pytest.raises(DataError, match=message):
        ym.load_table(path)


def test_row_without_group_refused(tmp_path):
    path = write(tmp_path, "t.csv", "platform;jaar;percentage\nFacebook;2016;88\n;2017;80\n")
    with pytest.raises(DataError, match=r"row 3 has the figure '80' but no 'platform'.*merged"):
        ym.load_table(path)


@pytest.mark.parametrize("cell", ["n.b.", "—", "–", "-", "n.v.t.", ""])
def test_missing_cells_read_as_missing_and_noted(tmp_path, cell):
    path = write(tmp_path, "t.csv", f"platform;percentage\nFacebook;88\nBeReal;{cell}\n")
    r = ym.load_table(path, n=761)
    row = r[r["category"] == "BeReal"].iloc[0]
    assert math.isnan(row["estimate"]) and math.isnan(row["ci_low"])
    assert row["reason"] == f"missing:{cell or 'empty'}"
    assert any(
        "not available in the source" in n["en"] for n in r.meta.notes if isinstance(n, dict)
    )
    fig = charts.bars(r, lang="en")  # drawn as "–", not as a zero bar
    assert bar_widths(fig) == [0.88]
    assert [t for t in fig.findobj() if t.get_gid() == "youthmedia-suppressed"]


def test_less_than_one_percent_read_as_half_and_flagged(tmp_path):
    path = write(tmp_path, "t.csv", "platform,percentage\nFacebook,32\nBeReal,<1%\nX,>99%\n")
    r = ym.load_table(path, n=1391)
    row = r[r["category"] == "BeReal"].iloc[0]
    assert row["estimate"] == pytest.approx(0.005)  # documented rule: half the bound
    assert row["reason"] == "bound:<1%"
    assert math.isnan(row["ci_low"])  # a bound has no interval
    assert r[r["category"] == "X"].iloc[0]["estimate"] == pytest.approx(0.995)
    assert any(
        "‘<1%’ in the source, drawn as 0.5%" in n["en"] for n in r.meta.notes if isinstance(n, dict)
    )


def test_duplicate_figure_for_one_group_refused(tmp_path):
    path = write(tmp_path, "t.csv", "platform,percentage\nFacebook,88\nFacebook,80\n")
    with pytest.raises(
        DataError, match="rows 2 and 3 both give the figure for platform 'Facebook'"
    ):
        ym.load_table(path)


def test_input_file_is_not_changed(tmp_path):
    path = write(tmp_path, "t.csv", "platform,percentage\nFacebook,88\n")
    before = path.read_bytes()
    ym.load_table(path, n=761)
    assert path.read_bytes() == before


# -- wide and tidy -------------------------------------------------------------------------------
def test_wide_and_tidy_give_the_same_figures(tmp_path):
    wide = write(
        tmp_path, "wide.csv", "platform,2022,2023\nn,1316,1453\nYouTube,95,93\nTikTok,67,63\n"
    )
    tidy = write(
        tmp_path,
        "tidy.csv",
        "platform;jaar;percentage;n\nYouTube;2022;95;1316\n"
        "YouTube;2023;93;1453\nTikTok;2022;67;1316\nTikTok;2023;63;1453\n",
    )
    rw, rt = ym.load_table(wide), ym.load_table(tidy)
    assert rw.meta.read_as["shape"] == "wide" and rt.meta.read_as["shape"] == "tidy"
    assert rw.by == ["year"] and rt.by == ["jaar"]

    def figures(r, col):
        return {
            (str(g), c): (e, n)
            for g, c, e, n in zip(r[col], r["category"], r["estimate"], r["n"], strict=True)
        }

    assert (
        figures(rw, "year")
        == figures(rt, "jaar")
        == {
            ("2022", "YouTube"): (0.95, 1316),
            ("2023", "YouTube"): (0.93, 1453),
            ("2022", "TikTok"): (0.67, 1316),
            ("2023", "TikTok"): (0.63, 1453),
        }
    )
    fig = charts.auto(rw, lang="en")
    assert fig.slide.kind == "trend"


def test_wide_xlsx_with_percent_formatted_cells(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Platform", "Jongens", "Meisjes"])
    for name, a, b in (("TikTok", 0.61, 0.72), ("Instagram", 0.55, 0.69)):
        ws.append([name, a, b])
        for cell in ws[ws.max_row][1:]:
            cell.number_format = "0%"  # shows 61%, stores 0.61
    path = tmp_path / "gender.xlsx"
    wb.save(path)
    r = ym.load_table(path, n={"Jongens": 400, "Meisjes": 410}, measure="proportion")
    assert r.meta.read_as["shape"] == "wide" and r.by == ["group"]
    got = {
        (str(g), c): (e, n)
        for g, c, e, n in zip(r["group"], r["category"], r["estimate"], r["n"], strict=True)
    }
    assert got[("Meisjes", "TikTok")] == (0.72, 410) and got[("Jongens", "Instagram")] == (
        0.55,
        400,
    )


def test_dutch_thousands_point_in_n_and_sidecar(tmp_path):
    path = write(
        tmp_path,
        "t.csv",
        "platform;jaar;percentage;n\nFacebook;2016;88;1.316\nFacebook;2017;80;1.453\n",
    )
    (tmp_path / "t.published.yaml").write_text(
        "source: {name: Newcom, secondary: true, via: rd.nl}\n"
        "population: {nl: jongeren van 15–19 jaar, en: 15–19 year olds}\n",
        encoding="utf-8",
    )
    r = ym.load_table(path)
    assert r["n"].tolist() == [1316, 1453]
    assert r.meta.source["name"] == "Newcom" and r.meta.source["year"] == "2016–2017"
    assert r.meta.population["en"] == "15–19 year olds"


def test_sidecar_unknown_key_and_bad_arguments(tmp_path):
    path = write(tmp_path, "t.csv", "platform,percentage\nFacebook,88\n")
    with pytest.raises(DataError, match="unknown key.*colour"):
        ym.load_table(path, codebook={"colour": "red"})
    with pytest.raises(ConfigError, match="measure='pct_x' is neither a column"):
        ym.load_table(path, measure="pct_x")
    with pytest.raises(DataError, match="n '0' is not a sample size"):
        ym.load_table(path, n=0)
    with pytest.raises(ConfigError, match="not all values of one column"):
        ym.load_table(path, n={"TikTok": 100})


def test_trailing_source_row_copied_with_the_table_is_a_note(tmp_path):
    path = write(
        tmp_path, "t.csv", "platform;percentage\nFacebook;88\nInstagram;48\nBron: Newcom 2017;\n"
    )
    r = ym.load_table(path, source="Newcom")  # the source is stated, not read from a note
    assert len(r) == 2 and r.meta.source["name"] == "Newcom"
    assert "Bron: Newcom 2017" in r.meta.notes


# -- is this a published table? ---------------------------------------------------------------------
def test_is_published_table(tmp_path):
    assert all(P.is_published_table(p) for p in PUB.glob("*.csv"))
    assert not P.is_published_table(ROOT / "data" / "youth_social_media_demo.csv")
    assert not P.is_published_table(ROOT / "data" / "klas_enquete_forms.csv")
    assert not P.is_published_table(ROOT / "data" / "youth_social_media_demo.sav")
    plain = write(tmp_path, "t.csv", "platform,percentage\nFacebook,88\n")
    assert P.is_published_table(plain)
    respondents = write(tmp_path, "r.csv", "leeftijd,geslacht,cijfer\n14,m,7.5\n15,v,8\n14,m,6\n")
    assert not P.is_published_table(respondents)


# -- comparisons --------------------------------------------------------------------------------------
def test_two_published_years_without_n_do_not_claim_a_change():
    r = ym.load_table(PUB / "newcom_2016_2017_15_19.csv")
    both = comparison(P.select(r, jaar=2016), P.select(r, jaar=2017))
    text = comparison_sentence(both, "en")
    # the largest gap in the coverage: Instagram account 48% -> 66% (18 points)
    assert text.startswith("Instagram – account: 48% in 2016, 66% in 2017.")
    assert "cannot be judged" in text and "clear" not in text
    fig = dumbbell(both, lang="en")
    assert fig.slide.headline == "Instagram – account: 48% in 2016, 66% in 2017"
    dots = {a.get_gid(): [] for a in fig.findobj() if str(a.get_gid()).startswith("youthmedia-dot")}
    for a in fig.findobj():
        if str(a.get_gid()).startswith("youthmedia-dot"):
            dots[a.get_gid()].append(round(float(a.get_xdata()[0]), 6))
    # dot positions are the published figures (Snapchat/WhatsApp 2016: n.b., no dot)
    assert sorted(dots["youthmedia-dot-0"]) == [0.48, 0.67, 0.88]
    assert sorted(dots["youthmedia-dot-1"]) == [0.5, 0.66, 0.67, 0.8, 0.84]


def test_two_published_years_with_n_call_a_change_clear_only_when_intervals_separate():
    r = ym.load_table(PUB / "pew_teens_2022_2024.csv")
    both = comparison(P.select(r, year=2022), P.select(r, year=2024))
    # WhatsApp 17% (n 1,316) -> 23% (n 1,391): Wilson [15.1, 19.1] and [20.9, 25.3] are disjoint
    text = comparison_sentence(both, "en")
    assert text.startswith("WhatsApp: 17% in 2022, 23% in 2024. A clear rise")
    # Facebook 32% -> 32%: intervals overlap, so no change is claimed
    fb = comparison(P.select(r, year=2022), P.select(r, year=2024), items={"Facebook": "Facebook"})
    assert "no clear change" in comparison_sentence(fb, "en")


def test_class_survey_beside_national_figures():
    klas = ym.load(ROOT / "data" / "klas_enquete_forms.csv")
    pew = P.select(ym.load_table(PUB / "pew_teens_2022_2024.csv"), year=2024)
    both = comparison(pew, ym.share(klas, "welke_sociale_media_gebruik_je"))
    text_en = comparison_sentence(both, "en")
    text_nl = comparison_sentence(both, "nl")
    assert "not tested" in text_en and "is not a random sample" in text_en
    assert "geen aselecte steekproef" in text_nl
    assert "clear" not in text_en
    fig = dumbbell(both, lang="nl")
    assert "gepubliceerde cijfers; n = 1.391" in fig.slide.source
    assert "klas_enquete_forms (n = 29; ongewogen)" in fig.slide.source
    assert "geen aselecte steekproef" in fig.slide.notes
    row = both[(both["compared"] == "klas_enquete_forms") & (both["category"] == "Instagram")]
    assert int(row["n"].iloc[0]) == 29


def test_demo_survey_beside_newcom():
    newcom = P.select(
        ym.load_table(PUB / "newcom_2016_2017_15_19.csv"), jaar=2017, indicator="account"
    )
    demo = ym.load(ROOT / "data" / "youth_social_media_demo.sav")
    teens = ym.share(demo, "platforms", by=["wave", "age_band"]).select(
        wave=2019, age_band="15-19 jaar"
    )
    both = comparison(newcom, teens)
    assert set(both["category"]) == {
        "Facebook – account",
        "Instagram – account",
        "Snapchat – account",
    }
    assert list(both["compared"].cat.categories)[0] == "Newcom 2017"
    assert sorted(both[both["compared"] == "Newcom 2017"]["estimate"]) == [0.66, 0.67, 0.80]
    text = comparison_sentence(both, "en")
    assert "different studies" in text and "random sample" not in text  # a weighted survey
    assert dumbbell(both, lang="en").slide.kind == "dumbbell"


def test_comparison_needs_one_group_per_side():
    r = ym.load_table(PUB / "pew_teens_2022_2024.csv")
    with pytest.raises(ConfigError, match="select"):
        comparison(r, P.select(r, year=2024))
    n = ym.load_table(PUB / "newcom_2016_2017_15_19.csv")
    survey = ym.share(ym.load(ROOT / "data" / "youth_social_media_demo.sav"), "platforms")
    with pytest.raises(ConfigError, match="several items for 'facebook'"):
        comparison(P.select(n, jaar=2017), survey)


# -- decks ------------------------------------------------------------------------------------------------
def test_published_figures_for_a_deck():
    r = ym.load_table(PUB / "pew_teens_2022_2024.csv")
    figs, title, _ = published_deck(r, lang="en")
    assert title == "Pew Research Center, Teens, Social Media and Technology 2022–2024"
    assert [f.slide.kind for f in figs] == ["trend", "bars", "dumbbell"]
    assert bar_widths(figs[1]) == [v / 100 for v in PEW_2024.values()]
    assert all(f.slide.alt_text for f in figs)


def test_select_keeps_the_right_notes():
    r = ym.load_table(PUB / "newcom_2016_2017_15_19.csv")
    texts = " ".join(n["en"] for n in P.select(r, jaar=2016).meta.notes if isinstance(n, dict))
    assert "ruim 50" not in texts  # a 2017 cell
    assert "Snapchat, account, 2016" in texts
    pew = P.select(ym.load_table(PUB / "pew_teens_2022_2024.csv"), year=2023)
    assert pew.meta.n_total == 1453
    assert any("n = 1,453." in n["en"] for n in pew.meta.notes if isinstance(n, dict))
    assert np.all(pew["n"] == 1453)


def test_cli_slides_builds_a_deck_from_a_published_table(tmp_path, capsys):
    from pptx import Presentation

    from youthmedia.cli import main

    out = tmp_path / "deck.pptx"
    assert (
        main(["slides", str(PUB / "pew_teens_2022_2024.csv"), "--out", str(out), "--lang", "en"])
        == 0
    )
    deck = Presentation(str(out))
    assert len(deck.slides) == 4  # title + trend, 2024 bars, 2022 vs 2024
    title_texts = [sh.text_frame.text for sh in deck.slides[0].shapes if sh.has_text_frame]
    assert "Pew Research Center, Teens, Social Media and Technology 2022–2024" in title_texts
    notes = deck.slides[2].notes_slide.notes_text_frame.text
    assert "assuming a simple random sample of n = 1,391" in notes
    assert (
        main(["slides", str(PUB / "pew_teens_2022_2024.csv"), "--out", str(out), "--weight", "w"])
        == 2
    )
    assert "has no weights" in capsys.readouterr().err


def test_dutch_figure_texts_for_a_published_table():
    r = ym.load_table(PUB / "pew_teens_2022_2024.csv")
    fig = charts.bars(P.select(r, year=2022), lang="nl")
    assert fig.slide.source == (
        "Bron: Pew Research Center, Teens, Social Media and Technology 2022; gepubliceerde "
        "cijfers, uitgaande van een enkelvoudige aselecte steekproef van n = 1.316"
    )
    assert "aselecte steekproef" not in " ".join(fig.slide.footnotes)  # said once
    assert "betrouwbaarheidsintervallen (Wilson)" in " ".join(fig.slide.footnotes)
    assert bar_widths(fig) == [0.95, 0.67, 0.62, 0.59, 0.32, 0.17]  # the 2022 report


def test_source_line_of_a_published_table_says_how_its_figures_were_made():
    # Pew weights its samples: a published Pew figure must not be called "unweighted"; the
    # source line says what the intervals assume instead (n per year from Pew's reports).
    pew = ym.load_table(PUB / "pew_teens_2022_2024.csv")
    en = charts.trend(pew, lang="en").slide.source
    assert en == (
        "Source: Pew Research Center, Teens, Social Media and Technology 2022–2024; "
        "published figures, assuming a simple random sample of n = 1,316 (2022), "
        "1,453 (2023), 1,391 (2024)"
    )
    # Newcom's coverage gives no n: no "n =", no "ongewogen"
    newcom = ym.load_table(PUB / "newcom_2016_2017_15_19.csv")
    nl = charts.trend(newcom, lang="nl").slide.source
    assert "ongewogen" not in nl and "n = " not in nl
    assert nl.endswith("gepubliceerde cijfers; geen n in de bron, geen intervallen")


def test_trend_headline_of_figures_without_intervals_states_the_numbers():
    # Newcom coverage gives no n, so no intervals: Facebook account 88% (2016) -> 80% (2017) is
    # stated, not judged; WhatsApp daily use has 2017 only (2016 n.b.): one number
    r = ym.load_table(PUB / "newcom_2016_2017_15_19.csv")
    assert charts.trend(r, lang="nl").slide.headline == (
        "Facebook – account: van 88% (2016) naar 80% (2017)"
    )
    assert charts.trend(r, lang="en").slide.headline == (
        "Facebook – account: from 88% (2016) to 80% (2017)"
    )
    whatsapp = P.select(r, platform="WhatsApp")
    # one series: its whole label (a label repeated across waves shares no prefix to strip)
    assert charts.trend(whatsapp, lang="en").slide.headline == ("WhatsApp – daily use: 84% (2017)")


def test_public_names_of_the_published_module():
    assert ym.load_table is P.load_table
    assert set(P.__all__) == {"load_table", "select", "is_published_table", "wilson_interval"}


def test_item_columns_come_from_the_sidecar_or_the_first_column(tmp_path):
    text = "platform;indicator;jaar;percentage\nFacebook;account;2016;88\nFacebook;daily;2016;67\n"
    path = write(tmp_path, "t.csv", text)
    assert ym.load_table(path).by == ["indicator", "jaar"]  # the first column is the item
    r = ym.load_table(path, item=["platform", "indicator"])
    assert r.by == ["jaar"] and list(r["category"]) == ["Facebook – account", "Facebook – daily"]
