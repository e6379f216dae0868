"""Published tables as input: figures copied from a report become a :class:`Result`.

:func:`load_table` reads a table typed from a report with :func:`pandas.read_csv` (or
``read_excel``) and its sidecar ``<name>.published.yaml`` (keys: ``_KEYS``; see
data/published/README.md), so every figure, table and deck function works on it. The first
column (or the sidecar's ``item``) names what a figure is about; then one column of figures
beside grouping columns (tidy), or one column of figures per group (wide; a first cell ``n``
marks the row of sample sizes). Cells: ``88``, ``88%``, ``88,5``; ``<1%`` is half its bound,
``ruim 50`` is 50 (flagged); ``n.b.``, ``—`` and empty cells are missing. With a sample size,
each figure gets Wilson's interval for a simple random sample of n, and the notes say so.

Examples
--------
>>> lo, hi = wilson_interval(0.5, 100)
>>> round(lo, 4), round(hi, 4)
(0.4038, 0.5962)
"""

from __future__ import annotations

import math
import re
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import i18n
from .errors import ConfigError, DataError, YouthmediaError, YouthmediaWarning
from .files import sha256_of
from .result import Result, ResultMeta

__all__ = ["is_published_table", "load_table", "select", "wilson_interval"]

_MISSING = {"", *"— – - − n.b. n.b nb n.v.t. n.v.t nvt n/a na nan x . .. ... … #n/a".split()}
_CELL = re.compile(
    r"^(?P<pre><=|>=|<|>|≤|≥|~|≈|ca\.?|circa|ongeveer|about|ruim|bijna|just over|almost|nearly)?"
    r"\s*(?P<num>\d+(?:[.,]\d+)?|[.,]\d+)\s*(?P<pct>%)?$",
    re.I,
)
_FLAG = {"<": "below", "<=": "below", "≤": "below", ">": "above", ">=": "above", "≥": "above"}
_N_NAMES = {"n", "basis", "base"}
_KEYS = set(
    "source year n measure item note population title reach notes translations columns_name "
    "level".split()
)
_TRAILER = re.compile(r"\s*(bron|source|noot|note)\s*:", re.I)
_SOURCE = re.compile(r"\s*(bron|source)\s*:\s*", re.I)
_DASH = "–"
_T = {  # key: (nl, en)
    "secondary": (
        "Secundaire bron{via}: cijfers uit berichtgeving over het onderzoek, niet uit het rapport.",
        "Secondary source{via}: figures from coverage of the study, not from the report itself.",
    ),
    "approx": (
        "‘{t}’ in de bron (afgerond), getekend als {v}",
        "‘{t}’ in the source (rounded), drawn as {v}",
    ),
    "below": (
        "‘{t}’ in de bron, getekend als {v} (zonder interval)",
        "‘{t}’ in the source, drawn as {v} (no interval)",
    ),
    "missing": (
        "– = niet beschikbaar in de bron (‘{t}’)",
        "– = not available in the source (‘{t}’)",
    ),
    "no_n": (
        "Geen steekproefgrootte in de bron: cijfers zonder betrouwbaarheidsinterval.",
        "No sample size given in the source: figures without confidence intervals.",
    ),
    "no_n_design": (
        "gepubliceerde cijfers; geen steekproefgrootte, geen intervallen",
        "published figures; no sample size, no intervals",
    ),
    "no_n_source": (
        "gepubliceerde cijfers; geen n in de bron, geen intervallen",
        "published figures; no n in the source, no intervals",
    ),
    "srs": (
        "uitgaande van een enkelvoudige aselecte steekproef van {n}",
        "assuming a simple random sample of {n}",
    ),
    "interval": (
        "Gepubliceerde cijfers; {pct}%-betrouwbaarheidsintervallen (Wilson) {srs}. Is de steekproef "
        "gewogen of geclusterd, dan zijn de werkelijke intervallen breder.",
        "Published figures; {pct}% confidence intervals (Wilson) {srs}. If the sample was weighted "
        "or clustered, the true intervals are wider.",
    ),
    "some_n": (
        "Waar de bron geen n geeft: geen interval.",
        "Where the source gives no n: no interval.",
    ),
    "design": ("gepubliceerde cijfers; intervallen {srs}", "published figures; intervals {srs}"),
    "source_note": ("gepubliceerde cijfers, {srs}", "published figures, {srs}"),
}


