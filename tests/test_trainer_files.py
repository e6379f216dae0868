"""Issue 14: a trainer's own file, whatever its shape, through describe, tables and slides with
no options; every share checked against a count made by hand (tests/trainer_files.py)."""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation

import youthmedia as ym
from youthmedia import i18n, standard
from youthmedia.cli import main

sys.path.insert(0, str(Path(__file__).parent))
import trainer_files as tf  # noqa: E402

#: answers that are no answer to the question: never drawn or tabulated as an option
NOT_OPTIONS = [
    "Ik gebruik geen sociale media",
    "I don't use social media",
    "Zeg ik liever niet",
    "Prefer not to say",
    "Weet ik niet",
    "Don't know",
    "Totaal",
]


def _tables(path: Path) -> dict[str, dict[str, float]]:
    """Question (cell A1) -> answer -> share, from the overall tables of a workbook."""
    wb = openpyxl.load_workbook(path, read_only=True)
    out = {}
    for ws in wb.worksheets[1:]:
        rows = list(ws.iter_rows(values_only=True))
        if not rows or not rows[0][0] or " – " in str(rows[0][0]):
            continue
        out[str(rows[0][0])] = {str(r[1]): r[2] for r in rows[4:] if r[1] is not None}
    wb.close()
    return out


def _deck_text(path: Path) -> tuple[list, str]:
    slides = list(Presentation(str(path)).slides)
    text = "\n".join(sh.text_frame.text for sl in slides for sh in sl.shapes if sh.has_text_frame)
    notes = "\n".join(sl.notes_slide.notes_text_frame.text for sl in slides[1:])
    return slides, text + "\n" + notes


def _run(path: Path, capsys) -> tuple[str, Path, Path]:
    assert main(["describe", str(path)]) == 0, capsys.readouterr().err
    described = capsys.readouterr().out
    assert main(["tables", str(path)]) == 0, capsys.readouterr().err
    assert main(["slides", str(path)]) == 0, capsys.readouterr().err
    capsys.readouterr()
    return described, Path(path.stem + "_tables.xlsx"), Path(path.stem + ".pptx")


def _close(got: float, want: float) -> bool:
    return math.isclose(float(got), want, abs_tol=1e-9)


