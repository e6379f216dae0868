"""Results from estimates: one row per group and column, labels, notes, the privacy exit.

:func:`_assemble` turns the estimates of every block (:mod:`youthmedia.estimate`) into a tidy
:class:`~youthmedia.result.Result` — group labels, categories, estimate, SE, interval, counts,
n_eff, base, design effect and df, blanked where a group was not asked — and :func:`_finish`
passes it through the privacy rules (identifying columns refused, small cells suppressed),
the one exit of every estimator. :func:`design_text` says the design in words, in every
language, for footnotes and speaker notes.

Examples
--------
>>> _unique([{"nl": "a"}, {"nl": "a"}, None, {"nl": "b"}])
[{'nl': 'a'}, {'nl': 'b'}]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from . import design as dz
from . import i18n, privacy
from .blocks import _Block, _Groups
from .errors import DataError
from .intervals import CP_COLUMN, NOTES, _se
from .privacy import NOT_ASKED
from .result import Result
from .survey import Survey


def _unique(notes: Sequence[Any]) -> list[Any]:
    """Notes without repeats, in order (dict notes are not hashable)."""
    out: list[Any] = []
    for note in notes:
        if note and note not in out:
            out.append(note)
    return out


def _labels_meta(survey: Survey, names: Sequence[str]) -> dict:
    labels: dict = {None: {}}
    for nm in names:
        var = survey.codebook.mr_sets.get(nm) or survey.codebook.get(nm)
        labels[None][nm] = var.label_in(None)
        for lang in var.translations:
            labels.setdefault(lang, {})[nm] = var.label_in(lang)
    return labels


def _source_meta(survey: Survey) -> dict:
    src = survey.source
    return {"name": src.display_name, "year": src.year, "path": src.path, "sha256": src.sha256}


def design_text(design: dz.Design, declared: bool = False) -> dict[str, str]:
    """The design in words, ``{lang: text}``; ``declared``: the file's weight, no design set.

    Examples
    --------
    >>> design_text(dz.Design(weight="w", strata="school"))["nl"]
    "weging 'w'; strata 'school'; Taylor-linearisatie"
    """
    return {lang: _design_words(design, declared, lang) for lang in i18n.LANGS}


def _design_words(d: dz.Design, declared: bool, lang: str) -> str:
    """One language of :func:`design_text`."""
    def t(key: str, **fields: Any) -> str:
        return i18n.t(key, lang, **fields)

    if declared and not d.weight:
        return t("design_srs")
    parts = [t("design_declared" if d.declared else "design_weight", weight=d.weight)
             if d.weight else t("unweighted")]
    for step in d.calibrated:   # "raked to 'a', 'b'": the verb translated, the names kept
        verb, _, rest = step.partition(" ")
        parts.append(t(f"cal_{verb}", rest=rest) if f"cal_{verb}" in i18n.STRINGS else step)
    if declared:
        parts.append(t("design_no_strata"))
    if d.is_replicate:
        extra = (f", rho={d.rho:g}" if d.method == "Fay" else "") + (t("design_mse") if d.mse else "")
        what = t("design_replicate", method=d.method, n=len(d.rscales), extra=extra)
        if d.built_from:
            built = d.built_from.replace(" and ", f" {t('and')} ")
            what += t("design_built", what=t("design_respondents") if built == "the respondents" else built)
        return "; ".join([*parts, what])
    parts += [t("design_strata", strata=d.strata)] if d.strata else []
    parts += [t("design_clusters", clusters=" > ".join(f"'{c}'" for c in d.cluster))] if d.cluster else []
    parts += [t("design_fpc", fpc=", ".join(f"'{c}'" for c in d.fpc))] if d.fpc else []
    parts += [t("design_lonely", how=d.lonely_psu)] if d.lonely_psu != "fail" else []
    return "; ".join([*parts, t("design_taylor")])


def _design_note(survey: Survey, design: dz.Design) -> dict[str, str]:
    return design_text(design, declared=survey.design is None)


def _used(survey: Survey, design: dz.Design, answered: np.ndarray) -> int:
    """Respondents a Result rests on: answered, in a group, weight above 0."""
    return int((answered & (design.weights > 0)).sum())   # NaN compares False


def _meta(survey: Survey, design: dz.Design, kind: str, ci: str, level: float, **fields: Any) -> dict:
    """The ResultMeta fields every estimator sets."""
    return dict(kind=kind, weighted=bool(design.weight) or bool(design.calibrated),
                design=_design_note(survey, design), ci=i18n.both(f"ci_{ci}"), level=level,
                source=_source_meta(survey), **fields)


def _assemble(survey: Survey, design: dz.Design, blocks: list[tuple[_Block, Any]],
              groups: _Groups, kind: str, ci: str, level: float, lo_hi: list, notes: list[dict],
              variables: list[str], extra_cols: list[dict] | None = None,
              meta: dict[str, Any] | None = None,
              fallback: list[np.ndarray] | None = None) -> Result:
    """The Result of ``blocks``; ``fallback`` marks rows with a Clopper–Pearson interval."""
    parts, cat_order = [], []
    for bi, (block, e) in enumerate(blocks):
        parts.append(_block_frame(block, e, groups, lo_hi[bi],
                                  extra_cols[bi] if extra_cols else None,
                                  None if fallback is None else fallback[bi]))
        cat_order += [c for c in dict.fromkeys(block.categories) if c not in cat_order]
    parts = [p for p in parts if len(p)]
    if not parts:
        who = f"with a weight above 0 (weight '{design.weight}') " if design.weight else ""
        raise DataError(f"No respondents {who}answered {', '.join(variables)}"
                        f"{' in any group of ' + ', '.join(groups.by) if groups.by else ''}.")
    frame = pd.concat(parts, ignore_index=True)
    for b in groups.by:
        frame[b] = pd.Categorical(frame[b], categories=groups.categories[b], ordered=True)
    frame["category"] = pd.Categorical(frame["category"], categories=cat_order, ordered=True)
    if frame["n"].notna().all():
        frame["n"] = frame["n"].astype("int64")
    value_labels: dict = {}
    for table in [b.translations for b, _ in blocks] + [groups.translations]:
        for lang, t in table.items():
            value_labels.setdefault(lang, {}).update(t)
    members = [v for block, _ in blocks for v in block.variables]
    answered = np.logical_or.reduce([block.answered for block, _ in blocks]) & (groups.code >= 0)
    result = Result.from_rows(frame, **_meta(
        survey, design, kind, ci, level, by=list(groups.by), variables=list(variables),
        labels=_labels_meta(survey, list(dict.fromkeys(variables + members + groups.by))),
        value_labels=value_labels, n_total=_used(survey, design, answered), notes=_unique(notes),
        **(meta or {})))
    if len(blocks) == 1 and blocks[0][1].var.ndim == 2:   # for summaries.contrast
        e, k = blocks[0][1], blocks[0][0].k
        idx = _shown_rows(e, groups, k)
        result.with_meta(vcov=e.var[np.ix_(idx, idx)])
    if fallback is not None:   # the Clopper–Pearson note speaks only of the rows it marks
        result.with_meta(row_notes={CP_COLUMN: dict(NOTES["clopper_pearson"])})
    return _finish(result, survey)


_ROW_LABELS = ("variable", "category", "suppressed", "reason", "group_a", "group_b")


def _shown_rows(e: Any, groups: _Groups, k: int) -> np.ndarray:
    """Indices of the estimates of every group that holds a respondent, group-major."""
    keep = np.flatnonzero(e.n.reshape(groups.G, k).sum(axis=1) > 0)
    return (keep[:, None] * k + np.arange(k)[None, :]).ravel()


def _block_frame(block: _Block, e: Any, groups: _Groups, lo_hi: tuple, extra: dict | None,
                 fallback: np.ndarray | None) -> pd.DataFrame:
    """One block's rows: every column of every group that holds a respondent, group-major."""
    idx = _shown_rows(e, groups, block.k)
    g = idx // block.k
    cols: dict[str, Any] = {b: np.array([groups.labels[j][i] for j in g], dtype=object)
                            for i, b in enumerate(groups.by)}
    cols |= {"variable": np.array(block.variables, dtype=object)[idx % block.k],
             "category": np.array(block.categories, dtype=object)[idx % block.k],
             "estimate": e.est[idx], "se": _se(e.var)[idx], "ci_low": lo_hi[0][idx],
             "ci_high": lo_hi[1][idx], "n": e.n[idx].astype(np.int64), "n_eff": e.neff[idx],
             "base": e.base[idx], "suppressed": False, "reason": "", "deff": e.deff[idx],
             "df": e.df[idx]}
    cols |= {name: np.asarray(val)[idx] for name, val in (extra or {}).items()}
    if fallback is not None:
        cols[CP_COLUMN] = np.asarray(fallback, dtype=bool)[idx]
    frame = pd.DataFrame(cols, index=pd.RangeIndex(len(idx)))
    unasked = e.n[idx] == 0
    if unasked.any():
        _not_asked(frame, unasked, groups.by)
    return frame


