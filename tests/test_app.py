"""The app (issue 18): the page's logic without a browser, then the page itself in Debian's
chromium driven by Playwright.

Facts checked by hand in ``data/klas_enquete_forms.csv``: 29 pupils; columns ID, Begintijd,
Tijd van voltooiing, E-mail, Naam and Tijdstip van laatste wijziging identify them; "Ik ben een"
is answered Meisje 15, Jongen 12, Anders 1, Zeg ik liever niet 1 (a non-answer, not counted);
ages are 13 (6 pupils), 14 (16) and 15 (7); the satisfaction rating is a
number 1–5 (answers 1..5); e-mail addresses are ``leerlingNN@school.example`` and names
``Leerling NN``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

from youthmedia.app.core import by_of, kind_of, thumbnail
from youthmedia.app.page import Page
from youthmedia.errors import ConfigError, DataError
from youthmedia.figures.frame import notebook_png

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "data" / "klas_enquete_forms.csv"
RATING = "hoe_tevreden_ben_je_over_de_tijd_die_je"
GENDER = "ik_ben_een"
IDENTIFIERS = re.compile(r"leerling\s?\d\d|school\.example", re.IGNORECASE)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def opened(tmp_path_factory):
    page, steps = Page(workdir=tmp_path_factory.mktemp("app")), []
    page.progress.observe(lambda change: steps.append(change["new"]), names="value")
    seen = page.open_bytes(FORMS.read_bytes(), "klas.csv")
    return page, seen, steps


# -- the page's work, without a browser ----------------------------------------------------------
def test_understood_forms_file(opened):
    _, seen, steps = opened
    assert seen.n == 29 and seen.file == "klas.csv"
    assert steps == sorted(steps) and steps[-1] == 1.0
    assert {label for _, label, _ in seen.identifying} == {
        "ID",
        "Begintijd",
        "Tijd van voltooiing",
        "E-mail",
        "Naam",
        "Tijdstip van laatste wijziging",
    }
    assert seen.breakdowns == {"gender": GENDER, "age": "age_band"}
    assert set(seen.small_groups[GENDER]) == {"Anders"}
    assert set(seen.small_groups["age_band"]) == {"13", "15"}
    kinds = {q.name: q.kind for q in seen.questions}
    assert kinds["welke_sociale_media_gebruik_je"] == "multi"
    assert kinds["hoe_vaak_gebruik_je_tiktok"] == "scale"
    assert kinds[RATING] == "number"
    assert kinds["ben_je_de_afgelopen_twee_maanden_online"] == "single"
    tiktok = next(q for q in seen.questions if q.name == "hoe_vaak_gebruik_je_tiktok")
    assert tiktok.answers == (
        "Nooit",
        "Wekelijks",
        "Dagelijks",
        "Meerdere keren per dag",
        "Bijna constant",
    )
    assert not any(name in kinds for name, _, _ in seen.identifying)
    bullied = next(q for q in seen.questions if q.name == "ben_je_de_afgelopen_twee_maanden_online")
    assert bullied.not_counted == ("Zeg ik liever niet",)


def test_correction_is_a_sidecar_beside_the_copy(tmp_path):
    original = tmp_path / "mine" / "klas.csv"
    original.parent.mkdir()
    shutil.copyfile(FORMS, original)
    before = _sha(original)
    page = Page(workdir=tmp_path / "work")
    page.open_bytes(original.read_bytes(), original.name)
    seen = page.correct(RATING, kind="scale")
    rating = next(q for q in seen.questions if q.name == RATING)
    assert rating.kind == "scale" and rating.answers == ("1", "2", "3", "4", "5")
    assert rating.charted
    sidecar = page.copy.with_name("klas.codebook.yaml")
    assert sidecar.is_file() and page.copy.parent.is_relative_to(tmp_path / "work")
    assert "measure: ordinal" in sidecar.read_text(encoding="utf-8")
    assert _sha(original) == before and sorted(p.name for p in original.parent.iterdir()) == [
        "klas.csv"
    ]
    # an answer order, and leaving a question out
    order = ["Ja, vaker", "Ja, één of twee keer", "Nee"]
    seen = page.correct("ben_je_de_afgelopen_twee_maanden_online", order=order)
    bullied = next(q for q in seen.questions if q.name == "ben_je_de_afgelopen_twee_maanden_online")
    assert list(bullied.answers) == order and bullied.kind == "single"
    seen = page.correct("hoe_vaak_gebruik_je_tiktok", exclude=True)
    assert "hoe_vaak_gebruik_je_tiktok" in {n for n, _, _ in seen.identifying}
    assert kind_of(page.survey, RATING) == "scale"


def test_bad_corrections_are_one_line(tmp_path):
    page = Page(workdir=tmp_path)
    page.open_bytes(FORMS.read_bytes(), "klas.csv")
    with pytest.raises(ConfigError, match="'Soms' is not an answer"):
        page.correct("hoe_vaak_gebruik_je_tiktok", order=["Nooit", "Soms"])
    with pytest.raises(DataError, match="names an answer twice"):
        page.correct("hoe_vaak_gebruik_je_tiktok", order=["Nooit", "Nooit"])
    with pytest.raises(ConfigError, match="holds text answers"):
        page.correct("hoe_vaak_gebruik_je_tiktok", kind="number")
    with pytest.raises(ConfigError, match="not 'date'"):
        page.correct(RATING, kind="date")
    with pytest.raises(ConfigError, match="holds numbers: .*not 'multi'"):
        page.correct(RATING, kind="multi")
    with pytest.raises(ConfigError, match="holds several answers"):
        page.correct("welke_sociale_media_gebruik_je", kind="scale")
    with pytest.raises(ConfigError, match="'nope' in klas.csv;") as err:
        page.correct("nope", kind="scale")
    assert str(tmp_path) not in str(err.value)
    # a correction the sidecar refuses (numbered answers keep their codes' order): one line,
    # the sidecar as it was, and the session still works
    page.correct(RATING, kind="scale")
    sidecar = page.copy.with_name("klas.codebook.yaml")
    before = sidecar.read_text(encoding="utf-8")
    with pytest.raises(DataError, match="ordered by their codes") as err:
        page.correct(RATING, order=["5", "4", "3", "2", "1"])
    assert "\n" not in str(err.value) and str(tmp_path) not in str(err.value)
    assert sidecar.read_text(encoding="utf-8") == before
    assert page.correct(RATING, kind="single").n == 29


def test_damaged_file_names_the_upload_not_the_copy(tmp_path):
    page = Page(workdir=tmp_path)
    with pytest.raises(DataError) as err:
        page.open_bytes(b"\x00\x01not an spss file at all" * 20, "kapot.sav")
    line = str(err.value)
    assert "kapot.sav" in line and str(tmp_path) not in line and "\n" not in line
    with pytest.raises(DataError, match="^noext: unsupported file type"):
        page.open_bytes(b"a,b\n1,2\n", "../../noext")


def test_slides_headlines_and_downloads(tmp_path):
    from pptx import Presentation

    page = Page(lang="en", workdir=tmp_path)
    page.open_example("klas_enquete_forms.csv")
    figs = page.slides()
    assert len(figs) >= 4 and len(page.thumbs.children) == len(figs)
    # the thumbnail is the slide below its headline (the page shows that as an editable field)
    head = next(t for t in figs[0].texts if t.get_gid() == "youthmedia-headline")
    whole = Image.open(io.BytesIO(notebook_png(figs[0], 40))).convert("L")
    thumb = Image.open(io.BytesIO(thumbnail(figs[0]))).convert("L")
    below = head.get_window_extent().y0 / (figs[0].get_figheight() * figs[0].dpi)
    assert thumb.width == whole.width and abs(thumb.height - below * whole.height) <= 1
    assert whole.crop((0, whole.height - thumb.height, *whole.size)).tobytes() == thumb.tobytes()
    # 29 pupils leave one group visible by gender and by age: no by-group slide (a comparison
    # of one group is none; standard.build_figures, review O2)
    assert {by_of(f) for f in figs} == {None}
    # ... and the page says why, in the lines of the deck's closing slide (issue 18)
    why = page.not_shown.value
    assert "<h3>Not shown, and why</h3>" in why
    assert re.search(r"by gender: only one group large enough to show: no comparison</p>", why)
    assert re.search(r"by age group: only one group large enough to show", why)
    assert all(re.search(r"[A-Za-z]", f.slide.headline) for f in figs)
    own = "Almost everyone in this class uses WhatsApp and YouTube"
    page.set_headline(0, own)
    name, blob = page.download("deck")
    assert name == "klas_enquete_forms_en.pptx" and 'download="klas_enquete_forms_en.pptx"' in (
        page.links.value
    )
    deck = Presentation(io.BytesIO(blob))
    slides = list(deck.slides)[1:]
    assert len(slides) == len(figs)
    titles = [s.shapes.title.text for s in slides]
    assert titles[0] == own and titles[1:] == [f.slide.headline for f in figs[1:]]
    alts = [
        pic._element.nvPicPr.cNvPr.get("descr")
        for s in slides
        for pic in s.shapes
        if pic.shape_type == 13
    ]
    assert len(alts) == len(slides) and all(alts) and own in alts[0]
    assert not IDENTIFIERS.search(zip_text(blob))
    # breakdowns chosen: gender only, then none
    assert {by_of(f) for f in page.slides(by=[GENDER])} == {None}
    assert all(by_of(f) is None for f in page.slides(by=[]))
    name, blob = page.download("workbook")
    assert name.endswith("_en.xlsx") and not IDENTIFIERS.search(zip_text(blob))
    name, blob = page.download("figures")
    names = zipfile.ZipFile(io.BytesIO(blob)).namelist()
    n = len(page.figures)
    assert sorted(names) == sorted(
        f"slide_{i:02d}.{ext}" for i in range(1, n + 1) for ext in ("png", "svg", "alt.txt")
    )


def zip_text(blob: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        return "\n".join(
            zf.read(n).decode("utf-8", "replace")
            for n in zf.namelist()
            if n.endswith((".xml", ".rels", ".txt", ".svg"))
        )


def test_headline_edit_keeps_the_plot_in_place(tmp_path):
    page = Page(workdir=tmp_path)
    page.open_example("klas_enquete_forms.csv")
    fig = page.slides()[0]
    before = [ax.get_position().bounds for ax in fig.axes]
    page.set_headline(
        0,
        "Een veel langere kop van de trainer zelf, die maar doorgaat over "
        "WhatsApp en YouTube en nog veel meer apps in deze klas",
    )
    after = [ax.get_position().bounds for ax in fig.axes]
    assert after == [pytest.approx(b) for b in before]
    head = next(t for t in fig.texts if t.get_gid() == "youthmedia-headline")
    sub = next(t for t in fig.texts if t.get_gid() == "youthmedia-subtitle")
    renderer = fig.canvas.get_renderer()
    assert head.get_window_extent(renderer).y0 >= sub.get_window_extent(renderer).y1
    assert "WhatsApp" in head.get_text() and fig.slide.headline.startswith("Een veel")
    assert "Een veel" in fig.slide.alt_text
    with pytest.raises(IndexError):
        page.set_headline(99, "x")


def test_page_widgets_without_a_browser(tmp_path):
    """The page's controls, driven as the browser would (ipywidgets needs no front end)."""
    page = Page(workdir=tmp_path)
    page.open_button.click()
    assert "29 respondenten" in page.summary.children[0].value and not page.error.value
    row = page.rows[RATING]
    row["kind"].value = "scale"
    page.save_button.click()
    assert page.rows[RATING]["kind"].value == "scale" and page.rows[RATING]["chart"].value
    assert "klas_enquete_forms.codebook.yaml" in page.status.value
    page.lang_pick.value = "en"
    assert "29 respondents" in page.summary.children[0].value
    page.by_boxes["age_band"].value = False
    page.make_button.click()
    cards = page.thumbs.children
    assert cards and all(by_of(f) != "age_band" for f in page.figures)
    cards[0].children[1].value = "My own headline"
    assert page.figures[0].slide.headline == "My own headline"
    assert 'alt="' in cards[0].children[0].value and "My own headline" in cards[0].children[0].value
    page.downloads["deck"].click()
    assert 'download="klas_enquete_forms_en.pptx"' in page.links.value
    page.upload.value = (
        {
            "name": "kapot.sav",
            "content": memoryview(b"$FL2 nonsense" * 50),
            "type": "",
            "size": 650,
            "last_modified": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        },
    )
    assert page.error.value.count('role="alert"') == 1 and "kapot.sav" in page.error.value
    assert page.upload.value == ()  # the same file can be dropped again
    assert "Traceback" not in page.error.value


