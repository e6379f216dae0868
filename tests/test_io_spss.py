"""SPSS and Stata files written here (pyreadstat + our writer), read back through load()."""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile

import numpy as np
import pandas as pd
import pyreadstat
import pytest
import yaml
from conftest import load_tool

import youthmedia as ym
from youthmedia.codebook import MRSet

write_sav = load_tool("spss_write").write_sav

# 10 respondents. gender: 1 jongen ×4, 2 meisje ×3, 3 anders ×0 (nobody), 9 = no answer ×1,
# 98/99 = "weet niet"/"geen antwoord" ×2 (one each). ladder 0–10 with labels at 0 and 10 only.
GENDER = [1, 2, 1, 2, 1, 9, 98, 2, 99, 1]
LADDER = [0, 3, 5, 10, 7, 7, 2, 8, 9, 6]
FREQ = [1, 2, 3, 3, 2, 1, 1, 2, 3, 3]
WA = [1, 1, 0, 1, 1, 1, 0, 1, 1, 1]
IG = [0, 1, 1, 0, 1, 0, 0, 1, 1, 0]
W = [0.5, 1.5, 1.0, 1.0, 2.0, 0.5, 1.0, 1.0, 0.75, 0.75]


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "resp": np.arange(1.0, 11.0),
            "gender": np.array(GENDER, float),
            "ladder": np.array(LADDER, float),
            "freq": np.array(FREQ, float),
            "use_whatsapp": np.array(WA, float),
            "use_instagram": np.array(IG, float),
            "school": ["A", "B", "A", "C", "B", "A", "X", "C", "B", "A"],
            "weight": W,
        }
    )


def _write(path, **extra):
    kwargs = dict(
        column_labels={
            "gender": "Geslacht",
            "ladder": "Tevredenheid (0–10)",
            "freq": "Hoe vaak online?",
            "use_whatsapp": "WhatsApp",
            "use_instagram": "Instagram",
            "weight": "Weegfactor",
        },
        variable_value_labels={
            "gender": {
                1: "jongen",
                2: "meisje",
                3: "anders",
                9: "geen antwoord",
                98: "weet niet",
                99: "weigert",
            },
            "ladder": {0: "helemaal niet tevreden", 10: "helemaal tevreden"},
            # two codes share a label: made unique with their code
            "freq": {1: "soms", 2: "vaak", 3: "vaak"},
            "school": {"A": "Atheneum", "B": "Beroeps", "C": "College", "X": "anders"},
        },
        missing_ranges={"gender": [9, {"lo": 98, "hi": 99}]},
        variable_measure={"gender": "nominal", "ladder": "scale", "freq": "ordinal"},
        file_label="Klasonderzoek 2024",
        mr_sets={
            "platforms": MRSet(
                "platforms",
                "Welke apps gebruik je?",
                "dichotomy",
                ["use_whatsapp", "use_instagram"],
                1,
            )
        },
        weight="weight",
    )
    kwargs.update(extra)
    return write_sav(_frame(), path, **kwargs)


@pytest.fixture(params=["sav", "zsav"])
def spss_file(tmp_path, request):
    path = tmp_path / f"klas.{request.param}"
    _write(path, compress=request.param == "zsav")
    return path


def test_labels_missing_sets_weight(spss_file):
    before = hashlib.sha256(spss_file.read_bytes()).hexdigest()
    s = ym.load(spss_file)
    assert hashlib.sha256(spss_file.read_bytes()).hexdigest() == before == s.source.sha256
    g = s.data["gender"]
    # user-missing 9 and 98..99 are missing: 3 of 10
    assert g.isna().sum() == 3
    # categories in code order, including "anders" (3) that nobody chose, not the missing codes
    assert list(g.cat.categories) == ["jongen", "meisje", "anders"]
    assert g.value_counts().to_dict() == {"jongen": 4, "meisje": 3, "anders": 0}
    var = s.codebook["gender"]
    assert var.label == "Geslacht" and var.measure == "nominal"
    assert var.missing_values == [9] and var.missing_ranges == [(98, 99)]
    assert var.missing_counts == {"9": 1, "98..99": 2}
    # codes come back: 1,2 as in the file, NaN for missing
    codes = s.codes("gender")
    assert codes.tolist()[:5] == [1, 2, 1, 2, 1] and pd.isna(codes[5])
    # a 0–10 ladder with labelled end points stays numeric, labels in the codebook
    assert pd.api.types.is_float_dtype(s.data["ladder"])
    assert s.data["ladder"].sum() == sum(LADDER)
    assert s.codebook["ladder"].value_labels == {
        0: "helemaal niet tevreden",
        10: "helemaal tevreden",
    }
    # duplicate labels made unique; codes still recoverable
    assert list(s.data["freq"].cat.categories) == ["soms", "vaak (2)", "vaak (3)"]
    assert s.codes("freq").tolist() == FREQ
    # string codes with labels
    assert s.data["school"].tolist()[:2] == ["Atheneum", "Beroeps"]
    assert s.codes("school").tolist()[6] == "X"
    # MR set and weight from the file
    assert s.codebook.mr_sets["platforms"].variables == ["use_whatsapp", "use_instagram"]
    assert s.codebook.mr_sets["platforms"].label == "Welke apps gebruik je?"
    assert s.codebook["use_whatsapp"].group == "platforms"
    assert s.codebook.weight == "weight"
    assert s.codebook.file_label == "Klasonderzoek 2024"
    assert s.source.reader == "spss"


