"""Column roles decided once at load (youthmedia.io.roles), on small files written here and on
the CDC's 2019 Youth Risk Behavior Survey (../shared/testdata/yrbs)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import load_tool

import youthmedia as ym
from youthmedia import standard
from youthmedia.io.answers import excluded_answers, is_excluded
from youthmedia.io.roles import split_answers

write_sav = load_tool("spss_write").write_sav


@pytest.mark.parametrize(
    "cells, delimiter_free",
    [
        (["TikTok;Instagram", "WhatsApp", "TikTok;WhatsApp", "Instagram;WhatsApp"], ["TikTok"]),
        (["TikTok|Instagram", "WhatsApp", "TikTok|WhatsApp", "Instagram|WhatsApp"], ["TikTok"]),
        (["TikTok, Instagram", "WhatsApp", "TikTok, WhatsApp", "Instagram, WhatsApp"], ["TikTok"]),
        (["TikTok;Instagram;", "WhatsApp;", "TikTok;"], ["TikTok"]),
    ],
)
def test_any_delimiter_splits_a_consistent_vocabulary(cells, delimiter_free):
    lists = split_answers(cells)
    assert lists is not None and lists[0][0] == delimiter_free[0]
    assert all(len(t) >= 1 for t in lists)


def test_free_text_with_commas_is_not_split():
    assert split_answers(["leuk, maar druk", "saai, echt waar", "geen idee, sorry"]) is None


@pytest.mark.parametrize(
    "answer, excluded",
    [
        ("Weet ik niet", True),
        ("Zeg ik liever niet", True),
        ("Prefer not to say", True),
        ("Did not drive", True),
        ("Did not date", True),
        ("Ik heb geen telefoon", True),
        ("Ik gebruik geen sociale media", True),
        ("None of these", True),
        ("Anders", False),
        ("Nooit", False),
        ("Never", False),
        ("Geen", False),
        ("No", False),
    ],
)
def test_non_answers_and_not_applicable(answer, excluded):
    assert is_excluded(answer) is excluded


@pytest.mark.parametrize(
    "answers, left_out",
    [  # "did not X" is a precondition where the answers have their own zero or count no X
        (["Did not drive", "0 times", "1 time", "2 or 3 times"], ["Did not drive"]),
        (["Did not date", "0 times", "1 time", "6 or more times"], ["Did not date"]),
        (["Did not attempt suicide", "Yes", "No"], ["Did not attempt suicide"]),
        (
            ["Did not ride a bicycle", "Never wore a helmet", "Always wore a helmet"],
            ["Did not ride a bicycle"],
        ),
        (["Ik heb geen telefoon", "Nooit", "Soms", "Vaak"], ["Ik heb geen telefoon"]),
        (
            ["Did not smoke", "Less than 1 cigarette", "1 cigarette", "2 to 5 cigarettes"],
            ["Did not smoke"],
        ),
        (
            ["Never had sex", "11 years old or younger", "12 years old", "13 years old"],
            ["Never had sex"],
        ),
        (
            ["Did not buy any", "In a store", "On the Internet", "Some other way"],
            ["Did not buy any"],
        ),
        # ... and the zero of what the other answers count, from one up
        (["Did not eat fruit", "1 to 3 times", "4 to 6 times", "1 time per day"], []),
        (
            ["Did not drink milk", "1 to 3 glasses", "2 glasses per day", "Don't know"],
            ["Don't know"],
        ),
        (["Never had sex", "1 person", "2 people", "6 or more people"], []),
        (
            ["Ik heb niet gesport", "Maandelijks", "Wekelijks", "Dagelijks", "Weet ik niet"],
            ["Weet ik niet"],
        ),
    ],
)
def test_did_not_is_a_precondition_or_the_zero(answers, left_out):
    assert excluded_answers(answers) == left_out


def test_yrbs_did_not_answers_match_cdc_recodes(testdata):
    """Each "did not X" answer of YRBS read by its labels, against CDC's own QN recode (missing
    where CDC leaves the answer out of the base, "no" where it is the zero of the count)."""
    path = testdata / "yrbs" / "yrbs2019.sav"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    import pyreadstat

    df, meta = pyreadstat.read_sav(str(path))
    labels = meta.variable_value_labels
    ours, cdc = {}, {}
    for q, vl in labels.items():
        did_not = [c for c, lab in vl.items() if is_excluded(lab)]
        if did_not and f"QN{q[1:]}" in df.columns:
            ours[q] = bool(excluded_answers(list(vl.values())))
            cdc[q] = bool(df.loc[df[q] == did_not[0], f"QN{q[1:]}"].isna().all())
    # CDC counts these in the base; the labels say otherwise: Q29 asks about injuries of an
    # attempt ("did not attempt" is its precondition), Q59 an age at first sex (no count),
    # Q61 has its own zero ("None during past 3 months"), Q89 "None of these grades"
    differ = {"Q29", "Q59", "Q61", "Q89"}
    assert {q for q in ours if ours[q] != cdc[q]} == differ
    left_out = sorted(q for q in ours if ours[q])
    assert left_out == "Q10 Q11 Q21 Q22 Q29 Q33 Q36 Q39 Q44 Q59 Q61 Q62 Q63 Q64 Q65 Q89".split()
    s = ym.load(path)
    assert s.codebook["Q70"].excluded_answers == []  # "Did not eat fruit": the zero
    share, qn = ym.share(s, "Q70"), ym.share(s, "QN70")  # QN70: CDC's "did not eat fruit"
    assert float(share.loc[share["category"] == "Did not eat fruit", "estimate"].iloc[0]) == (
        pytest.approx(float(qn.loc[qn["category"] == "Yes", "estimate"].iloc[0]), abs=1e-12)
    )


def test_design_roles_from_labels_and_unrelated_yes_no(tmp_path):
    n = 40
    df = pd.DataFrame(
        {
            "wgt_final": [0.5 + (i % 4) / 2 for i in range(n)],
            "v_str": [float(1 + i % 4) for i in range(n)],
            "v_clu": [float(1 + i % 8) for i in range(n)],
            "gewicht_kg": [40.0 + i for i in range(n)],
            "q1": [float(1 + i % 2) for i in range(n)],
            "q2": [float(1 + (i // 3) % 2) for i in range(n)],
        }
    )
    path = write_sav(
        df,
        tmp_path / "d.sav",
        column_labels={
            "wgt_final": "Eindgewicht",
            "v_str": "Sampling Strata",
            "v_clu": "Primary Sampling Unit",
            "gewicht_kg": "How much do you weigh (kg)",
            "q1": "Sad or hopeless",
            "q2": "Bullied at school",
        },
        variable_value_labels={"q1": {1: "Yes", 2: "No"}, "q2": {1: "Yes", 2: "No"}},
    )
    s = ym.load(path)
    roles = {v.name: v.design_role for v in s.codebook}
    assert roles == {
        "wgt_final": "weight",
        "v_str": "strata",
        "v_clu": "psu",
        "gewicht_kg": None,
        "q1": None,
        "q2": None,
    }
    assert s.codebook.weight == "wgt_final"
    assert s.design.strata == "v_str" and list(s.design.cluster) == ["v_clu"]
    assert not s.codebook.mr_sets  # two separate questions
    # by hand: weighted share of q1 == 1 (rows 0, 2, 4, ...: weights 0.5, 1.5, 0.5, 1.5, ...)
    w = df["wgt_final"]
    want = float((w * (df["q1"] == 1)).sum() / w.sum())
    assert ym.share(s, "q1").loc[0, "estimate"] == pytest.approx(want, abs=1e-12)
    assert ym.share(s.unweighted(), "q1").loc[0, "estimate"] == pytest.approx(0.5, abs=1e-12)


def test_yes_no_items_with_a_shared_stem_form_one_set(tmp_path):
    n = 30
    df = pd.DataFrame(
        {f"apps_{k}": [float(1 + (i * (k + 1)) % 2) for i in range(n)] for k in range(3)}
    )
    labels = {
        "apps_0": "Welke apps gebruik je? - TikTok",
        "apps_1": "Welke apps gebruik je? - Instagram",
        "apps_2": "Welke apps gebruik je? - Geen van deze",
    }
    path = write_sav(
        df,
        tmp_path / "a.sav",
        column_labels=labels,
        variable_value_labels={c: {1: "Ja", 2: "Nee"} for c in df},
    )
    s = ym.load(path)
    ((name, mr),) = s.codebook.mr_sets.items()
    assert mr.label == "Welke apps gebruik je?" and mr.variables == ["apps_0", "apps_1"]
    assert [s.codebook[v].label for v in mr.variables] == ["TikTok", "Instagram"]


def test_unlabelled_1_2_and_0_1_items_are_yes_no(tmp_path):
    """YRBS-style QN items (1 = yes, 2 = no, no value labels) and 0/1 items: share of yes."""
    n = 24
    df = pd.DataFrame(
        {
            "qn1": [float(1 + (i % 3 == 0)) for i in range(n)],
            "b2": [float(i % 4 == 0) for i in range(n)],
            "sexe": [float(1 + i % 2) for i in range(n)],
            "kids": [float(1 + i % 2) for i in range(n)],
        }
    )
    path = write_sav(
        df,
        tmp_path / "q.sav",
        column_labels={
            "qn1": "Were bullied on school property",
            "b2": "Uses a real name online",
            "sexe": "Sex",
            "kids": "How many brothers do you have",
        },
    )
    s = ym.load(path)
    cb = s.codebook
    assert cb["qn1"].value_labels == {1: "Yes", 2: "No"} and cb["b2"].value_labels == {
        0: "No",
        1: "Yes",
    }
    assert cb["sexe"].role == "number" and cb["kids"].role == "number"
    # by hand: qn1 == 2 in rows 0, 3, 6, ...: 8 of 24 say no; b2 == 1 in 6 of 24
    assert ym.share(s, "qn1").set_index("category")["estimate"]["Yes"] == pytest.approx(16 / 24)
    assert ym.share(s, "b2").set_index("category")["estimate"]["Yes"] == pytest.approx(6 / 24)
    assert cb["qn1"].value_labels_in("nl") == {1: "Ja", 2: "Nee"}
    kinds = {i.names[0]: i.kind for i in standard.plan(s)}
    assert kinds["qn1"] == kinds["b2"] == "binary"


def test_members_of_the_files_own_set_keep_their_codes(tmp_path):
    from youthmedia.codebook import MRSet

    df = pd.DataFrame({"a": [1.0, 0, 1, 1] * 10, "b": [0.0, 1, 1, 0] * 10})
    path = write_sav(
        df,
        tmp_path / "m.sav",
        column_labels={"a": "WhatsApp", "b": "TikTok"},
        mr_sets={"apps": MRSet("apps", "Welke apps?", "dichotomy", ["a", "b"], 1)},
    )
    s = ym.load(path)
    assert s.codebook["a"].value_labels == {} and s["a"].tolist() == [1.0, 0, 1, 1] * 10
    res = ym.share(s, "apps").set_index("category")["estimate"]
    assert res["WhatsApp"] == pytest.approx(3 / 4) and res["TikTok"] == pytest.approx(2 / 4)


def test_age_is_banded_and_gender_found_by_its_answers(tmp_path):
    path = tmp_path / "k.csv"
    rows = ["Leeftijd;Ik ben een"] + [
        f"{11 + i % 9};{('Jongen', 'Meisje')[i % 2]}" for i in range(36)
    ]
    path.write_text("\n".join(rows), encoding="utf-8")
    s = ym.load(path)
    assert s.codebook["age_band"].group_role == "age"
    assert s.codebook["Ik ben een"].group_role == "gender"
    assert s["age_band"].cat.categories.tolist() == ["10–12", "13–15", "16–18", "19+"]
    ages = [11 + i % 9 for i in range(36)]
    assert s["age_band"].value_counts()["13–15"] == sum(13 <= a <= 15 for a in ages)


def test_yrbs_design_recognised_and_cdc_figures(testdata):
    path = testdata / "yrbs" / "yrbs2019.sav"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    s = ym.load(path)
    cb = s.codebook
    assert (cb["weight"].design_role, cb["stratum"].design_role, cb["psu"].design_role) == (
        "weight",
        "strata",
        "psu",
    )
    assert cb["Q1"].group_role == "age" and cb["Q2"].group_role == "gender"
    assert cb["Q8"].role == "scale" and cb["Q8"].measure == "ordinal"  # Never ... Always
    assert cb["Q10"].excluded_answers == ["Did not drive"]
    assert not cb.mr_sets  # sad, bullied, suicide: separate questions
    # CDC, YRBS 2019 national results: electronically bullied 15.7%, bullied at school
    # 19.5%, sad or hopeless 36.7%
    for q, published in (("Q24", 0.157), ("Q23", 0.195), ("Q25", 0.367)):
        res = ym.share(s, q)
        assert round(float(res.loc[res["category"] == "Yes", "estimate"].iloc[0]), 3) == published
    # the same questions as unlabelled QN items (1 = yes, 2 = no): shares of yes, as published
    assert cb["QN24"].role == "choice" and cb["QN24"].value_labels == {1: "Yes", 2: "No"}
    res = ym.share(s, "QN24")
    assert round(float(res.loc[res["category"] == "Yes", "estimate"].iloc[0]), 3) == 0.157


def test_answer_helpers():
    """The examples the answers module's docstrings carried."""
    from youthmedia.io.answers import does_not_apply, is_single_choice, scale_rank

    assert [is_excluded(a) for a in ["Weet ik niet", "Did not drive", "Nooit", "Anders"]] == [
        True,
        True,
        False,
        False,
    ]
    assert [does_not_apply(a) for a in ["Did not drive", "Weet ik niet"]] == [True, False]
    assert scale_rank(["Mee eens", "Helemaal mee oneens", "Neutraal"]) == [3, 0, 2]
    assert is_single_choice(["Ja", "Nee", "Nee", "Ja", "Nee", "Nee"])
    assert not is_single_choice(["Memes", "Met vrienden praten", "Memes", "Filmpjes", "Muziek"])
    assert split_answers(["Ik vind het leuk, echt", "Geen idee", "Niet zo, denk ik"]) is None