@pytest.mark.parametrize("shape", [s for s in tf.SHAPES if s not in ("spss_yes_no", "five_rows")])
def test_class_survey_in_every_shape(shape, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tf.SHAPES[shape](tmp_path)
    lang = tf.LANG.get(shape, "nl")
    described, xlsx, deck = _run(path, capsys)
    assert "None" not in described and "Traceback" not in described
    assert ("respondenten" if lang == "nl" else "respondents") in described.splitlines()[0]
    assert " 40 " in described.splitlines()[0]  # header and total rows are not pupils
    tables = _tables(xlsx)
    q = tf.Q[lang]
    label = {"qualtrics": {"Q3": q["apps"], "Q4": q["happy"], "Q5": q["bullied"]}}
    by_question = {label.get(shape, {}).get(k, k).rstrip("?"): v for k, v in tables.items()}
    for what in ("apps", "happy", "bullied"):
        got = by_question[q[what].rstrip("?")]
        want = tf.hand(tf.CLASS, what, lang)
        assert set(got) == set(want), (what, got)  # the answers, and only those
        for answer, share in want.items():
            assert _close(got[answer], share), (what, answer, got[answer], share)
    s = ym.load(path)
    gender = standard.roles(s).gender
    assert gender is not None and standard.roles(s).age is not None
    res = ym.share(s, gender)
    assert {r.category: round(r.estimate, 12) for r in res.itertuples()} == {
        k: round(v, 12) for k, v in tf.hand(tf.CLASS, "gender", lang).items()
    }
    slides, text = _deck_text(deck)
    assert len(slides) >= 8
    for slide in slides[1:]:  # no empty slide: a picture, or a text slide's lines
        body = [sh for sh in slide.shapes if sh.has_text_frame and sh != slide.shapes.title]
        assert any(sh.shape_type == 13 for sh in slide.shapes) or body[0].text_frame.text
    drawn = "\n".join(
        line
        for line in text.splitlines()  # the notes name what was left
        if "Niet meegeteld" not in line and "Not counted" not in line
    )  # out
    for bad in NOT_OPTIONS:
        assert bad not in drawn, bad
    assert ("Niet meegeteld: " if lang == "nl" else "Not counted: ") in text


def test_five_rows_get_a_closing_slide_not_empty_charts(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tf.five_rows(tmp_path)
    described, xlsx, deck = _run(path, capsys)
    assert " 5 respondenten" in described.splitlines()[0]
    slides, text = _deck_text(deck)
    assert len(slides) == 2  # title, "not shown, and why"
    assert "Niet getoond, en waarom" in text and "te weinig antwoorden" in text
    s = ym.load(path)
    res = ym.share(s, next(n for n in s.codebook.mr_sets))
    answered = [p for p in tf.CLASS[:5] if p.apps is not None]
    assert res["n"].tolist() == [len(answered)] * 4 and res["suppressed"].all()
    tables = _tables(xlsx)
    assert tables  # the tables exist, shares suppressed


def test_unrelated_yes_no_items_stay_separate_questions(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tf.spss_yes_no(tmp_path)
    described, xlsx, deck = _run(path, capsys)
    s = ym.load(path)
    assert not s.codebook.mr_sets
    items = standard.plan(s)
    assert [i.names for i in items] == [[k] for k in tf.YES_NO]  # one question each
    codes = tf.yes_no_codes()
    tables = _tables(xlsx)
    for name, label in tf.YES_NO.items():
        want = sum(c == 1 for c in codes[name]) / len(codes[name])
        assert _close(tables[label]["Ja"], want)
    slides, text = _deck_text(deck)
    assert "het vaakst" not in text  # no "most mentioned" chart


def test_wrong_guess_is_one_sidecar_line_away_and_round_trips(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tf.dutch_excel_csv(tmp_path)
    sidecar = tmp_path / "klas.codebook.yaml"
    assert main(["describe", str(path), "--codebook", str(sidecar)]) == 0
    first = ym.load(path, codebook=False).codebook.to_frame()
    again = ym.load(path).codebook.to_frame()  # the sidecar beside it is read back
    assert again.equals(first)
    assert main(["describe", str(path), "--codebook", str(sidecar)]) == 2  # never overwritten
    text = sidecar.read_text(encoding="utf-8")
    assert "Ik ben een:\n    role: choice\n    group_role: gender" in text
    # one line: the gender question is not a breakdown; 'weet ik niet' is an answer after all
    sidecar.write_text(
        text.replace("    group_role: gender\n", "    group_role: null\n").replace(
            "    excluded:\n    - Weet ik niet\n", "    excluded: []\n"
        ),
        encoding="utf-8",
    )
    s = ym.load(path)
    assert standard.roles(s).gender is None
    assert s.codebook["Hoe vaak ben je online gepest?"].excluded_answers == []
    assert "Weet ik niet" in s["Hoe vaak ben je online gepest?"].cat.categories
    # a multi-answer set's left-out answer: written, read back, one line to take it in
    none = tf.NO_APPS["nl"]
    assert f"    role: multi\n    excluded:\n    - {none}\n" in text
    apps = s.codebook.mr_sets["Welke apps gebruik je?"]
    assert apps.excluded == [none] and none not in [s.codebook[v].label for v in apps.variables]
    sidecar.write_text(
        sidecar.read_text(encoding="utf-8").replace(
            f"    role: multi\n    excluded:\n    - {none}\n", "    role: multi\n    excluded: []\n"
        ),
        encoding="utf-8",
    )
    s = ym.load(path)
    apps = s.codebook.mr_sets["Welke apps gebruik je?"]
    chosen = [v for v in apps.variables if s.codebook[v].label == none]
    assert apps.excluded == [] and len(chosen) == 1
    # by hand: the pupils who use no app chose that answer
    assert s[chosen[0]].sum() == sum(p.apps == [] for p in tf.CLASS)


def test_no_design_and_by(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    path = tf.dutch_excel_csv(tmp_path)
    assert main(["tables", str(path), "--by", "Ik ben een", "--out", "by.xlsx"]) == 0
    wb = openpyxl.load_workbook("by.xlsx", read_only=True)
    titles = [ws["A1"].value for ws in wb.worksheets[1:]]
    wb.close()
    assert any("naar geslacht" in str(t) for t in titles)
    assert not any("leeftijd" in str(t).lower() for t in titles)
    (tmp_path / "klas.pptx").write_bytes(b"not ours")  # someone else's deck
    assert main(["slides", str(path), "--questions", "Sociale*"]) == 0
    assert (tmp_path / "klas.pptx").read_bytes() == b"not ours"
    assert (tmp_path / "klas-2.pptx").exists()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_describe_speaks_one_language(lang, tmp_path, testdata):
    """describe's own words (headings, roles, reasons) are all in the chosen language, on every
    trainer file and on YRBS; the file's own labels may be in any language."""
    from youthmedia import describe

    other = "en" if lang == "nl" else "nl"
    words = {
        w
        for key, entry in i18n.STRINGS.items()
        if key.startswith("d_")
        for w in [entry[other].split("{")[0].strip(" :(")]
        if w != entry[lang].split("{")[0].strip(" :(") and len(w) > 4
    }
    words |= set(i18n.REASONS_NL.values() if lang == "en" else i18n.REASONS_NL)
    paths = [make(tmp_path) for make in tf.SHAPES.values()]
    yrbs = testdata / "yrbs" / "yrbs2019.sav"
    paths += [yrbs] if yrbs.exists() else []
    for path in paths:
        s = ym.load(path)
        text = describe.render(s, lang=lang)
        own = " ".join(
            str(x) for v in s.codebook for x in [v.label, v.name, *v.value_labels.values()]
        )
        found = [
            w
            for w in words
            if w not in own and re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)
        ]
        assert not found, (path.name, found)
