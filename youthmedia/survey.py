"""``Survey``: the data, its codebook, its design and where it came from.

A ``Survey`` never changes the file it came from; methods that change the design return a new
``Survey``.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.survey import Survey
>>> s = Survey(pd.DataFrame({"x": [1, 0, 1]}))
>>> s.n
3
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .codebook import Codebook, Variable
from .errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from .design import Design

__all__ = ["Source", "Survey", "weights_summary"]


def _number_text(x: Any) -> str:
    """``9.0`` written as ``9`` (codes typed as whole numbers match float columns)."""
    try:
        f = float(x)
    except (TypeError, ValueError):
        return str(x)
    return f"{f:g}"


def _impossible(
    col: pd.Series,
    variable: str,
    above: float | None,
    below: float | None,
    values: list[Any] | None,
) -> tuple[pd.Series, str]:
    """The answers ``set_missing`` makes missing, and its rule in words ("> 24 or = 99")."""
    if above is None and below is None and not values:
        raise ConfigError(
            f"set_missing({variable!r}) needs above=, below= or values= to say "
            "which answers are impossible."
        )
    numeric = pd.api.types.is_numeric_dtype(col) and not isinstance(col.dtype, pd.CategoricalDtype)
    if (above is not None or below is not None) and not numeric:
        raise ConfigError(
            f"{variable!r} is not numeric; give the impossible answers as "
            "values=[...] instead of above= or below=."
        )
    mask, rules = pd.Series(False, index=col.index), []
    if above is not None:
        mask |= (col > above).fillna(False).astype(bool)
        rules.append(f"> {above:g}")
    if below is not None:
        mask |= (col < below).fillna(False).astype(bool)
        rules.append(f"< {below:g}")
    if values:
        wanted = {str(v) for v in values}
        hit = col.astype(object).map(
            lambda x: pd.notna(x) and not {str(x), _number_text(x)}.isdisjoint(wanted)
        )
        mask |= hit.astype(bool)
        rules.append("= " + ", ".join(str(v) for v in values))
    return mask, " or ".join(rules)


@dataclass(frozen=True)
class Source:
    """Where a survey came from.

    Parameters
    ----------
    path : str, optional
        The file read.
    sha256 : str, optional
        Hash of the file's bytes when it was read.
    reader : str
        Which reader read it (``"spss"``, ``"csv"``, ``"forms"``, ...).
    options : dict
        The options the reader used (delimiter, encoding, ...).
    name : str, optional
        Short dataset name for source lines ("Voorbeelddata youthmedia").
    year : str, optional
        Year (or years) of fieldwork, for source lines.
    """

    path: str | None = None
    sha256: str | None = None
    reader: str = "memory"
    options: dict[str, Any] = field(default_factory=dict)
    name: str | None = None
    year: str | None = None

    @property
    def display_name(self) -> str:
        """A dataset name fit for a source line."""
        if self.name:
            return self.name
        if self.path:
            return Path(self.path).stem
        return "data"


@dataclass(frozen=True)
class Survey:
    """Survey data with its metadata.

    Parameters
    ----------
    data : pandas.DataFrame
        One row per respondent. Labelled variables are ordered Categoricals in code order;
        user-missing values are NaN.
    codebook : Codebook
        Variable and value labels, missing codes, groups and multiple-response sets.
    design : Design, optional
        Weights, strata, clusters, replicate weights. ``None`` means an unweighted simple
        random sample.
    source : Source
        The file it came from.
    """

    data: pd.DataFrame
    codebook: Codebook = field(default_factory=Codebook)
    design: Design | None = None
    source: Source = field(default_factory=Source)

    def __post_init__(self) -> None:
        if not self.codebook.variables:
            object.__setattr__(
                self, "codebook", Codebook({str(c): Variable(str(c)) for c in self.data.columns})
            )

    # -- shape ---------------------------------------------------------------------------------
    @property
    def n(self) -> int:
        """Number of respondents (rows)."""
        return len(self.data)

    @property
    def columns(self) -> list[str]:
        """Variable names."""
        return [str(c) for c in self.data.columns]

    def __repr__(self) -> str:
        design = "unweighted" if self.design is None else repr(self.design)
        src = self.source.path or "memory"
        return f"<Survey {src}: {self.n} respondents × {len(self.columns)} variables; {design}>"

    def __getitem__(self, name: str) -> pd.Series:
        self.require(name)
        return self.data[name]

    def require(self, *names: str) -> None:
        """Raise a ``ConfigError`` naming any of ``names`` that is not a variable here."""
        missing = [n for n in names if n not in self.data.columns]
        if missing:
            from .codebook import _preview

            raise ConfigError(
                f"Unknown variable(s) {', '.join(map(repr, missing))} in "
                f"{self.source.path or 'this survey'}; known variables: {_preview(self.columns)}."
            )

    def codes(self, name: str) -> pd.Series:
        """The numeric (or string) codes behind a labelled variable.

        Categoricals hold value labels; this maps them back to the codes in the file.
        """
        col = self[name]
        var = self.codebook.get(name)
        if not isinstance(col.dtype, pd.CategoricalDtype) or not var.value_labels:
            return col
        back = {lab: code for code, lab in var.value_labels.items()}
        mapped = col.astype(object).map(lambda x: back.get(x, x) if pd.notna(x) else x)
        try:
            return pd.to_numeric(mapped)
        except (TypeError, ValueError):
            return mapped

    # -- design --------------------------------------------------------------------------------
    def with_design(
        self,
        weight: str | None = None,
        strata: str | None = None,
        cluster: str | list[str] | None = None,
        fpc: str | list[str] | None = None,
        nest: bool = False,
        lonely_psu: str = "fail",
    ) -> Survey:
        """A copy with a weight and, optionally, strata, clusters and a finite-population correction.

        Variances then follow R's ``svydesign``: Taylor linearisation with the
        with-replacement ultimate-cluster estimator (all stages when every stage has an fpc).

        Parameters
        ----------
        weight : str, optional
            Weight column; ``None`` (the default) takes the weight the file declares, if any.
            To count every respondent once although the file declares a weight, use
            :meth:`unweighted`.
        strata : str, optional
        cluster : str or list of str, optional
            PSU column, or one per stage (``["district", "school"]``).
        fpc : str or list of str, optional
            Population sizes (or sampling fractions) per stage.
        nest : bool
            Cluster ids restart within strata (R's ``nest=TRUE``).
        lonely_psu : {"fail", "adjust", "certainty", "remove", "average"}
            A stratum with a single PSU: an error by default, else R's
            ``options(survey.lonely.psu = ...)`` treatment.

        Examples
        --------
        >>> import pandas as pd
        >>> s = Survey(pd.DataFrame({"w": [1.0, 2.0], "h": ["a", "b"], "c": [1, 2]}))
        >>> s.with_design(weight="w", cluster="c").design.degf
        1.0
        """
        from .design import make_design

        design = make_design(
            self,
            weight=weight,
            strata=strata,
            cluster=cluster,
            fpc=fpc,
            nest=nest,
            lonely_psu=lonely_psu,
        )
        return replace(self, design=design)

    def unweighted(
        self,
        strata: str | None = None,
        cluster: str | list[str] | None = None,
        fpc: str | list[str] | None = None,
        nest: bool = False,
        lonely_psu: str = "fail",
    ) -> Survey:
        """A copy whose estimates count every respondent once, even if the file declares a weight.

        ``with_design(weight=None)`` (and no design at all) uses the weight the file or its
        sidecar declares; this is the one way to turn it off: the sample as it is, for instance
        to show how it differs from the weighted figures. Strata and clusters may still be
        given (an unweighted clustered sample).

        Examples
        --------
        >>> import pandas as pd
        >>> from youthmedia.codebook import Codebook, Variable
        >>> d = pd.DataFrame({"w": [1.0, 3.0], "y": [1, 0]})
        >>> s = Survey(d, Codebook({"w": Variable("w"), "y": Variable("y")}, weight="w"))
        >>> s.with_design().design.weight, s.unweighted().design.weight
        ('w', None)
        """
        from .design import make_design

        bare = replace(self, codebook=replace(self.codebook, weight=None))
        design = make_design(
            bare,
            weight=None,
            strata=strata,
            cluster=cluster,
            fpc=fpc,
            nest=nest,
            lonely_psu=lonely_psu,
        )
        return replace(self, design=design)

    def set_missing(
        self,
        variable: str,
        above: float | None = None,
        below: float | None = None,
        values: list[Any] | None = None,
    ) -> Survey:
        """A copy in which impossible answers of ``variable`` are missing, recorded in the codebook.

        Nobody is online more than 24 hours a day: ``s.set_missing("hours_online", above=24)``
        makes those answers missing (NaN) so that they no longer pull means up, and records the
        step and how many answers it changed in the codebook (``Variable.cleaning``, the
        ``cleaning`` column of ``codebook.to_frame()``) — say it in your report. The file is
        not changed. Use it before setting a design on the data, or set the design again after.

        Parameters
        ----------
        variable : str
        above : float, optional
            Answers greater than this become missing (``above=24``: 24 stays, 25 goes).
        below : float, optional
            Answers smaller than this become missing.
        values : list, optional
            These answers (codes, or value labels of a labelled variable) become missing.

        Returns
        -------
        Survey

        Raises
        ------
        ConfigError
            No rule given, ``above``/``below`` for a variable that is not numeric, or an unknown
            variable.

        Examples
        --------
        >>> import pandas as pd
        >>> s = Survey(pd.DataFrame({"hours": [3.0, 30.0, 5.0, 99.0]}))
        >>> clean = s.set_missing("hours", above=24)
        >>> clean["hours"].tolist()[:2], clean.codebook["hours"].cleaning
        ([3.0, nan], [{'rule': '> 24', 'count': 2}])
        """
        self.require(variable)
        d = self.design
        if d is not None and variable in {
            d.weight,
            d.strata,
            *d.cluster,
            *d.fpc,
            *d.replicate_columns,
        }:
            raise ConfigError(
                f"{variable!r} is a design column; clean it before with_design / with_replicates."
            )
        col = self.data[variable]
        mask, rule = _impossible(col, variable, above, below, values)
        data = self.data.copy()
        if isinstance(col.dtype, pd.CategoricalDtype):
            data[variable] = col.where(~mask)
        else:
            data[variable] = col.astype(
                "float64" if pd.api.types.is_integer_dtype(col) else col.dtype
            ).mask(mask)
        old = self.codebook.get(variable)
        step = {"rule": rule, "count": int(mask.sum())}
        variables = {
            **self.codebook.variables,
            variable: replace(old, cleaning=[*old.cleaning, step]),
        }
        return replace(self, data=data, codebook=replace(self.codebook, variables=variables))

    def with_replicates(
        self,
        replicates: list[str] | str,
        method: str = "JK1",
        weight: str | None = None,
        rho: float | None = None,
        mse: bool = False,
        **options: Any,
    ) -> Survey:
        """A copy whose variance comes from replicate-weight columns (R's ``svrepdesign``).

        Parameters
        ----------
        replicates : list of str, or str
            The replicate-weight columns, or a prefix naming them all (``"rep_"``).
        method : {"BRR", "Fay", "JK1", "JKn", "bootstrap", "other"}
        weight : str, optional
            The full-sample weight (required, here or declared by the file).
        rho : float, optional
            Fay's rho.
        mse : bool
            Centre on the full-sample estimate (PISA and most agencies) instead of on the
            replicates' mean (R's default).
        **options
            ``scale``, ``rscales`` (required for ``JKn``), ``combined=False`` when the columns
            are multipliers of the full-sample weight.
        """
        from .replicates import make_replicate_design

        design = make_replicate_design(
            self, replicates, method=method, weight=weight, rho=rho, mse=mse, **options
        )
        return replace(self, design=design)

    def to_replicates(self, method: str = "auto", **options: Any) -> Survey:
        """A copy with replicate weights built from this survey's strata/cluster design.

        ``method``: ``"auto"`` (default: ``"JKn"`` with strata, else ``"JK1"``), ``"JK1"``,
        ``"JKn"``, ``"BRR"`` / ``"Fay"`` (two PSUs per stratum; ``rho=``) or ``"bootstrap"``
        (``replicates=``, ``seed=``); ``mse=True`` centres on the full-sample estimate. As R's
        ``as.svrepdesign``.
        """
        from .replicates import build_replicates

        return replace(self, design=build_replicates(self, method=method, **options))

    def weights_summary(self, k: float = 3.0) -> pd.Series:
        """Weighting efficiency: Kish n_eff and design effect due to weighting, CV of the
        weights, min/max and the share above ``k`` × the median
        (:func:`youthmedia.survey.weights_summary`).

        Examples
        --------
        >>> import pandas as pd
        >>> s = Survey(pd.DataFrame({"w": [1.0, 1.0, 1.0, 5.0]})).with_design(weight="w")
        >>> float(s.weights_summary()["deff"])      # 1 + CV² = 4 · 28 / 64
        1.75
        """
        return weights_summary(self, k=k)

    def replace(self, **changes: Any) -> Survey:
        """A copy with some fields replaced (``data``, ``codebook``, ``design``, ``source``)."""
        return replace(self, **changes)


def weights_summary(survey: Survey, k: float = 3.0) -> pd.Series:
    """How much the weights cost: Kish's effective n and design effect due to weighting.

    Over the respondents with a weight above 0: ``n``, ``sum``, ``min``, ``max``, ``median``,
    ``mean``, ``cv`` (standard deviation / mean, divisor n), ``n_eff`` = (Σw)²/Σw², ``deff`` =
    n / n_eff = 1 + cv², and ``share_above_k_median``: the share with a weight above k × the
    median.

    Examples
    --------
    >>> import pandas as pd
    >>> s = Survey(pd.DataFrame({"w": [1.0, 1.0, 1.0, 5.0]})).with_design(weight="w")
    >>> r = weights_summary(s)
    >>> float(r["n_eff"]), float(r["deff"]), float(r["share_above_k_median"])   # 64/28
    (2.2857142857142856, 1.75, 0.25)
    """
    from .design import weights

    w = np.nan_to_num(weights(survey))
    w = w[w > 0]
    if not len(w):
        raise DataError("No respondent has a weight above 0.")
    mean, med, n_eff = float(w.mean()), float(np.median(w)), float(w.sum() ** 2 / np.sum(w * w))
    return pd.Series(
        {
            "n": len(w),
            "sum": float(w.sum()),
            "min": float(w.min()),
            "max": float(w.max()),
            "median": med,
            "mean": mean,
            "cv": float(w.std() / mean),
            "n_eff": n_eff,
            "deff": len(w) / n_eff,
            "k": float(k),
            "share_above_k_median": float(np.mean(w > k * med)),
        },
        dtype=object,
    )