def test_notebook_runs_in_a_kernel():
    """app.ipynb, as JupyterLab runs it: one cell, a widget and no error."""
    import nbclient
    import nbformat

    from youthmedia.app.server import NOTEBOOK

    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")
    nbclient.NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    outputs = [o for c in nb.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


# -- the page in a real browser ------------------------------------------------------------------
def _chromium() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("Debian's chromium is not installed (make setup installs it)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``youthmedia app`` on a free port, its temporary folders under a folder of the test."""
    pytest.importorskip("voila", reason="voila is not installed (pip install -e '.[test]')")
    tmp = tmp_path_factory.mktemp("appserver")
    with socket.socket() as s:  # a free port
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "TMPDIR": str(tmp)}
    log = open(tmp / "server.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, "-m", "youthmedia", "app", "--no-browser", f"--port={port}"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        end = time.monotonic() + 180
        while True:
            assert proc.poll() is None, (tmp / "server.log").read_text(errors="replace")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < end, "the app server did not start in 180 s"
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/", tmp, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')"
    )
    chromium = _chromium()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=chromium,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            yield b
        finally:
            b.close()


@contextmanager
def _explained(said: list[str], server_log: Path):
    """On a failure, print what the browser said (console, page errors) and the server's log
    (Voilà, the kernels and their tracebacks), so that a failure explains itself."""
    try:
        yield
    except BaseException:
        print("--- the browser console, seconds since the page was opened ---", *said, sep="\n")
        print("--- the server log ---", server_log.read_text(errors="replace"), sep="\n")
        raise


def _open_page(browser, url, said: list[str]):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.set_default_timeout(120_000)
    start = time.monotonic()
    page.on("console", lambda m: said.append(f"{time.monotonic() - start:6.1f} {m.type}: {m.text}"))
    page.on("pageerror", lambda e: said.append(f"{time.monotonic() - start:6.1f} error: {e}"))
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not re.match(r"(https?|wss?)://127\.0\.0\.1[:/]|data:|blob:", r.url)
            else None
        ),
    )
    page.goto(url, timeout=180_000)
    # the page's marker: the browser showed its widgets, the kernel heard it and is warm
    page.locator(".youthmedia-ready").wait_for(state="attached", timeout=180_000)
    page.get_by_role("button", name="Voorbeeld openen").wait_for()
    return page, outside


