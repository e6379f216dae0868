"""The codebook sidecar ``<name>.codebook.yaml`` (format: ``docs/codebook_sidecar.md``): where
file and sidecar disagree, the sidecar wins; :func:`write_sidecar` writes what load inferred."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ..codebook import MEASURES, Codebook, MRSet, Variable, _preview
from ..errors import ConfigError, DataError
from ..files import atomic_write
from ..privacy import NOT_IDENTIFYING
from .labels import normalize_code
from .roles import DESIGN_ROLES, GROUP_ROLES, ROLES
from .table import RawRead

_TOP = {"dataset", "weight", "variables", "mr_sets", "groups"}
_DATASET = {"name", "year", "file_label", "language"}
_VARIABLE = set(
    "label short_label measure values order missing missing_range group identifying identifying_reason "
    "translations type role group_role design_role excluded".split()
)
_MRSET = {"label", "kind", "counted_value", "variables", "translations"}


def find_sidecar(path: Path, kind: str = "codebook") -> Path | None:
    """``<name>.<kind>.yaml`` (or ``.yml``) beside ``path``, if there is one."""
    names = (path.with_name(f"{path.stem}.{kind}.{ext}") for ext in ("yaml", "yml"))
    return next((c for c in names if c.is_file()), None)


def load_yaml(path: Path, hint: str) -> Any:
    """The YAML document in ``path``; a DataError naming line and column of an error + ``hint``."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DataError(f"{path}: not valid YAML{where} ({problem}); {hint}.") from None


def read_sidecar(source: str | Path | Mapping[str, Any]) -> tuple[dict[str, Any], str]:
    """The checked specification of a sidecar file or mapping, and a name for messages."""
    if isinstance(source, Mapping):
        return parse_sidecar(source, "codebook="), "codebook="
    p = Path(source)
    if not p.is_file():
        raise ConfigError(f"{p}: codebook file not found; give the path of a .codebook.yaml file.")
    return parse_sidecar(load_yaml(p, "compare it with docs/codebook_sidecar.md"), str(p)), str(p)


def _mapping(value: Any, where: str, what: str, allowed: set[str] | None = None) -> dict[Any, Any]:
    """``value`` as a dict whose keys are all ``allowed``, else a DataError."""
    if value is not None and not isinstance(value, Mapping):
        raise DataError(
            f"{where}: {what} must be a mapping (key: value), not {type(value).__name__}."
        )
    unknown = [str(k) for k in value or {} if allowed is not None and k not in allowed]
    if unknown:
        raise DataError(
            f"{where}: unknown key(s) {', '.join(map(repr, unknown))} in {what}; allowed: {', '.join(sorted(allowed or ()))}."
        )
    return dict(value or {})


def _list(value: Any, where: str, what: str, of: str = "") -> list[Any]:
    """``value`` if it is a list, else a DataError saying what it must hold."""
    if not isinstance(value, list):
        raise DataError(f"{where}: {what} must be a list{of}.")
    return value


def parse_sidecar(spec: Any, where: str) -> dict[str, Any]:
    """The checked structure of a sidecar; a :class:`DataError` naming what is wrong."""
    spec = _mapping(spec, where, "the codebook", _TOP)
    dataset = _mapping(spec.get("dataset"), where, "'dataset'", _DATASET)
    variables = {
        str(n): _variable_entry(n, e, where)
        for n, e in _mapping(spec.get("variables"), where, "'variables'").items()
    }
    mr_sets = {}
    for name, entry in _mapping(spec.get("mr_sets"), where, "'mr_sets'").items():
        entry = _mapping(entry, where, f"mr_set {name!r}", _MRSET)
        if entry.get("kind", "dichotomy") not in ("dichotomy", "category"):
            raise DataError(
                f"{where}: kind of mr_set {name!r} is {entry['kind']!r}; use dichotomy or category."
            )
        if "variables" in entry:
            _list(entry["variables"], where, f"variables of mr_set {name!r}")
        mr_sets[str(name).lstrip("$")] = entry
    groups = {
        str(name): [str(m) for m in _list(members, where, f"group {name!r}", " of variables")]
        for name, members in _mapping(spec.get("groups"), where, "'groups'").items()
    }
    weight = None if spec.get("weight") is None else str(spec["weight"])
    return dict(dataset=dataset, weight=weight, variables=variables, mr_sets=mr_sets, groups=groups)


