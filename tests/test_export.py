from __future__ import annotations

import csv
import io
import json

from review.export import (bilingual_tsv, corrected_text, neutralise, report_csv, report_json, safe_filename)
from review.io import load_path
from review.model import apply_suggestion
from review.store import Decision


def _corrected(sample_path, engine):
    doc = load_path(sample_path)
    findings = engine.check(doc)
    f = next(f for f in findings if f.rule == "EN-IDIOM-001" and f.text == "waving")
    seg = doc.segments[f.segment]
    targets = [s.target for s in doc.segments]
    targets[f.segment] = apply_suggestion(seg.target, f.start, f.end, "leading")
    return doc, findings, targets


def test_corrected_text_keeps_layout(sample_path, engine):
    doc, _, targets = _corrected(sample_path, engine)
    out = corrected_text(doc, targets)
    original = sample_path.read_text(encoding="utf-8")
    assert out.count("\n") == original.count("\n")
    assert sum(1 for l in out.split("\n") if not l.strip()) == sum(1 for l in original.split("\n") if not l.strip())
    assert "in leading military support" in out and "waving" not in out
    assert corrected_text(doc, [s.target for s in doc.segments]) == doc.text


def test_neutralise_and_tsv(sample_path, engine):
    for bad in ("=1+1", "+x", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(bad) == "'" + bad
    assert neutralise("fine") == "fine" and neutralise(None) == ""
    doc, findings, targets = _corrected(sample_path, engine)
    targets[0] = "=HYPERLINK(\"http://evil\")"
    rows = list(csv.reader(io.StringIO(bilingual_tsv(doc, targets)), delimiter="\t"))
    assert rows[0] == ["id", "source", "target", "mt"] and rows[1][2].startswith("'=")
    dec = [Decision(0, "EN-X", "-bad", 0, 4, "dismissed", None, "ann")]
    rep = list(csv.DictReader(io.StringIO(report_csv(doc, findings, dec))))
    assert len(rep) == len(findings) + 1
    assert rep[-1]["text"] == "'-bad" and rep[-1]["action"] == "dismissed"
    j = json.loads(report_json(doc, findings, dec, targets))
    assert j["schema"] == "review.report/1" and len(j["findings"]) == len(findings) and j["edited"] == 2


def test_safe_filename():
    assert safe_filename("../../etc/passwd") == "passwd"
    assert safe_filename("..\\..\\win.ini", ".corrected.txt") == "win.corrected.txt"
    assert safe_filename("a/b/c.txt", ".report.csv") == "c.report.csv"
    assert safe_filename("..", ".txt") == "document.txt"
    assert safe_filename("") == "document"
    assert "/" not in safe_filename("x/../y\x00z.txt") and ".." not in safe_filename("x/../y..z.txt")
    assert safe_filename("nhk.ja-en.txt", ".corrected.txt") == "nhk.ja-en.corrected.txt"
