"""The codebook of a survey as text, Markdown, CSV or JSON (``youthmedia describe FILE``).

>>> import pandas as pd
>>> import youthmedia as ym
>>> s = ym.Survey(pd.DataFrame({"age": [13, 14, None]}))
>>> print(render(s, lang="en").splitlines()[0])
data — 3 respondents × 1 variable
"""

from __future__ import annotations

import json
import math
import textwrap
from typing import Any

import pandas as pd

from . import i18n
from .errors import ConfigError, YouthmediaError
from .privacy import gate, identifying_text
from .survey import Survey

__all__ = ["render", "summary"]

FORMATS = ("text", "markdown", "csv", "json")

_PAIRS = {  # key: "Dutch | English"
    "respondents": "respondenten | respondents",
    "variable": "variabele | variable",
    "variables": "variabelen | variables",
    "file": "Bestand | File",
    "reader": "Gelezen als | Read as",
    "file_label": "Bestandslabel | File label",
    "encoding": "Codering | Encoding",
    "weight": "Weegvariabele | Weight variable",
    "no_weight": "geen (ongewogen) | none (unweighted)",
    "weight_hint": "herkend; elke schatting weegt ermee (--no-design: ongewogen) | recognised; every estimate uses it (--no-design: unweighted)",
    "weighting": "Weging | Weighting",
    "weights_line": "effectieve n {n_eff} van {n} (design-effect {deff}), CV {cv}, min–max {lo}–{hi}, {above} boven {k}× de mediaan | effective n {n_eff} of {n} (design effect {deff}), CV {cv}, min–max {lo}–{hi}, {above} above {k}× the median",
    "design": "Steekproefdesign | Sampling design",
    "strata": "strata {v} | strata {v}",
    "psu": "clusters (PSU) {v} | clusters (PSUs) {v}",
    "replicate": "replicaatgewichten {v} | replicate weights {v}",
    "role": "rol | role",
    "grouping": "uitsplitsing | breakdown",
    "not_counted": "niet meegeteld | not counted",
    "sheet": "blad {v} | sheet {v}",
    "delimiter": "scheidingsteken {v} | delimiter {v}",
    "decimal": "decimaalteken {v} | decimal mark {v}",
    "not_respondents": "{h} kopregel(s) en {t} totaalregel(s) niet als respondent geteld | {h} header row(s) and {t} total row(s) not counted as respondents",
    "dataset": "Dataset | Dataset",
    "name": "naam | name",
    "label": "label | label",
    "type": "type | type",
    "measure": "niveau | measure",
    "missing": "ontbr. | missing",
    "pct_missing": "% ontbrekend | % missing",
    "value_labels": "waardelabels | value labels",
    "missing_codes": "ontbrekend-codes | missing codes",
    "group": "groep | group",
    "mr_sets": "Meerkeuzesets (meer antwoorden mogelijk) | Multiple-response sets",
    "dichotomy": "dichotoom, telt {v} | dichotomy, counts {v}",
    "category": "categorieën | categories",
    "groups": "Vraaggroepen | Question groups",
    "identifying": "Identificerende kolommen (niet delen) | Identifying columns (do not share)",
    "none": "geen | none",
    "more": "… ({n} in totaal) | … ({n} in all)",
    "unconverted": "Niet om te zetten datums (gemaakt tot ontbrekend) | Dates that could not be converted (made missing)",
}
_S = {k: dict(zip(("nl", "en"), v.split(" | "), strict=True)) for k, v in _PAIRS.items()}
_s = i18n.translator(_S, "youthmedia.describe")


def _names(keys: str, nl: str, en: str) -> dict[str, dict[str, str]]:
    return {
        lang: dict(zip(keys.split(), words.split("|"), strict=True))
        for lang, words in (("nl", nl), ("en", en))
    }


_TYPES = _names(
    "numeric string date datetime time",
    "getal|tekst|datum|datum+tijd|tijd",
    "number|text|date|datetime|time",
)
_MEASURES = _names(
    "nominal ordinal scale unknown", "nominaal|ordinaal|schaal|–", "nominal|ordinal|scale|–"
)
_ROLES = _names(
    "identifier text choice scale multi number date design gender age class wave weight strata "
    "psu fpc replicate",
    "identificatie|open tekst|keuzevraag|antwoordschaal|meer antwoorden mogelijk|getal|datum/tijd|"
    "steekproefdesign|geslacht|leeftijd|klas/school|meting|weging|strata|cluster (PSU)|"
    "populatiegrootte|replicaatgewicht",
    "identifier|free text|single choice|answer scale|multiple answers|number|date/time|design|"
    "gender|age|class/school|wave|weight|strata|cluster (PSU)|population size|replicate weight",
)
_READERS = {"spss": "SPSS", "stata": "Stata", "csv": "CSV", "excel": "Excel", "forms": "Forms"}
_FORMS = {"microsoft": "Microsoft Forms", "google": "Google Forms"}


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)


