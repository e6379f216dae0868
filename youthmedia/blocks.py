"""What every estimator shares: the answers (blocks), the by-groups, the estimates and the
Result that leaves through the privacy rules."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

from . import design as dz
from . import i18n, privacy
from . import intervals as iv
from .codebook import _preview
from .errors import ConfigError, DataError
from .intervals import NOTES
from .privacy import NOT_ASKED
from .result import CP_COLUMN, Result
from .survey import Survey


@dataclass
class _Block:
    """Values ``u`` and answered masks ``d`` (rows × k), or a category per row (-1: none)."""

    name: str
    u: np.ndarray | None
    d: np.ndarray | None
    variables: list[str]  # per column: its variable
    categories: list[str]  # per column: its label ("" for means)
    translations: dict  # lang -> {variable: {file label: translated}}
    codes: np.ndarray | None = None

    @property
    def k(self) -> int:
        return len(self.categories)

    @cached_property
    def answered(self) -> np.ndarray:
        return self.codes >= 0 if self.codes is not None else self.d.max(axis=1) > 0


def _as_float(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _is_binary(values: np.ndarray | None) -> bool:
    v = values[~np.isnan(values)] if values is not None else np.array([2.0])
    return v.size > 0 and bool(np.all((v == 0) | (v == 1)))


def _numeric_codes(survey: Survey, name: str) -> np.ndarray | None:
    """The numbers of a column (a labelled one by its codes), or None if it holds none."""
    col = survey.data[name]
    if isinstance(col.dtype, pd.CategoricalDtype):
        back = {str(lab): c for c, lab in survey.codebook.get(name).value_labels.items()}
        vals = np.array([_as_float(back.get(str(c), c)) for c in col.cat.categories] + [np.nan])
        return None if np.isnan(vals[:-1]).any() else vals[col.cat.codes.to_numpy()]
    if pd.api.types.is_numeric_dtype(col.dtype):
        return col.to_numpy(dtype=float, na_value=np.nan)
    return None


def _var_translations(survey: Survey, name: str, labels: dict, key: str | None = None) -> dict:
    """lang -> {key (default name): {file label: translated}} for a variable's value labels."""
    var, out = survey.codebook.get(name), {}
    for lang in var.translations:
        trans = var.value_labels_in(lang)
        if table := {str(labels[c]): str(trans[c]) for c in labels if c in trans}:
            out.setdefault(lang, {})[key or name] = table
    return out


def _categorical_block(survey: Survey, name: str) -> _Block:
    """Each category of ``name`` a column: value labels for numbers, sorted text otherwise."""
    col = survey.data[name]
    labels = {c: str(lab) for c, lab in survey.codebook.get(name).value_labels.items()}
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats, codes = [str(c) for c in col.cat.categories], col.cat.codes.to_numpy()
    elif pd.api.types.is_numeric_dtype(col.dtype):
        codes, uniq = pd.factorize(col.to_numpy(dtype=float, na_value=np.nan), sort=True)
        named = {_as_float(c): lab for c, lab in labels.items()}
        cats = [named.get(v, str(int(v)) if v.is_integer() else f"{v:g}") for v in uniq]
    else:  # text, in sorted order
        codes, uniq = pd.factorize(col.astype("string"), sort=True)
        cats, labels = [str(c) for c in uniq], {}
    trans = _var_translations(survey, name, labels)
    return _Block(name, None, None, [name] * len(cats), cats, trans, codes.astype(np.int32))


def _values_block(name: str, cols: list[np.ndarray], masks: list, names, cats, trans) -> _Block:
    d = np.column_stack(masks).astype(float)
    return _Block(name, np.column_stack(cols) * d, d, list(names), cats, trans)


