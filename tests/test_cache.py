"""The Parquet load cache: same Survey as load(), invalidated when the file or options change."""

from __future__ import annotations

import shutil
import warnings

import numpy as np
import pandas as pd
import pyreadstat
import pytest

import youthmedia as ym
from youthmedia import cache
from youthmedia.cache import cache_key, cache_location, cached_load, clear_cache

pytest.importorskip("pyarrow", reason="the Parquet cache needs pyarrow")


def _write(path, ages=(14.0, 15.0, 16.0, 99.0), date_value=13_000_000_000.0):
    """A tiny .sav: a labelled variable with a user-missing code, a number, a date, a weight."""
    df = pd.DataFrame({
        "gender": [1.0, 2.0, 2.0, 9.0],
        "age": list(ages),
        "born": [date_value, 13_100_000_000.0, np.nan, 13_200_000_000.0],
        "w": [1.0, 2.0, 1.5, 0.5],
    })
    pyreadstat.write_sav(
        df, str(path), column_labels={"gender": "Gender", "age": "Age"},
        variable_value_labels={"gender": {1: "boy", 2: "girl", 9: "no answer"}},
        missing_ranges={"gender": [9], "age": [99]},
        variable_format={"born": "EDATE10"},
    )
    return path


@pytest.fixture
def sav(tmp_path):
    return _write(tmp_path / "klas.sav")


@pytest.fixture
def store(tmp_path):
    return tmp_path / "cache"


def _no_load(monkeypatch):
    """Make a real load fail, so a result must come from the cache."""
    import youthmedia.io as io

    def boom(*a, **k):
        raise AssertionError("the file was read again instead of the cache")

    monkeypatch.setattr(io, "load", boom)


def test_a_cache_hit_gives_the_same_survey_as_load(sav, store, monkeypatch):
    plain = ym.load(sav)
    first = cached_load(sav, cache_dir=store)
    assert len(list(store.glob("*.parquet"))) == 1 and len(list(store.glob("*.json"))) == 1
    _no_load(monkeypatch)
    again = cached_load(sav, cache_dir=store)
    for s in (first, again):
        pd.testing.assert_frame_equal(s.data, plain.data)
        assert s.codebook == plain.codebook
        assert s.source == plain.source
    # the values written above: user-missing 9 and 99 are missing, labels kept
    assert again.data["gender"].tolist()[:3] == ["boy", "girl", "girl"]
    assert pd.isna(again.data["gender"].iloc[3]) and pd.isna(again.data["age"].iloc[3])
    assert isinstance(again.data["gender"].dtype, pd.CategoricalDtype)
    assert again.data["gender"].cat.ordered
    assert again.codebook["gender"].missing_values == [9]
    assert again.codebook["gender"].value_labels == {1: "boy", 2: "girl", 9: "no answer"}
    assert again.codebook["age"].label == "Age"


def test_a_changed_file_is_read_again(sav, store):
    before = cached_load(sav, cache_dir=store)
    assert before.data["age"].tolist()[:3] == [14.0, 15.0, 16.0]
    _write(sav, ages=(12.0, 13.0, 17.0, 99.0))
    after = cached_load(sav, cache_dir=store)
    assert after.data["age"].tolist()[:3] == [12.0, 13.0, 17.0]
    assert after.source.sha256 != before.source.sha256
    assert len(list(store.glob("*.parquet"))) == 2


def test_options_and_the_sidecar_are_part_of_the_key(sav, store):
    k_all = cache_key(sav, cache=store)
    assert cache_key(sav, cache=store, columns=["age"]) != k_all
    assert cache_key(sav, cache=store, columns=["age", "gender"]) != \
        cache_key(sav, cache=store, columns=["gender", "age"])
    assert cached_load(sav, cache_dir=store, columns=["age"]).columns == ["age"]
    side = sav.with_name("klas.codebook.yaml")
    side.write_text("variables:\n  age:\n    label: Leeftijd\n", encoding="utf-8")
    k_side = cache_key(sav, cache=store)
    assert k_side != k_all
    assert cached_load(sav, cache_dir=store).codebook["age"].label == "Leeftijd"
    side.write_text("variables:\n  age:\n    label: Leeftijd in jaren\n", encoding="utf-8")
    assert cache_key(sav, cache=store) != k_side
    assert cached_load(sav, cache_dir=store).codebook["age"].label == "Leeftijd in jaren"
    assert cache_key(sav, cache=store, codebook=False) == k_all
    # options given as load()'s defaults are the same load
    assert cache_key(sav, cache=store, columns=None, encoding=None, sheet=None) == \
        cache_key(sav, cache=store)


def test_a_copy_elsewhere_hits_the_cache_under_its_own_path(sav, store, tmp_path, monkeypatch):
    cached_load(sav, cache_dir=store)
    copy = tmp_path / "elsewhere" / "kopie.sav"
    copy.parent.mkdir()
    shutil.copyfile(sav, copy)
    _no_load(monkeypatch)
    s = cached_load(copy, cache_dir=store)
    assert s.source.path == str(copy)


def test_warnings_of_the_load_are_given_again_on_a_hit(tmp_path, store):
    path = _write(tmp_path / "dates.sav", date_value=1e15)   # far beyond the year 9999
    with pytest.warns(ym.YouthmediaWarning, match="born"):
        first = cached_load(path, cache_dir=store)
    with pytest.warns(ym.YouthmediaWarning, match="born"):
        again = cached_load(path, cache_dir=store)
    assert pd.isna(first.data["born"].iloc[0]) and pd.isna(again.data["born"].iloc[0])
    # 13,000,000,000 s after 1582-10-14 is 1994-09-29 (SPSS's epoch)
    assert again.data["born"].iloc[1] > pd.Timestamp("1990-01-01")


def test_a_damaged_entry_is_dropped_and_the_file_read_again(sav, store):
    cached_load(sav, cache_dir=store)
    entry = next(store.glob("*.parquet"))
    entry.write_bytes(b"not parquet at all")
    with pytest.warns(ym.YouthmediaWarning, match="could not be read"):
        s = cached_load(sav, cache_dir=store)
    assert s.data["age"].tolist()[:3] == [14.0, 15.0, 16.0]
    assert entry.stat().st_size > 100            # written again


def test_without_pyarrow_it_loads_uncached_and_says_so_once(sav, store, monkeypatch):
    monkeypatch.setattr(cache, "have_pyarrow", lambda: False)
    monkeypatch.setattr(cache, "_warned_no_pyarrow", False)
    with pytest.warns(ym.YouthmediaWarning, match="pip install pyarrow"):
        s = cached_load(sav, cache_dir=store)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cached_load(sav, cache_dir=store)
    assert s.data["age"].tolist()[:3] == [14.0, 15.0, 16.0]
    assert not store.exists()


def test_the_location_follows_the_environment_and_clear_cache_empties_it(sav, tmp_path,
                                                                         monkeypatch):
    monkeypatch.setenv("YOUTHMEDIA_CACHE", str(tmp_path / "env-cache"))
    assert cache_location() == tmp_path / "env-cache"
    cached_load(sav)
    cached_load(sav, columns=["gender"])
    assert clear_cache() == 2
    assert not list((tmp_path / "env-cache").glob("*.parquet"))


def test_a_missing_file_is_a_data_error(tmp_path, store):
    with pytest.raises(ym.DataError):
        cached_load(tmp_path / "missing.sav", cache_dir=store)
