"""The SPSS writer: multiple-response sets and the weight survive a plain pyreadstat read."""

from __future__ import annotations

import struct

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from conftest import load_tool

from youthmedia.codebook import MRSet
from youthmedia.errors import ConfigError, DataError
from youthmedia.io.savdict import parse_dictionary

write_sav = load_tool("spss_write").write_sav


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "respondent": [1.0, 2.0, 3.0, 4.0],
            "use_whatsapp": [1.0, 0.0, 1.0, 1.0],
            "use_instagram": [0.0, 1.0, 1.0, np.nan],
            "comment": ["ok", "", "x" * 600, "fijn"],  # a very long string spans 3 segments
            "fav_1": ["wa", "ig", "tt", ""],
            "fav_2": ["ig", "", "wa", ""],
            "weight_final": [0.5, 1.5, 1.0, 1.0],
        }
    )


SETS = {
    "platforms": MRSet(
        "platforms", "Welke apps gebruik je?", "dichotomy", ["use_whatsapp", "use_instagram"], 1
    ),
    "favourites": MRSet("favourites", "Favoriete apps", "category", ["fav_1", "fav_2"]),
}


@pytest.mark.parametrize("compress", [False, True], ids=["sav", "zsav"])
def test_mr_sets_and_weight_read_back_by_plain_pyreadstat(tmp_path, compress):
    df = _frame()
    path = tmp_path / ("demo.zsav" if compress else "demo.sav")
    write_sav(
        df,
        path,
        mr_sets=SETS,
        weight="weight_final",
        compress=compress,
        column_labels={"use_whatsapp": "WhatsApp"},
        variable_value_labels={"use_whatsapp": {0: "nee", 1: "ja"}},
    )
    back, meta = pyreadstat.read_sav(str(path))
    assert meta.mr_sets["platforms"] == {
        "type": "D",
        "is_dichotomy": True,
        "counted_value": 1,
        "label": "Welke apps gebruik je?",
        "variable_list": ["use_whatsapp", "use_instagram"],
    }
    assert meta.mr_sets["favourites"]["type"] == "C"
    assert meta.mr_sets["favourites"]["variable_list"] == ["fav_1", "fav_2"]
    assert meta.column_names_to_labels["use_whatsapp"] == "WhatsApp"
    assert meta.variable_value_labels["use_whatsapp"] == {0.0: "nee", 1.0: "ja"}
    # the data are untouched by the patching
    pd.testing.assert_frame_equal(
        back[["respondent", "use_whatsapp", "weight_final"]],
        df[["respondent", "use_whatsapp", "weight_final"]],
    )
    assert back["comment"].tolist() == df["comment"].tolist()
    assert parse_dictionary(path).weight == "weight_final"
    # no temporary file left behind
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_without_sets_or_weight_the_file_is_plain(tmp_path):
    path = write_sav(pd.DataFrame({"x": [1.0, 2.0]}), tmp_path / "x.sav")
    assert parse_dictionary(path).weight is None
    assert pyreadstat.read_sav(str(path))[1].mr_sets == {}


def test_counted_value_other_than_one(tmp_path):
    df = pd.DataFrame({"a": [1.0, 2.0], "b": [2.0, 2.0]})
    path = write_sav(
        df, tmp_path / "c.sav", mr_sets={"ab": MRSet("ab", "", "dichotomy", ["a", "b"], 2)}
    )
    assert pyreadstat.read_sav(str(path))[1].mr_sets["ab"]["counted_value"] == 2


def test_very_long_string_segments_are_not_variables(tmp_path):
    path = write_sav(_frame(), tmp_path / "v.sav", weight="weight_final")
    names = [name for _i, _s, name in parse_dictionary(path).variables()]
    assert names == list(_frame().columns)


def test_bad_arguments(tmp_path):
    with pytest.raises(ConfigError, match="nosuch"):
        write_sav(
            _frame(),
            tmp_path / "a.sav",
            mr_sets={"s": MRSet("s", "", "dichotomy", ["use_whatsapp", "nosuch"])},
        )
    with pytest.raises(ConfigError, match="'comment' must be numeric"):
        write_sav(_frame(), tmp_path / "a.sav", weight="comment")
    with pytest.raises(ConfigError, match="'w'"):
        write_sav(_frame(), tmp_path / "a.sav", weight="w")
    assert list(tmp_path.iterdir()) == []


def _synthetic_dictionary(endian: str, weight_index: int) -> bytes:
    """Header + three variable records (numeric, A12 string + continuation, numeric) + 999,
    built by hand from the documented layout."""
    header = (
        b"$FL2"
        + b"@(#) hand-made".ljust(60)
        + struct.pack(f"{endian}5i", 2, 4, 0, weight_index, 2)
        + struct.pack(f"{endian}d", 100.0)
        + b"01 Jan 2401:02:03"
        + b"".ljust(64)
        + b"\0" * 3
    )
    assert len(header) == 176

    def var(width: int, name: bytes) -> bytes:
        return struct.pack(f"{endian}6i", 2, width, 0, 0, 0x050802, 0x050802) + name.ljust(8)

    body = var(0, b"AGE") + var(12, b"NAME") + var(-1, b"") + var(0, b"WGT")
    longnames = b"AGE=age\tNAME=name\tWGT=wgt_final"
    ext = struct.pack(f"{endian}4i", 7, 13, 1, len(longnames)) + longnames
    return header + body + ext + struct.pack(f"{endian}2i", 999, 0)


@pytest.mark.parametrize("endian", ["<", ">"], ids=["little-endian", "big-endian"])
def test_weight_reader_both_byte_orders(tmp_path, endian):
    path = tmp_path / "hand.sav"
    # dictionary index counts the continuation record: AGE=1, NAME=2, (cont)=3, WGT=4
    path.write_bytes(_synthetic_dictionary(endian, 4))
    assert parse_dictionary(path).weight == "wgt_final"
    path.write_bytes(_synthetic_dictionary(endian, 0))
    assert parse_dictionary(path).weight is None
    path.write_bytes(_synthetic_dictionary(endian, 3))  # points at a continuation: damaged
    with pytest.raises(DataError, match="hand.sav"):
        _ = parse_dictionary(path).weight


def test_weight_reader_on_truncated_and_foreign_files(tmp_path):
    full = _synthetic_dictionary("<", 4)
    cut = tmp_path / "cut.sav"
    cut.write_bytes(full[:200])
    with pytest.raises(DataError, match="cut.sav.*truncated"):
        parse_dictionary(cut)
    junk = tmp_path / "junk.sav"
    junk.write_bytes(b"PK\x03\x04 this is a zip")
    with pytest.raises(DataError, match="junk.sav.*not an SPSS"):
        parse_dictionary(junk)