def _upload(page, path: Path, button: str = "Bestand kiezen") -> None:
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile(button)).click()
    chooser.value.set_files(str(path))


def _shot(page, name: str) -> None:
    """With YOUTHMEDIA_SHOTS=<folder>: a screenshot of the page's top in a window 1,700 pixels
    high there, the list of questions folded away (the README's picture)."""
    folder = os.environ.get("YOUTHMEDIA_SHOTS")
    if not folder:
        return
    fold = """d => { const h = [...document.querySelectorAll('h3')].find(
        e => /^(Vragen|Questions)$/.test(e.textContent.trim()));
        let el = h.closest('.widget-html');
        while ((el = el.nextElementSibling)) el.style.display = d; }"""
    page.evaluate(fold, "none")
    page.set_viewport_size({"width": 1280, "height": 1700})
    page.locator("h1").scroll_into_view_if_needed()
    page.screenshot(path=str(Path(folder) / name))
    page.set_viewport_size({"width": 1280, "height": 900})
    page.evaluate(fold, "")


def test_page_end_to_end(server, browser, tmp_path):
    from playwright.sync_api import expect
    from pptx import Presentation

    url, tmp, _ = server
    before = _sha(FORMS)
    said: list[str] = []
    with _explained(said, tmp / "server.log"):
        page, outside = _open_page(browser, url, said)
        _upload(page, FORMS)
        page.get_by_text("klas_enquete_forms.csv: 29 respondenten").wait_for()
        left_out = page.get_by_text(re.compile("^Weglaten: (E-mail|Naam) —"))
        assert left_out.count() == 2
        # the reasons in the page's language (Forms gives them in English)
        page.get_by_text(re.compile("^Weglaten: E-mail — e-mailadres")).wait_for()
        page.get_by_text(
            re.compile("^Weglaten: Begintijd — begintijd van het antwoord: samen")
        ).wait_for()
        page.get_by_text("Te weinig respondenten").wait_for()
        # correct one question's kind: the 1-5 rating becomes an ordered scale
        q = page.get_by_text(re.compile(r"^\d+\. Hoe tevreden")).inner_text().split(".")[0]
        page.get_by_label(f"Soort (vraag {q})", exact=True).select_option(label="schaal (geordend)")
        page.get_by_role("button", name="Correcties opslaan").click()
        page.get_by_text("klas_enquete_forms.codebook.yaml").wait_for()
        assert page.get_by_label(f"In de dia's (vraag {q})", exact=True).is_checked()
        # switch language, make the slides
        page.get_by_role("button", name="English").click()
        page.get_by_text("2. What was understood").wait_for()
        page.get_by_text(
            re.compile("^Leave out: Begintijd — start time of the response")
        ).wait_for()
        start = time.monotonic()
        page.get_by_role("button", name="Make the slides").click()
        page.get_by_label("Headline of slide 1", exact=True).wait_for()
        first = time.monotonic() - start
        expect(page.get_by_role("button", name="Deck (.pptx)")).to_be_enabled(timeout=120_000)
        seconds = time.monotonic() - start
        print(f"slides: first preview after {first:.1f} s, all after {seconds:.1f} s")
        assert seconds < 60, f"slides took {seconds:.0f} s"
        n_slides = page.get_by_role("img").count()
        headlines = [
            page.get_by_label(f"Headline of slide {i}", exact=True).input_value()
            for i in range(1, n_slides + 1)
        ]
        assert any("4" in h and "5" in h for h in headlines), headlines  # the rating, now a scale
        # both breakdowns ticked, every by-group slide left out: the page says why
        page.get_by_role("heading", name="Not shown, and why").wait_for()
        assert page.get_by_text(re.compile(r"by gender: only one group large enough")).count() >= 1
        own = "Nearly the whole class is on WhatsApp and YouTube"
        page.get_by_label("Headline of slide 1", exact=True).fill(own)
        page.get_by_label("Headline of slide 1", exact=True).press("Tab")
        page.wait_for_function(
            "t => [...document.querySelectorAll('img')].some(i => i.alt.includes(t))", arg=own
        )
        _shot(page, "app_en.png")
        page.get_by_role("button", name="Deck (.pptx)").click()
        with page.expect_download() as download:
            page.get_by_role("link", name=re.compile(r"Download .*\.pptx")).click()
        deck_path = tmp_path / download.value.suggested_filename
        download.value.save_as(deck_path)
        deck = Presentation(str(deck_path))
        slides = list(deck.slides)[1:]
        assert len(slides) == n_slides
        assert [s.shapes.title.text for s in slides] == [own, *headlines[1:]]
        for s in slides:
            pics = [sh for sh in s.shapes if sh.shape_type == 13]
            assert pics and all(p._element.nvPicPr.cNvPr.get("descr") for p in pics)
        assert not IDENTIFIERS.search(zip_text(deck_path.read_bytes()))
        if os.environ.get("YOUTHMEDIA_SHOTS"):  # the Dutch page with its slides, for docs/
            page.get_by_role("button", name="Nederlands").click()
            page.get_by_text("Klaar.").wait_for()
            _shot(page, "app.png")
            page.get_by_role("button", name="English").click()
            page.get_by_text("Done.").wait_for()
        # a damaged file: one line, and the page keeps working
        broken = tmp_path / "kapot.sav"
        broken.write_bytes(b"$FL2 this is not really an SPSS file" + bytes(range(256)) * 4)
        _upload(page, broken, "Choose a file")
        alert = page.get_by_role("alert")
        alert.wait_for()
        line = alert.inner_text()
        assert line.startswith("Error: ") and "kapot.sav" in line and "\n" not in line.strip()
        assert "Traceback" not in page.content() and str(tmp) not in line
        page.get_by_role("button", name="Open example").click()
        alert.wait_for(state="detached")
        page.get_by_text("klas_enquete_forms.csv: 29 respondents").wait_for()
        assert outside == [], f"requests that left the machine: {outside[:3]}"
        assert _sha(FORMS) == before and not list(
            FORMS.parent.glob("klas_enquete_forms.codebook.*")
        )
        page.close()


