"""A PISA-shaped SPSS file for the benchmark: students in schools in strata in 80 countries.

600,000 rows (``scale=1``) × 300 variables — 276 labelled 1–4/1–5/yes-no items with
user-missing codes 7/8/9, 20 numeric scores, the country (80 labelled categories), the
explicit stratum, the school (PSU) and the student id — plus a final weight ``W_FSTUWT`` and
80 Fay replicate weights ``W_FSTURWT1..80`` (rho 0.5) built as PISA builds them: schools in
pairs (variance zones) within each country, and for replicate ``r`` the first school of zone
``z`` gets ``1 + (1 - rho) * H[r, z]`` of the weight (1.5 or 0.5) and the second the opposite.

Items carry a country effect and a school effect, so clustering matters as in real data.
The file is written once with ``pyreadstat.write_sav`` and cached in ``bench/_work/`` under a
name holding the generator version, the scale and the seed.

Examples
--------
>>> from bench.generate import generate
>>> path = generate(scale=0.001)          # doctest: +SKIP
>>> path.name                              # doctest: +SKIP
'pisa_g3_s0.001_seed2022.sav'
"""

from __future__ import annotations

import argparse
import json
import os
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

GENERATOR_VERSION = 3
WORK = Path(__file__).resolve().parent / "_work"
FULL_ROWS = 600_000
N_COUNTRIES = 80
N_REPS = 80
RHO = 0.5
WEIGHT = "W_FSTUWT"
REPLICATES = [f"W_FSTURWT{r}" for r in range(1, N_REPS + 1)]
GROUP, STRATUM, PSU = "CNT", "STRATUM", "CNTSCHID"
MISSING_CODES = {7: "Valid skip", 8: "Not reached", 9: "No response"}

_AGREE = {1: "Strongly disagree", 2: "Disagree", 3: "Agree", 4: "Strongly agree"}
_FREQ = {
    1: "Never or almost never",
    2: "About once or twice a month",
    3: "About once or twice a week",
    4: "Every day or almost every day",
    5: "Several times a day",
}
_YESNO = {1: "Yes", 2: "No"}
_TIME = {1: "None", 2: "Up to 1 hour", 3: "1 to 3 hours", 4: "More than 3 hours"}

_COUNTRIES = (
    "Albania Argentina Australia Austria Belgium Brazil Brunei Bulgaria Cambodia Canada Chile "
    "Colombia Costa-Rica Croatia Cyprus Czechia Denmark Dominican-Republic El-Salvador Estonia "
    "Finland France Georgia Germany Greece Guatemala Hong-Kong Hungary Iceland Indonesia "
    "Ireland Israel Italy Jamaica Japan Jordan Kazakhstan Korea Kosovo Latvia Lithuania "
    "Macao Malaysia Malta Mexico Moldova Mongolia Montenegro Morocco Netherlands New-Zealand "
    "North-Macedonia Norway Palestine Panama Paraguay Peru Philippines Poland Portugal Qatar "
    "Romania Saudi-Arabia Serbia Singapore Slovakia Slovenia Spain Sweden Switzerland "
    "Taiwan Thailand Turkiye Ukraine United-Arab-Emirates United-Kingdom United-States "
    "Uruguay Uzbekistan Vietnam"
).split()
assert len(_COUNTRIES) == N_COUNTRIES


@dataclass(frozen=True)
class Layout:
    """Which columns play which role (the benchmark's steps pick their variables from here)."""

    rows: int
    items4: list[str]
    items5: list[str]
    items2: list[str]
    numeric: list[str]

    @property
    def selected(self) -> list[str]:
        """The 20 labelled items the benchmark estimates (10 four-point, 10 five-point)."""
        return self.items4[:10] + self.items5[:10]


def layout(rows: int) -> Layout:
    """The column layout (fixed by the generator version, independent of the random draws)."""
    n_items = 276
    kinds = ["4"] * 150 + ["5"] * 96 + ["2"] * 30
    assert len(kinds) == n_items
    # interleave kinds so the selected items lie spread over the file, as in a real questionnaire
    rng = np.random.default_rng(7)
    order = rng.permutation(n_items)
    items4, items5, items2 = [], [], []
    for i, k in enumerate(np.asarray(kinds)[order]):
        name = f"ST{300 + i // 6:03d}Q{i % 6 + 1:02d}"
        {"4": items4, "5": items5, "2": items2}[k].append(name)
    numeric = (
        ["AGE", "ESCS", "ICTHOME", "ICTSCH"]
        + [f"PV{k}MATH" for k in range(1, 9)]
        + [f"PV{k}READ" for k in range(1, 9)]
    )
    return Layout(rows, items4, items5, items2, numeric)


