"""The progress bar is drawn on a terminal only: a real pseudo-terminal gets it, a pipe never."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pty = pytest.importorskip("pty")  # POSIX pseudo-terminals


def _tsv(tmp_path: Path, n: int) -> Path:
    p = tmp_path / "pairs.tsv"
    rows = ["source\ttarget"] + [f"Le sommet numéro {i} a eu lieu.\tThe summit number {i} took place." for i in range(n)]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


def _env() -> dict:
    return {**os.environ, "REVIEW_NO_CACHE": "1", "COLUMNS": "100", "TERM": "xterm"}


def test_progress_bar_on_a_terminal_and_not_when_piped(tmp_path):
    src = _tsv(tmp_path, 1500)
    cmd = [sys.executable, "-m", "review", "check", str(src), "--format", "json", "--jobs", "1"]

    piped = subprocess.run(cmd, capture_output=True, text=True, env=_env(), timeout=300)
    assert piped.returncode == 0, piped.stderr
    assert "checking" not in piped.stderr and "━" not in piped.stderr

    # stderr on a pseudo-terminal (stdout still captured): the bar is drawn there
    master, slave = pty.openpty()
    out_file = (tmp_path / "out.json").open("wb")  # a file, not a pipe: nobody reads stdout meanwhile
    proc = subprocess.Popen(cmd, stdout=out_file, stderr=slave, env=_env())
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    out_file.close()
    os.close(master)
    out = (tmp_path / "out.json").read_bytes()
    drawn = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "checking pairs.tsv" in drawn
    # the findings on stdout are the same either way
    assert out.decode("utf-8") == piped.stdout


def test_no_progress_flag_silences_a_terminal_too(tmp_path):
    src = _tsv(tmp_path, 1500)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "review", "check", str(src), "--no-progress", "--jobs", "1"],
                            stdout=subprocess.DEVNULL, stderr=slave, env=_env())
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(master)
    assert proc.returncode == 0
    assert "checking" not in b"".join(chunks).decode("utf-8", "replace")
