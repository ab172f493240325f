"""HTML report and CSV export: escaping, charts, formula neutralisation, the sample, the CLI wiring."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from review import mqm, report
from review.model import Document, Finding, InputError, Segment, Severity

FIX = Path(__file__).resolve().parent / "fixtures" / "formats"
EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def _doc() -> Document:
    segs = [
        Segment(index=0, id="s1", source="悪意のある<script>", target=f"Hello {EVIL} world."),
        Segment(index=1, id="s2", source="ソース", target="=HYPERLINK(\"http://evil\")"),
        Segment(index=2, id="s3", source="普通", target="Plain text."),
    ]
    return Document(name="evil<name>.tsv", segments=segs, format="tsv", source_lang="ja")


def _findings(doc) -> list[Finding]:
    t0 = doc.segments[0].target
    s = t0.index("<script>")
    return [
        Finding("EN-TEST-001", 0, s, s + len("<script>"), "<script>", "Fluency/Markup", Severity.MAJOR,
                "Stray <b>tag</b>", ("<em>",)),
        Finding("EN-TEST-002", 0, 0, 5, "Hello", "Style/Register", Severity.MINOR, "Informal"),
        Finding("EN-TEST-003", 0, 2, 4, "ll", "Fluency/Spelling", Severity.CRITICAL, "Overlap"),
        Finding("EN-TEST-004", 1, 0, 1, "=", "Accuracy/Mistranslation", Severity.MAJOR, "-1+1", ("@SUM(A1)",)),
        Finding("EN-TEST-005", 2, 11, 11, "", "Fluency/Punctuation", Severity.MINOR, "zero width"),
    ]


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.stack: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def test_html_escapes_everything(tmp_path):
    doc = _doc()
    page = report.build_html(doc, _findings(doc))
    assert "<script>" not in page and "<img" not in page and "onerror=alert(1)>" not in page
    assert "&lt;script&gt;<sup>3</sup></mark>alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "悪意のある&lt;script&gt;" in page
    assert "Stray &lt;b&gt;tag&lt;/b&gt;" in page and "<code>&lt;em&gt;</code>" in page
    assert "evil&lt;name&gt;.tsv" in page
    p = _Collect()
    p.feed(page)
    assert "script" not in p.tags and "img" not in p.tags
    # the text a browser shows contains the segment literally
    assert EVIL[len("<script>"):] in "".join(p.text)


def test_html_is_self_contained_with_charts_and_print_css():
    doc = _doc()
    page = report.build_html(doc, _findings(doc))
    assert page.count("<svg") >= 2 and "Findings by MQM branch" in page and "Findings by severity" in page
    assert "@media print" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//)""", page)
    assert "<link" not in page and "<script" not in page
    # highlights come from the offsets; overlapping spans are split; zero-width → caret
    assert ('<mark class="sev-minor" title="EN-TEST-002">He</mark>'
            '<mark class="sev-critical" title="EN-TEST-002 EN-TEST-003">ll<sup>2</sup></mark>'
            '<mark class="sev-minor" title="EN-TEST-002">o<sup>1</sup></mark>') in page
    assert '<mark class="sev-major" title="EN-TEST-001">&lt;script&gt;' in page
    assert 'class="caret sev-minor"' in page
    assert "MQM scorecard" in page and "FAIL" in page


def test_highlight_offsets_and_escaping():
    seg_text = "a <b> c"
    f = Finding("R", 0, 2, 5, "<b>", "Fluency/Markup", Severity.MINOR, "m")
    out = report.highlight(seg_text, [f], {id(f): 1})
    assert out == 'a <mark class="sev-minor" title="R">&lt;b&gt;<sup>1</sup></mark> c'