def _binary_block(survey, names, counted=None, answered=None, set_name=None) -> _Block:
    """0/1 columns, each one's share of those who answered it (in a set: the question)."""
    cols, masks, trans, set_ = [], [], {}, counted is not None
    hits = {m: _counted(survey.codes(m), counted) for m in names} if set_ else {}
    left_empty = set_ and not any((survey.data[m].notna() & ~hits[m]).any() for m in names)
    for name in names:
        if set_:
            values = np.where(survey.data[name].isna(), np.nan, hits[name])
        else:  # 0/1, as _share_blocks checked
            values = _numeric_codes(survey, name)
        seen = ~np.isnan(values)
        masks.append(seen if not set_ else answered if left_empty else answered & seen)
        cols.append(np.nan_to_num(values))
        var = survey.codebook.get(name)
        for lang in var.translations:
            if (lab := var.label_in(lang)) != var.label_in(None):
                trans.setdefault(lang, {})[name] = {survey.codebook.label(name): lab}
    cats = [survey.codebook.label(nm) for nm in names]
    return _values_block(set_name or ",".join(names), cols, masks, names, cats, trans)


def _counted(codes: pd.Series, counted: Any) -> np.ndarray:
    """Rows whose code (``survey.codes``) is ``counted``, as a number where both are numbers."""
    num = pd.to_numeric(codes, errors="coerce")
    try:
        sel = (num == float(counted)) if num.notna().any() else (codes.astype(object) == counted)
    except (TypeError, ValueError):
        sel = codes.astype(object) == counted
    return sel.to_numpy(dtype=bool, na_value=False)


def _numeric_block(survey: Survey, names: Sequence[str]) -> _Block:
    """Numeric columns (a labelled one by its codes), each mean resting on who answered it."""
    cols = [_numeric_codes(survey, _require(survey, nm)) for nm in names]
    for nm, values in zip(names, cols, strict=True):
        if values is None:
            shown = ", ".join(map(str, pd.unique(survey.data[nm].dropna())[:5]))
            raise DataError(
                f"Variable '{nm}' is not numeric (values {shown}); a mean "
                "needs numbers — use share() for the share of each category."
            )
        _nonempty(survey, nm, ~np.isnan(values))
    masks = [~np.isnan(v) for v in cols]
    cols = [np.nan_to_num(v) for v in cols]
    return _values_block(",".join(names), cols, masks, names, [""] * len(names), {})


def _names(variables: str | Sequence[str]) -> list[str]:
    names = [variables] if isinstance(variables, str) else [str(v) for v in variables]
    if not names:
        raise ConfigError("Give at least one variable.")
    return names


def _share_blocks(survey: Survey, variables: str | Sequence[str]) -> list[_Block]:
    """A set, a 0/1 variable or a list of them as one block; otherwise one block per variable."""
    names = _names(variables)
    if len(names) > 1:
        if all(_is_binary(_numeric_codes(survey, _require(survey, nm))) for nm in names):
            return [_binary_block(survey, names)]
        return [_share_blocks(survey, nm)[0] for nm in names]
    if names[0] not in survey.data and names[0] in survey.codebook.mr_sets:  # each option's share
        set_name, mr = names[0], survey.codebook.mr_sets[names[0]]  # of who answered the question
        members = list(mr.variables)
        survey.require(*members)
        answered = np.logical_or.reduce([survey.data[m].notna().to_numpy() for m in members])
        if mr.kind == "dichotomy":
            return [_binary_block(survey, members, mr.counted_value, answered, set_name)]
        options = dict(survey.codebook.get(members[0]).value_labels)  # category set: chosen codes
        codes = [survey.codes(m) for m in members]
        if not options:
            options = {v: str(v) for v in sorted({v for c in codes for v in c.dropna()}, key=str)}
        cols = [np.logical_or.reduce([_counted(c, code) for c in codes]) for code in options]
        trans = _var_translations(survey, members[0], options, set_name)
        k = len(cols)
        return [_values_block(set_name, cols, [answered] * k, [set_name] * k, list(map(str, options.values())), trans)]  # fmt: skip
    if isinstance(survey.data[_require(survey, names[0])].dtype, pd.CategoricalDtype):
        return [_categorical_block(survey, names[0])]
    binary = _is_binary(_numeric_codes(survey, names[0]))
    return [_binary_block(survey, names) if binary else _categorical_block(survey, names[0])]


