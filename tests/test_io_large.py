"""The fast path of load(): SPSS files read by polars-readstat (user-missing codes put back from
its indicators) must give exactly what pyreadstat alone gives."""

from __future__ import annotations

import hashlib
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest

import youthmedia as ym
from youthmedia.io import spss

SPSS_FILES = [
    "pyreadstat/sample.sav",
    "pyreadstat/sample.zsav",
    "pyreadstat/sample_large.sav",
    "pyreadstat/sample_missing.sav",
    "pyreadstat/simple_alltypes.sav",
    "pyreadstat/missing_char.sav",
    "haven/datetime.sav",
    "haven/labelled-str.sav",
    "onharassment/onharassment.sav",
]


def _load(path, **kw):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        s = ym.load(path, **kw)
    return s, [str(w.message) for w in caught]


def _same(a, b):
    (sa, wa), (sb, wb) = a, b
    pd.testing.assert_frame_equal(sa.data, sb.data, check_exact=True)
    pd.testing.assert_frame_equal(sa.codebook.to_frame(), sb.codebook.to_frame())
    assert sa.source.sha256 == sb.source.sha256
    assert sa.source.options == sb.source.options
    assert sa.codebook.weight == sb.codebook.weight
    assert wa == wb


def _slow(monkeypatch):
    monkeypatch.setattr(spss, "_polars", lambda *_: None)


def test_fast_read_of_a_file_with_user_missing_codes(tmp_path, monkeypatch):
    """1,001 rows: labels, missing counts and text as pyreadstat alone reads them."""
    n = 1001
    rng = np.random.default_rng(1)
    df = pd.DataFrame(
        {
            "g": rng.integers(1, 4, n).astype(float),
            "y": rng.random(n),
            "t": [f"tekst {i}" for i in range(n)],
            "w": rng.random(n) + 0.5,
        }
    )
    df.loc[::7, "g"] = 9.0
    path = tmp_path / "groot.sav"
    pyreadstat.write_sav(
        df,
        str(path),
        variable_value_labels={"g": {1: "a", 2: "b", 3: "c", 9: "weet niet"}},
        missing_ranges={"g": [9]},
        row_compress=True,
    )
    parts = _load(path)
    _slow(monkeypatch)
    _same(_load(path), parts)
    # 143 rows hold the user-missing code 9 (rows 0, 7, ..., 994): counted once, made NaN
    assert parts[0].codebook["g"].missing_counts == {"9": 143}
    assert parts[0].data["g"].isna().sum() == 143
    assert parts[0].data["t"].tolist() == df["t"].tolist()


def test_the_source_digest_is_the_files_sha256(testdata):
    path = testdata / "onharassment" / "onharassment.sav"
    assert ym.load(path).source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_load_has_no_cache_option(tmp_path):
    with pytest.raises(ym.ConfigError, match="cache"):
        ym.load(
            Path(__file__).resolve().parents[1] / "data" / "youth_social_media_demo.sav",
            cache=tmp_path,
        )


def test_fast_read_of_a_truncated_file(tmp_path, monkeypatch):
    """A compressed file cut to 70 %: its header promises 1,001 cases. Both readers stop with
    the same one-line DataError."""
    n = 1001
    rng = np.random.default_rng(2)
    df = pd.DataFrame({"y": rng.random(n), "z": rng.random(n)})
    path = tmp_path / "kort.sav"
    pyreadstat.write_sav(df, str(path), row_compress=True)
    raw = path.read_bytes()
    path.write_bytes(raw[: int(len(raw) * 0.7)])
    with pytest.raises(ym.DataError) as one:
        ym.load(path)
    _slow(monkeypatch)
    with pytest.raises(ym.DataError) as workers:
        ym.load(path)
    assert "truncated" in str(workers.value) and "\n" not in str(workers.value)
    assert str(one.value).split(":")[0] == str(workers.value).split(":")[0]


@pytest.mark.parametrize(
    "name",
    SPSS_FILES + ["yrbs/yrbs2019.sav", "pyreadstat/missing_test.sav", "haven/labelled-num-na.sav"],
)
def test_polars_readstat_columns_equal_pyreadstat(testdata, monkeypatch, name):
    """Columns other than dates come from polars-readstat: the Survey is the one pyreadstat
    alone gives (data, codebook, warnings), for all columns and for a few."""
    path = testdata / name
    fast = _load(path)
    first = list(fast[0].data.columns[:2])
    fast_first = _load(path, columns=first)
    _slow(monkeypatch)
    _same(fast, _load(path))
    _same(fast_first, _load(path, columns=first))
