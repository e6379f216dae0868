"""The bundled demo data: regeneration, size, metadata and the published shapes it must show.

Every statistic here is computed with a plain weighted mean, Σ wᵢyᵢ / Σ wᵢ (``wmean`` below),
on the committed files read with pyreadstat/pandas directly — not with youthmedia's estimators —
and compared with targets whose sources are named next to them.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat
import pytest
import yaml
from conftest import load_tool

datasets = load_tool("make_demo_data")

DATA = Path(__file__).resolve().parents[1] / "data"
SAV = DATA / "youth_social_media_demo.sav"
CSV = DATA / "youth_social_media_demo.csv"
SIDECAR = DATA / "youth_social_media_demo.codebook.yaml"
FORMS = DATA / "klas_enquete_forms.csv"
PLATFORMS = [
    "whatsapp",
    "youtube",
    "instagram",
    "snapchat",
    "tiktok",
    "facebook",
    "x",
    "pinterest",
    "linkedin",
    "discord",
    "twitch",
    "bereal",
]
SMDS = [f"smds_{j}" for j in range(1, 10)]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wmean(y, w) -> float:
    """Weighted mean Σwy/Σw over the rows where y is not missing."""
    y, w = np.asarray(y, dtype=float), np.asarray(w, dtype=float)
    ok = ~np.isnan(y)
    return float((w[ok] * y[ok]).sum() / w[ok].sum())


@pytest.fixture(scope="module")
def sav():
    df, meta = pyreadstat.read_sav(SAV)  # user-missing codes become NaN (pyreadstat default)
    return df, meta


@pytest.fixture(scope="module")
def df(sav):
    return sav[0]


def reach(df, platform, wave, band) -> float:
    """Weighted % using ``platform`` in ``wave`` among age band ``band`` (1 = 10-14, ...)."""
    x = df[(df["wave"] == wave) & (df["age_band"] == band)]
    return 100 * wmean(x[f"use_{platform}"], x["weight"])


# -- files ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    a = datasets.write_all(tmp_path_factory.mktemp("a"))
    b = datasets.write_all(tmp_path_factory.mktemp("b"))
    return a, b


def test_regeneration_is_byte_identical(regenerated):
    a, b = regenerated
    assert set(a) == {"sav", "csv", "codebook", "forms"}
    for key in a:
        assert sha256(a[key]) == sha256(b[key]), key
        # ... and identical to the committed files (run `make data` if not)
        assert sha256(a[key]) == sha256(DATA / a[key].name), f"data/{a[key].name} is out of date"


def test_check_reports_a_changed_file(tmp_path, regenerated):
    a, _ = regenerated
    for p in a.values():
        (tmp_path / p.name).write_bytes(p.read_bytes())
    assert datasets.check(tmp_path) == []
    forms = tmp_path / "klas_enquete_forms.csv"
    forms.write_bytes(forms.read_bytes() + b"x")
    assert datasets.check(tmp_path) == ["klas_enquete_forms.csv"]


def test_command_line_check(capsys):
    assert datasets.main(["--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_sav_header_has_a_fixed_creation_time(sav):
    # the generator overwrites the write time SPSS files carry with 01 Jun 24 12:00:00
    assert sav[1].creation_time.isoformat() == "2024-06-01T12:00:00"


def test_data_folder_is_small_and_documented():
    files = [p for p in DATA.rglob("*") if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 3 * 1024 * 1024
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    for must in (
        "voorbeelddata — geen echte respondenten",
        "CC0",
        "Newcom",
        "Pew",
        "HBSC",
        "youth_social_media_demo.sav",
        "klas_enquete_forms.csv",
        "python tools/make_demo_data.py",
    ):
        assert must in readme, must


# -- structure -----------------------------------------------------------------------------------
def test_three_waves_of_about_1500_aged_10_to_24(df):
    assert df["wave"].value_counts().sort_index().index.tolist() == [2015, 2019, 2023]
    assert df["wave"].value_counts().between(1400, 1600).all()
    assert df["age"].between(10, 24).all()
    # age band is the age cut at 15 and 20 (hand: 10-14 -> 1, 15-19 -> 2, 20-24 -> 3)
    assert (df["age_band"] == (df["age"] // 5 - 1)).all()
    assert df["resp_id"].is_unique
    assert set(df["gender"].unique()) == {1, 2, 3}
    assert set(df["school_level"].unique()) == set(range(1, 8))
    assert set(df["region"].unique()) == {1, 2, 3, 4}
    assert (df.loc[df["age"] <= 11, "school_level"] == 1).all()  # 10-11 year olds: basisschool


def test_schools_are_clusters_nested_in_wave_and_region(df):
    per_wave = df.groupby("wave")["school"].nunique()
    assert per_wave.between(60, 100).all()
    assert (df.groupby("school")["wave"].nunique() == 1).all()
    assert (df.groupby("school")["region"].nunique() == 1).all()
    # one-way ANOVA intra-cluster correlation of log hours online (hand formula):
    # ICC = (MSB - MSW) / (MSB + (n0 - 1) MSW), n0 = (N - Σnᵢ²/N) / (k - 1); "modest": 0.01-0.15
    for _wave, x in df[df["hours_online"] <= 24].groupby("wave"):
        y, g = np.log(x["hours_online"]), x["school"]
        k, n, ni = g.nunique(), len(y), y.groupby(g).size()
        n0 = (n - (ni**2).sum() / n) / (k - 1)
        msb = (ni * (y.groupby(g).mean() - y.mean()) ** 2).sum() / (k - 1)
        msw = ((y - y.groupby(g).transform("mean")) ** 2).sum() / (n - k)
        icc = (msb - msw) / (msb + (n0 - 1) * msw)
        assert 0.01 < icc < 0.15


def test_weights_are_raked_to_documented_population_shares(df):
    # data/README.md, "Weging": age-band shares (≈ CBS, 1 January) × gender 50.176 / 47.824 / 2.0 %
    bands = {2015: (0.321, 0.335, 0.344), 2019: (0.313, 0.335, 0.352), 2023: (0.311, 0.329, 0.360)}
    genders = (0.50176, 0.47824, 0.02)
    regions = {1: 0.10, 2: 0.21, 3: 0.22, 4: 0.47}
    for wave, x in df.groupby("wave"):
        w = x["weight"]
        assert (w > 0).all() and abs(w.mean() - 1) < 1e-4
        for b in (1, 2, 3):
            for g in (1, 2, 3):
                cell = (x["age_band"] == b) & (x["gender"] == g)
                assert w[cell].sum() / w.sum() == pytest.approx(
                    bands[wave][b - 1] * genders[g - 1], abs=2e-5
                )
        for r, share in regions.items():
            assert w[x["region"] == r].sum() / w.sum() == pytest.approx(share, abs=2e-5)
        deff = len(w) * (w**2).sum() / w.sum() ** 2  # Kish: n Σw² / (Σw)²
        assert 1.1 <= deff <= 1.4, (wave, deff)


# -- published shapes ----------------------------------------------------------------------------
def test_whatsapp_near_universal_among_15_to_19_in_2023(df):
    # Target 97%: Newcom 2017 has 84% of 15-19 year olds using WhatsApp *daily*, so nearly all
    # have it; data/README.md calibrates account-level reach to 97% for 2023.
    assert reach(df, "whatsapp", 2023, 2) == pytest.approx(97, abs=3)
    for wave in (2015, 2019, 2023):
        assert reach(df, "whatsapp", wave, 2) > 90


def test_facebook_falls_among_15_to_19(df):
    # Newcom: 88% of 15-19 year olds had Facebook in 2016, 80% in 2017; Pew (US teens) 33% in 2023.
    fb = [reach(df, "facebook", w, 2) for w in (2015, 2019, 2023)]
    assert fb[0] == pytest.approx(88, abs=5)
    assert fb[0] > fb[1] > fb[2]
    assert fb[2] < 50
    assert reach(df, "facebook", 2015, 1) > reach(df, "facebook", 2023, 1)  # also the youngest


def test_instagram_and_snapchat_rise_past_newcom_2017(df):
    # Newcom 2017, 15-19: Instagram 66%, Snapchat 67% (Instagram 48% in 2016)
    for p in ("instagram", "snapchat"):
        r = [reach(df, p, w, 2) for w in (2015, 2019, 2023)]
        assert r[0] < 66 < r[1] <= r[2] + 3
        assert r[1] < 90


def test_tiktok_absent_in_2015_then_rising(df):
    assert df.loc[df["wave"] == 2015, ["use_tiktok", "freq_tiktok"]].isna().all().all()
    assert df.loc[df["wave"] > 2015, "use_tiktok"].notna().all()
    for band in (1, 2, 3):
        assert reach(df, "tiktok", 2019, band) < reach(df, "tiktok", 2023, band)
    # Pew 2023 (US 13-17): TikTok 63% -> the Dutch 15-19 figure in the same region
    assert 50 < reach(df, "tiktok", 2023, 2) < 85


def test_bereal_only_asked_in_2023(df):
    assert df.loc[df["wave"] < 2023, "use_bereal"].isna().all()
    assert df.loc[df["wave"] == 2023, "use_bereal"].notna().all()


def test_pew_ordering_in_2023(df):
    # Pew 2023 (13-17): YouTube 93 > TikTok 63, Snapchat 60, Instagram 59 > Facebook 33
    r = {
        p: reach(df, p, 2023, 2) for p in ("youtube", "tiktok", "snapchat", "instagram", "facebook")
    }
    assert r["youtube"] > max(r["tiktok"], r["snapchat"], r["instagram"]) - 5
    assert r["facebook"] < min(r["tiktok"], r["snapchat"], r["instagram"])


def test_linkedin_only_among_the_oldest(df):
    # LinkedIn's minimum age is 16: nobody aged 10-15 uses it
    assert df.loc[df["age"] < 16, "use_linkedin"].sum() == 0
    for wave in (2015, 2019, 2023):
        assert reach(df, "linkedin", wave, 1) == 0
        assert reach(df, "linkedin", wave, 2) < 10
        assert reach(df, "linkedin", wave, 3) > 15


def test_active_on_social_media_in_2015_near_98_percent(df):
    # Newcom 2015 (seed article): "98% of Dutch young people are active on social media"
    x = df[df["wave"] == 2015]
    assert 100 * wmean(x["any_social"], x["weight"]) == pytest.approx(98, abs=1.5)
    # any_social is 1 exactly when at least one platform is chosen
    uses = df[[f"use_{p}" for p in PLATFORMS]].fillna(0)
    assert (df["any_social"] == (uses.sum(axis=1) > 0)).all()


def test_problematic_use_near_dutch_hbsc(df):
    # HBSC definition: at least 6 of the 9 SMDS items (Boer et al. 2021). Dutch HBSC: 7% (2017),
    # 5.3% of 12-16 year olds (2021); international 2022 girls 13% vs boys 9%.
    problematic = (df[SMDS].sum(axis=1) >= 6).astype(float)
    for wave in (2015, 2019, 2023):
        x = df["wave"] == wave
        assert 4 <= 100 * wmean(problematic[x], df.loc[x, "weight"]) <= 8.5
        boys, girls = x & (df["gender"] == 1), x & (df["gender"] == 2)
        assert wmean(problematic[girls], df.loc[girls, "weight"]) > wmean(
            problematic[boys], df.loc[boys, "weight"]
        )
    # nobody without any social medium endorses an item
    assert (df.loc[df["any_social"] == 0, SMDS] == 0).all().all()


def test_gender_differences_in_platforms(df):
    x = df[df["wave"] == 2023]
    by = {g: x[x["gender"] == g] for g in (1, 2)}

    def r(p, g):
        return wmean(by[g][f"use_{p}"], by[g]["weight"])

    assert r("instagram", 2) > r("instagram", 1) and r("tiktok", 2) > r("tiktok", 1)
    assert r("discord", 1) > r("discord", 2) and r("twitch", 1) > r("twitch", 2)


def test_associations_have_plausible_strength(df):
    smds_sum = df[SMDS].sum(axis=1)
    valid = df["hours_online"].notna() & (df["hours_online"] <= 24)
    # problematic use rises with time online: a moderate positive rank correlation
    rho = df.loc[valid, "hours_online"].corr(smds_sum[valid], method="spearman")
    assert 0.1 < rho < 0.6
    # hours online on their own barely relate to life satisfaction (Orben & Przybylski 2019: |r| < .1)
    assert abs(df.loc[valid, "hours_online"].corr(df.loc[valid, "life_sat"])) < 0.15
    # cyberbullying victims are less satisfied with life: 0.3 to 2 points lower on the 0-10 ladder
    victims = df.loc[df["cyber_victim"] >= 2, "life_sat"].mean()
    others = df.loc[df["cyber_victim"] == 1, "life_sat"].mean()
    assert 0.3 < others - victims < 2
    # victimisation and perpetration go together, but far from perfectly
    both = df[["cyber_victim", "cyber_perp"]].dropna()
    assert 0.15 < both["cyber_victim"].corr(both["cyber_perp"]) < 0.7
    # parents' screen-time rules are for the young: agreement falls with age band
    rules = df.groupby("age_band")["parent_rules"].mean()
    assert rules[1] > rules[2] > rules[3]


def test_frequency_is_never_for_non_users_and_ordered(df):
    for p in ("whatsapp", "youtube", "instagram", "snapchat", "tiktok"):
        use, freq = df[f"use_{p}"], df[f"freq_{p}"]
        assert (freq[use == 0] == 1).all()
        assert freq[use == 1].between(2, 6).all()
        assert (use.isna() == freq.isna()).all()
    # Pew 2023: TikTok is the platform used "almost constantly" most often, Instagram less so
    x = df[df["wave"] == 2023]
    assert (x["freq_tiktok"] == 6).mean() > (x["freq_instagram"] == 6).mean()


def test_hours_online_has_refusals_and_implausible_values(sav):
    raw, _ = pyreadstat.read_sav(SAV, user_missing=True, usecols=["hours_online"])
    h = raw["hours_online"]
    assert (h == 98).sum() >= 10 and (h == 99).sum() >= 10
    assert 1 <= ((h > 24) & (h < 98)).sum() <= 30
    assert 2 <= h[h <= 24].median() <= 5
    # with user-missing applied (the default read), 98/99 are gone
    assert not sav[0]["hours_online"].isin([98, 99]).any()


# -- metadata ------------------------------------------------------------------------------------
def test_sav_carries_full_metadata():
    _df, meta = pyreadstat.read_sav(SAV, user_missing=True, metadataonly=True)
    labels = meta.column_names_to_labels
    assert labels["gender"] == "Geslacht"
    assert labels["smds_1"].startswith("Afgelopen jaar: regelmatig aan niets anders kunnen denken")
    vl = meta.variable_value_labels
    assert vl["gender"] == {1: "jongen", 2: "meisje", 3: "anders / zeg ik liever niet"}
    assert vl["age_band"] == {1: "10-14 jaar", 2: "15-19 jaar", 3: "20-24 jaar"}
    assert vl["use_tiktok"] == {0: "niet gekozen", 1: "gekozen"}
    assert vl["freq_instagram"][1] == "nooit" and vl["freq_instagram"][6] == "bijna constant"
    assert vl["cyber_victim"][3] == "2 of 3 keer per maand"
    assert vl["life_sat"] == {0: "slechtst mogelijke leven", 10: "best mogelijke leven"}
    assert meta.missing_ranges["hours_online"] == [
        {"lo": 98.0, "hi": 98.0},
        {"lo": 99.0, "hi": 99.0},
    ]
    assert meta.missing_ranges["cyber_victim"] == [{"lo": 9.0, "hi": 9.0}]
    measure = meta.variable_measure
    assert (measure["gender"], measure["freq_tiktok"], measure["hours_online"]) == (
        "nominal",
        "ordinal",
        "scale",
    )
    mr = meta.mr_sets["platforms"]
    assert mr["is_dichotomy"] and mr["counted_value"] == 1
    assert mr["variable_list"] == [f"use_{p}" for p in PLATFORMS]
    assert "geen echte respondenten" in meta.file_label
    # the header's weight_index (bytes 76-79, little-endian) points at the variable record of
    # `weight`: dictionary index = 1 + position of `weight`, every variable here is numeric
    weight_index = int.from_bytes(SAV.read_bytes()[76:80], "little")
    assert weight_index == meta.column_names.index("weight") + 1


def test_csv_holds_the_same_data_as_the_sav():
    raw, _ = pyreadstat.read_sav(SAV, user_missing=True)
    csv_df = pd.read_csv(CSV)
    assert list(csv_df.columns) == list(raw.columns)
    pd.testing.assert_frame_equal(csv_df.astype(float), raw.astype(float), check_dtype=False)


def test_sidecar_describes_every_variable_in_two_languages(sav):
    _df, meta = sav
    cb = yaml.safe_load(SIDECAR.read_text(encoding="utf-8"))
    assert cb["weight"] == "weight"
    assert cb["dataset"]["year"] == "2015–2023" and cb["dataset"]["language"] == "nl"
    assert list(cb["variables"]) == meta.column_names
    for name, var in cb["variables"].items():
        assert var["label"] == meta.column_names_to_labels[name]
        assert var["translations"]["en"]["label"], name
        if "values" in var:
            assert set(var["values"]) == set(var["translations"]["en"]["values"]), name
    assert cb["variables"]["gender"]["translations"]["en"]["values"] == {
        1: "boy",
        2: "girl",
        3: "other / prefer not to say",
    }
    assert cb["groups"]["smds"] == SMDS
    assert set(cb["groups"]) >= {"demographics", "frequency", "smds", "cyberbullying", "design"}
    assert cb["mr_sets"]["platforms"]["variables"] == [f"use_{p}" for p in PLATFORMS]


def test_forms_export_looks_like_microsoft_forms():
    raw = FORMS.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["ID", "Begintijd", "Tijd van voltooiing", "E-mail", "Naam"]
    assert 25 <= len(body) <= 35
    assert all(len(r) == len(header) for r in body)
    col = {h: i for i, h in enumerate(header)}
    platforms = [
        r[col["Welke sociale media gebruik je? (kies alles wat van toepassing is)"]] for r in body
    ]
    assert all(p.endswith(";") for p in platforms)
    assert sum(p.count(";") > 1 for p in platforms) > 20  # several platforms in one cell
    assert all(r[col["E-mail"]].endswith("@school.example") for r in body)
    hours = [r[col["Hoeveel uur per dag ben je ongeveer online?"]] for r in body]
    assert any("," in h for h in hours) and "" in hours  # decimal commas and a skipped answer
    rating = [
        r[header.index(next(h for h in header if h.startswith("Hoe tevreden")))] for r in body
    ]
    assert set(rating) <= {"1", "2", "3", "4", "5"}


# -- through the library -------------------------------------------------------------------------
def test_sav_loads_through_youthmedia_load():
    import youthmedia as ym

    s = ym.load(SAV)
    cb = s.codebook
    assert s.n == pyreadstat.read_sav(SAV, metadataonly=True)[1].number_rows
    assert cb.weight == "weight"
    assert cb.mr_sets["platforms"].variables == [f"use_{p}" for p in PLATFORMS]
    assert (
        cb.mr_sets["platforms"].label_in("en")
        == "Which social media do you use? (select all that apply)"
    )
    assert cb.label("gender") == "Geslacht" and cb.label("gender", "en") == "Gender"
    assert cb["gender"].value_labels_in("en")[2] == "girl"
    assert cb["hours_online"].is_missing_code(98) and cb["hours_online"].is_missing_code(99)
    assert cb["hours_online"].measure == "scale" and cb["freq_tiktok"].measure == "ordinal"
    assert cb.groups["smds"] == SMDS
    raw, _ = pyreadstat.read_sav(SAV, user_missing=True, usecols=["hours_online"])
    assert s.data["hours_online"].isna().sum() == raw["hours_online"].isin([98, 99]).sum()
    assert isinstance(s.data["gender"].dtype, pd.CategoricalDtype)
    assert list(s.data["gender"].cat.categories) == [
        "jongen",
        "meisje",
        "anders / zeg ik liever niet",
    ]
    assert pd.api.types.is_numeric_dtype(s.data["life_sat"])  # only the end points are labelled


def test_load_demo_gives_the_weighted_survey():
    import youthmedia as ym

    s = ym.load(SAV)
    assert (
        s.codebook.weight == "weight" and s.source.name == "Voorbeelddata youthmedia (synthetisch)"
    )
    assert s.source.year == "2015–2023"


def test_csv_loads_with_the_same_labels_as_the_sav():
    import youthmedia as ym

    s_sav, s_csv = ym.load(SAV), ym.load(CSV)
    assert s_csv.codebook.weight == "weight"
    assert "platforms" in s_csv.codebook.mr_sets
    for name in ("gender", "age_band", "freq_tiktok", "cyber_victim"):
        assert list(s_csv.data[name].cat.categories) == list(s_sav.data[name].cat.categories)
        assert (
            s_csv.data[name].astype(object).fillna("NA")
            == s_sav.data[name].astype(object).fillna("NA")
        ).all()


def test_forms_export_loads_through_youthmedia_load():
    import youthmedia as ym

    s = ym.load(FORMS)
    assert s.n == 29 and s.source.reader == "forms"
    cb = s.codebook
    assert {cb.label(v) for v in cb.identifying} >= {"E-mail", "Naam"}
    (mr,) = [m for m in cb.mr_sets.values() if m.label.startswith("Welke sociale media")]
    members = {cb.label(v): v for v in mr.variables}
    assert {"WhatsApp", "Instagram", "TikTok"} <= set(members)
    # hand count from the raw cells: pupils whose platform cell contains "WhatsApp;"
    rows = list(csv.DictReader(io.StringIO(FORMS.read_text(encoding="utf-8-sig")), delimiter=";"))
    cell = "Welke sociale media gebruik je? (kies alles wat van toepassing is)"
    assert s.data[members["WhatsApp"]].sum() == sum("WhatsApp;" in r[cell] for r in rows)
    # decimal commas: the loaded hours equal the raw text with "," read as "."
    hours_q = "Hoeveel uur per dag ben je ongeveer online?"
    (hours,) = [v.name for v in cb if v.label == hours_q]
    expected = [float(r[hours_q].replace(",", ".")) if r[hours_q] else np.nan for r in rows]
    np.testing.assert_allclose(s.data[hours].to_numpy(dtype=float), expected)