def _nl_en(nl: str, en: str) -> dict[str, str]:
    return {"nl": nl, "en": en}


def _both(key: str, **fields: Any) -> dict[str, str]:
    """``_T[key]`` in both languages; a field may itself be ``{nl:, en:}``."""
    return {
        lg: _T[key][i].format(**{k: v[lg] if isinstance(v, dict) else v for k, v in fields.items()})
        for i, lg in enumerate(("nl", "en"))
    }


def _text(v: Any) -> str:
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, (float, np.floating)) and float(v).is_integer():
        return str(int(v))
    return str(v).strip()


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^0-9a-z]+", "_", folded.casefold()).strip("_") or "item"


def _is_year(values: Sequence[str]) -> bool:
    return len(values) > 0 and all(re.fullmatch(r"(19|20)\d\d", v) for v in values)


def _label(header: str) -> str:
    """A wide table's column header as a group label: ``2022 (%)`` → ``2022``."""
    return re.sub(r"\(\s*%\s*\)|%", "", str(header)).strip() or str(header)


def wilson_interval(p: Any, n: Any, level: float = 0.95) -> tuple[Any, Any]:
    """Wilson score interval for a proportion ``p`` in a simple random sample of ``n``.

    statsmodels' ``proportion_confint(method="wilson")`` (R: ``prop.test(correct=FALSE)``);
    NaN where ``p`` or ``n`` is missing. Scalars in, floats out; arrays in, arrays out.

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
    bad = ~(na > 0) | np.isnan(pa)
    lo, hi = np.where(bad, np.nan, lo), np.where(bad, np.nan, hi)
    return (float(lo), float(hi)) if np.ndim(p) == 0 and np.ndim(n) == 0 else (lo, hi)


def _read(path: Path) -> pd.DataFrame:
    """The table as stripped text cells (an Excel number as its text)."""
    if not path.is_file():
        raise DataError(f"{path}: file not found; give the path of a .csv or .xlsx table.")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        frame = pd.read_excel(path, dtype=object)
    else:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        sep = max(";,\t", key=(text.splitlines() or [""])[0].count)
        try:
            frame = pd.read_csv(StringIO(text), sep=sep, dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
            raise DataError(f"{path}: not a table ({str(exc).splitlines()[0]}).") from None
    return frame.rename(columns=_text).astype(object).map(_text)


def _parse(texts: pd.Series) -> pd.DataFrame:
    """Per cell: value (NaN: no figure), pct (a % sign), flag ('' below above approx missing)."""
    m = texts.str.replace("\u00a0", " ").str.extract(_CELL)
    pre = m["pre"].fillna("").str.casefold()
    flag = pre.map(lambda p: _FLAG.get(p, "approx" if p else ""))
    return pd.DataFrame(
        {
            "value": pd.to_numeric(m["num"].str.replace(",", "."), errors="coerce"),
            "pct": m["pct"].notna(),
            "flag": flag.where(~texts.str.casefold().isin(_MISSING), "missing"),
        }
    )


def _figure_column(texts: pd.Series) -> bool:
    """At least half the cells that are not missing are figures, and not all are years."""
    t = texts[~texts.str.casefold().isin(_MISSING)]
    return not _is_year(list(t)) and len(t) > 0 and 2 * _parse(t)["value"].notna().sum() >= len(t)


def _n_value(value: Any, where: str) -> float:
    """A sample size: a positive whole number (``1.316`` and ``1,316`` are 1316)."""
    text = _text(value)
    if text.casefold() in _MISSING:
        return math.nan
    try:
        v = (
            -1.0
            if isinstance(value, bool)
            else float(re.sub(r"(?<=\d)[.,\s\u00a0](?=\d{3}\b)", "", text))
        )
    except ValueError:
        v = -1.0
    if not v.is_integer() or v < 1:
        raise DataError(
            f"{where}: n {text!r} is not a sample size; write it as a positive whole number (761)."
        )
    return v


def _sidecar(spec: Any, path: Path) -> tuple[dict[str, Any], str]:
    from .io.sidecar import find_sidecar, load_yaml

    spec = find_sidecar(path, "published") if spec is None else spec
    if spec is None or spec is False:
        return {}, ""
    if isinstance(spec, Mapping):
        data, where = dict(spec), "codebook="
    else:
        where = str(spec)
        if not Path(spec).is_file():
            raise ConfigError(
                f"{spec}: table sidecar not found; give the path of a .published.yaml file, or "
                "leave codebook= out."
            )
        data = load_yaml(Path(spec), "check the indentation and quotes") or {}
        if not isinstance(data, Mapping):
            raise DataError(f"{spec}: must hold keys such as source:, year:, n:.")
    if unknown := sorted(set(map(str, data)) - _KEYS):
        raise DataError(
            f"{where}: unknown key(s) {', '.join(unknown)}; a table sidecar takes "
            f"{', '.join(sorted(_KEYS))}."
        )
    return dict(data), where


def _refuse(long: pd.DataFrame, mask: Any, what: str, where: str) -> None:
    """A DataError naming the first row of ``long`` where ``mask`` holds."""
    if np.any(mask):
        r = long[np.asarray(mask)].iloc[0]
        raise DataError(f"{where}: row {r['_row']}, column {r['_col']!r}: {r['_text']!r} {what}")


def _long(frame: pd.DataFrame, side: dict, measure: str | None, where: str):
    """One row per figure (``_row``, ``_col``, ``_text``, groups, n, note, parsed cell), the
    grouping columns (a wide table's melted column last), that column and trailing lines."""
    cols, note = list(frame.columns), side.get("note")
    if not cols or frame.empty:
        raise DataError(f"{where}: the table holds no rows; check that it is the table you meant.")
    for name, what in ((measure, "measure"), (note, "note")):
        if name is not None and name not in cols:
            raise ConfigError(
                f"{where}: {what}={name!r} is neither a column of the table "
                f"({', '.join(cols)}) nor 'percent'/'proportion'."
            )
    first = frame[cols[0]]
    empty = frame[cols[1:]].apply(lambda c: c.str.casefold().isin(_MISSING)).all(axis=1)
    trailer = empty & first.map(lambda t: bool(_TRAILER.match(t)))
    n_row = first.str.casefold().isin(_N_NAMES)
    frame = frame.assign(_row=np.arange(len(frame)) + 2)
    body = frame[~(trailer | n_row | (empty & first.eq("")))]
    n_col = next((c for c in cols[1:] if c.casefold() in _N_NAMES), None)
    rest = [c for c in cols[1:] if c not in (n_col, note)]
    figures = [measure] if measure else [c for c in rest if _figure_column(body[c])]
    if not figures:
        raise DataError(
            f"{where}: no column of figures found among {', '.join(cols)}; type the figures as "
            "numbers (88 or 88%)."
        )
    groups = [c for c in cols if c not in figures and c not in (n_col, note)]
    ids = ["_row", *groups, *{n_col, note} - {None}]
    long = body.melt(ids, figures, "_col", "_text").sort_values("_row", kind="stable")
    long = pd.concat(
        [long.reset_index(drop=True), _parse(long["_text"].reset_index(drop=True))], axis=1
    )
    melted = None
    if len(figures) > 1:
        named = side.get("columns_name") or (
            "year" if _is_year([_label(c) for c in figures]) else "group"
        )
        melted, groups = str(named), [*groups, str(named)]
        long[melted] = long["_col"].map(_label)
    ns = frame[n_row]
    column_n = {
        c: _n_value(ns[c].iloc[0], f"{where}: row {ns['_row'].iloc[0]}, column {c!r}")
        for c in figures
        if len(ns)
    }
    n_of = lambda r: _n_value(r[n_col], f"{where}: row {r['_row']}, column {n_col!r}")  # noqa: E731
    long["n"] = long.apply(n_of, axis=1) if n_col else long["_col"].map(column_n).astype(float)
    long["note"] = long[note] if note else ""
    negative = long["_text"].str.fullmatch(r"[-−]\s*\d+([.,]\d+)?\s*%?")
    _refuse(long, negative, "is negative; a share cannot be below 0 — correct the cell.", where)
    _refuse(
        long,
        long["value"].isna() & long["flag"].ne("missing"),
        "is not a figure; write a number (88, 88%, 0,88), '<1%' for a bound, or 'n.b.' / '—' for "
        "a missing figure.",
        where,
    )
    no_group = long[groups].eq("")
    lost = no_group.any(axis=1) & long["flag"].ne("missing")
    if lost.any():
        r = long[lost].iloc[0]
        raise DataError(
            f"{where}: row {r['_row']} has the figure {r['_text']!r} but no "
            f"{no_group[lost].iloc[0].idxmax()!r}; every figure needs its group — fill the cell in "
            "(a merged cell in Excel leaves the rows below it empty) or delete the row."
        )
    long = long[~no_group.any(axis=1)].reset_index(drop=True)
    if long.empty:
        raise DataError(
            f"{where}: the table holds no figures; check that it is the table you meant."
        )
    if (dup := long.duplicated(groups, keep=False)).any():
        a, b = (
            long[dup].iloc[0],
            long[dup & long[groups].eq(long[dup].iloc[0][groups]).all(axis=1)].iloc[1],
        )
        raise DataError(
            f"{where}: rows {a['_row']} and {b['_row']} both give the figure for "
            f"{', '.join(f'{g} {a[g]!r}' for g in groups)}; keep one, or add the column that tells "
            "them apart (year, age band, …)."
        )
    return long, groups, melted, first[trailer].tolist()


def _given_n(long: pd.DataFrame, groups: list[str], spec: Any, where: str) -> None:
    """Set every figure's n from ``n=`` (or the sidecar): one number or ``{group value: n}``."""
    if spec is None:
        return
    if not isinstance(spec, Mapping):
        long["n"] = _n_value(spec, f"{where}: n")
        return
    table = {_text(k): v for k, v in spec.items()}
    for g in groups:
        if set(table) <= set(long[g]):
            hit = long[g].isin(table)
            long.loc[hit, "n"] = [
                _n_value(table[v], f"{where}: n for {g} {v}") for v in long.loc[hit, g]
            ]
            return
    raise ConfigError(
        f"{where}: n= names {', '.join(table)}, which are not all values of one column "
        f"({', '.join(groups)}); give {{value: n}} for one column."
    )


def _scale(long: pd.DataFrame, forced: str | None, where: str) -> str:
    """'percent' or 'proportion': % signs or values over 1 are percentages."""

    def show(rows: pd.DataFrame) -> str:
        return ", ".join(
            f"row {r} {c!r} {t!r}" for r, c, t in rows[["_row", "_col", "_text"]].head(3).values
        )

    plain = long[long["flag"].isin(["", "approx"]) & ~long["pct"]]
    signs = long[long["pct"]]
    if forced == "proportion" and len(signs):
        raise DataError(
            f"{where}: measure='proportion' but {show(signs)} carry a % sign; write all figures "
            "the same way, or leave measure= out."
        )
    if forced:
        return forced
    above, fractional = (
        pd.concat([signs, plain[plain["value"] > 1]]),
        plain[plain["value"].between(0, 1, "neither")],
    )
    if len(above) and len(fractional):
        raise DataError(
            f"{where}: the table mixes percentages ({show(above)}) with proportions "
            f"({show(fractional)}); write every figure as a percentage, or pass "
            "measure='percent' if they all are."
        )
    if len(above):
        return "percent"
    if len(plain):
        warnings.warn(
            f"{where}: every figure lies between 0 and 1; read as proportions (0.5 = 50%). If "
            "they are percentages below 1%, pass measure='percent'.",
            YouthmediaWarning,
            stacklevel=3,
        )
    return "proportion"


def _proportions(long: pd.DataFrame, scale: str, where: str) -> pd.Series:
    """Each figure as a proportion 0–1 (a bound: half way to 0 or 100%), range checked."""
    v, flag = long["value"], long["flag"]
    top = pd.Series(np.where(long["pct"] | (scale == "percent"), 100.0, 1.0), index=long.index)
    over = "is over 100%" if (top[v > top] == 100).any() else "is over 1"
    _refuse(long, v > top, f"{over}; correct the cell (a share cannot exceed the whole).", where)
    wide = ((flag == "below") & (v > 0.05 * top)) | ((flag == "above") & (v < 0.95 * top))
    _refuse(
        long,
        wide,
        "is too wide a bound to draw as one figure (only bounds up to 5% or from 95% are read, "
        "as half way to 0 or 100%); type the figure.",
        where,
    )
    return v.where(flag != "below", v / 2).where(flag != "above", (v + top) / 2) / top


def _labels(long: pd.DataFrame, items: list[str], by: list[str], side: dict) -> tuple[dict, dict]:
    """Set ``long["variable"]``; the labels per language and translated value labels."""
    tr = {
        str(k): {str(a): str(b) for a, b in (v or {}).items()}
        for k, v in (side.get("translations") or {}).items()
    }
    var_of: dict[tuple, str] = {}
    labels: dict[Any, dict[str, str]] = {None: {}, **{lang: {} for lang in tr}}
    for parts, col in zip(
        long[items].itertuples(index=False, name=None), long["_col"], strict=True
    ):
        if parts not in var_of:
            label = f" {_DASH} ".join(parts) or i18n.text_in(side.get("title"), "en") or col
            name = _slug(label)
            while name in var_of.values():
                name += "_"
            var_of[parts], labels[None][name] = name, label
            for lang, table in tr.items():
                labels[lang][name] = f" {_DASH} ".join(table.get(p, p) for p in parts) or label
    long["variable"] = [var_of[p] for p in long[items].itertuples(index=False, name=None)]
    values: dict[str, dict] = {}
    for b in by:
        labels[None][b] = b
        for lang in set(tr) | ({"nl", "en"} if b == "year" else set()):
            table = tr.get(lang, {})
            labels.setdefault(lang, {})[b] = table.get(
                b, {"nl": "Jaar", "en": "Year"}.get(lang, b) if b == "year" else b
            )
            if found := {v: table[v] for v in long[b] if v in table}:
                values.setdefault(lang, {})[b] = found
    return labels, values


def _frame(
    long: pd.DataFrame, items: list[str], by: list[str], labels: dict, level: float
) -> pd.DataFrame:
    """The rows of the Result: estimate, Wilson interval and SE for a simple random sample."""
    est, nn = long["estimate"], long["n"]
    lo, hi = wilson_interval(est.to_numpy(), nn.to_numpy(), level)
    bound = long["flag"].isin(["below", "above"]).to_numpy()
    kind = long["flag"].map(
        {"missing": "missing:", "below": "bound:", "above": "bound:", "approx": "approx:"}
    )
    text = long["_text"].str.replace(";", ",")
    out = pd.DataFrame(
        {
            **{b: long[b] for b in by},
            **{"variable": long["variable"], "category": long["variable"].map(labels)},
            **{"estimate": est, "se": np.sqrt(est * (1 - est) / nn)},
            **{"ci_low": np.where(bound, np.nan, lo), "ci_high": np.where(bound, np.nan, hi)},
            **{"n": nn, "n_eff": nn, "base": nn, "suppressed": False},
            "reason": (kind + text.where(text != "", "empty")).fillna(""),
            **{c: long[c] for c in items},
        }
    )
    for b in by:
        order = list(dict.fromkeys(out[b]))
        if all(re.fullmatch(r"\d+", v) for v in order):
            order.sort(key=int)
        out[b] = pd.Categorical(out[b], categories=order, ordered=True)
    out["category"] = pd.Categorical(out["category"], list(dict.fromkeys(out["category"])), True)
    return out.astype({"n": "int64"}) if out["n"].notna().all() else out


def _source(
    path: Path, side: dict, source: Any, year: Any, trailers: list[str], by_values: list
) -> dict:
    spec = source if source is not None else side.get("source")
    info = dict(spec) if isinstance(spec, Mapping) else {} if spec is None else {"name": str(spec)}
    named = [_SOURCE.sub("", t, count=1) for t in trailers if _SOURCE.match(t)]
    info["name"] = info.get("name") or (named[0] if named else path.stem)
    year = year if year is not None else side.get("year", info.get("year"))
    if year is None:
        years = sorted({v for v in by_values if _is_year([v])})
        year = f"{years[0]}{_DASH}{years[-1]}" if len(years) > 1 else years[0] if years else None
    return {
        **info,
        "year": None if year is None else str(year),
        "path": str(path),
        "sha256": sha256_of(path),
    }


def _published_notes(
    long: pd.DataFrame, groups: list[str], side: dict, info: dict, trailers: list[str]
) -> dict:
    """A secondary source (lead), flagged cells and the note column (cells), own notes (tail)."""
    lead = (
        [_both("secondary", via=f" ({info['via']})" if info.get("via") else "")]
        if info.get("secondary")
        else []
    )
    extra = side.get("notes") or []
    tail = [t for t in trailers if not _SOURCE.match(t)] + (
        [extra] if isinstance(extra, (str, Mapping)) else list(extra)
    )
    tr = side.get("translations") or {}
    cells = []
    for _, r in long[long["flag"].ne("") | long["note"].ne("")].iterrows():
        keys = {g: r[g] for g in groups}
        at = {
            lg: ", ".join((tr.get(lg) or {}).get(v, v) for v in keys.values())
            for lg in ("nl", "en")
        }
        v = f"{100 * r['estimate']:g}%"
        flag = {"above": "below"}.get(r["flag"], r["flag"])
        texts = [_both(flag, t=r["_text"], v={"nl": v.replace(".", ","), "en": v})] if flag else []
        for text in texts + ([_nl_en(r["note"], r["note"])] if r["note"] else []):
            cells.append(
                {"keys": keys, "note": {lg: f"{at[lg]}: {text[lg]}" for lg in ("nl", "en")}}
            )
    return {"lead": lead, "cells": cells, "tail": tail}


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
    """Read a table of published figures (CSV or XLSX) as a :class:`Result`.

    Parameters
    ----------
    path : str or Path
        The table (its layout and cells: see the module docstring).
    measure : str, optional
        ``"percent"`` or ``"proportion"`` (default: from the figures, % signs or values over 1
        are percentages), or the figures' column.
    n : int or dict, optional
        Sample size of every figure, or ``{group value: n}`` (``{2022: 1316, 2023: 1453}``).
    source, year, codebook, item, level : optional
        The source (a name or ``{name, url, via, secondary}``) and year; the sidecar (default
        ``<name>.published.yaml``, ``False``: none); the item column(s) (default the first);
        the level of the Wilson intervals.

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
    p = Path(path)
    (side, side_where), frame = _sidecar(codebook, p), _read(p)
    m = measure if measure is not None else side.get("measure")
    forced = m if m in ("percent", "proportion") else None
    level = float(level if level is not None else side.get("level", 0.95))
    if not 0 < level < 1:
        raise ConfigError(f"level={level!r}; give it as a proportion, e.g. 0.95.")
    long, groups, melted, trailers = _long(frame, side, None if forced else m, str(p))
    _given_n(long, groups, n if n is not None else side.get("n"), side_where or str(p))
    scale = _scale(long, forced, str(p))
    long["estimate"] = _proportions(long, scale, str(p))
    spec = item if item is not None else side.get("item")
    items = [spec] if isinstance(spec, str) else list(spec or groups[:1])
    if set(items) - set(groups) or melted in items:
        raise ConfigError(
            f"{p}: item={spec!r}; the table's grouping columns are {', '.join(g for g in groups if g != melted)}."
        )
    by = [g for g in groups if g not in items]
    labels, values = _labels(long, items, by, side)
    out = _frame(long, items, by, labels[None], level)
    info = _source(p, side, source, year, trailers, [v for b in by for v in long[b]])
    meta = ResultMeta(
        kind="share",
        by=by,
        variables=list(dict.fromkeys(long["variable"])),
        labels=labels,
        value_labels=values,
        level=level,
        source=info,
        published=True,
        percent=True,
        items=items,
        read_as={
            "shape": "wide" if melted else "tidy",
            "scale": scale,
            "items": items,
            "by": by,
            "sidecar": side_where or None,
        },
        published_notes=_published_notes(long, groups, side, info, trailers),
        **{k: side[k] for k in ("population", "title") if side.get(k)},
        **({"measure": "reach"} if side.get("reach") else {}),
    )
    return Result.from_rows(out, _refresh(meta, out))


def _n_phrase(frame: pd.DataFrame, by: list[str]) -> dict[str, str] | None:
    """``n = 761`` or ``n = 1.316 (2022), 1.453 (2023)`` in Dutch and English (None: no n)."""
    known = frame.dropna(subset=["n"])
    if known.empty:
        return None
    distinct = sorted({int(v) for v in known["n"]})
    if len(distinct) == 1:
        return {lg: f"n = {i18n.integer(distinct[0], lg)}" for lg in ("nl", "en")}
    for g in by:
        per = known.groupby(known[g].astype(str), sort=False)["n"].unique()
        if all(len(v) == 1 for v in per) and len(per) <= 6:
            return {
                lg: "n = " + ", ".join(f"{i18n.integer(v[0], lg)} ({k})" for k, v in per.items())
                for lg in ("nl", "en")
            }
    return {
        lg: f"n = {i18n.integer(distinct[0], lg)}–{i18n.integer(distinct[-1], lg)}"
        for lg in ("nl", "en")
    }


def _refresh(meta: ResultMeta, frame: pd.DataFrame) -> ResultMeta:
    """Set what follows from a published Result's rows: n_total, design, ci, source_note, notes."""
    pub, by, known = meta.published_notes, list(meta.by), frame["n"].dropna()
    if known.empty:
        n_total = None
    elif known.nunique() == 1 or not by:
        n_total = int(known.max())
    else:
        n_total = int(frame.dropna(subset=["n"]).groupby(by, observed=True)["n"].max().sum())
    phrase = _n_phrase(frame, by + [c for c in meta.items if c in frame.columns])
    if phrase is None:
        interval, design, note, ci = [_both("no_n")], _both("no_n_design"), _both("no_n_source"), ""
    else:
        srs = _both("srs", n=phrase)
        interval = [_both("interval", pct=round(100 * float(meta.level)), srs=srs)]
        interval += [_both("some_n")] if len(known) < len(frame) else []
        design, note, ci = (
            _both("design", srs=srs),
            _both("source_note", srs=srs),
            i18n.both("ci_wilson_srs"),
        )
    chosen = {**meta.selection, **meta.items_chosen}
    cells = [
        c["note"]
        for c in pub["cells"]
        if all(str(c["keys"].get(k, v)) == str(v) for k, v in chosen.items())
    ]
    notes = pub["lead"] + interval + cells + pub["tail"]
    return meta.replace(n_total=n_total, design=design, ci=ci, source_note=note, notes=notes)


def select(result: Result, **groups: Any) -> Result:
    """The rows of one group (``year=2023``) or item (``platform="TikTok"``) of a published
    table, its notes true to the rows it keeps (:meth:`Result.select` for any other Result).

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
            raise ConfigError(
                f"No figures for {items}; the items are {', '.join(dict.fromkeys(out['category'].astype(str)))}."
            )
        rows = pd.DataFrame(out)[keep].reset_index(drop=True)
        out = Result.from_rows(rows, out.meta, items_chosen={**out.meta.items_chosen, **items})
    return out.with_meta(_refresh(out.meta, out)) if out.meta.published_notes else out


def is_published_table(path: str | Path) -> bool:
    """Whether ``path`` holds published figures rather than respondent data: a sidecar
    ``.published.yaml`` beside it, or a small CSV/XLSX that :func:`load_table` reads whose
    figures say they are per cents (a "%" in the cells, or a header naming them).

    Examples
    --------
    >>> is_published_table("data/youth_social_media_demo.sav")
    False
    """
    from .io.forms import detect_forms
    from .io.sidecar import find_sidecar

    p = Path(path)
    if p.suffix.lower() not in (".csv", ".tsv", ".txt", ".xlsx", ".xlsm") or not p.is_file():
        return False
    if find_sidecar(p, "published") is not None:
        return True
    try:
        if p.stat().st_size > 200_000:
            return False
        frame = _read(p)
        if len(frame) > 500 or frame.shape[1] > 40 or detect_forms(list(frame.columns)):
            return False
        cells = frame.stack()
        cells = cells[cells.ne("")]
        signed = len(cells) and cells.str.fullmatch(r"-?\d+(?:[.,]\d+)?\s*%").mean() >= 0.3
        named = any(re.search(r"%|percent|procent", str(c), re.I) for c in frame.columns)
        if not (signed or named):  # figures say they are per cents, in the cells or a header
            return False
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", YouthmediaWarning)
            load_table(p)
    except (YouthmediaError, OSError, ValueError):
        return False
    return True
