"""``youthmedia app``: Voilà serves ``app.ipynb`` on 127.0.0.1; nothing leaves the machine
(``share/``: settings, a template without its CDN link); uploads go to a temporary ``TMPDIR``."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

__all__ = ["NOTEBOOK", "serve"]

NOTEBOOK = Path(__file__).with_name("app.ipynb")
_SHARE = Path(__file__).with_name("share")


def serve(port: int | None = None, open_browser: bool = True) -> int:
    """Serve the app (on ``port``, else the first free one from 8866), open it in the browser
    and return the server's exit status once it is stopped (0 after Ctrl+C or SIGTERM)."""
    workdir = tempfile.mkdtemp(prefix="youthmedia-app-")
    env = {**os.environ, "TMPDIR": workdir, "JUPYTER_PREFER_ENV_PATH": "1"}
    for var, folder in (("JUPYTER_CONFIG_PATH", _SHARE / "config"), ("JUPYTER_PATH", _SHARE)):
        env[var] = os.pathsep.join(filter(None, [str(folder), os.environ.get(var)]))
    flags = [f"--Voila.open_browser={open_browser}", *([f"--port={port}"] if port else [])]
    proc = subprocess.Popen([sys.executable, "-m", "voila", *flags, str(NOTEBOOK)], env=env)
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)
