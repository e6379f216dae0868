"""CSV/TSV/TXT and Excel files: encodings, delimiters, decimal commas, sidecars, errors."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import pytest
import yaml
from openpyxl import Workbook

import youthmedia as ym

# A Dutch Excel "CSV (gescheiden door lijstscheidingsteken)": ';', decimal comma, cp1252, CRLF.
DUTCH = (
    "Naam;Leeftijd;Cijfer;Uren per week;Opmerking\r\n"
    "Zoë;14;7,5;1.234,5;fijn, leuk\r\n"
    "Daan;15;8;2,25;\r\n"
    'Eléonore;;6,8;0,75;"zegt ""niks"""\r\n'
)


def _sha(p) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.mark.parametrize("variant", ["cp1252", "utf-8-bom", "utf-8"])
def test_dutch_excel_csv_reads_as_it_looks(tmp_path, variant):
    path = tmp_path / "klas.csv"
    raw = DUTCH.encode("cp1252") if variant == "cp1252" else DUTCH.encode("utf-8")
    if variant == "utf-8-bom":
        raw = b"\xef\xbb\xbf" + raw
    path.write_bytes(raw)
    before = _sha(path)
    s = ym.load(path)
    d = s.data
    assert s.columns == ["Naam", "Leeftijd", "Cijfer", "Uren per week", "Opmerking", "age_band"]
    assert s.data["age_band"].tolist()[:2] == ["14", "15"]  # one class: each age its own band
    assert s.codebook["Naam"].role == "identifier"  # not a question
    assert d["Naam"].tolist() == ["Zoë", "Daan", "Eléonore"]
    assert d["Cijfer"].tolist() == [7.5, 8.0, 6.8]
    assert d["Uren per week"].tolist() == [1234.5, 2.25, 0.75]
    assert d["Leeftijd"].tolist()[:2] == [14, 15] and pd.isna(d["Leeftijd"][2])
    assert d["Opmerking"].tolist()[0] == "fijn, leuk"
    assert d["Opmerking"].tolist()[2] == 'zegt "niks"'
    opts = s.source.options
    assert opts["delimiter"] == ";" and opts["decimal"] == ","
    assert opts["encoding"] == {"cp1252": "cp1252", "utf-8-bom": "utf-8", "utf-8": "utf-8"}[variant]
    assert opts["bom"] is (variant == "utf-8-bom")
    assert s.source.reader == "csv"
    assert _sha(path) == before