def _sizes(total: int, parts: int, rng: np.random.Generator, spread: float) -> np.ndarray:
    """``parts`` positive integers summing to ``total``, log-normally spread."""
    raw = rng.lognormal(0.0, spread, parts)
    sizes = np.maximum(1, np.floor(raw / raw.sum() * total)).astype(np.int64)
    sizes[np.argmax(sizes)] += total - sizes.sum()
    return sizes


def _hadamard_signs() -> np.ndarray:
    """±1 signs (replicates × zones) from a Sylvester Hadamard matrix of order 128."""
    h = np.array([[1]])
    while h.shape[0] < 128:
        h = np.block([[h, h], [h, -h]])
    return h[:N_REPS, 1 : N_REPS + 1].astype(np.int8)


def build_frame(scale: float = 1.0, seed: int = 2022) -> tuple[pd.DataFrame, dict]:
    """The benchmark data as a DataFrame of float64 codes, plus the SPSS metadata to write."""
    n = max(int(round(FULL_ROWS * scale)), 2000)
    lay = layout(n)
    rng = np.random.default_rng(seed)
    # countries -> schools (pairs per variance zone) -> students
    per_country = _sizes(n, N_COUNTRIES, rng, 0.6)
    cnt = np.repeat(np.arange(1, N_COUNTRIES + 1), per_country)
    school_of = np.empty(n, dtype=np.int64)
    stratum_of = np.empty(n, dtype=np.int64)
    zone_of = np.empty(n, dtype=np.int64)
    first_of = np.empty(n, dtype=bool)
    school_weight = np.empty(n)
    start, next_school = 0, 0
    for c, size in enumerate(per_country, start=1):
        n_schools = max(4, int(round(size / 30)) // 2 * 2)  # even: schools in pairs
        kids = _sizes(int(size), n_schools, rng, 0.35)
        n_strata = max(2, min(12, n_schools // 6))
        strata = np.sort(rng.integers(0, n_strata, n_schools))
        strata[: n_strata * 2] = np.repeat(np.arange(n_strata), 2)  # >= 2 schools per stratum
        strata = np.sort(strata)
        zones = np.arange(n_schools) // 2 % N_REPS  # consecutive pairs
        first = np.arange(n_schools) % 2 == 0
        base = rng.lognormal(np.log(400.0 / max(size, 1) * 60), 0.4, n_schools)
        sl = slice(start, start + size)
        school_of[sl] = np.repeat(next_school + np.arange(n_schools), kids)
        stratum_of[sl] = np.repeat(c * 100 + strata, kids)
        zone_of[sl] = np.repeat(zones, kids)
        first_of[sl] = np.repeat(first, kids)
        school_weight[sl] = np.repeat(base, kids)
        start += size
        next_school += n_schools
    weight = np.round(school_weight * rng.lognormal(0.0, 0.15, n), 5)
    signs = _hadamard_signs()[:, zone_of].T  # n × R
    signs = np.where(first_of[:, None], signs, -signs)
    reps = weight[:, None] * (1.0 + (1.0 - RHO) * signs)

    cols: dict[str, np.ndarray] = {
        GROUP: cnt.astype(float),
        STRATUM: stratum_of.astype(float),
        PSU: (10_000_000 + school_of).astype(float),
        "CNTSTUID": np.arange(1, n + 1, dtype=float),
    }
    country_eff = rng.normal(0, 0.5, N_COUNTRIES + 1)[cnt]
    school_sd = rng.normal(0, 1, school_of.max() + 1)
    labels: dict[str, dict] = {
        GROUP: {i + 1: name.replace("-", " ") for i, name in enumerate(_COUNTRIES)}
    }
    var_labels: dict[str, str] = {
        GROUP: "Country/economy",
        STRATUM: "Explicit stratum",
        PSU: "School ID (PSU)",
        "CNTSTUID": "Student ID",
    }
    missing: dict[str, list] = {}
    measure: dict[str, str] = {
        GROUP: "nominal",
        STRATUM: "nominal",
        PSU: "nominal",
        "CNTSTUID": "nominal",
    }
    items = {
        **{v: ("4", i) for i, v in enumerate(lay.items4)},
        **{v: ("5", i) for i, v in enumerate(lay.items5)},
        **{v: ("2", i) for i, v in enumerate(lay.items2)},
    }
    sequence = sorted(items)
    for k, name in enumerate(lay.numeric):  # numeric scores spread among the items
        sequence.insert((k + 1) * len(items) // (len(lay.numeric) + 1) + k, name)
    for name in sequence:
        if name not in items:
            if name == "AGE":
                x = np.round(rng.uniform(15.25, 16.33, n), 2)
            elif name.startswith("PV"):
                x = np.round(
                    480 + 40 * country_eff + 25 * school_sd[school_of] + rng.normal(0, 80, n), 4
                )
            else:
                x = np.round(country_eff + 0.5 * school_sd[school_of] + rng.normal(0, 1, n), 4)
                x[rng.random(n) < 0.03] = np.nan
            cols[name] = x
            var_labels[name] = {
                "AGE": "Age",
                "ESCS": "Index of economic, social and cultural status",
                "ICTHOME": "ICT available at home (WLE)",
                "ICTSCH": "ICT available at school (WLE)",
            }.get(
                name,
                f"Plausible value {name[2]} in {'mathematics' if 'MATH' in name else 'reading'}",
            )
            measure[name] = "scale"
            continue
        kind, idx = items[name]
        k = int(kind)
        latent = (
            rng.uniform(-0.8, 0.8) * country_eff
            + rng.uniform(0.1, 0.4) * school_sd[school_of]
            + rng.standard_normal(n)
        )
        cuts = np.sort(rng.normal(0, 0.9, k - 1))
        x = (np.searchsorted(cuts, latent) + 1).astype(float)
        u = rng.random(n)
        x[u < 0.03] = 9  # no response
        x[(u >= 0.03) & (u < 0.04)] = 7  # valid skip
        x[(u >= 0.04) & (u < 0.042)] = 8  # not reached
        x[(u >= 0.042) & (u < 0.047)] = np.nan
        cols[name] = x
        vl = {2: _YESNO, 4: _AGREE if idx % 2 else _TIME, 5: _FREQ}[k]
        labels[name] = {**vl, **MISSING_CODES}
        var_labels[name] = {
            2: "Available to you: device or service",
            4: "Agreement or time spent",
            5: "How often: social media activity",
        }[k] + f" ({name})"
        missing[name] = list(MISSING_CODES)
        measure[name] = "ordinal" if k > 2 else "nominal"
    cols[WEIGHT] = weight
    var_labels[WEIGHT] = "Final trimmed nonresponse adjusted student weight"
    measure[WEIGHT] = "scale"
    for r, name in enumerate(REPLICATES):
        cols[name] = reps[:, r]
        var_labels[name] = f"Final trimmed nonresponse adjusted student weight replicate {r + 1}"
        measure[name] = "scale"
    frame = pd.DataFrame(cols)
    assert frame.shape[1] == 300 + 1 + N_REPS, frame.shape
    meta = {
        "column_labels": var_labels,
        "variable_value_labels": labels,
        "missing_ranges": missing,
        "variable_measure": measure,
    }
    return frame, meta


@dataclass(frozen=True)
class Generated:
    """A generated file and what it holds."""

    path: Path
    rows: int
    columns: int
    seconds: float
    bytes: int


def path_for(scale: float, seed: int = 2022) -> Path:
    """Where the file for ``scale`` and ``seed`` is cached."""
    return WORK / f"pisa_g{GENERATOR_VERSION}_s{scale:g}_seed{seed}.sav"


def generate(scale: float = 1.0, seed: int = 2022, force: bool = False) -> Generated:
    """Write (or reuse) the benchmark file; returns where it is and how long it took."""
    path = path_for(scale, seed)
    info = path.with_suffix(".json")
    if path.exists() and info.exists() and not force:
        meta = json.loads(info.read_text())
        return Generated(path, meta["rows"], meta["columns"], meta["seconds"], path.stat().st_size)
    import pyreadstat

    WORK.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    frame, meta = build_frame(scale, seed)
    tmp = path.with_name(path.name + ".tmp")
    pyreadstat.write_sav(
        frame, str(tmp), file_label="PISA-shaped benchmark file (synthetic)", **meta
    )
    os.replace(tmp, path)
    seconds = time.perf_counter() - t0
    out = Generated(path, len(frame), frame.shape[1], seconds, path.stat().st_size)
    info.write_text(
        json.dumps({k: str(v) if isinstance(v, Path) else v for k, v in asdict(out).items()})
    )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--force", action="store_true")
    args = parser.parse_args(argv)
    g = generate(args.scale, args.seed, args.force)
    print(
        f"{g.path}: {g.rows} rows × {g.columns} columns, {g.bytes / 1e6:.0f} MB "
        f"(generated in {g.seconds:.1f} s)"
    )


if __name__ == "__main__":
    main()
