"""Shared helpers of the UI tests: environment (temp DB, temp glossary folder), the streamlit
server as a real process, and Chromium flags measured in ../shared/TESTING-UI.md."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "review" / "app" / "main.py"
SAMPLE = ROOT / "seeds" / "nhk-nato-madrid-2022.ja-en.txt"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
READY = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'


def glossary_copy(tmp: Path) -> Path:
    """A temp copy of the repository's glossary folder (so tests never modify the repo's files)."""
    dest = tmp / "glossaries"
    dest.mkdir(parents=True, exist_ok=True)
    src = ROOT / "glossaries"
    if src.is_dir():
        for p in src.iterdir():
            if p.is_file() and p.suffix.lower() in (".tbx", ".csv", ".tsv"):
                shutil.copy2(p, dest / p.name)
    return dest


def sample_segment(needle: str) -> int:
    from review.io import load_path

    doc = load_path(SAMPLE)
    return next(s.index for s in doc.segments if needle in s.target)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m streamlit run`` in its own process group, on a free port."""

    def __init__(self, env: dict[str, str], port: int | None = None, log: Path | None = None):
        self.port = port or free_port()
        self.env = {**os.environ, **env}
        self.log = log
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> "Server":
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(APP), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(self.port),
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode} (log: {self.log})")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"streamlit not healthy after {timeout}s (log: {self.log})")

    def kill(self) -> None:
        """SIGKILL the whole group: no clean shutdown."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if not self.proc or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)


def apply_button(at, index: int, label: str):
    """The Apply button of segment ``index`` whose label is ``label`` (AppTest)."""
    return next(b for b in at.button if b.key and b.key.startswith(f"apply-{index}-") and b.label == label)
