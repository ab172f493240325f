"""``review app [FILE] [--db URL] [--port N] [--headless]``: run the Streamlit UI as a child
process and return its exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ..model import InputError

MAIN = Path(__file__).resolve().parent / "main.py"


def command(port: int = 8501, headless: bool = False) -> list[str]:
    from .service import max_upload_bytes

    return [sys.executable, "-m", "streamlit", "run", str(MAIN),
            "--server.headless", "true" if headless else "false",
            "--server.port", str(port),
            # Streamlit holds an upload in memory before the app sees it: cap it at our own limit
            "--server.maxUploadSize", str(max(1, -(-max_upload_bytes() // (1024 * 1024)))),
            "--browser.gatherUsageStats", "false"]


def launch(args) -> int:
    env = dict(os.environ)
    db = getattr(args, "db", None)
    if db:
        env["REVIEW_DB_URL"] = db
    file = getattr(args, "file", None)
    if file:
        p = Path(file)
        if not p.is_file():
            raise InputError(f"{file}: no such file")
        env["REVIEW_OPEN_FILE"] = str(p.resolve())
    port = int(getattr(args, "port", None) or 8501)
    if not 0 < port < 65536:
        raise InputError(f"--port {port}: not a TCP port")
    try:
        return subprocess.call(command(port, bool(getattr(args, "headless", False))), env=env)
    except KeyboardInterrupt:
        return 130
