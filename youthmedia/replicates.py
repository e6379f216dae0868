"""Replicate designs from replicate-weight columns (R's ``svrepdesign``), or built from a
strata/cluster design (R's ``as.svrepdesign``: JK1, JKn, BRR/Fay, bootstrap)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd

from .design import Design, effective_design, resolve_weight, weight_array
from .errors import ConfigError, DataError

__all__ = ["build_replicates", "hadamard", "make_replicate_design"]

REP_METHODS = ("BRR", "Fay", "JK1", "JKn", "bootstrap", "other")
ALIASES = {m.lower(): m for m in REP_METHODS} | {"jackknife": "JK1", "boot": "bootstrap"}


def make_replicate_design(
    survey: Any,
    replicates: Sequence[str] | str,
    method: str = "JK1",
    weight: str | None = None,
    rho: float | None = None,
    mse: bool = False,
    scale: float | None = None,
    rscales: Any = None,
    combined: bool = True,
    **options: Any,
) -> Design:
    """A design from replicate-weight columns (R's ``svrepdesign``; ``Survey.with_replicates``):
    ``scale``/``rscales`` override R's factors; ``combined=False``: the columns multiply the weight."""
    if options:
        raise ConfigError(f"Unknown replicate option(s): {', '.join(options)}.")
    if (m := ALIASES.get(str(method).lower())) is None:
        raise ConfigError(f"Replicate method {method!r} is not one of {', '.join(REP_METHODS)}.")
    if m == "Fay" and (rho is None or not 0 <= rho < 1):
        raise ConfigError("method='Fay' needs rho between 0 and 1 (e.g. rho=0.5).")
    if m == "JKn" and rscales is None:
        raise ConfigError(
            "method='JKn' needs rscales=[(n_h - 1)/n_h for each replicate] "
            "(the stratum of each replicate decides its factor)."
        )
    if isinstance(replicates, str):
        cols = [c for c in survey.columns if c.startswith(replicates)] or [replicates]
    else:
        cols = list(replicates)
    if not cols:
        raise ConfigError("with_replicates needs at least one replicate-weight column.")
    weight, declared = resolve_weight(survey, weight)
    if weight is None:
        raise ConfigError(
            "Replicate weights need the full-sample weight too: pass "
            "weight='...' (the column the replicates were made from)."
        )
    survey.require(*cols)
    if all(pd.api.types.is_float_dtype(t) for t in survey.data.dtypes[cols]):
        rep = survey.data[cols].to_numpy(float)  # a view: checked below in one pass
    else:
        rep = np.array([weight_array(survey, c) for c in cols]).T
    with ThreadPoolExecutor(2) as pool:  # two passes at once: each bound by one core
        lo, hi = pool.map(lambda f: f(rep, axis=0, initial=0.0), (np.min, np.max))  # NaN stays
    ok = (lo >= 0) & (hi < np.inf) & ((hi > 0) | (len(rep) == 0))
    for c in np.asarray(cols, dtype=object)[~ok]:  # weight_array names the column; else NaN:
        weight_array(survey, c)
        raise DataError(f"Replicate weight '{c}' has missing values; each respondent needs one.")
    w = weight_array(survey, weight)
    if not combined:
        rep = rep * np.nan_to_num(w)[:, None]
    R = rep.shape[1]
    default = {"BRR": 1 / R, "Fay": 1 / (R * (1 - (rho or 0.0)) ** 2), "JK1": (R - 1) / R}
    default["bootstrap"] = 1 / (R - 1) if R > 1 else 1.0
    scale = float(default.get(m, 1.0) if scale is None else scale)
    rs = np.ones(R) if rscales is None else np.broadcast_to(np.asarray(rscales, float), (R,)).copy()
    d = Design(weight, replicate_columns=tuple(cols), method=m, rho=rho, scale=scale, rscales=rs)
    return replace(d, mse=bool(mse), declared=declared, _w=w, _rep=rep, _index=survey.data.index)


def build_replicates(
    survey: Any,
    method: str = "auto",
    rho: float | None = None,
    mse: bool = False,
    replicates: int = 50,
    seed: int | None = None,
    **options: Any,
) -> Design:
    """Replicates built from the survey's strata and clusters (``Survey.to_replicates``)."""
    if options:
        raise ConfigError(f"Unknown option(s) for to_replicates: {', '.join(options)}.")
    design, auto = effective_design(survey), str(method).lower() == "auto"
    m = ("JKn" if design.strata else "JK1") if auto else ALIASES.get(str(method).lower())
    if m not in ("JK1", "JKn", "BRR", "Fay", "bootstrap"):
        raise ConfigError(f"to_replicates builds JK1, JKn, BRR, Fay or bootstrap, not {method!r}.")
    if m != "bootstrap" and (m == "JK1") == bool(design.strata):
        raise ConfigError(
            f"{m} replicates are for {'un' * (m == 'JK1')}stratified designs; use "
            f"{'JKn' if design.strata else 'JK1'} or 'bootstrap' for this one, as R does."
        )
    if design.is_replicate or design.calibrated:
        raise ConfigError(
            "to_replicates builds replicates from a design's strata and clusters: before "
            "raking or post-stratifying (each replicate is then calibrated too), once."
        )
    stage = design._stages[0]
    unit = stage.unit if stage.unit is not None else np.arange(survey.n)
    nh, ustrat = stage.stratum_n, stage.unit_stratum
    if m in ("BRR", "Fay"):
        rho = 0.0 if m == "BRR" else (0.5 if rho is None else float(rho))
        mult = _brr_multipliers(survey.data[design.strata], unit, ustrat, nh, rho, m)
        sc, rs = 1.0 / (mult.shape[1] * (1 - rho) ** 2), np.ones(mult.shape[1])
        rho = rho if m == "Fay" else None
    elif m == "bootstrap":  # n_h PSUs drawn with replacement; scale n̄/((n̄ − 1)(R − 1))
        hbar = 1 / np.mean(1 / nh[nh > 0])
        rng, mult = np.random.default_rng(seed), np.zeros((len(ustrat), replicates))
        for h in np.flatnonzero(nh > 0):  # R's bootweights
            units = np.flatnonzero(ustrat == h)
            draws = rng.integers(0, len(units), size=(len(units), replicates))
            mult[units] = np.apply_along_axis(np.bincount, 0, draws, minlength=len(units))
        sc, rs = hbar / ((hbar - 1) * (replicates - 1)), np.ones(replicates)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):  # 1 - f per stratum (R's fpc)
            fcorr = np.where(nh > 1, stage.stratum_scale * (nh - 1) / nh, stage.stratum_scale)
        mult, sc, rs = _jkn_multipliers(ustrat, nh, fcorr, design.lonely_psu, design.strata)
        if m == "JK1":  # one stratum: R puts its (1 - f)(n - 1)/n in the scale
            sc, rs = rs[0], np.ones(len(rs))
    built = [f"strata '{design.strata}'"] * bool(design.strata)
    built += [f"clusters '{c}'" for c in design.cluster[:1]]
    return replace(
        design,
        method=m,
        rho=rho,
        scale=float(sc),
        rscales=np.asarray(rs, float),
        mse=bool(mse),
        built_from=" and ".join(built) or "the respondents",
        fpc=(),
        nest=False,
        lonely_psu="fail",
        _rep=np.nan_to_num(design._w)[:, None] * mult[unit],
        _stages=(),
    )


