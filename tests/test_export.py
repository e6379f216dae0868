"""Exports, tested by their bytes and by reopening them: PNG/SVG determinism, alt text beside
the image, atomic writes, formula-injection escaping in XLSX/CSV, and a 16:9 deck reopened
with python-pptx (slide count, alt text on every picture, speaker notes)."""

from __future__ import annotations

import io
import os
import struct
import time
import zipfile

import numpy as np
import openpyxl
import pytest
from pptx import Presentation
from pptx.util import Emu

from youthmedia import export
from youthmedia.errors import ConfigError
from youthmedia.figures import charts
from youthmedia.result import Result

SOURCE = {"name": "Testdata", "year": "2023"}


def result(**extra) -> Result:
    rows = [
        {
            "variable": "use_whatsapp",
            "category": "ja",
            "estimate": 0.97,
            "ci_low": 0.955,
            "ci_high": 0.98,
            "se": 0.006,
            "n": 1512,
            "base": 1498.7,
        },
        {
            "variable": "use_tiktok",
            "category": "ja",
            "estimate": 0.125,
            "ci_low": 0.05,
            "ci_high": 0.26,
            "se": 0.05,
            "n": 24,
            "base": 20.5,
        },
        {
            "variable": "use_bereal",
            "category": "ja",
            "estimate": 0.4,
            "ci_low": 0.1,
            "ci_high": 0.8,
            "se": 0.2,
            "n": 5,
            "base": 4.0,
        },
    ]
    labels = {
        "nl": {"use_whatsapp": "WhatsApp", "use_tiktok": "TikTok", "use_bereal": "BeReal"},
        "en": {"use_whatsapp": "WhatsApp", "use_tiktok": "TikTok", "use_bereal": "BeReal"},
    }
    labels["nl"].update(extra.pop("labels", {}))
    return Result.from_rows(
        rows, kind="share", labels=labels, source=SOURCE, weighted=True, n_total=1512, **extra
    )


def evil_result() -> Result:
    """Labels a spreadsheet would run as formulas."""
    return result(
        labels={
            "use_whatsapp": '=HYPERLINK("http://evil","klik")',
            "use_tiktok": "+cmd|' /C calc'!A0",
            "use_bereal": "@SUM(1+1)",
        }
    )


def later(monkeypatch, seconds: float = 86400 * 3 + 7) -> None:
    """Move the clock: files written after this must still be byte-identical."""
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + seconds)


# -- figures -------------------------------------------------------------------------------------
def test_png_is_deterministic_200_dpi_and_unstamped(tmp_path):
    a = export.save_figure(charts.bars(result()), tmp_path / "a.png")
    b = export.save_figure(charts.bars(result()), tmp_path / "b.png")  # a new, equal figure
    data = a.read_bytes()
    assert data == b.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    # 40/3 in x 200 dpi = 2666.7 -> 2666 px (matplotlib truncates); 7.5 in x 200 dpi = 1500 px
    assert (width, height) == (2666, 1500)
    assert b"Software" not in data and b"matplotlib" not in data.lower()
    phys = data.index(b"pHYs")
    ppm = struct.unpack(">I", data[phys + 4 : phys + 8])[0]
    assert round(ppm * 0.0254) == 200  # pixels per metre -> dpi


def test_svg_is_deterministic_and_undated(tmp_path):
    a = export.save_figure(charts.grouped(_by_age()), tmp_path / "a.svg").read_bytes()
    b = export.save_figure(charts.grouped(_by_age()), tmp_path / "b.svg").read_bytes()
    assert a == b
    assert b"<dc:date>" not in a and b"<svg" in a
    # 40/3 in x 72 = 960 pt wide, 7.5 x 72 = 540 pt high: the slide's size is kept (no tight
    # bounding box)
    assert b'width="960pt"' in a and b'height="540pt"' in a


def test_alt_text_is_saved_beside_the_image(tmp_path):
    fig = charts.bars(result(), lang="en")
    export.save_figure(fig, tmp_path / "reach.png")
    alt = (tmp_path / "reach.alt.txt").read_text(encoding="utf-8")
    assert alt == fig.slide.alt_text + "\n"
    assert "WhatsApp: 97%" in alt and "BeReal: not shown" in alt
    export.save_figure(fig, tmp_path / "plain.svg", alt_text=False)
    assert not (tmp_path / "plain.alt.txt").exists()


