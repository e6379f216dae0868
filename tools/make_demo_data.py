"""The generator of the bundled demo data (synthetic): a tool, not part of the package.

``data/`` holds a synthetic Dutch youth social-media survey — three waves (2015, 2019, 2023) of
about 1,500 respondents aged 10–24 — as SPSS (``youth_social_media_demo.sav``) and CSV
(``youth_social_media_demo.csv``), with one codebook sidecar that serves both
(``youth_social_media_demo.codebook.yaml``), and a small Microsoft-Forms-style class survey
(``klas_enquete_forms.csv``). Everything is *voorbeelddata — geen echte respondenten*.

The generator is deterministic (fixed seed, numpy and pandas only) and regenerating gives
byte-identical files::

    python tools/make_demo_data.py            # rewrite data/ (``make data``)
    python tools/make_demo_data.py --check    # verify data/ against a fresh generation

How it is calibrated (see ``data/README.md`` for the sources): reach of each platform per wave
and age band is set to the targets in :data:`REACH` (Newcom for Dutch 15–19 year olds, the Pew
shape where Dutch figures are missing); the logistic intercept of every wave × age band ×
platform cell is solved by bisection so that the expected reach in the *population* (its
gender and age mix, the respondent's latent sociability and the school effect integrated out
by Gauss–Hermite quadrature) equals the target. Problematic use (SMDS ≥ 6 of 9, the HBSC
definition) is calibrated the same way to :data:`SMDS_PREVALENCE`. Weights are raked to
:data:`POPULATION` (age band × gender) and :data:`REGION_SHARES`.

Examples
--------
>>> df = build_demo()                                   # doctest: +SKIP
>>> sorted(df["wave"].unique().tolist())               # doctest: +SKIP
[2015.0, 2019.0, 2023.0]
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from youthmedia.files import atomic_path, atomic_write, sha256_of

SEED = 20240601
DATA_DIR = Path(__file__).resolve().parents[1] / "data"  # tools/ sits beside data/
STEM = "youth_social_media_demo"
FILES = {
    "sav": f"{STEM}.sav",
    "csv": f"{STEM}.csv",
    "codebook": f"{STEM}.codebook.yaml",
    "forms": "klas_enquete_forms.csv",
}
#: Fixed creation date and time written into the SPSS header (``dd Mmm yy`` and ``hh:mm:ss``),
#: instead of the moment of writing, so that regenerating gives the same bytes.
SAV_TIMESTAMP = (b"01 Jun 24", b"12:00:00")
_SAV_DATE_OFFSET = 92  # after "$FL2", product name (60), layout, case size, compression,
#                        weight index, ncases (4 bytes each) and the bias (8)

WAVES = (2015, 2019, 2023)
N_PER_WAVE = {2015: 1514, 2019: 1496, 2023: 1508}
N_CLUSTERS = {2015: 74, 2019: 78, 2023: 76}
BANDS = (1, 2, 3)  # 10-14, 15-19, 20-24
BAND_AGES = {1: range(10, 15), 2: range(15, 20), 3: range(20, 25)}
GENDERS = (1, 2, 3)  # jongen, meisje, anders / zeg ik liever niet

#: Population shares used for raking, per wave: age band × gender (sum 1 per wave). Age-band
#: shares are rounded approximations of CBS StatLine population counts (1 January) for ages
#: 10–24; within each band boys:girls = 51.2:48.8, with 2% of each band put in category 3
#: ("anders / zeg ik liever niet"), an assumption: CBS registers sex only.
_BAND_SHARES = {
    2015: (0.321, 0.335, 0.344),
    2019: (0.313, 0.335, 0.352),
    2023: (0.311, 0.329, 0.360),
}
_GENDER_SHARES = (0.98 * 0.512, 0.98 * 0.488, 0.02)
POPULATION: dict[int, dict[tuple[int, int], float]] = {
    w: {(b, g): _BAND_SHARES[w][b - 1] * _GENDER_SHARES[g - 1] for b in BANDS for g in GENDERS}
    for w in WAVES
}
#: Population shares of the four regions (landsdelen) among 10–24 year olds, approximate.
REGION_SHARES = {1: 0.10, 2: 0.21, 3: 0.22, 4: 0.47}  # noord, oost, zuid, west
#: The (deliberately unrepresentative) sample composition: 15–19, girls and the north and east
#: are over-represented, as in a school-and-panel sample; the weights correct for it.
_SAMPLE_BAND = (0.30, 0.38, 0.32)
_SAMPLE_GENDER = {1: (0.50, 0.47, 0.03), 2: (0.47, 0.50, 0.03), 3: (0.42, 0.55, 0.03)}
_SAMPLE_REGION = {1: 0.15, 2: 0.25, 3: 0.22, 4: 0.38}

PLATFORMS = (
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
)
PLATFORM_NAMES = {
    "whatsapp": "WhatsApp",
    "youtube": "YouTube",
    "instagram": "Instagram",
    "snapchat": "Snapchat",
    "tiktok": "TikTok",
    "facebook": "Facebook",
    "x": "X (Twitter)",
    "pinterest": "Pinterest",
    "linkedin": "LinkedIn",
    "discord": "Discord",
    "twitch": "Twitch",
    "bereal": "BeReal",
}
FREQ_PLATFORMS = ("whatsapp", "youtube", "instagram", "snapchat", "tiktok")

#: Target reach (%) per platform, wave and age band (10–14, 15–19, 20–24); ``None`` = not asked.
#: Anchors: Newcom (NL, 15–19) Facebook 88% (2016) → 80% (2017), Instagram 48% (2016) → 66% and
#: Snapchat 67% (2017), WhatsApp daily 84% (2017); Pew (US 13–17) 2023 YouTube 93, TikTok 63,
#: Instagram 59, Snapchat 60, Facebook 33 for the shape of 2019–2023. See data/README.md.
REACH: dict[str, dict[int, tuple[float, float, float] | None]] = {
    "whatsapp": {2015: (86, 95, 97), 2019: (90, 96, 97), 2023: (93, 97, 98)},
    "youtube": {2015: (85, 88, 82), 2019: (90, 90, 85), 2023: (92, 91, 86)},
    "instagram": {2015: (22, 42, 40), 2019: (50, 78, 72), 2023: (58, 81, 78)},
    "snapchat": {2015: (25, 46, 30), 2019: (55, 75, 55), 2023: (65, 78, 60)},
    "tiktok": {2015: None, 2019: (35, 25, 10), 2023: (70, 72, 55)},
    "facebook": {2015: (45, 88, 92), 2019: (18, 62, 80), 2023: (8, 38, 62)},
    "x": {2015: (10, 35, 35), 2019: (6, 18, 25), 2023: (4, 12, 18)},
    "pinterest": {2015: (10, 20, 22), 2019: (15, 28, 30), 2023: (18, 30, 32)},
    "linkedin": {2015: (0, 2, 25), 2019: (0, 3, 35), 2023: (0, 5, 40)},
    "discord": {2015: (2, 3, 3), 2019: (15, 20, 18), 2023: (28, 32, 28)},
    "twitch": {2015: (1, 2, 2), 2019: (8, 12, 10), 2023: (14, 18, 15)},
    "bereal": {2015: None, 2019: None, 2023: (15, 30, 22)},
}
#: Share who use no social medium at all, per wave and age band (10–14, 15–19, 20–24); chosen so
#: that "active on at least one platform" is near the 98% quoted by Newcom for 2015.
NONE_SHARE = {2015: (0.045, 0.010, 0.012), 2019: (0.030, 0.006, 0.008), 2023: (0.020, 0.004, 0.006)}
#: Gender effects on the log-odds of use (jongen, meisje, anders); centred before calibration.
_GENDER_EFFECT = {
    "instagram": (-0.35, 0.35, 0.0),
    "tiktok": (-0.40, 0.40, 0.0),
    "snapchat": (-0.25, 0.25, 0.0),
    "pinterest": (-0.90, 0.90, 0.2),
    "discord": (0.90, -0.90, 0.6),
    "twitch": (0.90, -0.90, 0.3),
    "x": (0.20, -0.20, 0.0),
    "bereal": (-0.20, 0.20, 0.0),
}
#: Log-odds change per year of age within a band (older children use more, LinkedIn from 16).
_AGE_SLOPE = {
    "facebook": 0.45,
    "instagram": 0.35,
    "snapchat": 0.35,
    "tiktok": 0.2,
    "whatsapp": 0.45,
    "linkedin": 0.8,
    "x": 0.2,
    "bereal": 0.1,
}
_LOADING = 0.8  # of the latent sociability on every platform's log-odds
_CLUSTER_SD = 0.35  # school effect on the log-odds (modest intra-cluster correlation)

#: Target prevalence of problematic use (SMDS ≥ 6 of 9, HBSC definition) per wave. Dutch HBSC:
#: 7% (2017), 5.3% of 12–16 year olds (2021); 2015 assumed between.
SMDS_PREVALENCE = {2015: 0.060, 2019: 0.070, 2023: 0.055}
#: Two-parameter item model for the nine SMDS items: (discrimination, difficulty).
_SMDS_ITEMS = (
    (1.6, 0.9),
    (1.7, 1.4),
    (1.8, 1.2),
    (1.5, 1.1),
    (1.9, 1.5),
    (1.7, 1.7),
    (1.6, 1.8),
    (1.4, 0.8),
    (1.8, 2.0),
)
_SMDS_GENDER = (-0.2, 0.2, 0.1)
_SMDS_BAND = (0.0, 0.15, -0.1)
_SMDS_INTENSITY = 0.9

#: Frequency of use among users in the reference cell (2023, 15–19), categories 2..6 (less than
#: weekly, weekly, daily, several times a day, almost constantly); "almost constantly" after Pew
#: 2023 among users (TikTok 17/63, YouTube 16/93, Snapchat 14/60, Instagram 8/59).
_FREQ_REF = {
    "whatsapp": (0.03, 0.08, 0.22, 0.52, 0.15),
    "youtube": (0.06, 0.20, 0.32, 0.25, 0.17),
    "instagram": (0.08, 0.14, 0.30, 0.34, 0.14),
    "snapchat": (0.06, 0.10, 0.25, 0.36, 0.23),
    "tiktok": (0.05, 0.08, 0.25, 0.35, 0.27),
}
_FREQ_WAVE_SHIFT = {2015: -0.5, 2019: -0.25, 2023: 0.0}
_FREQ_BAND_SHIFT = (-0.3, 0.0, -0.2)
_FREQ_INTENSITY = 0.9

#: Median hours online per day, per wave and age band.
_HOURS_MEDIAN = {2015: (2.0, 3.0, 2.8), 2019: (2.5, 3.5, 3.2), 2023: (3.0, 4.0, 3.6)}

# --------------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------------
_NOT_CHOSEN = ({0: "niet gekozen", 1: "gekozen"}, {0: "not selected", 1: "selected"})
_NO_YES = ({0: "nee", 1: "ja"}, {0: "no", 1: "yes"})
_FREQ_LABELS = (
    {
        1: "nooit",
        2: "minder dan 1 keer per week",
        3: "wekelijks",
        4: "dagelijks",
        5: "meerdere keren per dag",
        6: "bijna constant",
    },
    {
        1: "never",
        2: "less than once a week",
        3: "weekly",
        4: "daily",
        5: "several times a day",
        6: "almost constantly",
    },
)
_BULLY_LABELS = (
    {
        1: "niet",
        2: "1 of 2 keer",
        3: "2 of 3 keer per maand",
        4: "ongeveer 1 keer per week",
        5: "meerdere keren per week",
        9: "wil ik niet zeggen",
    },
    {
        1: "not at all",
        2: "once or twice",
        3: "two or three times a month",
        4: "about once a week",
        5: "several times a week",
        9: "prefer not to say",
    },
)
_SMDS_TEXT = (
    (
        "preoccupation",
        "Afgelopen jaar: regelmatig aan niets anders kunnen denken dan aan het moment dat je weer sociale media kunt gebruiken",
        "Past year: regularly found that you can't think of anything else but the moment that you will be able to use social media again",
    ),
    (
        "tolerance",
        "Afgelopen jaar: je regelmatig ontevreden gevoeld omdat je meer tijd aan sociale media wilde besteden",
        "Past year: regularly felt dissatisfied because you wanted to spend more time on social media",
    ),
    (
        "withdrawal",
        "Afgelopen jaar: je vaak slecht gevoeld als je geen sociale media kon gebruiken",
        "Past year: often felt bad when you could not use social media",
    ),
    (
        "persistence",
        "Afgelopen jaar: geprobeerd minder tijd aan sociale media te besteden, maar dat lukte niet",
        "Past year: tried to spend less time on social media, but failed",
    ),
    (
        "displacement",
        "Afgelopen jaar: regelmatig hobby's, sport of andere activiteiten laten schieten omdat je sociale media wilde gebruiken",
        "Past year: regularly neglected other activities (hobbies, sport) because you wanted to use social media",
    ),
    (
        "problem",
        "Afgelopen jaar: regelmatig ruzie gehad met anderen door je gebruik van sociale media",
        "Past year: regularly had arguments with others because of your social media use",
    ),
    (
        "deception",
        "Afgelopen jaar: regelmatig tegen je ouders of vrienden gelogen over hoeveel tijd je aan sociale media besteedt",
        "Past year: regularly lied to your parents or friends about the amount of time you spend on social media",
    ),
    (
        "escape",
        "Afgelopen jaar: vaak sociale media gebruikt om niet aan vervelende dingen te hoeven denken",
        "Past year: often used social media to escape from negative feelings",
    ),
    (
        "conflict",
        "Afgelopen jaar: ernstige ruzie gehad met je ouders, broer(s) of zus(sen) door je gebruik van sociale media",
        "Past year: had serious conflict with your parents, brother(s) or sister(s) because of your social media use",
    ),
)


@dataclass
class _Var:
    """One variable's metadata, Dutch first, English in ``en``."""

    label: str
    en: str
    measure: str
    fmt: str = "F8.0"
    values: dict[int, str] = field(default_factory=dict)
    values_en: dict[int, str] = field(default_factory=dict)
    missing: list[int] = field(default_factory=list)
    group: str | None = None


