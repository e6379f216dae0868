"""The codebook of a survey as text for the terminal, Markdown, CSV or JSON.

This is what ``youthmedia describe FILE`` prints: the file, its size, every variable with its
label, type, measurement level, share missing and value labels, the user-missing codes and
what they excluded, question groups, multiple-response sets, the declared weight and the
columns that can identify a respondent.

Examples
--------
>>> import pandas as pd
>>> import youthmedia as ym
>>> from youthmedia.describe import render
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

_S = {
    "respondents": {"nl": "respondenten", "en": "respondents"},
    "variable": {"nl": "variabele", "en": "variable"},
    "variables": {"nl": "variabelen", "en": "variables"},
    "file": {"nl": "Bestand", "en": "File"},
    "reader": {"nl": "Gelezen als", "en": "Read as"},
    "file_label": {"nl": "Bestandslabel", "en": "File label"},
    "encoding": {"nl": "Codering", "en": "Encoding"},
    "weight": {"nl": "Weegvariabele", "en": "Weight variable"},
    "no_weight": {"nl": "geen (ongewogen)", "en": "none (unweighted)"},
    "weight_hint": {
        "nl": "herkend; elke schatting weegt ermee (--no-design: ongewogen)",
        "en": "recognised; every estimate uses it (--no-design: unweighted)",
    },
    "design": {"nl": "Steekproefdesign", "en": "Sampling design"},
    "strata": {"nl": "strata {v}", "en": "strata {v}"},
    "psu": {"nl": "clusters (PSU) {v}", "en": "clusters (PSUs) {v}"},
    "fpc": {"nl": "eindige-populatiecorrectie {v}", "en": "finite population correction {v}"},
    "replicate": {"nl": "replicaatgewichten {v}", "en": "replicate weights {v}"},
    "role": {"nl": "rol", "en": "role"},
    "grouping": {"nl": "uitsplitsing", "en": "breakdown"},
    "not_counted": {"nl": "niet meegeteld", "en": "not counted"},
    "sheet": {"nl": "blad {v}", "en": "sheet {v}"},
    "delimiter": {"nl": "scheidingsteken {v}", "en": "delimiter {v}"},
    "decimal": {"nl": "decimaalteken {v}", "en": "decimal mark {v}"},
    "not_respondents": {
        "nl": "{h} kopregel(s) en {t} totaalregel(s) niet als respondent geteld",
        "en": "{h} header row(s) and {t} total row(s) not counted as respondents",
    },
    "dataset": {"nl": "Dataset", "en": "Dataset"},
    "detected": {"nl": "Herkend", "en": "Detected"},
    "name": {"nl": "naam", "en": "name"},
    "label": {"nl": "label", "en": "label"},
    "type": {"nl": "type", "en": "type"},
    "measure": {"nl": "niveau", "en": "measure"},
    "missing": {"nl": "ontbr.", "en": "missing"},
    "pct_missing": {"nl": "% ontbrekend", "en": "% missing"},
    "value_labels": {"nl": "waardelabels", "en": "value labels"},
    "missing_codes": {"nl": "ontbrekend-codes", "en": "missing codes"},
    "excluded": {"nl": "uitgesloten", "en": "excluded"},
    "group": {"nl": "groep", "en": "group"},
    "mr_sets": {"nl": "Meerkeuzesets (meer antwoorden mogelijk)", "en": "Multiple-response sets"},
    "dichotomy": {"nl": "dichotoom, telt {v}", "en": "dichotomy, counts {v}"},
    "category": {"nl": "categorieën", "en": "categories"},
    "groups": {"nl": "Vraaggroepen", "en": "Question groups"},
    "identifying": {
        "nl": "Identificerende kolommen (niet delen)",
        "en": "Identifying columns (do not share)",
    },
    "none": {"nl": "geen", "en": "none"},
    "more": {"nl": "… ({n} in totaal)", "en": "… ({n} in all)"},
    "unconverted": {
        "nl": "Niet om te zetten datums (gemaakt tot ontbrekend)",
        "en": "Dates that could not be converted (made missing)",
    },
}
_TYPES = {
    "nl": {
        "numeric": "getal",
        "string": "tekst",
        "date": "datum",
        "datetime": "datum+tijd",
        "time": "tijd",
    },
    "en": {
        "numeric": "number",
        "string": "text",
        "date": "date",
        "datetime": "datetime",
        "time": "time",
    },
}
_MEASURES = {
    "nl": {"nominal": "nominaal", "ordinal": "ordinaal", "scale": "schaal", "unknown": "–"},
    "en": {"nominal": "nominal", "ordinal": "ordinal", "scale": "scale", "unknown": "–"},
}
_ROLES = {
    "nl": {
        "identifier": "identificatie",
        "text": "open tekst",
        "choice": "keuzevraag",
        "scale": "antwoordschaal",
        "multi": "meer antwoorden mogelijk",
        "number": "getal",
        "date": "datum/tijd",
        "design": "steekproefdesign",
        "gender": "geslacht",
        "age": "leeftijd",
        "class": "klas/school",
        "wave": "meting",
        "weight": "weging",
        "strata": "strata",
        "psu": "cluster (PSU)",
        "fpc": "populatiegrootte",
        "replicate": "replicaatgewicht",
    },
    "en": {
        "identifier": "identifier",
        "text": "free text",
        "choice": "single choice",
        "scale": "answer scale",
        "multi": "multiple answers",
        "number": "number",
        "date": "date/time",
        "design": "design",
        "gender": "gender",
        "age": "age",
        "class": "class/school",
        "wave": "wave",
        "weight": "weight",
        "strata": "strata",
        "psu": "cluster (PSU)",
        "fpc": "population size",
        "replicate": "replicate weight",
    },
}

_READERS = {
    "spss": "SPSS",
    "stata": "Stata",
    "csv": "CSV",
    "excel": "Excel",
    "forms": "Forms",
    "memory": "memory",
}
_FORMS = {"microsoft": "Microsoft Forms", "google": "Google Forms"}


_s = i18n.translator(_S, "youthmedia.describe._S")


def _plain(value: Any) -> Any:
    """JSON-safe scalar (numpy -> Python, NaN -> None)."""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (int, float, str, bool)) or value is None:
        return value
    return str(value)


def summary(survey: Survey, lang: str = "nl") -> dict[str, Any]:
    """Everything ``describe`` shows, as plain Python data (the JSON format)."""
    lang = i18n.check_lang(lang)
    cb, data, src = survey.codebook, survey.data, survey.source
    in_set = {v: s.name for s in cb.mr_sets.values() for v in s.variables}
    variables = []
    for name in survey.columns:
        var = cb.get(name)
        col = data[name]
        n_missing = int(col.isna().sum())
        variables.append(
            {
                "name": name,
                "label": var.label_in(lang) if var.label or var.translations else "",
                "type": var.type,
                "measure": var.measure,
                "format": var.format,
                "n_missing": n_missing,
                "pct_missing": (n_missing / len(col)) if len(col) else None,
                "value_labels": []
                if var.identifying
                # they may be the pupils' names
                else [[_plain(k), v] for k, v in var.value_labels_in(lang).items()],
                "missing_values": [_plain(m) for m in var.missing_values],
                "missing_ranges": [[_plain(lo), _plain(hi)] for lo, hi in var.missing_ranges],
                "missing_counts": {k: int(v) for k, v in var.missing_counts.items()},
                "group": var.group or "",
                "mr_set": in_set.get(name, ""),
                "identifying": bool(var.identifying),
                "identifying_reason": i18n.reason(
                    identifying_text(var.identifying_reason or "codebook", lang), lang
                )
                if var.identifying
                else "",
                "categorical": isinstance(col.dtype, pd.CategoricalDtype),
                "role": var.role or "",
                "group_role": var.group_role or "",
                "design_role": var.design_role or "",
                "excluded_answers": list(var.excluded_answers or []),
            }
        )
    return {
        "file": src.path,
        "name": src.display_name,
        "dataset": src.name,
        "year": src.year,
        "reader": src.reader,
        "options": {
            k: _plain(v) if not isinstance(v, (dict, list)) else v for k, v in src.options.items()
        },
        "sha256": src.sha256,
        "file_label": cb.file_label,
        "encoding": cb.encoding or src.options.get("encoding"),
        "n_rows": survey.n,
        "n_variables": len(survey.columns),
        "weight": cb.weight,
        "design": _design_text(survey, lang),
        "variables": variables,
        "mr_sets": [
            {
                "name": s.name,
                "label": s.label_in(lang),
                "kind": s.kind,
                "counted_value": _plain(s.counted_value),
                "variables": list(s.variables),
            }
            for s in cb.mr_sets.values()
        ],
        "groups": {g: list(m) for g, m in cb.groups.items()},
        "identifying": [
            {"name": v["name"], "reason": v["identifying_reason"]}
            for v in variables
            if v["identifying"]
        ],
        "weights_summary": _weights_summary(survey),
    }


def _weights_summary(survey: Survey) -> dict[str, Any] | None:
    """Weighting efficiency (Survey.weights_summary) when the survey has a weight."""
    if (survey.design is None or not survey.design.weight) and not (
        survey.codebook.weight and survey.codebook.weight in survey.data.columns
    ):
        return None
    try:
        return {k: _plain(v) for k, v in survey.weights_summary().items()}
    except YouthmediaError:
        return None


def _weights_line(ws: dict[str, Any], lang: str) -> str:
    p, f = (lambda x: i18n.percent(x, lang, 1)), (lambda x: i18n.number(x, lang, 2))
    if lang == "nl":
        return (
            f"effectieve n {f(ws['n_eff'])} van {i18n.integer(ws['n'], lang)} (design-effect {f(ws['deff'])}), "
            f"CV {f(ws['cv'])}, min–max {f(ws['min'])}–{f(ws['max'])}, "
            f"{p(ws['share_above_k_median'])} boven {ws['k']:g}× de mediaan"
        )
    return (
        f"effective n {f(ws['n_eff'])} of {i18n.integer(ws['n'], lang)} (design effect {f(ws['deff'])}), "
        f"CV {f(ws['cv'])}, min–max {f(ws['min'])}–{f(ws['max'])}, "
        f"{p(ws['share_above_k_median'])} above {ws['k']:g}× the median"
    )


def _design_text(survey: Survey, lang: str) -> str | None:
    """The strata, clusters, fpc and replicate weights the estimates use, in ``lang``."""
    design = survey.design
    parts = []
    if design is not None:
        if getattr(design, "strata", None):
            parts.append(_s("strata", lang, v=design.strata))
        if getattr(design, "cluster", None):
            parts.append(_s("psu", lang, v=" > ".join(design.cluster)))
    reps = [v.name for v in survey.codebook if v.design_role == "replicate"]
    if reps:
        parts.append(_s("replicate", lang, v=f"{reps[0]} … ({len(reps)})"))
    return "; ".join(parts) or None


def _missing_text(v: dict[str, Any], lang: str) -> str:
    parts = []
    counts = v["missing_counts"]
    for m in v["missing_values"]:
        key = str(m)
        shown = f"{m}" if key else '""'  # an empty text marked missing
        parts.append(shown + (f" ({i18n.integer(counts[key], lang)})" if key in counts else ""))
    for lo, hi in v["missing_ranges"]:
        key = f"{lo}..{hi}"
        parts.append(key + (f" ({i18n.integer(counts[key], lang)})" if key in counts else ""))
    return ", ".join(parts)


def _header_lines(info: dict[str, Any], lang: str) -> list[tuple[str, str]]:
    rows = []
    if info["file"]:
        rows.append((_s("file", lang), info["file"]))
    reader = _READERS.get(info["reader"], info["reader"])
    opts = info["options"]
    detail = []
    if opts.get("format"):
        detail.append("." + str(opts["format"]))
    if opts.get("forms"):
        reader = _FORMS.get(opts["forms"], reader)
    if opts.get("sheet"):
        detail.append(_s("sheet", lang, v=repr(opts["sheet"])))
    if opts.get("delimiter"):
        detail.append(
            _s("delimiter", lang, v={"\t": "tab"}.get(opts["delimiter"], repr(opts["delimiter"])))
        )
    if opts.get("decimal"):
        detail.append(_s("decimal", lang, v=repr(opts["decimal"])))
    skipped = opts.get("rows_not_respondents")
    if skipped:
        detail.append(_s("not_respondents", lang, h=skipped["header"], t=skipped["total"]))
    if opts.get("bom"):
        detail.append("BOM")
    if opts.get("codebook"):
        detail.append(f"codebook {opts['codebook']}")
    rows.append((_s("reader", lang), reader + (f" ({', '.join(detail)})" if detail else "")))
    if info["dataset"] or info["year"]:
        rows.append(
            (_s("dataset", lang), " ".join(x for x in (info["dataset"], info["year"]) if x))
        )
    if info["file_label"]:
        rows.append((_s("file_label", lang), info["file_label"]))
    if info["encoding"]:
        rows.append((_s("encoding", lang), str(info["encoding"])))
    w = info["weight"]
    rows.append(
        (
            _s("weight", lang),
            f"{w} — {_s('weight_hint', lang, w=w)}" if w else _s("no_weight", lang),
        )
    )
    if info["design"]:
        rows.append((_s("design", lang), info["design"]))
    if info.get("weights_summary"):
        rows.append(
            (
                {"nl": "Weging", "en": "Weighting"}[lang],
                _weights_line(info["weights_summary"], lang),
            )
        )
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
    if len(pairs) > limit:
        shown.append(_s("more", lang, n=len(pairs)))
    return " · ".join(shown)


def _role_text(v: dict[str, Any], lang: str) -> str:
    names = _ROLES[lang]
    text = f"{_s('role', lang)}: {names.get(v['role'], v['role'])}"
    for key in ("group_role", "design_role"):
        if v[key]:
            text += (
                f" · {_s('grouping' if key == 'group_role' else 'design', lang)}: "
                f"{names.get(v[key], v[key])}"
            )
    if v["excluded_answers"]:
        text += f" · {_s('not_counted', lang)}: " + ", ".join(v["excluded_answers"])
    return text


def _sections(info: dict[str, Any], lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """The closing sections (sets, groups, identifying columns, unconverted dates): a heading
    and (line, continuation) pairs, shared by the text and Markdown formats."""
    out = []
    if info["mr_sets"]:
        out.append(
            (
                _s("mr_sets", lang),
                [
                    (
                        f"{s['name']} ({_s(s['kind'], lang, v=s['counted_value'])}): {s['label']}",
                        ", ".join(s["variables"]),
                    )
                    for s in info["mr_sets"]
                ],
            )
        )
    if info["groups"]:
        out.append(
            (_s("groups", lang), [(f"{g}: {', '.join(m)}", "") for g, m in info["groups"].items()])
        )
    out.append(
        (
            _s("identifying", lang),
            [(f"{i['name']} — {i['reason']}", "") for i in info["identifying"]]
            or [(_s("none", lang), "")],
        )
    )
    dates = info["options"].get("unconverted_dates")
    if dates:
        out.append(
            (
                _s("unconverted", lang),
                [(f"{n}: {i18n.integer(k, lang)}", "") for n, k in dates.items()],
            )
        )
    return out


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


def _md_cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _markdown(info: dict[str, Any], lang: str) -> str:
    out = [f"# {_md_cell(_title(info, lang))}", ""]
    out += [f"- **{k}:** {_md_cell(v)}" for k, v in _header_lines(info, lang)]
    cols = [
        "name",
        "label",
        "type",
        "measure",
        "pct_missing",
        "value_labels",
        "missing_codes",
        "group",
    ]
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
        out.append("| " + " | ".join(_md_cell(c) for c in cells) + " |")
    for heading, items in _sections(info, lang):
        out += ["", f"## {heading}", ""]
        out += [
            f"- {_md_cell(line)}" + (f" — {_md_cell(more)}" if more else "") for line, more in items
        ]
    return "\n".join(out) + "\n"


def _csv(survey: Survey, info: dict[str, Any], lang: str) -> str:
    frame = survey.codebook.to_frame()
    by_name = {v["name"]: v for v in info["variables"]}
    frame["label"] = [by_name[n]["label"] if n in by_name else "" for n in frame["name"]]
    frame["value_labels"] = [
        "; ".join(f"{k} = {lab}" for k, lab in by_name[n]["value_labels"]) if n in by_name else ""
        for n in frame["name"]
    ]
    frame["n_missing"] = [by_name[n]["n_missing"] if n in by_name else None for n in frame["name"]]
    frame["pct_missing"] = [
        round(100 * by_name[n]["pct_missing"], 2)
        if n in by_name and by_name[n]["pct_missing"] is not None
        else None
        for n in frame["name"]
    ]
    frame["identifying_reason"] = [
        by_name[n]["identifying_reason"] if n in by_name else "" for n in frame["name"]
    ]
    # a field a spreadsheet could run as a formula (=HYPERLINK(...)) is shown as text
    frame = frame.map(
        lambda v: (
            "'" + v if isinstance(v, str) and v.startswith(("=", "+", "-", "@", "\t", "\r")) else v
        )
    )
    return frame.to_csv(index=False, lineterminator="\n")


def render(survey: Survey, fmt: str = "text", lang: str = "nl", width: int = 100) -> str:
    """The codebook of ``survey`` as a string.

    Parameters
    ----------
    survey : Survey
    fmt : {"text", "markdown", "csv", "json"}
        ``text`` fits a terminal of ``width`` columns; ``csv`` has one row per variable
        (the columns of ``Codebook.to_frame()`` plus ``n_missing``, ``pct_missing``);
        ``json`` is :func:`summary`.
    lang : {"nl", "en"}
        Language of headings and of labels where the codebook has translations.
    width : int
        Line width of the text format.

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
    elif fmt == "markdown":
        out = _markdown(info, lang)
    elif fmt == "csv":
        out = _csv(survey, info, lang)
    else:
        out = _text(info, lang, width)
    gate([out], f"describe of {survey.source.path or 'the survey'}", [survey])   # the privacy gate
    return out
