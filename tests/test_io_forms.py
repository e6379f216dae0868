"""Microsoft Forms and Google Forms exports, written here the way the services write them."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from openpyxl import Workbook

import youthmedia as ym
from youthmedia.io.roles import split_answers

MS_HEADER = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Last modified time",
    "Hoe oud ben je?",
    "Welke apps gebruik je? (meer antwoorden mogelijk)",
    "Hoe vaak ben je online?",
    "Wat vind je van social media?",
]
# 6 respondents; the multi-select answers end in ';' as Microsoft Forms writes them
MS_ROWS = [
    [
        1,
        "4/15/24 10:23:45",
        "4/15/24 10:25:01",
        "anonymous",
        "",
        "",
        14,
        "WhatsApp;Instagram;",
        "Ja, elke dag",
        "leuk, maar soms te veel",
    ],
    [2, "4/15/24 10:24:00", "4/15/24 10:26:30", "anonymous", "", "", 15, "TikTok;", "Nee", "saai"],
    [
        3,
        "4/16/24 09:00:00",
        "4/16/24 09:03:00",
        "anonymous",
        "",
        "",
        13,
        "WhatsApp;TikTok;Snapchat;",
        "Ja, soms",
        "handig voor school, en vrienden",
    ],
    [4, "4/16/24 09:10:00", "4/16/24 09:13:00", "anonymous", "", "", 14, "", "Ja, elke dag", ""],
    [
        5,
        "4/16/24 09:20:00",
        "4/16/24 09:22:00",
        "anonymous",
        "",
        "",
        16,
        "WhatsApp;Snapchat;",
        "Ja, soms",
        "weet niet",
    ],
    [
        6,
        "4/17/24 13:20:00",
        "4/17/24 13:22:00",
        "anonymous",
        "",
        "",
        15,
        "WhatsApp;Instagram;TikTok;",
        "Ja, elke dag",
        "te veel reclame, vind ik",
    ],
]
SET = "welke_apps_gebruik_je"


def _csv(header, rows) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _check_ms(s):
    sets = s.codebook.mr_sets
    assert list(sets) == [SET]
    mr = sets[SET]
    assert mr.label == "Welke apps gebruik je? (meer antwoorden mogelijk)"
    assert mr.kind == "dichotomy" and mr.counted_value == 1
    # options in the order the form lists them
    assert [s.codebook[v].label for v in mr.variables] == [
        "WhatsApp",
        "Instagram",
        "TikTok",
        "Snapchat",
    ]
    wa = s.data[f"{SET}_whatsapp"]
    # respondents 1,3,5,6 chose WhatsApp; 2 did not; 4 skipped the question (missing)
    assert wa.tolist()[:3] == [1.0, 0.0, 1.0] and pd.isna(wa[3]) and wa.tolist()[4:] == [1, 1]
    # TikTok: respondents 2, 3 and 6 -> 3 of the 5 who answered
    assert s.data[f"{SET}_tiktok"].sum() == 3 and s.data[f"{SET}_tiktok"].count() == 5
    # a single-choice question whose options contain a comma is not split
    assert s.data["hoe_vaak_ben_je_online"].tolist()[:2] == ["Ja, elke dag", "Nee"]
    # free text with commas is not split either
    assert s.data["wat_vind_je_van_social_media"].tolist()[0] == "leuk, maar soms te veel"
    ident = {v.name: v.identifying_reason for v in s.codebook if v.identifying}
    # the Forms columns, and the free-text question (found by its content, issue 13)
    assert set(ident) == {
        "id",
        "start_time",
        "completion_time",
        "email",
        "name",
        "last_modified_time",
        "wat_vind_je_van_social_media",
    }
    assert ident["email"] == "email:name"  # privacy.identifying_text words it
    assert s.codebook["hoe_oud_ben_je"].label == "Hoe oud ben je?"
    assert s.data["start_time"][0] == pd.Timestamp("2024-04-15 10:23:45")  # month first
    assert s.source.reader == "forms" and s.source.options["forms"] == "microsoft"


def test_microsoft_forms_csv(tmp_path):
    path = tmp_path / "forms.csv"
    path.write_text(_csv(MS_HEADER, MS_ROWS), encoding="utf-8-sig")
    _check_ms(ym.load(path))


def test_microsoft_forms_xlsx_in_dutch(tmp_path):
    header = [
        "ID",
        "Begintijd",
        "Tijd van voltooiing",
        "E-mail",
        "Naam",
        "Tijdstip van laatste wijziging",
    ] + MS_HEADER[6:]
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(header)
    for r in MS_ROWS:
        ws.append([None if v == "" else v for v in r])
    path = tmp_path / "Enquête klas 3B(1-6).xlsx"
    wb.save(path)
    s = ym.load(path)
    _check_ms(s)
    assert s.codebook["start_time"].label == "Begintijd"


def test_columns_by_set_name_or_question(tmp_path):
    path = tmp_path / "forms.csv"
    path.write_text(_csv(MS_HEADER, MS_ROWS), encoding="utf-8")
    s = ym.load(path, columns=[SET, "Hoe oud ben je?"])
    assert s.columns == [
        f"{SET}_whatsapp",
        f"{SET}_instagram",
        f"{SET}_tiktok",
        f"{SET}_snapchat",
        "hoe_oud_ben_je",
        "age_band",
    ]  # ages banded
    assert s["age_band"].tolist() == ["13–15", "13–15", "13–15", "13–15", "16–18", "13–15"]
    assert list(s.codebook.mr_sets) == [SET]
    plain = ym.load(path, forms=False)  # recognition switched off: the headers stay names
    assert plain.columns[:7] == MS_HEADER[:7] and plain.columns[-3:-1] == MS_HEADER[-2:]
    assert plain.codebook.mr_sets[MS_HEADER[7]].variables[0] == f"{SET}_whatsapp"


GOOGLE_HEADER = [
    "Tijdstempel",
    "E-mailadres",
    "Hoe oud ben je?",
    "Welke apps gebruik je?",
    "Hoe vaak zit je op je telefoon?",
    "Wat wil je nog kwijt?",
]
GOOGLE_ROWS = [
    [
        "15-4-2024 10:23:45",
        "a@school.nl",
        "14",
        "WhatsApp, Instagram",
        "Ja, elke dag",
        "niks, dank je",
    ],
    ["15-4-2024 10:30:00", "b@school.nl", "15", "TikTok", "Nee, nooit", ""],
    [
        "16-4-2024 09:00:00",
        "c@school.nl",
        "13",
        "WhatsApp, TikTok, Snapchat",
        "Ja, elke dag",
        "school is saai, maar ok",
    ],
    ["16-4-2024 09:05:00", "d@school.nl", "14", "WhatsApp", "Ja, soms", ""],
    [
        "17-4-2024 11:00:00",
        "e@school.nl",
        "16",
        "Instagram, Snapchat",
        "Ja, soms",
        "meer pauze, minder huiswerk",
    ],
]


def test_google_forms_csv(tmp_path):
    path = tmp_path / "Enquête (antwoorden) - Formulierreacties 1.csv"
    path.write_text(_csv(GOOGLE_HEADER, GOOGLE_ROWS), encoding="utf-8")
    s = ym.load(path)
    assert s.source.options["forms"] == "google"
    mr = s.codebook.mr_sets["welke_apps_gebruik_je"]
    assert [s.codebook[v].label for v in mr.variables] == [
        "WhatsApp",
        "Instagram",
        "TikTok",
        "Snapchat",
    ]
    # by hand: WhatsApp rows 1,3,4; Instagram 1,5; TikTok 2,3; Snapchat 3,5
    sums = [s.data[v].sum() for v in mr.variables]
    assert sums == [3, 2, 2, 2]
    assert s.data["welke_apps_gebruik_je_snapchat"].tolist() == [0, 0, 1, 0, 1]
    assert s.data["hoe_vaak_zit_je_op_je_telefoon"].tolist()[1] == "Nee, nooit"
    assert s.data["wat_wil_je_nog_kwijt"].tolist()[0] == "niks, dank je"
    assert s.codebook["timestamp"].identifying and s.codebook["email"].identifying
    assert s.data["timestamp"][0] == pd.Timestamp("2024-04-15 10:23:45")
    assert s.data["hoe_oud_ben_je"].tolist() == [14, 15, 13, 14, 16]


@pytest.mark.parametrize(
    "cells, split",
    [
        # a real multi-select: pieces recur in different combinations
        (["A, B", "B", "A, C", "C, B", "A"], True),
        # single choice with commas in its options: "elke dag" only ever follows "Ja"
        (["Ja, elke dag", "Nee", "Ja, soms", "Ja, elke dag", "Ja, soms"], False),
        # free text: nothing repeats
        (["leuk, maar druk", "saai, echt", "weet niet, geen idee", "ok, prima"], False),
        # a multi-select option that itself holds a comma stays whole
        (
            [
                "WhatsApp, Ja, soms",
                "Ja, soms",
                "WhatsApp, Instagram",
                "Instagram, Ja, soms",
                "WhatsApp",
            ],
            True,
        ),
    ],
)
def test_google_multi_select_detection(cells, split):
    got = split_answers(cells)
    assert (got is not None) is split
    if cells[0] == "WhatsApp, Ja, soms":
        assert got[0] == ["WhatsApp", "Ja, soms"]


def test_plain_csv_with_email_column_is_marked(tmp_path):
    path = tmp_path / "lijst.csv"
    path.write_text("leerling;mail;cijfer\n1;a@x.nl;7\n2;b@x.nl;8\n", encoding="utf-8")
    s = ym.load(path)
    assert (
        s.codebook["mail"].identifying and s.codebook["mail"].identifying_reason == "email:content"
    )
    assert s.source.reader == "csv"


def test_single_choice_answers_become_labelled_categories_in_scale_order(tmp_path):
    header = [
        "ID",
        "Start time",
        "Completion time",
        "Email",
        "Name",
        "Hoe vaak gebruik je TikTok?",
        "Sociale media maken me blij",
        "Ik ben een",
        "Wat vind je leuk?",
        "Uren online",
    ]
    freq = [
        "Dagelijks",
        "Nooit",
        "Wekelijks",
        "Bijna constant",
        "Dagelijks",
        "Nooit",
        "Weet ik niet",
        "Wekelijks",
        "Dagelijks",
    ]
    agree = [
        "Mee eens",
        "Helemaal mee eens",
        "Neutraal",
        "Mee oneens",
        "Mee eens",
        "Helemaal mee oneens",
        "Mee eens",
        "Neutraal",
        "Mee eens",
    ]
    gender = [
        "Meisje",
        "Jongen",
        "Meisje",
        "Zeg ik liever niet",
        "Jongen",
        "Meisje",
        "Anders",
        "Meisje",
        "Jongen",
    ]
    free = [
        "memes",
        "vrienden",
        "muziek maken",
        "niks",
        "filmpjes van dieren",
        "games",
        "nieuws",
        "dansjes",
        "alles",
    ]
    rows = [
        [i + 1, "4/15/24 10:23:45", "4/15/24 10:25:01", "anonymous", "", f, a, g, t, str(i + 2)]
        for i, (f, a, g, t) in enumerate(zip(freq, agree, gender, free, strict=True))
    ]
    path = tmp_path / "forms.csv"
    path.write_text(_csv(header, rows), encoding="utf-8")
    s = ym.load(path)
    tiktok = s["hoe_vaak_gebruik_je_tiktok"]
    # a frequency scale, low to high; "weet ik niet" (no answer) left out of the base, counted
    assert tiktok.cat.categories.tolist() == ["Nooit", "Wekelijks", "Dagelijks", "Bijna constant"]
    assert tiktok.cat.ordered and tiktok.isna().sum() == 1 and pd.isna(tiktok[6])
    assert s.codebook["hoe_vaak_gebruik_je_tiktok"].missing_counts == {"Weet ik niet": 1}
    assert s.codebook["hoe_vaak_gebruik_je_tiktok"].excluded_answers == ["Weet ik niet"]
    assert s.codebook["hoe_vaak_gebruik_je_tiktok"].measure == "ordinal"
    assert list(s.codebook["hoe_vaak_gebruik_je_tiktok"].value_labels.values())[0] == "Nooit"
    assert s["sociale_media_maken_me_blij"].cat.categories.tolist() == [
        "Helemaal mee oneens",
        "Mee oneens",
        "Neutraal",
        "Mee eens",
        "Helemaal mee eens",
    ]
    # not a scale: most chosen first (Meisje 4, Jongen 3), "Anders" after; the non-answer is
    # not an answer
    assert s["ik_ben_een"].cat.categories.tolist() == ["Meisje", "Jongen", "Anders"]
    assert s.codebook["ik_ben_een"].measure == "nominal"
    assert s.codebook["ik_ben_een"].group_role == "gender"
    assert s.codes("ik_ben_een").dropna().tolist() == [
        g for g in gender if g != "Zeg ik liever niet"
    ]
    # free text (nine different answers) and numbers stay as they are
    assert not isinstance(s["wat_vind_je_leuk"].dtype, pd.CategoricalDtype)
    assert s["uren_online"].tolist() == list(range(2, 11))
    # the standard plan now charts them, by gender found from its answers
    from youthmedia import standard

    kinds = {tuple(item.names): item.kind for item in standard.plan(s)}
    assert kinds[("hoe_vaak_gebruik_je_tiktok",)] == "scale"
    assert standard.roles(s).gender == "ik_ben_een"