def test_columns_subset_keeps_what_fits(spss_file):
    s = ym.load(spss_file, columns=["use_instagram", "gender"])
    assert s.columns == ["use_instagram", "gender"]
    assert s.codebook.mr_sets == {}  # only half of the set was loaded
    assert s.codebook.weight is None and s.source.options["weight_not_loaded"] == "weight"
    assert s.codebook["gender"].missing_counts == {"9": 1, "98..99": 2}
    with pytest.raises(ym.ConfigError, match="'gendre'"):
        ym.load(spss_file, columns=["gendre"])


def test_sidecar_adds_translations_groups_and_dataset(tmp_path):
    path = _write(tmp_path / "demo.sav")
    (tmp_path / "demo.codebook.yaml").write_text(
        yaml.safe_dump(
            {
                "dataset": {"name": "Voorbeelddata", "year": "2024", "language": "nl"},
                "variables": {
                    "gender": {
                        "translations": {"en": {"label": "Gender", "values": {1: "boy", 2: "girl"}}}
                    },
                    "freq": {"label": "Hoe vaak ben je online?"},
                },
                "mr_sets": {
                    "platforms": {"translations": {"en": {"label": "Which apps do you use?"}}}
                },
                "groups": {"media": ["use_whatsapp", "use_instagram", "freq"]},
            },
            allow_unicode=True,
        ),
        encoding="utf-8",
    )
    s = ym.load(path)
    assert s.source.name == "Voorbeelddata" and s.source.year == "2024"
    assert s.codebook.label("gender", "en") == "Gender"
    assert s.codebook["gender"].value_labels_in("en")[1] == "boy"
    assert s.codebook["freq"].label == "Hoe vaak ben je online?"  # the sidecar wins
    assert s.codebook.mr_sets["platforms"].label_in("en") == "Which apps do you use?"
    assert s.codebook.mr_sets["platforms"].label == "Welke apps gebruik je?"  # kept from file
    assert s.codebook.groups["media"] == ["use_whatsapp", "use_instagram", "freq"]
    assert s.codebook.weight == "weight"
    assert s.source.options["codebook"].endswith("demo.codebook.yaml")
    # codebook=False ignores the sidecar
    assert ym.load(path, codebook=False).source.name is None


def test_sidecar_naming_a_missing_column(tmp_path):
    path = _write(tmp_path / "demo.sav")
    with pytest.raises(ym.DataError, match=r"codebook=.*'geslacht' is not a column of .*demo.sav"):
        ym.load(path, codebook={"variables": {"geslacht": {"label": "x"}}})
    with pytest.raises(ym.DataError, match="weight 'gewicht'"):
        ym.load(path, codebook={"weight": "gewicht"})


def test_value_labels_that_do_not_fit(tmp_path):
    path = _write(tmp_path / "demo.sav")
    with pytest.raises(ym.DataError, match="'ladder'.*text codes"):
        ym.load(path, codebook={"variables": {"ladder": {"values": {"laag": "low"}}}})


def test_truncated_and_wrong_files(tmp_path):
    good = _write(tmp_path / "good.sav")
    data = good.read_bytes()
    for cut in (150, 600, len(data) // 2, len(data) - 5):
        bad = tmp_path / f"cut{cut}.sav"
        bad.write_bytes(data[:cut])
        with pytest.raises(ym.DataError, match=f"cut{cut}.sav.*(truncated|damaged)") as err:
            ym.load(bad)
        assert "\n" not in str(err.value)
    z = tmp_path / "data.sav"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("data.sav", data)
    with pytest.raises(ym.DataError, match="data.sav.*ZIP archive.*unzip"):
        ym.load(z)
    renamed = tmp_path / "klas.csv"
    renamed.write_bytes(data)
    with pytest.raises(ym.DataError, match="klas.csv.*SPSS system file.*rename it to 'klas.sav'"):
        ym.load(renamed)


def test_undecodable_spss_text_with_wrong_encoding(tmp_path):
    path = tmp_path / "u.sav"
    pyreadstat.write_sav(pd.DataFrame({"naam": ["Zoë", "Daan"]}), str(path))
    with pytest.raises(ym.DataError, match="u.sav.*encoding"):
        ym.load(path, encoding="ascii")


def test_stata_file(tmp_path):
    path = tmp_path / "klas.dta"
    df = pd.DataFrame(
        {
            "gender": [1.0, 2.0, 1.0, np.nan],
            "age": [13.0, 14.0, 15.0, 14.0],
            "born": [dt.date(2010, 1, 31), dt.date(2009, 12, 1), dt.date(2011, 7, 4), None],
            "seen": pd.to_datetime(["2024-03-01 10:00", None, None, None]),
        }
    )
    pyreadstat.write_dta(
        df,
        str(path),
        column_labels={"gender": "Geslacht"},
        variable_value_labels={"gender": {1: "jongen", 2: "meisje"}},
        file_label="Stata-klas",
    )
    s = ym.load(path)
    assert s.source.reader == "stata"
    assert s.data["gender"].tolist()[:3] == ["jongen", "meisje", "jongen"]
    assert pd.isna(s.data["gender"][3])
    assert s.codebook["gender"].label == "Geslacht"
    assert s.codebook.file_label == "Stata-klas"
    assert s.codebook["born"].type == "date"
    assert s.data["born"][0] == pd.Timestamp("2010-01-31")
    assert s.codebook["seen"].type == "datetime"
    assert s.data["seen"][0] == pd.Timestamp("2024-03-01 10:00")
    assert ym.load(path, columns=["age"]).columns == ["age"]


def test_portable_file(tmp_path):
    path = tmp_path / "klas.por"
    pyreadstat.write_por(
        pd.DataFrame({"GENDER": [1.0, 2.0, 2.0]}), str(path), column_labels=["Geslacht"]
    )
    s = ym.load(path)
    assert s.data["GENDER"].tolist() == [1.0, 2.0, 2.0]
    assert s.codebook["GENDER"].label == "Geslacht"
    assert s.source.options["format"] == "por"