def _require(survey: Survey, name: str) -> str:
    if name not in survey.data.columns and (sets := list(survey.codebook.mr_sets)):
        raise ConfigError(
            f"Unknown variable {name!r} in {survey.source.path or 'this survey'}; known variables:"
            f" {_preview(survey.columns)}; multiple-response sets: {', '.join(sets)}."
        )
    survey.require(name)
    return name


def _nonempty(survey: Survey, name: str, answered: np.ndarray) -> None:
    if not answered.any():
        raise DataError(
            f"Variable '{name}' has no answers in {survey.source.path or 'this survey'} "
            "(all values missing)."
        )


@dataclass
class _Groups:
    by: list[str]
    code: np.ndarray  # group per row, -1 = not in any group
    labels: list[tuple[str, ...]]  # per group
    categories: dict[str, list[str]]  # per by-variable, in order
    translations: dict
    memo: list = field(default_factory=list, repr=False)  # kept by design.domain_estimates

    @property
    def G(self) -> int:
        return len(self.labels)


def _one(survey: Survey) -> _Groups:
    return _Groups([], np.zeros(survey.n, dtype=np.int64), [()], {}, {})


def _groups(survey: Survey, by: str | Sequence[str] | None) -> _Groups:
    """The domain of each row: the cross of the ``by`` variables' categories."""
    if by is None:
        return _one(survey)
    names = _names(by)
    survey.require(*names)
    code, labels, cats, trans = None, [()], {}, {}
    where = f" in {survey.source.path}" if survey.source.path else ""
    for nm in names:
        blk = _categorical_block(survey, nm)
        seen = np.flatnonzero(np.bincount(blk.codes[:4096] + 1, minlength=blk.k + 1)[1:])
        if seen.size < 2:  # the first rows may all be in one group: count all of them
            seen = np.flatnonzero(np.bincount(blk.codes + 1, minlength=blk.k + 1)[1:])
        if seen.size < 2:
            what = (
                f"a single category ({blk.categories[seen[0]]!r}) among the respondents{where}"
                if seen.size
                else f"no values{where} (all missing)"
            )
            raise DataError(
                f"The by-variable '{nm}' has {what}; a breakdown needs at least two groups — "
                "drop by=, choose another by= variable or check your filter."
            )
        c = blk.codes
        code = c if code is None else np.where((code >= 0) & (c >= 0), code * blk.k + c, -1)
        cats[nm] = blk.categories
        labels = [lab + (cat,) for lab in labels for cat in blk.categories]
        for lang, t in blk.translations.items():
            trans.setdefault(lang, {}).update(t)
    return _Groups(names, code, labels, cats, trans)


def _compute(survey, design, blocks, groups, ratio=True, full=False) -> list:
    """design.domain_estimates of every (group, column) of each block, with ``neff``, ``deff``."""
    w = design.weights
    for block in blocks if np.isnan(w).any() else []:
        if (bad := np.isnan(w) & block.answered & (groups.code >= 0)).any():
            raise DataError(
                f"The weight '{design.weight}' is missing for {int(bad.sum())} respondent(s) in "
                f"use (e.g. row {survey.data.index[np.argmax(bad)]}); give them a weight or "
                "leave them out of the data."
            )
    ests = dz.domain_estimates(design, blocks, groups.code, groups.G, ratio, full, groups.memo)
    for d in ests:
        n, D = d.n, d.base
        # deff: R's svymean(deff = TRUE), against SRS without replacement when the weights add
        # up to a population (Σw ≥ 2n), else (weights scaled to the sample) with replacement
        with np.errstate(invalid="ignore", divide="ignore"):
            e = np.nan_to_num(d.est if ratio else d.numer / np.where(D > 0, D, 1))
            ss = d.su2 - 2 * e * d.numer + e * e * D  # R's svyvar: Σw(y-θ)²/Σw · n/(n-1)
            s2 = np.where((D > 0) & (n > 1), ss / (n - 1), np.nan) * n / D
            frac = np.where(D >= 2 * n, (D - n) / (D * n), 1 / n)
            vsrs = s2 * frac * (1 if ratio else D**2)
            v = np.diag(d.var) if full else d.var
            d.deff = np.where(vsrs > 0, v / vsrs, np.nan)
            d.neff = np.where(d.w2 > 0, D**2 / d.w2, 0.0)
    return ests


