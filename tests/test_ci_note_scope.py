"""The Clopper–Pearson footnote speaks only of rows a figure draws (and a table exports)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from openpyxl import load_workbook

import youthmedia as ym
from youthmedia.codebook import Codebook, Variable
from youthmedia.export import write_xlsx
from youthmedia.figures import charts
from youthmedia.intervals import NOTES
from youthmedia.result import CP_COLUMN
from youthmedia.survey import Source

CP_NL = NOTES["clopper_pearson"]["nl"][:40]


def export_notes(result, folder) -> list[str]:
    """Every text of the workbook the table is exported to (its footnotes included)."""
    ws = load_workbook(write_xlsx(result, folder / "t.xlsx", lang="nl")).active
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


def survey(small_all_yes: int, big_all_yes: bool) -> ym.Survey:
    """Group 'a' (n = 40, mixed answers), group 'b' (n = 40, all yes when ``big_all_yes``),
    group 'c' (n = ``small_all_yes`` < 10, all yes: a share of 100 %, suppressed)."""
    rng = np.random.default_rng(3)
    sizes = {"a": 40, "b": 40, "c": small_all_yes}
    grp, ans = [], []
    for g, k in sizes.items():
        grp += [g] * k
        if g == "a" or (g == "b" and not big_all_yes):
            vals = rng.integers(0, 2, k).astype(float)
            vals[:2] = [0.0, 1.0]  # both answers present: 0 < p < 1
            ans += list(vals)
        else:
            ans += [1.0] * k  # p = 1: no variance -> Clopper–Pearson
    data = pd.DataFrame(
        {
            "grp": pd.Categorical(grp, categories=list(sizes)),
            "yes": ans,
            "w": rng.uniform(0.5, 2, len(grp)),
        }
    )
    cb = Codebook(
        {
            "grp": Variable("grp", label="Groep"),
            "yes": Variable("yes", label="Ja"),
            "w": Variable("w"),
        }
    )
    return ym.Survey(
        data, cb, source=Source(path="t.sav", sha256="x", name="T", year="2024")
    ).with_design(weight="w")


def _has_cp(notes: list[str]) -> bool:
    return any(n.startswith(CP_NL) for n in notes)


def test_flag_column_marks_only_fallback_rows():
    r = ym.share(survey(5, big_all_yes=True), "yes", by="grp")
    shown = r[~r["suppressed"].astype(bool)]
    # p = 1 in group b (hand: every one of its 40 answers is 1); 0 < p < 1 in group a
    assert shown.set_index("grp")[CP_COLUMN].astype(bool).to_dict() == {"a": False, "b": True}
    # the suppressed group's flag is hidden like its numbers (p = 1 would show through)
    assert r.loc[r["grp"] == "c", CP_COLUMN].isna().all()


def test_only_a_suppressed_row_used_it_no_footnote(tmp_path):
    r = ym.share(survey(5, big_all_yes=False), "yes", by="grp")
    assert r.loc[r["grp"] == "c", "suppressed"].all()  # n = 5 < 10
    assert NOTES["clopper_pearson"] in r.meta.notes  # estimate still knows it
    fig = charts.grouped(r, lang="nl")
    assert not _has_cp(fig.slide.footnotes)
    assert not _has_cp(export_notes(r, tmp_path))


def test_a_drawn_row_used_it_footnote_is_there(tmp_path):
    r = ym.share(survey(5, big_all_yes=True), "yes", by="grp")
    fig = charts.grouped(r, lang="nl")
    assert _has_cp(fig.slide.footnotes)
    assert _has_cp(export_notes(r, tmp_path))


def test_a_row_not_drawn_is_not_spoken_of():
    r = ym.share(survey(12, big_all_yes=True), "yes", by="grp")  # b and c: p = 1, not suppressed
    only_a = r.select(grp="a")
    fig = charts.bars(only_a, lang="nl")
    assert not _has_cp(fig.slide.footnotes)
    fig = charts.bars(r.select(grp="b"), lang="nl")
    assert _has_cp(fig.slide.footnotes)


def test_result_without_row_scope_keeps_its_notes():
    r = ym.Result.from_rows(
        [{"variable": "x", "category": "ja", "estimate": 0.0, "n": 50}],
        notes=[dict(NOTES["clopper_pearson"])],
    )
    fig = charts.bars(r, lang="nl")
    assert _has_cp(fig.slide.footnotes)