def test_csv_neutralises_formulas(tmp_path):
    doc = _doc()
    out = tmp_path / "f.csv"
    report.write_csv(doc, _findings(doc), out)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 5
    r = rows[3]
    assert r["text"] == "'=" and r["message"] == "'-1+1" and r["suggestions"] == "'@SUM(A1)"
    assert r["target"] == "'=HYPERLINK(\"http://evil\")"
    for row in rows:
        for v in row.values():
            assert not v.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert [report.csv_safe(x) for x in ("=1", "+1", "-1", "@a", "\tx", "\rx", "ok", 3)] == \
        ["'=1", "'+1", "'-1", "'@a", "'\tx", "'\rx", "ok", "3"]


def test_post_edit_diff():
    doc = _doc()
    corr = Document(name="c.tsv", segments=[s if s.index != 2 else s.with_target("Plain <new> text!")
                                           for s in doc.segments], format="tsv")
    page = report.build_html(doc, [], corrected=corr)
    assert "Post-edit" in page and "1 of 3 segments edited" in page
    assert "<ins>&lt;new&gt; </ins>" in page or "<ins>&lt;new&gt;</ins>" in page
    assert "<del>.</del>" in page
    short = Document(name="c.tsv", segments=doc.segments[:1])
    with pytest.raises(InputError, match="must keep the segments"):
        report.build_html(doc, [], corrected=short)


def test_sample_report_builds(engine, sample_path, tmp_path):
    from review.io import load_path

    doc = load_path(sample_path)
    findings = report.run_checks(engine, doc)
    card = mqm.scorecard(doc, findings)
    page = report.build_html(doc, findings, card)
    assert page.count('<section class="seg') == len(doc.segments)
    assert page.count("<li value=") == len(findings)
    assert "NATO" in page and "<svg" in page


def _cli(argv):
    """The real CLI entry point (review.cli wires review.commands in)."""
    from review import cli

    return cli.main(argv)


