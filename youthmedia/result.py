"""``Result``: the tidy table every estimator returns: a column per ``by`` variable, then
:data:`COLUMNS` (``estimate`` 0–1 for shares); ``meta`` (:class:`ResultMeta`) says what it is."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from .errors import ConfigError
from .i18n import text_in

__all__ = ["COLUMNS", "Result", "ResultMeta"]
COLUMNS = "variable category estimate se ci_low ci_high n n_eff base suppressed reason".split()
#: Boolean column of shares: True where the interval is Clopper–Pearson on the Kish n_eff
#: (``meta.row_notes`` scopes the ``"clopper_pearson"`` note to these rows).
CP_COLUMN = "ci_clopper_pearson"

#: A text shown to an audience: plain, or ``{lang: text}`` (:func:`youthmedia.i18n.text_in`).
Text = str | dict[str, str]


@dataclass(frozen=True, eq=False)
class ResultMeta:
    """What figures, tables and slides need beyond a Result's numbers; frozen (:meth:`replace`).

    Examples
    --------
    >>> m = ResultMeta(kind="mean", variables=["hours"])
    >>> m.replace(level=0.9).level, m.level
    (0.9, 0.95)
    """

    kind: str = "share"  # share mean total crosstab difference ratio quantile ttest glm ...
    by: list[str] = field(default_factory=list)  # grouping columns, in order
    variables: list[str] = field(default_factory=list)  # what was estimated, in order
    labels: dict[str | None, dict[str, str]] = field(default_factory=dict)  # lang -> {var: label}
    value_labels: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    weighted: bool = False
    design: Text = ""  # the design, in words
    ci: Text = ""  # the interval method, in words
    level: float = 0.95
    source: dict[str, Any] = field(default_factory=dict)  # name, year, path, sha256 ...
    n_total: int | None = None  # unweighted respondents the Result rests on
    notes: list[Text] = field(default_factory=list)  # caveats for footnotes and notes
    row_notes: dict[str, Text] = field(default_factory=dict)  # bool column -> the note it scopes
    vcov: pd.DataFrame | None = None  # covariance of the estimates, rows named (contrast)
    privacy: dict[str, Any] = field(default_factory=dict)  # what privacy.suppress did
    selection: dict[str, str] = field(default_factory=dict)  # groups chosen by select()
    bases: dict[str, str] = field(default_factory=dict)  # column -> its base column
    percent: bool | None = None  # shown as percentages (None: by kind)
    margin_label: str | list[str] = field(default_factory=list)  # group labels that are margins
    margins_known: bool | None = None  # group margins can be told (None: crosstab only)
    groups: tuple[str, ...] = ()  # a difference's two groups, a then b
    compared_by: str = ""  # a difference's grouping variable
    measure: str = ""  # "reach" (headline wording), "share", "mean"
    sentence: str = ""  # summaries.compare's conclusion (and in each language)
    sentences: dict[str, str] = field(default_factory=dict)
    title: Text | None = None  # a figure's title over the headline
    population: Text | None = None  # the population noun of headlines
    source_note: Text | None = None  # replaces "weighted"/"unweighted" in the source line
    short_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # lang -> {var: short}
    thresholds: dict[str, Any] = field(default_factory=dict)  # variable -> headline threshold
    model: dict[str, Any] = field(default_factory=dict)  # glm: formula, family, n, df ...
    term_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    term_groups: dict[str, dict[str, str]] = field(default_factory=dict)
    term_variables: dict[str, str] = field(default_factory=dict)
    outcome_short: dict[str, str] = field(default_factory=dict)
    published: bool = False  # figures typed from a published table
    items: list[str] = field(default_factory=list)
    read_as: dict[str, Any] = field(default_factory=dict)
    published_notes: dict[str, Any] = field(default_factory=dict)
    comparison: dict[str, Any] = field(default_factory=dict)  # side_by_side: both sides
    scale: dict[str, Any] = field(default_factory=dict)  # items: the answers in order
    box: dict[str, Any] = field(default_factory=dict)  # items.top_box: the box

    def replace(self, **changes: Any) -> ResultMeta:
        """A copy with ``changes`` (field = value)."""
        return dataclasses.replace(self, **changes)


def _shorten(text: str, limit: int = 200) -> str:
    """``text`` cut to at most ``limit`` characters (a figure's longest label) at a word, "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2 :] else cut).rstrip() + "…"


class Result(pd.DataFrame):
    """A tidy table of estimates; see the module docstring for its columns."""

    _metadata = ["meta", "test"]

    @property
    def _constructor(self):
        return Result

    @classmethod
    def from_rows(cls, rows, meta: ResultMeta | None = None, **fields: Any) -> Result:
        """A Result of ``rows`` (dicts or a DataFrame; absent standard columns filled in) with
        ``meta`` and the :class:`ResultMeta` ``fields`` given (``kind="mean"``)."""
        frame = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
        meta = (meta or ResultMeta()).replace(**fields)
        for col in set(COLUMNS) - set(frame.columns):
            text = col in ("variable", "category", "reason")
            frame[col] = False if col == "suppressed" else "" if text else np.nan
        extra = [c for c in frame.columns if c not in COLUMNS and c not in meta.by]
        return cls(frame[list(meta.by) + COLUMNS + extra]).with_meta(meta)

    def with_meta(self, meta: ResultMeta | None = None, **fields: Any) -> Result:
        """This Result (not a copy) with ``meta`` and ``fields`` replaced; ``.test`` kept."""
        meta = (meta or self.__dict__.get("meta") or ResultMeta()).replace(**fields)
        object.__setattr__(self, "meta", meta)
        object.__setattr__(self, "test", self.__dict__.get("test"))
        return self

    def __finalize__(self, other, method=None, **kwargs):  # noqa: D105
        super().__finalize__(other, method=method, **kwargs)
        if self.__dict__.get("meta") is None:  # a concat or merge: the first part's meta
            object.__setattr__(self, "meta", getattr(other, "meta", None) or ResultMeta())
        if "test" not in self.__dict__:
            object.__setattr__(self, "test", getattr(other, "test", None))
        return self

    def label(self, variable: str, lang: str | None = None) -> str:
        """The label of ``variable`` in ``lang`` (else the file's, else the name), shortened."""
        labels = self.meta.labels
        for key in (lang, None, "default"):
            if variable in labels.get(key, {}):
                return _shorten(str(labels[key][variable]))
        return variable

    def category_label(self, variable: str, category: Any, lang: str | None = None) -> str:
        """The value label ``category`` of ``variable`` translated into ``lang`` where known."""
        table = self.meta.value_labels.get(lang, {}).get(variable, {})
        return _shorten(str(table.get(category, category)))

    @property
    def by(self) -> list[str]:
        """The grouping variables."""
        return list(self.meta.by)

    def select(self, **groups: Any) -> Result:
        """The rows of one group (``wave=2023``), without that grouping (``meta.selection``); a
        wave or year (``wave``, ``year``, ``jaar``, ``golf``) becomes the source's year.

        Examples
        --------
        >>> r = Result.from_rows([
        ...     {"wave": "2019", "variable": "x", "estimate": 0.4, "n": 10},
        ...     {"wave": "2023", "variable": "x", "estimate": 0.5, "n": 12}], by=["wave"])
        >>> one = r.select(wave=2023)
        >>> one.by, float(one["estimate"].iloc[0]), one.meta.source["year"]
        ([], 0.5, '2023')
        """
        frame, by, meta = pd.DataFrame(self), self.by, self.meta
        keep = np.ones(len(frame), dtype=bool)
        for name, value in groups.items():
            if name not in by:
                raise ConfigError(f"{name!r} is not a grouping of this Result; its groupings are {', '.join(by) or 'none'}.")  # fmt: skip
            labels = frame[name].astype(object).map(str)
            if not (hit := (labels == str(value)).to_numpy()).any():
                raise ConfigError(f"{name} = {value!r} is not a group of this Result; its groups are {', '.join(dict.fromkeys(labels))}.")  # fmt: skip
            keep &= hit
            if name.lower() in ("wave", "year", "jaar", "golf"):
                meta = meta.replace(source={**meta.source, "year": str(value)})
        out = Result(frame.loc[keep].drop(columns=list(groups)).reset_index(drop=True))
        selection = {**meta.selection, **{k: str(v) for k, v in groups.items()}}
        return out.with_meta(meta, by=[b for b in by if b not in groups], n_total=None, selection=selection)  # fmt: skip

    def relabel(self, **labels: str | dict[str, str]) -> Result:
        """A copy in which variables carry shorter or clearer labels ("Online gepest" for a
        long question): ``variable = label`` for every language, or ``{"nl": ..., "en": ...}``.

        Examples
        --------
        >>> r = Result.from_rows([{"variable": "q1", "estimate": 0.2, "n": 50}],
        ...                      labels={"nl": {"q1": "Hoe vaak ...?"}, "en": {"q1": "How often ...?"}})
        >>> r2 = r.relabel(q1={"nl": "Online gepest", "en": "Cyberbullied"})
        >>> r2.label("q1", "en"), r2.label("q1", "nl"), r.label("q1", "en")
        ('Cyberbullied', 'Online gepest', 'How often ...?')
        """
        table = {lang: dict(t) for lang, t in self.meta.labels.items()}
        for variable, label in labels.items():
            per_lang = label if isinstance(label, dict) else {None: label}
            for key in set(table) | set(per_lang) | {None}:
                text = per_lang.get(key, per_lang.get(None, next(iter(per_lang.values()))))
                table.setdefault(key, {})[variable] = str(text)
        return self.copy().with_meta(labels=table)

    _HIDDEN = {
        *"suppressed reason deff df count_se col_pct_se cell_pct_se n_a n_b t".split(),
        CP_COLUMN,
    }

    def _parts(self) -> list[Any] | None:
        """Caption, table (percentages for shares, rounded, helper columns hidden), notes."""
        if "meta" not in self.__dict__ or not set(COLUMNS) <= set(self.columns):
            return None
        flagged = self["suppressed"].fillna(False).astype(bool).any()
        flagged |= self["reason"].fillna("").astype(str).ne("").any()
        hide = self._HIDDEN - ({"suppressed", "reason"} if flagged else set())
        frame = pd.DataFrame(self).drop(columns=[c for c in self.columns if c in hide])
        m = self.meta
        pct = m.kind in ("share", "crosstab", "table", "difference")
        pct = pct and (m.percent if m.percent is not None else m.kind != "difference")
        ests = "estimate se ci_low ci_high estimate_a estimate_b".split()
        fmt = dict.fromkeys(ests, "{:.1%}" if pct else "{:,.4g}") | {"p": "{:.3g}"}
        fmt |= dict.fromkeys(("n_eff", "base", "count"), "{:,.1f}")
        fmt |= dict.fromkeys(("col_pct", "cell_pct"), "{:.1%}") if pct else {}
        fmt |= dict.fromkeys(("n", "n_a", "n_b", "cell_n", "col_n", "row_n"), "{:.0f}")
        for col in frame.columns.intersection(list(fmt)):
            frame[col] = frame[col].map(lambda v, f=fmt[col]: "" if pd.isna(v) else f.format(v))
        head = f"{m.kind} of {', '.join(map(str, m.variables))}" + (f" by {', '.join(m.by)}" if m.by else "")  # fmt: skip
        head += f"; {100 * float(m.level):g}% CI: {text_in(m.ci, 'en')}" if m.ci else ""
        head += f"; n = {m.n_total:,}" if m.n_total is not None else ""
        parts = [head, *([text_in(m.design, "en")] if m.design else []), frame]
        test = [repr(t)] if (t := self.__dict__.get("test")) is not None else []
        return [*parts, *test, *(f"Note: {n}" for n in self.notes_in("en"))]

    def notes_for(self, rows: pd.DataFrame | None = None) -> list[Any]:
        """The notes that apply to ``rows`` (default: all): those of ``meta.row_notes`` only
        where a shown row has that column True or NA (or lacks it).

        Examples
        --------
        >>> cp = {"nl": "Clopper–Pearson.", "en": "Clopper–Pearson."}
        >>> r = Result.from_rows([{"variable": "x", "estimate": 0.0, "n": 40, CP_COLUMN: True}],
        ...                      notes=[cp, "Plain."], row_notes={CP_COLUMN: cp})
        >>> len(r.notes_for()), r.notes_for(r.iloc[:0])
        (2, ['Plain.'])
        """
        rows = self if rows is None else rows
        hidden = rows["suppressed"] if "suppressed" in rows else pd.Series(False, rows.index)
        shown = ~hidden.astype(object).fillna(False).astype(bool).to_numpy()

        def applies(note: Any) -> bool:
            cols = [c for c, n in self.meta.row_notes.items() if n == note]
            if not cols or not all(c in rows for c in cols):
                return True
            return any(pd.isna(v) or bool(v) for c in cols for v in rows[c].to_numpy(object)[shown])

        return [n for n in self.meta.notes if applies(n)]

    def notes_in(self, lang: str | None = "en") -> list[str]:
        """The notes (``meta.notes``) as text in ``lang``."""
        return [t for t in (text_in(n, lang) for n in self.meta.notes) if t]

    def __repr__(self) -> str:
        if (parts := self._parts()) is None:
            return super().__repr__()
        parts[0] = f"<Result: {parts[0]}>"
        return "\n".join(p if isinstance(p, str) else p.to_string(index=False) for p in parts)

    def _repr_html_(self) -> str:  # pragma: no cover - exercised in notebooks
        parts = self._parts() or [pd.DataFrame(self)]
        return "".join(
            f"<p>{escape(p)}</p>" if isinstance(p, str) else p._repr_html_() for p in parts
        )

    def to_frame(self) -> pd.DataFrame:
        """A plain DataFrame copy (no metadata)."""
        return pd.DataFrame(self).copy()


class ChisqResult(dict):
    """A Rao–Scott test (``estimate.chisq``), a dict with attribute access: ``statistic``, ``p``,
    ``ndf`` and ``ddf`` (F) or ``df``, ``name``, ``method``, ``pearson``, ``mean_deff``, ``n``."""

    def __getattr__(self, name: str) -> Any:
        if name in self:
            return self[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        F = self.df is None
        dfs = f"ndf = {self.ndf:.3f}, ddf = {self.ddf:.2f}" if F else f"df = {self.df}"
        stat = f"{self.name} = {self.statistic:.4g}, {dfs}, p = {self.p:.4g}"
        return f"<{self.method} of {self.row} × {self.col}: {stat}>"
