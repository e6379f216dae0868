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
on a suppressed row). A note in ``meta["notes"]`` that is about such flagged rows only is named
in ``meta["row_notes"]`` (``{column: note}``); :meth:`Result.notes_for` gives the notes that
apply to the rows a figure or table shows.

Examples
--------
>>> import pandas as pd
>>> from youthmedia.result import Result
>>> r = Result.from_rows([{"variable": "x", "category": "ja", "estimate": 0.5, "n": 4}], kind="share")
>>> float(r.loc[0, "estimate"])
0.5
>>> r.meta["kind"]
'share'
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "LABEL_MAX", "Result", "shorten"]

COLUMNS = ["variable", "category", "estimate", "se", "ci_low", "ci_high", "n", "n_eff", "base",
           "suppressed", "reason"]

_DEFAULT_META: dict[str, Any] = {
    "kind": "share",          # share | mean | total | crosstab | difference | table | glm | scale
    "by": [],                 # grouping variables, in order (their columns come first)
    "variables": [],          # variables estimated, in order
    "labels": {},             # lang (None = file's) -> {variable: label}
    "value_labels": {},       # lang -> {variable: {file label: translated label}}
    "weighted": False,
    "design": "",             # one-line description of the design
    "ci": "",                 # CI method
    "level": 0.95,
    "source": {},             # name, year, path, sha256
    "n_total": None,          # unweighted respondents the Result rests on
    "notes": [],              # caveats for footnotes and speaker notes
}


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
    def from_rows(cls, rows: list[dict[str, Any]] | pd.DataFrame, **meta: Any) -> Result:
        """Build a ``Result`` from rows, filling the standard columns that are absent."""
        frame = rows.copy() if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
        by = list(meta.get("by") or [])
        for col in COLUMNS:
            if col not in frame.columns:
                frame[col] = _fill(col, len(frame))
        extra = [c for c in frame.columns if c not in COLUMNS and c not in by]
        frame = frame[by + COLUMNS + extra]
        out = cls(frame)
        out.meta = {**copy.deepcopy(_DEFAULT_META), **meta}
        out.test = None
        return out

    # pandas copies _metadata attributes through __finalize__; make sure they exist.
    def __finalize__(self, other, method=None, **kwargs):  # noqa: D105
        super().__finalize__(other, method=method, **kwargs)
        if not hasattr(self, "meta") or self.__dict__.get("meta") is None:
            src = getattr(other, "meta", None)
            object.__setattr__(self, "meta", copy.deepcopy(src) if src else copy.deepcopy(_DEFAULT_META))
        if "test" not in self.__dict__:
            object.__setattr__(self, "test", getattr(other, "test", None))
        return self

    # -- labels --------------------------------------------------------------------------------
    def label(self, variable: str, lang: str | None = None) -> str:
        """The label of ``variable`` in ``lang`` (falling back to the file's label, then the name),
        shortened to :data:`LABEL_MAX` characters for figures and tables (the codebook keeps it
        whole)."""
        labels = self.meta.get("labels", {})
        for key in (lang, None, "default"):
            if key in labels and variable in labels[key]:
                return shorten(str(labels[key][variable]))
        return variable

    def category_label(self, variable: str, category: Any, lang: str | None = None) -> str:
        """The value label ``category`` of ``variable`` translated into ``lang`` where known."""
        table = self.meta.get("value_labels", {}).get(lang, {}).get(variable, {})
        return shorten(str(table.get(category, category)))

    @property
    def by(self) -> list[str]:
        """The grouping variables."""
        return list(self.meta.get("by", []))

    def select(self, **groups: Any) -> Result:
        """The rows of one group of one or more ``by`` variables, without that grouping.

        ``reach.select(wave=2023)`` turns platform reach by wave and age band into reach by
        age band in 2023, ready for a chart that shows one grouping. The selected value is kept
        in ``meta["selection"]``; selecting a wave or year (``wave``, ``year``, ``jaar``,
        ``golf``) also makes it the year of the source line, and ``meta["n_total"]`` is reset
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
        >>> one.by, float(one["estimate"].iloc[0]), one.meta["source"]["year"]
        ([], 0.5, '2023')
        """
        from .errors import ConfigError

        frame = pd.DataFrame(self)
        by = self.by
        keep = np.ones(len(frame), dtype=bool)
        for name, value in groups.items():
            if name not in by:
                raise ConfigError(f"{name!r} is not a grouping of this Result; its groupings are "
                                  f"{', '.join(by) or 'none'}.")
            labels = frame[name].astype(object).map(str)
            hit = (labels == str(value)).to_numpy()
            if not hit.any():
                found = ", ".join(dict.fromkeys(labels))
                raise ConfigError(f"{name} = {value!r} is not a group of this Result; its groups "
                                  f"are {found}.")
            keep &= hit
        out = Result(frame.loc[keep].drop(columns=list(groups)).reset_index(drop=True))
        meta = copy.deepcopy(self.meta)
        meta["by"] = [b for b in by if b not in groups]
        meta["selection"] = {**meta.get("selection", {}), **{k: str(v) for k, v in groups.items()}}
        meta["n_total"] = None
        for name, value in groups.items():
            if name.lower() in ("wave", "year", "jaar", "golf"):
                meta["source"] = {**(meta.get("source") or {}), "year": str(value)}
        out.meta = meta
        out.test = None
        return out

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
        out = self.copy()
        meta = copy.deepcopy(self.meta)
        table = meta.setdefault("labels", {})
        for variable, label in labels.items():
            per_lang = label if isinstance(label, dict) else {None: label}
            keys = set(table) | set(per_lang) | {None}
            for key in keys:
                text = per_lang.get(key, per_lang.get(None, next(iter(per_lang.values()))))
                table.setdefault(key, {})[variable] = str(text)
        out.meta = meta
        out.test = copy.deepcopy(getattr(self, "test", None))
        return out

    # -- display -------------------------------------------------------------------------------
    _HIDDEN = ("suppressed", "reason", "deff", "df", "count_se", "col_pct_se", "cell_pct_se",
               "n_a", "n_b", "t", "ci_clopper_pearson")

    def _display_frame(self) -> pd.DataFrame:
        """The table as shown: percentages for shares, rounded bases, helper columns hidden
        (``suppressed``/``reason`` only when something is suppressed)."""
        frame = pd.DataFrame(self).copy()
        hide = [c for c in self._HIDDEN if c in frame]
        flagged = "suppressed" in frame and frame["suppressed"].fillna(False).astype(bool).any()
        if flagged or ("reason" in frame and frame["reason"].fillna("").astype(str).ne("").any()):
            hide = [c for c in hide if c not in ("suppressed", "reason")]
        frame = frame.drop(columns=hide)
        percent = self.meta.get("kind") in ("share", "crosstab", "table", "difference") and self.meta.get(
            "percent", self.meta.get("kind") != "difference")
        pct_cols = ("estimate", "se", "ci_low", "ci_high", "col_pct", "cell_pct", "estimate_a",
                    "estimate_b")
        for col in frame.columns:
            if percent and col in pct_cols:
                frame[col] = frame[col].map(lambda v: "" if pd.isna(v) else f"{100 * v:.1f}%")
            elif col in ("estimate", "se", "ci_low", "ci_high", "estimate_a", "estimate_b"):
                frame[col] = frame[col].map(lambda v: "" if pd.isna(v) else f"{v:,.4g}")
            elif col in ("n", "n_a", "n_b", "cell_n", "col_n", "row_n") and \
                    pd.api.types.is_float_dtype(frame[col].dtype):
                # whole numbers; NaN where a row has no base (a question not asked)
                frame[col] = frame[col].map(lambda v: "" if pd.isna(v) else f"{v:.0f}")
            elif col in ("n_eff", "base", "count"):
                frame[col] = frame[col].map(lambda v: "" if pd.isna(v) else f"{v:,.1f}")
            elif col == "p":
                frame[col] = frame[col].map(lambda v: "" if pd.isna(v) else f"{v:.3g}")
        return frame

    def _caption(self) -> str:
        meta = self.meta
        kind = meta.get("kind", "")
        what = ", ".join(map(str, meta.get("variables", [])))
        by = meta.get("by") or []
        head = f"{kind} of {what}" + (f" by {', '.join(by)}" if by else "")
        if meta.get("ci"):
            head += f"; {100 * float(meta.get('level', 0.95)):g}% CI: {meta['ci']}"
        if meta.get("n_total") is not None:
            head += f"; n = {meta['n_total']:,}"
        design = meta.get("design")
        return head + (f"\n{design}" if design else "")

    def notes_for(self, rows: pd.DataFrame | None = None) -> list[Any]:
        """The notes (``meta["notes"]``) that apply to ``rows`` (default: all rows).

        A note named in ``meta["row_notes"]`` (``{column: note}``) applies only where at least
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
        scoped = self.meta.get("row_notes") or {}
        if "suppressed" in rows:
            shown = ~rows["suppressed"].astype(object).fillna(False).astype(bool).to_numpy()
        else:
            shown = np.ones(len(rows), dtype=bool)
        out = []
        for note in self.meta.get("notes") or []:
            cols = [c for c, n in scoped.items() if n == note]
            if cols and all(c in rows for c in cols):
                flags = [rows[c].astype(object).to_numpy()[shown] for c in cols]
                if not any(pd.isna(v) or bool(v) for f in flags for v in f):
                    continue
            out.append(note)
        return out

    def notes_in(self, lang: str | None = "en") -> list[str]:
        """The notes (``meta["notes"]``) as text in ``lang``; a note is a plain string or a
        ``{"nl": ..., "en": ...}`` dict.

        Examples
        --------
        >>> r = Result.from_rows([{"variable": "x", "estimate": 0.5, "n": 40}],
        ...                      notes=[{"nl": "Let op.", "en": "Mind."}, "Plain."])
        >>> r.notes_in("nl")
        ['Let op.', 'Plain.']
        """
        out = []
        for note in self.meta.get("notes") or []:
            if isinstance(note, dict):
                text = note.get(lang) or note.get("en") or next(iter(note.values()), "")
            else:
                text = note
            if text:
                out.append(str(text))
        return out

    def __repr__(self) -> str:
        if "meta" not in self.__dict__ or not set(COLUMNS[:3]).issubset(self.columns):
            return super().__repr__()
        text = f"<Result: {self._caption()}>\n{self._display_frame().to_string(index=False)}"
        test = self.__dict__.get("test")
        if test is not None:
            text += f"\n{test!r}"
        notes = self.notes_in("en")
        if notes:
            text += "\n" + "\n".join(f"Note: {n}" for n in notes)
        return text

    def _repr_html_(self) -> str:  # pragma: no cover - exercised in notebooks
        if "meta" not in self.__dict__ or not set(COLUMNS[:3]).issubset(self.columns):
            return super()._repr_html_()
        from html import escape

        caption = "<br>".join(escape(line) for line in self._caption().splitlines())
        html = f"<p><b>{caption}</b></p>" + self._display_frame()._repr_html_()
        test = self.__dict__.get("test")
        if test is not None:
            html += f"<p>{escape(repr(test))}</p>"
        for note in self.notes_in("en"):
            html += f"<p><small>{escape(note)}</small></p>"
        return html

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