def _cli_error(argv, capsys, pattern):
    """Bad input: exit code 2 and one clear line on stderr naming the problem."""
    capsys.readouterr()
    assert _cli(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and re.search(pattern, err), err


def test_report_command_end_to_end(tmp_path, sample_path, capsys):
    html_out, csv_out = tmp_path / "r.html", tmp_path / "f.csv"
    corrected = tmp_path / "corrected.txt"
    corrected.write_text(sample_path.read_text(encoding="utf-8").replace("NATO", "Nato", 1), encoding="utf-8")
    assert _cli(["report", str(sample_path), "-o", str(html_out), "--csv", str(csv_out),
                 "--corrected", str(corrected)]) == 0
    page = html_out.read_text(encoding="utf-8")
    assert "Post-edit" in page and "<del>" in page
    assert csv_out.read_text(encoding="utf-8-sig").startswith("file,segment,segment_id")
    assert "wrote" in capsys.readouterr().err


def test_report_command_on_xliff(tmp_path):
    src = tmp_path / "site.xlf"
    shutil.copyfile(FIX / "site.fr-en.xlf", src)
    out = tmp_path / "r.html"
    assert _cli(["report", str(src), "-o", str(out), "--threshold", "1000"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "BI-TAG-001" in page and "&lt;ph id=&quot;1&quot;/&gt;" in page


def test_glossary_commands(tmp_path, capsys, monkeypatch):
    from review.glossary import REPO_GLOSSARY_DIR, Glossary

    repo_before = {p.name: p.read_bytes() for p in REPO_GLOSSARY_DIR.iterdir()}
    monkeypatch.chdir(tmp_path)
    # export the built-in term base, then import it into a new file
    assert _cli(["glossary", "export", "--format", "csv", "-o", "all.csv"]) == 0
    assert _cli(["glossary", "import", "all.csv", "--into", "mine.tbx"]) == 0
    n = len(Glossary.load_file("mine.tbx"))
    assert n == len(Glossary.default())
    # add a deprecated term with its replacement to the default user glossary (./glossary.tbx)
    assert _cli(["glossary", "add", "--term", "Nato", "--lang", "en", "--status", "deprecated",
                 "--replacement", "NATO", "--note", "spelling"]) == 0
    g = Glossary.load_file(tmp_path / "glossary.tbx")
    (c,) = g.concepts
    assert {(t.text, t.status) for t in c.terms} == {("Nato", "deprecated"), ("NATO", "preferred")}
    capsys.readouterr()
    assert _cli(["glossary", "list", "--glossary", "glossary.tbx", "--lang", "en", "--search", "nato"]) == 0
    out = capsys.readouterr().out
    assert "deprecated\tNato → NATO" in out
    # validation errors name the entry and the field
    _cli_error(["glossary", "add", "--term", "x", "--lang", "english!", "--status", "preferred"], capsys, r"entry 'x': field lang")
    _cli_error(["glossary", "add", "--term", "y", "--lang", "en", "--status", "preferred", "--replacement", "z"], capsys, r"field replacement")
    _cli_error(["glossary", "add", "--term", "Nato", "--lang", "en", "--status", "deprecated", "--concept", "nato"], capsys, r"entry 'nato': field term: 'Nato' \(en\) is already")
    # the repository's glossaries/ were not touched
    assert {p.name: p.read_bytes() for p in REPO_GLOSSARY_DIR.iterdir()} == repo_before


def test_glossary_add_makes_white_space_single_and_refuses_control_characters(tmp_path, capsys, monkeypatch):
    """A term pasted with a line break is the term with a space, as the TBX and CSV readers read
    it (the same term before and after a reload); a control character is bad input, one line."""
    from review.glossary import Glossary

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REVIEW_GLOSSARY", raising=False)
    assert _cli(["glossary", "add", "--term", "armed\n  conflict zone", "--lang", "en", "--status", "deprecated",
                 "--replacement", " war\tzone "]) == 0
    (c,) = Glossary.load_file(tmp_path / "glossary.tbx").concepts
    assert {(t.text, t.status) for t in c.terms} == {("armed conflict zone", "deprecated"), ("war zone", "preferred")}
    doc = tmp_path / "doc.txt"
    doc.write_text("Aid reached the armed conflict zone on Monday.\n", encoding="utf-8")
    capsys.readouterr()
    assert _cli(["check", str(doc), "--glossary", "glossary.tbx", "--no-cache", "--format", "json"]) == 1  # a major finding
    found = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule"] == "TERM-DEPRECATED"]
    assert [(f["text"], f["suggestions"][:1]) for f in found] == [("armed conflict zone", ["war zone"])]
    _cli_error(["glossary", "add", "--term", "bell\x07", "--lang", "en", "--status", "preferred"], capsys,
               r"field term: the term 'bell\\x07' holds the control character U\+0007")
    _cli_error(["glossary", "add", "--term", "x", "--lang", "en", "--status", "deprecated", "--replacement", "\x1b[0m"],
               capsys, r"field replacement: .*control character U\+001B")
    # the readers say where: a CSV row and a TBX term
    (tmp_path / "bad.csv").write_text("concept_id,lang,term,status\nc1,en,ok,preferred\nc1,en,bad\x80,admitted\n",
                                      encoding="utf-8")
    _cli_error(["check", str(doc), "--glossary", "bad.csv"], capsys, r"bad\.csv: line 3: the term .* U\+0080")
    (tmp_path / "bad.tbx").write_text(
        '<?xml version="1.0"?><martif type="TBX" xml:lang="en"><text><body><termEntry id="c1"><langSet xml:lang="en">'
        '<tig><term>bad\u0085\u0086</term></tig></langSet></termEntry></body></text></martif>', encoding="utf-8")
    _cli_error(["check", str(doc), "--glossary", "bad.tbx"], capsys, r"bad\.tbx: .*term.*U\+0086")


def test_glossary_add_refuses_repo_folder_implicitly(tmp_path, monkeypatch, capsys):
    from review.glossary import REPO_GLOSSARY_DIR

    monkeypatch.chdir(REPO_GLOSSARY_DIR)
    monkeypatch.delenv("REVIEW_GLOSSARY", raising=False)
    _cli_error(["glossary", "add", "--term", "x", "--lang", "en", "--status", "preferred"], capsys, "refusing to change the repository's glossaries/")
    assert not (REPO_GLOSSARY_DIR / "glossary.tbx").exists()
