"""The codebook of a survey as text, Markdown, CSV or JSON (``youthmedia describe FILE``)."""

from __future__ import annotations

import json
import math
import textwrap
from typing import Any

from . import i18n
from .errors import ConfigError, YouthmediaError
from .privacy import gate, identifying_text
from .survey import Survey

__all__ = ["render", "summary"]

FORMATS = ("text", "markdown", "csv", "json")
_READERS = {"spss": "SPSS", "stata": "Stata", "csv": "CSV", "excel": "Excel", "forms": "Forms"}
_READERS |= {"microsoft": "Microsoft Forms", "google": "Google Forms"}


def _s(key: str, lang: str, **fields: Any) -> str:
    return i18n.t(f"d_{key}", lang, **fields)


def _name(kind: str, value: str, lang: str) -> str:
    """A type, measure or role (``kind``) in ``lang``."""
    return _s(f"{kind}_{value}", lang) if f"d_{kind}_{value}" in i18n.STRINGS else value


def _plain(value: Any) -> Any:
    value = value.item() if hasattr(value, "item") and not isinstance(value, str) else value
    if isinstance(value, float) and math.isnan(value):
        return None
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)


def _variable(survey: Survey, name: str, in_set: dict[str, str], lang: str) -> dict[str, Any]:
    var, col = survey.codebook.get(name), survey.data[name]
    n_missing = int(col.isna().sum())
    why = i18n.reason(identifying_text(var.identifying_reason or "codebook", lang), lang)
    labels = {} if var.identifying else var.value_labels_in(lang)  # they may be pupils' names
    return {
        "name": name,
        "label": var.label_in(lang) if var.label or var.translations else "",
        **{k: getattr(var, k) for k in ("type", "measure", "format")},
        "n_missing": n_missing,
        "pct_missing": (n_missing / len(col)) if len(col) else None,
        "value_labels": [[_plain(k), v] for k, v in labels.items()],
        "missing_values": [_plain(m) for m in var.missing_values],
        "missing_ranges": [[_plain(lo), _plain(hi)] for lo, hi in var.missing_ranges],
        "missing_counts": {k: int(v) for k, v in var.missing_counts.items()},
        "group": var.group or "",
        "mr_set": in_set.get(name, ""),
        "identifying": bool(var.identifying),
        "identifying_reason": why if var.identifying else "",
        "categorical": col.dtype == "category",
        **{k: getattr(var, k) or "" for k in ("role", "group_role", "design_role")},
        "excluded_answers": list(var.excluded_answers or []),
    }


def summary(survey: Survey, lang: str = "nl") -> dict[str, Any]:
    """Everything ``describe`` shows, as plain Python data (the JSON format)."""
    lang = i18n.check_lang(lang)
    cb, src = survey.codebook, survey.source
    in_set = {v: s.name for s in cb.mr_sets.values() for v in s.variables}
    variables = [_variable(survey, name, in_set, lang) for name in survey.columns]
    ids, opts = [v for v in variables if v["identifying"]], src.options
    sets = [
        {"name": s.name, "label": s.label_in(lang), "kind": s.kind}
        | {"counted_value": _plain(s.counted_value), "variables": list(s.variables)}
        for s in cb.mr_sets.values()
    ]
    design, reps = survey.design, [v.name for v in cb if v.design_role == "replicate"]
    design_parts = [  # the strata, clusters and replicate weights the estimates use
        getattr(design, "strata", None) and _s("strata", lang, v=design.strata),
        getattr(design, "cluster", None) and _s("psu", lang, v=" > ".join(design.cluster)),
        reps and _s("replicate", lang, v=f"{reps[0]} … ({len(reps)})"),
    ]
    weighted = design is not None and design.weight
    try:
        ws = survey.weights_summary() if weighted or cb.weight in survey.data else None
    except YouthmediaError:
        ws = None
    return {
        "file": src.path,
        "name": src.display_name,
        "dataset": src.name,
        "year": src.year,
        "reader": src.reader,
        "options": {k: v if isinstance(v, (dict, list)) else _plain(v) for k, v in opts.items()},
        "sha256": src.sha256,
        "file_label": cb.file_label,
        "encoding": cb.encoding or src.options.get("encoding"),
        "n_rows": survey.n,
        "n_variables": len(survey.columns),
        "weight": cb.weight,
        "design": "; ".join(p for p in design_parts if p) or None,
        "variables": variables,
        "mr_sets": sets,
        "groups": {g: list(m) for g, m in cb.groups.items()},
        "identifying": [{"name": v["name"], "reason": v["identifying_reason"]} for v in ids],
        "weights_summary": None if ws is None else {k: _plain(v) for k, v in ws.items()},
    }