def _variable_entry(name: Any, entry: Any, where: str) -> dict[str, Any]:
    entry = _mapping(entry, where, f"variable {name!r}", _VARIABLE)
    if "values" in entry:
        entry["values"] = _mapping(entry["values"], where, f"values of {name!r}")
    entry["translations"] = _mapping(entry.get("translations"), where, f"translations of {name!r}")
    kinds = dict(measure=MEASURES[:3], role=ROLES, group_role=GROUP_ROLES, design_role=DESIGN_ROLES)
    for key, allowed in kinds.items():
        value = entry.get(key, allowed[0])
        if value not in allowed and (value is not None or key == "measure"):
            end = " or null." if key.endswith("_role") else "."
            raise DataError(
                f"{where}: {key} of {name!r} is {entry[key]!r}; use one of {', '.join(allowed)}{end}"
            )
    if entry.get("excluded") is not None:
        of = " of answers, e.g. [Weet ik niet], or [] to keep every answer"
        excluded = _list(entry["excluded"], where, f"excluded of {name!r}", of)
        entry["excluded"] = [str(x) for x in excluded]
    if "order" in entry:
        of = " of its answers, e.g. [Nooit, Soms, Vaak]"
        order = _list(entry["order"] or None, where, f"order of {name!r}", of)
        if len({str(x) for x in order}) != len(order):
            raise DataError(f"{where}: order of {name!r} names an answer twice.")
    if entry.get("missing") is not None and not isinstance(entry["missing"], list):
        entry["missing"] = [entry["missing"]]
    ranges = entry.get("missing_range")
    if isinstance(ranges, list) and len(ranges) == 2 and not isinstance(ranges[0], list):
        ranges = entry["missing_range"] = [ranges]
    pairs = isinstance(ranges, list) and all(isinstance(r, list) and len(r) == 2 for r in ranges)
    if ranges is not None and not pairs:
        raise DataError(
            f"{where}: missing_range of {name!r} must be a list of [low, high] pairs, e.g. [[98, 99]]."
        )
    return entry


def _code(k: Any, numeric: bool) -> Any:
    if numeric and isinstance(k, str):
        try:
            return normalize_code(float(k.replace(",", ".")))
        except ValueError:
            return k
    return normalize_code(k)


def _ordered(
    labels: dict[Any, str], order: list[Any], numeric: bool, name: str, where: str
) -> dict[Any, str]:
    """Value labels in the sidecar's ``order`` (codes or labels; else the answers themselves)."""
    if not labels:
        return {_code(x, numeric): str(x) for x in order}
    if all(isinstance(k, (int, float)) and not isinstance(k, bool) for k in labels):
        raise DataError(
            f"{where}: order of {name!r}: numbered answers are ordered by their codes; number them in that order in values: and leave out order:."
        )
    by_text = {str(k): k for k in labels} | {str(v): k for k, v in labels.items()}
    unknown = [str(x) for x in order if str(x) not in by_text and _code(x, numeric) not in labels]
    if unknown:
        raise DataError(
            f"{where}: order of {name!r} names {', '.join(map(repr, unknown[:3]))}, which is neither a code nor a label in its values."
        )
    keys = [by_text.get(str(x), _code(x, numeric)) for x in order]
    return {k: labels[k] for k in keys + [k for k in labels if k not in keys]}  # the rest last


def apply_sidecar(raw: RawRead, spec: dict[str, Any], where: str, data_path: str) -> dict[str, Any]:
    """A checked sidecar merged over ``raw.codebook`` (in place); returns its dataset entry."""
    cb, loaded = raw.codebook, set(raw.data.columns)
    known = set(raw.all_columns) | loaded

    def must_exist(names: list[str], role: str) -> None:
        for name in (n for n in names if n not in known):
            raise DataError(
                f"{where}: {role} {name!r} is not a column of {data_path}; fix the name in the codebook (columns: {_preview(sorted(known))})."
            )

    for name, entry in spec["variables"].items():
        must_exist([name], "variable")
        if name in loaded:
            _variable(raw, name, entry, where)
    for set_name, entry in spec["mr_sets"].items():
        must_exist([str(m) for m in entry.get("variables", [])], f"member of mr_set {set_name!r}")
        _mr_set(cb, set_name, entry, loaded, where)
    for group, members in spec["groups"].items():
        must_exist(members, f"member of group {group!r}")
        present = [m for m in members if m in loaded]
        if present:
            cb.groups[group] = present
            for m in present:
                cb.variables.setdefault(m, Variable(m)).group = cb.variables[m].group or group
    if spec["weight"] is not None:
        must_exist([spec["weight"]], "weight")
        cb.weight = spec["weight"] if spec["weight"] in loaded else cb.weight
    if spec["dataset"].get("file_label"):
        cb.file_label = str(spec["dataset"]["file_label"])
    return spec["dataset"]


