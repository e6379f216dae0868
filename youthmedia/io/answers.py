"""Text answers of a question: answer scales (Dutch and English), their order, and answers that
are no answer ("weet niet", "Did not drive", "none of these")."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import yaml

#: answer scales, non-answers and other words: youthmedia/vocabulary.yaml
VOCABULARY = yaml.safe_load((Path(__file__).parent.parent / "vocabulary.yaml").read_text("utf-8"))
_LOOKUP = [
    {w: r for r, ws in s.items() for w in ws.split("|")} for s in VOCABULARY["scales"].values()
]

#: Answers that are no answer: always last, and left out of bases.
NON_ANSWERS = frozenset(VOCABULARY["non_answers"].split("|"))
#: The answer that counts in a yes/no question or option column (lower case).
YES = frozenset(VOCABULARY["yes_answers"].split("|"))
#: "Did not X" answers: X is a precondition of the question, or the zero of what it counts.
_DID_NOT = re.compile(
    r"^((i )?(did not|didn't|do not|don't|does not|have not|haven't|have never|i've never|never (had|used))|no longer|"
    r"ik (heb|gebruik|zit|doe) (geen|niet)|heb geen|gebruik geen|"
    r"no (phone|social media|smartphone)|i (have|use) no)\b"
)
_NONE_OF = re.compile(
    r"^(not applicable|niet van toepassing|none of (these|the above|them)|geen (van )?(deze|allen|"
    r"van allen|van bovenstaande|enkele))\b"
)
_COUNT = re.compile(r"^[1-9]\d*\b(?!.*\b(old|oud)\b)")  # "1 to 3 times", not "12 years old"
_OTHER = re.compile(r"^(anders|overig|other|something else|iets anders)\b")
_NUMBERED = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:[-–=:.)]|\s|$)")


def _key(answer: object) -> str:
    return re.sub(r"\s+", " ", str(answer).strip().lower()).rstrip(".!").replace("’", "'")


def is_excluded(answer: object) -> bool:
    """Whether an answer is no answer or may not apply ("Weet ik niet", "Did not drive")."""
    key = _key(answer)
    return key in NON_ANSWERS or bool(_DID_NOT.match(key) or _NONE_OF.match(key))


def does_not_apply(answer: object) -> bool:
    """Whether an answer says the question does not apply: a base without it is a subgroup."""
    return _key(answer) not in NON_ANSWERS and is_excluded(answer)  # "Don't know": no answer


def _counts_from_one(keys: list[str]) -> bool:
    """Answers counting from one up ("1 to 3 times", or a frequency scale without "never")."""
    ranks = [_LOOKUP[0].get(k) for k in keys]
    if keys and None not in ranks:
        return min(ranks) > 0
    return bool(keys) and all(_COUNT.match(k) for k in keys)


def excluded_answers(answers: Sequence[str]) -> list[str]:
    """The answers left out of a question's base: non-answers, "none of these", and "did not X"
    unless the other answers count X from one up ("Did not eat fruit | 1 to 3 times")."""
    out = [a for a in answers if is_excluded(a)]
    if _counts_from_one([_key(a) for a in answers if a not in out]):
        out = [a for a in out if _key(a) in NON_ANSWERS or not _DID_NOT.match(_key(a))]
    return out


def scale_rank(answers: Sequence[str]) -> list[float] | None:
    """The rank of each answer on the one known scale that holds them all, or ``None``."""
    keys, numbers = [_key(a) for a in answers], [_NUMBERED.match(a) for a in answers]
    scales = [lookup for lookup in _LOOKUP if keys and all(k in lookup for k in keys)]
    ranks = [[lookup[k] for k in keys] for lookup in scales]
    if len(answers) >= 2 and all(numbers):  # "1 = nooit", "2 = soms", ...
        ranks.append([float(m.group(1).replace(",", ".")) for m in numbers])
    return next((r for r in ranks if len(set(r)) == len(r)), None)  # two answers on one step: no


def answer_order(values: Sequence[str]) -> tuple[list[str], str]:
    """Distinct answers in scale order (ordinal) or most chosen first (nominal); non-answers last."""
    counts = Counter(str(v).strip() for v in values)
    first = {a: i for i, a in enumerate(counts) if a}
    non = [a for a in first if _key(a) in NON_ANSWERS]
    real = [a for a in first if a not in non]
    zero = [a for a in real if _DID_NOT.match(_key(a))]
    counted = [a for a in real if a not in zero]
    if len(zero) != 1 or not _counts_from_one([_key(a) for a in counted]):
        zero, counted = [], real
    ranks = scale_rank(counted) if len(counted) >= 2 else None
    if ranks is not None:
        return zero + [a for _r, a in sorted(zip(ranks, counted, strict=True))] + non, "ordinal"
    other = [a for a in real if _OTHER.match(_key(a))]
    main = sorted((a for a in real if a not in other), key=lambda a: (-counts[a], first[a]))
    return main + other + non, "nominal"


def is_single_choice(values: Sequence[str], max_answers: int = 12) -> bool:
    """Whether text answers look like a single-choice question's (a scale, or a few recurring)."""
    present = [a for a in (str(v).strip() for v in values) if a]
    distinct = list(dict.fromkeys(present))
    if any(len(a) > 80 or "\n" in a for a in distinct) or not 2 <= len(distinct) <= max_answers:
        return False
    real = [a for a in distinct if _key(a) not in NON_ANSWERS]
    if len(real) >= 2 and scale_rank(real) is not None:
        return True
    main = [a for a in real if not _OTHER.match(_key(a))]
    per_answer = 3 if len(present) >= 30 else 2  # a class of 5 answering Jongen/Meisje
    return len(main) >= 2 and len(main) * per_answer <= len(present)


