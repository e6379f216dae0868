"""Results from estimates: one row per group and column, labels, notes, the privacy exit.

:func:`_assemble` turns the estimates of every block (:mod:`youthmedia.estimate`) into a tidy
:class:`~youthmedia.result.Result` — group labels, categories, estimate, SE, interval, counts,
n_eff, base, design effect and df, blanked where a group was not asked — and :func:`_finish`
passes it through the privacy rules (identifying columns refused, small cells suppressed),
the one exit of every estimator.

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
from . import privacy
from .blocks import _Block, _Groups
from .errors import DataError
from .intervals import CP_COLUMN, NOTES
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



# --------------------------------------------------------------------------------------------
# Assembling Results
# --------------------------------------------------------------------------------------------
def _labels_meta(survey: Survey, names: Sequence[str]) -> dict:
    labels: dict = {None: {}}
    for nm in names:
        if nm in survey.codebook.mr_sets:
            mr = survey.codebook.mr_sets[nm]
            labels[None][nm] = mr.label_in(None)
            for lang in mr.translations:
                labels.setdefault(lang, {})[nm] = mr.label_in(lang)
            continue
        var = survey.codebook.get(nm)
        labels[None][nm] = var.label_in(None)
        for lang in var.translations:
            labels.setdefault(lang, {})[nm] = var.label_in(lang)
    return labels


def _source_meta(survey: Survey) -> dict:
    src = survey.source
    return {"name": src.display_name, "year": src.year, "path": src.path, "sha256": src.sha256}


def _design_note(survey: Survey, design: dz.Design) -> str:
    if survey.design is None:
        if design.weight:
            return (f"weight '{design.weight}' (declared in the file); no strata or clusters: "
                    "each respondent a PSU; Taylor linearisation")
        return "unweighted: each respondent counts once (simple random sample)"
    return design.describe()


def _assemble(survey: Survey, design: dz.Design, blocks: list[tuple[_Block, Any]],
              groups: _Groups, kind: str, ci: str, level: float, lo_hi: list, notes: list[dict],
              variables: list[str], extra_cols: list[dict] | None = None,
              meta: dict[str, Any] | None = None,
              fallback: list[np.ndarray] | None = None) -> Result:
    """The Result of ``blocks``; ``fallback`` (one mask per block) marks the rows whose interval
    is Clopper–Pearson on n_eff (column ``ci_clopper_pearson``, which scopes that note)."""
    parts, cat_order = [], []
    for bi, (block, e) in enumerate(blocks):
        parts.append(_block_frame(block, e, groups, lo_hi[bi],
                                  extra_cols[bi] if extra_cols else None,
                                  None if fallback is None else fallback[bi]))
        cat_order += [c for c in dict.fromkeys(block.categories) if c not in cat_order]
    parts = [p for p in parts if len(p)]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if frame.empty:
        who = f"with a weight above 0 (weight '{design.weight}')" if design.weight else ""
        raise DataError(f"No respondents {who + ' ' if who else ''}answered "
                        f"{', '.join(variables)}"
                        f"{' in any group of ' + ', '.join(groups.by) if groups.by else ''}.")
    for b in groups.by:
        frame[b] = pd.Categorical(frame[b], categories=groups.categories[b], ordered=True)
    frame["category"] = pd.Categorical(frame["category"], categories=cat_order, ordered=True)
    if frame["n"].notna().all():
        frame["n"] = frame["n"].astype("int64")
    value_labels: dict = {}
    for block, _ in blocks:
        for lang, table in block.translations.items():
            value_labels.setdefault(lang, {}).update(table)
    for lang, table in groups.translations.items():
        value_labels.setdefault(lang, {}).update(table)
    member_vars = [v for block, _ in blocks for v in block.variables]
    labels = _labels_meta(survey, list(dict.fromkeys(variables + member_vars + groups.by)))
    used = np.zeros(survey.n, dtype=bool)
    for block, _ in blocks:
        used |= block.answered
    used &= groups.code >= 0
    used &= design.weights > 0                 # NaN compares False
    result = Result.from_rows(
        frame, kind=kind, by=list(groups.by), variables=list(variables), labels=labels,
        value_labels=value_labels, weighted=bool(design.weight) or bool(design.calibrated),
        design=_design_note(survey, design), ci=ci, level=level, source=_source_meta(survey),
        n_total=int(used.sum()), notes=_unique(notes), **(meta or {}),
    )
    if len(blocks) == 1 and blocks[0][1].var.ndim == 2:   # for summaries.contrast
        e, k = blocks[0][1], blocks[0][0].k
        keep = np.flatnonzero(e.n.reshape(groups.G, k).sum(axis=1) > 0)
        idx = (keep[:, None] * k + np.arange(k)[None, :]).ravel()   # the rows, as _block_frame
        result.meta["vcov"] = e.var[np.ix_(idx, idx)]
    if fallback is not None:   # the Clopper–Pearson note speaks only of the rows it marks
        result.meta["row_notes"] = {CP_COLUMN: dict(NOTES["clopper_pearson"])}
    return _finish(result, survey)


_ROW_LABELS = ("variable", "category", "suppressed", "reason", "group_a", "group_b")


def _block_frame(block: _Block, e: Any, groups: _Groups, lo_hi: tuple, extra: dict | None,
                 fallback: np.ndarray | None) -> pd.DataFrame:
    """One block's rows: every column of every group that holds a respondent, group-major."""
    k = block.k
    keep = np.flatnonzero(e.n.reshape(groups.G, k).sum(axis=1) > 0)
    idx = (keep[:, None] * k + np.arange(k)[None, :]).ravel()
    v = np.diag(e.var) if e.var.ndim == 2 else e.var
    with np.errstate(invalid="ignore"):
        se = np.where(np.isfinite(v), np.sqrt(np.maximum(v, 0)), np.nan)
    cols: dict[str, Any] = {b: np.repeat(np.array([groups.labels[g][i] for g in keep], dtype=object), k)
                            for i, b in enumerate(groups.by)}
    cols |= {"variable": np.tile(np.array(block.variables, dtype=object), len(keep)),
             "category": np.tile(np.array(block.categories, dtype=object), len(keep)),
             "estimate": e.est[idx], "se": se[idx], "ci_low": lo_hi[0][idx],
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
    """Blank the rows without a valid base (in place): an option of a multiple-response set,
    or a variable of a list, that nobody in this group was asked (TikTok in the 2015 wave).
    Such a row has no numbers at all — not a 0 % with an interval — and ``reason`` says why."""
    for name in frame.columns:
        dtype = frame[name].dtype
        if name in _ROW_LABELS or name in by or pd.api.types.is_bool_dtype(dtype) \
                or not pd.api.types.is_numeric_dtype(dtype):
            continue
        frame[name] = frame[name].astype(float).where(~rows, np.nan)
    frame["reason"] = np.where(rows, NOT_ASKED, frame["reason"])


def _shown_names(result: Result) -> list[str]:
    """The columns a Result shows: its variables (members of a set too) and ``by`` variables."""
    names = list(result.meta.get("variables") or [])
    names += [str(v) for v in pd.unique(result["variable"].astype(object)) if v and pd.notna(v)]
    names += list(result.meta.get("by") or [])
    for key in ("row", "col", "compared_by"):
        if result.meta.get(key):
            names.append(str(result.meta[key]))
    return list(dict.fromkeys(names))


def _finish(result: Result, survey: Survey) -> Result:
    """The one exit every estimator's Result passes through: the privacy rules.

    An identifying column (a name, e-mail address, open answer ... — see
    :func:`youthmedia.privacy.refuse_identifying`) used as a variable or ``by`` raises
    ``DisclosureError``; estimates on too few respondents are suppressed
    (:func:`youthmedia.privacy.suppress`, thresholds from :func:`youthmedia.privacy.thresholds`:
    ``n < 10`` hidden, ``n < 30`` flagged indicative by default). The covariance a Result
    keeps for contrasts (``meta["vcov"]``) is blanked (NaN) in the rows and columns of the
    suppressed estimates: a share's variance would tell it again.
    """
    privacy.refuse_identifying(survey, _shown_names(result))
    out = privacy.suppress(result)
    V = out.meta.get("vcov")
    if V is not None and len(V) == len(out):
        V = np.array(V, dtype=float)
        hidden = out["suppressed"].to_numpy(dtype=bool)
        V[hidden, :] = np.nan
        V[:, hidden] = np.nan
        keys = row_keys(out)       # rows named, so a filtered or sorted Result still matches
        out.meta["vcov"] = pd.DataFrame(V, index=keys, columns=keys)
    return out


def row_keys(result: pd.DataFrame) -> list[str]:
    """One name per row: its ``by`` labels, variable and category, joined by " | "."""
    by = list(getattr(result, "meta", {}).get("by") or [])
    cols = [c for c in by + ["variable", "category"] if c in result.columns]
    return [" | ".join(str(v) for v in row) for row in result[cols].itertuples(index=False)]
