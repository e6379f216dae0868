"""Every outside test file (../shared/testdata) loads, compared with independent readings."""

from __future__ import annotations

import datetime as dt
import hashlib
import warnings

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from conftest import TESTDATA

import youthmedia as ym

DATA_SUFFIXES = {".sav", ".zsav", ".por", ".csv"}
ALL_FILES = (
    sorted(
        p.relative_to(TESTDATA).as_posix() for p in TESTDATA.rglob("*") if p.suffix in DATA_SUFFIXES
    )
    if TESTDATA.is_dir()
    else []
)


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", ALL_FILES or ["(absent)"])
def test_every_file_loads_and_stays_unchanged(testdata, name):
    path = testdata / name
    before = _sha(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ym.YouthmediaWarning)
        s = ym.load(path)
    assert s.n > 0 and len(s.columns) > 0
    assert list(s.codebook.variables) == s.columns
    assert s.source.sha256 == before == _sha(path)


def test_the_folder_has_the_files_the_readme_promises(testdata):
    # README: sample .sav/.zsav/.por, haven's datetime.sav, onharassment.sav
    for name in (
        "pyreadstat/sample.sav",
        "pyreadstat/sample.zsav",
        "pyreadstat/sample.por",
        "haven/datetime.sav",
        "onharassment/onharassment.sav",
    ):
        assert name in ALL_FILES


def test_onharassment_real_survey(testdata):
    path = testdata / "onharassment" / "onharassment.sav"
    s = ym.load(path)
    assert s.n == 4174  # README: 4,174 students
    assert s.columns[:3] == ["sex", "age", "hours"]
    assert isinstance(s.data["age"].dtype, pd.CategoricalDtype)
    assert list(s.data["age"].cat.categories) == ["12-14", "15-17", "18-21"]
    # the labels stand for exactly the codes pyreadstat reads (an independent reading)
    raw, _meta = pyreadstat.read_sav(str(path))
    for var in ("sex", "age", "instagram", "rep_victim"):
        assert (
            s.codes(var).value_counts().sort_index().to_dict()
            == raw[var].value_counts().sort_index().to_dict()
        )
    assert s.codebook["sex"].label == "Sex"
    assert s.codebook.weight is None


def _expected(testdata, name: str) -> pd.DataFrame:
    return pd.read_csv(
        testdata / "pyreadstat" / name,
        na_values=["#NULL!"],
        keep_default_na=False,
        encoding="utf-8-sig",
    )


@pytest.mark.parametrize("name", ["sample.sav", "sample.zsav", "sample.por"])
def test_sample_matches_pyreadstats_expected_csv(testdata, name):
    s = ym.load(testdata / "pyreadstat" / name)
    data = s.data.rename(columns=str.lower)
    exp = _expected(testdata, "sample.csv")
    assert data["mychar"].tolist() == exp["mychar"].tolist()
    np.testing.assert_allclose(data["mynum"].to_numpy(float), exp["mynum"].to_numpy(float))
    assert (
        data["mydate"].dt.strftime("%Y-%m-%d").fillna("").tolist()
        == exp["mydate"].fillna("").tolist()
    )
    assert (
        data["dtime"].dt.strftime("%Y-%m-%dT%H:%M:%S.%f").fillna("").tolist()
        == exp["dtime"].fillna("").tolist()
    )
    # mytime holds time of day: 10:10:10 -> 36610 seconds
    secs = data["mytime"].dt.total_seconds().tolist()
    assert secs[:4] == [36610.0, 83410.0, 0.0, 58210.0] and np.isnan(secs[4])
    # labelled: codes 1/2 are Male/Female, the expected CSV holds the codes
    codes = s.codes("MYLABL" if name.endswith(".por") else "mylabl")
    assert codes.tolist() == exp["mylabl"].tolist()
    assert data["mylabl"].tolist() == ["Male", "Female", "Male", "Female", "Male"]
    assert list(data["myord"].cat.categories) == ["low", "medium", "high"]


def test_sample_missing_matches_expected_csv_and_counts_exclusions(testdata):
    s = ym.load(testdata / "pyreadstat" / "sample_missing.sav")
    exp = _expected(testdata, "sample_missing.csv")  # user-missing shown as #NULL!
    np.testing.assert_allclose(s.data["mynum"].to_numpy(float), exp["mynum"].to_numpy(float))
    assert s.codes("myord").tolist()[:5] == exp["myord"].tolist()[:5]
    assert s.data["myord"].isna().tolist() == exp["myord"].isna().tolist()
    # sample_missing_user.csv shows the codes: mynum -1 (row Z) and 2500 (in 2000..3000);
    # myord -1 (row Z) and -3 (last row), none with -2
    user = _expected(testdata, "sample_missing_user.csv")
    assert user["mynum"].tolist()[5:] == [-1.0, 2500.0]
    assert s.codebook["mynum"].missing_counts == {"-1": 1, "2000..3000": 1}
    assert s.codebook["myord"].missing_counts == {"-1": 1, "-2": 0, "-3": 1}
    # the user-missing code's label stays in the codebook but is no category
    assert s.codebook["myord"].value_labels[-1] == "missing"
    assert list(s.data["myord"].cat.categories) == ["low", "medium", "high"]


