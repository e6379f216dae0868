"""Survey designs resolved into arrays once, and the variance engine's interface: :func:`vcov`
(R's ``svyrecvar``), :func:`replicate_vcov` (``svrVar``) and :func:`domain_estimates`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from . import variance as engine
from .errors import ConfigError, DataError

LONELY = ("fail", "adjust", "certainty", "remove", "average")


@dataclass(frozen=True, eq=False)
class Design:
    """How the respondents were sampled; the ``_`` fields hold one entry per row."""

    weight: str | None = None
    strata: str | None = None
    cluster: tuple[str, ...] = ()
    fpc: tuple[str, ...] = ()
    nest: bool = False
    lonely_psu: str = "fail"
    replicate_columns: tuple[str, ...] = ()
    method: str | None = None
    rho: float | None = None
    scale: float | None = None
    rscales: np.ndarray | None = field(default=None, repr=False)
    mse: bool = False
    declared: bool = False
    built_from: str | None = None
    calibrated: tuple[str, ...] = ()
    _w: np.ndarray | None = field(default=None, repr=False)
    _rep: np.ndarray | None = field(default=None, repr=False)
    _stages: tuple = field(default=(), repr=False)
    _calibration: tuple = field(default=(), repr=False)
    _index: pd.Index | None = field(default=None, repr=False)

    @property
    def is_replicate(self) -> bool:
        """Whether variances come from replicate weights."""
        return self._rep is not None

    @property
    def weights(self) -> np.ndarray:
        """The full-sample weights, one per row; NaN where missing (read-only)."""
        view = self._w.view()
        view.flags.writeable = False
        return view

    @property
    def replicates(self) -> np.ndarray | None:
        """The replicate analysis weights (rows × replicates), or ``None``."""
        return None if self._rep is None else self._rep.copy()

    @cached_property
    def degf(self) -> float:
        """Design degrees of freedom (R's ``degf``)."""
        return _rep_degf(self._rep) if self.is_replicate else _design_degf(self._stages, self._w)


def _where(survey: Any) -> str:
    return survey.source.path or "this survey"


def weight_array(survey: Any, name: str | None) -> np.ndarray:
    """The weight column as floats (not numeric, negative, infinite or all 0: DataError)."""
    if name is None:
        return np.ones(survey.n)
    col, where = survey[name], f"The weight variable '{name}' in {_where(survey)}"
    if isinstance(col.dtype, pd.CategoricalDtype) or not pd.api.types.is_numeric_dtype(col.dtype):
        num = pd.to_numeric(col.astype(object), errors="coerce")
        if (bad := num.isna() & col.notna()).any():
            raise DataError(
                f"{where} is not numeric (e.g. {col[bad].iloc[0]!r} in row "
                f"{col.index[bad][0]}); choose a numeric weight column."
            )
        col = num
    w = col.to_numpy(dtype=float, na_value=np.nan)
    if np.fmin.reduce(w, initial=np.inf) < 0:
        i = int(np.argmax(w < 0))
        raise DataError(
            f"{where} has {int((w < 0).sum())} negative value(s) (e.g. {w[i]:g} in row "
            f"{survey.data.index[i]}); weights must be zero or more."
        )
    if (hi := np.fmax.reduce(w, initial=-1.0)) == np.inf:
        raise DataError(f"{where} has infinite values.")
    if hi <= 0 and len(w):
        raise DataError(
            f"{where} is 0 or missing for every respondent, so nothing can be "
            f"estimated; check that '{name}' is the weight column."
        )
    return w


def _codes(survey: Any, name: str, role: str) -> np.ndarray:
    """Integer codes 0..k-1 (sorted order) of a design column; a missing value is a DataError."""
    col = survey[name]
    cat = isinstance(col.dtype, pd.CategoricalDtype)
    if (missing := col.cat.codes.to_numpy() < 0 if cat else col.isna().to_numpy()).any():
        raise DataError(
            f"The {role} variable '{name}' in {_where(survey)} has {int(missing.sum())} missing "
            f"value(s) (e.g. row {col.index[missing][0]}); every respondent needs a {role}."
        )
    if cat:
        return _compact(col.cat.codes.to_numpy().astype(np.int64))
    return pd.factorize(col, sort=True)[0].astype(np.int64)


def _compact(codes: np.ndarray) -> np.ndarray:
    """Codes renumbered 0..k-1 over the values that occur (bincount if the range is small)."""
    top = int(codes.max()) + 1 if len(codes) else 0
    if top > 4 * len(codes) + 4096:
        return np.asarray(pd.factorize(codes, sort=True)[0], dtype=np.int64)
    seen = np.bincount(codes, minlength=top) > 0
    return codes if seen.all() else (np.cumsum(seen) - 1)[codes]


def _popsizes(survey: Any, name: str, stratum_n: np.ndarray, row_stratum: np.ndarray) -> np.ndarray:
    """Population size per stratum from an fpc column (sizes, or fractions when all <= 1)."""
    f = pd.to_numeric(survey[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    what = f"The fpc variable '{name}' in {_where(survey)}"
    if np.isnan(f).any():
        raise DataError(f"{what} has missing or non-numeric values; give one for every row.")
    lo, hi = pd.Series(f).groupby(row_stratum).agg(["min", "max"]).to_numpy().T
    if np.any(hi - lo > 1e-9 * np.maximum(1, np.abs(hi))):
        raise DataError(f"{what} varies within a stratum; give one population size per stratum.")
    if np.any(f > 1) and not np.all(f >= 1):
        raise DataError(f"{what} mixes population sizes (>1) and sampling fractions (<=1).")
    with np.errstate(divide="ignore"):
        pop = lo if np.any(f > 1) else stratum_n / lo
    if np.any(pop < stratum_n - 1e-9):
        raise DataError(f"{what} is below the number of sampled units in some stratum.")
    return pop


def _stage(unit, unit_stratum, n, popsize, lonely: str, earlier, what: str) -> engine.Stage:
    """One stage resolved: scale factors per stratum, lonely-PSU treatment."""
    with np.errstate(invalid="ignore", divide="ignore"):
        f = np.where(np.isinf(popsize), 1.0, 1 - n / popsize)
        scale = np.where(f < 1e-7, 0.0, np.where(n > 1, f * n / (n - 1), f))
    centre, multiplier, lonely_avg = np.ones(len(n), dtype=bool), 1.0, None
    if (single := (n == 1) & (f >= 1e-7)).any():
        if lonely == "fail":
            raise DataError(
                f"{int(single.sum())} stratum/strata {what} hold a single PSU, so their "
                "variance cannot be estimated; pass lonely_psu='adjust' (or 'certainty', "
                "'remove', 'average') to with_design, as R's options(survey.lonely.psu=...)."
            )
        centre = ~single if lonely == "adjust" else centre
        # certainty, remove, average: no variance from the lonely strata
        scale = scale if lonely == "adjust" else np.where(single, 0.0, scale)
        if lonely == "average":
            multiplier = float((n > 0).sum()) / max(float(((n > 0) & ~single).sum()), 1.0)
            lonely_avg = single if earlier is None else None
    scale = scale if earlier is None else scale * earlier  # later stages: × earlier fractions
    return engine.Stage(unit, unit_stratum, n, centre, scale, multiplier, lonely_avg)


def _taylor_stages(
    survey: Any, strata, cluster: tuple, fpc: tuple, nest: bool, lonely: str
) -> tuple:
    """The stages (later ones only when each has an fpc; their strata: the earlier units)."""
    if fpc and len(fpc) != max(len(cluster), 1):
        raise ConfigError(
            f"The design has {len(cluster)} cluster stages but {len(fpc)} fpc column(s); give "
            "an fpc for every stage (e.g. fpc=['fpc1', 'fpc2']) or none (ultimate clusters)."
        )
    st = _codes(survey, strata, "strata") if strata else np.zeros(survey.n, dtype=np.int64)
    stages, frac = [], None
    for k in range(len(cluster) if fpc and len(cluster) > 1 else 1):
        unit = None
        if cluster:
            ck = _codes(survey, cluster[k], "cluster")
            unit = _compact(st * (int(ck.max()) + 1) + ck)
            if k == 0 and strata and not nest and ck.max() < unit.max():
                raise ConfigError(
                    f"Clusters '{cluster[0]}' are not nested in strata '{strata}' (the same "
                    "cluster id occurs in several strata); pass nest=True if ids restart within "
                    "each stratum."
                )
        per = st
        if unit is not None:  # each unit's stratum
            per = np.zeros(int(unit.max()) + 1 if len(unit) else 0, dtype=np.int64)
            per[unit] = st
        if unit is None and not strata:  # one stratum of rows: no pass over the data
            n = np.array([float(len(per))])
        else:
            n = np.bincount(per, minlength=int(st.max()) + 1 if len(st) else 1).astype(float)
        pop = _popsizes(survey, fpc[k], n, st) if fpc else np.full(len(n), np.inf)
        what = f"at stage {k + 1}" if k else f"of '{strata}'" * bool(strata)
        stages.append(_stage(unit, per, n, pop, lonely, frac, what))
        if k + 1 < len(cluster) and fpc:  # the next stage's strata: these units
            frac = ((1.0 if frac is None else frac) * np.where(np.isinf(pop), 0.0, n / pop))[per]
            st = unit
    return tuple(stages)


def _design_degf(stages: tuple, w: np.ndarray) -> float:
    """R's degf: PSUs minus strata among the rows with a non-zero weight."""
    first, use = stages[0], w > 0  # NaN compares False
    units = np.flatnonzero(use if first.unit is None else np.bincount(first.unit[use]))
    strata = np.bincount(first.unit_stratum[units], minlength=len(first.stratum_n))
    return float(len(units) - np.count_nonzero(strata))


def _rep_degf(rep: np.ndarray) -> float:
    """R's degf of a replicate design: the rank of the replicate weights minus one."""
    R, total = rep.shape[1], np.linalg.norm(rep) ** 2
    # a sample's Gram matrix is below the whole's: its r eigenvalues above the tolerance are too
    # (λmax <= Σ rep²); rank r if 8 random directions of its null space meet no row (1e-6 of it)
    ev, vec = np.linalg.eigh((sub := rep[:: max(1, len(rep) // (32 * R))]).T @ sub)
    r = int((ev > 1e-10 * total).sum())
    probe = vec[:, : R - r] @ np.random.default_rng(0).standard_normal((R - r, 8))
    if r == R or np.sum((rep @ probe) ** 2) <= 1e-16 * max(ev[-1], total / R):
        return float(max(r - 1, 1) if len(rep) else 0)
    ev = np.linalg.eigvalsh(rep.T @ rep if R <= len(rep) else rep @ rep.T)
    return float(max(int((ev > max(ev.max(), 0) * 1e-10).sum()) - 1, 1))


def resolve_weight(survey: Any, weight: str | None) -> tuple[str | None, bool]:
    """The weight to use and whether the file declared it."""
    declared = survey.codebook.weight
    if weight is None and declared and declared in survey.data.columns:
        return declared, True
    return weight, False


def make_design(
    survey, weight=None, strata=None, cluster=None, fpc=None, nest=False, lonely_psu="fail"
) -> Design:
    """A Taylor-linearisation design (``Survey.with_design`` calls this; see its parameters)."""
    if lonely_psu not in LONELY:
        raise ConfigError(f"lonely_psu={lonely_psu!r} is not one of {', '.join(LONELY)}.")
    if survey.n == 0:
        raise DataError(
            f"{_where(survey)} has no respondents (0 rows), so there is nothing to estimate; "
            "check the file, or the filter that selected the rows."
        )
    weight, declared = resolve_weight(survey, weight)
    cl, fp = ((x,) if isinstance(x, str) else tuple(x or ()) for x in (cluster, fpc))
    w, ix = weight_array(survey, weight), survey.data.index
    stages = _taylor_stages(survey, strata, cl, fp, nest, lonely_psu)
    return Design(
        weight, strata, cl, fp, nest, lonely_psu, declared=declared, _w=w, _stages=stages, _index=ix
    )


def effective_design(survey: Any) -> Design:
    """The survey's design (checked to fit its rows); without one, the declared weight or SRS."""
    design = survey.design
    if design is None:
        return make_design(survey)
    if not design._index.equals(survey.data.index):
        raise ConfigError(
            f"The design was made for {len(design._w)} rows but the survey now has {survey.n} (or "
            "other rows); set the design again (with_design / with_replicates) after "
            "filtering, or estimate on the full data with by= for subgroups."
        )
    return design


def weights(survey: Any) -> np.ndarray:
    """The analysis weights of ``survey`` (ones when unweighted; NaN where missing)."""
    return effective_design(survey).weights


def replicate_weights(survey: Any) -> np.ndarray | None:
    """The replicate analysis weights (rows × replicates) or ``None`` for a Taylor design."""
    return effective_design(survey).replicates


def degf(survey: Any, rows: np.ndarray | None = None) -> float:
    """R's ``degf`` of the design, or of ``subset(design, rows)`` (``rows``: a boolean mask)."""
    d = effective_design(survey)
    if rows is None:
        return d.degf
    if d.is_replicate:
        return _rep_degf(d._rep[rows])
    return _design_degf(d._stages, np.where(rows, np.nan_to_num(d._w), 0.0))


def reweighted(survey: Any, w: np.ndarray, description: str, rep=None, calibration=None) -> Any:
    """``survey`` reweighted; ``calibration``: ``(kind, ((Q, K), ...))``, residuals Z − Q (K Z)."""
    d = effective_design(survey)
    cal = d._calibration if calibration is None else (*d._calibration, calibration)
    d = replace(d, _w=np.asarray(w, float), _rep=rep, _calibration=cal)
    return survey.replace(design=replace(d, calibrated=(*d.calibrated, description)))


def _design(survey: Any) -> Design:
    return survey if isinstance(survey, Design) else effective_design(survey)


def vcov(survey: Any, influence, full: bool = True) -> np.ndarray:
    """Taylor covariance (``full``) or variances of the totals of ``influence`` (R's svyrecvar).

    ``influence``: rows × m, already × the weight, 0 outside a domain.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from youthmedia.survey import Survey
    >>> z = (np.array([1.0, 2.0, 6.0]) - 3.0) / 3      # influence of the mean
    >>> round(float(vcov(Survey(pd.DataFrame({"y": z})), z[:, None])[0, 0]), 6)   # 3/2 · 14/9
    2.333333
    """
    design = _design(survey)
    if design.is_replicate:
        raise ConfigError("A replicate design's variance comes from design.replicate_vcov.")
    Z = influence if sp.issparse(influence) else np.asarray(influence, dtype=float)
    return engine.taylor_var(design, Z[:, None] if Z.ndim == 1 else Z, full)


def replicate_vcov(
    survey: Any, thetas: np.ndarray, estimate: np.ndarray, full: bool = True
) -> np.ndarray:
    """R's ``svrVar`` of ``thetas`` (replicates × m; NaN: left out) around their mean, or around
    ``estimate`` when ``mse=True``."""
    design = _design(survey)
    return engine.rep_var(design, np.asarray(thetas, float), np.asarray(estimate, float), full)


def domain_estimates(
    survey: Any, blocks: Sequence[Any], domain, n_domains: int, ratio=True, full=False, cache=None
) -> list:
    """Per block a :class:`youthmedia.variance.Domains` of ratio (Σwu / Σwd) or total estimates
    per domain × column, with (co)variances, as R's ``svyby``; ``blocks``: ``k`` and ``codes``
    (−1: none) or ``u``/``d`` (rows × k); ``domain``: each row's (−1: none)."""
    design, code, G = _design(survey), np.asarray(domain), int(n_domains)
    w, cache = design._w, [] if cache is None else cache
    w = np.where(np.isnan(w), 0.0, w) if np.isnan(w).any() else w  # NaN: rows not in use
    reps = engine.replicate_sums(design._rep, blocks, code, G, w) if design.is_replicate else None
    return [
        engine.domains(design, b, code, G, ratio, full, cache, w, r)
        for b, r in zip(blocks, reps or [None] * len(blocks), strict=True)
    ]
