"""Dutch and English strings and number formats.

Every text that youthmedia generates for an audience (headlines, source lines, footnotes, alt
text, table headers, speaker notes) comes from :data:`STRINGS` through :func:`t`; every number
shown to an audience goes through :func:`number`, :func:`integer` or :func:`percent`, so that
``lang="nl"`` gives ``12,5%`` and ``1.234`` and ``lang="en"`` gives ``12.5%`` and ``1,234``.

Examples
--------
>>> from youthmedia import i18n
>>> i18n.percent(0.125, "nl", decimals=1), i18n.percent(0.125, "en", decimals=1)
('12,5%', '12.5%')
>>> i18n.integer(1512, "nl"), i18n.integer(1512, "en")
('1.512', '1,512')
>>> i18n.t("source", "en")
'Source'
>>> i18n.join(["WhatsApp", "YouTube", "TikTok"], "nl")
'WhatsApp, YouTube en TikTok'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .errors import ConfigError

__all__ = ["both", "integer", "number", "percent", "percent_range", "t"]

LANGS: tuple[str, ...] = ("nl", "en")
DEFAULT_LANG = "nl"

# key -> {lang: template}. Templates use str.format fields.
STRINGS: dict[str, dict[str, str]] = {
    # source line and footnotes
    "source": {"nl": "Bron", "en": "Source"},
    "weighted": {"nl": "gewogen", "en": "weighted"},
    "unweighted": {"nl": "ongewogen", "en": "unweighted"},
    "n_equals": {"nl": "n = {n}", "en": "n = {n}"},
    "data": {"nl": "gegevens", "en": "data"},
    "ci_note_bars": {"nl": "Lijnen: {level}-betrouwbaarheidsinterval",
                     "en": "Lines: {level} confidence interval"},
    "ci_note_band": {"nl": "Band: {level}-betrouwbaarheidsinterval",
                     "en": "Band: {level} confidence interval"},
    "ci_short": {"nl": "{level}-BI", "en": "{level} CI"},
    "suppressed_note": {"nl": "– = niet getoond: {reason}", "en": "– = not shown: {reason}"},
    "suppressed_default": {"nl": "te weinig waarnemingen", "en": "too few observations"},
    "indicative_note": {"nl": "* indicatief: minder dan {min_n} waarnemingen",
                        "en": "* indicative: fewer than {min_n} observations"},
    "truncated_note": {"nl": "De {shown} hoogste van {total} getoond",
                       "en": "The top {shown} of {total} shown"},
    "rows_note": {"nl": "De eerste {shown} van {total} getoond",
                  "en": "The first {shown} of {total} shown"},
    "population": {"nl": "jongeren", "en": "young people"},
    "percent_of": {"nl": "% van {population}", "en": "% of {population}"},
    "mean_of": {"nl": "gemiddelde", "en": "mean"},
    "median": {"nl": "mediaan", "en": "median"},
    "percentile": {"nl": "{p}e percentiel", "en": "{p}th percentile"},
    # headline pieces (youthmedia.figures.headline); "{pct}" is " (97%)" after a phrase, or ""
    # when {q} already is the number
    "q_numeric": {"nl": "{pct} van de {pop}", "en": "{pct} of {pop}"},
    "q_virtually_all": {"nl": "vrijwel alle {pop}", "en": "virtually all {pop}"},
    "q_about": {"nl": "ongeveer ", "en": "about "},
    "q_over": {"nl": "ruim ", "en": "more than "},
    "q_under": {"nl": "bijna ", "en": "almost "},
    "at_least_once": {"nl": "minstens één keer", "en": "at least once"},
    "at_least_answer": {"nl": "‘{answer}’ of vaker", "en": "‘{answer}’ or more"},
    "and_other": {"nl": "{first} en één ander antwoord", "en": "{first} and one other answer"},
    "and_others": {"nl": "{first} en {k} andere antwoorden", "en": "{first} and {k} other answers"},
    "h_answer": {"nl": "{pct} antwoordt {cats}", "en": "{pct} answer {cats}"},
    "span_waves": {"nl": "van {a} tot {b}", "en": "from {a} to {b}"},
    "span_groups": {"nl": "({b} vergeleken met {a})", "en": "({b} compared with {a})"},
    "no_clear_change": {"nl": "Geen duidelijke verandering", "en": "No clear change"},
    "no_clear_difference": {"nl": "Geen duidelijk verschil", "en": "No clear difference"},
    "pp": {"nl": "procentpunt", "en": "percentage points"},
    "to": {"nl": "tot", "en": "to"},
    "largest_note": {"nl": "De {shown} grootste verschillen van {total} getoond",
                     "en": "The {shown} largest differences of {total} shown"},
    "axis_pp_difference": {"nl": "Verschil in procentpunten", "en": "Difference in percentage points"},
    "axis_difference": {"nl": "Verschil", "en": "Difference"},
    "not_asked_in": {"nl": "niet gevraagd in", "en": "not asked in"},
    "h_reach_one": {"nl": "{item} bereikt {q}{pct}", "en": "{item} reaches {q}{pct}"},
    "h_reach_each": {"nl": "{items} bereiken elk {q} ({range})", "en": "{items} each reach {q} ({range})"},
    "each": {"nl": "elk {pct}", "en": "each {pct}"},
    "h_reach_tie": {"nl": "{items} bereiken ongeveer evenveel {pop} ({range})",
                    "en": "{items} reach about the same number of {pop} ({range})"},
    "h_named_one": {"nl": "{item} het vaakst genoemd, door {q}{pct}",
                    "en": "{item} named most often, by {q}{pct}"},
    "h_named_tie": {"nl": "{items} ongeveer even vaak genoemd ({range})",
                    "en": "{items} named about equally often ({range})"},
    "h_chosen_one": {"nl": "{item} het vaakst gekozen, door {q}{pct}",
                     "en": "{item} chosen most often, by {q}{pct}"},
    "h_chosen_tie": {"nl": "{items} ongeveer even vaak gekozen ({range})",
                     "en": "{items} chosen about equally often ({range})"},
    "h_single": {"nl": "{item}: {q}{pct}", "en": "{item}: {q}{pct}"},
    "h_mean_one": {"nl": "{item}: gemiddeld {value}", "en": "{item}: {value} on average"},
    "h_mean_top": {"nl": "Hoogste gemiddelde: {item} ({value})",
                   "en": "Highest mean: {item} ({value})"},
    "h_group_diff": {"nl": "{groups}; duidelijk verschil", "en": "{groups}; a clear difference"},
    "h_one_group": {"nl": "{groups}; de andere groepen zijn te klein om te tonen",
                    "en": "{groups}; the other groups are too small to show"},
    "h_group_same": {"nl": "{groups}; geen duidelijk verschil", "en": "{groups}; no clear difference"},
    "h_trend_up": {"nl": "{item}: gestegen van {a} ({wa}) naar {b} ({wb})",
                   "en": "{item}: up from {a} ({wa}) to {b} ({wb})"},
    "h_trend_down": {"nl": "{item}: gedaald van {a} ({wa}) naar {b} ({wb})",
                     "en": "{item}: down from {a} ({wa}) to {b} ({wb})"},
    "h_trend_flat": {"nl": "{item}: {a} ({wa}) en {b} ({wb}); geen duidelijke verandering",
                     "en": "{item}: {a} ({wa}) and {b} ({wb}); no clear change"},
    "h_trend_numbers": {"nl": "{item}: van {a} ({wa}) naar {b} ({wb})",
                        "en": "{item}: from {a} ({wa}) to {b} ({wb})"},
    "h_trend_one": {"nl": "{item}: {a} ({wa})", "en": "{item}: {a} ({wa})"},
    "h_none": {"nl": "{item}: geen schatting te tonen", "en": "{item}: no estimate to show"},
    "or": {"nl": "of", "en": "or"},
    "and": {"nl": "en", "en": "and"},
    "more": {"nl": "{k} meer", "en": "{k} more"},
    # coefficient plots (youthmedia.figures.coefplot)
    "coef_sub_or": {"nl": "Odds ratio's met {level}-betrouwbaarheidsinterval, logistische regressie op {outcome}",
                    "en": "Odds ratios with {level} confidence intervals, logistic regression of {outcome}"},
    "coef_sub_coef": {"nl": "Coëfficiënten met {level}-betrouwbaarheidsinterval, lineaire regressie op {outcome}",
                      "en": "Coefficients with {level} confidence intervals, linear regression of {outcome}"},
    "coef_sub_rr": {"nl": "Rate ratio's met {level}-betrouwbaarheidsinterval, log-lineaire "
                          "(Poisson-)regressie op {outcome}",
                    "en": "Rate ratios with {level} confidence intervals, log-linear (Poisson) "
                          "regression of {outcome}"},
    "coef_read_rr": {"nl": "Rate ratio boven 1: gemiddeld meer, onder 1: minder, bij gelijke andere "
                           "kenmerken in het model",
                     "en": "Rate ratio above 1: more on average, below 1: fewer, other "
                           "characteristics in the model being equal"},
    "coef_read_or": {"nl": "Odds ratio boven 1: grotere kans, onder 1: kleinere kans, bij gelijke "
                           "andere kenmerken in het model",
                     "en": "Odds ratio above 1: higher odds, below 1: lower odds, other "
                           "characteristics in the model being equal"},
    "coef_read_coef": {"nl": "Coëfficiënt: verschil in {outcome} per eenheid of ten opzichte van de "
                             "referentiegroep, bij gelijke andere kenmerken in het model",
                       "en": "Coefficient: difference in {outcome} per unit or compared with the "
                             "reference group, other characteristics in the model being equal"},
    "coef_clear": {"nl": "{outcome}: duidelijke samenhang met {terms}",
                   "en": "{outcome}: clear association with {terms}"},
    "coef_none": {"nl": "{outcome}: geen duidelijke samenhang met de kenmerken in het model",
                  "en": "{outcome}: no clear association with the characteristics in the model"},
    "coef_grey": {"nl": "Grijs: interval omvat {ref} (geen duidelijke samenhang)",
                  "en": "Grey: interval includes {ref} (no clear association)"},
    "alt_coefplot": {"nl": "Coëfficiëntenplot", "en": "Coefficient plot"},
    "k_others": {"nl": "{k} andere", "en": "{k} others"},
    # text slides (youthmedia.figures.listing)
    "not_shown_title": {"nl": "Niet getoond, en waarom", "en": "Not shown, and why"},
    "too_few": {"nl": "te weinig antwoorden ({n}; minstens n={k} nodig)",
                "en": "too few answers ({n}; at least n={k} needed)"},
    "not_estimated": {"nl": "niet te berekenen", "en": "could not be estimated"},
    # comparisons side by side (youthmedia.figures.compare)
    "cmp_numbers": {"nl": "{item}: {a} in {wa}, {b} in {wb}", "en": "{item}: {a} in {wa}, {b} in {wb}"},
    "cmp_same": {"nl": "{a} en {b} naast elkaar", "en": "{a} and {b} side by side"},
    "cmp_other": {"nl": "{a} en {b} naast elkaar — niet getoetst: andere steekproeven",
                  "en": "{a} and {b} side by side — not tested: different samples"},
    "alt_dumbbell": {"nl": "Halterdiagram", "en": "Dumbbell chart"},
    "published": {"nl": "gepubliceerde cijfers", "en": "published figures"},
    "secondary": {"nl": "secundaire bron", "en": "secondary source"},
    "no_n": {"nl": "geen n in de bron", "en": "no n in the source"},
    "more_notes": {"nl": "Meer kanttekeningen in de sprekersnotities.",
                   "en": "More caveats in the speaker notes."},
    # the app page (youthmedia.app.page)
    "app_title": {"nl": "youthmedia — van enquête naar dia's", "en": "youthmedia — from survey to slides"},
    "app_intro": {"nl": "Alles blijft op deze computer. Kies een bestand (.sav, .zsav, .por, .dta, "
                        ".csv, .tsv, .txt, .xlsx) of een voorbeeld.",
                  "en": "Everything stays on this computer. Choose a file (.sav, .zsav, .por, .dta, "
                        ".csv, .tsv, .txt, .xlsx) or an example."},
    "app_lang": {"nl": "Taal", "en": "Language"},
    "app_step1": {"nl": "1. Bestand", "en": "1. File"},
    "app_upload": {"nl": "Bestand kiezen", "en": "Choose a file"},
    "app_example": {"nl": "Voorbeeld", "en": "Example"},
    "app_open_example": {"nl": "Voorbeeld openen", "en": "Open example"},
    "app_progress": {"nl": "Voortgang", "en": "Progress"},
    "app_read": {"nl": "Bestand lezen…", "en": "Reading the file…"},
    "app_compute": {"nl": "Cijfers berekenen…", "en": "Computing the figures…"},
    "app_draw": {"nl": "Dia's tekenen…", "en": "Drawing the slides…"},
    "app_done": {"nl": "Klaar.", "en": "Done."},
    "app_error": {"nl": "Fout", "en": "Error"},
    "app_bug": {"nl": "Er ging iets mis ({what}); probeer het opnieuw of meld het.",
                "en": "Something went wrong ({what}); try again or report it."},
    "app_step2": {"nl": "2. Wat is herkend", "en": "2. What was understood"},
    "app_file": {"nl": "{file}: {n} respondenten", "en": "{file}: {n} respondents"},
    "app_weight": {"nl": "Weging: {w}", "en": "Weight: {w}"},
    "app_no_weight": {"nl": "geen (ongewogen)", "en": "none (unweighted)"},
    "app_breakdowns": {"nl": "Uitsplitsingen: {b}", "en": "Breakdowns: {b}"},
    "app_none_found": {"nl": "geen gevonden", "en": "none found"},
    "app_gender": {"nl": "geslacht", "en": "gender"},
    "app_age": {"nl": "leeftijdsgroep", "en": "age band"},
    "app_wave": {"nl": "meting", "en": "wave"},
    "app_small": {"nl": "Te weinig respondenten (minder dan {n}), dus niet apart getoond: {g}",
                  "en": "Too few respondents (fewer than {n}), so not shown separately: {g}"},
    "app_left_out": {"nl": "Weggelaten omdat ze respondenten kunnen herkennen",
                     "en": "Left out because they can identify respondents"},
    "app_questions": {"nl": "Vragen", "en": "Questions"},
    "app_answers": {"nl": "antwoorden", "en": "answers"},
    "app_answered": {"nl": "{n} beantwoord", "en": "{n} answered"},
    "app_few": {"nl": "minder dan {n} antwoorden: niet getoond",
                "en": "fewer than {n} answers: not shown"},
    "app_not_counted": {"nl": "niet meegeteld", "en": "not counted"},
    "app_in_slides": {"nl": "In de dia's (vraag {i})", "en": "In the slides (question {i})"},
    "app_kind": {"nl": "Soort (vraag {i})", "en": "Kind (question {i})"},
    "app_order": {"nl": "Volgorde (vraag {i})", "en": "Order (question {i})"},
    "app_exclude": {"nl": "Weglaten (vraag {i})", "en": "Leave out (question {i})"},
    "app_keep_out": {"nl": "Weglaten: {label} — {reason}", "en": "Leave out: {label} — {reason}"},
    "app_save": {"nl": "Correcties opslaan", "en": "Save corrections"},
    "app_saved": {"nl": "Opgeslagen in {file} (naast een kopie; het origineel blijft zoals het was).",
                  "en": "Saved in {file} (beside a copy; the original is unchanged)."},
    "app_step3": {"nl": "3. Dia's", "en": "3. Slides"},
    "app_by": {"nl": "Uitsplitsen naar {what}", "en": "Break down by {what}"},
    "app_make": {"nl": "Dia's maken", "en": "Make the slides"},
    "app_headline": {"nl": "Kop van dia {i}", "en": "Headline of slide {i}"},
    "app_step4": {"nl": "4. Downloaden", "en": "4. Download"},
    "app_deck": {"nl": "Presentatie (.pptx)", "en": "Deck (.pptx)"},
    "app_workbook": {"nl": "Tabellen (.xlsx)", "en": "Workbook (.xlsx)"},
    "app_figures": {"nl": "Figuren (.zip met PNG, SVG en alt-tekst)",
                    "en": "Figures (.zip of PNG, SVG and alt text)"},
    "app_download": {"nl": "Download {file}", "en": "Download {file}"},
    "kind_single": {"nl": "één antwoord", "en": "single choice"},
    "kind_scale": {"nl": "schaal (geordend)", "en": "scale (ordered)"},
    "kind_multi": {"nl": "meer antwoorden", "en": "multiple answers"},
    "kind_number": {"nl": "getal", "en": "number"},
    "kind_text": {"nl": "open tekst", "en": "free text"},
    "kind_date": {"nl": "datum/tijd", "en": "date/time"},
    # alt text
    "alt_bars": {"nl": "Liggend staafdiagram", "en": "Horizontal bar chart"},
    "alt_grouped": {"nl": "Gegroepeerd staafdiagram", "en": "Grouped bar chart"},
    "alt_dots": {"nl": "Stippendiagram", "en": "Dot plot"},
    "alt_trend": {"nl": "Lijndiagram over de tijd", "en": "Line chart over time"},
    "alt_diverging": {"nl": "Divergerend gestapeld staafdiagram",
                      "en": "Diverging stacked bar chart"},
    "alt_stacked": {"nl": "Gestapeld staafdiagram", "en": "Stacked bar chart"},
    "alt_heatmap": {"nl": "Heatmap", "en": "Heatmap"},
    "alt_big": {"nl": "Groot getal", "en": "Big number"},
    "alt_by": {"nl": "naar {by}", "en": "by {by}"},
    "alt_subtitle": {"nl": "Ondertitel", "en": "Subtitle"},
    "alt_headline": {"nl": "Kop", "en": "Headline"},
    "alt_not_shown": {"nl": "niet getoond", "en": "not shown"},
    "alt_indicative": {"nl": "indicatief", "en": "indicative"},
    # slides
    "deck_title": {"nl": "Jongeren en sociale media", "en": "Young people and social media"},
    "notes_numbers": {"nl": "Cijfers", "en": "Numbers"},
    "notes_caveats": {"nl": "Kanttekeningen", "en": "Caveats"},
    "notes_design": {"nl": "Steekproefontwerp", "en": "Design"},
    "notes_ci": {"nl": "Betrouwbaarheidsinterval", "en": "Confidence interval"},
    # the design and interval in words; notes of estimates (youthmedia.assembly, intervals)
    "design_srs": {"nl": "ongewogen: elke respondent telt één keer (enkelvoudige aselecte steekproef)",
                   "en": "unweighted: each respondent counts once (simple random sample)"},
    "design_weight": {"nl": "weging '{weight}'", "en": "weight '{weight}'"},
    "design_declared": {"nl": "weging '{weight}' (aangegeven in het bestand)",
                        "en": "weight '{weight}' (declared in the file)"},
    "design_no_strata": {"nl": "geen strata of clusters: elke respondent een eigen eenheid",
                         "en": "no strata or clusters: each respondent a PSU"},
    "design_taylor": {"nl": "Taylor-linearisatie", "en": "Taylor linearisation"},
    "design_strata": {"nl": "strata '{strata}'", "en": "strata '{strata}'"},
    "design_clusters": {"nl": "clusters {clusters}", "en": "clusters {clusters}"},
    "design_fpc": {"nl": "eindige-populatiecorrectie {fpc}", "en": "fpc {fpc}"},
    "design_lonely": {"nl": "stratum met één PSU: {how}", "en": "lonely PSU: {how}"},
    "design_replicate": {"nl": "{method}-replicatiegewichten ({n} replicaties{extra})",
                         "en": "{method} replicate weights ({n} replicates{extra})"},
    "design_mse": {"nl": ", gecentreerd op de schatting uit de hele steekproef",
                   "en": ", centred on the full-sample estimate"},
    "design_built": {"nl": " gemaakt uit {what}", "en": " built from {what}"},
    "design_respondents": {"nl": "de respondenten", "en": "the respondents"},
    "cal_post-stratified": {"nl": "gepoststratificeerd naar {rest}", "en": "post-stratified to {rest}"},
    "cal_raked": {"nl": "geraked naar {rest}", "en": "raked to {rest}"},
    "cal_calibrated": {"nl": "gekalibreerd {rest}", "en": "calibrated {rest}"},
    "cal_weights": {"nl": "gewichten afgekapt {rest}", "en": "weights trimmed {rest}"},
    "ci_logit": {"nl": "logit", "en": "logit"},
    "ci_likelihood": {"nl": "profiel-likelihood", "en": "likelihood profile"},
    "ci_beta": {"nl": "Korn–Graubard (bèta)", "en": "Korn–Graubard (beta)"},
    "ci_xlogit": {"nl": "xlogit", "en": "xlogit"},
    "ci_asin": {"nl": "arcsinus", "en": "arcsine"},
    "ci_mean": {"nl": "Wald (afgekapt op 0–100%)", "en": "Wald (cut to 0–100%)"},
    "ci_wilson": {"nl": "Wilson op de effectieve n", "en": "Wilson on the effective n"},
    "ci_t": {"nl": "t-verdeling, vrijheidsgraden van het ontwerp",
             "en": "t distribution, design degrees of freedom"},
    "ci_woodruff": {"nl": "Woodruff", "en": "Woodruff"},
    "ci_normal": {"nl": "normale verdeling", "en": "normal distribution"},
    "ci_t_df": {"nl": "t-verdeling met {df} vrijheidsgraden", "en": "t distribution on {df} df"},
    "ci_compare": {"nl": "logit (groepen), t (verschil)", "en": "logit (groups), t (difference)"},
    "ci_wilson_srs": {"nl": "Wilson (enkelvoudige aselecte steekproef)",
                      "en": "Wilson (simple random sample)"},
    "note_clopper_pearson": {
        "nl": "Waar een aandeel 0% of 100% is (of geen variantie heeft), is het interval "
              "Clopper–Pearson op de effectieve n (Kish).",
        "en": "Where a share is 0% or 100% (or has no variance) the interval is "
              "Clopper–Pearson on the Kish effective n."},
    "note_likelihood_fallback": {
        "nl": "Waar het likelihoodprofiel niet te berekenen was (een heel kleine groep), is het "
              "interval het logit-interval.",
        "en": "Where the likelihood profile could not be computed (a tiny group) the interval "
              "is the logit one."},
    "note_difference": {"nl": "Verschil = {b} − {a}.", "en": "Difference = {b} − {a}."},
    "note_difference_pp": {"nl": "Verschil = {b} − {a} in procentpunten.",
                           "en": "Difference = {b} − {a} in percentage points."},
    "note_no_test": {"nl": "Geen toets op onafhankelijkheid: '{single}' heeft maar één categorie bij "
                           "wie zowel '{row}' als '{col}' beantwoordde.",
                     "en": "No test of independence: '{single}' has a single category among those "
                           "who answered both '{row}' and '{col}'."},
    # tables
    "col_variable": {"nl": "Vraag", "en": "Question"},
    "col_category": {"nl": "Antwoord", "en": "Answer"},
    "col_percent": {"nl": "Percentage", "en": "Percentage"},
    "col_estimate": {"nl": "Schatting", "en": "Estimate"},
    "col_se": {"nl": "Standaardfout", "en": "Standard error"},
    "col_ci_low": {"nl": "{level}-BI onder", "en": "{level} CI lower"},
    "col_ci_high": {"nl": "{level}-BI boven", "en": "{level} CI upper"},
    "col_n": {"nl": "n (ongewogen)", "en": "n (unweighted)"},
    "col_n_eff": {"nl": "Effectieve n", "en": "Effective n"},
    "col_base": {"nl": "Gewogen basis", "en": "Weighted base"},
    "col_note": {"nl": "Opmerking", "en": "Note"},
    "contents": {"nl": "Inhoud", "en": "Contents"},
    "sheet": {"nl": "Blad", "en": "Sheet"},
    "table": {"nl": "Tabel", "en": "Table"},
    "figure": {"nl": "Figuur", "en": "Figure"},
}


#: The reasons io gives (in English) for leaving a column out as identifying, in Dutch
#: (:func:`reason`); a reason's words are replaced, so "x: with other answers ..." works too.
REASONS_NL: dict[str, str] = {
    "respondent ID of the Forms export": "respondentnummer van de Forms-export",
    "start time of the response": "begintijd van het antwoord",
    "completion time of the response": "tijd van voltooien van het antwoord",
    "time the response was last changed": "tijd van de laatste wijziging",
    "time the response was sent": "tijd waarop het antwoord is verstuurd",
    ": with other answers it can identify a respondent":
        ": samen met andere antwoorden kan dit een respondent herkenbaar maken",
    "left out by the trainer in the app": "door de trainer weggelaten in de app",
}


def reason(text: str, lang: str | None = None) -> str:
    """Why a column is left out (a reason from :mod:`youthmedia.io`), in ``lang``.

    Examples
    --------
    >>> reason("start time of the response", "nl")
    'begintijd van het antwoord'
    """
    if check_lang(lang) == "nl":
        for en, nl in REASONS_NL.items():
            text = text.replace(en, nl)
    return text


def check_lang(lang: str | None) -> str:
    """Return ``lang`` if supported (``None`` means the default), else raise ``ConfigError``.

    Examples
    --------
    >>> check_lang(None)
    'nl'
    """
    if lang is None:
        return DEFAULT_LANG
    if lang not in LANGS:
        raise ConfigError(f"Unknown language {lang!r}; use one of {', '.join(LANGS)}.")
    return lang


def t(key: str, lang: str | None = None, **fields: Any) -> str:
    """The string ``key`` in ``lang``, with ``fields`` filled in.

    Examples
    --------
    >>> t("n_equals", "nl", n="1.512")
    'n = 1.512'
    """
    return _fill(STRINGS, "youthmedia.i18n.STRINGS", key, lang, fields)


def both(key: str, **fields: Any) -> dict[str, str]:
    """The string ``key`` in every language, ``{lang: text}`` (a note or design line).

    Examples
    --------
    >>> both("design_taylor")
    {'nl': 'Taylor-linearisatie', 'en': 'Taylor linearisation'}
    """
    return {lang: t(key, lang, **fields) for lang in LANGS}


def translator(strings: Mapping[str, Mapping[str, str]], where: str) -> Callable[..., str]:
    """A :func:`t` over a module's own table of strings (``where`` names it in errors).

    Examples
    --------
    >>> say = translator({"hi": {"nl": "Hoi {who}", "en": "Hi {who}"}}, "example")
    >>> say("hi", "en", who="Ann")
    'Hi Ann'
    """
    def lookup(key: str, lang: str | None = None, **fields: Any) -> str:
        return _fill(strings, where, key, lang, fields)

    return lookup


def _fill(strings: Mapping[str, Mapping[str, str]], where: str, key: str, lang: str | None,
          fields: dict[str, Any]) -> str:
    lang = check_lang(lang)
    try:
        template = strings[key][lang]
    except KeyError:
        raise ConfigError(f"No text {key!r} in language {lang!r} ({where}).") from None
    return template.format(**fields) if fields else template


def _separators(lang: str) -> tuple[str, str]:
    """(thousands, decimal) separators."""
    return (".", ",") if check_lang(lang) == "nl" else (",", ".")


def number(x: float | int | None, lang: str | None = None, decimals: int = 0) -> str:
    """``x`` with ``decimals`` decimals and the language's separators; ``""`` for missing.

    Halves are rounded away from zero (``12.5`` → ``13``).

    Examples
    --------
    >>> number(1234.5, "nl", 1), number(1234.5, "en", 1), number(-0.04, "en", 1)
    ('1.234,5', '1,234.5', '0.0')
    >>> number(12.5, "nl"), number(14.5, "nl")
    ('13', '15')
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return ""
    thousands, dec = _separators(lang or DEFAULT_LANG)
    # half away from zero, as readers and statistical offices round (12.5 -> 13, not 12), after
    # removing binary noise (0.145 * 100 = 14.499999999999998 is 14.5)
    exact = Decimal(f"{float(x):.9f}").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{exact:,.{decimals}f}"
    if text.startswith("-") and exact == 0:
        text = text[1:]  # no "-0.0"
    return text.replace(",", "\0").replace(".", dec).replace("\0", thousands)


