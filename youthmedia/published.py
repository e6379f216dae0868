"""Published tables as input: figures typed from a report become a :class:`Result`.

:func:`load_table` reads the table with pandas and its sidecar ``<name>.published.yaml`` (keys:
``_KEYS``; data/published/README.md). The first column (or ``item``) names what a figure is
about; then one column of figures beside grouping columns, or one per group (wide; a row ``n``
holds the sample sizes). ``88``, ``88%``, ``88,5`` are figures; ``<1%`` is half its bound, ``ruim
50`` is 50 (flagged); ``n.b.``, ``—`` and empty cells are missing. With n, Wilson intervals
for a simple random sample of n, and the notes say so.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import i18n
from .errors import ConfigError, DataError, YouthmediaError
from .files import sha256_of
from .io.csv import decode_bytes, sniff_delimiter
from .io.sidecar import find_sidecar, load_yaml
from .io.table import slug
from .result import COLUMNS, Result, ResultMeta

__all__ = ["is_published_table", "load_table", "select", "wilson_interval"]

_MISSING = {"", *"— – - − n.b. n.b nb n.v.t. n.v.t nvt n/a na nan x . .. ... … #n/a".split()}
_CELL = re.compile(
    r"(?i)^(?P<pre><=|>=|<|>|≤|≥|~|≈|ca\.?|circa|ongeveer|about|ruim|bijna|just over|almost|nearly)?"
    r"\s*(?P<num>\d+(?:[.,]\d+)?|[.,]\d+)\s*(?P<pct>%)?$"
)
_FLAG = {"<": "below", "<=": "below", "≤": "below", ">": "above", ">=": "above", "≥": "above"}
_KEYS = (
    "columns_name item level measure n note notes population reach source title translations year"
)
_TRAILER = r"(?i)\s*(bron|source|noot|note)\s*:"  # a line copied with the table: a note
_YEAR, _DASH, _N = r"(19|20)\d\d", "–", {"n", "basis", "base"}


def _text(v: Any) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()


def _missing(texts: pd.Series) -> pd.Series:
    return texts.str.casefold().isin(_MISSING)


def wilson_interval(p: Any, n: Any, level: float = 0.95) -> tuple[Any, Any]:
    """Wilson interval for ``p`` in a simple random sample of ``n`` (R: ``prop.test(correct=
    FALSE)``; statsmodels' ``proportion_confint``); NaN where p or n is missing.

    Examples
    --------
    >>> lo, hi = wilson_interval(0.88, 761)
    >>> round(lo, 4), round(hi, 4)
    (0.855, 0.9012)
    """
    from statsmodels.stats.proportion import proportion_confint

    if not 0 < level < 1:
        raise ConfigError(f"level={level!r}; give the confidence level as a proportion, e.g. 0.95.")
    pa, na = np.asarray(p, dtype=float), np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        lo, hi = proportion_confint(pa * na, na, alpha=1 - level, method="wilson")
    return (float(lo), float(hi)) if np.ndim(p) == 0 and np.ndim(n) == 0 else (lo, hi)


def _read(path: Path) -> pd.DataFrame:
    """The table as stripped text cells (an Excel number as its text)."""
    if not path.is_file():
        raise DataError(f"{path}: file not found; give the path of a .csv or .xlsx table.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=object)
    else:
        text = decode_bytes(path.read_bytes(), str(path))[0]
        try:
            frame = pd.read_csv(StringIO(text), sep=sniff_delimiter(text), dtype=str, keep_default_na=False)  # fmt: skip
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise DataError(f"{path}: not a table ({str(exc).splitlines()[0]}).") from None
    return frame.rename(columns=_text).astype(object).map(_text)


def _parse(texts: pd.Series) -> pd.DataFrame:
    """Per cell: value (NaN: no figure), pct (a % sign), flag ('' below above approx missing)."""
    m = texts.str.replace("\u00a0", " ").str.extract(_CELL)
    flag = m["pre"].fillna("").str.casefold().map(lambda p: _FLAG.get(p, "approx" if p else ""))
    value = pd.to_numeric(m["num"].str.replace(",", "."), errors="coerce")
    flag = flag.where(~_missing(texts), "missing")
    return pd.DataFrame({"value": value, "pct": m["pct"].notna(), "flag": flag})


def _n_value(value: Any, where: str) -> float:
    """A sample size: a positive whole number (``1.316`` and ``1,316`` are 1316)."""
    if (text := _text(value)).casefold() in _MISSING:
        return math.nan
    v = pd.to_numeric(re.sub(r"(?<=\d)[.,\s\u00a0](?=\d{3}\b)", "", text), errors="coerce")
    if isinstance(value, bool) or not (v >= 1 and float(v).is_integer()):
        raise DataError(f"{where}: n {text!r} is not a sample size; write it as a positive whole number (761).")  # fmt: skip
    return float(v)


def _sidecar(spec: Any, path: Path) -> tuple[dict[str, Any], str]:
    spec = find_sidecar(path, "published") if spec is None else spec
    if spec is None or spec is False:
        return {}, ""
    where = "codebook=" if isinstance(spec, Mapping) else str(spec)
    if not isinstance(spec, Mapping) and Path(spec).is_file():
        spec = load_yaml(Path(spec), "check quotes") or {}
    if not isinstance(spec, Mapping):
        raise ConfigError(f"{where}: a table sidecar holds keys such as source:, year:, n: (not found, or not a mapping).")  # fmt: skip
    if unknown := sorted(set(map(str, spec)) - set(_KEYS.split())):
        raise DataError(f"{where}: unknown key(s) {', '.join(unknown)}; a sidecar takes {_KEYS}.")
    return dict(spec), where


def _long(frame: pd.DataFrame, side: dict, m: str | None, n: Any, where: str):
    """One row per figure; the grouping columns (melted one last), that column, trailing lines."""
    cols, note, forced = list(frame.columns), side.get("note"), m in ("percent", "proportion")
    measure = None if forced else m
    if bad := [c for c in (measure, note) if c is not None and c not in cols]:
        what = "measure" if bad[0] == measure else "note"
        raise ConfigError(f"{where}: {what}={bad[0]!r} is neither a column of the table ({', '.join(cols)}) nor 'percent'/'proportion'.")  # fmt: skip
    first = frame[cols[0]] if cols else pd.Series()
    empty = frame[cols[1:]].apply(_missing).all(axis=1)
    trailer, n_row = empty & first.str.match(_TRAILER), first.str.casefold().isin(_N)
    frame = frame.assign(_row=frame.index + 2)
    if (body := frame[~(trailer | n_row | (empty & first.eq("")))]).empty:
        raise DataError(f"{where}: the table holds no figures; check that it is the table you meant.")  # fmt: skip
    n_col = next((c for c in cols[1:] if c.casefold() in _N), None)
    figures = [measure] if measure else [c for c in cols[1:] if c not in (n_col, note)]
    figured = lambda t: not t.str.fullmatch(_YEAR).all() and 2 * _parse(t)["value"].notna().sum() >= len(t)  # noqa: E731  # fmt: skip
    if not (figures := [c for c in figures if measure or figured(body[c][~_missing(body[c])])]):
        raise DataError(f"{where}: no column of figures among {', '.join(cols)}; type the figures as numbers (88 or 88%).")  # fmt: skip
    groups = [c for c in cols if c not in figures and c not in (n_col, note)]
    long = body.melt(["_row", *groups, *{n_col, note} - {None}], figures, "_col", "_text")
    long = long.sort_values("_row", kind="stable").reset_index(drop=True)
    long = pd.concat([long, _parse(long["_text"])], axis=1)
    melted, heads = None, {c: re.sub(r"\(\s*%\s*\)|%", "", c).strip() or c for c in figures}
    if len(figures) > 1:  # a wide table: "2022 (%)" is the group 2022
        years = all(re.fullmatch(_YEAR, h) for h in heads.values())
        melted = str(side.get("columns_name") or ("year" if years else "group"))
        long[melted], groups = long["_col"].map(heads), [*groups, melted]
    at = f"{where}: row {{}}, column {{!r}}"
    n_rows = [{c: _n_value(r[c], at.format(r["_row"], c)) for c in figures} for _, r in frame[n_row].iterrows()]  # fmt: skip
    if n_col:
        long["n"] = [_n_value(v, at.format(r, n_col)) for v, r in zip(long[n_col], long["_row"], strict=True)]  # fmt: skip
    else:
        long["n"] = long["_col"].map(n_rows[0] if n_rows else {}).astype(float)
    if n is not None and not isinstance(n, Mapping):
        long["n"] = _n_value(n, f"{side['where']}: n")
    elif n is not None:
        table = {_text(k): _n_value(v, f"{side['where']}: n for {k}") for k, v in n.items()}
        if (g := next((g for g in groups if set(table) <= set(long[g])), None)) is None:
            raise ConfigError(f"{side['where']}: n= names {', '.join(table)}, which are not all values of one column; give {{value: n}} for one column.")  # fmt: skip
        long["n"] = long[g].map(table).fillna(long["n"])
    long["note"] = long[note] if note else ""
    # refuse a cell that is no figure of its group; set estimate 0–1 (a bound: half way)
    v, flag, text, scale = long["value"], long["flag"], long["_text"], m if forced else "percent"

    def _refuse(mask: Any, message: Any) -> None:  # naming the first such cell (or row)
        if np.any(mask):
            r = long[np.asarray(mask)].iloc[0]
            cell = f"row {r['_row']}, column {r['_col']!r}: {r['_text']!r} {message}"
            raise DataError(f"{where}: {message(r) if callable(message) else cell}")

    _refuse(text.str.fullmatch(r"[-−]\s*\d+([.,]\d+)?\s*%?"), "is negative; a share cannot be below 0 — correct the cell.")  # fmt: skip
    _refuse(v.isna() & flag.ne("missing"), "is not a figure; write a number (88, 88%, 0,88), '<1%' for a bound, or 'n.b.' / '—' for a missing figure.")  # fmt: skip
    no_group = long[groups].eq("")
    _refuse(no_group.any(axis=1) & flag.ne("missing"), lambda r: f"row {r['_row']} has the figure {r['_text']!r} but no {no_group.loc[r.name].idxmax()!r}; every figure needs its group — fill the cell in (a merged cell in Excel leaves the rows below it empty) or delete the row.")  # fmt: skip
    _refuse(long.duplicated(groups, keep=False) & ~no_group.any(axis=1), lambda a: f"rows {a['_row']} and {long['_row'][long[groups].eq(a[groups]).all(axis=1)].iloc[1]} both give the figure for {', '.join(f'{g} {a[g]!r}' for g in groups)}; keep one, or add the column that tells them apart (year, age band, …).")  # fmt: skip
    part = ~long["pct"] & flag.isin(["", "approx"]) & v.between(0, 1, "neither")
    _refuse(part & (not forced), "lies between 0 and 1 without a % sign; say what the figures are: measure: proportion (0.5 = 50%) or measure: percent (0.5 = 0.5%) in the sidecar, or measure= .")  # fmt: skip
    top = pd.Series(np.where(long["pct"] | (scale == "percent"), 100.0, 1.0), index=long.index)
    _refuse(v > top, f"is over {'100%' if (top[v > top] == 100).any() else '1'}; correct the cell (a share cannot exceed the whole).")  # fmt: skip
    wide = ((flag == "below") & (v > 0.05 * top)) | ((flag == "above") & (v < 0.95 * top))
    _refuse(wide, "is too wide a bound to draw as one figure (only bounds up to 5% or from 95% are read, as half way to 0 or 100%); type the figure.")  # fmt: skip
    long["estimate"] = v.where(flag != "below", v / 2).where(flag != "above", (v + top) / 2) / top
    long = long[~long[groups].eq("").any(axis=1)].reset_index(drop=True)
    return long, groups, melted, list(first[trailer])


def _labels(long: pd.DataFrame, items: list[str], by: list[str], tr: dict) -> tuple[dict, dict]:
    """Set ``long["variable"]``; return the labels per language and translated value labels."""
    keys, names = list(long[items].itertuples(index=False, name=None)), {}
    for key in dict.fromkeys(keys):
        names[key] = slug(f" {_DASH} ".join(key))
        while names[key] in list(names.values())[:-1]:
            names[key] += "_"
    long["variable"] = [names[k] for k in keys]
    join = lambda key, table: f" {_DASH} ".join(table.get(p, p) for p in key)  # noqa: E731
    labels = {lg: {v: join(k, table) for k, v in names.items()} for lg, table in {None: {}, **tr}.items()}  # fmt: skip
    values: dict[str, dict] = {}
    for b, lang in [(b, lang) for b in by for lang in dict.fromkeys([*i18n.LANGS, *tr])]:
        table, labels[None][b] = tr.get(lang, {}), b
        year = i18n.t("pub_year", lang) if b == "year" and lang in i18n.LANGS else b
        labels.setdefault(lang, {})[b] = table.get(b, year)
        if found := {v: table[v] for v in long[b] if v in table}:
            values.setdefault(lang, {})[b] = found
    return labels, values


def _frame(long: pd.DataFrame, items: list[str], by: list[str], labels: dict, level: float):
    """The rows of the Result: estimate, Wilson interval and SE for a simple random sample."""
    out = long.assign(category=long["variable"].map(labels), n=long["n"].astype(float))
    est, nn, bound = out["estimate"], out["n"], out["flag"].isin(["below", "above"])
    out["ci_low"], out["ci_high"] = wilson_interval(est.where(~bound), nn, level)
    out["se"] = np.sqrt(est * (1 - est) / nn)
    out["n_eff"], out["base"], out["suppressed"] = nn, nn, False
    kind = out["flag"].map(dict(missing="missing:", below="bound:", above="bound:", approx="approx:"))  # fmt: skip
    text = out["_text"].str.replace(";", ",")
    out["reason"] = (kind + text.where(text != "", "empty")).fillna("")
    for b in by:
        order = list(dict.fromkeys(out[b]))
        digits = all(v.isdigit() for v in order)
        out[b] = pd.Categorical(out[b], sorted(order, key=int) if digits else order, True)
    out["category"] = pd.Categorical(out["category"], list(dict.fromkeys(out["category"])), True)
    out = out[[*by, *COLUMNS, *items, "note"]]
    return out.astype({"n": "int64"}) if out["n"].notna().all() else out


def load_table(
    path: str | Path,
    *,
    measure: str | None = None,
    n: Any = None,
    source: str | Mapping[str, Any] | None = None,
    year: str | int | None = None,
    codebook: str | Path | Mapping[str, Any] | bool | None = None,
    item: str | Sequence[str] | None = None,
    level: float | None = None,
) -> Result:
    """Read a table of published figures (CSV or XLSX; see the module docstring) as a Result.

    Parameters
    ----------
    path : str or Path
    measure, n, source, year, item, level, codebook : optional
        ``"proportion"``/``"percent"`` (default; a % sign always) or the figures' column; the
        sample size or ``{group value: n}``; the source (a name or ``{name, url, via,
        secondary}``); the year; the item column(s) (default the first); the interval level;
        the sidecar (default ``<name>.published.yaml`` beside the table; ``False``: none),
        which may give each of the others.

    Returns
    -------
    Result
        One row per figure: ``estimate`` (0–1), Wilson interval (NaN without n), ``reason``
        (``bound:<1%``, ``approx:ruim 50``, ``missing:n.b.``); notes on what it assumes.

    Examples
    --------
    >>> r = load_table("data/published/pew_teens_2022_2024.csv")
    >>> r.by, r.meta.n_total      # 1316 + 1453 + 1391 respondents
    (['year'], 4160)
    """
    p, where = Path(path), str(path)
    (side, side_where), frame = _sidecar(codebook, p), _read(p)
    tr = (side.get("translations") or {}).items()
    side["tr"] = {str(k): {str(a): str(b) for a, b in (v or {}).items()} for k, v in tr}
    given = dict(measure=measure, n=n, item=item, level=level, source=source, year=year)
    m, n, spec, level, src, year = (side.get(k) if v is None else v for k, v in given.items())
    level, side["where"] = float(0.95 if level is None else level), side_where or where
    long, groups, melted, trailers = _long(frame, side, m, n, where)
    items = [spec] if isinstance(spec, str) else list(spec or groups[:1])
    if set(items) - set(groups) or melted in items:
        raise ConfigError(f"{where}: item={spec!r}; give one or more of the grouping columns {', '.join(groups)}.")  # fmt: skip
    by = [g for g in groups if g not in items]
    labels, values = _labels(long, items, by, side["tr"])
    info = dict(src) if isinstance(src, Mapping) else {} if src is None else {"name": str(src)}
    info["name"] = info.get("name") or p.stem
    year = info.get("year") if year is None else year
    years = sorted({v for b in by for v in long[b] if re.fullmatch(_YEAR, v)})
    if year is None and years:
        year = f"{years[0]}{_DASH}{years[-1]}" if len(years) > 1 else years[0]
    info |= {"year": None if year is None else str(year), "path": str(p), "sha256": sha256_of(p)}
    lead = [i18n.both("pub_secondary", via=f" ({info['via']})" if info.get("via") else "")] if info.get("secondary") else []  # fmt: skip
    tail = trailers + ([extra] if isinstance(extra := side.get("notes") or [], (str, Mapping)) else list(extra))  # fmt: skip
    meta = ResultMeta(
        by=by, variables=list(dict.fromkeys(long["variable"])), labels=labels, level=level,
        value_labels=values, source=info, published=True, percent=True, items=items,
        read_as={"shape": "wide" if melted else "tidy", "scale": m if m in ("percent", "proportion") else "percent", "sidecar": side_where},
        published_notes={"lead": lead, "tail": tail, "tr": side["tr"]},
        measure="reach" if side.get("reach") else "",
        **{k: side[k] for k in ("population", "title") if side.get(k)},
    )  # fmt: skip
    out = _frame(long, items, by, labels[None], level)
    return Result.from_rows(out, _refresh(meta, out))


def _refresh(meta: ResultMeta, frame: pd.DataFrame) -> ResultMeta:
    """``meta`` with n_total, design, ci and notes (per flagged or noted figure) of ``frame``."""
    known, by, pub = frame.dropna(subset=["n"]), list(meta.by), meta.published_notes
    interval, note, ci, n_total = [i18n.both("pub_no_n")], i18n.both("pub_no_n_source"), "", None
    if ns := sorted({int(v) for v in known["n"]}):  # n = 761, 1.316 (2022), … or 761–1.453
        ends = dict.fromkeys(ns[:: len(ns) - 1 or 1])
        phrase = {lg: "n = " + "–".join(i18n.integer(v, lg) for v in ends) for lg in i18n.LANGS}
        for g in by + [c for c in meta.items if c in frame.columns] if len(ns) > 1 else []:
            per = known.groupby(known[g].astype(str), sort=False)["n"].unique()
            if len(per) <= 6 and all(len(v) == 1 for v in per):
                phrase = {lg: "n = " + ", ".join(f"{i18n.integer(v[0], lg)} ({k})" for k, v in per.items()) for lg in i18n.LANGS}  # fmt: skip
                break
        interval = [i18n.both("pub_interval", pct=round(100 * meta.level), n=phrase)]
        interval += [i18n.both("pub_some_n")] if len(known) < len(frame) else []
        note, ci = i18n.both("pub_srs", n=phrase), i18n.both("ci_wilson_srs")
        one = known["n"].nunique() == 1 or not by
        n_total = int(known["n"].max() if one else known.groupby(by, observed=True)["n"].max().sum())  # fmt: skip
    notes, tr = pub["lead"] + interval, pub["tr"]
    cols = [c for c in (*meta.items, *meta.by) if c in frame]
    for _, r in frame[frame["reason"].ne("") | frame["note"].ne("")].iterrows():  # flagged, noted
        place = [str(r[c]) for c in cols] + list(meta.selection.values())
        at = {lg: ", ".join(tr.get(lg, {}).get(p, p) for p in place) for lg in i18n.LANGS}
        kind, _, t = r["reason"].partition(":")
        v = f"{100 * r['estimate']:g}%"
        texts = [i18n.both("pub_" + kind, t="" if t == "empty" else t, v={"nl": v.replace(".", ","), "en": v})] if kind else []  # fmt: skip
        texts += [dict.fromkeys(i18n.LANGS, r["note"])] if r["note"] else []
        notes += [{lg: f"{at[lg]}: {x[lg]}" for lg in i18n.LANGS} for x in texts]
    notes += pub["tail"]
    return meta.replace(n_total=n_total, design=note, ci=ci, source_note=note, notes=notes)


def select(result: Result, **groups: Any) -> Result:
    """The rows of one group (``year=2023``) or item (``platform="TikTok"``) of a published
    table, with the notes of those rows.

    Examples
    --------
    >>> r = load_table("data/published/pew_teens_2022_2024.csv")
    >>> select(r, year=2023).meta.n_total
    1453
    """
    items = {k: v for k, v in groups.items() if k in result.meta.items}
    out = result.select(**{k: v for k, v in groups.items() if k not in items})
    if items:
        keep = np.logical_and.reduce([out[k].astype(str) == _text(v) for k, v in items.items()])
        if not keep.any():
            known = out[[*items]].drop_duplicates().astype(str).agg(" ".join, axis=1)
            raise ConfigError(f"No figures for {items}; the items are {', '.join(known)}.")
        out = Result.from_rows(pd.DataFrame(out)[keep].reset_index(drop=True), out.meta)
    return out.with_meta(_refresh(out.meta, out)) if out.meta.published_notes else out


def is_published_table(path: str | Path) -> bool:
    """Whether ``path`` holds published figures, not respondents: a ``.published.yaml`` beside
    it, or a small table :func:`load_table` reads whose headers say "%".

    Examples
    --------
    >>> is_published_table("data/youth_social_media_demo.sav")
    False
    """
    p = Path(path)
    if p.suffix.lower() not in (".csv", ".tsv", ".txt", ".xlsx", ".xlsm") or not p.is_file():
        return False
    if find_sidecar(p, "published") is not None:
        return True
    try:  # a small table whose headers say "%", read without error
        heads = _read(p).columns if p.stat().st_size < 200_000 else []
        percent = any(re.search(r"%|percent|procent", c, re.I) for c in heads)
        return percent and len(load_table(p)) > 0
    except (YouthmediaError, OSError, ValueError):
        return False
