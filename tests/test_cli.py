"""The CLI as a user runs it: a real subprocess, real files, exit codes and output contracts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "review", *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_check_sample_text_output(sample_path):
    r = run("check", str(sample_path))
    assert r.returncode == 1, r.stderr
    lines = r.stdout.strip().splitlines()
    assert all(l.startswith(str(sample_path) + ":") for l in lines)
    waving = [l for l in lines if "EN-IDIOM-001" in l]
    assert waving and "'leading'" in waving[0]
    # line:col point at the flagged word in the file
    path, line, col = waving[0].split(":")[:3]
    text_lines = sample_path.read_text(encoding="utf-8").splitlines()
    assert text_lines[int(line) - 1][int(col) - 1:].startswith("waving")


def test_json_contract(sample_path):
    r = run("check", str(sample_path), "--format", "json")
    data = json.loads(r.stdout)
    assert set(data) == {"schema", "segments", "findings"}
    assert data["schema"] == "review.findings/1"
    text = sample_path.read_text(encoding="utf-8")
    for s in data["segments"]:
        assert set(s) >= {"index", "id", "start", "end", "source", "target", "source_lang", "target_lang"}
        assert text[s["start"]:s["end"]] == s["target"]
    for f in data["findings"]:
        assert set(f) == {"rule", "segment", "start", "end", "text", "category", "severity", "message", "suggestions"}
        assert data["segments"][f["segment"]]["target"][f["start"]:f["end"]] == f["text"]
        assert f["severity"] in ("neutral", "minor", "major", "critical")


def test_fail_on_and_select(sample_path):
    assert run("check", str(sample_path), "--fail-on", "critical").returncode == 0
    r = run("check", str(sample_path), "--select", "EN-NUM", "--format", "json")
    rules = {f["rule"] for f in json.loads(r.stdout)["findings"]}
    assert rules and all(x.startswith("EN-NUM") for x in rules)
    r = run("check", str(sample_path), "--ignore", "EN-,TERM-", "--format", "json")
    rules = {f["rule"] for f in json.loads(r.stdout)["findings"]}
    assert not any(x.startswith(("EN-", "TERM-")) for x in rules)


def test_profile_dismissals_and_severity(tmp_path, sample_path):
    prof = tmp_path / "profile.yaml"
    prof.write_text("ignore: [EN-CALQUE]\nseverity: {EN-IDIOM-001: critical}\ndismiss:\n  - rule: EN-FRAG-001\n    text: 'I am.'\n", encoding="utf-8")
    data = json.loads(run("check", str(sample_path), "--profile", str(prof), "--format", "json").stdout)
    rules = [f["rule"] for f in data["findings"]]
    assert not any(r.startswith("EN-CALQUE") for r in rules)
    assert [f["severity"] for f in data["findings"] if f["rule"] == "EN-IDIOM-001"] == ["critical"]
    assert not [f for f in data["findings"] if f["rule"] == "EN-FRAG-001" and f["text"] == "I am."]


def test_empty_file_is_valid(tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    r = run("check", str(p), "--format", "json")
    assert r.returncode == 0
    assert json.loads(r.stdout) == {"schema": "review.findings/1", "segments": [], "findings": []}


@pytest.mark.parametrize("name,content,needle", [
    ("missing.txt", None, "no such file"),
    ("blob.txt", bytes(range(256)) * 8, "binary"),
    ("bad.tsv", b"foo\tbar\nx\ty\n", "target"),
])
def test_bad_input_one_line_exit_2(tmp_path, name, content, needle):
    p = tmp_path / name
    if content is not None:
        p.write_bytes(content)
    r = run("check", str(p))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert needle in r.stderr


def test_unsafe_glossary_is_refused(tmp_path, sample_path):
    bomb = tmp_path / "bomb.tbx"
    bomb.write_text('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
                    '<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>'
                    '<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>&lol2;</term></termSec></langSec></conceptEntry>'
                    '</body></text></tbx>', encoding="utf-8")
    r = run("check", str(sample_path), "--glossary", str(bomb))
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_usage_errors_exit_2(sample_path):
    r = run("check", str(sample_path), "--fail-on", "fatal")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert run().returncode == 2


def test_bilingual_tsv(tmp_path):
    p = tmp_path / "pairs.tsv"
    p.write_text("source\ttarget\n"
                 "2014年のクリミア併合は安全保障環境を変えた。\tThe illegal merger of Crimea in 2014 changed the security environment.\n"
                 "支援額は約61億ドルを超えた。\tThe aid exceeded about $6.1 billion.\n", encoding="utf-8")
    data = json.loads(run("check", str(p), "--format", "json").stdout)
    assert [s["start"] for s in data["segments"]] == [None, None]
    assert [s["source_lang"] for s in data["segments"]] == ["ja", "ja"]
    assert any(f["segment"] == 1 and f["rule"] == "EN-NUM-005" for f in data["findings"])


def test_rules_listing():
    r = run("rules", "--format", "json")
    rules = json.loads(r.stdout)
    ids = [x["id"] for x in rules]
    assert "EN-IDIOM-001" in ids and len(ids) == len(set(ids))


def test_several_files_in_one_json(tmp_path, sample_path):
    other = tmp_path / "other.txt"
    other.write_text("The the summit opened.", encoding="utf-8")
    data = json.loads(run("check", str(sample_path), str(other), "--format", "json").stdout)
    assert data["schema"] == "review.findings/1"
    assert [d["file"] for d in data["documents"]] == [str(sample_path), str(other)]
    assert data["documents"][1]["findings"][0]["rule"] == "EN-REPEAT-001"
