"""The app page's work without widgets: what was understood of a survey, the sidecar lines of
a trainer's correction, a slide's thumbnail, and the trainer's own headline on a slide."""

from __future__ import annotations

import io
from dataclasses import replace
from typing import Any, NamedTuple

import pandas as pd

from ..errors import ConfigError, DataError
from ..survey import Survey

__all__ = ["ROLES", "Question", "Understood", "by_of", "correction", "kind_of", "understand"]

#: The kinds a trainer can set -> their role in the codebook (a date stays a date).
ROLES = {"single": "choice", "scale": "scale", "multi": "multi", "number": "number", "text": "text"}
_LEFT_OUT = "left out by the trainer in the app"  # translated by i18n.reason


class Question(NamedTuple):
    """A question: answers in order, how many answered, charted by default, answers not counted."""

    name: str
    label: str
    kind: str
    answers: tuple[str, ...]
    n: int
    charted: bool
    not_counted: tuple[str, ...]


class Understood(NamedTuple):
    """What was understood of a file; ``identifying``: (name, label, reason) of columns left out."""

    file: str
    n: int
    questions: tuple[Question, ...]
    breakdowns: dict[str, str]
    weight: str | None
    identifying: tuple[tuple[str, str, str], ...]
    small_groups: dict[str, tuple[str, ...]]
    min_n: int


def kind_of(survey: Survey, name: str) -> str:
    """The kind of a question from its role (decided at load): a key of :data:`ROLES` or date."""
    if name in survey.codebook.mr_sets:
        return "multi"
    kinds = {r: k for k, r in ROLES.items()} | {"date": "date"}
    numeric = pd.api.types.is_numeric_dtype(survey.data[name])
    return kinds.get(survey.codebook.get(name).role or "") or ("number" if numeric else "text")


def _question(survey: Survey, name: str, charted: bool) -> Question:
    cb, mr = survey.codebook, survey.codebook.mr_sets.get(name)
    cols = survey.data[mr.variables if mr else [name]]
    answers = getattr(cols.dtypes.iloc[0], "categories", cb.get(name).value_labels.values())
    answers = [cb.label(v) for v in mr.variables] if mr else answers
    n = int(cols.notna().any(axis=1).sum())
    not_counted = tuple(cb.get(name).excluded_answers or ())
    kind = kind_of(survey, name)
    return Question(name, cb.label(name), kind, tuple(map(str, answers)), n, charted, not_counted)


def understand(survey: Survey, shown: str) -> Understood:
    """What the page shows: each set and question that is no identifier, breakdown or design."""
    from .. import standard
    from ..suppression import get_thresholds

    cb, found, min_n = survey.codebook, standard.roles(survey), get_thresholds().min_n
    breakdowns = {r: getattr(found, r) for r in ("gender", "age", "wave") if getattr(found, r)}
    planned = {n for item in standard.plan(survey, weight=found.weight) for n in item.names}
    in_set = {v: s.name for s in cb.mr_sets.values() for v in s.variables}
    skip = {*breakdowns.values(), found.weight, *cb.identifying}
    skip |= {v.name for v in cb if v.group_role or v.design_role or v.role == "design"}
    names = dict.fromkeys(in_set.get(n, n) for n in survey.columns if n not in skip)
    counts = {v: survey.data[v].value_counts(sort=False) for v in breakdowns.values()}
    small = {v: tuple(str(k) for k, c in n.items() if 0 < c < min_n) for v, n in counts.items()}
    ident = [(v.name, v.label or v.name, v.identifying_reason or "") for v in cb if v.identifying]
    questions = tuple(_question(survey, key, key in planned) for key in names)
    return Understood(shown, survey.n, questions, breakdowns, found.weight, (*ident,), small, min_n)


