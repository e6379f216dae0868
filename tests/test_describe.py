"""describe.render: the codebook for the terminal, Markdown, CSV and JSON."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pytest
from conftest import load_tool

import youthmedia as ym
from youthmedia.codebook import MRSet
from youthmedia.describe import render

write_sav = load_tool("spss_write").write_sav


@pytest.fixture
def survey(tmp_path):
    # 8 respondents; gender 9 is user-missing (1 value), one system-missing -> 2 of 8 = 25,0%
    df = pd.DataFrame(
        {
            "gender": [1.0, 2.0, 1.0, 9.0, 2.0, np.nan, 1.0, 2.0],
            "use_whatsapp": [1.0, 1, 0, 1, 1, 0, 1, 1],
            "use_tiktok": [0.0, 1, 1, 0, 1, 0, 0, 1],
            "email": [
                "a@x.nl",
                "b@x.nl",
                "c@x.nl",
                "d@x.nl",
                "e@x.nl",
                "f@x.nl",
                "g@x.nl",
                "h@x.nl",
            ],
            "weight": [1.0, 0.5, 1.5, 1.0, 1.0, 1.0, 1.0, 1.0],
        }
    )
    path = tmp_path / "klas.sav"
    write_sav(
        df,
        path,
        column_labels={"gender": "Geslacht van de leerling | klas"},
        variable_value_labels={"gender": {1: "jongen", 2: "meisje", 9: "geen antwoord"}},
        missing_ranges={"gender": [9]},
        weight="weight",
        mr_sets={
            "apps": MRSet("apps", "Welke apps?", "dichotomy", ["use_whatsapp", "use_tiktok"], 1)
        },
    )
    return ym.load(
        path,
        codebook={
            "groups": {"media": ["use_whatsapp", "use_tiktok"]},
            "variables": {
                "gender": {
                    "translations": {"en": {"label": "Gender", "values": {1: "boy", 2: "girl"}}}
                }
            },
        },
    )


def test_text_fits_a_100_column_terminal(survey):
    out = render(survey, fmt="text", lang="nl")
    assert max(len(line) for line in out.splitlines()) <= 100
    assert out.splitlines()[0] == "klas — 8 respondenten × 5 variabelen"
    assert "25,0%" in out  # gender: 2 of 8 missing
    assert "1 = jongen · 2 = meisje · 9 = geen antwoord" in out
    assert "ontbrekend-codes: 9 (1)" in out
    assert "Weegvariabele: weight" in out
    assert "apps (dichotoom, telt 1): Welke apps?" in out
    assert "media: use_whatsapp, use_tiktok" in out
    assert "email — e-mailadres (inhoud)" in out  # Dutch only
    assert "rol: keuzevraag · uitsplitsing: geslacht" in out
    assert "None" not in out and "declared" not in out


def test_english(survey):
    out = render(survey, lang="en")
    assert "Gender" in out and "1 = boy · 2 = girl" in out and "25.0%" in out
    assert "Identifying columns" in out


def test_markdown_csv_json(survey):
    md = render(survey, fmt="markdown")
    rows = [line for line in md.splitlines() if line.startswith("| `")]
    assert len(rows) == 5
    assert "Geslacht van de leerling \\| klas" in md  # a pipe in a label does not break the table
    frame = pd.read_csv(io.StringIO(render(survey, fmt="csv")))
    assert frame["name"].tolist() == survey.columns
    assert frame.set_index("name").loc["gender", "pct_missing"] == 25.0
    assert frame.set_index("name").loc["weight", "weight"]
    info = json.loads(render(survey, fmt="json", lang="en"))
    assert info["n_rows"] == 8 and info["weight"] == "weight"
    gender = next(v for v in info["variables"] if v["name"] == "gender")
    assert gender["value_labels"][0] == [1, "boy"] and gender["missing_counts"] == {"9": 1}
    assert info["mr_sets"][0]["variables"] == ["use_whatsapp", "use_tiktok"]
    assert info["identifying"] == [{"name": "email", "reason": "e-mail address (content)"}]


def test_unknown_format(survey):
    with pytest.raises(ym.ConfigError, match="'html'"):
        render(survey, fmt="html")


def test_many_value_labels_are_shortened(tmp_path):
    labels = {i: f"antwoord nummer {i}" for i in range(1, 31)}
    path = tmp_path / "veel.sav"
    write_sav(
        pd.DataFrame({"q": [float(i) for i in range(1, 31)]}),
        path,
        variable_value_labels={"q": labels},
    )
    out = render(ym.load(path), lang="en")
    assert "… (30 in all)" in out and "antwoord nummer 30" not in out
    assert max(len(line) for line in out.splitlines()) <= 100