def _missing_text(v: dict[str, Any], lang: str) -> str:
    counts = v["missing_counts"]
    keys = [str(m) for m in v["missing_values"]] + [f"{lo}..{hi}" for lo, hi in v["missing_ranges"]]
    return ", ".join(
        (k or '""') + (f" ({i18n.integer(counts[k], lang)})" if k in counts else "") for k in keys
    )


def _head(info: dict[str, Any], lang: str) -> tuple[str, list[tuple[str, str]]]:
    """The title, and the (key, value) lines on the file, how it was read, weight and design."""
    opts, skipped = info["options"], info["options"].get("rows_not_respondents")
    delimiter = {"\t": "tab"}.get(opts.get("delimiter"), repr(opts.get("delimiter")))
    detail = [
        opts.get("format") and "." + str(opts["format"]),
        opts.get("sheet") and _s("sheet", lang, v=repr(opts["sheet"])),
        opts.get("delimiter") and _s("delimiter", lang, v=delimiter),
        opts.get("decimal") and _s("decimal", lang, v=repr(opts["decimal"])),
        skipped and _s("not_respondents", lang, h=skipped["header"], t=skipped["total"]),
        opts.get("bom") and "BOM",
        opts.get("codebook") and f"codebook {opts['codebook']}",
    ]
    detail = ", ".join(d for d in detail if d)
    reader = _READERS.get(opts.get("forms") or info["reader"], info["reader"])
    w, ws, nv = info["weight"], info["weights_summary"], info["n_variables"]
    rows = [
        ("file", info["file"]),
        ("reader", reader + (f" ({detail})" if detail else "")),
        ("dataset", " ".join(x for x in (info["dataset"], info["year"]) if x)),
        ("file_label", info["file_label"]),
        ("encoding", info["encoding"]),
        ("weight", f"{w} — {_s('weight_hint', lang)}" if w else _s("no_weight", lang)),
        ("design", info["design"]),
    ]
    if ws:
        keys = {"n_eff": "n_eff", "deff": "deff", "cv": "cv", "lo": "min", "hi": "max"}
        nums = {k: i18n.number(ws[w], lang, 2) for k, w in keys.items()}
        above, n = i18n.percent(ws["share_above_k_median"], lang, 1), i18n.integer(ws["n"], lang)
        line = _s("weights_line", lang, **nums, n=n, above=above, k=f"{ws['k']:g}")
        rows.append(("weighting", line))
    rows = [(_s(k, lang), str(v)) for k, v in rows if v]
    title = (
        f"{info['name']} — {i18n.integer(info['n_rows'], lang)} {_s('respondents', lang)} × "
        f"{i18n.integer(nv, lang)} {_s('variable' if nv == 1 else 'variables', lang)}"
    )
    return title, rows + ([("SHA-256", info["sha256"])] if info["sha256"] else [])


def _values(pairs: list[list[Any]]) -> str:
    return "; ".join(f"{k} = {lab}" for k, lab in pairs)


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _values_text(pairs: list[list[Any]], lang: str, limit: int = 12) -> str:
    shown = [lab if str(k) == str(lab) else f"{k} = {lab}" for k, lab in pairs[:limit]]
    return " · ".join(shown + ([_s("more", lang, n=len(pairs))] if len(pairs) > limit else []))


def _role_text(v: dict[str, Any], lang: str) -> str:
    heads = {"role": "role", "group_role": "grouping", "design_role": "design"}
    parts = [f"{_s(h, lang)}: {_name('role', v[k], lang)}" for k, h in heads.items() if v[k]]
    excluded = [f"{_s('not_counted', lang)}: " + ", ".join(v["excluded_answers"])]
    return " · ".join(parts + (excluded if v["excluded_answers"] else []))