_DELIMS = (";", "|", ", ", ",", "\n", " / ")


def split_answers(cells: list[str], delimiter: str | None = None) -> list[list[str]] | None:
    """The cells of a multi-answer question split (``"A;B;"``, ``"A, B"``, ``"A|B"``), or ``None``
    when the answers do not recur in different combinations (free text)."""
    if not cells:
        return None
    for delim in [delimiter] if delimiter else _DELIMS:
        trailing = delim == ";" and sum(c.rstrip().endswith(";") for c in cells) >= 0.8 * len(cells)
        joined = sum(delim in c.rstrip(";" if delim == ";" else "") for c in cells)
        if not trailing and not delimiter and joined < max(2, 0.1 * len(cells)):
            continue
        lists = [[t.strip() for t in c.split(delim) if t.strip()] for c in cells]
        if delim in (", ", ","):
            lists = _merge_comma_options(lists)
        if trailing or delimiter:
            return lists
        counts = Counter(t for tokens in lists for t in tokens)
        occurrences = sum(counts.values())
        combos = {tuple(t) for t in lists if len(t) > 1}  # answers met in different company
        alone = {t[0] for t in lists if len(t) == 1} & {x for c in combos for x in c}
        recurring = sum(k for k in counts.values() if k >= 2) >= 0.75 * occurrences
        few = len(counts) <= max(2, 0.5 * occurrences) and all(len(t) <= 80 for t in counts)
        if (len(combos) >= 2 or alone) and recurring and few:
            return lists
    return None


def _merge_comma_options(lists: list[list[str]]) -> list[list[str]]:
    """``["Ja", "elke dag"]`` -> ``["Ja, elke dag"]`` where a piece only follows one other."""
    while True:
        total = Counter(t for tokens in lists for t in tokens)
        after: dict[str, Counter] = defaultdict(Counter)  # piece -> the pieces just before it
        for tokens in lists:
            for a, b in zip(tokens, tokens[1:], strict=False):
                after[b][a] += 1
        for b, p in after.items():  # b only ever after a; lower case, or a never without b
            a, n = next(iter(p.items()))
            lower = b[:1].islower() or b[:1].isdigit()
            if len(p) == 1 and n == total[b] and (lower or n == total[a]):
                break
        else:
            return lists
        lists = [_join(tokens, a, b) for tokens in lists]


def _join(tokens: list[str], a: str, b: str) -> list[str]:
    out: list[str] = []
    for t in tokens:
        if t == b and out and out[-1] == a:
            out[-1] = f"{a}, {b}"
        else:
            out.append(t)
    return out


def option_order(lists: list[list[str]]) -> list[str]:
    """Options in the order the form lists them (cells keep that order), else first seen."""
    first = {t: i for i, t in enumerate(dict.fromkeys(t for tokens in lists for t in tokens))}
    edges = {(a, b) for tokens in lists for a, b in zip(tokens, tokens[1:], strict=False)}
    indeg = Counter(b for _a, b in edges)
    order, ready = [], [t for t in first if not indeg[t]]
    while ready:
        t = ready.pop(0)
        order.append(t)
        for b in (b for a, b in edges if a == t):
            indeg[b] -= 1
            if indeg[b] == 0:
                ready.append(b)
        ready.sort(key=first.get)
    return order if len(order) == len(first) else list(first)
