"""The findings cache of `review check`: a hit gives exactly what a real check gives, and any
change to the input, the options or a configuration file is a miss. Real subprocesses, real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def cache_env(tmp_path_factory):
    d = tmp_path_factory.mktemp("review-cache")
    env = {**os.environ, "REVIEW_CACHE_DIR": str(d)}
    env.pop("REVIEW_NO_CACHE", None)
    return env, d / "findings"


def run(env, *args):
    return subprocess.run([sys.executable, "-m", "review", "check", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.is_dir() else []


def test_hit_equals_a_real_check_and_keeps_exit_code(cache_env, sample_path, tmp_path):
    env, folder = cache_env
    doc = tmp_path / "sample.txt"
    doc.write_bytes(sample_path.read_bytes())
    first = run(env, str(doc), "--format", "json")
    n = len(entries(folder))
    second = run(env, str(doc), "--format", "json")
    assert len(entries(folder)) == n  # nothing new stored: it was a hit
    uncached = run({**env, "REVIEW_NO_CACHE": "1"}, str(doc), "--format", "json")
    assert first.returncode == second.returncode == uncached.returncode == 1
    assert json.loads(first.stdout) == json.loads(second.stdout) == json.loads(uncached.stdout)
    assert first.stdout == second.stdout
    text1, text2 = run(env, str(doc)), run(env, str(doc))
    assert text1.stdout == text2.stdout and text1.stdout.startswith(f"{doc}:")
    # --fail-on is applied to cached findings too (it is not part of what is stored)
    assert run(env, str(doc), "--fail-on", "critical").returncode == run(
        {**env, "REVIEW_NO_CACHE": "1"}, str(doc), "--fail-on", "critical").returncode


def test_a_hit_is_served_from_the_store(cache_env, tmp_path):
    """Prove the second run reads the stored entry: rewrite the entry and see it come back."""
    import pickle

    from review import cache

    env, folder = cache_env
    doc = tmp_path / "one.txt"
    doc.write_text("The the Secretary General spoke.\n", encoding="utf-8")
    before = set(entries(folder))
    first = run(env, str(doc))
    (entry,) = set(entries(folder)) - before
    raw = entry.read_bytes()
    n, worst, rendered = pickle.loads(raw[len(cache.FORMAT):])
    assert "EN-REPEAT-001" in rendered and rendered == first.stdout.rstrip("\n")
    entry.write_bytes(cache.FORMAT + pickle.dumps((n, worst, rendered + "\nMARKER")))
    assert run(env, str(doc)).stdout.rstrip("\n").endswith("MARKER")
    # a corrupt entry is a miss, checked for real and stored again
    entry.write_bytes(cache.FORMAT + b"not a pickle")
    again = run(env, str(doc))
    assert again.stdout == first.stdout and again.returncode == first.returncode


def test_changes_are_misses(cache_env, tmp_path):
    env, folder = cache_env
    doc = tmp_path / "doc.txt"
    doc.write_text("The Allies met in Madrid.\n", encoding="utf-8")
    assert run(env, str(doc)).stdout == ""
    # the input changes
    doc.write_text("The Allies met met in Madrid.\n", encoding="utf-8")
    assert "EN-REPEAT-001" in run(env, str(doc)).stdout
    # an extra rule pack, then an edit of that rule pack
    rules = tmp_path / "house.yaml"
    rule = """- id: HOUSE-001
  type: existence
  category: Style
  severity: minor
  message: "House style: avoid '%s'."
  tokens: [{word}]
  examples:
    bad: ["We met in {Word}."]
    good: ["We met in Paris."]