def _sections(info: dict[str, Any], lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The closing sections: a heading and (line, continuation) pairs."""
    sets = []
    for s in info["mr_sets"]:
        kind = _s(s["kind"], lang, v=s["counted_value"])
        sets.append((f"{s['name']} ({kind}): {s['label']}", ", ".join(s["variables"])))
    ids = [(f"{i['name']} — {i['reason']}", "") for i in info["identifying"]]
    dates = (info["options"].get("unconverted_dates") or {}).items()
    out = [
        ("mr_sets", sets),
        ("groups", [(f"{g}: {', '.join(m)}", "") for g, m in info["groups"].items()]),
        ("identifying", ids or [(_s("none", lang), "")]),
        ("unconverted", [(f"{n}: {i18n.integer(k, lang)}", "") for n, k in dates]),
    ]
    return [(_s(key, lang), items) for key, items in out if items]


def _text(info: dict[str, Any], lang: str, width: int) -> str:
    def wrap(text: str, first: str, rest: str) -> list[str]:
        return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest)

    title, rows = _head(info, lang)
    key_w = max(len(k) for k, _v in rows)
    out = [title, ""]
    for k, v in rows:
        out += wrap(f"{k + ':':<{key_w + 1}} {v}", "", " " * (key_w + 2))
    name_w = min(max([len(_s("name", lang))] + [len(v["name"]) for v in info["variables"]]), 24)
    label_w = max(width - name_w - 31, 20)  # type 10, measure 9, missing 7, 5 spaces

    def row(name: str, label: str, kind: str, measure: str, missing: str) -> str:
        return f"{_cut(name, name_w):<{name_w}} {_cut(label, label_w):<{label_w}} {kind:<10} {measure:<9} {missing:>7}"

    head = row(*(_s(k, lang) for k in ("name", "label", "type", "measure", "missing")))
    out += ["", head, "─" * min(width, len(head))]
    indent = " " * (name_w + 1)
    for v in info["variables"]:
        group = v["mr_set"] or v["group"]
        label = v["label"] + (f"  [{group}]" if group else "")
        kind, measure = _name("type", v["type"], lang), _name("measure", v["measure"], lang)
        out.append(row(v["name"], label, kind, measure, i18n.percent(v["pct_missing"], lang, 1)))
        miss = _missing_text(v, lang)
        for line in (
            v["value_labels"] and _values_text(v["value_labels"], lang),
            miss and f"{_s('missing_codes', lang)}: {miss}",
            v["role"] and _role_text(v, lang),
        ):
            out += wrap(line, indent, indent + "  ") if line else []
    for heading, items in _sections(info, lang):
        out += ["", heading]
        for line, more in items:
            out += wrap(line, "  ", "    ") + (wrap(more, "    ", "    ") if more else [])
    return "\n".join(out)


def _markdown(info: dict[str, Any], lang: str) -> str:
    def cell(text: Any) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    title, rows = _head(info, lang)
    out = [f"# {cell(title)}", ""] + [f"- **{k}:** {cell(v)}" for k, v in rows]
    cols = "name label type measure pct_missing value_labels missing_codes group".split()
    out += ["", "| " + " | ".join(_s(c, lang) for c in cols) + " |", "|" + "---|" * len(cols)]
    for v in info["variables"]:
        cells = [v["label"], _name("type", v["type"], lang), _name("measure", v["measure"], lang)]
        cells += [i18n.percent(v["pct_missing"], lang, 1), _values(v["value_labels"])]
        cells += [_missing_text(v, lang), v["mr_set"] or v["group"]]
        out.append(f"| `{v['name']}` | " + " | ".join(cell(c) for c in cells) + " |")
    for heading, items in _sections(info, lang):
        out += ["", f"## {heading}", ""]
        out += [f"- {cell(line)}" + (f" — {cell(more)}" if more else "") for line, more in items]
    return "\n".join(out) + "\n"


def _csv(survey: Survey, info: dict[str, Any]) -> str:
    from .export import escape_cell  # a field a spreadsheet could run as a formula

    frame, by = survey.codebook.to_frame(), {v["name"]: v for v in info["variables"]}
    v = [by.get(n, {}) for n in frame["name"]]
    frame["label"] = [x.get("label", "") for x in v]
    frame["value_labels"] = [_values(x.get("value_labels", [])) for x in v]
    frame["n_missing"] = [x.get("n_missing") for x in v]
    frame["pct_missing"] = [x.get("pct_missing") and round(100 * x["pct_missing"], 2) for x in v]
    frame["identifying_reason"] = [x.get("identifying_reason", "") for x in v]
    return frame.map(escape_cell).to_csv(index=False, lineterminator="\n")


def render(survey: Survey, fmt: str = "text", lang: str = "nl", width: int = 100) -> str:
    """The codebook of ``survey`` as a string.

    Parameters
    ----------
    survey : Survey
    fmt : {"text", "markdown", "csv", "json"}
        ``text`` fits ``width`` columns; ``csv``: one row per variable; ``json``: :func:`summary`.
    lang : {"nl", "en"}
        Language of headings, and of labels where the codebook has translations.

    Examples
    --------
    >>> import pandas as pd, youthmedia as ym
    >>> print(render(ym.Survey(pd.DataFrame({"x": [1]})), fmt="csv").splitlines()[0][:20])
    name,label,type,meas
    """
    if fmt not in FORMATS:
        raise ConfigError(f"Unknown format {fmt!r}; use one of {', '.join(FORMATS)}.")
    lang = i18n.check_lang(lang)
    info = summary(survey, lang)
    if fmt == "json":
        out = json.dumps(info, ensure_ascii=False, indent=2, default=str)
    elif fmt == "csv":
        out = _csv(survey, info)
    else:
        out = _text(info, lang, width) if fmt == "text" else _markdown(info, lang)
    gate([out], f"describe of {survey.source.path or 'the survey'}", [survey])  # the privacy gate
    return out
