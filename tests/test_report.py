"""``youthmedia report``: notebooks executed with a real kernel, outputs, index and provenance.

The two notebooks in ``tests/notebooks/`` are copied into temporary folders: one sums a small
CSV by group, draws the sums and writes the parameters it received; the other fails in its
fourth cell. Each run starts one kernel per notebook with an explicit kernel name and timeout.
"""

from __future__ import annotations

import ast
import hashlib
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager

from youthmedia import report
from youthmedia.cli import main
from youthmedia.errors import ConfigError, DataError, YouthmediaError, YouthmediaWarning

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"
# `make setup` installs the `youthmedia` kernel; a bare `pip install -e .` has only `python3`.
KERNEL = "youthmedia" if "youthmedia" in KernelSpecManager().find_kernel_specs() else "python3"
TIMEOUT = 120

CSV = "group,value\na,1\nb,2\na,3\n"
# By hand: group a = 1 + 3 = 4, group b = 2.
SUMS = "group,value\na,4\nb,2\n"


def _folder(tmp: Path, *names: str) -> Path:
    """A notebook folder holding copies of the named test notebooks (``name`` or ``src:dst``)."""
    folder = tmp / "notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        src, _, dst = name.partition(":")
        shutil.copy(NOTEBOOKS / src, folder / (dst or src))
    return folder


def _run(tmp: Path, folder: Path, **kwargs) -> Path:
    data = tmp / "input data.csv"
    data.write_text(CSV, encoding="utf-8")
    kwargs.setdefault("lang", "en")
    return report.run(
        data=data,
        out=tmp / "reports",
        notebooks=folder,
        kernel_name=KERNEL,
        timeout=TIMEOUT,
        root=ROOT,
        progress=False,
        **kwargs,
    )


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value is not None:
                self.links.append(value)


def _broken_links(index: Path) -> tuple[list[str], list[str]]:
    """(links, links to files that do not exist); in-page anchors are checked against ids."""
    parser = _Links()
    text = index.read_text(encoding="utf-8")
    parser.feed(text)
    broken = []
    for link in parser.links:
        parts = urlsplit(link)
        assert not parts.scheme and not parts.netloc, f"external link {link} in {index.name}"
        if not parts.path:  # "#anchor"
            if f'id="{unquote(parts.fragment)}"' not in text:
                broken.append(link)
        elif not (index.parent / unquote(parts.path)).is_file():
            broken.append(link)
    return parser.links, broken


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def done(tmp_path_factory) -> Path:
    """One successful run of ``01_outputs.ipynb``; returns the tmp folder."""
    tmp = tmp_path_factory.mktemp("report")
    index = _run(tmp, _folder(tmp, "01_outputs.ipynb"), organisation="Stichting Test")
    assert index == tmp / "reports" / "index.html"
    return tmp