def _variable(survey: Survey, name: str, in_set: dict[str, str], lang: str) -> dict[str, Any]:
    var, col = survey.codebook.get(name), survey.data[name]
    n_missing = int(col.isna().sum())
    why = identifying_text(var.identifying_reason or "codebook", lang)
    return {
        "name": name,
        "label": var.label_in(lang) if var.label or var.translations else "",
        "type": var.type,
        "measure": var.measure,
        "format": var.format,
        "n_missing": n_missing,
        "pct_missing": (n_missing / len(col)) if len(col) else None,
        "value_labels": []  # they may be the pupils' names
        if var.identifying
        else [[_plain(k), v] for k, v in var.value_labels_in(lang).items()],
        "missing_values": [_plain(m) for m in var.missing_values],
        "missing_ranges": [[_plain(lo), _plain(hi)] for lo, hi in var.missing_ranges],
        "missing_counts": {k: int(v) for k, v in var.missing_counts.items()},
        "group": var.group or "",
        "mr_set": in_set.get(name, ""),
        "identifying": bool(var.identifying),
        "identifying_reason": i18n.reason(why, lang) if var.identifying else "",
        "categorical": isinstance(col.dtype, pd.CategoricalDtype),
        "role": var.role or "",
        "group_role": var.group_role or "",
        "design_role": var.design_role or "",
        "excluded_answers": list(var.excluded_answers or []),
    }


def summary(survey: Survey, lang: str = "nl") -> dict[str, Any]:
    """Everything ``describe`` shows, as plain Python data (the JSON format)."""
    lang = i18n.check_lang(lang)
    cb, src = survey.codebook, survey.source
    in_set = {v: s.name for s in cb.mr_sets.values() for v in s.variables}
    variables = [_variable(survey, name, in_set, lang) for name in survey.columns]
    sets = [
        {
            "name": s.name,
            "label": s.label_in(lang),
            "kind": s.kind,
            "counted_value": _plain(s.counted_value),
            "variables": list(s.variables),
        }
        for s in cb.mr_sets.values()
    ]
    return {
        "file": src.path,
        "name": src.display_name,
        "dataset": src.name,
        "year": src.year,
        "reader": src.reader,
        "options": {
            k: v if isinstance(v, (dict, list)) else _plain(v) for k, v in src.options.items()
        },
        "sha256": src.sha256,
        "file_label": cb.file_label,
        "encoding": cb.encoding or src.options.get("encoding"),
        "n_rows": survey.n,
        "n_variables": len(survey.columns),
        "weight": cb.weight,
        "design": _design_text(survey, lang),
        "variables": variables,
        "mr_sets": sets,
        "groups": {g: list(m) for g, m in cb.groups.items()},
        "identifying": [
            {"name": v["name"], "reason": v["identifying_reason"]}
            for v in variables
            if v["identifying"]
        ],
        "weights_summary": _weights_summary(survey),
    }


def _weights_summary(survey: Survey) -> dict[str, Any] | None:
    if (survey.design is None or not survey.design.weight) and not (
        survey.codebook.weight and survey.codebook.weight in survey.data.columns
    ):
        return None
    try:
        return {k: _plain(v) for k, v in survey.weights_summary().items()}
    except YouthmediaError:
        return None


def _design_text(survey: Survey, lang: str) -> str | None:
    """The strata, clusters and replicate weights the estimates use, in ``lang``."""
    design, parts = survey.design, []
    if getattr(design, "strata", None):
        parts.append(_s("strata", lang, v=design.strata))
    if getattr(design, "cluster", None):
        parts.append(_s("psu", lang, v=" > ".join(design.cluster)))
    reps = [v.name for v in survey.codebook if v.design_role == "replicate"]
    if reps:
        parts.append(_s("replicate", lang, v=f"{reps[0]} … ({len(reps)})"))
    return "; ".join(parts) or None


