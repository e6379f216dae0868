"""Variables, value labels, missing codes, question groups and multiple-response sets: the
metadata kept beside the data (as pyreadstat keeps it); nothing a file says is thrown away."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .errors import ConfigError

__all__ = ["Codebook", "MRSet", "Variable"]

MEASURES = ("nominal", "ordinal", "scale", "unknown")


@dataclass
class Variable:
    """Everything known about one variable: its label, storage ``type`` and ``measure``,
    ``value_labels`` (code -> label, in code order), user-missing codes and ranges, and the
    ``role``, ``group_role``, ``design_role`` and ``excluded_answers`` decided at load.

    Examples
    --------
    >>> Variable("g", value_labels={1: "jongen"}).value_labels_in("en")
    {1: 'jongen'}
    """

    name: str
    label: str | None = None
    type: str = "numeric"
    measure: str = "unknown"
    value_labels: dict[Any, str] = field(default_factory=dict)
    missing_values: list[Any] = field(default_factory=list)
    missing_ranges: list[tuple[Any, Any]] = field(default_factory=list)
    missing_counts: dict[str, int] = field(default_factory=dict)
    format: str | None = None
    group: str | None = None
    identifying: bool = False
    identifying_reason: str | None = None
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)
    cleaning: list[dict[str, Any]] = field(default_factory=list)
    role: str | None = None
    group_role: str | None = None
    design_role: str | None = None
    excluded_answers: list[str] | None = None
    short_label: str | None = None  # the headline's subject for a long label (sidecar)

    def label_in(self, lang: str | None = None) -> str:
        """The label in ``lang`` if the codebook has it, else the file's label or the name."""
        return str(self.translations.get(lang or "", {}).get("label") or self.label or self.name)

    def value_labels_in(self, lang: str | None = None) -> dict[Any, str]:
        """Code -> label in ``lang`` where translated, falling back to the file's labels."""
        out = dict(self.value_labels)
        for code, lab in (self.translations.get(lang, {}).get("values") or {}).items():
            out |= {known: str(lab) for known in out if _same_code(known, code)}
        return out

    def value_label_in(self, label: Any, lang: str | None = None) -> Any:
        """One of the file's value labels in ``lang`` where translated, else ``label`` itself."""
        code = next((c for c, lab in self.value_labels.items() if str(lab) == str(label)), None)
        return self.value_labels_in(lang).get(code, label) if lang else label

    def excluded_counts(self) -> dict[str, int]:
        """How many answers each of :attr:`excluded_answers` took out of the base."""
        out = {}
        for answer in self.excluded_answers or []:
            codes = [str(c) for c, lab in self.value_labels.items() if str(lab) == answer]
            out[answer] = int(sum(self.missing_counts.get(k, 0) for k in codes or [answer]))
        return {answer: n for answer, n in out.items() if n}

    def is_missing_code(self, value: Any) -> bool:
        """Whether ``value`` is one of this variable's user-missing codes or ranges."""
        if value is None:
            return False
        if any(_same_code(value, m) for m in self.missing_values):
            return True
        for low, high in self.missing_ranges:
            with contextlib.suppress(TypeError):  # a range of another type than the value
                if low <= value <= high:
                    return True
        return False


def _same_code(a: Any, b: Any) -> bool:
    if a == b:
        return True
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return str(a) == str(b)


@dataclass
class MRSet:
    """A multiple-response set: ``name`` (without SPSS's ``$``), ``label``, ``kind``
    (dichotomy: members count ``counted_value``; category: they hold the chosen categories),
    member ``variables``, ``excluded`` answers that are no option ("none of these")."""

    name: str
    label: str | None = None
    kind: str = "dichotomy"
    variables: list[str] = field(default_factory=list)
    counted_value: Any = 1
    translations: dict[str, dict[str, Any]] = field(default_factory=dict)
    excluded: list[str] = field(default_factory=list)

    label_in = Variable.label_in


@dataclass
class Codebook:
    """The metadata of a survey: one :class:`Variable` per column, multiple-response sets,
    question groups, file label, encoding and the weight the file declares."""

    variables: dict[str, Variable] = field(default_factory=dict)
    mr_sets: dict[str, MRSet] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    file_label: str | None = None
    encoding: str | None = None
    weight: str | None = None

    def __getitem__(self, name: str) -> Variable:
        try:
            return self.variables[name]
        except KeyError:
            raise ConfigError(
                f"There is no variable {name!r} in this survey; "
                f"known variables: {_preview(self.variables)}."
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self.variables

    def __iter__(self):
        return iter(self.variables.values())

    def __len__(self) -> int:
        return len(self.variables)

    def get(self, name: str) -> Variable:
        """The variable ``name``, or a bare :class:`Variable` if the codebook does not know it."""
        return self.variables.get(name) or Variable(name)

    def label(self, name: str, lang: str | None = None) -> str:
        """Variable label of ``name`` (in ``lang`` if translated), its MR-set label, or its name."""
        owner = self.variables.get(name) or self.mr_sets.get(name)
        return owner.label_in(lang) if owner else name

    @property
    def identifying(self) -> list[str]:
        """Names of the columns marked as identifying a respondent."""
        return [v.name for v in self.variables.values() if v.identifying]

    def to_frame(self) -> pd.DataFrame:
        """One row per variable: every field above, and the cleaning steps applied."""
        in_set = {v: s.name for s in self.mr_sets.values() for v in s.variables}
        rows = [self._row(v, in_set) for v in self.variables.values()]
        return pd.DataFrame(rows, columns=list(self._row(Variable(""), {})))  # also when empty

    def _row(self, v: Variable, in_set: dict[str, str]) -> dict[str, Any]:
        return {
            "name": v.name,
            "label": v.label or "",
            **{k: getattr(v, k) for k in ("type", "measure")},
            "value_labels": "; ".join(f"{k} = {lab}" for k, lab in v.value_labels.items()),
            "missing_codes": ", ".join(
                [str(m) for m in v.missing_values] + [f"{lo}..{hi}" for lo, hi in v.missing_ranges]
            ),
            "missing_excluded": int(sum(v.missing_counts.values())),
            "group": v.group or in_set.get(v.name, ""),
            "mr_set": in_set.get(v.name, ""),
            "identifying": v.identifying,
            "weight": v.name == self.weight,
            **{k: getattr(v, k) or "" for k in ("role", "group_role", "design_role")},
            "excluded_answers": "; ".join(v.excluded_answers or []),
            "cleaning": "; ".join(f"{c['rule']} → missing ({c['count']})" for c in v.cleaning),
        }


def _preview(names, limit: int = 12) -> str:
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f", … ({len(names)} in all)" if len(names) > limit else "")
