from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from review.model import InputError
from review.scoring import diff_html, escape_text, format_report, score_command, score_pair, score_segments, word_diff

MT = "The United States also plays a role in waving military support in the medium to long term."
POST = "The United States also plays a role in leading military support in the medium to long term."


def test_identical_scores():
    s = score_pair(MT, MT)
    assert s.hter == 0 and s.chrf == pytest.approx(100) and s.bleu == pytest.approx(100) and not s.edited


def test_edit_raises_hter():
    s = score_pair(MT, POST)
    assert s.hter > 0 and s.chrf < 100 and s.bleu < 100 and s.edited


def test_report_corpus_and_signatures():
    rep = score_segments([MT, "Same."], [POST, "Same."])
    assert rep.edited == 1 and len(rep.segments) == 2
    assert rep.corpus["HTER"] > 0
    for name in ("HTER", "chrF", "BLEU", "BLEU-corpus"):
        assert "version:" in rep.signatures[name] and "nrefs:1" in rep.signatures[name]
    assert "eff:yes" in rep.signatures["BLEU"] and "case:mixed" in rep.signatures["HTER"]
    same = score_segments([MT], [MT])
    assert same.corpus["HTER"] == 0 and same.corpus["chrF"] == pytest.approx(100)
    assert json.loads(format_report(rep, "json"))["schema"] == "review.scores/1"
    assert format_report(rep, "csv").splitlines()[0] == "segment,HTER,chrF,BLEU,edited"


def test_length_mismatch():
    with pytest.raises(InputError, match="same number of segments"):
        score_segments(["a"], ["a", "b"])


def test_diff_ops_and_html():
    ops = word_diff(MT, POST)
    assert ("delete", "waving") in ops and ("insert", "leading") in ops
    assert "".join(t for op, t in ops if op != "insert") == MT
    assert "".join(t for op, t in ops if op != "delete") == POST
    h = diff_html("<b>old</b> <script>x</script>", "<b>new</b> <script>x</script>")
    assert "<b>" not in h and "<script>" not in h and "&lt;script&gt;" in h
    assert "<del" in h and ">old</del>" in h and ">new</ins>" in h
    assert escape_text("$5 *x*") == "&#36;5 &#42;x&#42;"


def test_score_command(tmp_path, capsys):
    a, b = tmp_path / "mt.txt", tmp_path / "post.txt"
    a.write_text(MT + "\n\nIt rains.\n", encoding="utf-8")
    b.write_text(POST + "\n\nIt rains.\n", encoding="utf-8")
    assert score_command(SimpleNamespace(mt=str(a), corrected=str(b), format="text")) == 0
    out = capsys.readouterr().out
    assert "corpus" in out and "HTER: nrefs:1" in out
    c = tmp_path / "short.txt"
    c.write_text(POST + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="segments"):
        score_command(SimpleNamespace(mt=str(a), corrected=str(c), format="json"))
