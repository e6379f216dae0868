"""Bad input never crashes, hangs or gives a wrong number: it gives one clear line.

The corpus (``tests/badinput``) is built in ``tmp_path`` from the bundled demo data: truncated,
corrupt, empty and renamed SPSS files, binary junk named ``.csv``, mixed delimiters, ragged
rows, undecodable bytes, duplicate headers, a header of 100,000 columns. Loading each one must
raise a ``DataError`` naming the file and what is wrong in one line (or, where the file can
still be read, warn in one line), within a time bound; ``youthmedia describe`` on it must exit
with status 2 and one line on stderr, never a traceback.

Then the bad data inside good files: weights that are negative, missing, all zero or not
numbers; a variable with only missing values; a group with one respondent (whose numbers are
checked against a hand calculation).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import warnings

import numpy as np
import pytest
from badinput import ROOT, Case, bounded, corpus

import youthmedia as ym
from youthmedia import privacy
from youthmedia.cli import main

CASES = corpus()
ERRORS = [c for c in CASES if not c.warns]
WARNS = [c for c in CASES if c.warns]
BOUND = 30  # seconds; every case takes well under one


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- files ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ERRORS, ids=[c.id for c in ERRORS])
def test_bad_file_gives_one_clear_line(tmp_path, case: Case):
    path = case.write(tmp_path)
    before = _sha(path)
    with bounded(BOUND), warnings.catch_warnings(), pytest.raises(ym.DataError) as err:
        warnings.simplefilter("error", ym.YouthmediaWarning)  # no misleading warning first
        ym.load(path)
    msg = str(err.value)
    assert msg.startswith(f"{path}: "), msg  # names the file first
    assert "\n" not in msg and "Traceback" not in msg
    assert err.value.__suppress_context__ or err.value.__cause__ is None  # no chained traceback
    assert re.search(case.match, msg), msg
    assert _sha(path) == before  # and never touched it


@pytest.mark.parametrize("case", WARNS, ids=[c.id for c in WARNS])
def test_readable_but_odd_file_loads_with_one_warning_line(tmp_path, case: Case):
    path = case.write(tmp_path)
    with bounded(BOUND), pytest.warns(ym.YouthmediaWarning, match=case.match) as caught:
        survey = ym.load(path)
    ours = [w for w in caught if issubclass(w.category, ym.YouthmediaWarning)]
    assert all("\n" not in str(w.message) and str(path) in str(w.message) for w in ours)
    assert survey.n > 0


def test_short_row_reads_as_missing_not_as_shifted_values(tmp_path):
    """``4;5`` under ``a;b;c``: a=4, b=5, c missing — the other rows keep their numbers."""
    (case,) = [c for c in WARNS if c.id == "ragged-short.csv"]
    with pytest.warns(ym.YouthmediaWarning):
        s = ym.load(case.write(tmp_path))
    assert s.data["a"].tolist() == [1, 4, 6]
    assert s.data["b"].tolist() == [2, 5, 7]
    assert s.data["c"].iloc[[0, 2]].tolist() == [3, 8] and np.isnan(s.data["c"].iloc[1])


def test_corpus_covers_what_the_issue_lists():
    ids = {c.id for c in CASES}
    for needed in (
        "zero-byte.sav",
        "truncated-half.sav",
        "flipped-dictionary.sav",
        "flipped-data.sav",
        "csv-named-sav",
        "sav-named-csv",
        "png-named-sav",
        "binary-junk.csv",
        "mixed-delimiters.csv",
        "ragged-long.csv",
        "undecodable.csv",
        "duplicate-header.csv",
        "header-100000-columns.csv",
    ):
        assert needed in ids


@pytest.mark.parametrize("case", ERRORS, ids=[c.id for c in ERRORS])
def test_cli_describe_exits_2_with_one_line(tmp_path, capsys, case: Case):
    path = case.write(tmp_path)
    with bounded(BOUND):
        status = main(["describe", str(path)])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith(f"youthmedia: error: {path}: "), err
    assert "Traceback" not in err


@pytest.mark.parametrize("case", WARNS, ids=[c.id for c in WARNS])
def test_cli_describe_prints_warnings_as_one_line_each(tmp_path, capsys, case: Case):
    path = case.write(tmp_path)
    assert main(["describe", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out
    lines = err.splitlines()
    assert lines and all(line.startswith("youthmedia: warning: ") for line in lines)


@pytest.mark.parametrize(
    "case_id",
    ["png-named-sav", "ncases-1e9.sav", "header-100000-columns.csv", "flipped-dictionary.sav"],
)
def test_the_real_command_has_no_traceback(tmp_path, case_id):
    """The installed entry point in a fresh process: status 2, one stderr line."""
    (case,) = [c for c in CASES if c.id == case_id]
    path = case.write(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "youthmedia", "describe", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 2, proc.stderr
    assert proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("youthmedia: error: ")


# -- bad data in good files --------------------------------------------------------------------
def _survey_file(tmp_path, weight: list[str], y: list[str] | None = None):
    """A CSV with five respondents: groep a (4) and b (1), a 0/1 item, a number, a weight."""
    y = y or ["1", "1", "0", "0", "1"]
    rows = ["id;groep;y;uren;leeg;w"]
    hours = ["2", "4", "6", "8", "3"]
    for i in range(5):
        rows.append(f"{i + 1};{'a' if i < 4 else 'b'};{y[i]};{hours[i]};;{weight[i]}")
    path = tmp_path / "enquete.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path, ym.load(path)


@pytest.mark.parametrize(
    "weights, match",
    [
        (
            ["1", "-2", "1", "1", "1"],
            r"weight variable 'w' in .*enquete\.csv has 1 negative value\(s\) "
            r"\(e\.g\. -2 in row 1\)",
        ),
        (
            ["0", "0", "0", "0", "0"],
            r"weight variable 'w' in .*enquete\.csv is 0 or missing for every "
            r"respondent",
        ),
        (
            ["", "", "", "", ""],
            r"weight variable 'w' in .*enquete\.csv is 0 or missing for every "
            r"respondent",
        ),
        (
            ["1", "x", "1", "1", "1"],
            r"weight variable 'w' in .*enquete\.csv is not numeric "
            r"\(e\.g\. 'x' in row 1\)",
        ),
    ],
)
def test_bad_weights_are_refused_when_the_design_is_declared(tmp_path, weights, match):
    _, s = _survey_file(tmp_path, weights)
    with pytest.raises(ym.DataError, match=match) as err:
        s.with_design(weight="w")
    assert "\n" not in str(err.value)


def test_a_missing_weight_is_refused_when_that_respondent_is_used(tmp_path):
    _, s = _survey_file(tmp_path, ["1", "", "1", "1", "1"])
    s = s.with_design(weight="w")
    with pytest.raises(
        ym.DataError,
        match=r"weight 'w' is missing for 1 respondent\(s\) in use "
        r"\(e\.g\. row 1\)",
    ):
        ym.share(s, "y")


def test_respondents_who_answered_all_weigh_zero(tmp_path):
    """Only the zero-weight respondents answered y: not 'nobody answered' but why."""
    _, s = _survey_file(tmp_path, ["0", "0", "1", "1", "1"], y=["1", "0", "", "", ""])
    with pytest.raises(
        ym.DataError,
        match=r"No respondents with a weight above 0 \(weight 'w'\) "
        r"answered y",
    ):
        ym.share(s.with_design(weight="w"), "y")


def test_variable_with_only_missing_values(tmp_path):
    path, s = _survey_file(tmp_path, ["1"] * 5)
    s = s.with_design(weight="w")
    for estimator in (ym.share, ym.mean):
        with pytest.raises(ym.DataError, match=rf"Variable 'leeg' has no answers in {path}"):
            estimator(s, "leeg")
    with pytest.raises(
        ym.DataError, match=r"by-variable 'leeg' has no values in .* \(all missing\)"
    ):
        ym.share(s, "y", by="leeg")
    with pytest.raises(ym.YouthmediaError):
        ym.crosstab(s, "y", "leeg")


CI_METHODS = ["logit", "likelihood", "beta", "xlogit", "asin", "mean", "wilson"]


@pytest.mark.parametrize("ci", CI_METHODS)
def test_group_with_one_respondent_every_interval_method(tmp_path, ci):
    """groep b holds one respondent (y = 1), groep a four (y = 1, 1, 0, 0), all weights 1.

    By hand: share a = 2/4 = 0.5; its Taylor SE as a domain of the whole sample (n = 5, R's
    svyby): z_i = (y_i - 0.5)/4 = ±0.125 in a, 0 in b, Σz = 0, so
    v = 5/4 · 4 · 0.125² = 0.078125, se = 0.2795085. Share b = 1/1 = 1 with se 0; an interval
    has nothing to go on there, so every method gives Clopper–Pearson on n_eff = 1 with x = 1:
    [Beta⁻¹(0.025; 1, 1), 1] = [0.025, 1].
    """
    _, s = _survey_file(tmp_path, ["1"] * 5)
    with bounded(BOUND), warnings.catch_warnings(), privacy.thresholds(min_n=1, indicative_n=1):
        warnings.simplefilter("error", RuntimeWarning)  # no 0/0 or log(0) on the way
        r = ym.share(s.with_design(weight="w"), "y", by="groep", ci=ci)
    a = r[r["groep"] == "a"].iloc[0]
    b = r[r["groep"] == "b"].iloc[0]
    assert a["estimate"] == pytest.approx(0.5) and a["n"] == 4
    assert a["se"] == pytest.approx(0.2795085, rel=1e-6)
    assert b["estimate"] == 1.0 and b["n"] == 1 and b["se"] == 0
    assert b["ci_low"] == pytest.approx(0.025) and b["ci_high"] == 1.0
    for row in (a, b):
        assert 0 <= row["ci_low"] <= row["estimate"] <= row["ci_high"] <= 1


def test_group_with_one_respondent_mean_and_suppression(tmp_path):
    """Mean hours in b = 3 (one respondent, se 0); in a (2+4+6+8)/4 = 5. With the default
    thresholds (n < 10 hidden) neither number is shown: b is suppressed for its size."""
    _, s = _survey_file(tmp_path, ["1"] * 5)
    s = s.with_design(weight="w")
    with privacy.thresholds(min_n=1, indicative_n=1):
        r = ym.mean(s, "uren", by="groep")
    b = r[r["groep"] == "b"].iloc[0]
    assert r[r["groep"] == "a"]["estimate"].iloc[0] == pytest.approx(5.0)
    assert b["estimate"] == 3.0 and b["se"] == 0 and b["n"] == 1
    for shown in (ym.mean(s, "uren", by="groep"), ym.share(s, "y", by="groep")):
        sb = shown[shown["groep"] == "b"].iloc[0]
        assert sb["suppressed"] and "small_n" in sb["reason"] and np.isnan(sb["estimate"])


def test_group_with_one_respondent_crosstab_and_test(tmp_path):
    """A 2 × 2 table with a one-respondent column still gives a finite test or a clear error."""
    _, s = _survey_file(tmp_path, ["1"] * 5)
    s = s.with_design(weight="w")
    with warnings.catch_warnings(), privacy.thresholds(min_n=1, indicative_n=1):
        warnings.simplefilter("error", RuntimeWarning)
        try:
            t = ym.chisq(s, "y", "groep")
        except ym.YouthmediaError as exc:
            assert "\n" not in str(exc)
        else:
            assert np.isfinite(t.statistic) and 0 <= t.p <= 1


def test_zero_byte_sidecar_and_unreadable_file(tmp_path):
    """A codebook sidecar that is empty, and a data file without read permission."""
    import os

    path, _ = _survey_file(tmp_path, ["1"] * 5)
    side = tmp_path / "enquete.codebook.yaml"
    side.write_bytes(b"")
    try:
        ym.load(path)  # an empty sidecar adds nothing; loading it is fine
    except ym.DataError as exc:
        assert str(side) in str(exc) and "\n" not in str(exc)
    side.write_bytes(b"variables: [\x00\xff")
    with pytest.raises(ym.DataError) as err:
        ym.load(path)
    assert str(side) in str(err.value) and "\n" not in str(err.value)
    side.unlink()
    if os.geteuid() != 0:  # root reads everything
        path.chmod(0)
        try:
            with pytest.raises(ym.DataError, match=r"cannot be read \(Permission denied\)"):
                ym.load(path)
        finally:
            path.chmod(0o644)


@pytest.mark.parametrize("command", ["tables", "slides"])
@pytest.mark.parametrize(
    "weights, declared, match",
    [
        (["1", "-2", "1", "1", "1"], False, r"'w' in .*enquete\.csv has 1 negative value\(s\)"),
        (["0", "0", "0", "0", "0"], True, r"'w' in .*enquete\.sav is 0 or missing for every"),
    ],
    ids=["negative-weight-csv", "all-zero-declared-weight-sav"],
)
def test_cli_outputs_refuse_bad_weights_in_one_line_and_write_nothing(
    tmp_path, capsys, command, weights, declared, match
):
    """``youthmedia tables/slides``: the weight given with --weight, or the one an SPSS file
    declares (WEIGHT BY), is checked before anything is written."""
    path, s = _survey_file(tmp_path, weights)
    args = ["--weight", "w"]
    if declared:
        from conftest import load_tool

        write_sav = load_tool("spss_write").write_sav

        path = tmp_path / "enquete.sav"
        write_sav(
            s.data.drop(columns=["leeg"]).assign(groep=lambda d: d.groep.map({"a": 1.0, "b": 2.0})),
            path,
            weight="w",
        )
        args = []
    out = tmp_path / "uit" / f"resultaat.{'xlsx' if command == 'tables' else 'pptx'}"
    status = main([command, str(path), "--out", str(out), *args])
    _, err = capsys.readouterr()
    assert status == 2
    assert err.count("\n") == 1 and re.search(match, err), err
    assert not out.exists()


def test_header_only_file_loads_empty_and_says_so_when_used(tmp_path, capsys):
    """A Forms export before anyone answered: it loads (0 respondents, described as such);
    declaring a design or estimating on it is one clear line, not an empty-array ValueError."""
    path = tmp_path / "leeg_formulier.csv"
    path.write_text("id;w;school;y\n", encoding="utf-8")
    s = ym.load(path)
    assert s.n == 0 and s.columns == ["id", "w", "school", "y"]
    assert main(["describe", str(path)]) == 0
    assert "0 respondenten" in capsys.readouterr().out
    for design in (
        {"weight": "w", "cluster": "school"},
        {"weight": "w", "strata": "school"},
        {"weight": "w"},
    ):
        with pytest.raises(
            ym.DataError,
            match=rf"{re.escape(str(path))} has no respondents "
            r"\(0 rows\)",
        ):
            s.with_design(**design)
    with pytest.raises(
        ym.DataError,
        match=r"has no respondents \(0 rows\), so there is "
        r"nothing to estimate",
    ):
        ym.share(s, "y")
