"""`youthmedia describe` through cli.main, for every format."""

from __future__ import annotations

import json

import pandas as pd
import pyreadstat
import pytest
from conftest import load_tool
from openpyxl import Workbook

from youthmedia.cli import main

write_sav = load_tool("spss_write").write_sav


def _files(tmp_path):
    df = pd.DataFrame({"leeftijd": [13.0, 14.0, 15.0], "geslacht": [1.0, 2.0, 1.0]})
    labels = {"geslacht": {1: "jongen", 2: "meisje"}}
    files = {}
    files["sav"] = write_sav(df, tmp_path / "k.sav", variable_value_labels=labels)
    files["zsav"] = write_sav(df, tmp_path / "k.zsav", variable_value_labels=labels, compress=True)
    pyreadstat.write_por(df, str(tmp_path / "k.por"))
    files["por"] = tmp_path / "k.por"
    pyreadstat.write_dta(df, str(tmp_path / "k.dta"), variable_value_labels=labels)
    files["dta"] = tmp_path / "k.dta"
    files["csv"] = tmp_path / "k.csv"
    files["csv"].write_bytes("leeftijd;geslacht;cijfer\r\n13;1;7,5\r\n14;2;8\r\n".encode("cp1252"))
    wb = Workbook()
    wb.active.append(["leeftijd", "geslacht"])
    wb.active.append([13, "jongen"])
    wb.save(tmp_path / "k.xlsx")
    files["xlsx"] = tmp_path / "k.xlsx"
    files["forms"] = tmp_path / "forms.csv"
    files["forms"].write_text(
        'Tijdstempel,Welke apps?\n15-4-2024 10:00:00,"WhatsApp, TikTok"\n'
        '15-4-2024 10:05:00,TikTok\n15-4-2024 10:09:00,"WhatsApp, TikTok"\n',
        encoding="utf-8",
    )
    return files


@pytest.mark.parametrize("kind", ["sav", "zsav", "por", "dta", "csv", "xlsx", "forms"])
def test_describe_every_format(tmp_path, capsys, kind):
    path = _files(tmp_path)[kind]
    assert main(["describe", str(path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("k — " if kind != "forms" else "forms — ")
    assert "leeftijd" in out.lower() or "welke_apps" in out
    assert max(len(line) for line in out.splitlines()) <= 100
    if kind in ("sav", "zsav", "dta"):
        assert "1 = jongen · 2 = meisje" in out
    if kind == "forms":
        assert "timestamp" in out and "welke_apps_whatsapp" in out


def test_describe_json_columns_and_english(tmp_path, capsys):
    path = _files(tmp_path)["sav"]
    assert (
        main(["describe", str(path), "--format", "json", "--columns", "geslacht", "--lang", "en"])
        == 0
    )
    info = json.loads(capsys.readouterr().out)
    assert [v["name"] for v in info["variables"]] == ["geslacht"]


@pytest.mark.parametrize("fmt", ["markdown", "csv"])
def test_describe_other_formats(tmp_path, capsys, fmt):
    assert main(["describe", str(_files(tmp_path)["csv"]), "--format", fmt]) == 0
    assert "cijfer" in capsys.readouterr().out


def test_errors_are_one_line_with_status_2(tmp_path, capsys):
    assert main(["describe", str(tmp_path / "nope.sav")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("youthmedia: error: ") and "nope.sav: file not found" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    path = _files(tmp_path)["sav"]
    assert main(["describe", str(path), "--columns", "nosuch"]) == 2
    assert "'nosuch'" in capsys.readouterr().err


def test_warnings_are_one_line(testdata, capsys, tmp_path):
    assert main(["describe", str(testdata / "haven" / "datetime.sav")]) == 0
    err = capsys.readouterr().err
    assert err.startswith("youthmedia: warning: ") and "'date.posix'" in err
    # every command: one line per warning, never Python's "file:line: Warning" with source
    main(["tables", str(testdata / "haven" / "datetime.sav"), "--out", str(tmp_path / "t.xlsx")])
    err = capsys.readouterr().err
    assert "'date.posix'" in err and all(x.startswith("youthmedia: ") for x in err.splitlines())