def test_figure_format_and_dpi_checks(tmp_path):
    fig = charts.bars(result())
    with pytest.raises(ConfigError, match="gif"):
        export.save_figure(fig, tmp_path / "x.gif")
    with pytest.raises(ConfigError, match="200"):
        export.save_figure(fig, tmp_path / "x.png", dpi=100)


# -- atomic writes -------------------------------------------------------------------------------
def test_atomic_write_replaces_or_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "sub" / "t.csv"
    export.atomic_write(target, "oud")
    assert target.read_text() == "oud"
    real_replace = os.replace

    def broken(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        export.write_csv(result(), target)
    assert target.read_text() == "oud"  # the old file is intact
    assert sorted(p.name for p in target.parent.iterdir()) == ["t.csv"]  # no temp file left
    monkeypatch.setattr(os, "replace", real_replace)
    export.write_csv(result(), target)
    assert target.read_text(encoding="utf-8-sig").startswith("Vraag;")


# -- tables --------------------------------------------------------------------------------------
def test_xlsx_sheets_labels_percent_format_and_suppression(tmp_path):
    path = export.write_xlsx({"Bereik": result(), "Reach (en)": result()}, tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Inhoud", "Bereik", "Reach (en)"]
    ws = wb["Bereik"]
    assert ws["A1"].value == "Bereik"
    assert ws["A2"].value == "Bron: Testdata 2023; n = 1.512; gewogen"
    header = [c.value for c in ws[4]]
    assert header[:3] == ["Vraag", "Antwoord", "Percentage"]
    assert "95%-BI onder" in header and "n (ongewogen)" in header
    rows = {r[0].value: r for r in ws.iter_rows(min_row=5, max_row=7)}
    pct = header.index("Percentage")
    assert rows["WhatsApp"][pct].value == pytest.approx(0.97)
    assert rows["WhatsApp"][pct].number_format == "0.0%"
    assert rows["WhatsApp"][header.index("n (ongewogen)")].value == 1512
    # BeReal (n = 5 < 10) is suppressed: no percentage, no interval, a dash and the reason
    assert rows["BeReal"][pct].value is None
    assert rows["BeReal"][header.index("95%-BI boven")].value is None
    assert rows["BeReal"][header.index("Opmerking")].value == "– n < 10"
    assert rows["TikTok"][header.index("Opmerking")].value == "indicatief: n < 30"
    notes = [ws.cell(row=r, column=1).value for r in range(9, 12)]
    assert any(n and n.startswith("– = niet getoond") for n in notes)
    assert ws.freeze_panes == "A5"


def test_xlsx_escapes_formulas_and_is_deterministic(tmp_path, monkeypatch):
    a = export.write_xlsx(evil_result(), tmp_path / "a.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/"))
    assert "<f>" not in xml  # no formula anywhere in the workbook
    ws = openpyxl.load_workbook(io.BytesIO(a)).worksheets[0]
    labels = [ws.cell(row=r, column=1).value for r in range(5, 8)]
    assert labels == ['\'=HYPERLINK("http://evil","klik")', "'+cmd|' /C calc'!A0", "'@SUM(1+1)"]
    later(monkeypatch)
    b = export.write_xlsx(evil_result(), tmp_path / "b.xlsx").read_bytes()
    assert a == b


def test_csv_dutch_and_english_and_escaped(tmp_path):
    nl = export.write_csv(result(), tmp_path / "nl.csv").read_bytes()
    assert nl.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so Excel reads the accents
    lines = nl.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:4] == ["Vraag", "Antwoord", "Percentage (%)", "Standaardfout (%)"]
    assert lines[1].startswith("WhatsApp;ja;97,0;0,6;95,5;98,0;1512;")
    assert lines[3].startswith("BeReal;ja;;;;;5;")  # suppressed: empty numbers
    en = export.write_csv(result(), tmp_path / "en.csv", lang="en").read_text(encoding="utf-8-sig")
    assert en.splitlines()[1].startswith("WhatsApp,ja,97.0,0.6,95.5,98.0,1512,")
    evil = export.write_csv(evil_result(), tmp_path / "evil.csv").read_text(encoding="utf-8-sig")
    firsts = [line.split(";")[0] for line in evil.splitlines()[1:]]
    assert firsts == [
        '"\'=HYPERLINK(""http://evil"",""klik"")"',
        "'+cmd|' /C calc'!A0",
        "'@SUM(1+1)",
    ]
    assert export.escape_cell("\tx") == "'\tx" and export.escape_cell("\rx") == "'\rx"
    assert export.escape_cell("-") == "'-" and export.escape_cell("a=b") == "a=b"
    assert export.escape_cell(-3.5) == -3.5