def _variables() -> dict[str, _Var]:
    v: dict[str, _Var] = {
        "resp_id": _Var("Respondentnummer", "Respondent ID", "nominal", "F8.0", group="design"),
        "wave": _Var(
            "Meting (jaar)",
            "Survey wave (year)",
            "ordinal",
            "F4.0",
            {w: str(w) for w in WAVES},
            {w: str(w) for w in WAVES},
            group="design",
        ),
        "age": _Var("Leeftijd (jaren)", "Age (years)", "scale", "F2.0", group="demographics"),
        "age_band": _Var(
            "Leeftijdsgroep",
            "Age group",
            "ordinal",
            "F1.0",
            {1: "10-14 jaar", 2: "15-19 jaar", 3: "20-24 jaar"},
            {1: "10-14 years", 2: "15-19 years", 3: "20-24 years"},
            group="demographics",
        ),
        "gender": _Var(
            "Geslacht",
            "Gender",
            "nominal",
            "F1.0",
            {1: "jongen", 2: "meisje", 3: "anders / zeg ik liever niet"},
            {1: "boy", 2: "girl", 3: "other / prefer not to say"},
            group="demographics",
        ),
        "school_level": _Var(
            "Opleiding (huidige school, of werkend)",
            "Education (current school, or working)",
            "nominal",
            "F1.0",
            {
                1: "basisschool",
                2: "vmbo",
                3: "havo",
                4: "vwo",
                5: "mbo",
                6: "hbo/wo",
                7: "werkend/anders",
            },
            {
                1: "primary school",
                2: "vmbo (pre-vocational secondary)",
                3: "havo (senior general secondary)",
                4: "vwo (pre-university)",
                5: "mbo (vocational)",
                6: "hbo/university",
                7: "working/other",
            },
            group="demographics",
        ),
        "region": _Var(
            "Landsdeel",
            "Region",
            "nominal",
            "F1.0",
            {1: "noord", 2: "oost", 3: "zuid", 4: "west"},
            {1: "north", 2: "east", 3: "south", 4: "west"},
            group="demographics",
        ),
        "school": _Var(
            "School of panelcluster (cluster-id)",
            "School or panel cluster (cluster ID)",
            "nominal",
            "F4.0",
            group="design",
        ),
        "weight": _Var(
            "Weegfactor (gerakt naar leeftijdsgroep x geslacht en landsdeel)",
            "Survey weight (raked to age group x gender and region)",
            "scale",
            "F10.6",
            group="design",
        ),
    }
    for p in PLATFORMS:
        name = PLATFORM_NAMES[p]
        v[f"use_{p}"] = _Var(
            f"Gebruikt {name}", f"Uses {name}", "nominal", "F1.0", *_NOT_CHOSEN, group="platforms"
        )
    v["any_social"] = _Var(
        "Actief op minstens één sociaal medium",
        "Active on at least one social medium",
        "nominal",
        "F1.0",
        *_NO_YES,
        group="platforms",
    )
    for p in FREQ_PLATFORMS:
        name = PLATFORM_NAMES[p]
        v[f"freq_{p}"] = _Var(
            f"Hoe vaak gebruik je {name}?",
            f"How often do you use {name}?",
            "ordinal",
            "F1.0",
            *_FREQ_LABELS,
            group="frequency",
        )
    v["hours_online"] = _Var(
        "Hoeveel uur per dag ben je gemiddeld online?",
        "Hours online per day (average)",
        "scale",
        "F4.1",
        {98: "weigert", 99: "weet niet"},
        {98: "refused", 99: "don't know"},
        [98, 99],
        group="online_time",
    )
    for k, (_key, nl, en) in enumerate(_SMDS_TEXT, start=1):
        v[f"smds_{k}"] = _Var(nl, en, "nominal", "F1.0", *_NO_YES, group="smds")
    v["cyber_victim"] = _Var(
        "Hoe vaak ben je de afgelopen maanden online gepest?",
        "How often have you been cyberbullied in the past couple of months?",
        "ordinal",
        "F1.0",
        *_BULLY_LABELS,
        [9],
        group="cyberbullying",
    )
    v["cyber_perp"] = _Var(
        "Hoe vaak heb je de afgelopen maanden zelf iemand online gepest?",
        "How often have you cyberbullied someone in the past couple of months?",
        "ordinal",
        "F1.0",
        *_BULLY_LABELS,
        [9],
        group="cyberbullying",
    )
    v["life_sat"] = _Var(
        "Levenstevredenheid (Cantril-ladder 0-10)",
        "Life satisfaction (Cantril ladder 0-10)",
        "scale",
        "F2.0",
        {0: "slechtst mogelijke leven", 10: "best mogelijke leven"},
        {0: "worst possible life", 10: "best possible life"},
        group="wellbeing",
    )
    v["parent_rules"] = _Var(
        "Mijn ouders hebben regels over mijn schermtijd",
        "My parents have rules about my screen time",
        "ordinal",
        "F1.0",
        {
            1: "helemaal mee oneens",
            2: "mee oneens",
            3: "niet eens, niet oneens",
            4: "mee eens",
            5: "helemaal mee eens",
            9: "wil ik niet zeggen",
        },
        {
            1: "strongly disagree",
            2: "disagree",
            3: "neither agree nor disagree",
            4: "agree",
            5: "strongly agree",
            9: "prefer not to say",
        },
        [9],
        group="parenting",
    )
    return v


