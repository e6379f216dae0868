"""Survey designs and the variance engine: weights, strata, clusters, fpc, replicate weights,
Kish effective sample size, raking and post-stratification.

A :class:`Design` is made from a :class:`~youthmedia.survey.Survey` by ``Survey.with_design``,
``Survey.with_replicates`` or ``Survey.to_replicates`` and resolves its columns into arrays once.
The variance of any estimator that can be written as a sum of influence values is
:func:`vcov` (Taylor linearisation with the with-replacement ultimate-cluster estimator, exactly
as R's ``survey::svyrecvar``: ``n_h/(n_h-1)`` per stratum, finite-population corrections,
later stages when every stage has an fpc, post-stratification and raking residuals). Replicate
designs use :func:`replicate_vcov` (R's ``svrVar``: scale, rscales, ``mse``).

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> s = Survey(pd.DataFrame({"w": [1.0, 2.0, 3.0], "y": [0, 1, 1]})).with_design(weight="w")
>>> round(kish_neff(s), 4)   # (1 + 2 + 3)^2 / (1 + 4 + 9) = 36 / 14
2.5714
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from . import variance as _engine
from .errors import ConfigError, DataError
from .hadamard import hadamard

if TYPE_CHECKING:  # pragma: no cover
    from .survey import Survey

__all__ = [
    "Design",
    "build_replicates",
    "population_cells",
    "reweighted",
    "degf",
    "domain_estimates",
    "kish_neff",
    "make_design",
    "make_replicate_design",
    "poststratify",
    "rake",
    "replicate_vcov",
    "replicate_weights",
    "vcov",
    "weights",
]

LONELY = ("fail", "adjust", "certainty", "remove", "average")
REP_METHODS = ("BRR", "Fay", "JK1", "JKn", "bootstrap", "other")
_METHOD_ALIASES = {m.lower(): m for m in REP_METHODS} | {"jackknife": "JK1", "boot": "bootstrap"}


# --------------------------------------------------------------------------------------------
# The Design object
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class Design:
    """How the respondents were sampled and how variances are computed.

    Parameters
    ----------
    weight : str, optional
        The full-sample weight column (``None``: every respondent weighs 1).
    strata, cluster, fpc :
        Stratum column; cluster (PSU) columns, one per stage; fpc columns, one per stage
        (population sizes, or sampling fractions when every value is at most 1).
    nest : bool
        Cluster ids repeat across strata and are nested within them (R's ``nest=TRUE``).
    lonely_psu : {"fail", "adjust", "certainty", "remove", "average"}
        What to do with a stratum holding a single PSU (R's ``options(survey.lonely.psu)``).
    replicate_columns : tuple of str
        Replicate-weight columns (replicate designs given as columns).
    method : str, optional
        ``"BRR"``, ``"Fay"``, ``"JK1"``, ``"JKn"``, ``"bootstrap"`` or ``"other"``.
    rho, scale, rscales, mse :
        Fay's rho; the overall and per-replicate variance factors; centre the replicates on
        the full-sample estimate (``mse=True``) or on their mean (R's default).
    declared : bool
        The weight was not chosen by the user but declared by the file (codebook).
    """

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
    rscales: np.ndarray | None = None
    mse: bool = False
    declared: bool = False
    built_from: str | None = None          # "JKn from strata 'x' and clusters 'y'"
    calibrated: tuple[str, ...] = ()       # descriptions of raking / post-stratification steps
    # resolved arrays (one entry per row of the survey the design was made for)
    _w: np.ndarray | None = field(default=None, repr=False)
    _rep: np.ndarray | None = field(default=None, repr=False)
    _stages: tuple = field(default=(), repr=False)
    _calibration: tuple = field(default=(), repr=False)
    _degf: float | None = field(default=None, repr=False)
    _index: pd.Index | None = field(default=None, repr=False)

    # -- what it is ----------------------------------------------------------------------------
    @property
    def is_replicate(self) -> bool:
        """Whether variances come from replicate weights."""
        return self._rep is not None

    @property
    def n(self) -> int:
        """Number of rows the design was made for."""
        return 0 if self._w is None else len(self._w)

    @property
    def weights(self) -> np.ndarray:
        """The full-sample (analysis) weights, one per row; NaN where missing (read-only)."""
        view = self._w.view()
        view.flags.writeable = False
        return view

    @property
    def replicates(self) -> np.ndarray | None:
        """The replicate analysis weights (rows × replicates), or ``None``."""
        return None if self._rep is None else self._rep.copy()

    @property
    def degf(self) -> float:
        """Design degrees of freedom (R's ``degf``)."""
        return float(self._degf)

    def describe(self) -> str:
        """A one-line description for tables and footnotes."""
        parts = []
        if self.weight:
            parts.append(f"weight '{self.weight}'" + (" (declared in the file)" if self.declared else ""))
        else:
            parts.append("unweighted")
        if self.calibrated:
            parts.append("; ".join(self.calibrated))
        if self.is_replicate:
            nrep = self._rep.shape[1]
            what = f"{self.method} replicate weights ({nrep} replicates"
            if self.method == "Fay":
                what += f", rho={self.rho:g}"
            what += ", centred on the full-sample estimate)" if self.mse else ")"
            if self.built_from:
                what += f" built from {self.built_from}"
            parts.append(what)
        else:
            if self.strata:
                parts.append(f"strata '{self.strata}'")
            if self.cluster:
                parts.append("clusters " + " > ".join(f"'{c}'" for c in self.cluster))
            if self.fpc:
                parts.append("fpc " + ", ".join(f"'{c}'" for c in self.fpc))
            if self.lonely_psu != "fail":
                parts.append(f"lonely PSU: {self.lonely_psu}")
            parts.append("Taylor linearisation")
        return "; ".join(parts)

    def __repr__(self) -> str:
        return f"<Design {self.describe()}>"


# --------------------------------------------------------------------------------------------
# Stages of a Taylor design (resolved)
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Stage:
    """One sampling stage: units (PSUs), their strata and variance scale factors."""

    unit: np.ndarray | None      # unit code per row (None: each row is its own unit)
    n_units: int
    unit_stratum: np.ndarray     # stratum code per unit
    unit_scale: np.ndarray       # variance factor per unit: (1 - f) n_h / (n_h - 1) [x earlier fractions]
    stratum_n: np.ndarray        # units per stratum
    stratum_centre: np.ndarray   # bool: centre this stratum's unit totals (False for "adjust" lonely)
    stratum_scale: np.ndarray    # variance factor per stratum (for the centring term)
    multiplier: float = 1.0      # "average" lonely PSU: strata / strata with a variance
    lonely: np.ndarray | None = None   # "average": the strata holding a single PSU

    def average_factor(self, present: np.ndarray) -> np.ndarray | float:
        """Variance factor of ``lonely_psu="average"`` for each estimate (R's ``onestage``):
        the strata present in the estimate's domain over those of them with a variance — a
        group found in 3 of 5 strata, none lonely, gets 3/3. ``present`` is strata × estimates
        (bool); without lonely strata (or not "average") the factor is 1."""
        if self.lonely is None:
            return 1.0
        n = present.sum(axis=0).astype(float)
        ok = (present & ~self.lonely[:, None]).sum(axis=0).astype(float)
        return np.where(ok > 0, n / np.maximum(ok, 1.0), 1.0)

    def scaled(self, V: np.ndarray, factor: np.ndarray | float) -> np.ndarray:
        """``V`` (variances, or a covariance) times the per-estimate factors."""
        if np.isscalar(factor):
            return V * factor
        return V * (np.sqrt(np.outer(factor, factor)) if V.ndim == 2 else factor)

    def totals(self, Z):
        """Unit totals of the rows of ``Z`` (units × columns)."""
        if self.unit is None:
            return Z
        return self._A @ Z

    @property
    def _A(self):
        n = len(self.unit)
        return sp.csr_matrix((np.ones(n), (self.unit, np.arange(n))), shape=(self.n_units, n))


# --------------------------------------------------------------------------------------------
# Making designs
# --------------------------------------------------------------------------------------------
def _as_list(x: str | Sequence[str] | None) -> tuple[str, ...]:
    if x is None:
        return ()
    if isinstance(x, str):
        return (x,)
    return tuple(str(v) for v in x)


def _where(survey: Survey) -> str:
    return survey.source.path or "this survey"


def _weight_array(survey: Survey, name: str | None) -> np.ndarray:
    """The weight column as floats, validated (non-numeric or negative: DataError)."""
    if name is None:
        return np.ones(survey.n)
    survey.require(name)
    col = survey.data[name]
    if isinstance(col.dtype, pd.CategoricalDtype) or not (
        pd.api.types.is_numeric_dtype(col.dtype) or pd.api.types.is_bool_dtype(col.dtype)
    ):
        converted = pd.to_numeric(col.astype(object), errors="coerce")
        bad = converted.isna() & col.notna()
        if bad.any():
            first = col[bad].iloc[0]
            raise DataError(
                f"The weight variable '{name}' in {_where(survey)} is not numeric (e.g. {first!r} "
                f"in row {col.index[bad][0]}); choose a numeric weight column."
            )
        col = converted
    w = col.to_numpy(dtype=float, na_value=np.nan)
    lo, hi = np.fmin.reduce(w, initial=np.inf), np.fmax.reduce(w, initial=-np.inf)
    if lo >= 0 and np.isfinite(hi) and hi > 0:    # the usual case: two passes, all is well
        return w
    neg = w < 0
    if neg.any():
        i = int(np.flatnonzero(neg)[0])
        raise DataError(
            f"The weight variable '{name}' in {_where(survey)} has {int(neg.sum())} negative "
            f"value(s) (e.g. {w[i]:g} in row {survey.data.index[i]}); weights must be zero or more."
        )
    if np.isinf(w).any():
        raise DataError(f"The weight variable '{name}' in {_where(survey)} has infinite values.")
    if len(w) and not (np.nan_to_num(w) > 0).any():
        raise DataError(
            f"The weight variable '{name}' in {_where(survey)} is 0 or missing for every "
            f"respondent, so nothing can be estimated; check that '{name}' is the weight column."
        )
    return w


def _codes(survey: Survey, name: str, role: str) -> np.ndarray:
    """Integer codes (0.., in sorted order) of a design column; a missing value is a DataError
    naming it. A Categorical's codes are used as they are (compacted); other columns are
    factorised by hashing, not sorting."""
    survey.require(name)
    col = survey.data[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        raw = col.cat.codes.to_numpy()
        missing = raw < 0
    else:
        raw = None
        missing = col.isna().to_numpy()
    if missing.any():
        k = int(missing.sum())
        raise DataError(
            f"The {role} variable '{name}' in {_where(survey)} has {k} missing value(s) "
            f"(e.g. row {col.index[missing][0]}); every respondent needs a {role}."
        )
    if raw is None:
        return np.asarray(pd.factorize(col, sort=True)[0], dtype=np.int64)
    return _compact(raw.astype(np.int64))


def _compact(codes: np.ndarray) -> np.ndarray:
    """Codes renumbered 0..k-1 over the values that occur, in their order (bincount when the
    range is small, else a hash factorisation of the values)."""
    top = int(codes.max()) + 1 if len(codes) else 0
    if top <= 4 * len(codes) + 4096:
        seen = np.bincount(codes, minlength=top) > 0
        if seen.all():
            return codes
        return (np.cumsum(seen) - 1)[codes]
    return np.asarray(pd.factorize(codes, sort=True)[0], dtype=np.int64)


def _popsizes(survey: Survey, name: str, stratum_n: np.ndarray,
              row_stratum: np.ndarray) -> np.ndarray:
    """Population size per stratum from an fpc column (sizes, or fractions when all <= 1)."""
    survey.require(name)
    f = pd.to_numeric(survey.data[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(f).any():
        raise DataError(f"The fpc variable '{name}' in {_where(survey)} has missing or "
                        "non-numeric values; give a population size (or sampling fraction) for every row.")
    H = len(stratum_n)
    lo = np.full(H, np.inf)
    hi = np.full(H, -np.inf)
    np.minimum.at(lo, row_stratum, f)
    np.maximum.at(hi, row_stratum, f)
    if np.any(hi - lo > 1e-9 * np.maximum(1, np.abs(hi))):
        raise DataError(f"The fpc variable '{name}' varies within a stratum in {_where(survey)}; "
                        "it must be one population size per stratum.")
    is_size = np.any(f > 1)
    if is_size and not np.all(f >= 1):
        raise DataError(f"The fpc variable '{name}' mixes population sizes (>1) and sampling "
                        "fractions (<=1); use one or the other.")
    if is_size:
        pop = lo
    else:
        with np.errstate(divide="ignore"):
            pop = stratum_n / lo
    if np.any(pop < stratum_n - 1e-9):
        raise DataError(f"The fpc variable '{name}' in {_where(survey)} is smaller than the "
                        "number of sampled units in some stratum; it must be the population size.")
    return pop


def _stage(row_stratum: np.ndarray, unit: np.ndarray | None, H: int, popsize: np.ndarray | None,
           lonely: str, earlier: np.ndarray | None, what: str) -> _Stage:
    """Resolve one stage: units, strata, scale factors and lonely-PSU treatment."""
    if unit is None:
        n_units = len(row_stratum)
        unit_stratum = row_stratum
    else:
        n_units = int(unit.max()) + 1 if len(unit) else 0
        unit_stratum = np.zeros(n_units, dtype=np.int64)
        unit_stratum[unit] = row_stratum
    stratum_n = np.bincount(unit_stratum, minlength=H).astype(float)
    if popsize is None:
        f = np.ones(H)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            f = np.where(np.isinf(popsize), 1.0, (popsize - stratum_n) / popsize)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(stratum_n > 1, f * stratum_n / (stratum_n - 1), f)
    scale = np.where(f < 1e-7, 0.0, scale)
    centre = np.ones(H, dtype=bool)
    multiplier = 1.0
    lonely_avg = None
    lonely_strata = (stratum_n == 1) & (f >= 1e-7)
    if lonely_strata.any():
        if lonely == "fail":
            raise DataError(
                f"{int(lonely_strata.sum())} stratum/strata {what} hold a single PSU, so their "
                "variance cannot be estimated; pass lonely_psu='adjust' (or 'certainty', "
                "'remove', 'average') to with_design, as R's options(survey.lonely.psu=...)."
            )
        if lonely == "adjust":
            centre = ~lonely_strata
        elif lonely in ("certainty", "remove"):
            scale = np.where(lonely_strata, 0.0, scale)
        elif lonely == "average":
            scale = np.where(lonely_strata, 0.0, scale)
            present = stratum_n > 0
            ok = present & ~lonely_strata
            multiplier = float(present.sum()) / max(float(ok.sum()), 1.0)
            lonely_avg = lonely_strata
    if earlier is not None:
        # later stages: multiplied by the sampling fraction of the unit they lie in
        unit_scale = scale[unit_stratum] * earlier[unit_stratum]
        stratum_scale = scale * earlier
    else:
        unit_scale = scale[unit_stratum]
        stratum_scale = scale
    return _Stage(unit, n_units, unit_stratum, unit_scale, stratum_n, centre, stratum_scale,
                  multiplier, lonely_avg if earlier is None else None)


def _taylor_stages(survey: Survey, strata: str | None, cluster: tuple[str, ...],
                   fpc: tuple[str, ...], nest: bool, lonely: str) -> tuple[_Stage, ...]:
    """Resolve the strata/cluster/fpc columns into stages and the design df."""
    n = survey.n
    if fpc and cluster and len(fpc) not in (1, len(cluster)):
        raise ConfigError(f"Give one fpc per cluster stage ({len(cluster)}), or none; got {len(fpc)}.")
    if len(fpc) == 1 and len(cluster) > 1:
        raise ConfigError(f"The design has {len(cluster)} cluster stages but one fpc; give an fpc "
                          "for every stage (e.g. fpc=['fpc1', 'fpc2']) or none (ultimate clusters).")
    if len(fpc) > 1 and len(cluster) < len(fpc):
        raise ConfigError("More fpc columns than cluster stages.")
    row_stratum = _codes(survey, strata, "strata") if strata else np.zeros(n, dtype=np.int64)
    H = int(row_stratum.max()) + 1 if n else 1
    stages: list[_Stage] = []
    # stage 1
    if cluster:
        c1 = _codes(survey, cluster[0], "cluster")
        combined = row_stratum * (int(c1.max()) + 1) + c1
        unit = _compact(combined)
        if strata and not nest:
            top = int(combined.max()) + 1
            pairs = np.flatnonzero(np.bincount(combined, minlength=top)) \
                if top <= 4 * n + 4096 else np.unique(combined)
            if np.unique(pairs % (int(c1.max()) + 1)).size < pairs.size:
                raise ConfigError(
                    f"Clusters '{cluster[0]}' are not nested in strata '{strata}' (the same "
                    "cluster id occurs in several strata); pass nest=True if ids restart "
                    "within each stratum."
                )
    else:
        unit = None
    pop1 = None
    if fpc:
        units_per = (np.bincount(row_stratum, minlength=H) if unit is None else
                     np.bincount(_unit_strata(unit, row_stratum), minlength=H)).astype(float)
        pop1 = _popsizes(survey, fpc[0], units_per, row_stratum)
    first = _stage(row_stratum, unit, H, pop1, lonely, None, f"of '{strata}'" if strata else "")
    stages.append(first)
    # later stages: only when every stage has an fpc (as R: otherwise ultimate clusters)
    if len(cluster) > 1 and fpc:
        frac = np.where(np.isinf(pop1), 0.0, first.stratum_n / pop1)  # n1 / N1 per stratum
        prev_unit, prev_frac = unit, frac[first.unit_stratum]           # per stage-1 unit
        for k in range(1, len(cluster)):
            ck = _codes(survey, cluster[k], "cluster")
            st = prev_unit  # strata of stage k = units of stage k-1
            Hk = int(st.max()) + 1
            uk = np.unique(st * (int(ck.max()) + 1) + ck, return_inverse=True)[1].astype(np.int64).ravel()
            nk = np.bincount(_unit_strata(uk, st), minlength=Hk).astype(float)
            popk = _popsizes(survey, fpc[k], nk, st)
            stage = _stage(st, uk, Hk, popk, lonely, prev_frac, f"at stage {k + 1}")
            stages.append(stage)
            fk = np.where(np.isinf(popk), 0.0, nk / popk)
            prev_frac = prev_frac * fk            # per stage-k stratum (= stage-(k-1) unit)
            # expand to stage-k units
            prev_frac = prev_frac[stage.unit_stratum]
            prev_unit = uk
    return tuple(stages)


def _unit_strata(unit: np.ndarray, row_stratum: np.ndarray) -> np.ndarray:
    """The stratum of each unit (units are nested in strata)."""
    out = np.zeros(int(unit.max()) + 1 if len(unit) else 0, dtype=np.int64)
    out[unit] = row_stratum
    return out


def _design_degf(stages: tuple[_Stage, ...], w: np.ndarray) -> float:
    """R's degf: PSUs minus strata, among rows with a non-zero weight (counted with bincount:
    no sort of the rows)."""
    first = stages[0]
    use = w > 0                                   # NaN compares False
    H = len(first.stratum_n)
    if first.unit is None:
        n_units = int(np.count_nonzero(use))
        strata = int(n_units > 0) if H == 1 else \
            int(np.count_nonzero(np.bincount(first.unit_stratum[use], minlength=H)))
    else:
        used = np.bincount(first.unit[use], minlength=first.n_units) > 0
        n_units = int(np.count_nonzero(used))
        strata = int(np.count_nonzero(np.bincount(first.unit_stratum[used], minlength=H)))
    return float(n_units - strata)


def _resolve_weight(survey: Survey, weight: str | None) -> tuple[str | None, bool]:
    if weight is None and survey.codebook.weight and survey.codebook.weight in survey.data.columns:
        return survey.codebook.weight, True
    return weight, False


def make_design(survey: Survey, weight: str | None = None, strata: str | None = None,
                cluster: str | Sequence[str] | None = None, fpc: str | Sequence[str] | None = None,
                nest: bool = False, lonely_psu: str = "fail", **options: Any) -> Design:
    """A Taylor-linearisation design (``Survey.with_design`` calls this).

    Parameters
    ----------
    survey : Survey
    weight : str, optional
        Weight column; ``None`` takes the weight the file declares, if any, else no weight.
    strata : str, optional
    cluster : str or list of str, optional
        PSU column, or one column per stage (``["dnum", "snum"]``).
    fpc : str or list of str, optional
        Population sizes (or sampling fractions) per stage.
    nest : bool
        Cluster ids restart within strata.
    lonely_psu : {"fail", "adjust", "certainty", "remove", "average"}

    Returns
    -------
    Design

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> d = pd.DataFrame({"w": [1.0, 1, 2, 2], "h": [1, 1, 2, 2], "y": [1, 0, 1, 1]})
    >>> Survey(d).with_design(weight="w", strata="h").design.degf
    2.0
    """
    if options:
        raise ConfigError(f"Unknown design option(s): {', '.join(options)}; known: weight, strata, "
                          "cluster, fpc, nest, lonely_psu.")
    if lonely_psu not in LONELY:
        raise ConfigError(f"lonely_psu={lonely_psu!r} is not one of {', '.join(LONELY)}.")
    if survey.n == 0:
        raise DataError(f"{_where(survey)} has no respondents (0 rows), so there is nothing "
                        "to estimate; check the file, or the filter that selected the rows.")
    weight, declared = _resolve_weight(survey, weight)
    w = _weight_array(survey, weight)
    cl, fp = _as_list(cluster), _as_list(fpc)
    stages = _taylor_stages(survey, strata, cl, fp, nest, lonely_psu)
    return Design(weight=weight, strata=strata, cluster=cl, fpc=fp, nest=nest,
                  lonely_psu=lonely_psu, declared=declared, _w=w, _stages=stages,
                  _degf=_design_degf(stages, w), _index=survey.data.index)


def _rep_scales(method: str, R: int, rho: float | None, scale: float | None,
                rscales: Any) -> tuple[float, np.ndarray]:
    """R's svrepdesign scale factors for each method."""
    rs = np.ones(R) if rscales is None else np.broadcast_to(np.asarray(rscales, dtype=float), (R,)).copy()
    if method == "BRR":
        sc = 1.0 / R
    elif method == "Fay":
        if rho is None or not 0 <= rho < 1:
            raise ConfigError("method='Fay' needs rho between 0 and 1 (e.g. rho=0.5).")
        sc = 1.0 / (R * (1 - rho) ** 2)
    elif method == "JK1":
        sc = (R - 1) / R if scale is None else scale
    elif method == "JKn":
        if rscales is None:
            raise ConfigError("method='JKn' needs rscales=[(n_h - 1)/n_h for each replicate] "
                              "(the stratum of each replicate decides its factor).")
        sc = 1.0 if scale is None else scale
    elif method == "bootstrap":
        sc = 1.0 / (R - 1) if scale is None else scale
    else:  # other
        sc = 1.0 if scale is None else scale
    if method in ("BRR", "Fay") and scale is not None:
        sc = scale
    return float(sc), rs


def make_replicate_design(survey: Survey, replicates: Sequence[str] | str, method: str = "JK1",
                          weight: str | None = None, rho: float | None = None, mse: bool = False,
                          scale: float | None = None, rscales: Any = None,
                          combined: bool = True, **options: Any) -> Design:
    """A design whose variances come from replicate-weight columns.

    Parameters
    ----------
    survey : Survey
    replicates : list of str, or str
        The replicate-weight columns, or a prefix (``"rep_"``) naming them all.
    method : {"BRR", "Fay", "JK1", "JKn", "bootstrap", "other"}
    weight : str, optional
        The full-sample weight (required: from here or declared by the file).
    rho : float, optional
        Fay's rho (method ``"Fay"``).
    mse : bool
        Centre on the full-sample estimate (``True``) or the replicates' mean (R's default).
    scale, rscales : optional
        Override R's factors (``JKn`` needs ``rscales``).
    combined : bool
        The replicate columns already include the full-sample weight (R's
        ``combined.weights=TRUE``); ``False`` multiplies them by it.

    Returns
    -------
    Design

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> d = pd.DataFrame({"w": [1.0, 1], "r1": [2.0, 0], "r2": [0.0, 2], "y": [1, 0]})
    >>> Survey(d).with_replicates(["r1", "r2"], method="BRR", weight="w").design.method
    'BRR'
    """
    if options:
        raise ConfigError(f"Unknown replicate option(s): {', '.join(options)}.")
    m = _METHOD_ALIASES.get(str(method).lower())
    if m is None:
        raise ConfigError(f"Replicate method {method!r} is not one of {', '.join(REP_METHODS)}.")
    if isinstance(replicates, str):
        cols = [c for c in survey.columns if c.startswith(replicates)]
        if not cols:
            survey.require(replicates)
            cols = [replicates]
    else:
        cols = list(replicates)
    if not cols:
        raise ConfigError("with_replicates needs at least one replicate-weight column.")
    survey.require(*cols)
    weight, declared = _resolve_weight(survey, weight)
    if weight is None:
        raise ConfigError("Replicate weights need the full-sample weight too: pass "
                          "weight='...' (the column the replicates were made from).")
    w = _weight_array(survey, weight)
    rep = _replicate_matrix(survey, cols)
    if not combined:
        rep = rep * np.nan_to_num(w)[:, None]
    sc, rs = _rep_scales(m, rep.shape[1], rho, scale, rscales)
    return Design(weight=weight, replicate_columns=tuple(cols), method=m, rho=rho, scale=sc,
                  rscales=rs, mse=bool(mse), declared=declared, _w=w, _rep=rep,
                  _degf=_rep_degf(rep), _index=survey.data.index)


def _replicate_matrix(survey: Survey, cols: Sequence[str]) -> np.ndarray:
    """The replicate-weight columns as one rows × R array, checked as weights.

    C order (a row's replicate weights side by side), as the estimators read it. Filled in
    blocks of rows that stay in the cache: ``np.column_stack`` writes each column with a
    stride of R values, 5-8× slower on 80 replicates of 600,000 rows. Each column is checked
    with three reductions; a column that fails is handed to :func:`_weight_array` for its
    one-line message.
    """
    arrays = []
    for c in cols:
        survey.require(c)
        col = survey.data[c]
        if pd.api.types.is_float_dtype(col.dtype) or pd.api.types.is_integer_dtype(col.dtype):
            a = col.to_numpy(dtype=float, na_value=np.nan)
            lo, hi = np.fmin.reduce(a, initial=np.inf), np.fmax.reduce(a, initial=-np.inf)
            if not (lo >= 0 and np.isfinite(hi) and hi > 0):
                a = _weight_array(survey, c)      # raises the message for what is wrong
        else:
            a = _weight_array(survey, c)          # text, categorical or boolean: the full checks
        arrays.append(a)
    for c, a in zip(cols, arrays, strict=True):
        if np.isnan(np.add.reduce(a)):            # finite values: a NaN sum means a NaN
            raise DataError(f"The replicate weight '{c}' has missing values; replicate weights "
                            "must be given for every respondent.")
    n, R = survey.n, len(arrays)
    rep = np.empty((n, R))
    step = 2048
    for start in range(0, n, step):
        block = rep[start:start + step]
        for j, a in enumerate(arrays):
            block[:, j] = a[start:start + step]
    return rep


def _rep_degf(rep: np.ndarray) -> float:
    """R's degf for replicate designs: rank of the replicate weights minus one."""
    g = rep.T @ rep if rep.shape[1] <= rep.shape[0] else rep @ rep.T   # the smaller Gram matrix
    ev = np.linalg.eigvalsh(g)
    tol = max(ev.max(), 0) * 1e-10
    return float(max(int((ev > tol).sum()) - 1, 1))


def build_replicates(survey: Survey, method: str = "auto", rho: float | None = None,
                     mse: bool = False, replicates: int = 50, seed: int | None = None,
                     **options: Any) -> Design:
    """Replicate weights built from the survey's strata/cluster design, as R's ``as.svrepdesign``.

    Parameters
    ----------
    survey : Survey
        With a Taylor design (``with_design``); without one, each respondent is a PSU.
    method : {"auto", "JK1", "JKn", "BRR", "Fay", "bootstrap"}
        ``JK1`` drops one PSU at a time (unstratified designs); ``JKn`` one PSU per stratum
        (stratified designs); ``auto`` picks one of these two, as R; ``BRR``/``Fay`` need
        exactly two PSUs in every stratum; ``bootstrap`` resamples the PSUs of each stratum
        with replacement, as R's ``bootweights`` (``replicates`` replicates, reproducible with
        ``seed``; scale n̄/((n̄ − 1)(R − 1)) with n̄ the harmonic mean of PSUs per stratum).
    rho : float, optional
        For ``Fay`` (default 0.5 there).
    mse : bool
        Centre on the full-sample estimate.

    Returns
    -------
    Design

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> d = pd.DataFrame({"w": [1.0, 1, 1], "c": [1, 2, 3], "y": [1, 0, 1]})
    >>> Survey(d).with_design(weight="w", cluster="c").to_replicates("JK1").design.replicates.shape
    (3, 3)
    """
    if options:
        raise ConfigError(f"Unknown option(s) for to_replicates: {', '.join(options)}.")
    design = survey.design
    if design is None:
        design = make_design(survey)
    m = ("JKn" if design.strata else "JK1") if str(method).lower() == "auto" else \
        _METHOD_ALIASES.get(str(method).lower())
    if m not in ("JK1", "JKn", "BRR", "Fay", "bootstrap"):
        raise ConfigError(f"to_replicates builds JK1, JKn, BRR, Fay or bootstrap weights, not {method!r}.")
    if m in ("JKn", "BRR", "Fay") and not (survey.design is not None and survey.design.strata):
        raise ConfigError(f"{m} replicates need a stratified design (with_design(strata=...)); "
                          "use 'JK1' or 'bootstrap' for an unstratified one.")
    if design.is_replicate:
        raise ConfigError("This survey already has replicate weights.")
    _check_rows(survey, design)
    if design.calibrated:
        raise ConfigError("Build replicates before raking or post-stratifying, then calibrate "
                          "the replicate design (each replicate is calibrated too).")
    stage = design._stages[0]
    n = survey.n
    unit = stage.unit if stage.unit is not None else np.arange(n)
    ustrat = stage.unit_stratum
    nh = stage.stratum_n
    P = stage.n_units
    w = np.nan_to_num(design._w)
    # finite population correction per stratum, as 1 - f (R's jk1weights/jknweights fpc)
    with np.errstate(divide="ignore", invalid="ignore"):
        fcorr = np.where(nh > 1, stage.stratum_scale * (nh - 1) / nh, stage.stratum_scale)
    where = []
    if design.strata:
        where.append(f"strata '{design.strata}'")
    if design.cluster:
        where.append(f"clusters '{design.cluster[0]}'")
    built = " and ".join(where) or "the respondents"
    if m == "JK1":
        if design.strata:
            raise ConfigError("JK1 replicates are for unstratified designs; use 'JKn' (one PSU "
                              "dropped per stratum) for a stratified design, as R does.")
        mult = np.full((P, P), P / (P - 1))
        np.fill_diagonal(mult, 0.0)
        f1 = fcorr[0] if len(np.unique(ustrat)) == 1 else 1.0
        sc, rs = f1 * (P - 1) / P, np.ones(P)
        rep = w[:, None] * mult[unit]
    elif m == "JKn":
        mult, rs, sc = _jkn_multipliers(ustrat, nh, fcorr, design.lonely_psu, design.strata)
        rep = w[:, None] * mult[unit]
    elif m in ("BRR", "Fay"):
        rho_ = 0.0 if m == "BRR" else (0.5 if rho is None else float(rho))
        mult = _brr_multipliers(survey, design, unit, ustrat, nh, rho_, m)
        rep = w[:, None] * mult[unit]
        sc, rs = 1.0 / (mult.shape[1] * (1 - rho_) ** 2), np.ones(mult.shape[1])
        rho = rho_ if m == "Fay" else None
    else:  # bootstrap as R's bootweights: n_h PSUs drawn with replacement in each stratum
        rep = w[:, None] * _boot_multipliers(ustrat, nh, replicates, seed)[unit]
        hbar = 1 / np.mean(1 / nh[nh > 0])
        sc, rs = hbar / ((hbar - 1) * (replicates - 1)), np.ones(replicates)
    return Design(weight=design.weight, method=m, rho=rho, scale=float(sc), rscales=np.asarray(rs, float),
                  mse=bool(mse), declared=design.declared, built_from=built, _w=design._w,
                  _rep=rep, _degf=_rep_degf(rep), _index=survey.data.index,
                  strata=design.strata, cluster=design.cluster)


def _jkn_multipliers(ustrat: np.ndarray, nh: np.ndarray, fcorr: np.ndarray, lonely: str,
                     strata: str | None) -> tuple[np.ndarray, np.ndarray, float]:
    """PSU × replicate weight multipliers, rscales and scale of JKn, as R's ``jknweights``.

    One replicate per PSU of each stratum with two or more (its PSU dropped, the others of the
    stratum × n_h/(n_h − 1), rscale (1 − f_h)(n_h − 1)/n_h); none for a fully sampled stratum
    (R's ``survey.drop.replicates``). A stratum with one PSU: ``"adjust"`` adds one replicate
    dropping it and multiplying every other PSU by H/(H − 1), rscale (H − 1)/H (H strata);
    ``"average"`` skips it and scales the variance by PSUs / replicates; ``"certainty"`` and
    ``"remove"`` skip it.
    """
    H, P = int(np.sum(nh > 0)), len(ustrat)
    cols: list[np.ndarray] = []
    rs: list[float] = []
    for h in np.flatnonzero(nh > 0):
        units = np.flatnonzero(ustrat == h)
        if fcorr[h] < 1e-12:                           # R drops a census stratum's replicates
            continue
        if nh[h] == 1:
            if lonely == "fail":
                raise DataError(f"JKn needs at least two PSUs per stratum; {int(np.sum(nh == 1))} "
                                f"stratum/strata of '{strata}' have one (use lonely_psu in "
                                "with_design).")
            if lonely == "adjust":
                col = np.where(ustrat == h, 0.0, H / (H - 1) if H > 1 else 0.0)
                cols.append(col)
                rs.append((H - 1) / H)
            continue
        for u in units:                                # one replicate per PSU
            col = np.ones(P)
            col[units] = nh[h] / (nh[h] - 1)
            col[u] = 0.0
            cols.append(col)
            rs.append(float(fcorr[h] * (nh[h] - 1) / nh[h]))
    if not cols:
        raise DataError(f"JKn replicates drop one PSU at a time within a stratum, but no stratum "
                        f"of '{strata}' holds two PSUs that were not all sampled, so there is no "
                        "replicate to build; use 'bootstrap', or a design with fewer strata.")
    scale = P / len(cols) if lonely == "average" and len(cols) < P else 1.0
    return np.column_stack(cols), np.asarray(rs), float(scale)


def _boot_multipliers(ustrat: np.ndarray, nh: np.ndarray, replicates: int,
                      seed: int | None) -> np.ndarray:
    """PSU × replicate counts: n_h PSUs drawn with replacement in each stratum (bootweights)."""
    rng = np.random.default_rng(seed)
    mult = np.zeros((len(ustrat), replicates))
    for h in np.flatnonzero(nh > 0):
        units = np.flatnonzero(ustrat == h)
        k = len(units)
        draws = rng.integers(0, k, size=(k, replicates))
        counts = np.zeros((k, replicates))
        np.add.at(counts, (draws, np.arange(replicates)[None, :]), 1)
        mult[units] = counts
    return mult


def _r_text(values: pd.Series) -> np.ndarray:
    """Values as R's ``as.character`` writes them (whole numbers without ``.0``)."""
    def one(v: Any) -> str:
        if isinstance(v, (float, np.floating)) and float(v).is_integer():
            return str(int(v))
        return str(v)
    return np.array([one(v) for v in values.astype(object)], dtype=object)


def _brr_multipliers(survey: Survey, design: Design, unit: np.ndarray, ustrat: np.ndarray,
                     nh: np.ndarray, rho: float, m: str) -> np.ndarray:
    """PSU × replicate multipliers of BRR/Fay half-samples, as R's ``brrweights``.

    Strata take the Hadamard rows in R's order: their identifiers sorted as text (R's
    ``as.character`` then ``order``: "1", "10", "2"); within a stratum the PSU that comes
    first in the data is the first half. Replicate r gives the first half ``2 − rho`` where
    R's 0/1 Hadamard matrix ``H[1 + stratum, r]`` is 1, ``rho`` otherwise.
    """
    if np.any(nh[nh > 0] != 2):
        raise DataError(f"{m} replicates need exactly two PSUs in every stratum; "
                        f"{int((nh[nh > 0] != 2).sum())} strata have another number (use JKn).")
    P = len(ustrat)
    first_row = np.full(P, len(unit), dtype=np.int64)
    np.minimum.at(first_row, unit, np.arange(len(unit)))        # first row of each PSU
    text = _r_text(survey.data[design.strata])
    stratum_text = np.empty(len(nh), dtype=object)
    stratum_text[ustrat[unit]] = text
    used = np.flatnonzero(nh > 0)
    order = sorted(used, key=lambda h: stratum_text[h])         # R: order(as.character(strata))
    number = np.full(len(nh), -1)
    number[order] = np.arange(1, len(order) + 1)
    had = hadamard(len(order))                                   # 0/1, replicates = columns
    first = np.zeros(P, dtype=bool)
    for h in used:
        units = np.flatnonzero(ustrat == h)
        first[units[np.argmin(first_row[units])]] = True
    high = had[number[ustrat]] == 1                              # P × replicates
    return np.where(high == first[:, None], 2 - rho, rho)


# --------------------------------------------------------------------------------------------
# Access for estimators (and for models): weights, df, variance
# --------------------------------------------------------------------------------------------
def _check_rows(survey: Survey, design: Design) -> None:
    if design.n != survey.n or (design._index is not None and not design._index.equals(survey.data.index)):
        raise ConfigError(
            f"The design was made for {design.n} rows but the survey now has {survey.n} "
            "(or other rows); set the design again (with_design / with_replicates) after "
            "filtering, or estimate on the full data with by= for subgroups."
        )


def effective_design(survey: Survey) -> Design:
    """The survey's design; without one, the weight the file declares or no weight (SRS)."""
    if survey.design is not None:
        _check_rows(survey, survey.design)
        return survey.design
    return make_design(survey)


def weights(survey: Survey) -> np.ndarray:
    """The analysis weights of ``survey`` (ones when unweighted; NaN where missing).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> weights(Survey(pd.DataFrame({"y": [1, 2]}))).tolist()
    [1.0, 1.0]
    """
    return effective_design(survey).weights


def replicate_weights(survey: Survey) -> np.ndarray | None:
    """The replicate analysis weights (rows × replicates) or ``None`` for a Taylor design."""
    return effective_design(survey).replicates


def degf(survey: Survey, rows: np.ndarray | pd.Series | None = None) -> float:
    """Design degrees of freedom (R's ``degf``) of the survey, or of the subset ``rows``.

    Taylor designs: PSUs minus strata (among the rows with a weight above 0); replicate
    designs: the rank of the replicate weights minus one. With ``rows`` it is R's
    ``degf(subset(design, rows))``: the PSUs and strata that still hold a used row with a
    weight, or the rank of those rows' replicate weights — what a model fitted on the
    complete cases uses for its t and F tests.

    Parameters
    ----------
    survey : Survey
    rows : array of bool, optional
        One entry per respondent: True for the rows in use. Default: all.

    Returns
    -------
    float

    Raises
    ------
    ConfigError
        ``rows`` is not a True/False array with one entry per respondent.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from youthmedia.survey import Survey
    >>> d = pd.DataFrame({"h": [1, 1, 1, 2, 2, 2], "psu": [1, 1, 2, 3, 4, 5], "w": [1.0] * 6})
    >>> s = Survey(d).with_design(weight="w", strata="h", cluster="psu")
    >>> degf(s), degf(s, rows=np.array([False, False, False, True, True, True]))   # 5 − 2, 3 − 1
    (3.0, 2.0)
    """
    design = effective_design(survey)
    if rows is None:
        return design.degf
    if isinstance(rows, pd.Series):
        rows = rows.to_numpy()
    keep = np.asarray(rows)
    if keep.dtype != bool or keep.shape != (design.n,):
        raise ConfigError(f"rows must be a True/False array with one entry per respondent "
                          f"({design.n}), not {keep.dtype} of shape {keep.shape}.")
    if design.is_replicate:
        return _rep_degf(design._rep[keep]) if keep.any() else 0.0
    w = np.where(keep, np.nan_to_num(design._w), 0.0)
    return _design_degf(design._stages, w)


def kish_neff(survey: Survey, rows: np.ndarray | None = None) -> float:
    """Kish's effective sample size (Σw)² / Σw² over ``rows`` (default: all with a weight).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"w": [1.0, 3.0]})).with_design(weight="w")
    >>> kish_neff(s)   # 16 / 10
    1.6
    """
    w = np.nan_to_num(weights(survey))
    if rows is not None:
        w = w[rows]
    s2 = float(np.sum(w * w))
    return float(np.sum(w) ** 2 / s2) if s2 > 0 else 0.0


def vcov(survey: Survey | Design, influence, full: bool = True) -> np.ndarray:
    """Design covariance of the totals of ``influence`` (Taylor linearisation, as R's svyrecvar).

    Parameters
    ----------
    survey : Survey or Design
        With a Taylor design (or none: the declared weight or SRS, each row a PSU); a
        ``Design`` (``survey.design``) works as well.
    influence : array or sparse matrix, rows × m
        One row per respondent (zero for rows not used: they stay in their PSU, so domains
        are handled as R's ``subset``), already multiplied by the weight — R's
        ``x * pweights / sum(pweights)`` for a mean, ``x * pweights`` for a total.
    full : bool
        Full m × m matrix (default) or only the variances (length m).

    Returns
    -------
    numpy.ndarray

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"y": [1.0, 2.0, 6.0]}))
    >>> z = (np.array([1.0, 2.0, 6.0]) - 3.0) / 3      # influence of the mean
    >>> round(float(vcov(s, z[:, None])[0, 0]), 6)    # 3/2 · Σz² = 3/2 · 14/9 = 7/3
    2.333333
    """
    design = survey if isinstance(survey, Design) else effective_design(survey)
    if design.is_replicate:
        raise ConfigError("This survey has replicate weights: compute the estimate with each "
                          "replicate weight and use design.replicate_vcov.")
    Z = influence if sp.issparse(influence) else np.asarray(influence, dtype=float)
    if Z.ndim == 1:
        Z = Z[:, None]
    if Z.shape[0] != design.n:
        raise ConfigError(f"influence has {Z.shape[0]} rows; the survey has {design.n}.")
    return _engine._taylor_var(design, Z, full)


def replicate_vcov(survey: Survey | Design, thetas: np.ndarray, estimate: np.ndarray,
                   full: bool = True) -> np.ndarray:
    """Replicate variance of estimates (R's ``svrVar``).

    Parameters
    ----------
    survey : Survey
        With a replicate design.
    thetas : array, replicates × m
        The estimate computed with each replicate weight (NaN where a replicate has no data:
        that replicate is left out of that estimate's variance, as R drops it).
    estimate : array, m
        The full-sample estimate (the centre when ``mse=True``).
    full : bool
        Full covariance, or the variances only.

    Returns
    -------
    numpy.ndarray
    """
    design = survey if isinstance(survey, Design) else effective_design(survey)
    if not design.is_replicate:
        raise ConfigError("replicate_vcov needs a design with replicate weights; use vcov for "
                          "a Taylor design.")
    return _engine._rep_var(design, np.asarray(thetas, dtype=float), np.asarray(estimate, dtype=float), full)


def domain_estimates(survey: Survey | Design, blocks: Sequence[Any], domain: np.ndarray,
                     n_domains: int, ratio: bool = True, full: bool = False,
                     cache: list | None = None) -> list[_engine.Domains]:
    """Ratio (share, mean) or total estimates of every domain × column, with their variances.

    The estimators' one door to the engine: the influence of a domain ratio is
    ``w (u − θ d) / Σw`` inside the domain and 0 outside it (R's ``svyby`` keeps the whole
    design), and its Taylor variance is summed per (PSU, domain) pair with ``bincount`` on a
    one-stage design, or through :func:`vcov` (multistage, calibrated); a replicate design
    recomputes the estimates with every replicate weight (:func:`replicate_vcov`).

    Parameters
    ----------
    survey : Survey or Design
    blocks : list of objects with ``k``, ``codes``, ``u``, ``d``
        Each ``k`` columns; either ``codes`` (category 0..k−1 of each row, −1 = not answered:
        shares of a categorical) or ``u`` (values) and ``d`` (1 where answered), rows × k.
        Blocks asked for together share one pass over the replicate weights.
    domain : array of int
        Domain of each row (−1: in none), ``n_domains`` domains.
    ratio : bool
        Σwu / Σwd (shares, means) or Σwu (totals).
    full : bool
        The covariance of all estimates rather than their variances.
    cache : list, optional
        Kept between calls on the same ``domain`` array (the pairs are found once).

    Returns
    -------
    list of Domains
        Per block ``est``, ``var``, ``n``, ``base``, ``numer``, ``w2``, ``su2``, ``df`` and
        ``thetas``, every (domain, column) group-major.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from types import SimpleNamespace
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"w": [1.0, 1.0, 2.0, 4.0]})).with_design(weight="w")
    >>> b = SimpleNamespace(k=2, codes=np.array([0, 1, 1, 1]), u=None, d=None)
    >>> domain_estimates(s, [b], np.zeros(4, dtype=int), 1)[0].est.tolist()     # 1/8, 7/8
    [0.125, 0.875]
    """
    design = survey if isinstance(survey, Design) else effective_design(survey)
    return _engine.domains(design, list(blocks), np.asarray(domain), int(n_domains), ratio,
                           full, [] if cache is None else cache)


# --------------------------------------------------------------------------------------------
# Calibration: post-stratification and raking
# --------------------------------------------------------------------------------------------
def _population_table(survey: Survey, var: str | Sequence[str], population: Mapping[Any, float],
                      total: float) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """Map rows to the population's categories; return (cell per row, targets, keys).

    ``var`` may be several variables (cross-classified); the population is then keyed by
    tuples. A key matches a row by its label, its code (through the value labels) or its
    number."""
    names = _as_list(var)
    survey.require(*names)
    shown = " × ".join(names)
    for nm in names:
        col = survey.data[nm]
        if col.isna().any():
            raise DataError(f"The calibration variable '{nm}' has {int(col.isna().sum())} missing "
                            "value(s); every respondent needs a category to be weighted.")
    if not isinstance(population, Mapping) or not population:
        raise ConfigError(f"The population for '{shown}' must be a dict {{category: count or share}}.")
    keys = list(population)
    targets = np.array([float(population[k]) for k in keys])
    if np.any(~np.isfinite(targets)) or np.any(targets < 0):
        raise ConfigError(f"The population for '{shown}' has negative or missing figures.")
    if abs(targets.sum() - 1) < 1e-6 and np.all(targets <= 1):
        targets = targets * total           # shares -> counts on the current weighted total
    hits = np.ones((len(keys), survey.n), dtype=bool)
    for pos, nm in enumerate(names):
        labels = {str(code): str(lab) for code, lab in survey.codebook.get(nm).value_labels.items()}
        values = survey.data[nm].astype(object)
        svals = values.map(str).to_numpy()
        numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        for j, k in enumerate(keys):
            if len(names) > 1:
                if not isinstance(k, tuple) or len(k) != len(names):
                    raise ConfigError(f"Population keys for {shown} must be tuples of "
                                      f"{len(names)} categories, e.g. {tuple('…' for _ in names)}.")
                k = k[pos]
            hit = svals == str(k)
            if not hit.any() and str(k) in labels:
                hit = svals == labels[str(k)]
            if not hit.any():
                try:
                    hit = numeric == float(k)
                except (TypeError, ValueError):
                    pass
            hits[j] &= hit
    cell = np.full(survey.n, -1, dtype=np.int64)
    for j in range(len(keys)):
        cell[hits[j] & (cell < 0)] = j
    return cell, targets, keys


def _margin_check(survey: Survey, var: str, cell: np.ndarray, w: np.ndarray,
                  targets: np.ndarray, keys: list[Any]) -> None:
    names = _as_list(var)
    missing_pop = (cell < 0) & (w > 0)
    if missing_pop.any():
        rows = survey.data.loc[missing_pop, names].astype(str)
        cats = sorted({" × ".join(r) for r in rows.itertuples(index=False, name=None)})
        raise DataError(f"Category {', '.join(map(repr, cats[:5]))} of '{' × '.join(names)}' has "
                        "respondents but no population figure; add it to the population margin.")
    sums = np.bincount(cell[cell >= 0], weights=w[cell >= 0], minlength=len(keys))
    absent = (sums <= 0) & (targets > 0)
    if absent.any():
        missing = [repr(keys[i]) for i in np.flatnonzero(absent)]
        raise DataError(f"Population category {', '.join(missing)} of '{' × '.join(names)}' has no respondents "
                        "in the data, so it cannot be weighted up; merge it with a neighbouring "
                        "category or drop it from the margin.")


def _base_weights(survey: Survey) -> tuple[Design, np.ndarray]:
    design = effective_design(survey)
    w = design._w
    if np.isnan(w).any():
        raise DataError(f"The weight '{design.weight}' has missing values; calibration needs a "
                        "weight for every respondent.")
    return design, w.copy()


def population_cells(survey: Survey, var: str, population: Mapping[Any, float],
                     total: float) -> tuple[np.ndarray, np.ndarray, list[Any]]:
    """The population category of each row (-1: none), the targets and their keys, checked
    as for raking: a category with respondents but no figure, or a figure without
    respondents, is a DataError. Shares summing to 1 become counts of ``total``."""
    cell, targets, keys = _population_table(survey, var, population, total)
    _margin_check(survey, var, cell, np.nan_to_num(weights(survey)), targets, keys)
    return cell, targets, keys


def reweighted(survey: Survey, w: np.ndarray, description: str, rep: np.ndarray | None = None,
               residual: tuple | None = None) -> Survey:
    """A copy of ``survey`` with new analysis weights ``w`` (calibration, trimming).

    ``rep``: the new replicate weights (replicate designs). ``residual``: ``(Q, K)``, rows × p
    and p × rows, for a Taylor design whose influence values are replaced by their residuals
    ``Z − Q (K Z)`` (R's ``greg_calibration``: the regression on the calibration variables).
    """
    design = effective_design(survey)
    changes: dict[str, Any] = {"_w": np.asarray(w, dtype=float),
                               "calibrated": design.calibrated + (description,)}
    if design.is_replicate:
        changes.update(_rep=rep, _degf=_rep_degf(rep))
    elif residual is not None:
        Q, K = (sp.csr_matrix(m) for m in residual)
        changes["_calibration"] = design._calibration + (("post", ((Q, K),)),)
    return survey.replace(design=replace(design, **changes))


def poststratify(survey: Survey, var: str | Sequence[str], population: Mapping[Any, float]) -> Survey:
    """Post-stratify the weights so that the weighted counts of ``var`` equal ``population``.

    As R's ``postStratify``: the variance uses residuals within post-strata (Taylor designs),
    and each replicate is post-stratified too (replicate designs).

    Parameters
    ----------
    survey : Survey
    var : str or list of str
        A categorical variable without missing values, or several (cross-classified cells).
    population : dict
        Category (label or code; a tuple of them for several variables) -> population
        count; or shares summing to 1 (then the current weighted total is kept).

    Returns
    -------
    Survey
        A copy with the calibrated design.

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"g": ["a", "a", "b"], "y": [1.0, 2.0, 3.0]}))
    >>> weights(poststratify(s, "g", {"a": 10, "b": 30})).tolist()
    [5.0, 5.0, 30.0]
    """
    design, w = _base_weights(survey)
    cell, targets, keys = _population_table(survey, var, population, float(w.sum()))
    _margin_check(survey, var, cell, w, targets, keys)
    new_w = _poststrat_step(w, cell, targets)
    desc = f"post-stratified to '{' × '.join(_as_list(var))}'"
    if design.is_replicate:
        rep = _rep_poststrat(design._rep, cell, targets)
        new = replace(design, _w=new_w, _rep=rep, calibrated=design.calibrated + (desc,),
                      _degf=_rep_degf(rep))
    else:
        oldw = w
        Q, K = _post_matrices(cell, len(keys), new_w, oldw, rake=False)
        new = replace(design, _w=new_w, calibrated=design.calibrated + (desc,),
                      _calibration=design._calibration + (("post", ((Q, K),)),))
    return survey.replace(design=new)


def _poststrat_step(w: np.ndarray, cell: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Weights scaled so that each cell's weighted count equals its target."""
    sums = np.bincount(cell, weights=w, minlength=len(targets))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(sums > 0, targets / sums, 0.0)
    return w * ratio[cell]


def _rep_poststrat(rep: np.ndarray, cell: np.ndarray, targets: np.ndarray) -> np.ndarray:
    L = len(targets)
    A = sp.csr_matrix((np.ones(len(cell)), (cell, np.arange(len(cell)))), shape=(L, len(cell)))
    sums = _engine._dense(A @ rep)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(sums > 0, targets[:, None] / sums, 0.0)
    return rep * ratio[cell]


def _post_matrices(cell: np.ndarray, L: int, psw: np.ndarray, oldw: np.ndarray, rake: bool):
    """Sparse Q (rows × cells: psw) and K (cells × rows) with correction = Q (K Z)."""
    n = len(cell)
    rows = np.arange(n)
    psw_safe = np.where((psw == 0) & (oldw == 0), 1.0, psw)
    Q = sp.csr_matrix((psw_safe, (rows, cell)), shape=(n, L))
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(psw_safe > 0, 1.0 / psw_safe, 0.0)
    if rake:   # R: ave(x / psw, margin): plain mean within the margin's cells
        den = np.bincount(cell, minlength=L).astype(float)
        vals = inv
    else:      # R: sum(x * oldw / psw) / sum(oldw)
        den = np.bincount(cell, weights=oldw, minlength=L)
        vals = oldw * inv
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(den > 0, 1.0 / den, 0.0)
    K = sp.csr_matrix((vals * scale[cell], (cell, rows)), shape=(L, n))
    return Q, K


def rake(survey: Survey, margins: Mapping[str, Mapping[Any, float]], max_iter: int = 50,
         tol: float = 1e-6) -> Survey:
    """Rake the weights (iterative proportional fitting) to population margins, as R's ``rake``.

    Parameters
    ----------
    survey : Survey
    margins : dict
        ``{variable: {category: population count or share}}``; every respondent needs a
        category in every margin.
    max_iter : int
        Sweeps over all margins before giving up (R: ``control$maxit``).
    tol : float
        Convergence: the largest change of a weighted cell count of the joint table of the
        margin variables between sweeps; below 1 it is relative to the total weight
        (R's ``control$epsilon`` rule). R's default is ``max_iter=10, tol=1``.

    Returns
    -------
    Survey

    Raises
    ------
    DataError
        A margin category without respondents, or no convergence (the margins contradict
        each other, e.g. different totals).

    Examples
    --------
    >>> import pandas as pd
    >>> from youthmedia.survey import Survey
    >>> s = Survey(pd.DataFrame({"a": ["x", "x", "y", "y"], "b": ["p", "q", "p", "q"]}))
    >>> r = rake(s, {"a": {"x": 30, "y": 70}, "b": {"p": 50, "q": 50}})
    >>> weights(r).round(6).tolist()
    [15.0, 15.0, 35.0, 35.0]
    """
    if not isinstance(margins, Mapping) or not margins:
        raise ConfigError("rake needs margins as {variable: {category: population count}}.")
    design, w = _base_weights(survey)
    total0 = float(w.sum())
    cells, targets = [], []
    for var, pop in margins.items():
        cell, t, keys = _population_table(survey, var, pop, total0)
        _margin_check(survey, var, cell, w, t, keys)
        cells.append(cell)
        targets.append(t)
    totals = [float(t.sum()) for t in targets]
    if max(totals) - min(totals) > 1e-6 * max(totals):
        shown = ", ".join(f"'{v}' {t:g}" for v, t in zip(margins, totals, strict=True))
        raise DataError(f"The raking margins describe populations of different sizes ({shown}); "
                        "give every margin the same total (or shares).")
    sizes = [len(t) for t in targets]
    joint = np.zeros(survey.n, dtype=np.int64)
    for cell, L in zip(cells, sizes, strict=True):
        joint = joint * L + cell
    joint = pd.factorize(joint)[0]
    J = int(joint.max()) + 1
    eps = tol * w.sum() if tol < 1 else tol
    old = np.bincount(joint, weights=w, minlength=J)
    rep = design._rep.copy() if design.is_replicate else None
    converged = False
    step_w: list[np.ndarray] = []
    it = 0
    while it < max_iter:
        step_w = []
        prev_w = []
        for cell, t in zip(cells, targets, strict=True):
            prev_w.append(w)
            w = _poststrat_step(w, cell, t)
            step_w.append(w)
            if rep is not None:
                rep = _rep_poststrat(rep, cell, t)
        new = np.bincount(joint, weights=w, minlength=J)
        if np.max(np.abs(new - old)) < eps:
            converged = True
            break
        old = new
        it += 1
    if converged:
        for cell, t in zip(cells, targets, strict=True):
            got = np.bincount(cell, weights=w, minlength=len(t))
            if np.max(np.abs(got - t)) > max(eps, 1e-6 * t.sum()) * 10:
                converged = False
                break
    if not converged:
        raise DataError(
            f"Raking did not converge in {max_iter} sweeps over {', '.join(map(str, margins))}; "
            "some combination of categories may be empty in the data, or raise max_iter."
        )
    desc = "raked to " + ", ".join(f"'{v}'" for v in margins)
    if rep is not None:
        new_design = replace(design, _w=w, _rep=rep, calibrated=design.calibrated + (desc,),
                             _degf=_rep_degf(rep))
    else:
        mats = tuple(_post_matrices(cell, L, sw, pw, rake=True)
                     for cell, L, sw, pw in zip(cells, sizes, step_w, prev_w, strict=True))
        new_design = replace(design, _w=w, calibrated=design.calibrated + (desc,),
                             _calibration=design._calibration + (("rake", mats),))
    return survey.replace(design=new_design)
