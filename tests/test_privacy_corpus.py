"""Issue 13 end to end: identifiers planted in synthetic files never reach an output.

Every file of :mod:`privacy_corpus` goes through ``youthmedia describe`` (all formats),
``tables``, ``slides`` and the report's main job; then every XML part of every XLSX/PPTX, every
text, CSV, Markdown, HTML and SVG file written and everything printed is searched for every
planted identifier. A second test solves the cells each standard output shows as a linear
system and checks that no suppressed cell is determined by them.
"""

from __future__ import annotations

import html
import re
import sys
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import privacy_corpus  # noqa: E402

from youthmedia import privacy, standard  # noqa: E402
from youthmedia.cli import main  # noqa: E402


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    return folder, privacy_corpus.build(folder)


def _written_texts(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` as text: ZIP parts one by one, XML entities resolved."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        if zipfile.is_zipfile(p):
            with zipfile.ZipFile(p) as z:
                for name in z.namelist():
                    if not name.endswith((".xml", ".rels")):
                        continue  # pictures: their texts are checked before they are drawn
                    raw = z.read(name).decode("utf-8", "replace")
                    out[f"{p.name}:{name}"] = html.unescape(raw)
        elif p.suffix.lower() in (".csv", ".txt", ".md", ".html", ".svg", ".json", ".ipynb"):
            out[p.name] = html.unescape(p.read_text("utf-8", "replace"))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).casefold()


def _run(args, capsys) -> tuple[int, str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(args)
    cap = capsys.readouterr()
    return code, cap.out + cap.err


@pytest.mark.parametrize(
    "name", ["forms_klas.csv", "google_klas.xlsx", "autorecode.sav", "leerlingen.csv", "labels.sav"]
)
def test_no_planted_identifier_reaches_any_output(corpus, name, tmp_path, capsys):
    folder, planted = corpus
    data = folder / name
    before = data.read_bytes()
    printed = {}
    for fmt in ("text", "markdown", "csv", "json"):
        code, printed[fmt] = _run(["describe", str(data), "--format", fmt], capsys)
        assert code == 0, printed[fmt]
    # a plain CSV of text answers may hold no question the standard tables know (plain text)
    nothing = "No questions to"
    code, msg = _run(["tables", str(data), "--out", str(tmp_path / "tables.xlsx")], capsys)
    assert code == 0 or (name == "leerlingen.csv" and nothing in msg), msg
    code, msg = _run(["slides", str(data), "--out", str(tmp_path / "deck.pptx")], capsys)
    assert code == 0 or nothing in msg, msg
    empty = tmp_path / "no_notebooks"
    empty.mkdir()
    code, msg = _run(
        [
            "report",
            "--data",
            str(data),
            "--out",
            str(tmp_path / "report"),
            "--notebooks",
            str(empty),
        ],
        capsys,
    )
    assert code == 0 or nothing in msg, msg
    texts = {f"describe --format {k}": v for k, v in printed.items()} | _written_texts(tmp_path)
    assert name == "leerlingen.csv" or any(k.startswith("tables.xlsx") for k in texts)
    if name == "labels.sav":  # not identifiers: text that must be made harmless
        for where, text in texts.items():
            assert "\x1b" not in text and "\x07" not in text, where
        pages = [t for k, t in texts.items() if k.endswith(".html")]
        raw_pages = [p.read_text("utf-8") for p in tmp_path.rglob("*.html")]
        assert pages and not any("<script>alert" in p for p in raw_pages)
        csv_fields = [f.strip('"') for line in printed["csv"].splitlines() for f in line.split(",")]
        assert not any(f.startswith("=") for f in csv_fields)
    else:
        for ident in planted[name]:
            for where, text in texts.items():
                assert _squash(ident) not in _squash(text), f"{ident!r} in {where}"
    assert data.read_bytes() == before  # the input is never changed


def _errors(msg: str) -> str:
    return "".join(x + "\n" for x in msg.splitlines() if not x.startswith("youthmedia: warning:"))


def test_a_loaded_file_is_never_overwritten(corpus, tmp_path, capsys):
    folder, _ = corpus
    src = tmp_path / "klas.xlsx"
    src.write_bytes((folder / "google_klas.xlsx").read_bytes())
    before = src.read_bytes()
    code, msg = _run(["tables", str(src), "--out", str(src)], capsys)
    msg = _errors(msg)  # warnings (one line each) may come first
    assert code == 2 and str(src) in msg and msg.count("\n") == 1, msg
    assert src.read_bytes() == before


def test_an_unwritable_out_is_one_line_before_any_work(corpus, tmp_path, capsys):
    folder, _ = corpus
    (tmp_path / "afile").write_text("x")
    code, msg = _run(
        ["tables", str(folder / "leerlingen.csv"), "--out", str(tmp_path / "afile" / "t.xlsx")],
        capsys,
    )
    msg = _errors(msg)
    assert code == 2 and "is a file, not a folder" in msg and msg.count("\n") == 1, msg


# ------------------------------------------------------------------------------------------------
# Subtraction: no suppressed cell is determined by the cells an output shows
# ------------------------------------------------------------------------------------------------


def _determined(results) -> list[str]:
    """Suppressed cells that the shown cells determine (linear algebra over the whole output).

    Relations a reader knows: within a group, the shares of a single-choice question's answers
    add up to 1; a share overall (or by fewer groups) is the base-weighted mean of the same
    share by a further group, where the group bases add up to the overall base.
    """
    rows = []
    for k, r in enumerate(results):
        f = pd.DataFrame(r).reset_index(drop=True)
        by = [b for b in (r.meta.by or []) if b in f.columns]
        for i in range(len(f)):
            rows.append(
                {
                    "res": k,
                    "by": tuple(by),
                    "key": tuple(str(f.at[i, b]) for b in by),
                    "var": str(f.at[i, "variable"]),
                    "cat": str(f.at[i, "category"]),
                    "p": f.at[i, "estimate"],
                    "base": float(f.at[i, "base"]),
                    "hidden": bool(f.at[i, "suppressed"]),
                    "kind": r.meta.kind,
                }
            )
    unknown = [i for i, c in enumerate(rows) if c["hidden"]]
    if not unknown:
        return []
    col = {i: j for j, i in enumerate(unknown)}
    eqs: list[tuple[dict[int, float], float]] = []
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(rows):
        groups.setdefault((c["res"], c["key"], c["var"]), []).append(i)
    for members in groups.values():
        if rows[members[0]]["kind"] == "share" and len(members) > 1:
            eqs.append(({i: 1.0 for i in members}, 1.0))
    index = {(c["by"], c["key"], c["var"], c["cat"]): i for i, c in enumerate(rows)}
    for (by, key, var, cat), m in index.items():
        for extra in by:
            rest = tuple(b for b in by if b != extra)
            rest_key = tuple(v for b, v in zip(by, key, strict=True) if b != extra)
            margin = index.get((rest, rest_key, var, cat))
            if margin is None or m != min(
                i
                for (b2, k2, v2, c2), i in index.items()
                if b2 == by
                and v2 == var
                and c2 == cat
                and tuple(x for b, x in zip(by, k2, strict=True) if b != extra) == rest_key
            ):
                continue
            parts = [
                i
                for (b2, k2, v2, c2), i in index.items()
                if b2 == by
                and v2 == var
                and c2 == cat
                and tuple(x for b, x in zip(by, k2, strict=True) if b != extra) == rest_key
            ]
            total = rows[margin]["base"]
            if abs(sum(rows[i]["base"] for i in parts) - total) > 1e-6 * max(total, 1):
                continue  # some respondents have no group: no exact relation
            eqs.append(({**{i: rows[i]["base"] for i in parts}, margin: -total}, 0.0))
    a = np.zeros((len(eqs), len(unknown)))
    for e, (coef, _) in enumerate(eqs):
        for i, v in coef.items():
            if i in col:
                a[e, col[i]] = v
    rank = np.linalg.matrix_rank(a) if len(eqs) else 0
    found = []
    for i in unknown:
        unit = np.zeros(len(unknown))
        unit[col[i]] = 1.0
        if len(eqs) and np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            c = rows[i]
            found.append(f"{c['var']}={c['cat']} at {dict(zip(c['by'], c['key'], strict=True))}")
    return found


def test_the_boy_in_a_class_of_eleven_cannot_be_subtracted():
    from youthmedia.result import Result

    overall = Result.from_rows(
        [{"variable": "gepest", "category": "ja", "estimate": 3 / 11, "n": 11, "base": 11.0}],
        kind="share",
    )
    by = Result.from_rows(
        [
            {
                "g": "jongen",
                "variable": "gepest",
                "category": "ja",
                "estimate": 1.0,
                "n": 1,
                "base": 1.0,
            },
            {
                "g": "meisje",
                "variable": "gepest",
                "category": "ja",
                "estimate": 0.2,
                "n": 10,
                "base": 10.0,
            },
        ],
        by=["g"],
        kind="share",
    )
    shown = privacy.suppress_across([overall, by])
    assert shown[1]["suppressed"].tolist() == [True, True]
    assert shown[1]["reason"].tolist() == ["small_n", "complementary"]
    assert _determined(shown) == []
    # without it, the boy's answer is one subtraction away
    alone = [privacy.suppress(overall), privacy.suppress(by)]
    assert _determined(alone) == ["gepest=ja at {'g': 'jongen'}"]


def test_weights_count_kish_n_eff():
    from youthmedia.result import Result

    # one respondent weighing 1000 among 29 others of weight 1: n_eff = (1029)^2/(10^6+29) = 1.06,
    # below min_n / 2 = 5 (a group of 20 whose weights give n_eff 9.7 is shown)
    r = Result.from_rows(
        [
            {
                "variable": "x",
                "category": "ja",
                "estimate": 0.97,
                "n": 30,
                "n_eff": 1029**2 / (1000**2 + 29),
                "base": 1029.0,
            }
        ]
    )
    out = privacy.suppress(r)
    assert out["suppressed"].tolist() == [True] and out["reason"].tolist() == ["small_n_eff"]
    assert "Kish" in privacy.footnotes(out, "en")[0] and "< 5" in privacy.footnotes(out, "en")[0]
    r2 = Result.from_rows(
        [{"variable": "x", "category": "ja", "estimate": 0.5, "n": 20, "n_eff": 9.7, "base": 20.0}]
    )
    assert privacy.suppress(r2)["suppressed"].tolist() == [False]


@pytest.mark.parametrize("name", ["forms_klas.csv", "google_klas.xlsx", "autorecode.sav"])
def test_no_standard_output_lets_a_suppressed_cell_be_recomputed(corpus, name):
    folder, _ = corpus
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, _, computed = standard._computed(folder / name, None, None, charts=False)
    results = [r for _, _, r in computed]
    assert any(r["suppressed"].any() for r in results), "nothing suppressed: no test"
    assert _determined(results) == []
    if name == "forms_klas.csv":  # the test can fail: each table suppressed on its own leaks
        survey, found = standard._prepare(folder / name, None)
        alone = standard.results(survey, standard.plan(survey, None, found.weight), found)
        assert _determined([r for _, _, r in alone])


def test_the_bundled_forms_class_survey():
    data = Path(__file__).parents[1] / "data" / "klas_enquete_forms.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, _, computed = standard._computed(data, None, None, charts=False)
    assert _determined([r for _, _, r in computed]) == []


# ------------------------------------------------------------------------------------------------
# Files: inputs never overwritten, outputs safe
# ------------------------------------------------------------------------------------------------


def test_writers_never_replace_a_loaded_survey_or_a_file_they_did_not_make(corpus, tmp_path):
    import youthmedia as ym
    from youthmedia import export
    from youthmedia.errors import ConfigError
    from youthmedia.figures import charts

    folder, _ = corpus
    src = tmp_path / "enquete.csv"
    src.write_bytes((folder / "leerlingen.csv").read_bytes())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = ym.load(src)
        r = ym.share(s, "uren_online") if "uren_online" in s.data else None
    before = src.read_bytes()
    result = (
        r
        if r is not None
        else privacy.suppress(
            ym.result.Result.from_rows(
                [{"variable": "x", "category": "ja", "estimate": 0.5, "n": 40}]
            )
        )
    )
    with pytest.raises(ConfigError, match=r"enquete\.csv.*loaded"):
        export.write_csv(result, src)
    assert src.read_bytes() == before
    # the alt text of map/enquete.png is enquete.alt.txt: a data file enquete.txt is left alone
    (tmp_path / "enquete.txt").write_text("id;naam\n1;x\n")
    (tmp_path / "enquete.png").write_text("not a picture: a file of the user")
    fig = charts.bars(result)
    with pytest.raises(ConfigError, match="did not make"):
        export.save_figure(fig, tmp_path / "enquete.png")
    export.save_figure(fig, tmp_path / "figuur.png")
    assert (tmp_path / "figuur.alt.txt").exists()
    assert (tmp_path / "enquete.txt").read_text() == "id;naam\n1;x\n"
    # a workbook youthmedia did not make is not replaced; one it made is
    from openpyxl import Workbook

    Workbook().save(tmp_path / "theirs.xlsx")
    with pytest.raises(ConfigError, match="did not make"):
        export.write_xlsx(result, tmp_path / "theirs.xlsx")
    export.write_xlsx(result, tmp_path / "ours.xlsx")
    export.write_xlsx(result, tmp_path / "ours.xlsx")


def test_an_xlsx_with_an_absurd_used_range_is_read_by_its_real_cells(tmp_path):
    import resource

    from openpyxl import Workbook

    import youthmedia as ym

    wb = Workbook()
    ws = wb.active
    ws.append(["leeftijd", "gepest"])
    for i in range(30):
        ws.append([12 + i % 5, "ja" if i % 3 else "nee"])
    ws["XFD1048576"] = "x"
    wb.save(tmp_path / "klein.xlsx")
    assert (tmp_path / "klein.xlsx").stat().st_size < 10_000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.warns(Warning, match="far outside the table"):
        s = ym.load(tmp_path / "klein.xlsx")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert len(s.data) == 30 and {"leeftijd", "gepest"} <= set(s.data.columns) and grown_mb < 200


def test_the_gate_refuses_a_hand_made_table_with_an_identifier(tmp_path):
    from youthmedia import export
    from youthmedia.errors import DisclosureError
    from youthmedia.result import Result

    r = Result.from_rows(
        [{"variable": "contact", "category": "mail sanne@example.nl", "estimate": 0.5, "n": 40}]
    )
    with pytest.raises(DisclosureError, match="e-mail address") as err:
        export.write_xlsx(r, tmp_path / "t.xlsx")
    assert "sanne" not in str(err.value) and not (tmp_path / "t.xlsx").exists()
    with pytest.raises(DisclosureError):
        export.write_csv(r, tmp_path / "t.csv")
    for bsn in ("1234.56.782", "123 456 782", "123456782"):
        with pytest.raises(DisclosureError, match="BSN"):
            privacy.gate([f"nummer {bsn}"], "x")
    privacy.gate(["n = 123456789 is no BSN (11-test)", "12,5 %", "NL91 ABNA 0417 1643 01"], "x")
    with pytest.raises(DisclosureError, match="bank"):
        privacy.gate(["NL91 ABNA 0417 1643 00"], "x")
