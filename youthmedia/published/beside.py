"""A published table beside a survey's own shares (the notebooks' one-cell comparison).

Examples
--------
>>> from youthmedia.published.beside import beside_survey
>>> both = beside_survey()                                               # doctest: +SKIP
>>> list(both["compared"].cat.categories)[0]                             # doctest: +SKIP
'Newcom 2017'
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError, YouthmediaWarning
from ..result import Result
from .compare import comparison
from .groups import select
from .load import load_table
from .text import _group_text, _match_group_value

__all__ = ["NEWCOM_GROUPS", "NEWCOM_TABLE", "SURVEY_GROUPS", "beside_survey"]

#: What :func:`beside_survey` compares by default: Newcom's 2017 accounts of 15–19 year olds
#: beside the survey's 15–19 year olds in its 2019 wave (the nearest), where it has those.
NEWCOM_TABLE = "data/published/newcom_2016_2017_15_19.csv"
NEWCOM_GROUPS = {"jaar": 2017, "indicator": "account"}
SURVEY_GROUPS = {"wave": 2019, "age_band": "15-19 jaar"}


def beside_survey(survey: Any = "data/youth_social_media_demo.sav",
                  table: Any = NEWCOM_TABLE, *,
                  variables: str | Sequence[str] | None = None,
                  survey_groups: Mapping[str, Any] | None = None,
                  table_groups: Mapping[str, Any] | None = None,
                  labels: Sequence[str] | None = None) -> Result:
    """A published table beside a survey's own shares, ready for ``figures.compare.dumbbell``.

    Parameters
    ----------
    survey : path or Survey
        Respondent data (the demo survey, a Forms export), read with :func:`youthmedia.load`.
    table : path or Result
        A published table (:func:`load_table`).
    variables : str or list, optional
        What to estimate in the survey; default its first multiple-response set (the
        platforms).
    survey_groups : dict, optional
        ``{by-variable: value}`` to compare one group of the survey. Default
        :data:`SURVEY_GROUPS` (``{"wave": 2019, "age_band": "15-19 jaar"}``), applied where the
        survey has those variables and values (so a Forms export works with the same call);
        given explicitly, a variable the survey lacks is skipped with a warning.
    table_groups : dict, optional
        ``{column: value}`` selecting one group of the table; default :data:`NEWCOM_GROUPS`
        (``{"jaar": 2017, "indicator": "account"}``) for the default table.

    Returns
    -------
    Result
        From :func:`comparison`: the table first, the survey second.

    Examples
    --------
    >>> both = beside_survey(table_groups={"jaar": 2017, "indicator": "account"})   # doctest: +SKIP
    """
    from ..estimate import share
    from ..io import load
    from ..survey import Survey

    s = survey if isinstance(survey, Survey) else load(survey)
    r_table = table if isinstance(table, Result) else load_table(table)
    if table_groups is None and not isinstance(table, Result) and \
            Path(table).resolve() == Path(NEWCOM_TABLE).resolve():
        table_groups = NEWCOM_GROUPS
    if table_groups:
        r_table = select(r_table, **dict(table_groups))
    if r_table.by:
        raise ConfigError(f"The table is grouped by {', '.join(r_table.by)}; choose one group "
                          "with table_groups={...}.")
    if variables is None:
        sets = [k for k, m in s.codebook.mr_sets.items() if m.kind == "dichotomy"]
        if not sets:
            raise ConfigError(f"{s.source.path or 'The survey'} has no multiple-response set; "
                              "name the 0/1 variables with variables=[...].")
        variables = sets[0]
    explicit = survey_groups is not None
    groups = {}
    for k, v in (SURVEY_GROUPS if survey_groups is None else survey_groups).items():
        present = k in s.data.columns
        if present and not explicit:
            values = {str(x) for x in s.data[k].dropna().unique()}
            present = _match_group_value(v, sorted(values)) is not None
        if present:
            groups[k] = v
        elif explicit:
            warnings.warn(f"{s.source.path or 'the survey'} has no variable {k!r}; comparing all "
                          "its respondents on that point.", YouthmediaWarning, stacklevel=2)
    r_survey = share(s, variables, by=list(groups) or None)
    if groups:
        r_survey = select(r_survey, **groups)
        where = ", ".join(_group_text(v) for v in groups.values())
        r_survey.meta["source"] = {**r_survey.meta["source"],
                                   "name": f"{r_survey.meta['source'].get('name')} ({where})"}
    return comparison(r_table, r_survey, labels=labels)