def _variable(raw: RawRead, name: str, entry: dict[str, Any], where: str) -> None:
    var = raw.codebook.variables.setdefault(name, Variable(name))
    numeric = pd.api.types.is_numeric_dtype(raw.data[name]) or var.type != "string"
    for key in ("label", "short_label", "group"):
        if key in entry:
            setattr(var, key, None if entry[key] is None else str(entry[key]))
    var.measure = entry.get("measure", var.measure)
    var.type = str(entry.get("type", var.type))
    if "values" in entry:
        var.value_labels = {_code(k, numeric): str(v) for k, v in entry["values"].items()}
    if "order" in entry:
        var.value_labels = _ordered(var.value_labels, entry["order"], numeric, name, where)
        var.measure = entry.get("measure", "ordinal")
    if "missing" in entry:
        var.missing_values = [_code(m, numeric) for m in entry["missing"]]
    if "missing_range" in entry:
        var.missing_ranges = [
            (_code(lo, numeric), _code(hi, numeric)) for lo, hi in entry["missing_range"]
        ]
    if "identifying" in entry:
        var.identifying = bool(entry["identifying"])  # false overrules privacy's detection
        why = entry.get("identifying_reason") or f"marked identifying in {where}"
        var.identifying_reason = why if var.identifying else NOT_IDENTIFYING
    for lang, tr in entry["translations"].items():
        tr = _mapping(tr, where, f"translation {lang!r} of {name!r}")
        merged = var.translations.setdefault(str(lang), {})
        merged |= {k: tr[k] for k in ("label", "short_label") if k in tr}
        if "values" in tr:
            values = _mapping(tr["values"], where, f"translated values of {name!r}")
            merged["values"] = {_code(k, numeric): v for k, v in values.items()}


def _mr_set(
    cb: Codebook, set_name: str, entry: dict[str, Any], loaded: set[str], where: str
) -> None:
    existing = cb.mr_sets.get(set_name)
    members = [str(v) for v in entry.get("variables", [])]
    if existing is None and not members:
        raise DataError(
            f"{where}: mr_set {set_name!r} lists no variables and the data file has no set of that name; list its variables."
        )
    members = members or existing.variables
    if not all(m in loaded for m in members):
        return  # part of the set was not loaded (columns=): leave it out
    mrset = existing or MRSet(set_name)
    mrset.variables = members
    mrset.label, mrset.kind = entry.get("label", mrset.label), entry.get("kind", mrset.kind)
    if "counted_value" in entry:
        mrset.counted_value = normalize_code(entry["counted_value"])
    elif existing is None:
        mrset.counted_value = 1 if mrset.kind == "dichotomy" else None
    translations = _mapping(entry.get("translations"), where, f"translations of {set_name!r}")
    for lang, tr in translations.items():
        tr = _mapping(tr, where, f"translation {lang!r}")
        mrset.translations[str(lang)] = mrset.translations.get(str(lang), {}) | tr
    cb.mr_sets[set_name] = mrset
    for m in members:
        cb.variables.setdefault(m, Variable(m)).group = cb.variables[m].group or set_name


def sidecar_of(survey: Any) -> dict[str, Any]:
    """What load inferred about a survey's columns (roles, excluded answers, answer order, groups,
    sets) as a sidecar a trainer can correct; loading with it changes nothing."""
    cb = survey.codebook
    derived = set(survey.source.options.get("derived") or [])  # made at load: made again
    variables: dict[str, Any] = {}
    for v in (v for v in cb if v.name not in derived and v.role is not None):
        keys = ("label", "short_label", "role", "group_role", "design_role")
        entry: dict[str, Any] = {k: getattr(v, k) for k in keys if getattr(v, k)}
        if v.role in ("choice", "scale", "multi") and v.excluded_answers is not None:
            entry["excluded"] = list(v.excluded_answers)
        if v.role == "scale" and v.type == "string" and v.value_labels:
            entry["order"] = [str(x) for x in v.value_labels.values()]
        variables[v.name] = entry
    for name, mr in cb.mr_sets.items():  # a text column split into a set: split again
        if mr.variables and set(mr.variables) <= derived:
            variables[name] = {"label": mr.label, "role": "multi", "excluded": list(mr.excluded)}
    out: dict[str, Any] = {"variables": variables}
    stems = {n: s for n, s in cb.mr_sets.items() if not set(s.variables) & derived}
    if stems:
        keys = ("label", "kind", "counted_value")
        out["mr_sets"] = {
            n: {k: getattr(s, k) for k in keys} | {"variables": list(s.variables)}
            for n, s in stems.items()
        }
    groups: dict[str, list[str]] = {}
    for v in cb:
        if v.group and v.name not in derived and v.group not in cb.mr_sets:
            groups.setdefault(v.group, []).append(v.name)
    return out | ({"groups": groups} if groups else {})


def write_sidecar(survey: Any, path: str | Path) -> Path:
    """Write :func:`sidecar_of` as YAML to ``path`` (atomically; never over an existing file)."""
    p = Path(path)
    if p.exists():
        raise ConfigError(
            f"{p} already exists; it may hold your corrections. Remove it or name another file."
        )
    if p.suffix.lower() not in (".yaml", ".yml"):
        raise ConfigError(f"{p} should end in .codebook.yaml.")
    head = (
        f"# What youthmedia inferred from {Path(survey.source.path or 'the data').name}. Correct a line and load the file again\n"
        "# (docs/codebook_sidecar.md), e.g. 'role: text' or 'group_role: null'.\n"
    )
    body = yaml.safe_dump(sidecar_of(survey), allow_unicode=True, sort_keys=False, width=100)
    return atomic_write(p, (head + body).encode("utf-8"))