def _source_meta(survey: Survey) -> dict:
    s = survey.source
    return {"name": s.display_name, "year": s.year, "path": s.path, "sha256": s.sha256}


def design_text(design: dz.Design, declared: bool = False) -> dict[str, str]:
    """The design in words, ``{lang: text}``; ``declared``: the file's weight, no design set."""
    return {lang: _design_words(design, declared, lang) for lang in i18n.LANGS}


def _design_words(d: dz.Design, declared: bool, lang: str) -> str:
    t = partial(i18n.t, lang=lang)
    if declared and not d.weight:
        return t("design_srs")
    parts = [t("design_declared" if d.declared else "design_weight", weight=d.weight)]
    parts = parts if d.weight else [t("unweighted")]
    for step in d.calibrated:  # "raked to 'a', 'b'": the verb translated, the names kept
        verb, _, rest = step.partition(" ")
        parts.append(t(f"cal_{verb}", rest=rest) if f"cal_{verb}" in i18n.STRINGS else step)
    parts += [t("design_no_strata")] if declared else []
    if d.is_replicate:
        extra = (f", rho={d.rho:g}" if d.method == "Fay" else "") + (t("design_mse") if d.mse else "")  # fmt: skip
        what = t("design_replicate", method=d.method, n=len(d.rscales), extra=extra)
        if built := d.built_from:
            built = t("design_respondents") if built == "the respondents" else built
            what += t("design_built", what=built.replace(" and ", f" {t('and')} "))
        return "; ".join([*parts, what])
    clusters = " > ".join(f"'{c}'" for c in d.cluster)
    parts += [t("design_strata", strata=d.strata)] if d.strata else []
    parts += [t("design_clusters", clusters=clusters)] if d.cluster else []
    parts += [t("design_fpc", fpc=", ".join(f"'{c}'" for c in d.fpc))] if d.fpc else []
    parts += [t("design_lonely", how=d.lonely_psu)] if d.lonely_psu != "fail" else []
    return "; ".join([*parts, t("design_taylor")])


def _assemble(survey, design, blocks, ests, grp, kind, ci, level, variables, extra=None, unasked=None, **meta):  # fmt: skip
    """The Result of ``blocks`` and their estimates ``ests``, groups holding a respondent."""
    e, G, off = ests[0], grp.G, np.cumsum([0] + [b.k for b in blocks])
    if len(ests) > 1:  # several blocks as one: variances only (covariances are per block)
        keys = ("est", "var", "n", "base", "df", "deff", "neff")
        e = SimpleNamespace(**{a: np.concatenate([getattr(d, a) for d in ests]) for a in keys})
        e.thetas = None if ests[0].thetas is None else np.hstack([d.thetas for d in ests])
    parts = []
    for b, d, o in zip(blocks, ests, off, strict=False):  # groups that hold a respondent
        keep = np.flatnonzero(d.n.reshape(G, b.k).sum(axis=1) > 0)
        g, j = np.repeat(keep, b.k), np.tile(np.arange(b.k), len(keep))
        parts.append((G * o + g * b.k + j, g, o + j))
    idx, g, col = (np.concatenate(x) for x in zip(*parts, strict=True))
    if not idx.size:
        who = f"with a weight above 0 (weight '{design.weight}') " if design.weight else ""
        where = f" in any group of {', '.join(grp.by)}" if grp.by else ""
        raise DataError(f"No respondents {who}answered {', '.join(variables)}{where}.")
    names, cats = ([x for b in blocks for x in getattr(b, a)] for a in ("variables", "categories"))
    code, order = pd.factorize(np.array(cats, dtype=object))  # categories in order of appearance
    sizes = [len(grp.categories[b]) for b in grp.by]  # groups: the cross of by's
    codes = np.unravel_index(g, sizes) if sizes else []
    frame = {
        b: pd.Categorical.from_codes(c, grp.categories[b], ordered=True)
        for b, c in zip(grp.by, codes, strict=True)
    }
    se, lo, hi, notes, cp = iv.bounds(ci, e, level, design)
    numbers = {
        "estimate": e.est, "se": se, "ci_low": lo, "ci_high": hi,
        "n": e.n.astype(np.int64), "n_eff": e.neff, "base": e.base, "deff": e.deff, "df": e.df,
    }  # fmt: skip
    unasked = e.n == 0 if unasked is None else unasked
    if unasked[idx].any():  # nobody (in one of the groups) was asked: no numbers
        numbers = {c: np.where(unasked, np.nan, v) for c, v in numbers.items()}
    numbers = {c: np.asarray(v)[idx] for c, v in (numbers | (extra or {})).items()}
    unasked = unasked[idx]
    frame |= {
        "variable": np.array(names, dtype=object)[col],
        "category": pd.Categorical.from_codes(code[col], order, ordered=True),
        "suppressed": np.zeros(len(idx), dtype=bool), "reason": np.where(unasked, NOT_ASKED, ""),
    }  # fmt: skip
    frame |= numbers | ({CP_COLUMN: cp[idx]} if cp is not None else {})
    if cp is not None:  # the Clopper–Pearson note speaks only of the rows it marks
        meta["row_notes"] = {CP_COLUMN: dict(NOTES["clopper_pearson"])}
    notes += meta.pop("notes", [])
    meta["notes"] = [n for i, n in enumerate(notes) if n and n not in notes[:i]]
    if e.var.ndim == 2:  # one block's covariance, for summaries.contrast
        meta["vcov"] = e.var[np.ix_(idx, idx)]
    value_labels: dict = {}
    for table in [b.translations for b in blocks] + [grp.translations]:
        for lang, t in table.items():
            value_labels.setdefault(lang, {}).update(t)
    answered = np.logical_or.reduce([b.answered for b in blocks]) & (grp.code >= 0)
    meta = dict(value_labels=value_labels, names=names, by=grp.by) | meta
    return _result(survey, design, pd.DataFrame(frame), kind, ci, level, variables, answered, meta)