def integer(n: float | int | None, lang: str | None = None) -> str:
    """A whole number with a thousands separator (``1.512`` / ``1,512``)."""
    return number(n, lang, 0)


def percent(p: float | None, lang: str | None = None, decimals: int = 0) -> str:
    """A proportion 0–1 as a percentage (``0.125`` → ``12,5%`` / ``12.5%``); ``""`` for missing.

    Values that round to 0% or 100% but are not exactly 0 or 1 are shown as ``<1%`` / ``>99%``
    (at the chosen precision), so that a small share is never shown as nothing and an almost
    universal one never as everyone.

    Examples
    --------
    >>> percent(0.004, "en"), percent(0.998, "nl"), percent(1.0, "nl")
    ('<1%', '>99%', '100%')
    """
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return ""
    p = float(p)
    step = 10.0 ** -decimals
    value = 100 * p
    if 0 < value < step / 2:
        return "<" + number(step, lang, decimals) + "%"
    if 100 - step / 2 <= value < 100:
        return ">" + number(100 - step, lang, decimals) + "%"
    return number(value, lang, decimals) + "%"


def percent_range(low: float | None, high: float | None, lang: str | None = None,
                  decimals: int = 0) -> str:
    """An interval of proportions as ``12–15%``; ``""`` if either end is missing.

    Examples
    --------
    >>> percent_range(0.12, 0.155, "nl", 1)
    '12,0–15,5%'
    """
    lo, hi = percent(low, lang, decimals), percent(high, lang, decimals)
    if not lo or not hi:
        return ""
    return f"{lo.rstrip('%')}–{hi}"


def join(items: Iterable[str], lang: str | None = None, word: str = "and") -> str:
    """``a, b en c`` / ``a, b and c`` (``word="or"`` for ``of`` / ``or``)."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {t(word, lang)} {items[-1]}"


def text_in(value: Any, lang: str | None = None) -> str:
    """A note that may be a plain string or a ``{lang: text}`` dict, in ``lang`` where present."""
    if isinstance(value, dict):
        lang = check_lang(lang)
        for key in (lang, DEFAULT_LANG, "en", None):
            if key in value and value[key]:
                return str(value[key])
        return str(next(iter(value.values()), ""))
    return "" if value is None else str(value)