def test_page_by_keyboard(server, browser):
    url, tmp, _ = server
    said: list[str] = []
    with _explained(said, tmp / "server.log"):
        page, _ = _open_page(browser, url, said)
        names = []
        for _ in range(12):
            page.keyboard.press("Tab")
            names.append(
                page.evaluate("""() => {
                const e = document.activeElement;
                const label = (e.labels && e.labels.length) ? e.labels[0].textContent
                    : (e.getAttribute('aria-label') || e.textContent || '');
                if (e.title === 'null') return 'TITLE:null';
                return e.tagName + ':' + label.trim();
            }""")
            )
        for wanted in ("Nederlands", "English", "Bestand kiezen", "Voorbeeld", "Voorbeeld openen"):
            assert any(n.split(":", 1)[1].startswith(wanted) for n in names), names
        assert all(n.split(":", 1)[1] for n in names if not n.startswith("BODY")), names
        # open the example with the keyboard alone, then reach the new controls
        while (
            not page.evaluate("document.activeElement.textContent")
            .strip()
            .startswith("Voorbeeld openen")
        ):
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.get_by_text("29 respondenten").wait_for()
        seen = set()
        for _ in range(60):
            page.keyboard.press("Tab")
            seen.add(
                page.evaluate("""() => { const e = document.activeElement;
                return (e.labels && e.labels.length ? e.labels[0].textContent : e.textContent).trim(); }""")
            )
        assert {"Correcties opslaan", "Dia's maken", "Soort (vraag 1)"} <= seen, sorted(seen)
        page.close()


def test_temp_folder_removed_when_the_app_stops(server):
    url, tmp, proc = server
    made = [p for p in tmp.iterdir() if p.name.startswith("youthmedia-app-")]
    assert made, "the app made no temporary folder"
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=60)
    assert not [p for p in tmp.iterdir() if p.name.startswith("youthmedia-app-")]
