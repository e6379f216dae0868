"""``youthmedia app``: serve ``app.ipynb`` with Voilà on 127.0.0.1, on a free port, and open it.

Nothing leaves the machine: Voilà listens on the loopback address only, serves its scripts and
fonts itself (MathJax, which Voilà would fetch from a CDN, points to a local address instead and
is never needed), and uploaded copies live in a temporary folder that is removed when the app
stops (Ctrl+C, or the process being ended).

Examples
--------
>>> from youthmedia.app.server import voila_command
>>> voila_command(8899)[3:6]
['--no-browser', '--port=8899', '--Voila.ip=127.0.0.1']
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import webbrowser
from pathlib import Path

from ..errors import ConfigError

__all__ = ["NOTEBOOK", "app_env", "free_port", "serve", "voila_command"]

NOTEBOOK = Path(__file__).with_name("app.ipynb")
_SHARE = Path(__file__).with_name("share")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def voila_command(port: int) -> list[str]:
    """The command that serves the app page on ``127.0.0.1:port``; the rest of its settings
    (loopback only, no CDN, no tracebacks, the youthmedia template) are in
    ``share/config/voila.json``, found through ``JUPYTER_CONFIG_PATH`` (:func:`app_env`)."""
    flags = ["--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"]
    return [sys.executable, "-m", "voila", *flags, str(NOTEBOOK)]


def app_env(workdir: str | os.PathLike[str]) -> dict[str, str]:
    """The environment of the app server: its temporary folder, its configuration and the
    templates' folders."""

    def prepend(var: str, *paths: str) -> str:
        extra = [p for p in os.environ.get(var, "").split(os.pathsep) if p]
        return os.pathsep.join(dict.fromkeys([*paths, *extra]))

    return {
        **os.environ,
        "YOUTHMEDIA_APP_DIR": str(workdir),
        "JUPYTER_PREFER_ENV_PATH": "1",
        "JUPYTER_CONFIG_PATH": prepend("JUPYTER_CONFIG_PATH", str(_SHARE / "config")),
        "JUPYTER_PATH": prepend("JUPYTER_PATH", *_template_paths()),
    }


def _template_paths() -> list[str]:
    """The youthmedia template, and the data folders where pip put Voilà's and nbconvert's
    templates (not this Python's when the packages come from another environment)."""
    import nbconvert
    import voila

    roots = [
        Path(m.__file__).resolve().parents[4] / "share" / "jupyter" for m in (voila, nbconvert)
    ]
    return [str(p) for p in (_SHARE, *roots)]


def _wait_for(port: int, proc: subprocess.Popen, timeout: float) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise ConfigError(
                f"The app server stopped at start (exit status {proc.returncode}); "
                "see the lines above, or run `make setup` again."
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise ConfigError(f"The app server did not answer on port {port} within {timeout:.0f} s.")


def serve(port: int | None = None, open_browser: bool = True, timeout: float = 120) -> int:
    """Start the app, open it in the browser and wait until it is stopped.

    Parameters
    ----------
    port : int, optional
        Default: a free port.
    open_browser : bool
        Open the page in the default browser.
    timeout : float
        Seconds to wait for the server to start.

    Returns
    -------
    int
        The server's exit status (0 when stopped with Ctrl+C).
    """
    port = port or free_port()
    workdir = tempfile.mkdtemp(prefix="youthmedia-app-")
    proc = subprocess.Popen(voila_command(port), env=app_env(workdir))
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        _wait_for(port, proc, timeout)
        url = f"http://127.0.0.1:{port}/"
        print(f"youthmedia app: {url}  (Ctrl+C stops it)", flush=True)
        if open_browser:
            webbrowser.open(url)
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(workdir, ignore_errors=True)
