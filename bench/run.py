"""``make bench``: youthmedia at research scale, beside its floor and its peers, in one run.

Generates (or reuses) a PISA-shaped SPSS file (:mod:`bench.generate`), then runs every step
with every tool in a fresh process (:mod:`bench.steps`), checks that youthmedia, the floor and
the peers produce the same numbers, and writes ``reports/bench.md``.

Usage::

    python bench/run.py                      # full size: 600,000 rows (as make bench)
    python bench/run.py --scale 0.1          # a quick run on 60,000 rows
    python bench/run.py --steps shares_rep,issue4 --tools youthmedia,floor

Timings are medians of ``--repeats`` runs (default 3) inside one process per tool, after an
untimed setup (reading the inputs); slow peers run once and, past ``--budget`` seconds, on
part of the variables, extrapolated linearly and labelled so.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import generate as gen  # noqa: E402
from bench.steps import OUT, STEPS, r_available  # noqa: E402

TOLERANCE = 1e-8

#: step -> (what it measures, rows of the table text)
DESCRIPTION = {
    "load_all": "load all 381 columns",
    "load_selected": "load 20 selected columns",
    "shares_rep": "shares + Fay SEs (80 replicates), 20 vars × 80 groups",
    "shares_lin": "shares + linearisation SEs (strata/PSU), 20 vars × 80 groups",
    "crosstab": "Rao–Scott crosstab 4 × 5 (strata/PSU)",
    "deck": "deck of 20 figures (PPTX)",
    "deck_200": "youthmedia slides of 200 questions (standard.write_deck, PPTX)",
    "issue4": "issue 4: 1,000,000 rows, 10-cat share by 10-cat group, SEs",
    "summaries": "median (Woodruff CI), ratio, variance by 80 groups (Fay)",
    "app": "issue 18: app, upload of the Forms class survey → slide previews",
    "growth": "growth: share with SEs by group at 3 sizes × 10 / 1,000 groups (table below)",
    "models_lin": "glm logit + glm poisson + ordinal, 2 predictors (strata/PSU)",
    "models_rep": "glm logit + glm poisson + ordinal, 2 predictors (Fay, 80 replicates)",
    "privacy_gate": "privacy gate: every text of the demo's standard workbook + deck",
}
FLOOR_TEXT = {
    "load_all": "pyreadstat.read_sav",
    "load_selected": "pyreadstat.read_sav(usecols)",
    "shares_rep": "sparse indicator × 81 weights per variable",
    "shares_lin": "numpy.bincount sums per (PSU, group)",
    "crosstab": "weighted pandas table + scipy Pearson χ² (not design-based)",
    "deck": "plain matplotlib + python-pptx",
    "deck_200": "plain matplotlib + python-pptx, 200 charts",
    "summaries": "—",
    "issue4": "numpy.bincount sums",
    "growth": "numpy.bincount sums",
    "privacy_gate": "writing that workbook + deck, gate off",
}
#: the estimation steps: youthmedia's time (design build included) against the floor's
ESTIMATION = ("shares_rep", "shares_lin", "issue4")
LOADS = ("load_all", "load_selected")


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in (
        "youthmedia",
        "numpy",
        "pandas",
        "scipy",
        "pyreadstat",
        "pyarrow",
        "samplics",
        "svy",
        "statsmodels",
        "matplotlib",
    ):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def _warm(path: Path) -> None:
    """Read the file once so every tool finds it in the page cache."""
    with open(path, "rb") as fh:
        while fh.read(1 << 24):
            pass


def _run_tool(step: str, tool: str, path: Path, scale: float, repeats: int, budget: float) -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"{step}.{tool}.csv").unlink(missing_ok=True)
    js = OUT / f"{step}.{tool}.json"
    cmd = [
        sys.executable,
        "-m",
        "bench.steps",
        step,
        tool,
        "--path",
        str(path),
        "--scale",
        str(scale),
        "--repeats",
        str(repeats),
        "--budget",
        str(budget),
        "--json",
        str(js),
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        err = (proc.stderr.strip().splitlines() or ["failed"])[-1]
        return {"step": step, "tool": tool, "error": err[:300], "wall": wall}
    info = json.loads(js.read_text())
    info["wall"] = wall
    return info


def _agreement(step: str, tools: list[str]) -> dict[str, dict]:
    """Max |difference| of estimates and SEs between youthmedia and each other tool."""
    ref_path = OUT / f"{step}.youthmedia.csv"
    if not ref_path.exists():
        return {}
    ref = pd.read_csv(ref_path)
    keys = ["group", "variable", "category"]
    out = {}
    for tool in tools:
        p = OUT / f"{step}.{tool}.csv"
        if tool == "youthmedia" or not p.exists():
            continue
        other = pd.read_csv(p)
        if not {"estimate", "se", *keys} <= set(other.columns):
            out[tool] = {"matched": 0, "of": len(other)}
            continue
        m = ref.merge(other, on=keys, suffixes=("", "_o"))
        if m.empty:
            out[tool] = {"matched": 0, "of": len(other)}
            continue
        test = m["variable"].str.startswith("test:")
        # relative for tests; models: relative to 1e-4 of the estimate and SE (R's svyolr stops
        # BFGS at a relative change of 1e-8 in the likelihood, ~1e-5 from the maximum)
        model = m["variable"].str.startswith("model:")
        scale = np.where(test, np.maximum(np.abs(m["estimate"]), 1.0), 1.0)
        scale = np.where(model, np.abs(m["estimate"]) * 1e-4 / TOLERANCE, scale)
        d_est = float(np.nanmax(np.abs(m["estimate"] - m["estimate_o"]) / scale))
        se_scale = np.where(model, np.abs(m["se"]) * 1e-4 / TOLERANCE, 1.0)
        d_se = float(np.nanmax(np.abs(m["se"] - m["se_o"]) / se_scale)) if (~test).any() else 0.0
        nan_mismatch = int((m["se"].isna() != m["se_o"].isna()).sum())
        out[tool] = {
            "matched": len(m),
            "of": len(other),
            "d_est": d_est,
            "d_se": d_se,
            "nan_mismatch": nan_mismatch,
            "agree": d_est <= TOLERANCE and d_se <= TOLERANCE and nan_mismatch == 0,
        }
    return out


def _fmt_s(x: float | None) -> str:
    if x is None or not np.isfinite(x):
        return "—"
    return f"{x:.3g} s" if x < 100 else f"{x:,.0f} s"


def _fmt_mb(b: float | None) -> str:
    return "—" if b is None else f"{b / 2**20:,.0f} MB"


def _input_bytes(step: str, rows: int, file_cols: int) -> int:
    """In-memory size (float64) of the data a step works on: the memory target's yardstick."""
    n_sel = 20
    cols = {
        "load_all": file_cols,
        "load_selected": n_sel,
        "shares_rep": n_sel + 1 + 81,
        "shares_lin": n_sel + 3 + 1,
        "crosstab": 2 + 3,
        "deck": n_sel + 1,
        "models_lin": 2 + 2 + 3,
        "models_rep": 2 + 2 + 81,
    }.get(step)
    if step == "growth":
        return 0
    if step == "issue4":
        return 1_000_000 * 3 * 8
    return rows * cols * 8 if cols else 0