# -- PowerPoint ----------------------------------------------------------------------------------
def _by_age() -> Result:
    rows = []
    for age, e in (("12–13", 0.4), ("14–15", 0.65), ("16–18", 0.8)):
        rows.append(
            {
                "age_band": age,
                "variable": "use_instagram",
                "category": "ja",
                "estimate": e,
                "ci_low": e - 0.05,
                "ci_high": e + 0.05,
                "n": 400,
            }
        )
    return Result.from_rows(
        rows,
        by=["age_band"],
        labels={"nl": {"use_instagram": "Instagram"}},
        source=SOURCE,
        weighted=True,
    )


def test_deck_reopened(tmp_path, monkeypatch):
    figs = [charts.bars(result()), charts.grouped(_by_age()), charts.big_number(result())]
    path = export.write_deck(figs, tmp_path / "deck.pptx", title="Jongeren online")
    prs = Presentation(str(path))
    assert (prs.slide_width, prs.slide_height) == (Emu(12192000), Emu(6858000))  # 13.333 x 7.5 in
    slides = list(prs.slides)
    assert len(slides) == 1 + len(figs)
    assert slides[0].shapes.title.text == "Jongeren online"
    for slide, fig in zip(slides[1:], figs, strict=True):
        pictures = [s for s in slide.shapes if s.shape_type == 13]  # PICTURE
        assert len(pictures) == 1
        pic = pictures[0]
        assert (pic.left, pic.top, pic.width, pic.height) == (
            0,
            0,
            prs.slide_width,
            prs.slide_height,
        )
        assert pic._element.nvPicPr.cNvPr.get("descr") == fig.slide.alt_text
        assert slide.shapes.title.text == fig.slide.headline  # native, editable text
        for shape in slide.shapes:  # every shape on the slide
            assert shape.left >= 0 and shape.top >= 0
            assert shape.left + shape.width <= prs.slide_width
            assert shape.top + shape.height <= prs.slide_height
        texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
        assert fig.slide.source in "\n".join(texts)
        notes = slide.notes_slide.notes_text_frame.text
        assert notes == fig.slide.notes
    first_notes = slides[1].notes_slide.notes_text_frame.text
    assert "WhatsApp: 97% (95%-BI 96–98%; n = 1.512)" in first_notes
    assert "TikTok: 13% (95%-BI 5–26%; n = 24; indicatief)" in first_notes
    assert "BeReal: niet getoond (n < 10)" in first_notes
    assert "Bron: Testdata 2023; n = 1.512; gewogen" in first_notes
    # the same figures later give the same bytes
    first = path.read_bytes()
    later(monkeypatch)
    again = export.write_deck(
        [charts.bars(result()), charts.grouped(_by_age()), charts.big_number(result())],
        tmp_path / "again.pptx",
        title="Jongeren online",
    )
    assert again.read_bytes() == first
    assert prs.core_properties.created.year == 2000


def test_deck_in_english_and_dark(tmp_path):
    figs = [charts.bars(result(), lang="en", theme="dark")]
    prs = Presentation(str(export.write_deck(figs, tmp_path / "d.pptx", lang="en", theme="dark")))
    slides = list(prs.slides)
    assert slides[0].shapes.title.text == "Young people and social media"
    assert "Source: Testdata 2023" in slides[0].placeholders[1].text_frame.text
    notes = slides[1].notes_slide.notes_text_frame.text
    assert "WhatsApp: 97% (95% CI 96–98%; n = 1,512)" in notes
    with pytest.raises(ConfigError, match="figure"):
        export.write_deck(["not a figure"], tmp_path / "x.pptx")


# -- differences and rounded bases ---------------------------------------------------------------
def difference() -> Result:
    # typed in: TikTok 22.2% (2019, n 1496) and 63.7% (2023, n 1508); difference 0.637 − 0.222
    # = 0.415 with CI 0.371 to 0.461; n_eff and base with binary noise in their last decimals
    rows = [
        {
            "variable": "use_tiktok",
            "category": "gekozen",
            "estimate": 0.415,
            "se": 0.0229,
            "ci_low": 0.371,
            "ci_high": 0.461,
            "n": 3004,
            "n_eff": 2573.936088123456,
            "base": 3004.000017000001,
            "estimate_a": 0.222,
            "estimate_b": 0.637,
            "n_a": 1496,
            "n_b": 1508,
            "t": 18.16,
            "p": 4e-46,
            "group_a": "2019",
            "group_b": "2023",
        }
    ]
    return Result.from_rows(
        rows,
        kind="difference",
        percent=True,
        groups=("2019", "2023"),
        compared_by="wave",
        source=SOURCE,
        weighted=True,
        labels={
            "nl": {"use_tiktok": "Gebruikt TikTok", "wave": "Meting"},
            "en": {"use_tiktok": "Uses TikTok", "wave": "Wave"},
        },
    )