def _jkn_multipliers(
    ustrat, nh, fcorr, lonely: str, strata
) -> tuple[np.ndarray, float, np.ndarray]:
    """PSU × replicate multipliers, scale and rscales of JKn, as R's ``jknweights`` (a lonely
    PSU: "adjust" adds a replicate dropping it, "average" scales by PSUs / replicates)."""
    H, P = int(np.sum(nh > 0)), len(ustrat)
    cols: list[np.ndarray] = []
    rs: list[float] = []
    for h in np.flatnonzero((nh > 0) & (fcorr >= 1e-12)):
        units = np.flatnonzero(ustrat == h)
        if nh[h] == 1 and lonely == "adjust":
            cols.append(np.where(ustrat == h, 0.0, H / (H - 1) if H > 1 else 0.0))
            rs.append((H - 1) / H)
        for u in units if nh[h] > 1 else ():
            col = np.ones(P)
            col[units] = nh[h] / (nh[h] - 1)
            col[u] = 0.0
            cols.append(col)
            rs.append(float(fcorr[h] * (nh[h] - 1) / nh[h]))
    if not cols and strata is None:  # a census: R's jk1weights gives no replicates, SE 0
        return np.ones((P, 1)), 0.0, np.zeros(1)
    if not cols:
        raise DataError(
            f"JKn replicates drop one PSU at a time within a stratum, but no stratum of "
            f"'{strata}' holds two PSUs that were not all sampled, so there is no replicate "
            "to build; use 'bootstrap', or a design with fewer strata."
        )
    scale = P / len(cols) if lonely == "average" and len(cols) < P else 1.0
    return np.column_stack(cols), float(scale), np.asarray(rs)


def _brr_multipliers(strata: pd.Series, unit, ustrat, nh, rho: float, m: str) -> np.ndarray:
    """PSU × replicate multipliers of BRR/Fay half-samples, as R's ``brrweights``."""
    if np.any(nh[nh > 0] != 2):
        raise DataError(
            f"{m} replicates need exactly two PSUs in every stratum; "
            f"{int((nh[nh > 0] != 2).sum())} strata have another number (use JKn)."
        )
    first_row = np.unique(unit, return_index=True)[1]  # of each PSU
    text = np.empty(len(nh), dtype=object)  # R's as.character: whole numbers without ".0"
    text[ustrat[unit]] = [
        str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
        for v in strata.astype(object)
    ]
    used = np.flatnonzero(nh > 0)
    number = np.full(len(nh), -1)
    number[sorted(used, key=lambda h: text[h])] = np.arange(1, len(used) + 1)
    # strata take H's rows in R's order (ids sorted as text); 2 − rho where H[1 + stratum, r]
    # is 1 goes to the stratum's PSU that comes first in the data
    first = pd.Series(first_row).groupby(ustrat).transform("min").to_numpy() == first_row
    return np.where((hadamard(len(used))[number[ustrat]] == 1) == first[:, None], 2 - rho, rho)