def _not_asked(frame: pd.DataFrame, rows: np.ndarray, by: list[str]) -> None:
    """Blank (in place) the numbers of rows nobody in the group was asked; ``reason`` says so."""
    for name in frame.columns:
        dtype = frame[name].dtype
        if name in _ROW_LABELS or name in by or pd.api.types.is_bool_dtype(dtype) \
                or not pd.api.types.is_numeric_dtype(dtype):
            continue
        frame[name] = frame[name].astype(float).where(~rows, np.nan)
    frame["reason"] = np.where(rows, NOT_ASKED, frame["reason"])


def _finish(result: Result, survey: Survey) -> Result:
    """The one exit of every estimator's Result: the privacy rules.

    An identifying column used as a variable or ``by`` raises ``DisclosureError``
    (:func:`youthmedia.privacy.refuse_identifying`); estimates on too few respondents are
    suppressed (:func:`youthmedia.privacy.suppress`); the covariance kept for contrasts
    (``meta.vcov``) is blanked in the rows and columns of suppressed estimates.
    """
    m = result.meta
    shown = [*m.variables, *(v for v in pd.unique(result["variable"].astype(object)) if v and pd.notna(v)),
             *m.by, *([m.compared_by] if m.compared_by else [])]
    privacy.refuse_identifying(survey, list(dict.fromkeys(map(str, shown))))
    out = privacy.suppress(result)
    V = out.meta.vcov
    if V is not None and len(V) == len(out):
        V = np.array(V, dtype=float)
        hidden = out["suppressed"].to_numpy(dtype=bool)
        V[hidden, :] = np.nan
        V[:, hidden] = np.nan
        keys = row_keys(out)       # rows named, so a filtered or sorted Result still matches
        out.with_meta(vcov=pd.DataFrame(V, index=keys, columns=keys))
    return out


def row_keys(result: pd.DataFrame) -> list[str]:
    """One name per row: its ``by`` labels, variable and category, joined by " | "."""
    by = list(result.meta.by) if isinstance(result, Result) else []
    cols = [c for c in by + ["variable", "category"] if c in result.columns]
    return [" | ".join(str(v) for v in row) for row in result[cols].itertuples(index=False)]