def _result(survey, design, frame, kind, ci, level, variables, answered, meta) -> Result:
    """The one exit of every estimator: meta set, identifiers refused, small cells suppressed."""
    labels, shorts, by = {None: {}}, {}, list(meta["by"])
    shown = [*variables, *meta.pop("names"), *by, *filter(None, [meta.get("compared_by")])]
    for nm in dict.fromkeys(shown):
        var = survey.codebook.mr_sets.get(nm) or survey.codebook.get(nm)
        for lang in (None, *var.translations):
            labels.setdefault(lang, {})[nm] = var.label_in(lang)
            tr = var.translations.get(lang, {}) if lang else {}
            if short := tr.get("short_label") or getattr(var, "short_label", None):
                shorts.setdefault(lang, {})[nm] = str(short)
    meta = dict(
        kind=kind, weighted=bool(design.weight) or bool(design.calibrated), level=level,
        source=_source_meta(survey), ci=i18n.both(f"ci_{ci}"), variables=list(variables),
        design=design_text(design, declared=survey.design is None), labels=labels,
        short_labels=shorts, n_total=int((answered & (design.weights > 0)).sum()),
    ) | meta  # fmt: skip
    privacy.refuse_identifying(survey, list(dict.fromkeys(map(str, shown))))
    out = privacy.suppress(Result.from_rows(frame, **meta))
    if (V := out.meta.vcov) is not None and len(V) == len(out):
        V = np.array(V, dtype=float)
        hidden = out["suppressed"].to_numpy(dtype=bool)
        V[hidden, :] = V[:, hidden] = np.nan
        keys = row_keys(out)  # rows named, so a filtered or sorted Result still matches
        out.with_meta(vcov=pd.DataFrame(V, index=keys, columns=keys))
    return out


def row_keys(result: pd.DataFrame) -> list[str]:
    """One name per row: its ``by`` labels, variable and category, joined by " | "."""
    by = list(result.meta.by) if isinstance(result, Result) else []
    cols = [c for c in by + ["variable", "category"] if c in result.columns]
    values = [pd.DataFrame(result)[c].tolist() for c in cols]
    return [" | ".join(map(str, row)) for row in zip(*values, strict=True)]
