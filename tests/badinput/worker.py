"""Fuzz worker: loads the files named on stdin one by one and reports each outcome as JSON.

Run by ``tests/test_fuzz.py`` in a subprocess, so that a reader that crashes the process (a
segfault in C), runs away with memory or never returns takes down this worker and not the test
run; the test then records that file as a finding and starts a new worker.

Protocol: one path per line on stdin; one JSON object per line on stdout::

    {"path": ..., "outcome": "survey" | "error" | "other", "type": ..., "message": ...,
     "warnings": [[category, message], ...], "n": rows, "k": columns}

The address space is capped (``--max-gb`` above what the imports took), so that a damaged
count that makes a reader allocate without bound fails with ``MemoryError`` here instead of
drawing the machine's out-of-memory killer.
"""

from __future__ import annotations

import json
import resource
import sys
import traceback
import warnings


def _vm_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0  # pragma: no cover - not Linux


def main() -> int:
    max_gb = float(sys.argv[sys.argv.index("--max-gb") + 1]) if "--max-gb" in sys.argv else 3.0
    import pandas  # noqa: F401 - imported before the cap is measured
    import pyreadstat  # noqa: F401

    import youthmedia as ym
    from youthmedia.io import load

    if _vm_size():
        cap = _vm_size() + int(max_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        path = line.rstrip("\n")
        if not path:
            continue
        report: dict = {"path": path}
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                survey = load(path)
            except ym.YouthmediaError as exc:
                report.update(outcome="error", type=type(exc).__name__, message=str(exc))
            except BaseException as exc:  # noqa: BLE001 - exactly what the fuzz run looks for
                report.update(
                    outcome="other",
                    type=type(exc).__name__,
                    message=" | ".join(traceback.format_exception_only(exc)).strip(),
                    where=traceback.format_exc(limit=-3),
                )
            else:
                report.update(outcome="survey", n=survey.n, k=len(survey.columns))
        report["warnings"] = [[w.category.__name__, str(w.message)] for w in caught]
        print(json.dumps(report), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
