"""The notebooks in ``notebooks/``: committed clean, executed on the demo data, numbers checked.

Every notebook runs once, through :func:`youthmedia.report.run` (one module-scoped report with an
explicit kernel name and cell timeout, as ``make report`` runs them). The numbers in their
tables are checked against computations made here straight from the ``.sav`` file read with
pyreadstat (codes, not labels) and numpy: a weighted share is Σ wᵢyᵢ / Σ wᵢ over the respondents
who answered. ``05_your_own_survey`` runs a second time on the Microsoft Forms export, whose
answers are counted here from the raw CSV text.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import shutil
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import numpy as np
import openpyxl
import pyreadstat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from pptx import Presentation

from youthmedia import report

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DEMO = ROOT / "data" / "youth_social_media_demo.sav"
FORMS = ROOT / "data" / "klas_enquete_forms.csv"
BOOKS = sorted(NOTEBOOKS.glob("*.ipynb"))
STEMS = [p.stem for p in BOOKS]
# `make setup` installs the `youthmedia` kernel; a bare `pip install -e .` has only `python3`.
KERNEL = "youthmedia" if "youthmedia" in KernelSpecManager().find_kernel_specs() else "python3"
TIMEOUT = 300  # seconds per cell; the notebooks take a few seconds each on the demo data
EXPECTED = [
    "00_start_here",
    "01_where_are_young_people",
    "02_how_much_and_how_it_feels",
    "03_cyberbullying",
    "04_trends",
    "05_your_own_survey",
]


# --------------------------------------------------------------------------------------------
# fixtures
# --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """One report of every notebook on the demo data (Dutch); returns the reports folder."""
    out = tmp_path_factory.mktemp("notebooks") / "reports"
    index = report.run(
        data=DEMO,
        out=out,
        notebooks=NOTEBOOKS,
        lang="nl",
        organisation="Stichting Test",
        kernel_name=KERNEL,
        timeout=TIMEOUT,
        root=ROOT,
        progress=False,
    )
    assert index == out / "index.html"
    return out


@pytest.fixture(scope="module")
def forms_report(tmp_path_factory) -> Path:
    """``05_your_own_survey`` alone, on the Microsoft Forms export; returns its output folder."""
    tmp = tmp_path_factory.mktemp("forms")
    folder = tmp / "notebooks"
    folder.mkdir()
    shutil.copy(NOTEBOOKS / "05_your_own_survey.ipynb", folder)
    report.run(
        data=FORMS,
        out=tmp / "reports",
        notebooks=folder,
        lang="nl",
        kernel_name=KERNEL,
        timeout=TIMEOUT,
        root=ROOT,
        progress=False,
    )
    return tmp / "reports" / "05_your_own_survey"


@pytest.fixture(scope="module")
def demo():
    """The demo data as codes (no value labels applied), straight from pyreadstat."""
    frame, _ = pyreadstat.read_sav(str(DEMO))
    return frame


def weighted_share(frame, rows, yes) -> float:
    """Σ wᵢyᵢ / Σ wᵢ over ``rows`` (a boolean mask of respondents who answered)."""
    w = frame.loc[rows, "weight"].to_numpy(dtype=float)
    y = yes[rows].to_numpy(dtype=float)
    return float(np.sum(w * y) / np.sum(w))


def read_csv(path: Path) -> list[dict[str, str]]:
    """A Dutch CSV from youthmedia: UTF-8 with BOM, ``;`` between fields."""
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))


def number(text: str) -> float:
    """A Dutch decimal (``87,6601``) as a float."""
    return float(text.replace(",", "."))


def the_row(rows: list[dict[str, str]], **where: str) -> dict[str, str]:
    hits = [r for r in rows if all(r[k] == v for k, v in where.items())]
    assert len(hits) == 1, f"{len(hits)} rows match {where}"
    return hits[0]


# --------------------------------------------------------------------------------------------
# committed notebooks
# --------------------------------------------------------------------------------------------
def test_the_six_notebooks_are_there():
    assert STEMS == EXPECTED


@pytest.mark.parametrize("path", BOOKS, ids=STEMS)
def test_committed_without_outputs_and_one_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.outputs == [] for c in code), "commit the notebook with its outputs cleared"
    assert all(c.execution_count is None for c in code), "clear the execution counts"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].cell_type == "code"
    assigned = {
        t.id
        for node in ast.parse(tagged[0].source).body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    assert set(report.PARAMETERS) <= assigned
    assert nb.metadata["kernelspec"]["name"] == "youthmedia"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
    assert not any("injected-parameters" in c.metadata.get("tags", []) for c in nb.cells)


# --------------------------------------------------------------------------------------------
# the report of all notebooks
# --------------------------------------------------------------------------------------------
class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [v for k, v in attrs if k in ("href", "src") and v]


def test_every_notebook_ran_and_the_index_has_no_broken_links(reports):
    provenance = json.loads((reports / "provenance.json").read_text(encoding="utf-8"))
    assert provenance["status"] == "ok"
    assert [Path(n["notebook"]).stem for n in provenance["notebooks"]] == EXPECTED
    assert all(n["status"] == "ok" for n in provenance["notebooks"])
    index = reports / "index.html"
    parser = _Links()
    parser.feed(index.read_text(encoding="utf-8"))
    targets = [unquote(urlsplit(link).path) for link in parser.links if urlsplit(link).path]
    assert not [link for link in parser.links if urlsplit(link).scheme]
    broken = [t for t in targets if not (index.parent / t).is_file()]
    assert broken == []
    for stem in EXPECTED:  # each executed notebook and its deck are linked
        assert f"{stem}/{stem}.html" in targets
    for stem in EXPECTED[1:]:
        assert any(t.startswith(f"{stem}/") and t.endswith(".pptx") for t in targets), stem


@pytest.mark.parametrize("stem", EXPECTED)
def test_each_notebook_writes_figures_with_alt_text_and_tables(reports, stem):
    out = reports / stem
    pngs = sorted(out.glob("*.png"))
    assert pngs, f"{stem} wrote no figures"
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.with_suffix(".svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
        assert len(png.with_suffix(".alt.txt").read_text(encoding="utf-8")) > 40  # alt text
    assert list(out.glob("*.xlsx")), f"{stem} wrote no Excel table"
    page = (out / f"{stem}.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page  # the figures are visible in the page
    executed = nbformat.read(out / f"{stem}.ipynb", as_version=4)
    outputs = [o for c in executed.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    warned = [
        o.text
        for o in outputs
        if o.output_type == "stream" and o.name == "stderr" and "privacy:" not in o.text
    ]  # which identifying columns were left out: on purpose
    assert warned == [], f"{stem} shows warnings to the reader: {warned}"


@pytest.mark.parametrize("stem", EXPECTED[1:])
def test_decks_have_a_title_slide_and_every_figure_with_alt_text(reports, stem):
    deck = next((reports / stem).glob("*.pptx"))
    slides = list(Presentation(str(deck)).slides)
    figures = len(list((reports / stem).glob("*.png")))
    closing = stem == "05_your_own_survey"  # as `youthmedia slides`: "not shown, and why" last
    assert len(slides) == figures + 1 + closing
    assert not closing or slides[-1].shapes.title.text == "Niet getoond, en waarom"
    title = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    if stem != "05_your_own_survey":
        assert "Stichting Test" in title  # the organisation passed to the report
    for slide in slides[1 : len(slides) - closing]:
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert len(pictures) == 1
        assert len(pictures[0]._element.nvPicPr.cNvPr.get("descr", "")) > 40
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()


# --------------------------------------------------------------------------------------------
# numbers, checked against the .sav read independently
# --------------------------------------------------------------------------------------------
def test_01_whatsapp_reach_15_19_in_2023(reports, demo):
    rows = (demo["wave"] == 2023) & (demo["age_band"] == 2) & demo["use_whatsapp"].notna()
    expected = weighted_share(demo, rows, demo["use_whatsapp"] == 1)
    out = reports / "01_where_are_young_people"
    row = the_row(
        read_csv(out / "reach_by_wave_and_age.csv"),
        **{"Meting (jaar)": "2023", "Leeftijdsgroep": "15-19 jaar", "Vraag": "Gebruikt WhatsApp"},
    )
    assert number(row["Percentage (%)"]) == pytest.approx(100 * expected, abs=5e-5)
    assert int(row["n (ongewogen)"]) == int(rows.sum())
    sheet = openpyxl.load_workbook(out / "reach_by_wave_and_age.xlsx")["Bereik naar leeftijd"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Meting (jaar)")
    cells = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(values_only=True)]
    hit = [
        c
        for c in cells
        if c["Meting (jaar)"] == "2023"
        and c["Leeftijdsgroep"] == "15-19 jaar"
        and c["Vraag"] == "Gebruikt WhatsApp"
    ]
    assert len(hit) == 1 and hit[0]["Percentage"] == pytest.approx(expected, rel=1e-9)


def test_01_tiktok_2015_is_not_asked_not_zero(reports):
    rows = read_csv(reports / "01_where_are_young_people" / "reach_by_wave_and_age.csv")
    tiktok_2015 = [r for r in rows if r["Meting (jaar)"] == "2015" and "TikTok" in r["Vraag"]]
    assert len(tiktok_2015) == 3  # one row per age band ...
    for row in tiktok_2015:  # ... with no number, and why
        assert row["Percentage (%)"] == "" and row["n (ongewogen)"] == ""
        assert "niet gevraagd" in row["Opmerking"]
    assert all(
        r["Percentage (%)"] for r in rows if r["Meting (jaar)"] == "2019" and "TikTok" in r["Vraag"]
    )
    # the trend line starts in 2019, and the footnote says why
    alt = (reports / "01_where_are_young_people" / "reach_trend.alt.txt").read_text(
        encoding="utf-8"
    )
    assert "TikTok (2015): niet getoond (niet gevraagd)" in alt


def test_01_the_big_number_98_percent_active_in_2015(reports, demo):
    rows = (demo["wave"] == 2015) & demo["any_social"].notna()
    share = weighted_share(demo, rows, demo["any_social"] == 1)
    assert round(100 * share) == 98  # data/README: near Newcom's quoted 98% for 2015
    alt = (reports / "01_where_are_young_people" / "active_2015.alt.txt").read_text(
        encoding="utf-8"
    )
    assert "98%" in alt and "2015" in alt
    key = (reports / "01_where_are_young_people" / "key_numbers.md").read_text(encoding="utf-8")
    assert "98%" in key.splitlines()[0]


def test_02_problematic_use_by_the_hbsc_definition(reports, demo):
    items = demo[[f"smds_{i}" for i in range(1, 10)]]
    answered = items.notna().all(axis=1)
    problematic = items.sum(axis=1) >= 6  # HBSC: yes to at least 6 of 9
    rows = (demo["wave"] == 2023) & (demo["gender"] == 2) & answered
    expected = weighted_share(demo, rows, problematic)
    out = reports / "02_how_much_and_how_it_feels"
    row = the_row(
        read_csv(out / "smds_problematic_by_gender.csv"),
        **{"Meting (jaar)": "2023", "Geslacht": "meisje"},
    )
    assert number(row["Percentage (%)"]) == pytest.approx(100 * expected, abs=5e-5)
    conclusions = (out / "conclusions.md").read_text(encoding="utf-8")
    assert "minstens 6 van de 9" in conclusions and "Boer" in conclusions


def test_03_a_suppressed_cell_is_shown_as_suppressed_and_its_number_is_absent(reports, demo):
    out = reports / "03_cyberbullying"
    table = out / "bullied_2023_by_school_level_and_gender.csv"
    rows = read_csv(table)
    answered = demo["cyber_victim"].between(1, 5)  # 9 = wil ik niet zeggen: missing
    bullied = demo["cyber_victim"] >= 2  # at least once
    in_cell = (demo["wave"] == 2023) & (demo["school_level"] == 4) & answered  # vwo
    hidden_rows = in_cell & (demo["gender"] == 3)  # anders / zeg ik liever niet
    assert 0 < hidden_rows.sum() < 10
    hidden = weighted_share(demo, hidden_rows, bullied)
    level = "Opleiding (huidige school, of werkend)"  # the variable label in the .sav
    row = the_row(rows, **{level: "vwo", "Geslacht": "anders / zeg ik liever niet"})
    assert row["Percentage (%)"] == "" and row["95%-BI onder (%)"] == ""
    assert row["95%-BI boven (%)"] == "" and row["Standaardfout (%)"] == ""
    assert "–" in row["Opmerking"] and "n < 10" in row["Opmerking"]
    text = table.read_text(encoding="utf-8-sig")
    for decimals in (4, 2, 1):
        shown = f"{100 * hidden:.{decimals}f}".replace(".", ",")
        assert f";{shown};" not in text, f"the suppressed {shown}% leaks into {table.name}"
    # the neighbouring cells are shown, with the right numbers
    girls = weighted_share(demo, in_cell & (demo["gender"] == 2), bullied)
    row = the_row(rows, **{level: "vwo", "Geslacht": "meisje"})
    assert number(row["Percentage (%)"]) == pytest.approx(100 * girls, abs=5e-5)
    alt = (out / "bullied_2023_vwo_by_gender.alt.txt").read_text(encoding="utf-8")
    assert "niet getoond (n < 10)" in alt
    assert f"{round(100 * hidden)}%" not in alt.split("anders / zeg ik liever niet")[-1][:30]
    # in the workbook, the same cell is empty
    sheet = openpyxl.load_workbook(out / "cyberbullying.xlsx")["School level × gender 2023"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r[0] == level)
    cells = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(values_only=True)]
    hit = [
        c
        for c in cells
        if c[level] == "vwo"
        and c["Geslacht"] == "anders / zeg ik liever niet"
        and c["Vraag"] == "Online gepest"
    ]
    assert len(hit) == 1 and hit[0]["Percentage"] is None


def test_03_indicative_cells_are_marked(reports):
    rows = read_csv(reports / "03_cyberbullying" / "bullying_by_wave_age_gender.csv")
    small = [r for r in rows if r["Geslacht"] == "anders / zeg ik liever niet"]
    assert small and all(r["Percentage (%)"] for r in small)  # 10-29: shown ...
    assert all("indicatief" in r["Opmerking"] for r in small)  # ... and marked


def test_04_change_in_tiktok_reach_from_2019_to_2023(reports, demo):
    def reach(wave):
        rows = (demo["wave"] == wave) & demo["use_tiktok"].notna()
        return weighted_share(demo, rows, demo["use_tiktok"] == 1)

    out = reports / "04_trends"
    row = the_row(read_csv(out / "changes_2019_2023.csv"), Vraag="Gebruikt TikTok")
    change = 100 * (reach(2023) - reach(2019))
    # both waves' reach, and the difference in percentage points (a number, not a %)
    assert number(row["Percentage 2019 (%)"]) == pytest.approx(100 * reach(2019), abs=5e-5)
    assert number(row["Percentage 2023 (%)"]) == pytest.approx(100 * reach(2023), abs=5e-5)
    assert number(row["Verschil 2023 − 2019 (procentpunten)"]) == pytest.approx(change, abs=5e-5)
    assert float(row["p"].replace(",", ".")) < 0.001
    # BeReal was not asked in 2019: its row says so instead of a number
    bereal = the_row(read_csv(out / "changes_2019_2023.csv"), Vraag="Gebruikt BeReal")
    assert (
        bereal["Verschil 2023 − 2019 (procentpunten)"] == ""
        and "niet gevraagd" in bereal["Opmerking"]
    )
    # the chart of the changes says percentage points, with its own headline
    alt = (out / "platform_change_2019_2023.alt.txt").read_text(encoding="utf-8")
    assert f"TikTok +{round(change)}" in alt and "procentpunt van 2019 tot 2023" in alt
    assert "bereikt" not in alt
    conclusions = (out / "conclusions.md").read_text(encoding="utf-8")
    assert "TikTok" in conclusions and "procentpunt" in conclusions


def test_05_on_the_forms_export_drops_names_and_counts_the_platforms(forms_report):
    text = FORMS.read_text(encoding="utf-8-sig")
    records = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    column = next(k for k in records[0] if k.startswith("Welke sociale media"))
    whatsapp = sum("WhatsApp" in r[column].split(";") for r in records)
    answered = sum(bool(r[column].strip()) for r in records)
    names = [r["Naam"] for r in records] + [r["E-mail"] for r in records]
    out = forms_report
    deck = next(out.glob("*.pptx"))
    hits = []  # the WhatsApp row of the platforms table of all pupils (not by gender)
    for sheet in openpyxl.load_workbook(out / "tables.xlsx").worksheets:
        header = next(
            (r for r in sheet.iter_rows(values_only=True) if r and "Percentage" in r), None
        )
        if header is None or header[0] != "Vraag":  # a table by a group starts with it
            continue
        cells = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(values_only=True)]
        hits += [c for c in cells if any(str(v) == "WhatsApp" for v in c.values())]
    assert len(hits) == 1 and hits[0]["Percentage"] == pytest.approx(whatsapp / answered, rel=1e-9)
    # no pupil's name or e-mail address in anything written: page, notebook, tables, deck
    for path in out.iterdir():
        blobs = [path.read_bytes()]
        if path.suffix in (".xlsx", ".pptx"):
            with zipfile.ZipFile(path) as z:
                blobs = [z.read(n) for n in z.namelist()]
        for blob in blobs:
            for name in names:
                assert name.encode() not in blob, f"{name} in {path.name}"
    slides = list(Presentation(str(deck)).slides)
    # more than the platforms: the TikTok frequency scale, the cyberbullying question, by gender
    assert len(slides) >= 6
    titles = " | ".join(s.shapes.title.text for s in slides[1:] if s.shapes.title is not None)
    assert "hoe vaak gebruik je tiktok" in titles.lower()  # the frequency scale has its slide
    assert "gepest" in titles.lower()  # the bullying question has its slide
