"""The core objects: errors, codebook, Survey and Result contracts."""

import pandas as pd
import pytest

import youthmedia as ym
from youthmedia.codebook import Codebook, Variable


def test_error_hierarchy():
    assert issubclass(ym.DataError, ym.YouthmediaError)
    assert issubclass(ym.ConfigError, ym.YouthmediaError)
    assert issubclass(ym.DisclosureError, ym.YouthmediaError)


def test_codebook_frame_and_translations():
    v = Variable(
        "g",
        label="Geslacht",
        value_labels={1: "jongen", 2: "meisje"},
        missing_values=[9],
        translations={"en": {"label": "Gender", "values": {1: "boy"}}},
    )
    cb = Codebook({"g": v})
    assert cb.label("g", "en") == "Gender"
    assert v.value_labels_in("en") == {1: "boy", 2: "meisje"}
    assert v.is_missing_code(9.0) and not v.is_missing_code(1)
    frame = cb.to_frame()
    assert frame.loc[0, "value_labels"] == "1 = jongen; 2 = meisje"
    assert frame.loc[0, "missing_codes"] == "9"


def test_unknown_variable_names_it():
    s = ym.Survey(pd.DataFrame({"age": [12, 14]}))
    with pytest.raises(ym.ConfigError, match="'agee'"):
        s["agee"]


def test_codes_recover_from_labels():
    data = pd.DataFrame(
        {"g": pd.Categorical(["meisje", "jongen"], ["jongen", "meisje"], ordered=True)}
    )
    cb = Codebook({"g": Variable("g", value_labels={1: "jongen", 2: "meisje"})})
    s = ym.Survey(data, cb)
    assert s.codes("g").tolist() == [2, 1]


def test_result_keeps_meta_through_slicing():
    r = ym.Result.from_rows(
        [
            {"variable": "x", "category": "a", "estimate": 0.25},
            {"variable": "x", "category": "b", "estimate": 0.75},
        ],
        kind="share",
    )
    sub = r[r["estimate"] > 0.5]
    assert isinstance(sub, ym.Result)
    assert sub.meta.kind == "share"
    assert list(r.columns[:3]) == ["variable", "category", "estimate"]


def test_result_select_one_group_drops_the_grouping():
    r = ym.Result.from_rows(
        [
            {"wave": "2019", "age_band": "10-14", "variable": "x", "estimate": 0.4, "n": 10},
            {"wave": "2019", "age_band": "15-19", "variable": "x", "estimate": 0.6, "n": 11},
            {"wave": "2023", "age_band": "10-14", "variable": "x", "estimate": 0.5, "n": 12},
            {"wave": "2023", "age_band": "15-19", "variable": "x", "estimate": 0.7, "n": 13},
        ],
        by=["wave", "age_band"],
        n_total=46,
        source={"name": "Demo", "year": "2019–2023"},
    )
    one = r.select(wave=2023)
    assert one.by == ["age_band"] and "wave" not in one.columns
    assert one["estimate"].tolist() == [0.5, 0.7]
    assert one.meta.source == {"name": "Demo", "year": "2023"}
    assert one.meta.selection == {"wave": "2023"} and one.meta.n_total is None
    assert r.by == ["wave", "age_band"] and len(r) == 4  # the original is unchanged
    with pytest.raises(ym.ConfigError, match="2017"):
        r.select(wave=2017)
    with pytest.raises(ym.ConfigError, match="gender"):
        r.select(gender="meisje")


def test_result_relabel_per_language_leaves_the_original():
    r = ym.Result.from_rows(
        [{"variable": "q1", "estimate": 0.2, "n": 50}],
        labels={None: {"q1": "Hoe vaak?"}, "en": {"q1": "How often?"}},
    )
    both = r.relabel(q1={"nl": "Online gepest", "en": "Cyberbullied"})
    assert both.label("q1", "nl") == "Online gepest" and both.label("q1", "en") == "Cyberbullied"
    assert both.label("q1") == "Online gepest"  # the file's language: Dutch here
    one = r.relabel(q1="Gepest")
    assert one.label("q1", "en") == "Gepest" and one.label("q1", "nl") == "Gepest"
    assert r.label("q1", "en") == "How often?" and r.label("q1") == "Hoe vaak?"


def test_codebook_frame_lists_cleaning_steps():
    v = Variable("hours", cleaning=[{"rule": "> 24", "count": 3}])
    assert Codebook({"hours": v}).to_frame().loc[0, "cleaning"] == "> 24 → missing (3)"
    assert Codebook({"x": Variable("x")}).to_frame().loc[0, "cleaning"] == ""


def test_unweighted_counts_everyone_once_although_the_file_declares_a_weight():
    from youthmedia import privacy

    # y = 1, 0, 1, 0 with weights 1, 3, 1, 1: weighted (1 + 1) / 6 = 1/3, unweighted 2/4 = 1/2
    data = pd.DataFrame({"y": [1, 0, 1, 0], "w": [1.0, 3.0, 1.0, 1.0]})
    s = ym.Survey(data, Codebook({"y": Variable("y"), "w": Variable("w")}, weight="w"))
    with privacy.thresholds(min_n=0, indicative_n=0):
        declared = ym.mean(s, "y")
        plain = ym.mean(s.unweighted(), "y")
        again = ym.mean(s.with_design(weight=None), "y")  # None: the declared weight
    assert declared["estimate"].iloc[0] == pytest.approx(1 / 3)
    assert again["estimate"].iloc[0] == pytest.approx(1 / 3)
    assert plain["estimate"].iloc[0] == pytest.approx(1 / 2)
    assert plain.meta.weighted is False and declared.meta.weighted is True
    assert s.codebook.weight == "w"  # the survey itself is unchanged


def test_set_missing_makes_impossible_answers_missing_and_records_it():
    from youthmedia import privacy

    data = pd.DataFrame({"hours": [3.0, 30.0, 5.0, 99.0, 4.0, None], "code": [1, 2, 9, 1, 9, 2]})
    s = ym.Survey(data)
    clean = s.set_missing("hours", above=24)
    assert clean["hours"].isna().tolist() == [False, True, False, True, False, True]
    assert s["hours"].tolist()[1] == 30.0  # the original is unchanged
    assert clean.codebook["hours"].cleaning == [{"rule": "> 24", "count": 2}]
    assert (
        clean.codebook.to_frame().set_index("name").loc["hours", "cleaning"] == "> 24 → missing (2)"
    )
    with privacy.thresholds(min_n=0, indicative_n=0):
        assert ym.mean(clean, "hours")["estimate"].iloc[0] == pytest.approx((3 + 5 + 4) / 3)
    both = clean.set_missing("hours", below=4).set_missing("code", values=[9])
    assert both["hours"].dropna().tolist() == [5.0, 4.0]
    assert both["code"].isna().sum() == 2 and both.codebook["code"].cleaning[0]["rule"] == "= 9"
    assert [c["rule"] for c in both.codebook["hours"].cleaning] == ["> 24", "< 4"]
    with pytest.raises(ym.ConfigError, match="needs above="):
        s.set_missing("hours")
    labelled = ym.Survey(pd.DataFrame({"g": pd.Categorical(["a", "b"])}))
    with pytest.raises(ym.ConfigError, match="not numeric"):
        labelled.set_missing("g", above=1)
    assert labelled.set_missing("g", values=["b"])["g"].isna().tolist() == [False, True]