#: Readers that keep what ``load`` must keep: value labels, user-missing codes and
#: multiple-response sets (polars-readstat has no multiple-response sets and no SPSS weight, so
#: it is a peer, not a yardstick; ambers reads all three).
METADATA_READERS = ("pyreadstat", "pyreadstat-2proc", "ambers")


def _fastest_reader(tools: dict[str, dict]) -> tuple[str, float] | None:
    """The fastest metadata-keeping reader that ran."""
    times = [(n, tools[n]["median"]) for n in METADATA_READERS if "median" in tools.get(n, {})]
    return min(times, key=lambda x: x[1]) if times else None


def _targets(
    step: str, ym: dict, tools: dict[str, dict], agree: dict, input_bytes: int
) -> list[tuple[str, bool | None]]:
    """(target text, passed) for a step (issue 19's targets)."""
    t = ym.get("median")
    floor = next((v for v in tools.values() if v.get("role") == "floor" and "median" in v), None)
    ratio = t / floor["median"] if floor and t else None
    checks: list[tuple[str, bool | None]] = []
    if step in ESTIMATION:
        checks.append(("≤ 2× floor", None if ratio is None else ratio <= 2.0))
    if step == "deck":
        checks.append(("≤ 1.2× floor", None if ratio is None else ratio <= 1.2))
    if step == "deck_200" and ym.get("peak_extra") is not None:  # flat in the slides: the
        checks.append(("deck < 500 MB", ym["peak_extra"] < 500 * 2**20))  # loaded data aside
    if step in LOADS:
        fast = _fastest_reader(tools)
        if fast and t:
            checks.append((f"≤ 1.0× fastest reader ({fast[0]})", t <= fast[1]))
    limit = tools.get("limit", {})
    if "median" in limit and t:
        checks.append(("≤ 2× limit", t <= 2 * limit["median"]))
    if step == "app":
        checks.append(("< 15 s", t is not None and t < 15))
    if step == "privacy_gate":  # issue 13: the gate costs < 5 % of the writing it guards
        checks.append(("≤ 0.05× floor", None if ratio is None else ratio <= 0.05))
    if (
        step in ("load_all", "load_selected", "shares_rep", "shares_lin", "issue4", "crosstab")
        and ym.get("peak_extra") is not None
        and input_bytes
    ):
        checks.append(("peak < 2× data", ym["peak_extra"] < 2 * input_bytes))
    for tool, a in agree.items():
        if "agree" in a:
            checks.append((f"same numbers as {tool}", a["agree"]))
    return checks