def test_comma_csv_with_thousands_and_dates(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text(
        'id,income,joined,score\n1,"1,234.5",2024-03-01,0.5\n'
        '2,980,2024-03-15,1.25\n3,"12,000",2024-04-02,\n',
        encoding="utf-8",
    )
    s = ym.load(path)
    assert s.data["income"].tolist() == [1234.5, 980.0, 12000.0]
    assert s.data["id"].dtype == "int64"
    assert s.data["joined"].tolist()[1] == pd.Timestamp("2024-03-15")
    assert s.codebook["joined"].type == "date"
    assert s.source.options["delimiter"] == "," and s.source.options["decimal"] == "."


def test_tsv_txt_and_sep_line(tmp_path):
    tsv = tmp_path / "a.tsv"
    tsv.write_text("x\ty\n1\tja\n2\tnee\n", encoding="utf-8")
    assert ym.load(tsv).data["y"].tolist() == ["ja", "nee"]
    txt = tmp_path / "b.txt"
    txt.write_text("sep=;\nx;y\n1,5;a\n2,5;b\n", encoding="utf-8")
    s = ym.load(txt)
    assert s.data["x"].tolist() == [1.5, 2.5] and s.source.options["sep_line"] is True


def test_columns_and_unknown_column(tmp_path):
    path = tmp_path / "klas.csv"
    path.write_bytes(DUTCH.encode("cp1252"))
    s = ym.load(path, columns=["Cijfer", "Naam"])
    assert s.columns == ["Cijfer", "Naam"]
    with pytest.raises(ym.ConfigError, match=r"'Cijfers'.*known variables: Naam, Leeftijd"):
        ym.load(path, columns=["Cijfers"])


def test_sidecar_turns_codes_into_categories(tmp_path):
    path = tmp_path / "klas.csv"
    path.write_text("geslacht;freq;gewicht\n1;2;1,5\n2;9;0,5\n1;1;1\n2;3;1\n", encoding="utf-8")
    (tmp_path / "klas.codebook.yaml").write_text(
        yaml.safe_dump(
            {
                "dataset": {"name": "Klas 3B", "year": 2024},
                "weight": "gewicht",
                "variables": {
                    "geslacht": {
                        "label": "Geslacht",
                        "values": {1: "jongen", 2: "meisje", 3: "anders"},
                        "measure": "nominal",
                    },
                    "freq": {
                        "values": {1: "soms", 2: "vaak", 3: "altijd", 9: "weet niet"},
                        "missing": [9],
                    },
                },
            }
        ),
        encoding="utf-8",
    )
    s = ym.load(path)
    assert s.data["geslacht"].tolist() == ["jongen", "meisje", "jongen", "meisje"]
    assert list(s.data["geslacht"].cat.categories) == ["jongen", "meisje", "anders"]
    assert s.codes("geslacht").tolist() == [1, 2, 1, 2]
    assert s.data["freq"].isna().tolist() == [False, True, False, False]
    assert s.codebook["freq"].missing_counts == {"9": 1}
    assert s.codebook.weight == "gewicht"
    assert s.source.name == "Klas 3B" and s.source.year == "2024"


def test_sidecar_values_that_do_not_fit(tmp_path):
    path = tmp_path / "klas.csv"
    path.write_text("geslacht\njongen\nmeid\n", encoding="utf-8")
    with pytest.raises(ym.DataError, match=r"'geslacht'.*numeric codes.*'meid'"):
        ym.load(path, codebook={"variables": {"geslacht": {"values": {1: "jongen", 2: "meisje"}}}})
    # where the column already holds the labels, it fits
    path.write_text("geslacht\njongen\nmeisje\n", encoding="utf-8")
    s = ym.load(path, codebook={"variables": {"geslacht": {"values": {1: "jongen", 2: "meisje"}}}})
    assert list(s.data["geslacht"].cat.categories) == ["jongen", "meisje"]


def test_bad_sidecars(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    side = tmp_path / "k.codebook.yaml"
    side.write_text("variables:\n  a: {label: [unclosed\n", encoding="utf-8")
    with pytest.raises(ym.DataError, match=r"k.codebook.yaml: not valid YAML at line"):
        ym.load(path)
    side.write_text("variables:\n  a: {lable: x}\n", encoding="utf-8")
    with pytest.raises(ym.DataError, match="unknown key.*'lable'"):
        ym.load(path)
    side.write_text("variables:\n  b: {label: x}\n", encoding="utf-8")
    with pytest.raises(ym.DataError, match="variable 'b' is not a column of"):
        ym.load(path)


def test_errors_are_one_line_and_name_the_file(tmp_path):
    cases = {}
    p = tmp_path / "bytes.csv"
    p.write_bytes(b"naam;x\nZo\x81;1\n")  # 0x81: neither UTF-8 nor Windows-1252
    cases[p] = r"bytes.csv: byte 0x81 on line 2 cannot be read"
    p = tmp_path / "dupes.csv"
    p.write_text("a;b;a\n1;2;3\n", encoding="utf-8")
    cases[p] = r"dupes.csv: duplicate column name\(s\) 'a'"
    p = tmp_path / "ragged.csv"
    p.write_text("a;b\n1;2\n3;4;5;6\n", encoding="utf-8")
    cases[p] = r"ragged.csv: rows do not fit the header"
    p = tmp_path / "empty.csv"
    p.write_bytes(b"")
    cases[p] = r"empty.csv: the file is empty"
    p = tmp_path / "junk.csv"
    p.write_bytes(bytes(range(256)) * 4)
    cases[p] = r"junk.csv: the name says a text \(CSV\) file, but the file is a binary file"
    cases[tmp_path / "nothere.csv"] = r"nothere.csv: file not found"
    p = tmp_path / "data.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    cases[p] = r"data.xls: unsupported file type.*save it as .xlsx"
    for path, pattern in cases.items():
        with pytest.raises(ym.DataError, match=pattern) as err:
            ym.load(path)
        assert "\n" not in str(err.value)
    with pytest.raises(ym.DataError, match="cannot be read as utf-8"):
        p = tmp_path / "cp.csv"
        p.write_bytes("naam\nZoë\n".encode("cp1252"))
        ym.load(p, encoding="utf-8")
    with pytest.raises(ym.ConfigError, match="unknown option.*delimeter"):
        ym.load(tmp_path / "cp.csv", delimeter=";")


def _xlsx(path, rows, title="Blad1", extra_sheet=False):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    if extra_sheet:
        wb.create_sheet("Codes").append(["code", "label"])
    wb.save(path)


def test_excel_sheet(tmp_path):
    path = tmp_path / "klas.xlsx"
    _xlsx(
        path,
        [
            ["Naam", "Leeftijd", "Cijfer", "Datum", None],
            ["Zoë", 14, 7.5, dt.datetime(2024, 3, 1), None],
            ["Daan", 15, "8,5", dt.datetime(2024, 3, 2), None],
            ["Emre", None, 6, None, None],
        ],
        extra_sheet=True,
    )
    before = _sha(path)
    s = ym.load(path)
    assert s.columns == ["Naam", "Leeftijd", "Cijfer", "Datum", "age_band"]
    assert s.data["Cijfer"].tolist() == [7.5, 8.5, 6.0]
    assert s.data["Datum"][1] == pd.Timestamp("2024-03-02")
    assert s.source.reader == "excel" and s.source.options["sheet"] == "Blad1"
    assert ym.load(path, sheet="Codes").columns == ["code", "label"]
    assert ym.load(path, sheet=1).columns == ["code", "label"]
    with pytest.raises(ym.ConfigError, match="no sheet 'Data'; sheets: Blad1, Codes"):
        ym.load(path, sheet="Data")
    assert _sha(path) == before


def test_excel_errors(tmp_path):
    path = tmp_path / "d.xlsx"
    _xlsx(path, [["a", "a"], [1, 2]])
    with pytest.raises(ym.DataError, match=r"d.xlsx \(sheet 'Blad1'\): duplicate column"):
        ym.load(path)
    path = tmp_path / "e.xlsx"
    _xlsx(path, [])
    with pytest.raises(ym.DataError, match="sheet 'Blad1' is empty"):
        ym.load(path)
    fake = tmp_path / "f.xlsx"
    fake.write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(ym.DataError, match="f.xlsx.*text \\(CSV\\) file.*rename it to 'f.csv'"):
        ym.load(fake)


def test_sidecar_text_codes_and_order_make_answer_scales(tmp_path):
    path = tmp_path / "klas.csv"
    path.write_text(
        "freq;app\nVaak;WhatsApp\nNooit;TikTok\nSoms;WhatsApp\nVaak;Instagram\n", encoding="utf-8"
    )
    sidecar = {
        "variables": {
            "freq": {
                "order": ["Nooit", "Soms", "Vaak"],
                "translations": {"en": {"values": {"Nooit": "Never", "Vaak": "Often"}}},
            },
            "app": {
                "values": {"WhatsApp": "WhatsApp", "TikTok": "TikTok", "Instagram": "Instagram"}
            },
        }
    }
    (tmp_path / "klas.codebook.yaml").write_text(
        yaml.safe_dump(sidecar, sort_keys=False), encoding="utf-8"
    )
    s = ym.load(path)
    # the order written, not the alphabet (which would put Instagram first)
    assert s["freq"].cat.categories.tolist() == ["Nooit", "Soms", "Vaak"]
    assert s["freq"].cat.ordered and s.codebook["freq"].measure == "ordinal"
    assert s["freq"].tolist() == ["Vaak", "Nooit", "Soms", "Vaak"]
    assert s["app"].cat.categories.tolist() == ["WhatsApp", "TikTok", "Instagram"]
    assert s.codebook["freq"].value_labels_in("en") == {
        "Nooit": "Never",
        "Soms": "Soms",
        "Vaak": "Often",
    }
    assert s.codes("app").tolist() == ["WhatsApp", "TikTok", "WhatsApp", "Instagram"]
    # order over text values: codes or labels, the rest after
    sidecar = {
        "variables": {
            "freq": {"values": {"n": "Nooit", "v": "Vaak", "s": "Soms"}, "order": ["Nooit", "s"]}
        }
    }
    path.write_text("freq\nn\nv\ns\n", encoding="utf-8")
    (tmp_path / "klas.codebook.yaml").write_text(yaml.safe_dump(sidecar), encoding="utf-8")
    assert ym.load(path)["freq"].cat.categories.tolist() == ["Nooit", "Soms", "Vaak"]
    for bad, message in (
        ({"order": "Nooit"}, "must be a list"),
        ({"order": ["Nooit", "Nooit"]}, "twice"),
        ({"values": {"a": "A"}, "order": ["b"]}, "neither a code nor a label"),
        ({"values": {1: "a", 2: "b"}, "order": ["b", "a"]}, "numbered answers"),
    ):
        (tmp_path / "klas.codebook.yaml").write_text(
            yaml.safe_dump({"variables": {"freq": bad}}), encoding="utf-8"
        )
        if message == "numbered answers":
            path.write_text("freq\n1\n2\n", encoding="utf-8")
        with pytest.raises(ym.DataError, match=message):
            ym.load(path)