"""
    rules.write_text(rule.format(word="Madrid", Word="Madrid"), encoding="utf-8")
    assert "HOUSE-001" in run(env, str(doc), "--rules", str(rules)).stdout
    rules.write_text(rule.format(word="Allies", Word="Allies"), encoding="utf-8")
    out = run(env, str(doc), "--rules", str(rules)).stdout
    assert "HOUSE-001" in out and "'Allies'" in out and "'Madrid'" not in out
    # an option
    assert "HOUSE-001" not in run(env, str(doc), "--rules", str(rules), "--ignore", "HOUSE").stdout
    # an extra glossary whose bytes change
    gl = tmp_path / "g.csv"
    head = "concept_id,lang,term,status\n"
    gl.write_text(head + "c1,en,Allied nations,preferred\nc1,en,Allies,deprecated\n", encoding="utf-8")
    with_term = run(env, str(doc), "--glossary", str(gl)).stdout
    assert "TERM-DEPRECATED" in with_term and "'Allies'" in with_term
    gl.write_text(head + "c1,en,Madrid city,preferred\nc1,en,Madrid,deprecated\n", encoding="utf-8")
    out = run(env, str(doc), "--glossary", str(gl)).stdout
    assert "TERM-DEPRECATED" in out and "'Madrid'" in out and "'Allies'" not in out


def test_no_cache_stores_nothing(tmp_path, sample_path):
    env = {**os.environ, "REVIEW_CACHE_DIR": str(tmp_path / "c")}
    env.pop("REVIEW_NO_CACHE", None)
    run(env, str(sample_path), "--no-cache")
    assert entries(tmp_path / "c" / "findings") == []
    run({**env, "REVIEW_NO_CACHE": "1"}, str(sample_path))
    assert entries(tmp_path / "c" / "findings") == []
    run(env, str(sample_path))
    assert len(entries(tmp_path / "c" / "findings")) == 1


def test_unwritable_cache_is_not_an_error(tmp_path, sample_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    env = {**os.environ, "REVIEW_CACHE_DIR": str(blocker)}
    env.pop("REVIEW_NO_CACHE", None)
    r = run(env, str(sample_path))
    assert r.returncode == 1 and "Traceback" not in r.stderr and r.stdout.count("\n") >= 50


def test_eviction_keeps_the_newest(tmp_path, monkeypatch, capsys):
    from review import cache
    from review.cli import main

    monkeypatch.setenv("REVIEW_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("REVIEW_NO_CACHE", raising=False)
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for i in range(5):
        p = tmp_path / f"d{i}.txt"
        p.write_text(f"Document {i} met met the Allies.\n", encoding="utf-8")
        main(["check", str(p)])
    kept = entries(tmp_path / "c" / "findings")
    assert len(kept) == 3
    capsys.readouterr()
    # the last document is still a hit: its entry survives and is not rewritten
    newest = max(kept, key=lambda p: p.stat().st_mtime_ns)
    main(["check", str(tmp_path / "d4.txt")])
    assert "EN-REPEAT-001" in capsys.readouterr().out
    assert newest in entries(tmp_path / "c" / "findings")


def test_runs_with_warnings_are_not_stored(tmp_path, monkeypatch, capsys):
    """A rule that timed out may have missed findings: such a run is never cached."""
    from review import cli, rules as rules_mod

    monkeypatch.setenv("REVIEW_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.delenv("REVIEW_NO_CACHE", raising=False)
    monkeypatch.setattr(rules_mod, "REGEX_TIMEOUT", 0.001)
    pack = tmp_path / "slow.yaml"
    pack.write_text(r"""- id: SLOW-001
  type: pattern
  category: Style
  severity: minor
  message: "slow"
  pattern: '(?:(?:\w+\s?)+)+\d$'
  examples:
    bad: ["a 1"]
    good: ["b"]
""", encoding="utf-8")
    doc = tmp_path / "d.txt"
    doc.write_text(" ".join(["word"] * 40) + " end.\n", encoding="utf-8")
    cli.main(["check", str(doc), "--rules", str(pack)])
    err = capsys.readouterr().err
    assert "SLOW-001 timed out" in err
    assert entries(tmp_path / "c" / "findings") == []