def _missing_text(v: dict[str, Any], lang: str) -> str:
    counts = v["missing_counts"]
    keys = [str(m) for m in v["missing_values"]] + [f"{lo}..{hi}" for lo, hi in v["missing_ranges"]]
    return ", ".join(
        (k or '""') + (f" ({i18n.integer(counts[k], lang)})" if k in counts else "") for k in keys
    )


def _header_lines(info: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    opts, rows = info["options"], []
    if info["file"]:
        rows.append((_s("file", lang), info["file"]))
    reader = _FORMS.get(opts.get("forms"), _READERS.get(info["reader"], info["reader"]))
    skipped = opts.get("rows_not_respondents")
    detail = [
        opts.get("format") and "." + str(opts["format"]),
        opts.get("sheet") and _s("sheet", lang, v=repr(opts["sheet"])),
        opts.get("delimiter")
        and _s("delimiter", lang, v={"\t": "tab"}.get(opts["delimiter"], repr(opts["delimiter"]))),
        opts.get("decimal") and _s("decimal", lang, v=repr(opts["decimal"])),
        skipped and _s("not_respondents", lang, h=skipped["header"], t=skipped["total"]),
        opts.get("bom") and "BOM",
        opts.get("codebook") and f"codebook {opts['codebook']}",
    ]
    detail = [d for d in detail if d]
    rows.append((_s("reader", lang), reader + (f" ({', '.join(detail)})" if detail else "")))
    if info["dataset"] or info["year"]:
        rows.append(
            (_s("dataset", lang), " ".join(x for x in (info["dataset"], info["year"]) if x))
        )
    for key in ("file_label", "encoding"):
        if info[key]:
            rows.append((_s(key, lang), str(info[key])))
    w = info["weight"]
    rows.append(
        (_s("weight", lang), f"{w} — {_s('weight_hint', lang)}" if w else _s("no_weight", lang))
    )
    if info["design"]:
        rows.append((_s("design", lang), info["design"]))
    ws = info.get("weights_summary")
    if ws:
        keys = {"n_eff": "n_eff", "deff": "deff", "cv": "cv", "lo": "min", "hi": "max"}
        nums = {k: i18n.number(ws[w], lang, 2) for k, w in keys.items()}
        above = i18n.percent(ws["share_above_k_median"], lang, 1)
        n = i18n.integer(ws["n"], lang)
        line = _s("weights_line", lang, **nums, n=n, above=above, k=f"{ws['k']:g}")
        rows.append((_s("weighting", lang), line))
    if info["sha256"]:
        rows.append(("SHA-256", info["sha256"]))
    return rows


def _title(info: dict[str, Any], lang: str) -> str:
    nv = info["n_variables"]
    return (
        f"{info['name']} — {i18n.integer(info['n_rows'], lang)} {_s('respondents', lang)} × "
        f"{i18n.integer(nv, lang)} {_s('variable' if nv == 1 else 'variables', lang)}"
    )


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _values_text(pairs: list[list[Any]], lang: str, limit: int = 12) -> str:
    shown = [lab if str(k) == str(lab) else f"{k} = {lab}" for k, lab in pairs[:limit]]
    return " · ".join(shown + ([_s("more", lang, n=len(pairs))] if len(pairs) > limit else []))


def _role_text(v: dict[str, Any], lang: str) -> str:
    names = _ROLES[lang]
    text = f"{_s('role', lang)}: {names.get(v['role'], v['role'])}"
    for key, head in (("group_role", "grouping"), ("design_role", "design")):
        if v[key]:
            text += f" · {_s(head, lang)}: {names.get(v[key], v[key])}"
    if v["excluded_answers"]:
        text += f" · {_s('not_counted', lang)}: " + ", ".join(v["excluded_answers"])
    return text


def _sections(info: dict[str, Any], lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The closing sections: a heading and (line, continuation) pairs."""
    sets = [
        (f"{s['name']} ({_s(s['kind'], lang, v=s['counted_value'])}): {s['label']}", s)
        for s in info["mr_sets"]
    ]
    ids = [(f"{i['name']} — {i['reason']}", "") for i in info["identifying"]]
    dates = (info["options"].get("unconverted_dates") or {}).items()
    out = [
        ("mr_sets", [(head, ", ".join(s["variables"])) for head, s in sets]),
        ("groups", [(f"{g}: {', '.join(m)}", "") for g, m in info["groups"].items()]),
        ("identifying", ids or [(_s("none", lang), "")]),
        ("unconverted", [(f"{n}: {i18n.integer(k, lang)}", "") for n, k in dates]),
    ]
    return [(_s(key, lang), items) for key, items in out if items]


def _text(info: dict[str, Any], lang: str, width: int) -> str:
    def wrap(text: str, first: str, rest: str) -> list[str]:
        return textwrap.wrap(text, width, initial_indent=first, subsequent_indent=rest)

    rows = _header_lines(info, lang)
    key_w = max(len(k) for k, _v in rows)
    out = [_title(info, lang), ""]
    for k, v in rows:
        out += wrap(f"{k + ':':<{key_w + 1}} {v}", "", " " * (key_w + 2)) or [""]
    names = [v["name"] for v in info["variables"]] or [""]
    name_w = min(max(len(_s("name", lang)), *(len(n) for n in names)), 24)
    label_w = max(width - name_w - 31, 20)  # type 10, measure 9, missing 7, 5 spaces
    head = (
        f"{_s('name', lang):<{name_w}} {_s('label', lang):<{label_w}} "
        f"{_s('type', lang):<10} {_s('measure', lang):<9} {_s('missing', lang):>7}"
    )
    out += ["", head, "─" * min(width, len(head))]
    indent = " " * (name_w + 1)
    for v in info["variables"]:
        group = v["mr_set"] or v["group"]
        label = v["label"] + (f"  [{group}]" if group else "")
        out.append(
            f"{_cut(v['name'], name_w):<{name_w}} {_cut(label, label_w):<{label_w}} "
            f"{_TYPES[lang].get(v['type'], v['type']):<10} "
            f"{_MEASURES[lang].get(v['measure'], v['measure']):<9} "
            f"{i18n.percent(v['pct_missing'], lang, 1):>7}"
        )
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

    out = [f"# {cell(_title(info, lang))}", ""]
    out += [f"- **{k}:** {cell(v)}" for k, v in _header_lines(info, lang)]
    cols = "name label type measure pct_missing value_labels missing_codes group".split()
    out += ["", "| " + " | ".join(_s(c, lang) for c in cols) + " |", "|" + "---|" * len(cols)]
    for v in info["variables"]:
        cells = [
            f"`{v['name']}`",
            v["label"],
            _TYPES[lang].get(v["type"], v["type"]),
            _MEASURES[lang].get(v["measure"], v["measure"]),
            i18n.percent(v["pct_missing"], lang, 1),
            "; ".join(f"{k} = {lab}" for k, lab in v["value_labels"]),
            _missing_text(v, lang),
            v["mr_set"] or v["group"],
        ]
        out.append("| " + " | ".join(cell(c) for c in cells) + " |")
    for heading, items in _sections(info, lang):
        out += ["", f"## {heading}", ""]
        out += [f"- {cell(line)}" + (f" — {cell(more)}" if more else "") for line, more in items]
    return "\n".join(out) + "\n"


def _csv(survey: Survey, info: dict[str, Any]) -> str:
    frame = survey.codebook.to_frame()
    by = {v["name"]: v for v in info["variables"]}
    v = [by.get(n, {}) for n in frame["name"]]
    frame["label"] = [x.get("label", "") for x in v]
    frame["value_labels"] = [
        "; ".join(f"{k} = {lab}" for k, lab in x.get("value_labels", [])) for x in v
    ]
    frame["n_missing"] = [x.get("n_missing") for x in v]
    frame["pct_missing"] = [
        None if x.get("pct_missing") is None else round(100 * x["pct_missing"], 2) for x in v
    ]
    frame["identifying_reason"] = [x.get("identifying_reason", "") for x in v]
    # a field a spreadsheet could run as a formula (=HYPERLINK(...)) is shown as text
    formula = ("=", "+", "-", "@", "\t", "\r")
    return frame.map(
        lambda c: "'" + c if isinstance(c, str) and c.startswith(formula) else c
    ).to_csv(index=False, lineterminator="\n")


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
    else:
        out = {"markdown": _markdown, "text": lambda i, lg: _text(i, lg, width)}.get(
            fmt, lambda i, _lg: _csv(survey, i)
        )(info, lang)
    gate([out], f"describe of {survey.source.path or 'the survey'}", [survey])  # the privacy gate
    return out
