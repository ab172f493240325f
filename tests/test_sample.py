"""The sample the project was made for: what a careful reviewer marks must be found, with a
sensible suggestion, and the sentences that are fine must get nothing. A golden file pins the
whole output (regenerate with REVIEW_UPDATE_GOLDEN=1 after a deliberate change, and review the diff)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from review.engine import Engine
from review.io import load_path
from review.model import apply_suggestion

ENGINE = Engine.from_options()
GOLDEN = Path(__file__).parent / "golden" / "nhk-nato-madrid-2022.findings.json"


@pytest.fixture(scope="module")
def checked(sample_path):
    doc = load_path(sample_path)
    return doc, ENGINE.check(doc)


def _on(doc, findings, needle):
    """Findings whose segment contains ``needle``."""
    return [f for f in findings if needle in doc.segments[f.segment].target]


def _fixed(doc, f, k=0):
    seg = doc.segments[f.segment]
    return apply_suggestion(seg.target, f.start, f.end, f.suggestions[k])


@pytest.mark.parametrize("text,rule", [
    ("increase.", "EN-FRAG-001"),
    ("It is a prospect.", "EN-FRAG-002"),
    ("waving", "EN-IDIOM-001"),
    ("illegal merger of Crimea", "TERM-DEPRECATED"),
    ("thorough anti-war", "TERM-DEPRECATED"),
    ("most serious and direct threat", "TERM-DEPRECATED"),
    (" in Japanese yen", "EN-NUM-004"),
    ("$ ", "EN-NUM-001"),
    (" = the summit of the seven major countries", "EN-CALQUE-010"),
    ("including.", "EN-FRAG-004"),
    ("It", "EN-BREAK-001"),
    ("the Ukrainian side", "EN-CALQUE-002"),
])
def test_defect_found_with_suggestion(checked, text, rule):
    doc, findings = checked
    hits = [f for f in findings if f.rule == rule and f.text == text]
    assert hits, f"{rule} not found on {text!r}"
    if rule not in ("EN-FRAG-004", "EN-BREAK-001"):
        assert hits[0].suggestions


def test_both_bare_i_am_fragments_are_deleted(checked):
    doc, findings = checked
    hits = [f for f in findings if f.rule == "EN-FRAG-001" and f.text == "I am."]
    assert len(hits) == 2 and all(f.suggestions == ("",) for f in hits)


def test_waving_becomes_leading(checked):
    doc, findings = checked
    f = next(f for f in findings if f.rule == "EN-IDIOM-001")
    assert "leading military support" in _fixed(doc, f)


def test_crimea_becomes_annexation(checked):
    doc, findings = checked
    f = next(f for f in findings if f.rule == "TERM-DEPRECATED" and "merger" in f.text)
    assert "annexation of Crimea" in _fixed(doc, f)


def test_biden_as_national_security_adviser(checked):
    doc, findings = checked
    f = next(f for f in findings if f.rule == "EN-NAME-001")
    assert "Joe Biden" in f.text and "National Security Adviser" in f.text
    assert "Sullivan" in f.suggestions[0]


def test_acronym_followed_by_its_expansion(checked):
    doc, findings = checked
    f = next(f for f in findings if f.rule == "TERM-ACRONYM-EXPANSION" and "North Atlantic Treaty Organization" in f.text)
    assert "NATO members to continue" in _fixed(doc, f)


def test_first_person_outside_quotes(checked):
    doc, findings = checked
    voiced = {doc.segments[f.segment].target for f in findings if f.rule == "EN-VOICE-001"}
    assert "I would like to proceed with the construction." in voiced
    assert "Our policy is to renew our unwavering stance." in voiced
    # inside a quotation the first person is fine
    assert not any("We will discuss" in t for t in voiced)


def test_consistency_us_and_secretary_general(checked):
    doc, findings = checked
    rules = {f.rule for f in findings}
    assert any(f.text == "U.S." and f.rule in ("EN-CONS-001", "TERM-INCONSISTENT") for f in findings)
    assert any("Secretary-General" in f.text for f in findings)


def test_unpaired_quote_at_paragraph_end(checked):
    doc, findings = checked
    assert _on(doc, [f for f in findings if f.rule == "EN-QUOTE-001"], "we should support the United States")


@pytest.mark.parametrize("sentence", [
    "The Biden administration has been supplying Ukraine with weapons and ammunition on an unprecedented scale and speed since the invasion by Russia began in late February.",
    "He added, \"Of course Russia is and will not be a strategic partner.\"",
    "Approximately 100,000 soldiers are stationed in Ukraine.",
    "References to China are expected to be included for the first time.",
])
def test_fine_sentences_get_nothing(sentence):
    from review.io import document_from_text

    assert ENGINE.check(document_from_text(sentence)) == []


def _golden_rows(doc, findings):
    return [
        {"segment": doc.segments[f.segment].id, "rule": f.rule, "text": f.text,
         "suggestion": f.suggestions[0] if f.suggestions else None, "severity": f.severity.label}
        for f in findings
    ]


def test_golden_findings(checked):
    doc, findings = checked
    rows = _golden_rows(doc, findings)
    if os.environ.get("REVIEW_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    missing = [r for r in expected if r not in rows]
    extra = [r for r in rows if r not in expected]
    assert not missing and not extra, f"missing: {missing}\nextra: {extra}"