def test_csv_of_a_difference_has_both_groups_and_the_difference_in_points(tmp_path):
    text = export.write_csv(difference(), tmp_path / "d.csv").read_text(encoding="utf-8-sig")
    header, row = (line.split(";") for line in text.splitlines()[:2])
    cells = dict(zip(header, row, strict=True))
    assert cells["Percentage 2019 (%)"] == "22,2" and cells["Percentage 2023 (%)"] == "63,7"
    assert cells["n 2019"] == "1496" and cells["n 2023"] == "1508"
    assert cells["Verschil 2023 − 2019 (procentpunten)"] == "41,5"  # 100 × 0.415, not "%"
    assert cells["95%-BI onder (procentpunten)"] == "37,1"
    assert cells["95%-BI boven (procentpunten)"] == "46,1"
    assert cells["p"] == "4e-46" and cells["t"] == "18,16"
    assert not [h for h in header if h.startswith("Percentage (%)")]
    # bases to one decimal, not 15
    assert cells["Effectieve n"] == "2573,9" and cells["Gewogen basis"] == "3004,0"
    en = export.write_csv(difference(), tmp_path / "e.csv", lang="en").read_text(
        encoding="utf-8-sig"
    )
    assert "Difference 2023 − 2019 (percentage points)" in en.splitlines()[0]


def test_xlsx_of_a_difference_formats_points_as_numbers(tmp_path):
    path = export.write_xlsx(difference(), tmp_path / "d.xlsx", lang="en")
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[4]]
    row = {h: c for h, c in zip(header, ws[5], strict=True)}
    diff = row["Difference 2023 − 2019 (percentage points)"]
    assert diff.value == pytest.approx(41.5) and "%" not in diff.number_format
    assert row["Percentage 2023"].value == pytest.approx(0.637)
    assert row["Percentage 2023"].number_format == "0.0%"
    assert row["Effective n"].value == pytest.approx(2573.9)
    assert row["p"].value == pytest.approx(4e-46)


def test_share_bases_are_rounded_to_one_decimal(tmp_path):
    r = result()
    r["n_eff"] = [1355.398580123, 20.05, 4.0]
    text = export.write_csv(r, tmp_path / "r.csv", lang="en").read_text(encoding="utf-8-sig")
    assert "1355.4" in text and "1355.39858" not in text and "1498.7" in text


def test_save_figure_without_a_suffix_writes_png_svg_and_alt_text_in_one_call(tmp_path):
    fig = charts.bars(result())
    written = export.save_figure(fig, tmp_path / "reach_2023")
    assert [p.name for p in written] == ["reach_2023.png", "reach_2023.svg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "reach_2023.alt.txt",
        "reach_2023.png",
        "reach_2023.svg",
    ]
    # the same bytes as saving each format on its own
    single = export.save_figure(fig, tmp_path / "one" / "reach_2023.png", alt_text=False)
    assert single.read_bytes() == written[0].read_bytes()
    assert (tmp_path / "reach_2023.alt.txt").read_text(
        encoding="utf-8"
    ) == fig.slide.alt_text + "\n"
    pdf = export.save_figure(fig, tmp_path / "x.pdf")
    assert pdf.name == "x.pdf" and pdf.read_bytes()[:5] == b"%PDF-"
    with pytest.raises(ConfigError, match="does not end in .png"):
        export.save_figure(fig, tmp_path / "x.jpg")


def test_counts_stay_whole_beside_a_row_not_asked(tmp_path):
    r = result()
    r.loc[2, ["estimate", "se", "ci_low", "ci_high", "n", "base"]] = np.nan
    r.loc[2, "reason"] = "not_asked"
    text = export.write_csv(r, tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    assert ";1512;" in lines[1] and ";24;" in lines[2] and "1512,0" not in text
    assert "niet gevraagd" in lines[3]