def test_a_question_about_school_is_no_class_breakdown(tmp_path):
    """A frequency or agreement question whose label names the school or class ("… op
    school?") is a question to chart, not the class breakdown; class names are."""
    questions = {
        "Hoe vaak word je gepest op school?": ["Nooit", "Soms", "Vaak", "Nooit"] * 10,
        "Voel je je veilig in je klas?": ["Helemaal mee oneens", "Mee eens"] * 20,
    }
    grades = ["9th grade", "10th grade", "11th grade", "12th grade"] * 10
    for extra in ({}, {"In welke klas zit je?": ["1A", "1B", "2A", "2B"] * 10}, {"Grade": grades}):
        path = tmp_path / "klas.csv"
        pd.DataFrame(questions | extra).to_csv(path, index=False)
        roles = {v.name: v.group_role for v in ym.load(path).codebook}
        assert all(roles[q] is None for q in questions), roles
        assert all(roles[c] == "class" for c in extra), roles


@pytest.mark.parametrize(
    ("answers", "left_out"),
    [
        (["I did not use tobacco products", "Yes", "No"], ["I did not use tobacco products"]),
        (["I have never smoked", "0 days", "1 or 2 days"], ["I have never smoked"]),
        (["Did not eat fruit", "1 to 3 times", "4 to 6 times"], []),
        (["Never", "Sometimes", "Often", "Don't know"], ["Don't know"]),
    ],
)
def test_a_precondition_in_the_first_person_is_left_out(answers, left_out):
    """Review I1: YRBS Q39 "I did not use tobacco products | Yes | No" (quitting presupposes
    using); a first-person "I have never …" beside a zero of its own; the zero of a count
    stays in the base."""
    assert excluded_answers(answers) == left_out


def test_dont_know_is_no_answer_not_a_subgroup():
    """Review I3: "Don't know" leaves the base but does not make it "young people it applies
    to"; a missing precondition does, in both languages."""
    from youthmedia.io.answers import does_not_apply

    assert not any(map(does_not_apply, ["Don't know", "I don't know", "Weet ik niet"]))
    assert all(map(does_not_apply, ["Did not drive", "I did not use it", "Ik gebruik geen"]))
