"""Scale scoring (SMDS, BSMAS, codebook scales) and Cronbach's alpha, checked by hand and
against R's ``svycralpha`` on the api data."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from youthmedia.codebook import Codebook, Variable
from youthmedia.errors import ConfigError, DataError
from youthmedia.scales import alpha, bsmas, score, smds
from youthmedia.survey import Survey


@pytest.fixture
def no_small_cell_suppression():
    """Hand examples of a few respondents: the estimators' small-cell suppression (n < 10
    hidden) is switched off explicitly for the tests that check the arithmetic."""
    from youthmedia import privacy

    with privacy.thresholds(min_n=0, indicative_n=0):
        yield


REF = Path(__file__).resolve().parent / "reference"
NO_YES = {0: "nee", 1: "ja"}


def _labelled(frame: pd.DataFrame, labels: dict[int, str], groups=None) -> Survey:
    """A survey whose columns are labelled Categoricals, as the SPSS reader makes them."""
    data = {}
    variables = {}
    for col in frame.columns:
        cats = list(labels.values())
        data[col] = pd.Categorical(frame[col].map(labels), categories=cats, ordered=True)
        variables[col] = Variable(
            col, label=f"item {col}", value_labels=dict(labels), measure="nominal"
        )
    return Survey(pd.DataFrame(data), Codebook(variables, groups=groups or {}))


# --------------------------------------------------------------------------------------------
# SMDS: four respondents scored by hand
# --------------------------------------------------------------------------------------------
def _smds_frame() -> Survey:
    # r1: ja on items 1–6            -> 6 of 9: problematic (>= 6) and disordered (>= 5)
    # r2: ja on items 1–5            -> 5 of 9: not problematic, disordered
    # r3: nee on all                 -> 0 of 9: neither
    # r4: ja on items 1–8, 9 missing -> no score when all 9 are required;
    #                                   with min_answered=8: 8 ja of 8 answered, 8/8 × 9 = 9
    rows = [
        [1, 1, 1, 1, 1, 1, 0, 0, 0],
        [1, 1, 1, 1, 1, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0],
        [1, 1, 1, 1, 1, 1, 1, 1, np.nan],
    ]
    frame = pd.DataFrame(rows, columns=[f"smds_{i}" for i in range(1, 10)])
    return _labelled(frame, NO_YES, groups={"smds": list(frame.columns)})


def test_smds_scores_and_both_definitions_by_hand():
    s = _smds_frame()
    hbsc = smds(s)  # default: problematic, >= 6
    assert hbsc.data["smds_score"].tolist()[:3] == [6.0, 5.0, 0.0]
    assert math.isnan(hbsc.data["smds_score"].iloc[3])
    assert hbsc.data["smds_problematic"].tolist()[:3] == [
        "problematisch gebruik",
        "geen problematisch gebruik",
        "geen problematisch gebruik",
    ]
    assert pd.isna(hbsc.data["smds_problematic"].iloc[3])

    original = smds(s, definition="disordered")  # >= 5
    assert original.data["smds_disordered"].tolist()[:3] == [
        "verstoord gebruik",
        "verstoord gebruik",
        "geen verstoord gebruik",
    ]


def test_smds_definition_is_named_in_the_codebook():
    out = smds(_smds_frame())
    var = out.codebook["smds_problematic"]
    assert "≥ 6" in var.label and "HBSC" in var.label and "Boer" in var.label
    assert "HBSC definition" in out.codebook.label("smds_problematic", "en")
    assert var.value_labels == {0: "geen problematisch gebruik", 1: "problematisch gebruik"}
    assert out.codes("smds_problematic").tolist()[:3] == [1, 0, 0]
    dis = smds(_smds_frame(), definition="disordered").codebook
    assert (
        "≥ 5" in dis["smds_disordered"].label and "van den Eijnden" in dis["smds_disordered"].label
    )
    assert "all 9 items answered" in out.codebook.label("smds_score", "en")


def test_smds_minimum_answered_prorates():
    out = smds(_smds_frame(), min_answered=8)
    assert out.data["smds_score"].iloc[3] == 9.0  # 8 ja of 8 answered × 9
    assert out.data["smds_problematic"].iloc[3] == "problematisch gebruik"
    assert "at least 8 of 9" in out.codebook.label("smds_score", "en")


def test_smds_leaves_the_input_alone():
    s = _smds_frame()
    before = s.data.copy()
    smds(s)
    pd.testing.assert_frame_equal(s.data, before)
    assert "smds_score" not in s.codebook


def test_smds_rejects_other_codes_and_wrong_arguments():
    frame = pd.DataFrame({f"smds_{i}": [0, 1] for i in range(1, 10)})
    frame.loc[1, "smds_4"] = 2
    with pytest.raises(DataError, match=r"smds_4.*value 2"):
        smds(Survey(frame))
    with pytest.raises(ConfigError, match="definition"):
        smds(_smds_frame(), definition="addicted")
    with pytest.raises(ConfigError, match="9 items"):
        smds(_smds_frame(), items=["smds_1", "smds_2"])
    with pytest.raises(ConfigError, match="min_answered"):
        smds(_smds_frame(), min_answered=10)
    with pytest.raises(ConfigError, match="min_answered=0 must be between 1 and 9"):
        smds(_smds_frame(), min_answered=0)


def test_smds_with_other_yes_no_codes():
    # 1 = ja, 2 = nee (a common SPSS coding): respondent answers ja on items 1–6 -> 6
    frame = pd.DataFrame({f"smds_{i}": [1 if i <= 6 else 2] for i in range(1, 10)})
    out = smds(Survey(frame), yes=1, no=2)
    assert out.data["smds_score"].tolist() == [6.0]


# --------------------------------------------------------------------------------------------
# BSMAS: four respondents scored by hand
# --------------------------------------------------------------------------------------------
def _bsmas_frame() -> Survey:
    # r1: 3 3 3 3 1 1 -> sum 14; four items >= 3: polythetic yes; sum19 no
    # r2: 5 5 5 2 2 1 -> sum 20; three items >= 3: polythetic no;  sum19 yes
    # r3: 1 1 1 1 1 1 -> sum 6;  neither
    # r4: 4 4 4 4 . 5 -> no score with all 6 required; with min_answered=5:
    #                    (4+4+4+4+5)/5 × 6 = 21/5 × 6 = 25.2, five items >= 3: polythetic yes
    rows = [[3, 3, 3, 3, 1, 1], [5, 5, 5, 2, 2, 1], [1, 1, 1, 1, 1, 1], [4, 4, 4, 4, np.nan, 5]]
    labels = {1: "zeer zelden", 2: "zelden", 3: "soms", 4: "vaak", 5: "zeer vaak"}
    frame = pd.DataFrame(rows, columns=[f"bsmas_{i}" for i in range(1, 7)])
    return _labelled(frame, labels)


def test_bsmas_by_hand():
    poly = bsmas(_bsmas_frame())
    assert poly.data["bsmas_score"].tolist()[:3] == [14.0, 20.0, 6.0]
    assert poly.codes("bsmas_polythetic").tolist()[:3] == [1, 0, 0]
    assert pd.isna(poly.data["bsmas_polythetic"].iloc[3])
    assert "Andreassen" in poly.codebook["bsmas_polythetic"].label
    summed = bsmas(_bsmas_frame(), cutoff="sum19")
    assert summed.codes("bsmas_sum19").tolist()[:3] == [0, 1, 0]
    assert "≥ 19" in summed.codebook["bsmas_sum19"].label
    lenient = bsmas(_bsmas_frame(), min_answered=5)
    assert lenient.data["bsmas_score"].iloc[3] == pytest.approx(25.2)
    assert lenient.codes("bsmas_polythetic").iloc[3] == 1


def test_bsmas_polythetic_undecided_with_a_missing_item():
    # 3 3 3 1 1 . : three items >= 3 and one unanswered -> could be 4 or not: undecided
    # 1 1 1 1 1 . : at most one more item >= 3 -> decided "no"
    frame = pd.DataFrame(
        [[3, 3, 3, 1, 1, np.nan], [1, 1, 1, 1, 1, np.nan]],
        columns=[f"bsmas_{i}" for i in range(1, 7)],
    )
    out = bsmas(Survey(frame), min_answered=5)
    assert pd.isna(out.data["bsmas_polythetic"].iloc[0])
    assert out.codes("bsmas_polythetic").iloc[1] == 0


def test_bsmas_rejects_out_of_range_codes():
    frame = pd.DataFrame({f"bsmas_{i}": [1, 3] for i in range(1, 7)})
    frame.loc[0, "bsmas_2"] = 7
    with pytest.raises(DataError, match=r"bsmas_2.*value 7"):
        bsmas(Survey(frame))


# --------------------------------------------------------------------------------------------
# Codebook-defined scales
# --------------------------------------------------------------------------------------------
def _mood() -> Survey:
    data = pd.DataFrame({"a": [1.0, 4.0, np.nan], "b": [2.0, np.nan, np.nan], "c": [5.0, 2.0, 3.0]})
    labels = {1: "nooit", 2: "zelden", 3: "soms", 4: "vaak", 5: "altijd"}
    cb = Codebook(
        {v: Variable(v, label=v, value_labels=dict(labels)) for v in "abc"},
        groups={"mood": ["a", "b", "c"]},
    )
    return Survey(data, cb)


def test_codebook_scale_mean_sum_reverse_minimum():
    s = _mood()
    # c reversed on 1–5 (from the codebook's value labels): 1 + 5 − c
    # r1: a=1, b=2, c=5 -> c'=1: mean 4/3, sum 4
    # r2: a=4, b=., c=2 -> c'=4: all three required -> missing; with min 2: mean 4, sum 4 × 3 = 12
    # r3: only c answered -> missing even with min 2
    out = score(s, "mood", reverse=["c"])
    assert out.data["mood_mean"].iloc[0] == pytest.approx(4 / 3)
    assert out.data["mood_mean"].iloc[1:].isna().all()
    two = score(s, "mood", reverse=["c"], method="sum", min_answered=2)
    assert two.data["mood_sum"].tolist()[:2] == [4.0, 12.0]
    assert math.isnan(two.data["mood_sum"].iloc[2])
    assert two.codebook["mood_sum"].measure == "scale"
    assert "reversed: c" in two.codebook.label("mood_sum", "en")
    assert "mood_sum" not in s.codebook


def test_codebook_scale_errors():
    s = _mood()
    with pytest.raises(ConfigError, match="no question group 'moods'"):
        score(s, "moods")
    with pytest.raises(ConfigError, match="not items of this scale"):
        score(s, "mood", reverse=["z"])
    bare = Survey(pd.DataFrame({"a": [1, 2], "b": [2, 1]}))
    with pytest.raises(ConfigError, match="item_range"):
        score(bare, ["a", "b"], reverse=["b"])
    # b reversed on 1–2: b' = 3 − b = (1, 2); means r1 (1 + 1)/2 = 1, r2 (2 + 2)/2 = 2
    out = score(bare, ["a", "b"], reverse=["b"], item_range=(1, 2))
    assert out.data["scale_mean"].tolist() == [1.0, 2.0]


# --------------------------------------------------------------------------------------------
# Cronbach's alpha
# --------------------------------------------------------------------------------------------
def _tiny() -> Survey:
    return Survey(pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 3, 4], "c": [2, 2, 3, 4]}))


def test_alpha_by_hand_unweighted():
    # sums of squares about the mean: a 5, b 4.75, c 2.75; total (4, 7, 9, 12) 34
    # alpha = 3/2 · (1 − (5 + 4.75 + 2.75)/34) = 1.5 · 21.5/34 = 0.948529...
    rel = alpha(_tiny(), ["a", "b", "c"])
    assert rel.alpha == pytest.approx(1.5 * 21.5 / 34, rel=1e-12)
    assert rel.n == 4 and rel.k == 3 and rel.ci_method == "feldt"
    # Feldt: F(3, 6) table values F.975 = 6.599, F.025 = 1/F.975(6, 3) = 1/14.73
    one_minus = 1 - 1.5 * 21.5 / 34
    assert rel.ci_low == pytest.approx(1 - one_minus * 6.599, abs=2e-4)
    assert rel.ci_high == pytest.approx(1 - one_minus / 14.73, abs=2e-4)
    items = rel.items.set_index("item")
    # item a against rest b + c = (3, 5, 6, 8): cross-products 8, SS 5 and 13 -> 8/√65
    assert items.loc["a", "item_rest"] == pytest.approx(8 / math.sqrt(65), rel=1e-12)
    # alpha without a: b and c, SS 4.75 and 2.75, their sum SS 13 -> 2 · (1 − 7.5/13)
    assert items.loc["a", "alpha_if_deleted"] == pytest.approx(2 * (1 - 7.5 / 13), rel=1e-12)


def test_alpha_listwise_and_errors():
    s = Survey(
        pd.DataFrame({"a": [1, 2, 3, 4, np.nan], "b": [1, 3, 3, 4, 2], "c": [2, 2, 3, 4, 1]})
    )
    assert alpha(s, ["a", "b", "c"]).n == 4
    assert alpha(s, ["a", "b", "c"]).alpha == pytest.approx(1.5 * 21.5 / 34)
    with pytest.raises(ConfigError, match="at least 2"):
        alpha(s, ["a"])
    with pytest.raises(ConfigError, match="ci="):
        alpha(s, ["a", "b"], ci="bootstrap")


def _apistrat() -> pd.DataFrame:
    path = REF / "api" / "apistrat.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return pd.read_csv(path)


def _ref(row_id: str, quantity: str, term: str = "") -> float:
    ref = pd.read_csv(REF / "survey_reference.csv", keep_default_na=False)
    hit = ref[(ref["id"] == row_id) & (ref["quantity"] == quantity) & (ref["term"] == term)]
    assert len(hit) == 1, (row_id, quantity, term)
    return float(hit["value"].iloc[0])


def test_alpha_matches_svycralpha_on_apistrat():
    # svycralpha(~ell + meals + mobility, dstrat); dstrat: strata stype, weights pw
    s = Survey(_apistrat()).with_design(weight="pw", strata="stype")
    rel = alpha(s, ["ell", "meals", "mobility"])
    assert rel.alpha == pytest.approx(_ref("strat_cralpha", "alpha"), rel=1e-6)
    assert rel.ci_method == "linearization" and rel.ci_low < rel.alpha < rel.ci_high < 1
    assert rel.weighted


def test_weighted_alpha_equals_alpha_on_duplicated_rows():
    # integer weights (2, 1, 1, 1) mean the same as writing respondent 1 twice
    base = pd.DataFrame(
        {"a": [1, 2, 3, 4], "b": [1, 3, 3, 4], "c": [2, 2, 3, 4], "w": [2.0, 1.0, 1.0, 1.0]}
    )
    weighted = alpha(Survey(base).with_design(weight="w"), ["a", "b", "c"]).alpha
    dup = pd.concat([base.iloc[[0]], base]).reset_index(drop=True)
    assert weighted == pytest.approx(alpha(Survey(dup), ["a", "b", "c"]).alpha, rel=1e-12)


def test_design_based_alpha_interval_agrees_with_the_jackknife():
    # two independent routes to the SE of alpha on dstrat: linearisation (influence functions)
    # and JKn replicates (alpha recomputed in every replicate); they agree to a few percent
    s = Survey(_apistrat()).with_design(weight="pw", strata="stype")
    lin = alpha(s, ["ell", "meals", "mobility"])
    jk = alpha(s.to_replicates("JKn"), ["ell", "meals", "mobility"])
    assert jk.alpha == pytest.approx(lin.alpha, rel=1e-12)
    assert jk.se == pytest.approx(lin.se, rel=0.05)
    assert lin.ci_low < lin.alpha < lin.ci_high < 1


# --------------------------------------------------------------------------------------------
# Likert and frequency items
# --------------------------------------------------------------------------------------------
FREQ = ["nooit", "soms", "vaak", "altijd"]


def _likert(answers: list[str | None], cats=FREQ, **extra) -> Survey:
    data = pd.DataFrame({"q": pd.Categorical(answers, categories=cats, ordered=True), **extra})
    cb = Codebook(
        {
            "q": Variable(
                "q",
                label="Hoe vaak?",
                measure="ordinal",
                value_labels={i + 1: c for i, c in enumerate(cats)},
                translations={
                    "en": {
                        "label": "How often?",
                        "values": {1: "never", 2: "sometimes", 3: "often", 4: "always"},
                    }
                },
            ),
            **{k: Variable(k) for k in extra},
        }
    )
    return Survey(data, cb)


@pytest.mark.usefixtures("no_small_cell_suppression")
def test_top_box_by_hand():
    from youthmedia.scales import top_box

    # 8 answers: altijd 2, vaak 2, soms 2, nooit 2 -> top-2 (vaak, altijd) 4/8 = 0.5; top-1 2/8
    # SE as svymean without a design: p(1 − p)/(n − 1) -> sqrt(0.25/7)
    s = _likert(["altijd", "vaak", "soms", "nooit", "vaak", "altijd", "nooit", "soms"])
    out = top_box(s, "q")
    assert out.loc[0, "estimate"] == pytest.approx(0.5)
    assert out.loc[0, "se"] == pytest.approx(math.sqrt(0.25 / 7), rel=1e-9)
    assert out.loc[0, "category"] == "vaak / altijd"
    assert out.meta.value_labels["en"]["q"]["vaak / altijd"] == "often / always"
    assert top_box(s, "q", k=1).loc[0, "estimate"] == pytest.approx(0.25)
    assert top_box(s, "q", k=1, bottom=True).loc[0, "category"] == "nooit"
    assert out.meta.box == {"k": 2, "side": "top", "answers": {"q": ["vaak", "altijd"]}}


@pytest.mark.usefixtures("no_small_cell_suppression")
def test_top_box_weighted_and_by_group():
    from youthmedia.scales import top_box

    # weights 3, 1, 1, 1: top-2 = (3 + 1)/(3 + 1 + 1 + 1) = 4/6 in group a; b: 1 of 2
    s = _likert(
        ["altijd", "nooit", "vaak", "soms", "vaak", "soms"],
        w=[3.0, 1.0, 1.0, 1.0, 1.0, 1.0],
        g=["a", "a", "a", "a", "b", "b"],
    )
    out = top_box(s.with_design(weight="w"), "q", by="g")
    assert out["estimate"].tolist() == pytest.approx([4 / 6, 0.5])


@pytest.mark.usefixtures("no_small_cell_suppression")
def test_top_box_refuses_a_non_answer_in_the_box():
    from youthmedia.scales import top_box

    cats = ["nooit", "soms", "vaak", "weet niet"]
    s = _likert(["vaak", "weet niet", "nooit", "soms"], cats=cats)
    with pytest.raises(ConfigError, match="'weet niet'.*exclude"):
        top_box(s, "q")
    # excluded: the base is the 3 who answered on the scale; top-2 (soms, vaak) = 2/3
    out = top_box(s, "q", exclude=["weet niet"])
    assert out.loc[0, "estimate"] == pytest.approx(2 / 3)
    assert out.loc[0, "n"] == 3


@pytest.mark.usefixtures("no_small_cell_suppression")
def test_distribution_and_item_mean():
    from youthmedia.scales import distribution, item_mean

    s = _likert(["altijd", "vaak", "vaak", "nooit"])
    dist = distribution(s, "q")
    assert dist["estimate"].tolist() == pytest.approx([0.25, 0.0, 0.5, 0.25])
    assert dist.meta.scale["answers"] == FREQ
    with pytest.raises(ConfigError, match="ordinal in the codebook"):
        item_mean(s, "q")
    ladder = Survey(
        pd.DataFrame({"ladder": [6.0, 8.0, 7.0, np.nan]}),
        Codebook({"ladder": Variable("ladder", measure="scale")}),
    )
    assert item_mean(ladder, "ladder").loc[0, "estimate"] == pytest.approx(7.0)
    with pytest.raises(ConfigError, match="no answer labels"):
        distribution(ladder, "ladder")


def test_smds_on_the_demo_spss_file(root):
    from youthmedia.io import load

    path = root / "data" / "youth_social_media_demo.sav"
    if not path.exists():
        pytest.skip(f"{path} is absent (run `make data`)")
    s = load(path)
    out = smds(s)  # the codebook group "smds" holds the nine items
    items = s.codebook.groups["smds"]
    # independently: count the "ja" labels; all nine answered (no missing in the demo items)
    answered = s.data[items].notna().all(axis=1)
    expected = (s.data[items].astype(object) == "ja").sum(axis=1).where(answered)
    pd.testing.assert_series_equal(
        out.data["smds_score"], expected.astype(float), check_names=False
    )
    flag = out.data["smds_problematic"].astype(object)
    assert ((flag == "problematisch gebruik") == (expected >= 6)).all()


@pytest.mark.usefixtures("no_small_cell_suppression")
def test_prevalence_states_the_definition():
    from youthmedia.scales import prevalence

    # the 4-respondent SMDS frame: scores 6, 5, 0 and (missing); weights 1, 1, 2, 1
    # problematic (>= 6): 1 of weight 4 answered -> 1/4; disordered (>= 5): 2/4
    s = _smds_frame()
    data = s.data.copy()
    data["w"] = [1.0, 1.0, 2.0, 1.0]
    s = s.replace(data=data).with_design(weight="w")
    hbsc = prevalence(s)
    assert hbsc["estimate"].tolist() == pytest.approx([0.25])
    assert hbsc.loc[0, "category"] == "problematisch gebruik"
    assert any(
        "Boer et al. 2021" in note.get("en", "")
        for note in hbsc.meta.notes
        if isinstance(note, dict)
    )
    original = prevalence(s, definition="disordered")
    assert original["estimate"].tolist() == pytest.approx([0.5])
    assert any(
        "van den Eijnden" in note.get("nl", "")
        for note in original.meta.notes
        if isinstance(note, dict)
    )
    with pytest.raises(ConfigError, match="instrument"):
        prevalence(s, instrument="iat")


@pytest.mark.parametrize("module", ["youthmedia.scales"])
def test_docstring_examples_run(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
