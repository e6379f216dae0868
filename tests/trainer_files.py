"""A trainer's own survey files, written here in the shapes the tools really export (issue 14).

One class of 40 pupils (seeded, so the same every run) answers six questions; :func:`write`
puts those answers in one of the shapes below. The tests count every share by hand from
:data:`CLASS`, never from the library's reading of the file.

Shapes: a Dutch Excel CSV (cp1252, ``;``, decimal comma), a UTF-8-BOM tab ``.txt``, a UTF-16
Excel "Unicode text" file, Microsoft Forms ``.xlsx`` in Dutch (variant headers) and English,
Google Forms CSV in Dutch and English, a SurveyMonkey ``.xlsx`` with two header rows, a
Qualtrics CSV with three header rows, a LimeSurvey CSV, a CSV ending in a ``Totaal`` row, an
SPSS file of unrelated yes/no items, and a 5-row file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from dataclasses import dataclass
from pathlib import Path

APPS = ["TikTok", "Instagram", "WhatsApp", "Snapchat"]
LIKERT = {
    "nl": ["Helemaal mee oneens", "Mee oneens", "Neutraal", "Mee eens", "Helemaal mee eens"],
    "en": ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"],
}
OFTEN = {
    "nl": ["Nooit", "Soms", "Vaak", "Weet ik niet"],
    "en": ["Never", "Sometimes", "Often", "Don't know"],
}
GENDER = {
    "nl": ["Jongen", "Meisje", "Zeg ik liever niet"],
    "en": ["Boy", "Girl", "Prefer not to say"],
}
NO_APPS = {"nl": "Ik gebruik geen sociale media", "en": "I don't use social media"}
Q = {
    "nl": {
        "age": "Hoe oud ben je?",
        "gender": "Ik ben een",
        "apps": "Welke apps gebruik je?",
        "happy": "Sociale media maken me blij",
        "bullied": "Hoe vaak ben je online gepest?",
        "grade": "Rapportcijfer",
    },
    "en": {
        "age": "How old are you?",
        "gender": "Gender",
        "apps": "Which apps do you use?",
        "happy": "Social media make me happy",
        "bullied": "How often were you bullied online?",
        "grade": "School grade",
    },
}


@dataclass
class Pupil:
    age: int
    gender: int  # index into GENDER
    apps: list[str]  # empty: uses none; None: skipped the question
    happy: int  # index into LIKERT
    bullied: int  # index into OFTEN
    grade: float


def _class(n: int = 40, seed: int = 14) -> list[Pupil]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        apps = [a for a in APPS if rnd.random() < (0.7, 0.5, 0.85, 0.4)[APPS.index(a)]]
        if i in (5, 17):
            apps = []  # "Ik gebruik geen sociale media"
        if i == 23:
            apps = None  # skipped
        out.append(
            Pupil(
                age=rnd.randint(12, 17),
                gender=(0, 1, 0, 1, 2)[i % 5] if i % 7 else 1,
                apps=apps,
                happy=rnd.choice([0, 1, 2, 3, 3, 4, 4]),
                bullied=rnd.choice([0, 0, 0, 1, 1, 2, 3]),
                grade=round(rnd.uniform(5, 9.5), 1),
            )
        )
    return out


CLASS = _class()


def hand(pupils: list[Pupil], what: str, lang: str = "nl") -> dict[str, float]:
    """Shares counted by hand: non-answers and skipped questions out of the base."""
    if what == "apps":
        answered = [p for p in pupils if p.apps is not None]
        return {a: sum(a in p.apps for p in answered) / len(answered) for a in APPS}
    if what == "gender":
        answered = [p for p in pupils if p.gender != 2]
        return {
            GENDER[lang][g]: sum(p.gender == g for p in answered) / len(answered) for g in (0, 1)
        }
    if what == "happy":
        return {LIKERT[lang][k]: sum(p.happy == k for p in pupils) / len(pupils) for k in range(5)}
    if what == "bullied":
        answered = [p for p in pupils if p.bullied != 3]
        return {
            OFTEN[lang][k]: sum(p.bullied == k for p in answered) / len(answered) for k in range(3)
        }
    raise ValueError(what)


def _answers(p: Pupil, lang: str, joiner: str = ";", trailing: bool = False) -> list[str]:
    apps = "" if p.apps is None else joiner.join(p.apps or [NO_APPS[lang]])
    if trailing and apps:
        apps += ";"
    return [str(p.age), GENDER[lang][p.gender], apps, LIKERT[lang][p.happy], OFTEN[lang][p.bullied]]


def _grade(p: Pupil, comma: bool) -> str:
    return f"{p.grade:.1f}".replace(".", ",") if comma else f"{p.grade:.1f}"


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def _head(lang: str) -> list[str]:
    q = Q[lang]
    return [q["age"], q["gender"], q["apps"], q["happy"], q["bullied"]]


def _xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def _when(i: int) -> dt.datetime:
    return dt.datetime(2024, 4, 15, 9, 0) + dt.timedelta(minutes=7 * i)


def dutch_excel_csv(folder: Path, pupils: list[Pupil] = CLASS, name: str = "klas.csv") -> Path:
    rows = [_head("nl") + [Q["nl"]["grade"]]]
    rows += [_answers(p, "nl") + [_grade(p, True)] for p in pupils]
    path = folder / name
    path.write_bytes(_csv(rows, ";").encode("cp1252"))
    return path


def bom_tab_txt(folder: Path) -> Path:
    rows = [_head("nl")] + [_answers(p, "nl", " | ") for p in CLASS]
    path = folder / "klas_tab.txt"
    path.write_bytes(b"\xef\xbb\xbf" + _csv(rows, "\t").encode("utf-8"))
    return path


def utf16_txt(folder: Path) -> Path:
    rows = [_head("en") + [Q["en"]["grade"]]]
    rows += [_answers(p, "en", ", ") + [_grade(p, False)] for p in CLASS]
    path = folder / "class_unicode.txt"
    path.write_bytes(_csv(rows, "\t").encode("utf-16"))  # BOM + UTF-16-LE, as Excel writes
    return path


def ms_forms_nl(folder: Path) -> Path:
    head = ["Id", "Begintijd", "Tijd van voltooien", "E-mail", "Naam"] + _head("nl")
    rows: list[list[object]] = [head]
    for i, p in enumerate(CLASS):
        rows.append(
            [i + 1, _when(i), _when(i) + dt.timedelta(minutes=3), "anoniem", ""]
            + _answers(p, "nl", ";", trailing=True)
        )
    return _xlsx(folder / "Klasenquête(1-40).xlsx", rows)


def ms_forms_en(folder: Path) -> Path:
    head = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    rows: list[list[object]] = [head + _head("en")]
    for i, p in enumerate(CLASS):
        rows.append(
            [i + 1, _when(i), _when(i) + dt.timedelta(minutes=4), "anonymous", "", ""]
            + _answers(p, "en", ";", trailing=True)
        )
    return _xlsx(folder / "Class survey(1-40).xlsx", rows)


def google_forms(folder: Path, lang: str) -> Path:
    stamp = "Tijdstempel" if lang == "nl" else "Timestamp"
    rows = [[stamp] + _head(lang)]
    for i, p in enumerate(CLASS):
        when = _when(i).strftime("%d-%m-%Y %H:%M:%S" if lang == "nl" else "%Y/%m/%d %I:%M:%S %p")
        rows.append([when] + _answers(p, lang, ", "))
    path = folder / f"Formulierreacties {lang}.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    return path


def surveymonkey_xlsx(folder: Path) -> Path:
    q = Q["nl"]
    options = APPS + [NO_APPS["nl"]]
    head = (
        [
            "Respondent ID",
            "Collector ID",
            "Start Date",
            "End Date",
            q["age"],
            q["gender"],
            q["apps"],
        ]
        + [None] * (len(options) - 1)
        + [q["happy"], q["bullied"]]
    )
    sub = [None] * 4 + ["Response", "Response"] + options + ["Response", "Response"]
    rows: list[list[object]] = [head, sub]
    for i, p in enumerate(CLASS):
        chosen = [] if p.apps is None else (p.apps or [NO_APPS["nl"]])
        age, gender, _apps, happy, bullied = _answers(p, "nl")
        rows.append(
            [
                11400000 + 37 * i,
                4242,
                _when(i),
                _when(i) + dt.timedelta(minutes=5),
                int(age),
                gender,
            ]
            + [o if o in chosen else None for o in options]
            + [happy, bullied]
        )
    return _xlsx(folder / "SurveyMonkey_klas.xlsx", rows)


def qualtrics_csv(folder: Path) -> Path:
    meta = [
        "StartDate",
        "EndDate",
        "Status",
        "IPAddress",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "RecordedDate",
        "ResponseId",
    ]
    names = meta + ["Q1", "Q2", "Q3", "Q4", "Q5"]
    texts = [
        "Start Date",
        "End Date",
        "Response Type",
        "IP Address",
        "Progress",
        "Duration (in seconds)",
        "Finished",
        "Recorded Date",
        "Response ID",
    ] + _head("en")
    ids = [
        json.dumps({"ImportId": k})
        for k in (
            "startDate",
            "endDate",
            "status",
            "ipAddress",
            "progress",
            "duration",
            "finished",
            "recordedDate",
            "_recordId",
        )
    ]
    ids += [json.dumps({"ImportId": f"QID{k}"}) for k in range(1, 6)]
    rows = [names, texts, ids]
    for i, p in enumerate(CLASS):
        when = _when(i).strftime("%Y-%m-%d %H:%M:%S")
        rows.append(
            [when, when, "0", f"145.{i}.3.{i + 7}", "100", str(200 + i), "1", when, f"R_{i:04d}xQ"]
            + _answers(p, "en", ",")
        )
    path = folder / "qualtrics_export.csv"
    path.write_text(_csv(rows), encoding="utf-8")
    return path


def limesurvey_csv(folder: Path) -> Path:
    q = Q["nl"]
    options = APPS + [NO_APPS["nl"]]
    head = ["id", "submitdate", "lastpage", "startlanguage", "seed", q["age"], q["gender"]]
    head += [f"{q['apps']} [{o}]" for o in options] + [q["happy"], q["bullied"]]
    rows = [head]
    for i, p in enumerate(CLASS):
        chosen = [] if p.apps is None else (p.apps or [NO_APPS["nl"]])
        age, gender, _apps, happy, bullied = _answers(p, "nl")
        rows.append(
            [
                str(i + 1),
                _when(i).strftime("%Y-%m-%d %H:%M:%S"),
                "3",
                "nl",
                str(1000 + 17 * i),
                age,
                gender,
            ]
            + ["Y" if o in chosen else "" for o in options]
            + [happy, bullied]
        )
    path = folder / "results-survey123456.csv"
    path.write_text(_csv(rows, ";"), encoding="utf-8")
    return path


def totaal_csv(folder: Path) -> Path:
    path = dutch_excel_csv(folder, name="klas_met_totaal.csv")
    total = ";".join(
        ["Totaal", "", "", "", "", f"{sum(p.grade for p in CLASS):.1f}".replace(".", ",")]
    )
    path.write_bytes(path.read_bytes() + (total + "\r\n").encode("cp1252"))
    return path


#: unrelated yes/no questions from a harassment survey, 1 = ja, 2 = nee
YES_NO = {
    "profiel_afgeschermd": "Mijn profiel is alleen zichtbaar voor contacten",
    "echte_naam": "Ik gebruik mijn echte naam",
    "fotos": "Ik zet foto's van mezelf online",
    "slachtoffer": "Ik ben online lastiggevallen",
    "dader": "Ik heb iemand online lastiggevallen",
}


def yes_no_codes(n: int = 60, seed: int = 7) -> dict[str, list[float]]:
    rnd = random.Random(seed)
    out = {
        k: [1.0 if rnd.random() < share else 2.0 for _ in range(n)]
        for k, share in zip(YES_NO, (0.6, 0.45, 0.7, 0.3, 0.15), strict=True)
    }
    out["geslacht"] = [float(1 + i % 2) for i in range(n)]
    return out


def spss_yes_no(folder: Path) -> Path:
    import pandas as pd
    from conftest import load_tool

    write_sav = load_tool("spss_write").write_sav

    codes = yes_no_codes()
    labels = {k: {1: "Ja", 2: "Nee"} for k in YES_NO}
    labels["geslacht"] = {1: "Jongen", 2: "Meisje"}
    return write_sav(
        pd.DataFrame(codes),
        folder / "lastiggevallen.sav",
        column_labels={**YES_NO, "geslacht": "Geslacht"},
        variable_value_labels=labels,
    )


def five_rows(folder: Path) -> Path:
    return dutch_excel_csv(folder, CLASS[:5], name="vijf.csv")


SHAPES = {
    "dutch_excel_csv": dutch_excel_csv,
    "bom_tab_txt": bom_tab_txt,
    "utf16_txt": utf16_txt,
    "ms_forms_nl": ms_forms_nl,
    "ms_forms_en": ms_forms_en,
    "google_nl": lambda f: google_forms(f, "nl"),
    "google_en": lambda f: google_forms(f, "en"),
    "surveymonkey": surveymonkey_xlsx,
    "qualtrics": qualtrics_csv,
    "limesurvey": limesurvey_csv,
    "totaal": totaal_csv,
    "spss_yes_no": spss_yes_no,
    "five_rows": five_rows,
}
#: the language of each shape's answers
LANG = {"utf16_txt": "en", "ms_forms_en": "en", "google_en": "en", "qualtrics": "en"}