# R's survey:::hadamard: precooked (orders 4, 16, 28, 36; hadamard.list[[3]] and [[4]] below as
# hex, rows concatenated), Paley's construction from a prime p ≡ 3 (mod 4), or one doubled.
_PRECOOKED = {
    28: "fffffff9c71c7883cd37883b2e669a0f8d6952c5ae8cd239e58aa7f045b59d446cbcac561774a4b64e9a59"
    "59b262d1eae83666b342b3b51c31d74b232f89ca2ced646ea545e4f1632ccf09ce1ce54ad52e6392b2e8a7"
    "92adffe000bf81f807f8007e",
    36: "fffffffff5c7dc8564b8fb90ac871f721592e3ee42b24c7dc8564a8fb90ac961f721592e3ee42b25c7dc85"
    "64b8fb90ac970f721592e2ee42b25c6dc8564b8eb90ac971e721592e3ee42b25c7cc8564b8fa90ac971f62"
    "1592e3ee42b25c7dc8564b8fb80ac971f721592e3ee42b25c7dc8564b8fb90ac971f720592e3ee42b25c7d"
    "c8464b8fb90ac971f721492e3ee42a25c7dc8564b8fb90ac971f721582e3ee42b2",
}
_SIZES = (4, 16, 28, 36)
#: R's ``small.primes`` in ``paley``: the primes ≡ 3 (mod 4) up to 7919
_PRIMES = tuple(p for p in range(3, 7920, 4) if all(p % d for d in range(3, math.isqrt(p) + 1, 2)))


def _double(h: np.ndarray) -> np.ndarray:
    """R's ``hadamard.doubler``: rbind(cbind(H, H), cbind(H, 1 - H))."""
    return np.block([[h, h], [h, 1 - h]])


def _precooked(order: int) -> np.ndarray:
    if order in _PRECOOKED:
        bits = bin(int(_PRECOOKED[order], 16))[2:].zfill(order * order)
        return np.array([int(b) for b in bits], dtype=np.int8).reshape(order, order)
    h = np.ones((1, 1), dtype=np.int8)  # 4 and 16: Sylvester (R's lists)
    while h.shape[0] < order:
        h = _double(h)
    return h


def _paley_prime(p: int) -> np.ndarray:
    """Paley's construction of order p + 1 from the quadratic residues mod p."""
    res = {0, 1} | {(i * i) % p for i in range(2, (p - 1) // 2 + 1)}
    core = np.where(np.isin(np.add.outer(np.arange(p), np.arange(p)) % p, list(res)), 0, 1)
    return np.hstack([np.ones((p + 1, 1)), np.vstack([np.ones((1, p)), core])]).astype(np.int8)


def _paley(n: int, nmax: int | None = None) -> np.ndarray | None:
    """R's ``paley(n, nmax)`` (without a given prime)."""
    nmax = 2 * n if nmax is None else nmax
    nceil = nn = n + 4 - n % 4
    if n % 4 + 4 == n % 8:
        while nn % 8 == 0:
            nn //= 2
        if nn - 1 in _PRIMES:
            m = _paley_prime(nn - 1)
            while nn < nceil:
                m, nn = _double(m), nn * 2
            return m
    if n > _PRIMES[-1]:
        return None
    p = min(q for q in _PRIMES if q >= n)
    if p + 1 > nceil + 4 and nceil + 4 < nmax:
        return _paley(nceil + 3)
    return None if p > nmax else _paley_prime(p)


def hadamard(n: int) -> np.ndarray:
    """R's ``survey:::hadamard(n)``: a 0/1 Hadamard matrix with more than ``n`` rows (row 0 all 1).

    Examples
    --------
    >>> hadamard(3).shape, hadamard(8).shape, hadamard(16).shape   # R: 4, 12, 20 replicates
    ((4, 4), (12, 12), (20, 20))
    """
    m = n - n % 4
    if fits := [s for s in _SIZES if m < s <= m + 4]:
        return _precooked(min(fits))
    sizes = [s * 2 ** max(0, math.ceil(math.log2((n + 1) / s))) for s in _SIZES]
    best = int(np.argmin([s - n for s in sizes]))
    h = _paley(n, sizes[best]) if sizes[best] - n > 4 else None
    if h is None:
        h = _precooked(_SIZES[best])
        for _ in range(math.ceil(math.log2(sizes[best] / _SIZES[best]))):
            h = _double(h)
    return h
