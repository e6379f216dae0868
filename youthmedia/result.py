"""``Result``: the tidy table every estimator returns and every figure and export takes.

A ``Result`` is a pandas DataFrame with one row per estimate and these columns, in order:
one column per ``by`` variable (named after it, holding labels), ``variable``, ``category``
(the value label, for shares; empty for means), ``estimate`` (a proportion 0–1 for shares),
``se``, ``ci_low``, ``ci_high``, ``n`` (unweighted), ``n_eff`` (Kish), ``base`` (weighted),
``suppressed`` and ``reason`` (why it is suppressed or flagged; "" when not). Its ``meta``
holds what figures and tables need beyond the numbers: labels (in every language the codebook
has), the kind of estimate, whether it is weighted, the source.

Shares and crosstabs also have ``ci_clopper_pearson`` (boolean: True where the row's interval
fell back to Clopper–Pearson on the Kish n_eff, a share of 0% or 100% or without variance; NA
on a suppressed row). A note in ``meta.notes`` that is about such flagged rows only is named
in ``meta.row_notes`` (``{column: note}``); :meth:`Result.notes_for` gives the notes that
apply to the rows a figure or table shows.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.result import Result
>>> r = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.5, "n": 4}], kind="share")
>>> float(r.loc[0, "estimate"])
0.5
>>> r.meta.kind
'share'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from html import escape
from typing import Any

import numpy as np
import pandas as pd

from .i18n import text_in

__all__ = ["COLUMNS", "LABEL_MAX", "Result", "ResultMeta", "shorten"]

COLUMNS = ["variable", "category", "estimate", "se", "ci_low", "ci_high", "n", "n_eff", "base",
           "suppressed", "reason"]

#: A text shown to an audience: plain, or ``{lang: text}`` (:func:`youthmedia.i18n.text_in`).
Text = str | dict[str, str]


@dataclass(frozen=True, eq=False)
class ResultMeta:
    """What figures, tables and slides need beyond a Result's numbers.

    Frozen: change it with :meth:`replace`, which returns a new one (nested lists and dicts are
    not changed in place either).

    Examples
    --------
    >>> m = ResultMeta(kind="mean", variables=["hours"])
    >>> m.replace(level=0.9).level, m.level
    (0.9, 0.95)
    """

    kind: str = "share"   # share mean total crosstab difference ratio variance quantile ttest glm ...
    by: list[str] = field(default_factory=list)           # grouping columns, in order
    variables: list[str] = field(default_factory=list)    # what was estimated, in order
    labels: dict[str | None, dict[str, str]] = field(default_factory=dict)   # lang -> {var: label}
    value_labels: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    weighted: bool = False
    design: Text = ""                 # the design, in words
    ci: Text = ""                     # the interval method, in words
    level: float = 0.95
    source: dict[str, Any] = field(default_factory=dict)  # name, year, path, sha256 ...
    n_total: int | None = None        # unweighted respondents the Result rests on
    notes: list[Text] = field(default_factory=list)       # caveats for footnotes and notes
    row_notes: dict[str, Text] = field(default_factory=dict)   # bool column -> the note it scopes
    vcov: pd.DataFrame | None = None  # covariance of the estimates, rows named (contrast)
    privacy: dict[str, Any] = field(default_factory=dict)      # what privacy.suppress did
    selection: dict[str, str] = field(default_factory=dict)    # groups chosen by select()
    bases: dict[str, str] = field(default_factory=dict)        # column -> its base column
    percent: bool | None = None       # shown as percentages (None: by kind)
    margin_label: str | list[str] = field(default_factory=list)   # group labels that are margins
    margins_known: bool | None = None  # group margins can be told (None: crosstab only)
    groups: tuple[str, ...] = ()      # a difference's two groups, a then b
    compared_by: str = ""             # a difference's grouping variable
    measure: str = ""                 # "reach" (headline wording), "share", "mean"
    sentence: str = ""                # comparison.compare's conclusion (and in each language)
    sentences: dict[str, str] = field(default_factory=dict)
    clear: bool | None = None
    title: Text | None = None         # a figure's title over the headline
    population: Text | None = None    # the population noun of headlines
    source_note: Text | None = None   # replaces "weighted"/"unweighted" in the source line
    short_labels: dict[str, dict[str, str]] = field(default_factory=dict)   # lang -> {var: short}
    thresholds: dict[str, Any] = field(default_factory=dict)   # variable -> headline threshold
    model: dict[str, Any] = field(default_factory=dict)        # glm: formula, family, n, df ...
    term_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    term_groups: dict[str, dict[str, str]] = field(default_factory=dict)
    term_variables: dict[str, str] = field(default_factory=dict)
    outcome_short: dict[str, str] = field(default_factory=dict)
    published: bool = False           # figures typed from a published table
    items: list[str] = field(default_factory=list)
    items_chosen: dict[str, Any] = field(default_factory=dict)
    read_as: dict[str, Any] = field(default_factory=dict)
    published_notes: dict[str, Any] = field(default_factory=dict)
    comparison: dict[str, Any] = field(default_factory=dict)   # side_by_side: both sides
    scale: dict[str, Any] = field(default_factory=dict)        # items: the answers in order
    box: dict[str, Any] = field(default_factory=dict)          # items.top_box: the box

    def replace(self, **changes: Any) -> ResultMeta:
        """A copy with ``changes`` (field = value)."""
        return dataclasses.replace(self, **changes)


#: Longest label a figure or table shows; a longer one (a 10,000-character label) is cut at a
#: word with "…" so that it cannot collapse a chart.
LABEL_MAX = 200


def shorten(text: str, limit: int = LABEL_MAX) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with "…".

    Examples
    --------
    >>> shorten("heel " * 100, 20)
    'heel heel heel…'
    """
    if len(text) <= limit:
        return text
    cut = text[:limit - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut[limit // 2:] else cut).rstrip() + "…"


class Result(pd.DataFrame):
    """A tidy table of estimates; see the module docstring for its columns."""

    _metadata = ["meta", "test"]

    @property
    def _constructor(self):
        return Result

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]] | pd.DataFrame, meta: ResultMeta | None = None,
                  **fields: Any) -> Result:
        """A ``Result`` of ``rows`` (standard columns that are absent filled in), with ``meta``
        and the :class:`ResultMeta` ``fields`` given (``kind="mean"``)."""
        frame = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
        meta = (meta or ResultMeta()).replace(**fields)
        for col in COLUMNS:
            if col not in frame.columns:
                frame[col] = _fill(col, len(frame))
        extra = [c for c in frame.columns if c not in COLUMNS and c not in meta.by]
        return cls(frame[list(meta.by) + COLUMNS + extra]).with_meta(meta)

    def with_meta(self, meta: ResultMeta | None = None, **fields: Any) -> Result:
        """This Result (not a copy) with ``meta`` and ``fields`` replaced; ``.test`` kept."""
        object.__setattr__(self, "meta", (meta or self.__dict__.get("meta") or ResultMeta()).replace(**fields))
        object.__setattr__(self, "test", self.__dict__.get("test"))
        return self

    def __finalize__(self, other, method=None, **kwargs):  # noqa: D105
        super().__finalize__(other, method=method, **kwargs)
        if self.__dict__.get("meta") is None:   # a concat or merge: the first part's meta
            object.__setattr__(self, "meta", getattr(other, "meta", None) or ResultMeta())
        if "test" not in self.__dict__:
            object.__setattr__(self, "test", getattr(other, "test", None))
        return self

    def label(self, variable: str, lang: str | None = None) -> str:
        """The label of ``variable`` in ``lang`` (else the file's, else the name), shortened to
        :data:`LABEL_MAX` characters for figures and tables (the codebook keeps it whole)."""
        labels = self.meta.labels
        for key in (lang, None, "default"):
            if variable in labels.get(key, {}):
                return shorten(str(labels[key][variable]))
        return variable

    def category_label(self, variable: str, category: Any, lang: str | None = None) -> str:
        """The value label ``category`` of ``variable`` translated into ``lang`` where known."""
        table = self.meta.value_labels.get(lang, {}).get(variable, {})
        return shorten(str(table.get(category, category)))

    @property
    def by(self) -> list[str]:
        """The grouping variables."""
        return list(self.meta.by)

    def select(self, **groups: Any) -> Result:
        """The rows of one group of one or more ``by`` variables, without that grouping.

        ``reach.select(wave=2023)`` turns platform reach by wave and age band into reach by
        age band in 2023, ready for a chart that shows one grouping. The selected value is kept
        in ``meta.selection``; selecting a wave or year (``wave``, ``year``, ``jaar``,
        ``golf``) also makes it the year of the source line, and ``meta.n_total`` is reset
        so that the source line counts only the selected respondents.

        Parameters
        ----------
        **groups
            ``by`` variable = group label (or a code written the same way, ``2023``).

        Returns
        -------
        Result
            A copy holding the selected rows, grouped by the remaining ``by`` variables.

        Raises
        ------
        ConfigError
            A name that is not a ``by`` variable of this Result, or a group it does not hold.

        Examples
        --------
        >>> r = Result.from_rows([
        ...     {"wave": "2019", "variable": "x", "estimate": 0.4, "n": 10},
        ...     {"wave": "2023", "variable": "x", "estimate": 0.5, "n": 12}], by=["wave"])
        >>> one = r.select(wave=2023)
        >>> one.by, float(one["estimate"].iloc[0]), one.meta.source["year"]
        ([], 0.5, '2023')
        """
        from .errors import ConfigError

        frame, by, meta = pd.DataFrame(self), self.by, self.meta
        keep = np.ones(len(frame), dtype=bool)
        for name, value in groups.items():
            if name not in by:
                raise ConfigError(f"{name!r} is not a grouping of this Result; its groupings are "
                                  f"{', '.join(by) or 'none'}.")
            labels = frame[name].astype(object).map(str)
            hit = (labels == str(value)).to_numpy()
            if not hit.any():
                raise ConfigError(f"{name} = {value!r} is not a group of this Result; its groups "
                                  f"are {', '.join(dict.fromkeys(labels))}.")
            keep &= hit
            if name.lower() in ("wave", "year", "jaar", "golf"):
                meta = meta.replace(source={**meta.source, "year": str(value)})
        out = Result(frame.loc[keep].drop(columns=list(groups)).reset_index(drop=True))
        return out.with_meta(meta, by=[b for b in by if b not in groups], n_total=None,
                             selection={**meta.selection, **{k: str(v) for k, v in groups.items()}})

    def relabel(self, **labels: str | dict[str, str]) -> Result:
        """A copy in which variables (or ``by`` variables) carry shorter or clearer labels.

        Figures and tables take their texts from the labels; a question such as "Hoe vaak ben je
        de afgelopen maanden online gepest?" reads better on a slide as "Online gepest".

        Parameters
        ----------
        **labels
            variable = label: one text for every language, or ``{"nl": ..., "en": ...}``.

        Returns
        -------
        Result

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

    _HIDDEN = ("suppressed", "reason", "deff", "df", "count_se", "col_pct_se", "cell_pct_se",
               "n_a", "n_b", "t", "ci_clopper_pearson")

    def _display_frame(self) -> pd.DataFrame:
        """The table as shown: percentages for shares, rounded, helper columns hidden."""
        frame = pd.DataFrame(self).copy()
        hide = [c for c in self._HIDDEN if c in frame]
        if self["suppressed"].fillna(False).astype(bool).any() or self["reason"].fillna("").astype(str).ne("").any():
            hide = [c for c in hide if c not in ("suppressed", "reason")]
        frame = frame.drop(columns=hide)
        kind, percent = self.meta.kind, self.meta.percent
        percent = kind in ("share", "crosstab", "table", "difference") and (
            percent if percent is not None else kind != "difference")
        fmt = {"estimate": "{:,.4g}", "se": "{:,.4g}", "ci_low": "{:,.4g}", "ci_high": "{:,.4g}",
               "estimate_a": "{:,.4g}", "estimate_b": "{:,.4g}", "n_eff": "{:,.1f}",
               "base": "{:,.1f}", "count": "{:,.1f}", "p": "{:.3g}"}
        if percent:
            fmt |= dict.fromkeys(("estimate", "se", "ci_low", "ci_high", "col_pct", "cell_pct",
                                  "estimate_a", "estimate_b"), "{:.1%}")
        for col in ("n", "n_a", "n_b", "cell_n", "col_n", "row_n"):
            if col in frame and pd.api.types.is_float_dtype(frame[col].dtype):
                fmt[col] = "{:.0f}"   # whole numbers; blank where a row has no base
        for col in frame.columns.intersection(list(fmt)):
            frame[col] = frame[col].map(lambda v, f=fmt[col]: "" if pd.isna(v) else f.format(v))
        return frame

    def _caption(self) -> str:
        m = self.meta
        head = f"{m.kind} of {', '.join(map(str, m.variables))}" + (f" by {', '.join(m.by)}" if m.by else "")
        if m.ci:
            head += f"; {100 * float(m.level):g}% CI: {text_in(m.ci, 'en')}"
        if m.n_total is not None:
            head += f"; n = {m.n_total:,}"
        return head + (f"\n{text_in(m.design, 'en')}" if m.design else "")

    def notes_for(self, rows: pd.DataFrame | None = None) -> list[Any]:
        """The notes (``meta.notes``) that apply to ``rows`` (default: all rows).

        A note named in ``meta.row_notes`` (``{column: note}``) applies only where at least
        one shown (not suppressed) row has that boolean column True, or where it is unknown
        (NA on a shown row, or ``rows`` without the column); other notes always apply.

        Examples
        --------
        >>> cp = {"nl": "Clopper–Pearson.", "en": "Clopper–Pearson."}
        >>> r = Result.from_rows([
        ...     {"variable": "x", "estimate": 0.5, "n": 40, "ci_clopper_pearson": False},
        ...     {"variable": "y", "estimate": 0.0, "n": 40, "ci_clopper_pearson": True}],
        ...     notes=[cp, "Plain."], row_notes={"ci_clopper_pearson": cp})
        >>> len(r.notes_for()), r.notes_for(r.iloc[:1])
        (2, ['Plain.'])
        """
        rows = self if rows is None else rows
        shown = np.ones(len(rows), dtype=bool)
        if "suppressed" in rows:
            shown = ~rows["suppressed"].astype(object).fillna(False).astype(bool).to_numpy()
        out = []
        for note in self.meta.notes:
            cols = [c for c, n in self.meta.row_notes.items() if n == note]
            if cols and all(c in rows for c in cols) and not any(
                    pd.isna(v) or bool(v) for c in cols for v in rows[c].astype(object).to_numpy()[shown]):
                continue
            out.append(note)
        return out

    def notes_in(self, lang: str | None = "en") -> list[str]:
        """The notes (``meta.notes``) as text in ``lang``.

        Examples
        --------
        >>> r = Result.from_rows([{"variable": "x", "estimate": 0.5, "n": 40}],
        ...                      notes=[{"nl": "Let op.", "en": "Mind."}, "Plain."])
        >>> r.notes_in("nl")
        ['Let op.', 'Plain.']
        """
        return [t for t in (text_in(n, lang) for n in self.meta.notes) if t]

    def _shown(self) -> bool:
        return "meta" in self.__dict__ and set(COLUMNS).issubset(self.columns)

    def __repr__(self) -> str:
        if not self._shown():
            return super().__repr__()
        test = self.__dict__.get("test")
        parts = [f"<Result: {self._caption()}>", self._display_frame().to_string(index=False)]
        parts += ([repr(test)] if test is not None else []) + [f"Note: {n}" for n in self.notes_in("en")]
        return "\n".join(parts)

    def _repr_html_(self) -> str:  # pragma: no cover - exercised in notebooks
        if not self._shown():
            return super()._repr_html_()
        test = self.__dict__.get("test")
        caption = "<br>".join(escape(line) for line in self._caption().splitlines())
        html = f"<p><b>{caption}</b></p>" + self._display_frame()._repr_html_()
        html += f"<p>{escape(repr(test))}</p>" if test is not None else ""
        return html + "".join(f"<p><small>{escape(n)}</small></p>" for n in self.notes_in("en"))

    def to_frame(self) -> pd.DataFrame:
        """A plain DataFrame copy (no metadata)."""
        return pd.DataFrame(self).copy()


def _fill(col: str, n: int):
    if col == "suppressed":
        return np.zeros(n, dtype=bool)
    if col in ("variable", "category", "reason"):
        return [""] * n
    return np.full(n, np.nan)


class ChisqResult(dict):
    """The outcome of a Rao–Scott test (``estimate.chisq``): a dict with attribute access.

    Keys: ``statistic``, ``p``, ``ndf`` and ``ddf`` (the F version) or ``df`` (the chi-square
    version), ``name`` ("F" or "X-squared"), ``method``, ``pearson`` (the Pearson X² of the
    weighted table scaled to the sample size), ``mean_deff`` (mean generalised design effect),
    ``row``, ``col``, ``n``.

    Examples
    --------
    >>> r = ChisqResult(statistic=5.1, p=0.02, ndf=1.5, ddf=21.0, df=None, name="F")
    >>> r.p
    0.02
    """

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __repr__(self) -> str:
        if self.get("name") == "F":
            dfs = f"ndf = {self['ndf']:.3f}, ddf = {self['ddf']:.2f}"
        else:
            dfs = f"df = {self.get('df')}"
        head = self.get("method", "Rao–Scott test")
        vars_ = f" of {self['row']} × {self['col']}" if self.get("row") else ""
        return f"<{head}{vars_}: {self.get('name', 'F')} = {self['statistic']:.4g}, {dfs}, p = {self['p']:.4g}>"