def test_notebook_outputs_and_injected_parameters(done):
    out = done / "reports" / "01_outputs"
    assert (out / "summary.csv").read_text(encoding="utf-8") == SUMS
    assert (out / "summary.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (out / "01_outputs.html").read_text(encoding="utf-8")
    assert "data:image/png;base64," in page  # the figure shown in the notebook is embedded
    assert 'class="dataframe"' in page  # the table shown in the notebook is in the page
    seen = json.loads((out / "parameters seen.json").read_text(encoding="utf-8"))
    assert seen["data_path"] == str((done / "input data.csv").resolve())
    assert seen["lang"] == "en"
    assert seen["organisation"] == "Stichting Test"
    assert Path(seen["output_dir"]).resolve() == out.resolve()
    assert seen["cwd"] == str(ROOT)  # kernel runs in the repository root
    assert seen["backend"].lower() == "agg"
    executed = nbformat.read(out / "01_outputs.ipynb", as_version=4)
    tags = [c.metadata.get("tags", []) for c in executed.cells]
    assert tags[1] == ["parameters"] and tags[2] == ["injected-parameters"]


def test_index_links_every_output_and_none_is_broken(done):
    index = done / "reports" / "index.html"
    links, broken = _broken_links(index)
    assert broken == []
    linked = {unquote(urlsplit(link).path) for link in links}
    for name in (
        "01_outputs.html",
        "01_outputs.ipynb",
        "summary.csv",
        "summary.png",
        "parameters seen.json",
    ):
        assert f"01_outputs/{name}" in linked
    assert "provenance.json" in linked
    text = index.read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text  # no external assets


def test_provenance_has_input_hash_versions_and_status(done):
    prov = json.loads((done / "reports" / "provenance.json").read_text(encoding="utf-8"))
    expected = hashlib.sha256(CSV.encode("utf-8")).hexdigest()
    assert prov["data"]["sha256"] == expected == _sha256(done / "input data.csv")
    assert prov["status"] == "ok" and prov["error"] is None
    for name in (
        "youthmedia",
        "pandas",
        "numpy",
        "pyreadstat",
        "matplotlib",
        "python-pptx",
        "python",
    ):
        assert prov["versions"][name] not in ("", "not installed")
    assert prov["parameters"]["lang"] == "en"
    assert prov["parameters"]["organisation"] == "Stichting Test"
    assert prov["kernel"]["name"] == KERNEL and prov["kernel"]["cell_timeout_seconds"] == TIMEOUT
    assert prov["duration_seconds"] > 0 and prov["started"].endswith("+00:00")
    [nb] = prov["notebooks"]
    assert nb["status"] == "ok" and nb["sha256"] == _sha256(NOTEBOOKS / "01_outputs.ipynb")
    for rel, digest in nb["outputs"].items():
        assert _sha256(done / "reports" / rel) == digest


def test_rerun_gives_identical_index_tables_and_figures(tmp_path):
    folder = _folder(tmp_path, "01_outputs.ipynb")
    index = _run(tmp_path, folder)
    first = index.read_bytes()
    hashes = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    (tmp_path / "reports" / "01_outputs" / "stale.csv").write_text("from an older run")
    _run(tmp_path, folder)
    assert not (tmp_path / "reports" / "01_outputs" / "stale.csv").exists()
    again = json.loads((tmp_path / "reports" / "provenance.json").read_text())
    assert index.read_bytes() == first
    assert again["notebooks"][0]["outputs"] == hashes["notebooks"][0]["outputs"]
    assert again["started"] >= hashes["started"]


def test_a_folder_the_report_did_not_write_is_never_emptied(tmp_path):
    mine = tmp_path / "reports" / "01_outputs"
    mine.mkdir(parents=True)
    (mine / "my thesis.docx").write_text("precious")
    with pytest.raises(ConfigError, match=r"01_outputs exists and was not written by youthmedia"):
        _run(tmp_path, _folder(tmp_path, "01_outputs.ipynb"))
    assert (mine / "my thesis.docx").read_text() == "precious"


def test_failing_notebook_names_notebook_cell_and_error(tmp_path):
    folder = _folder(
        tmp_path, "01_outputs.ipynb", "02_fails.ipynb", "01_outputs.ipynb:03_after.ipynb"
    )
    with pytest.raises(YouthmediaError) as info:
        _run(tmp_path, folder)
    message = str(info.value)
    assert "\n" not in message
    assert "02_fails.ipynb" in message
    # cell 4 counted in the notebook as committed: markdown, parameters, `x = 1`, the division
    assert "cell 4 (`ratio = x / 0  # fails on purpose`)" in message
    assert "ZeroDivisionError: division by zero" in message
    out = tmp_path / "reports"
    partial = nbformat.read(out / "02_fails" / "02_fails.ipynb", as_version=4)
    # parameters [1], injected parameters [2], `x = 1` [3], the division [4], then nothing
    assert [c.get("execution_count") for c in partial.cells] == [None, 1, 2, 3, 4, None]
    assert partial.cells[4].outputs[0]["ename"] == "ZeroDivisionError"
    assert "ZeroDivisionError" in (out / "02_fails" / "02_fails.html").read_text(encoding="utf-8")
    assert not (out / "03_after").exists()
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert [n["status"] for n in prov["notebooks"]] == ["ok", "failed", "not run"]
    assert prov["status"] == "failed" and "02_fails.ipynb" in prov["error"]
    assert _broken_links(out / "index.html")[1] == []


def test_cell_timeout_stops_the_run(tmp_path):
    nb = nbformat.read(NOTEBOOKS / "02_fails.ipynb", as_version=4)
    nb.cells[3].source = "import time\ntime.sleep(60)"
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(nb, folder / "slow.ipynb")
    data = tmp_path / "d.csv"
    data.write_text(CSV)
    with pytest.raises(YouthmediaError, match=r"slow\.ipynb failed at cell 4 .*after 2 s"):
        report.run(
            data=data,
            out=tmp_path / "reports",
            notebooks=folder,
            kernel_name=KERNEL,
            timeout=2,
            root=ROOT,
            progress=False,
        )


def test_notebook_without_parameters_cell_is_refused(tmp_path, capsys):
    nb = nbformat.read(NOTEBOOKS / "01_outputs.ipynb", as_version=4)
    nb.cells[1].metadata["tags"] = []
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nbformat.write(nb, folder / "untagged.ipynb")
    data = tmp_path / "d.csv"
    data.write_text(CSV)
    with pytest.raises(ConfigError, match=r"untagged\.ipynb: no cell tagged 'parameters'"):
        report.run(
            data=data,
            out=tmp_path / "reports",
            notebooks=folder,
            kernel_name=KERNEL,
            root=ROOT,
            progress=False,
        )
    # through the command line: one line on stderr, exit status 2
    status = main(
        ["report", "--data", str(data), "--out", str(tmp_path / "r2"), "--notebooks", str(folder)]
    )
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1 and "untagged.ipynb" in err


def test_injected_parameters_round_trip_awkward_values():
    nb = nbformat.read(NOTEBOOKS / "01_outputs.ipynb", as_version=4)
    tricky = {
        "data_path": "C:\\data\\enquête 'klas' \"3b\".sav",
        "lang": "nl",
        "output_dir": "reports/x",
        "organisation": None,
    }
    nb, index = report._parameterize(nb, {"lang": "en"}, "python3", "01_outputs.ipynb")
    nb, index = report._parameterize(nb, tricky, "python3", "01_outputs.ipynb")
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert index == 1 and len(injected) == 1 and nb.cells[2] is injected[0]
    assert injected[0].id == "injected-parameters"
    namespace: dict = {}
    exec(compile(injected[0].source, "<injected>", "exec"), namespace)
    assert {k: namespace[k] for k in tricky} == tricky


def test_missing_data_file_and_folder_are_clear_errors(tmp_path):
    with pytest.raises(DataError, match=r"nope\.sav not found"):
        report.run(data=tmp_path / "nope.sav", out=tmp_path / "r", notebooks=NOTEBOOKS, root=ROOT)
    data = tmp_path / "d.csv"
    data.write_text(CSV)
    with pytest.raises(ConfigError, match="notebook folder .*missing does not exist"):
        report.run(data=data, out=tmp_path / "r", notebooks=tmp_path / "missing", root=ROOT)
    with pytest.raises(ConfigError, match="language 'de'"):
        report.run(data=data, out=tmp_path / "r", notebooks=NOTEBOOKS, lang="de", root=ROOT)


def test_kernel_falls_back_to_python3_and_says_so(monkeypatch):
    monkeypatch.setattr(
        KernelSpecManager, "find_kernel_specs", lambda self: {"python3": "/somewhere/python3"}
    )
    with pytest.warns(YouthmediaWarning, match="'youthmedia' is not installed.*'python3'"):
        assert report._kernel(None) == ("python3", True)
    with pytest.raises(ConfigError, match="kernel 'r-kernel' is not installed"):
        report._kernel("r-kernel")


def test_without_notebooks_the_main_job_writes_description_and_tables(tmp_path):
    demo = ROOT / report.DEFAULT_DATA
    if not demo.is_file():
        pytest.skip(f"demo data {demo} absent; run `make data`")
    (tmp_path / "empty").mkdir()
    index = report.run(out=tmp_path / "r", notebooks=tmp_path / "empty", root=ROOT)
    out = tmp_path / "r"
    assert (out / "describe.md").read_text(encoding="utf-8").strip()
    assert (out / "tables.xlsx").read_bytes()[:2] == b"PK"
    links, broken = _broken_links(index)
    assert broken == [] and {"describe.md", "describe.html", "tables.xlsx"} <= set(links)
    prov = json.loads((out / "provenance.json").read_text(encoding="utf-8"))
    assert prov["data"]["sha256"] == _sha256(demo)
    assert prov["outputs"]["tables.xlsx"] == _sha256(out / "tables.xlsx")


def _contract_notebooks() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", _contract_notebooks(), ids=lambda p: p.name)
def test_project_notebooks_follow_the_contract(path):
    """Committed without outputs; one `parameters` cell defining every injected name."""
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{path.name}: exactly one cell must be tagged 'parameters'"
    names = {
        t.id
        for node in ast.parse(tagged[0].source).body
        if isinstance(node, ast.Assign)
        for t in node.targets
        if isinstance(t, ast.Name)
    }
    assert set(report.PARAMETERS) <= names, (
        f"{path.name}: parameters cell lacks {set(report.PARAMETERS) - names}"
    )
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{path.name}: has outputs"


def test_cli_passes_the_report_options(monkeypatch, capsys, tmp_path):
    seen = {}

    def fake_run(**kwargs):
        seen.update(kwargs)
        return tmp_path / "index.html"

    monkeypatch.setattr(report, "run", fake_run)
    assert main(["report", "--lang", "en", "--organisation", "Jeugdzorg Noord"]) == 0
    assert seen == {
        "data": None,
        "out": Path("reports"),
        "lang": "en",
        "notebooks": Path("notebooks"),
        "organisation": "Jeugdzorg Noord",
    }
    assert capsys.readouterr().out.strip() == f"wrote {tmp_path / 'index.html'}"


def test_kernel_sockets_stay_out_of_the_working_folder(tmp_path):
    """Two runs in one folder must not share kernel sockets (jupyter_client's default IPC names
    are ``kernel-ipc-N`` in the working directory, which made concurrent runs fail with
    "Invalid Signature"). The notebook looks for such files in its working folder while its
    kernel is running."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell(
        'data_path = ""\nlang = "en"\noutput_dir = "out"\norganisation = ""'
    )
    params.metadata["tags"] = ["parameters"]
    look = nbformat.v4.new_code_cell(
        "import glob, os, pathlib\n"
        "pathlib.Path(output_dir).mkdir(parents=True, exist_ok=True)\n"
        "pathlib.Path(output_dir, 'sockets.txt').write_text(repr(sorted(glob.glob('kernel-ipc*'))))"
    )
    nb.cells = [params, look]
    nbformat.write(nb, folder / "01_sockets.ipynb")
    work = tmp_path / "work"
    work.mkdir()
    data = tmp_path / "input.csv"
    data.write_text(CSV, encoding="utf-8")
    report.run(
        data=data,
        out=tmp_path / "reports",
        notebooks=folder,
        kernel_name=KERNEL,
        timeout=TIMEOUT,
        root=work,
        progress=False,
    )
    assert (tmp_path / "reports" / "01_sockets" / "sockets.txt").read_text() == "[]"
    assert not list(work.glob("kernel-ipc*"))
