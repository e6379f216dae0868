"""A corpus of synthetic survey files with identifiers planted where issue 13 found them.

:func:`build` writes every file into a folder and returns ``{file name: [planted identifiers]}``:
the texts that must never appear in any output made from that file. Every file also holds
ordinary questions, so that ``tables`` and ``slides`` have something to show.

- ``forms_klas.csv``: a Microsoft Forms export (class of 24) whose single-choice "Vraag 7" has
  three e-mail addresses typed as answers, whose multi-select has Instagram handles, a phone
  number and a BSN typed in its "Anders" box, and whose "Wie pesten jou?" lists classmates.
- ``google_klas.xlsx``: a Google Forms export as Excel with an IBAN, a street address with
  postcode and a date of birth written as text typed into an open "anders" answer, and a
  single-choice question whose options are classmates' first names.
- ``autorecode.sav``: SPSS, a variable recoded from names (AUTORECODE: the value labels are the
  pupils' names), beside gender and a yes/no question.
- ``leerlingen.csv``: student numbers (``leerlingnummer``, ``stamnummer``, ``leerlingcode``), a
  BSN with dots, repeated full names in lower case, birth dates as Dutch and English text, street
  addresses and IBANs — each in a column of its own — beside ordinary questions.
- ``labels.sav``: control characters (ESC, BEL) in value labels, a variable label holding
  ``<script>`` and one ``=HYPERLINK(...)``, and a 10,000-character label.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

N = 24
GIRLS = [
    "Sanne",
    "Lotte",
    "Emma",
    "Julia",
    "Tess",
    "Zoë",
    "Noor",
    "Fleur",
    "Anouk",
    "Lieke",
    "Femke",
    "Sophie",
    "Yara",
]
BOYS = ["Daan", "Lucas", "Sem", "Finn", "Levi", "Noah", "Thijs", "Bram", "Luuk", "Milan", "Ruben"]
SURNAMES = [
    "de Vries",
    "Jansen",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
]


def _full(i: int) -> str:
    first = (GIRLS + BOYS)[i % N]
    return f"{first} {SURNAMES[i % len(SURNAMES)]}"


def _forms_csv(folder: Path) -> list[str]:
    rng = np.random.default_rng(13)
    emails = ["sanne.devries@gmail.com", "daan2009@hotmail.nl", "lotte_b@school.example"]
    handles = ["@sanne_2009", "@daan.jansen"]
    phone, bsn = "06-12345678", "1234.56.782"
    header = [
        "ID",
        "Begintijd",
        "Tijd van voltooiing",
        "E-mail",
        "Naam",
        "Tijdstip van laatste wijziging",
        "Hoe oud ben je?",
        "Ik ben een",
        "Vraag 7",
        "Welke apps gebruik je? (kies alles wat van toepassing is)",
        "Wie pesten jou? (kies alles wat van toepassing is)",
        "Ben je de afgelopen twee maanden online gepest?",
    ]
    apps = ["WhatsApp", "TikTok", "Instagram", "Snapchat", "YouTube"]
    bullies = ["Daan Jansen", "Lotte Bakker", "Sem Visser", "Niemand"]
    rows = []
    for i in range(N):
        chosen = [a for a in apps if rng.random() < 0.6] or ["WhatsApp"]
        if i in (3, 9):
            chosen.append(handles[i == 9])
        if i == 5:
            chosen.append(f"bel me {phone}")
        if i == 7:
            chosen.append(f"mijn bsn is {bsn}")
        who = ["Niemand"] if i % 4 else [bullies[i % 3]]
        answer7 = emails[i // 5] if i in (0, 5, 10) else ["Soms", "Vaak", "Nooit"][i % 3]
        rows.append(
            [
                i + 1,
                f"12-3-2024 10:{i:02d}:00",
                f"12-3-2024 10:{i + 5:02d}:00",
                f"{(GIRLS + BOYS)[i].lower()}@school.example",
                _full(i),
                "",
                12 + i % 4,
                "Meisje" if i < 20 else "Jongen",
                answer7,
                ";".join(chosen) + ";",
                ";".join(who) + ";",
                ["Nee", "Ja, één of twee keer", "Nee", "Ja, vaker"][i % 4],
            ]
        )
    buf = io.StringIO()
    csv.writer(buf, delimiter=";", lineterminator="\r\n").writerows([header, *rows])
    (folder / "forms_klas.csv").write_text(buf.getvalue(), encoding="utf-8-sig")
    return [
        *emails,
        *handles,
        phone,
        bsn,
        "Daan Jansen",
        "Lotte Bakker",
        "Sem Visser",
        *(_full(i) for i in range(N)),
        "sanne@school.example",
    ]


def _google_xlsx(folder: Path) -> list[str]:
    from openpyxl import Workbook

    iban, address, birth = "NL91ABNA0417164300", "Dorpsstraat 12, 1234 AB Ons Dorp", "14 maart 2009"
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "Tijdstempel",
            "E-mailadres",
            "Ik ben een",
            "Met wie zit je naast in de klas?",
            "Gebruik je TikTok?",
            "Wat doe je het liefst online? (anders, namelijk)",
        ]
    )
    for i in range(N):
        open_answer = {
            2: f"geld naar {iban}",
            6: f"ik woon op {address}",
            11: f"ik ben geboren op {birth}",
        }.get(i, ["Gamen", "Chatten", "Video's"][i % 3])
        ws.append(
            [
                f"2024/03/12 10:{i:02d}:00",
                f"leerling{i}@school.example",
                "Meisje" if i % 5 else "Jongen",
                ["Daan", "Lotte", "Sem", "Fleur"][i % 4],
                "Ja" if i % 3 else "Nee",
                open_answer,
            ]
        )
    wb.save(folder / "google_klas.xlsx")
    return [
        iban,
        "NL91 ABNA 0417 1643 00",
        "Dorpsstraat 12",
        "1234 AB",
        birth,
        "Daan",
        "Lotte",
        "Fleur",
        "leerling3@school.example",
    ]


def _autorecode_sav(folder: Path) -> list[str]:
    import pyreadstat

    names = [_full(i) for i in range(N)]
    df = pd.DataFrame(
        {
            "naam_code": np.arange(1, N + 1, dtype=float),
            "geslacht": np.array([1.0 if i < 21 else 2.0 for i in range(N)]),
            "gepest": np.array([float(i % 3 == 0) for i in range(N)]),
        }
    )
    pyreadstat.write_sav(
        df,
        str(folder / "autorecode.sav"),
        column_labels={
            "naam_code": "Leerling (AUTORECODE)",
            "geslacht": "Geslacht",
            "gepest": "Online gepest",
        },
        variable_value_labels={
            "naam_code": {float(i + 1): n for i, n in enumerate(names)},
            "geslacht": {1.0: "meisje", 2.0: "jongen"},
            "gepest": {0.0: "nee", 1.0: "ja"},
        },
    )
    return names


def _students_csv(folder: Path) -> list[str]:
    lower = [_full(i % 8).lower() for i in range(N)]  # each name three times
    births = [
        f"{1 + i} {['maart', 'april', 'June', 'July'][i % 4]} 20{10 - i % 3:02d}" for i in range(N)
    ]
    births = [b if i % 2 else b.replace(" 20", ", 20") for i, b in enumerate(births)]
    streets = [f"{['Kerkstraat', 'Molenweg', 'Schoollaan'][i % 3]} {i + 1}" for i in range(N)]
    bsns = ["1112.22.333", "1234.56.782", "9999.99.990"]
    ibans = ["NL91 ABNA 0417 1643 00", "NL02 RABO 0123 4567 89", "NL20 INGB 0001 2345 67"]
    frame = pd.DataFrame(
        {
            "leerlingnummer": [f"{204500 + i}" for i in range(N)],
            "stamnummer": [f"{31200 + 7 * i}" for i in range(N)],
            "leerlingcode": [f"LL{i:04d}" for i in range(N)],
            "wie": lower,
            "geboren": births,
            "woonadres": streets,
            "burgerservice": [bsns[i % 3] for i in range(N)],
            "rekening": [ibans[i % 3] for i in range(N)],
            "geslacht": ["meisje" if i < 13 else "jongen" for i in range(N)],
            "gepest": ["ja" if i % 3 == 0 else "nee" for i in range(N)],
            "uren_online": [1 + i % 6 for i in range(N)],
        }
    )
    frame.to_csv(folder / "leerlingen.csv", sep=";", index=False)
    return [*{x for x in lower}, *births, *streets, *bsns, *ibans, "204503", "LL0007"]


def _labels_sav(folder: Path) -> list[str]:
    import pyreadstat

    df = pd.DataFrame(
        {
            "geslacht": np.array([1.0 if i < 21 else 2.0 for i in range(N)]),
            "gepest": np.array([float(i % 3 == 0) for i in range(N)]),
            "tevreden": np.array([float(1 + i % 5) for i in range(N)]),
        }
    )
    pyreadstat.write_sav(
        df,
        str(folder / "labels.sav"),
        column_labels={
            "geslacht": "Geslacht <script>alert('x')</script>",
            "gepest": '=HYPERLINK("http://evil.example","Online gepest")',
            "tevreden": "Tevreden " + "heel erg lang " * 770,
        },
        variable_value_labels={
            "geslacht": {1.0: "meisje\x1b[31m", 2.0: "jongen\x07"},
            "gepest": {0.0: "nee", 1.0: "ja"},
        },
    )
    return ["<script>", "\x1b", "\x07", "=HYPERLINK"]


def build(folder: Path) -> dict[str, list[str]]:
    """Write the corpus into ``folder``; returns file name -> identifiers planted in it."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "forms_klas.csv": _forms_csv(folder),
        "google_klas.xlsx": _google_xlsx(folder),
        "autorecode.sav": _autorecode_sav(folder),
        "leerlingen.csv": _students_csv(folder),
        "labels.sav": _labels_sav(folder),
    }