def test_missing_test_matches_unformatted_csv(testdata):
    s = ym.load(testdata / "pyreadstat" / "missing_test.sav")
    exp = _expected(testdata, "missing_sav_unformatted.csv")
    # 1 is labelled "missing" and user-missing; 2 is unlabelled, so var1 stays numeric
    np.testing.assert_array_equal(s.data["var1"].to_numpy(float), exp["var1"].to_numpy(float))
    assert s.codebook["var1"].missing_counts == {"1": 1}


def test_missing_char_string_user_missing(testdata):
    s = ym.load(testdata / "pyreadstat" / "missing_char.sav")
    # the file holds 'Z' (user-missing) and 'a' (labelled "labeled")
    assert s.data["mychar"].isna().tolist() == [True, False]
    assert s.data["mychar"].tolist()[1] == "labeled"
    assert s.codes("mychar").tolist()[1] == "a"
    assert s.codebook["mychar"].missing_counts == {"Z": 1}


def test_simple_alltypes_mr_sets_and_ranges(testdata):
    path = testdata / "pyreadstat" / "simple_alltypes.sav"
    s = ym.load(path)
    sets = s.codebook.mr_sets
    assert sets["mymrset"].kind == "dichotomy" and sets["mymrset"].counted_value == 1
    assert sets["mymrset"].variables == ["bool1", "bool2", "bool3"]
    assert sets["mymrset"].label == "My multiple response set"
    assert sets["categorical_array"].kind == "category"
    assert s.codebook["z"].missing_ranges == [(-999, 0)]
    assert s.codebook["z"].missing_values == [999]
    raw, _ = pyreadstat.read_sav(str(path), user_missing=True)
    z = raw["z"].to_numpy(float)
    in_range = int(((z >= -999) & (z <= 0)).sum())
    assert s.codebook["z"].missing_counts == {"999": int((z == 999).sum()), "-999..0": in_range}
    assert s.data["z"].notna().sum() == np.isfinite(z).sum() - in_range - (z == 999).sum()
    assert s.codebook["y"].type == "date" and s.codebook["str"].type == "string"
    assert s.codebook["quarter"].type == "date"  # QYR8 is a date format too


def test_out_of_range_date_is_missing_with_a_warning(testdata):
    path = testdata / "haven" / "datetime.sav"
    with pytest.raises(OverflowError):  # what plain pyreadstat does
        pyreadstat.read_sav(str(path))
    with pytest.warns(ym.YouthmediaWarning, match=r"1 value\(s\) of 'date.posix'"):
        s = ym.load(path)
    raw, _ = pyreadstat.read_sav(str(path), disable_datetime_conversion=True)
    spss_epoch = dt.datetime(1582, 10, 14)
    # row 1 converts: seconds since the SPSS epoch, by hand with the standard library
    expected = spss_epoch + dt.timedelta(seconds=float(raw["date.posix"][1]))
    assert s.data["date.posix"][1] == pd.Timestamp(expected)
    assert pd.isna(s.data["date.posix"][0])
    expected_date = spss_epoch + dt.timedelta(seconds=float(raw["date"][0]))
    assert s.data["date"][0] == pd.Timestamp(expected_date)
    assert s.source.options["unconverted_dates"] == {"date.posix": 1}


def test_haven_labelled_files(testdata):
    h = testdata / "haven"
    s = ym.load(h / "labelled-num-na.sav")
    # codes 1 ("This is one") and 9 (user-missing): all non-missing values labelled
    assert s.data["VAR00002"].tolist()[0] == "This is one"
    assert pd.isna(s.data["VAR00002"].tolist()[1])
    assert s.codebook["VAR00002"].missing_counts == {"9": 1}
    s = ym.load(h / "labelled-str.sav")
    assert s.data["gender"].tolist() == ["Male", "Female"]
    assert list(s.data["gender"].cat.categories) == ["Female", "Male"]  # code order F < M
    assert s.codes("gender").tolist() == ["M", "F"]
    s = ym.load(h / "umlauts.sav")
    assert "the ä umlaut" in s.data["var1"].tolist()
    s = ym.load(h / "iris.sav")
    assert s.n == 150 and s.data["Species"].value_counts().tolist() == [50, 50, 50]


def test_category_order_is_code_order(testdata):
    s = ym.load(testdata / "pyreadstat" / "ordered_category.sav")
    # labels 1=high 2=low 3=medium: code order, not alphabetical or by frequency
    assert list(s.data["Col1"].cat.categories) == ["high", "low", "medium"]
    assert s.data["Col1"].cat.ordered


def test_non_ascii_names_and_text(testdata):
    s = ym.load(testdata / "pyreadstat" / "hebrews.sav")
    assert s.columns == ["ותק_ב"]
    s = ym.load(testdata / "pyreadstat" / "tegulu.sav")
    assert s.n == 1 and s.codebook.encoding.lower().replace("-", "") == "utf8"


def test_columns_reads_only_those(testdata):
    s = ym.load(testdata / "onharassment" / "onharassment.sav", columns=["hours", "sex"])
    assert s.columns == ["hours", "sex"] and s.n == 4174
    with pytest.raises(ym.ConfigError, match="'gender'.*known variables: sex, age"):
        ym.load(testdata / "onharassment" / "onharassment.sav", columns=["gender"])