MR_LABEL = (
    "Welke sociale media gebruik je? (meerdere antwoorden mogelijk)",
    "Which social media do you use? (select all that apply)",
)
FILE_LABEL = "Voorbeelddata youthmedia (synthetisch, geen echte respondenten)"
DATASET_NAME = "Voorbeelddata youthmedia (synthetisch)"

# --------------------------------------------------------------------------------------------
# Calibration helpers
# --------------------------------------------------------------------------------------------
_GH_X, _GH_W = np.polynomial.hermite_e.hermegauss(48)
_GH_W = _GH_W / _GH_W.sum()  # expectation over a standard normal


def _expit(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _bisect(f, target: float, lo: float = -40.0, hi: float = 40.0) -> float:
    """The x in [lo, hi] with f(x) = target, for an increasing f."""
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if f(mid) < target:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def _reach_intercept(target: float, offsets: np.ndarray, mix: np.ndarray, scale: float) -> float:
    """Intercept a with Σ mix·E[expit(a + offset + scale·Z)] = target, Z standard normal."""

    def mean_p(a: float) -> float:
        p = _expit(a + offsets[:, None] + scale * _GH_X[None, :]) @ _GH_W
        return float(mix @ p)

    return _bisect(mean_p, target)


def _p_at_least(theta: np.ndarray, k: int) -> np.ndarray:
    """P(at least k of the nine SMDS items endorsed | theta), by the Poisson-binomial recursion."""
    dist = np.zeros((theta.size, len(_SMDS_ITEMS) + 1))
    dist[:, 0] = 1.0
    for alpha, delta in _SMDS_ITEMS:
        p = _expit(alpha * (theta - delta))[:, None]
        dist = dist * (1 - p) + np.hstack([np.zeros((theta.size, 1)), dist[:, :-1]]) * p
    return dist[:, k:].sum(axis=1)


def _smds_intercept(wave: int) -> float:
    """Intercept of the latent problematic-use trait that gives SMDS_PREVALENCE[wave]."""
    offsets, mix = [], []
    for b in BANDS:
        for g in GENDERS:
            offsets.append(_SMDS_BAND[b - 1] + _SMDS_GENDER[g - 1])
            mix.append(POPULATION[wave][(b, g)] * (1 - NONE_SHARE[wave][b - 1]))
    offsets_a, mix_a = np.array(offsets), np.array(mix)
    scale = float(np.hypot(_SMDS_INTENSITY, 1.0))
    theta = scale * _GH_X

    def prevalence(a: float) -> float:
        p = np.array([_p_at_least(a + off + theta, 6) @ _GH_W for off in offsets_a])
        return float(mix_a @ p)  # non-users endorse no item

    return _bisect(prevalence, SMDS_PREVALENCE[wave], -20, 20)


def _freq_cutpoints(platform: str) -> np.ndarray:
    """Cut points of the latent frequency among users, from the reference distribution."""
    cum = np.cumsum(_FREQ_REF[platform])[:-1]
    cuts = []
    for c in cum:

        def cdf(x: float) -> float:
            return float(_expit(x - _FREQ_INTENSITY * _GH_X) @ _GH_W)

        cuts.append(_bisect(cdf, float(c), -30, 30))
    return np.array(cuts)


def _ordinal(latent: np.ndarray, cuts: Sequence[float], first: int = 1) -> np.ndarray:
    return first + np.searchsorted(np.asarray(cuts), latent)


# --------------------------------------------------------------------------------------------
# The demo survey
# --------------------------------------------------------------------------------------------
def _school_level(age: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    table = {  # age -> probabilities of levels 1..7
        10: (1, 0, 0, 0, 0, 0, 0),
        11: (1, 0, 0, 0, 0, 0, 0),
        12: (0.35, 0.33, 0.16, 0.16, 0, 0, 0),
        13: (0, 0.50, 0.25, 0.25, 0, 0, 0),
        14: (0, 0.50, 0.25, 0.25, 0, 0, 0),
        15: (0, 0.48, 0.26, 0.26, 0, 0, 0),
        16: (0, 0.30, 0.27, 0.25, 0.18, 0, 0),
        17: (0, 0, 0.20, 0.23, 0.45, 0.05, 0.07),
        18: (0, 0, 0.03, 0.15, 0.45, 0.27, 0.10),
        19: (0, 0, 0, 0.02, 0.35, 0.45, 0.18),
        20: (0, 0, 0, 0, 0.30, 0.47, 0.23),
        21: (0, 0, 0, 0, 0.22, 0.48, 0.30),
        22: (0, 0, 0, 0, 0.15, 0.45, 0.40),
        23: (0, 0, 0, 0, 0.12, 0.40, 0.48),
        24: (0, 0, 0, 0, 0.10, 0.33, 0.57),
    }
    u = rng.random(age.size)
    out = np.empty(age.size, dtype=int)
    for a, probs in table.items():
        m = age == a
        out[m] = 1 + np.searchsorted(np.cumsum(probs) / sum(probs), u[m], side="right")
    return out


def _rake(df: pd.DataFrame, wave: int, base: np.ndarray) -> np.ndarray:
    """Rake ``base`` to the age band × gender cells and the region margin of ``wave``."""
    cell = df["age_band"].to_numpy() * 10 + df["gender"].to_numpy()
    region = df["region"].to_numpy()
    cell_target = {b * 10 + g: s for (b, g), s in POPULATION[wave].items()}
    w = base.astype(float).copy()
    for _ in range(1000):
        before = w.copy()
        for margin, targets in ((cell, cell_target), (region, REGION_SHARES)):
            total = w.sum()
            for code, share in targets.items():
                m = margin == code
                w[m] *= share * total / w[m].sum()
        if np.max(np.abs(w - before) / before) < 1e-12:
            break
    return w * len(w) / w.sum()


def _wave(wave: int, rng: np.random.Generator, first_id: int, first_school: int) -> pd.DataFrame:
    n, k = N_PER_WAVE[wave], N_CLUSTERS[wave]
    # schools: region, size and a random effect; respondents are nested in schools
    school_region = 1 + np.searchsorted(
        np.cumsum(list(_SAMPLE_REGION.values())), (np.arange(k) + 0.5) / k
    )
    sizes = rng.multinomial(n, rng.dirichlet(np.full(k, 8.0)))
    school = np.repeat(np.arange(first_school, first_school + k), sizes)
    region = np.repeat(school_region, sizes)
    u_use = np.repeat(rng.normal(0, _CLUSTER_SD, k), sizes)
    u_hours = np.repeat(rng.normal(0, 0.12, k), sizes)
    u_bully = np.repeat(rng.normal(0, 0.25, k), sizes)
    base_w = np.repeat(np.exp(rng.normal(0, 0.30, k)), sizes)  # unequal school inclusion

    band = 1 + np.searchsorted(np.cumsum(_SAMPLE_BAND), rng.random(n), side="right")
    age = 10 + 5 * (band - 1) + rng.integers(0, 5, n)
    gender = np.empty(n, dtype=int)
    ug = rng.random(n)
    for b in BANDS:
        m = band == b
        gender[m] = 1 + np.searchsorted(np.cumsum(_SAMPLE_GENDER[b]), ug[m], side="right")
    level = _school_level(age, rng)

    z = rng.normal(size=n)  # sociability: more platforms
    h = 0.5 * z + np.sqrt(0.75) * rng.normal(size=n)  # intensity: more often, longer
    none = rng.random(n) < np.array(NONE_SHARE[wave])[band - 1]

    df = pd.DataFrame(
        {
            "resp_id": wave * 10000 + np.arange(first_id, first_id + n),
            "wave": wave,
            "age": age,
            "age_band": band,
            "gender": gender,
            "school_level": level,
            "region": region,
            "school": school,
        }
    ).astype(float)

    # platform use, calibrated per band
    for p in PLATFORMS:
        targets = REACH[p][wave]
        if targets is None:
            df[f"use_{p}"] = np.nan
            continue
        geff = np.array(_GENDER_EFFECT.get(p, (0.0, 0.0, 0.0)))
        slope = _AGE_SLOPE.get(p, 0.0)
        intercepts = {}
        for b in BANDS:
            target = targets[b - 1] / 100 / (1 - NONE_SHARE[wave][b - 1])
            offs, mix = [], []
            for g in GENDERS:
                for a in BAND_AGES[b]:
                    offs.append(
                        -60.0
                        if p == "linkedin" and a < 16
                        else geff[g - 1] + slope * (a - (10 + 5 * b - 3))
                    )
                    mix.append(POPULATION[wave][(b, g)] / 5)
            intercepts[b] = (
                -np.inf
                if target <= 0
                else _reach_intercept(
                    target,
                    np.array(offs),
                    np.array(mix) / sum(mix),
                    float(np.hypot(_LOADING, _CLUSTER_SD)),
                )
            )
        lin = (
            np.array([intercepts[b] for b in band])
            + geff[gender - 1]
            + slope * (age - (10 + 5 * band - 3))
            + _LOADING * z
            + u_use
        )
        if p == "linkedin":
            lin[age < 16] = -np.inf
        use = (rng.random(n) < _expit(lin)) & ~none
        df[f"use_{p}"] = use.astype(float)
    uses = df[[f"use_{p}" for p in PLATFORMS]]
    df["any_social"] = (uses.fillna(0).sum(axis=1) > 0).astype(float)

    # frequency of use (1 = never for non-users)
    shift = _FREQ_WAVE_SHIFT[wave] + np.array(_FREQ_BAND_SHIFT)[band - 1]
    for p in FREQ_PLATFORMS:
        used = df[f"use_{p}"].to_numpy()
        girls = 0.2 if p in ("instagram", "tiktok") else 0.0  # girls use these more often
        latent = shift + girls * (gender == 2) + _FREQ_INTENSITY * h + rng.logistic(size=n)
        freq = _ordinal(latent, _freq_cutpoints(p), first=2).astype(float)
        freq[used == 0] = 1
        freq[np.isnan(used)] = np.nan
        df[f"freq_{p}"] = freq

    # hours online per day: log-normal around the band median, rounded to half hours
    med = np.array(_HOURS_MEDIAN[wave])[band - 1] * np.where(df["any_social"] == 1, 1.0, 0.5)
    hours = np.exp(np.log(med) + 0.35 * h + u_hours + rng.normal(0, 0.4, n))
    hours = np.clip(np.round(hours * 2) / 2, 0, 16)
    odd = rng.choice(n, size=9, replace=False)
    hours[odd[:6]] = rng.choice([25.0, 30.0, 36.0, 40.0], size=6)  # implausible: over 24
    u = rng.random(n)
    hours[u < 0.008] = 98  # weigert
    hours[(u >= 0.008) & (u < 0.008 + np.where(band == 1, 0.035, 0.015))] = 99  # weet niet
    df["hours_online"] = hours

    # SMDS: 2PL items on a latent trait driven by intensity of use
    a_smds = _smds_intercept(wave)
    theta = (
        a_smds
        + np.array(_SMDS_BAND)[band - 1]
        + np.array(_SMDS_GENDER)[gender - 1]
        + _SMDS_INTENSITY * h
        + rng.normal(size=n)
    )
    users = df["any_social"].to_numpy() == 1
    for j, (alpha, delta) in enumerate(_SMDS_ITEMS, start=1):
        item = (rng.random(n) < _expit(alpha * (theta - delta))) & users
        df[f"smds_{j}"] = item.astype(float)
    problematic = df[[f"smds_{j}" for j in range(1, 10)]].sum(axis=1).to_numpy() >= 6

    # cyberbullying: correlated latent victimisation and perpetration
    v = (
        0.25 * h
        + 0.25 * (gender == 2)
        + 0.3 * (gender == 3)
        + np.array((0.1, 0.1, -0.3))[band - 1]
        + u_bully
        + rng.normal(size=n)
    )
    pp = 0.6 * v + 0.3 * (gender == 1) + 0.8 * rng.normal(size=n)
    victim = _ordinal(v, np.quantile(v, np.cumsum((0.84, 0.105, 0.03, 0.013))))
    perp = _ordinal(pp, np.quantile(pp, np.cumsum((0.90, 0.07, 0.016, 0.008))))
    life = (
        8.5
        - 0.08 * (age - 10)
        - 0.3 * (gender == 2)
        - 0.8 * (gender == 3)
        - np.array((0, 0, 0.5, 0.9, 1.2, 1.5))[victim]
        - 0.7 * problematic
        + 0.15 * z
        + rng.normal(0, 1.3, n)
    )
    df["cyber_victim"] = np.where(rng.random(n) < 0.010, 9, victim).astype(float)
    df["cyber_perp"] = np.where(rng.random(n) < 0.015, 9, perp).astype(float)
    df["life_sat"] = np.clip(np.round(life), 0, 10)
    rules = 1.6 - 0.35 * (age - 10) - 0.15 * h + rng.logistic(size=n)
    parent = _ordinal(rules, (-2.0, -0.8, 0.2, 1.4)).astype(float)
    df["parent_rules"] = np.where(rng.random(n) < 0.005, 9, parent)

    df["weight"] = np.round(_rake(df, wave, base_w), 6)
    return df


def build_demo(seed: int = SEED) -> pd.DataFrame:
    """The demo survey as numeric codes, one row per respondent, columns in codebook order.

    Parameters
    ----------
    seed : int
        Seed of the random generator; the default reproduces the bundled files.

    Returns
    -------
    pandas.DataFrame
        Float64 columns holding codes (NaN where a question was not asked).

    Examples
    --------
    >>> df = build_demo()
    >>> len(df) > 4000, df["age"].between(10, 24).all()
    (True, np.True_)
    """
    rng = np.random.default_rng(seed)
    parts, first_id, first_school = [], 1, 1
    for wave in WAVES:
        parts.append(_wave(wave, rng, first_id, first_school))
        first_school += N_CLUSTERS[wave]
    df = pd.concat(parts, ignore_index=True)
    return df[list(_variables())]


# --------------------------------------------------------------------------------------------
# Codebook sidecar
# --------------------------------------------------------------------------------------------
def build_codebook() -> dict[str, Any]:
    """The codebook sidecar of the demo survey, as the dict written to YAML.

    It carries the same Dutch labels as the SPSS file plus English translations, question
    groups, the multiple-response set and the weight, so the CSV loads with the same metadata.

    Examples
    --------
    >>> cb = build_codebook()
    >>> cb["variables"]["gender"]["translations"]["en"]["values"][2]
    'girl'
    """
    variables: dict[str, Any] = {}
    groups: dict[str, list[str]] = {}
    for name, v in _variables().items():
        entry: dict[str, Any] = {"label": v.label, "measure": v.measure}
        if v.values:
            entry["values"] = dict(v.values)
        if v.missing:
            entry["missing"] = list(v.missing)
        if v.group:
            entry["group"] = v.group
            groups.setdefault(v.group, []).append(name)
        en: dict[str, Any] = {"label": v.en}
        if v.values_en:
            en["values"] = dict(v.values_en)
        entry["translations"] = {"en": en}
        variables[name] = entry
    return {
        "dataset": {
            "name": DATASET_NAME,
            "year": "2015–2023",
            "file_label": FILE_LABEL,
            "language": "nl",
        },
        "weight": "weight",
        "variables": variables,
        "mr_sets": {
            "platforms": {
                "label": MR_LABEL[0],
                "kind": "dichotomy",
                "counted_value": 1,
                "variables": [f"use_{p}" for p in PLATFORMS],
                "translations": {"en": {"label": MR_LABEL[1]}},
            }
        },
        "groups": groups,
    }


def _codebook_yaml() -> bytes:
    import yaml

    header = (
        "# Codebook sidecar of youth_social_media_demo.sav and youth_social_media_demo.csv\n"
        "# (format: docs/codebook_sidecar.md). Generated by `python -m youthmedia.datasets`;\n"
        f"# do not edit by hand (seed {SEED}). Synthetische voorbeelddata - geen echte\n"
        "# respondenten; see data/README.md.\n"
    )
    body = yaml.safe_dump(build_codebook(), allow_unicode=True, sort_keys=False, width=100)
    return (header + body).encode("utf-8")


# --------------------------------------------------------------------------------------------
# Microsoft Forms export of a class survey
# --------------------------------------------------------------------------------------------
FORMS_QUESTIONS = (
    "Hoe oud ben je?",
    "Ik ben een",
    "Welke sociale media gebruik je? (kies alles wat van toepassing is)",
    "Hoe vaak gebruik je TikTok?",
    "Hoeveel uur per dag ben je ongeveer online?",
    "Ben je de afgelopen twee maanden online gepest?",
    "Hoe tevreden ben je over de tijd die je online doorbrengt? (1 = helemaal niet tevreden, 5 = heel tevreden)",
    "Wat vind je het leukst aan sociale media?",
)
_FORMS_PLATFORMS = (
    "WhatsApp",
    "YouTube",
    "Instagram",
    "Snapchat",
    "TikTok",
    "Discord",
    "Pinterest",
    "BeReal",
)
_FORMS_REACH = (0.95, 0.90, 0.60, 0.70, 0.75, 0.25, 0.20, 0.15)
_FORMS_OPEN = (
    "Filmpjes kijken",
    "Met vrienden praten",
    "",
    "Memes",
    "",
    "Dat je altijd weet wat er gebeurt",
    'Grappige video\'s; en "memes" natuurlijk',
    "",
    "Snapstreaks bijhouden",
    "Nieuwe muziek ontdekken",
    "",
    "weet ik niet",
)


def build_forms_export(seed: int = SEED, n: int = 29) -> bytes:
    """A Microsoft-Forms-style CSV export of a small class survey (Dutch headers, ``;``).

    UTF-8 with a byte-order mark and CRLF line ends, as Excel saves a Forms export; the
    "select all that apply" question is one cell (``WhatsApp;Instagram;TikTok;``), hours use a
    decimal comma, and the names and e-mail addresses are obviously fake.

    Examples
    --------
    >>> text = build_forms_export().decode("utf-8-sig")
    >>> text.splitlines()[0][:40]
    'ID;Begintijd;Tijd van voltooiing;E-mail;'
    """
    rng = np.random.default_rng(seed + 1)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(
        [
            "ID",
            "Begintijd",
            "Tijd van voltooiing",
            "E-mail",
            "Naam",
            "Tijdstip van laatste wijziging",
            *FORMS_QUESTIONS,
        ]
    )
    genders = rng.choice(
        ["Jongen", "Meisje", "Anders", "Zeg ik liever niet"], size=n, p=[0.47, 0.47, 0.03, 0.03]
    )
    for i in range(n):
        start = pd.Timestamp("2024-03-12 10:05:00") + pd.Timedelta(
            seconds=int(rng.integers(0, 240))
        )
        end = start + pd.Timedelta(seconds=int(rng.integers(150, 600)))
        chosen = [
            p for p, r in zip(_FORMS_PLATFORMS, _FORMS_REACH, strict=True) if rng.random() < r
        ]
        if i == 17:
            chosen = []  # one pupil uses none of them
        platforms = "".join(f"{p};" for p in chosen) if chosen else "Ik gebruik geen sociale media;"
        if "TikTok" in chosen:
            tiktok = rng.choice(
                ["Wekelijks", "Dagelijks", "Meerdere keren per dag", "Bijna constant"],
                p=[0.15, 0.35, 0.35, 0.15],
            )
        else:
            tiktok = "Nooit"
        hours = float(np.clip(np.round(rng.lognormal(np.log(3.0), 0.45) * 2) / 2, 0.5, 12))
        hours_text = f"{hours:g}".replace(".", ",")
        bullied = rng.choice(
            ["Nee", "Ja, één of twee keer", "Ja, vaker", "Zeg ik liever niet"],
            p=[0.78, 0.14, 0.05, 0.03],
        )
        content = int(np.clip(np.round(3.4 - 0.25 * (hours - 3) + rng.normal(0, 0.8)), 1, 5))
        row = [
            i + 1,
            _forms_time(start),
            _forms_time(end),
            f"leerling{i + 1:02d}@school.example",
            f"Leerling {i + 1:02d}",
            "",
            int(rng.choice([13, 14, 14, 14, 15])),
            genders[i],
            platforms,
            tiktok,
            hours_text,
            bullied,
            content,
            _FORMS_OPEN[i % len(_FORMS_OPEN)],
        ]
        if i == 11:
            row[10] = ""  # a skipped (optional) question
        writer.writerow(row)
    return buf.getvalue().encode("utf-8-sig")


def _forms_time(t: pd.Timestamp) -> str:
    return f"{t.day}-{t.month}-{t.year} {t.hour}:{t.minute:02d}:{t.second:02d}"


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------
def _csv_bytes(df: pd.DataFrame) -> bytes:
    out = df.copy()
    for name, v in _variables().items():
        if not v.fmt.endswith(".0"):
            continue
        out[name] = out[name].astype("Int64")
    return out.to_csv(index=False, lineterminator="\n").encode("utf-8")


def _write_sav(df: pd.DataFrame, path: Path) -> None:
    from youthmedia.codebook import MRSet

    meta = _variables()
    kwargs: dict[str, Any] = {
        "file_label": FILE_LABEL,
        "column_labels": {n: v.label for n, v in meta.items()},
        "variable_value_labels": {
            n: {float(k): lab for k, lab in v.values.items()} for n, v in meta.items() if v.values
        },
        "missing_ranges": {n: [float(m) for m in v.missing] for n, v in meta.items() if v.missing},
        "variable_measure": {n: v.measure for n, v in meta.items()},
        "variable_format": {n: v.fmt for n, v in meta.items()},
        "note": [
            f"Synthetische voorbeelddata: youthmedia.datasets, seed {SEED}.",
            "Geen echte respondenten. Zie data/README.md.",
        ],
        "row_compress": True,
    }
    mr = {
        "platforms": MRSet(
            "platforms", MR_LABEL[0], "dichotomy", [f"use_{p}" for p in PLATFORMS], 1
        )
    }
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling tool
    from spss_write import write_sav

    with atomic_path(path, ".sav", survey_data=True) as tmp:
        write_sav(df, tmp, mr_sets=mr, weight="weight", **kwargs)
        raw = bytearray(tmp.read_bytes())
        at = _SAV_DATE_OFFSET
        raw[at : at + 17] = SAV_TIMESTAMP[0] + SAV_TIMESTAMP[1]
        tmp.write_bytes(bytes(raw))


def write_all(out_dir: str | Path | None = None, seed: int = SEED) -> dict[str, Path]:
    """Generate every demo file into ``out_dir`` (default: the project's ``data/``).

    Parameters
    ----------
    out_dir : str or Path, optional
        Target folder; created if needed. Files are written atomically.
    seed : int
        Random seed; the default reproduces the committed files byte for byte.

    Returns
    -------
    dict of str to Path
        ``{"sav": ..., "csv": ..., "codebook": ..., "forms": ...}``.

    Examples
    --------
    >>> import tempfile
    >>> paths = write_all(tempfile.mkdtemp())        # doctest: +SKIP
    """
    out = Path(out_dir) if out_dir is not None else DATA_DIR
    out.mkdir(parents=True, exist_ok=True)
    paths = {key: out / name for key, name in FILES.items()}
    df = build_demo(seed)
    _write_sav(df, paths["sav"])
    atomic_write(paths["csv"], _csv_bytes(df), survey_data=True)
    atomic_write(paths["codebook"], _codebook_yaml())
    atomic_write(paths["forms"], build_forms_export(seed), survey_data=True)
    return paths


def check(data_dir: str | Path | None = None) -> list[str]:
    """Names of the files in ``data_dir`` that differ from a fresh generation (empty: all same).

    Examples
    --------
    >>> check()                                      # doctest: +SKIP
    []
    """
    folder = Path(data_dir) if data_dir is not None else DATA_DIR
    with tempfile.TemporaryDirectory() as tmp:
        fresh = write_all(tmp)
        return [
            p.name
            for key, p in fresh.items()
            if not (folder / FILES[key]).is_file() or sha256_of(folder / FILES[key]) != sha256_of(p)
        ]


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: regenerate the demo data, or ``--check`` that it is up to date."""
    parser = argparse.ArgumentParser(
        prog="python tools/make_demo_data.py",
        description="Regenerate the synthetic demo data in data/.",
    )
    parser.add_argument("--out", type=Path, default=None, help="target folder (default: data/)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if data/ differs from a fresh generation",
    )
    args = parser.parse_args(argv)
    if args.check:
        differ = check(args.out)
        print("data/ is up to date" if not differ else f"out of date: {', '.join(differ)}")
        return 1 if differ else 0
    for path in write_all(args.out).values():
        print(f"{path}  {path.stat().st_size:>9,d} bytes  sha256 {sha256_of(path)[:12]}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