def _growth_table(results: dict) -> list[str]:
    """Seconds per size and number of groups, youthmedia beside the floor, and per million
    rows (a cost that grows linearly keeps the per-million column flat)."""
    tools = results.get("growth", {})
    ym, fl = tools.get("youthmedia", {}).get("growth"), tools.get("floor", {}).get("growth")
    if not ym:
        return []
    floor = {(r["rows"], r["groups"]): r["seconds"] for r in fl or []}
    lines = [
        "",
        "## Growth: share with SEs by group",
        "",
        "youthmedia includes `with_design` (from a loaded Survey); the floor is the "
        "numpy.bincount sums with their SEs. Best of 3 runs each.",
        "",
        "| rows | groups | youthmedia | per 1M rows | floor | per 1M rows | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in ym:
        rows, secs = r["rows"], r["seconds"]
        f = floor.get((rows, r["groups"]))
        f_per = "—" if f is None else f"{f / rows * 1e6:.3f} s"
        ratio = "—" if not f else f"{secs / f:.2f}×"
        lines.append(
            f"| {rows:,} | {r['groups']:,} | {_fmt_s(secs)} | {secs / rows * 1e6:.3f} s "
            f"| {_fmt_s(f)} | {f_per} | {ratio} |"
        )
    return lines


def _header(meta: dict) -> list[str]:
    return [
        "# youthmedia at research scale (`make bench`)",
        "",
        f"Generated by `bench/run.py` on {time.strftime('%Y-%m-%d %H:%M')} — "
        f"{meta['cpus']} CPUs, {meta['ram_gb']:.0f} GiB RAM, scale {meta['scale']:g}: "
        f"**{meta['rows']:,} rows × {meta['columns']} columns**, "
        f"{meta['bytes'] / 1e9:.2f} GB `.sav` (generator v{gen.GENERATOR_VERSION}, written in "
        f"{meta['gen_seconds']:.0f} s, cached in `bench/_work/`).",
        "",
        "Times are medians of the repeats shown (`n`), measured in a fresh process per tool "
        "after an untimed setup that reads the inputs. youthmedia's estimation times include "
        "what a user pays in a session: `with_design`/`with_replicates` from the loaded Survey "
        "(the floors' times include their own codes and sums). *Ratio* is youthmedia's time "
        "over the floor's; the *limit* is the replicate step's physical limit (one BLAS "
        "product per group of its rows' 81 weights with all category indicators); for peers, "
        "how many times faster youthmedia is (below 1×: slower). Peak memory is the high-water "
        "mark of the resident memory during the step minus the memory at its start "
        f"({meta['memory_method']}) plus the peak (VmHWM) of every process the step started, "
        "i.e. what the step needed on top of its inputs; *data* is the in-memory size "
        f"(float64) of the columns the step works on. BLAS threads: {meta['blas']}.",
        "",
        "| step | youthmedia | floor | ratio | limit | peers (youthmedia × faster) "
        "| peak memory (data) | target | pass |",
        "|---|---|---|---|---|---|---|---|---|",
    ]


def _peers(step: str, tools: dict[str, dict], t: float | None, notes: list[str]) -> list[str]:
    """The peers' cells: time and how many times faster youthmedia is (notes collected)."""
    peers = []
    for name, info in tools.items():
        if info.get("role") in ("youthmedia", "floor", "limit"):
            continue
        if "error" in info:
            peers.append(f"{name}: failed")
            notes.append(f"{step} / {name}: {info['error']}")
            continue
        if "skipped" in info:
            peers.append(f"{name}: {info['skipped']}")
            continue
        m = info.get("median")
        x = f"{m / t:,.1f}×" if t and m else "—"
        mark = " (extrapolated)" if info.get("fraction", 1) < 1 else ""
        peers.append(f"{name} {_fmt_s(m)}{mark} ({x})")
        if info.get("note"):
            notes.append(f"{step} / {name}: {info['note']}.")
    return peers


def _step_row(
    step: str, tools: dict[str, dict], meta: dict, notes: list[str]
) -> tuple[str, bool | None]:
    """One step's line of the table, and whether its targets passed."""
    ym = tools.get("youthmedia", {})
    floor = next((v for v in tools.values() if v.get("role") == "floor"), {})
    t = ym.get("median")
    ratio = t / floor["median"] if t and floor.get("median") else None
    peers = _peers(step, tools, t, notes)
    checks = _targets(step, ym, tools, meta["agreement"].get(step, {}), meta["input_bytes"][step])
    passed = [c[1] for c in checks if c[1] is not None]
    ok = all(passed) if passed else None
    kids = ym.get("peak_children") or 0
    mem_text = (
        f"{_fmt_mb(ym.get('peak_extra'))}{f' incl. workers {_fmt_mb(kids)}' if kids else ''} "
        f"({_fmt_mb(meta['input_bytes'][step])})"
    )
    lim = tools.get("limit", {})
    lim_text = (
        f"{_fmt_s(lim['median'])} ({t / lim['median']:.2f}×)" if "median" in lim and t else "—"
    )
    target_text = (
        "; ".join(f"{c[0]}{'' if c[1] is None else (' ✓' if c[1] else ' ✗')}" for c in checks)
        or "—"
    )
    ym_text = "failed" if "error" in ym else f"{_fmt_s(t)} (n={ym.get('repeats', 0)})"
    if "error" in ym:
        notes.append(f"{step} / youthmedia: {ym['error']}")
    if ym.get("note"):
        notes.append(f"{step} / youthmedia: {ym['note']}.")
    floor_text = (
        "—"
        if not floor
        else (
            "failed" if "error" in floor else f"{_fmt_s(floor.get('median'))} ({FLOOR_TEXT[step]})"
        )
    )
    for name, info in tools.items():
        if info.get("peak_children"):
            notes.append(
                f"{step} / {name}: worker processes peaked at "
                f"{_fmt_mb(info['peak_children'])} together (in the peak above)."
            )
    return (
        f"| {DESCRIPTION[step]} | {ym_text} | {floor_text} | "
        f"{'—' if ratio is None else f'{ratio:.2f}×'} | {lim_text} | "
        f"{'; '.join(peers) or '—'} | {mem_text} | {target_text} | "
        f"{'—' if ok is None else ('pass' if ok else '**FAIL**')} |"
    ), ok


def _agreement_table(meta: dict) -> list[str]:
    lines = [
        "",
        "## Same numbers?",
        "",
        f"Every tool's estimates and SEs are joined with youthmedia's on (group, variable, "
        f"category); the largest absolute difference must be ≤ {TOLERANCE:g} (test "
        "statistics: relative).",
        "",
        "| step | tool | cells compared | max abs Δ estimate | max abs Δ SE | agree |",
        "|---|---|---|---|---|---|",
    ]
    for step, agree in meta["agreement"].items():
        for tool, a in agree.items():
            if "d_est" not in a:
                lines.append(f"| {step} | {tool} | 0 of {a['of']} | — | — | **no overlap** |")
                continue
            lines.append(
                f"| {step} | {tool} | {a['matched']:,} of {a['of']:,} | {a['d_est']:.1e} "
                f"| {a['d_se']:.1e} | {'yes' if a['agree'] else '**NO**'} |"
            )
    return lines


def write_report(results: dict, meta: dict, out: Path) -> str:
    """``reports/bench.md``: the step table, the growth table, agreement and notes."""
    lines = _header(meta)
    notes: list[str] = []
    all_pass = True
    for step, tools in results.items():
        row, ok = _step_row(step, tools, meta, notes)
        lines.append(row)
        all_pass &= ok is not False
    lines += _growth_table(results)
    lines += _agreement_table(meta)
    lines += ["", "## Notes", ""]
    lines += [f"- {n}" for n in dict.fromkeys(notes)]
    lines += [
        f"- R: {meta['r']}.",
        "- The floors are what a good engineer writes by hand for the same answer with "
        "its SEs: numpy.bincount sums per (PSU, group, category) and the few lines that "
        "turn them into Taylor SEs; per variable one sparse indicator × the 81 weights "
        "for Fay SEs. Their numbers are checked against youthmedia's too. The crosstab "
        "floor is not design-based (no Rao–Scott), so it has no ratio target.",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items()) + ".",
        f"- Overall: {'all targets met' if all_pass else 'some targets missed (see ✗)'}.",
    ]
    text = "\n".join(lines) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="fraction of the 600,000 rows (e.g. 0.1 for a quick run)",
    )
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--budget",
        type=float,
        default=120.0,
        help="seconds a slow peer may take before extrapolating",
    )
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--tools", default=None, help="comma-separated subset of tools")
    parser.add_argument("--out", default=str(ROOT / "reports" / "bench.md"))
    parser.add_argument(
        "--blas-threads",
        type=int,
        default=None,
        help="OPENBLAS_NUM_THREADS etc. for every tool (default: the library's)",
    )
    args = parser.parse_args(argv)
    if args.blas_threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.blas_threads)
    steps = [s for s in args.steps.split(",") if s]
    unknown = [s for s in steps if s not in STEPS]
    if unknown:
        parser.error(f"unknown step(s) {unknown}; known: {', '.join(STEPS)}")
    wanted = set(args.tools.split(",")) if args.tools else None

    print(f"bench: generating the PISA-shaped file (scale {args.scale:g}) ...", flush=True)
    g = gen.generate(args.scale)
    print(
        f"bench: {g.path.name}: {g.rows:,} rows × {g.columns} columns, {g.bytes / 1e9:.2f} GB",
        flush=True,
    )
    _warm(g.path)
    r_missing = r_available()
    results: dict[str, dict] = {}
    agreement: dict[str, dict] = {}
    memory_method = "unknown"
    for step in steps:
        results[step] = {}
        for tool in STEPS[step]:
            if wanted and tool not in wanted:
                continue
            if tool == "R" and r_missing:
                results[step][tool] = {"role": "peer", "skipped": r_missing}
                continue
            print(f"bench: {step} / {tool} ...", end=" ", flush=True)
            info = _run_tool(step, tool, g.path, args.scale, args.repeats, args.budget)
            results[step][tool] = info
            if "error" in info:
                print(f"failed: {info['error']}", flush=True)
            else:
                memory_method = info.get("memory_method", memory_method)
                print(
                    f"{_fmt_s(info['median'])} (n={info['repeats']}, wall {info['wall']:.0f} s)",
                    flush=True,
                )
        agreement[step] = _agreement(step, list(results[step]))
    meta = {
        "cpus": os.cpu_count(),
        "ram_gb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30,
        "scale": args.scale,
        "rows": g.rows,
        "columns": g.columns,
        "bytes": g.bytes,
        "gen_seconds": g.seconds,
        "agreement": agreement,
        "versions": _versions(),
        "memory_method": memory_method,
        "blas": os.environ.get("OPENBLAS_NUM_THREADS", "the library's default"),
        "r": r_missing or _r_version(results),
        "input_bytes": {s: _input_bytes(s, g.rows, g.columns) for s in steps},
    }
    (OUT / "results.json").write_text(
        json.dumps({"results": results, "meta": meta}, indent=1, default=str)
    )
    text = write_report(results, meta, Path(args.out))
    print(text)
    return 0


def _r_version(results: dict) -> str:
    for tools in results.values():
        info = tools.get("R", {})
        if "survey_version" in info:
            return f"R {info['r_version']} with survey {info['survey_version']} (timed inside R)"
    return "R with survey (timed inside R)"


if __name__ == "__main__":
    sys.exit(main())
