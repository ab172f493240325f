"""Limits: maximum input size (``REVIEW_MAX_UPLOAD_MB``) and segment count (``REVIEW_MAX_SEGMENTS``)
for UI uploads, the store and the CLI (``review.io.load_path(max_bytes=..., max_segments=...)``),
each with a clear message; a 50 MB input is refused before it is read when the limit is lower; and
memory stays bounded while reading a large input (the full 50 MB figure is bench/bench_memory.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from review import limits
from review.app import service as svc
from review.io import load_bytes, load_path
from review.model import InputError
from review.store import Store
from tests.ui_helpers import APP, SAMPLE, glossary_copy

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    monkeypatch.delenv("REVIEW_MAX_UPLOAD_MB", raising=False)
    monkeypatch.delenv("REVIEW_MAX_SEGMENTS", raising=False)


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as fh:  # a sparse file: the size without writing 50 MB
        fh.truncate(size)
    return path


def test_defaults_and_bad_env_values(monkeypatch):
    assert limits.max_bytes() == 200 * 1024 * 1024 and limits.max_segments() is None
    assert svc.max_upload_bytes() == 50 * 1024 * 1024
    monkeypatch.setenv("REVIEW_MAX_UPLOAD_MB", "1.5")
    monkeypatch.setenv("REVIEW_MAX_SEGMENTS", "1000")
    assert limits.max_bytes() == int(1.5 * 1024 * 1024) and limits.max_segments() == 1000
    for bad in ("", "lots", "-3", "0", "nan"):
        monkeypatch.setenv("REVIEW_MAX_UPLOAD_MB", bad)
        monkeypatch.setenv("REVIEW_MAX_SEGMENTS", bad)
        assert limits.max_bytes() == 200 * 1024 * 1024 and limits.max_segments() is None, bad


def test_load_path_size_limit_refuses_before_reading(tmp_path, monkeypatch):
    big = _sparse(tmp_path / "big.txt", 50 * 1024 * 1024)
    t0 = time.monotonic()
    with pytest.raises(InputError, match=r"big.txt: file is 50 MB, above the 10 MB limit"):
        load_path(big, max_bytes=10 * 1024 * 1024)
    monkeypatch.setenv("REVIEW_MAX_UPLOAD_MB", "20")
    with pytest.raises(InputError, match=r"above the 20 MB limit \(set REVIEW_MAX_UPLOAD_MB"):
        load_path(big)
    assert time.monotonic() - t0 < 1  # refused from the size, never read


def test_load_path_segment_limit(tmp_path, monkeypatch):
    n = len(load_path(SAMPLE).segments)
    assert len(load_path(SAMPLE, max_segments=n).segments) == n
    with pytest.raises(InputError, match=rf"{SAMPLE.name}: {n} segments, above the limit of 10"):
        load_path(SAMPLE, max_segments=10)
    monkeypatch.setenv("REVIEW_MAX_SEGMENTS", "10")
    with pytest.raises(InputError, match="REVIEW_MAX_SEGMENTS"):
        load_path(SAMPLE)


def test_ui_upload_and_store_limits(tmp_path, monkeypatch):
    store = Store(f"sqlite:///{tmp_path / 'l.db'}")
    data = SAMPLE.read_bytes()
    monkeypatch.setenv("REVIEW_MAX_UPLOAD_MB", "0.001")
    with pytest.raises(InputError, match="upload limit"):
        svc.open_upload(store, data, "news.txt")
    monkeypatch.setenv("REVIEW_MAX_UPLOAD_MB", "5")
    monkeypatch.setenv("REVIEW_MAX_SEGMENTS", "10")
    with pytest.raises(InputError, match="news.txt: 52 segments, above the limit of 10"):
        svc.open_upload(store, data, "news.txt")
    with pytest.raises(InputError, match="above the limit"):
        store.add_document(load_bytes(data, "direct.txt"), data)
    assert store.list_documents() == []
    monkeypatch.delenv("REVIEW_MAX_SEGMENTS")
    assert svc.open_upload(store, data, "news.txt")
    store.close()


def test_ui_upload_limit_message(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEW_DB_URL", f"sqlite:///{tmp_path / 'app.db'}")
    monkeypatch.setenv("REVIEW_GLOSSARY_DIR", str(glossary_copy(tmp_path)))
    monkeypatch.delenv("REVIEW_OPEN_FILE", raising=False)
    at = AppTest.from_file(str(APP), default_timeout=30).run()
    at.switch_page("views/documents.py").run()
    monkeypatch.setenv("REVIEW_MAX_SEGMENTS", "3")
    at.file_uploader(key="upload").set_value(("long.txt", b"One. Two. Three. Four. Five.\n", "text/plain")).run()
    assert not at.exception
    assert any("5 segments, above the limit of 3" in e.value for e in at.error)
    monkeypatch.setenv("REVIEW_MAX_UPLOAD_MB", "0.00001")
    at.file_uploader(key="upload").set_value(("big.txt", b"x. " * 100, "text/plain")).run()
    assert any("upload limit" in e.value for e in at.error)


def test_cli_limits_exit_2_with_one_line(tmp_path):
    big = _sparse(tmp_path / "big.txt", 3 * 1024 * 1024)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "REVIEW_MAX_UPLOAD_MB": "1", "REVIEW_MAX_SEGMENTS": "10"}
    for path, needle in ((big, "above the 1 MB limit"), (SAMPLE, "segments, above the limit of 10")):
        r = subprocess.run([sys.executable, "-m", "review", "check", "--no-default-glossary", str(path)],
                           capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 2 and needle in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_reading_a_large_input_stays_bounded(tmp_path):
    """Reading and segmenting 5 MB of news text in a fresh process: its peak RSS stays far below a
    per-MB bound; bench/bench_memory.py measures the full 50 MB check. (The child's own high-water
    mark, VmHWM, is used: ``ru_maxrss`` of a child forked from this large pytest process starts at
    the parent's size on Linux.)"""
    p = tmp_path / "news-5mb.txt"
    base = SAMPLE.read_bytes()
    p.write_bytes((base * (5 * 1024 * 1024 // len(base) + 1))[:5 * 1024 * 1024])
    code = ("import sys; sys.path.insert(0, sys.argv[2]); from review.io import load_path;"
            "d = load_path(sys.argv[1]);"
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1];"
            "print(len(d.segments), hwm)")
    r = subprocess.run([sys.executable, "-c", code, str(p), str(ROOT)], capture_output=True, text=True, timeout=120)
    segments, rss_kb = map(int, r.stdout.split())
    assert segments > 20_000
    assert rss_kb / 1024 < 250, rss_kb  # 5 MB of text, 34,000 segments: measured about 50 MB
