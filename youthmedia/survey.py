"""``Survey``: data, codebook, design and source; frozen (``with_*`` methods return copies)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .codebook import Codebook, Variable, _preview
from .errors import ConfigError, DataError

if TYPE_CHECKING:  # pragma: no cover
    from .design import Design

__all__ = ["Source", "Survey"]


def _key(x: Any) -> str:
    """An answer as text, whole numbers without ".0" (9.0 matches a code typed as 9)."""
    return f"{x:g}" if isinstance(x, int | float) else str(x)


@dataclass(frozen=True)
class Source:
    """Where a survey came from: file, hash, reader and options; name and year for source lines."""

    path: str | None = None
    sha256: str | None = None
    reader: str = "memory"
    options: dict[str, Any] = field(default_factory=dict)
    name: str | None = None
    year: str | None = None

    @property
    def display_name(self) -> str:
        """A dataset name fit for a source line."""
        return self.name or (Path(self.path).stem if self.path else "data")


@dataclass(frozen=True)
class Survey:
    """Survey data (one row per respondent) with its codebook, design and source.

    Parameters
    ----------
    data : pandas.DataFrame
    codebook : Codebook
    design : Design, optional
        ``None``: the declared weight, or an unweighted simple random sample.
    source : Source

    Examples
    --------
    >>> import pandas as pd
    >>> Survey(pd.DataFrame({"x": [1, 0, 1]})).n
    3
    """

    data: pd.DataFrame
    codebook: Codebook = field(default_factory=Codebook)
    design: Design | None = None
    source: Source = field(default_factory=Source)

    def __post_init__(self) -> None:
        if not self.codebook.variables:
            cb = Codebook({str(c): Variable(str(c)) for c in self.data.columns})
            object.__setattr__(self, "codebook", cb)

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
        if missing := [n for n in names if n not in self.data.columns]:
            raise ConfigError(
                f"Unknown variable(s) {', '.join(map(repr, missing))} in "
                f"{self.source.path or 'this survey'}; known variables: {_preview(self.columns)}."
            )

    def codes(self, name: str) -> pd.Series:
        """The numeric (or string) codes in the file behind a labelled variable's labels."""
        col, var = self[name], self.codebook.get(name)
        if not isinstance(col.dtype, pd.CategoricalDtype) or not var.value_labels:
            return col
        back = {lab: code for code, lab in var.value_labels.items()}
        mapped = col.astype(object).map(lambda x: back.get(x, x) if pd.notna(x) else x)
        try:
            return pd.to_numeric(mapped)
        except (TypeError, ValueError):
            return mapped

    def with_design(
        self,
        weight: str | None = None,
        strata: str | None = None,
        cluster: str | list[str] | None = None,
        fpc: str | list[str] | None = None,
        nest: bool = False,
        lonely_psu: str = "fail",
    ) -> Survey:
        """A copy with a weight, strata, clusters and fpc (R's ``svydesign``, Taylor variances).

        Parameters
        ----------
        weight, strata : str, optional
            ``weight=None``: the weight the file declares, if any.
        cluster, fpc : str or list of str, optional
            PSU column (or one per stage); population sizes or sampling fractions per stage.
        nest : bool
            Cluster ids restart within strata (R's ``nest=TRUE``).
        lonely_psu : {"fail", "adjust", "certainty", "remove", "average"}
            As R's ``options(survey.lonely.psu=...)``.

        Examples
        --------
        >>> import pandas as pd
        >>> s = Survey(pd.DataFrame({"w": [1.0, 2.0], "h": ["a", "b"], "c": [1, 2]}))
        >>> s.with_design(weight="w", cluster="c").design.degf
        1.0
        """
        from .design import make_design

        design = make_design(self, weight, strata, cluster, fpc, nest, lonely_psu)
        return replace(self, design=design)

    def unweighted(self, **design: Any) -> Survey:
        """A copy counting everyone once, even if the file declares a weight (see with_design)."""
        bare = replace(self, codebook=replace(self.codebook, weight=None))
        return replace(self, design=bare.with_design(weight=None, **design).design)

    def set_missing(
        self,
        variable: str,
        above: float | None = None,
        below: float | None = None,
        values: list[Any] | None = None,
    ) -> Survey:
        """A copy in which answers ``above``/``below`` a limit or in ``values`` are missing.

        The rule and its count go to ``Variable.cleaning``; use it before setting a design.

        Examples
        --------
        >>> import pandas as pd
        >>> clean = Survey(pd.DataFrame({"h": [3.0, 30.0, 5.0, 99.0]})).set_missing("h", above=24)
        >>> clean["h"].tolist()[:2], clean.codebook["h"].cleaning
        ([3.0, nan], [{'rule': '> 24', 'count': 2}])
        """
        d, col = self.design, self[variable]
        if d and variable in {d.weight, d.strata, *d.cluster, *d.fpc, *d.replicate_columns}:
            raise ConfigError(
                f"{variable!r} is a design column; clean it before with_design / with_replicates."
            )
        if above is None and below is None and not values:
            raise ConfigError(
                f"set_missing({variable!r}) needs above=, below= or values= to say which answers "
                "are impossible."
            )
        numeric = pd.api.types.is_numeric_dtype(col)  # False for a Categorical
        if (above, below) != (None, None) and not numeric:
            raise ConfigError(
                f"{variable!r} is not numeric; give the impossible answers as values=[...] instead "
                "of above= or below=."
            )
        mask, rules = pd.Series(False, index=col.index), []
        for limit, op, sign in ((above, col.gt, ">"), (below, col.lt, "<")):
            if limit is not None:
                mask |= op(limit).fillna(False).astype(bool)
                rules.append(f"{sign} {limit:g}")
        if values:
            wanted = {_key(v) for v in values}
            mask |= col.astype(object).map(lambda x: pd.notna(x) and _key(x) in wanted).astype(bool)
            rules.append("= " + ", ".join(str(v) for v in values))
        if numeric and pd.api.types.is_integer_dtype(col):
            col = col.astype("float64")
        data = self.data.assign(**{variable: col.mask(mask)})
        old = self.codebook.get(variable)
        rule = {"rule": " or ".join(rules), "count": int(mask.sum())}
        var = replace(old, cleaning=[*old.cleaning, rule])
        codebook = replace(self.codebook, variables={**self.codebook.variables, variable: var})
        return replace(self, data=data, codebook=codebook)

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

        ``replicates``: the columns, or a prefix naming them (``"rep_"``); ``method``: "BRR",
        "Fay" (``rho``), "JK1", "JKn", "bootstrap" or "other"; ``weight``: the full-sample
        weight (or the file's); ``mse=True`` centres on the full-sample estimate; ``options``:
        ``scale``, ``rscales`` (required for JKn), ``combined=False`` (multipliers).
        """
        from .replicates import make_replicate_design

        design = make_replicate_design(self, replicates, method, weight, rho, mse, **options)
        return replace(self, design=design)

    def to_replicates(self, method: str = "auto", **options: Any) -> Survey:
        """A copy with replicates built from its strata and clusters (R's ``as.svrepdesign``).

        ``method``: "auto" (JKn with strata, else JK1), "JK1", "JKn", "BRR"/"Fay" (``rho=``) or
        "bootstrap" (``replicates=``, ``seed=``); ``mse=True`` centres on the full estimate.
        """
        from .replicates import build_replicates

        return replace(self, design=build_replicates(self, method=method, **options))

    def weights_summary(self, k: float = 3.0) -> pd.Series:
        """Weights above 0: n, sum, min, max, median, mean, cv (sd / mean), Kish's
        ``n_eff`` = (Σw)²/Σw², ``deff`` = n / n_eff and the share above ``k`` × the median.

        Examples
        --------
        >>> import pandas as pd
        >>> s = Survey(pd.DataFrame({"w": [1.0, 1.0, 1.0, 5.0]})).with_design(weight="w")
        >>> r = s.weights_summary()
        >>> float(r["n_eff"]), float(r["deff"]), float(r["share_above_k_median"])   # 64/28
        (2.2857142857142856, 1.75, 0.25)
        """
        from .design import weights

        w = np.nan_to_num(weights(self))
        if not len(w := w[w > 0]):
            raise DataError("No respondent has a weight above 0.")
        mean, med, n_eff = w.mean(), np.median(w), w.sum() ** 2 / np.sum(w * w)
        out = {"n": len(w), "sum": w.sum(), "min": w.min(), "max": w.max(), "median": med}
        out |= {"mean": mean, "cv": w.std() / mean, "n_eff": n_eff, "deff": len(w) / n_eff}
        out |= {"k": k, "share_above_k_median": np.mean(w > k * med)}
        return pd.Series({a: b if a == "n" else float(b) for a, b in out.items()}, dtype=object)

    def replace(self, **changes: Any) -> Survey:
        """A copy with some fields replaced (``data``, ``codebook``, ``design``, ``source``)."""
        return replace(self, **changes)