def correction(
    survey: Survey, name: str, kind: str, order: list[str] | None, exclude: bool | None
) -> dict[str, Any]:
    """The sidecar lines of a trainer's correction of one question's kind, order or exclusion."""
    if name not in survey.codebook and name not in survey.codebook.mr_sets:
        survey.require(name)
    entry: dict[str, Any] = {}
    if exclude is not None:
        entry = {"identifying": exclude} | ({"identifying_reason": _LEFT_OUT} if exclude else {})
    if kind:
        entry.update(_kind(survey, name, kind))
    if order:
        known = _question(survey, name, False).answers
        if set(order) - set(known):
            raise ConfigError(
                f"{sorted(set(order) - set(known))[0]!r} is not an answer of {name!r}; give "
                f"its answers ({' | '.join(known)}) in the order you want."
            )
        scale = (kind or kind_of(survey, name)) == "scale"
        entry |= {"order": list(order), "measure": "ordinal" if scale else "nominal"}
    return entry


def _kind(survey: Survey, name: str, kind: str) -> dict[str, Any]:
    """The sidecar lines that make ``name`` a question of ``kind``: role, measure, answers."""
    mr = name in survey.codebook.mr_sets
    numeric = not mr and pd.api.types.is_numeric_dtype(survey.data[name])
    holds = "several answers" if mr else "numbers" if numeric else "text answers"
    allowed = {"several answers": "multi text", "numbers": "single scale number text"}
    allowed = allowed.get(holds, "single scale multi text").split()
    if kind not in allowed:
        raise ConfigError(
            f"{name!r} holds {holds}: choose one of {', '.join(allowed)}, not {kind!r}."
        )
    entry: dict[str, Any] = {"role": ROLES[kind]}
    if mr or kind in ("multi", "text"):
        return entry
    col, labels = survey.data[name], survey.codebook.get(name).value_labels
    labelled = isinstance(col.dtype, pd.CategoricalDtype) or bool(labels)
    entry["measure"] = {"scale": "ordinal", "single": "nominal"}.get(kind, "scale")
    if kind == "number" and labelled:
        entry["values"] = {}  # numbers, not answers
    elif kind != "number" and not labelled:
        values = sorted(col.dropna().unique().tolist())
        if len(values) > 12:
            raise DataError(
                f"{name!r} has {len(values)} different answers; a question with answers has "
                "at most 12. Leave it a number or text."
            )
        ints = [int(v) if isinstance(v, float) and v.is_integer() else v for v in values]
        entry["values"] = {v: str(v) for v in ints}
    return entry


def by_of(fig: Any) -> str | None:
    """The breakdown variable of a slide's figure (None when it shows everyone)."""
    cols = list(getattr(fig.slide.result, "columns", []))
    return cols[0] if "variable" in cols and cols.index("variable") > 0 else None


def thumbnail(fig: Any) -> bytes:
    """A small PNG of a slide's figure below its headline (the page shows that as text)."""
    from PIL import Image

    from ..figures.frame import notebook_png

    image, buf = Image.open(io.BytesIO(notebook_png(fig, 40))), io.BytesIO()
    heads = [t.get_window_extent().y0 for t in fig.texts if t.get_gid() == "youthmedia-headline"]
    below = min(heads, default=fig.bbox.height) / fig.bbox.height  # as drawn, not before
    image.crop((0, round(image.height * (1 - below)), *image.size)).save(buf, "png")
    return buf.getvalue()


def replace_headline(fig: Any, text: str) -> None:
    """``text`` as ``fig``'s headline in the old one's lines (down to 70% size, then cut)."""
    from ..figures.frame import wrap

    slide, old = fig.slide, fig.slide.headline
    for head in (t for t in fig.texts if t.get_gid() == "youthmedia-headline"):  # no logo here
        lines, size = head.get_text().count("\n") + 1, head.get_fontsize()
        family, width = head.get_fontfamily()[0], (1 - 2 * head.get_position()[0]) * 72
        width *= fig.get_figwidth()
        for scale in (1.0, 0.9, 0.8, 0.7):
            cut = lines if scale == 0.7 else None
            wrapped = wrap(text, width, size * scale, family, "bold", max_lines=cut)
            if len(wrapped) <= lines:
                break
        head.set_text("\n".join(wrapped))
        head.set_fontsize(size * scale)
    texts = {a: getattr(slide, a).replace(old, text) for a in ("alt_text", "notes") if old}
    fig.slide = replace(slide, headline=text, **texts)
