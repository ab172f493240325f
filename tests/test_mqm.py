"""MQM scorecards: hand-computed example, profiles, decisions, and the sample document pinned."""

from __future__ import annotations

import math

import pytest

from review import mqm
from review.model import Document, Finding, InputError, Segment, Severity


def _f(seg: int, category: str, sev: Severity, rule: str = "R-1", start: int = 0, end: int = 1) -> Finding:
    return Finding(rule=rule, segment=seg, start=start, end=end, text="x", category=category, severity=sev,
                   message="m")


@pytest.fixture()
def doc() -> Document:
    segs = [
        # 10 source words
        Segment(index=0, id="a", source="one two three four five six seven eight nine ten", target="T"),
        # Japanese: 12 CJK characters / 2 per word = 6 words
        Segment(index=1, id="b", source="北大西洋条約機構の首脳会議", target="T"),
        # no source: target words count (4)
        Segment(index=2, id="c", target="The summit was held."),
    ]
    return Document(name="t.tsv", segments=segs, format="tsv")


def test_hand_computed_example(doc):
    findings = [
        _f(0, "Accuracy/Mistranslation", Severity.MAJOR),        # 5
        _f(0, "Fluency/Punctuation", Severity.MINOR, "P-1"),      # 0.1 (minor punctuation)
        _f(1, "Terminology/Wrong term", Severity.CRITICAL),       # 25
        _f(2, "Style/Awkward", Severity.MINOR),                   # 1
        _f(2, "Fluency/Punctuation", Severity.MAJOR, "P-2"),      # 5 (only *minor* punctuation is discounted)
        _f(2, "Other", Severity.NEUTRAL),                         # 0
    ]
    card = mqm.scorecard(doc, findings)
    # words: 10 + 13/2 ... the Japanese source has 13 characters: 北大西洋条約機構の首脳会議
    assert len("北大西洋条約機構の首脳会議") == 13
    words = 10 + 13 / 2 + 4  # = 20.5
    penalty = 5 + 0.1 + 25 + 1 + 5 + 0  # = 36.1
    assert card.words == pytest.approx(words)
    assert card.penalty == pytest.approx(penalty)
    assert card.score == pytest.approx(36.1 / 20.5 * 1000)  # ≈ 1760.98 per 1,000 words
    assert not card.passed
    assert card.basis == "mixed"
    seg = {s.id: s for s in card.segments}
    assert seg["a"].penalty == pytest.approx(5.1) and seg["a"].score == pytest.approx(5.1 / 10 * 1000)
    assert seg["b"].penalty == 25 and seg["b"].words == pytest.approx(6.5)
    assert seg["c"].penalty == 6 and seg["c"].words == 4
    assert card.by_severity() == {"critical": 1, "major": 2, "minor": 2, "neutral": 1}
    assert card.by_category() == {"Fluency": 2, "Accuracy": 1, "Other": 1, "Style": 1, "Terminology": 1}
    assert card.penalty_by_severity()["minor"] == pytest.approx(1.1)
    assert card.quality == 0.0  # 100 - 176.1, floored


def test_pass_below_threshold():
    segs = [Segment(index=0, id="a", source=" ".join(["w"] * 1000), target="T")]
    d = Document(name="x", segments=segs)
    card = mqm.scorecard(d, [_f(0, "Style/Awkward", Severity.MAJOR)] * 5)  # 25 points / 1,000 words
    assert card.score == pytest.approx(25.0) and card.passed  # threshold is inclusive
    card = mqm.scorecard(d, [_f(0, "Style/Awkward", Severity.MAJOR)] * 5 + [_f(0, "Style/A", Severity.MINOR)])
    assert card.score == pytest.approx(26.0) and not card.passed
    assert card.quality == pytest.approx(100 - 2.6)


def test_profile_weights_threshold_and_yaml(tmp_path, doc):
    findings = [_f(0, "Accuracy/Mistranslation", Severity.MAJOR), _f(0, "Fluency/Punctuation", Severity.MINOR)]
    prof = {"weights": {"major": 10, "minor_punctuation": 0.5}, "threshold": 1000}
    card = mqm.scorecard(doc, findings, profile=prof)
    assert card.penalty == pytest.approx(10.5) and card.passed
    p = tmp_path / "mqm.yaml"
    p.write_text("mqm:\n  weights:\n    critical: 100\n  threshold: 5\n", encoding="utf-8")
    loaded = mqm.load_profile(p)
    assert loaded.weights["critical"] == 100 and loaded.weights["major"] == 5 and loaded.threshold == 5


@pytest.mark.parametrize("raw,pattern", [
    ({"weights": {"huge": 3}}, r"weights: unknown key 'huge'"),
    ({"weights": {"major": "lots"}}, r"weights.major: expected a number"),
    ({"threshold": -1}, r"threshold: expected a finite number"),
    ({"colour": 1}, r"unknown field"),
])
def test_profile_validation(raw, pattern):
    with pytest.raises(InputError, match=pattern):
        mqm.ScoringProfile.from_dict(raw)


def test_bad_yaml_profile(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("weights: [1, 2\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.yaml: invalid YAML"):
        mqm.load_profile(p)


def test_decisions_dismiss_and_editor_added(doc):
    f1 = _f(0, "Accuracy/Mistranslation", Severity.MAJOR, "A-1")
    f2 = _f(2, "Style/Awkward", Severity.MINOR, "S-1")
    decisions = [
        {"action": "dismissed", "segment": 0, "rule": "A-1", "text": "x"},  # 5 points gone
        {"action": "applied", "segment": 2, "rule": "S-1"},                 # still counts
        {"action": "add", "category": "Accuracy/Omission", "severity": "critical", "segment": 1,
         "note": "a sentence is missing"},                                  # +25
    ]
    card = mqm.scorecard(doc, [f1, f2], decisions=decisions)
    assert card.penalty == pytest.approx(1 + 25)
    assert card.dismissed == 1
    added = [e for e in card.errors if e.origin == "editor"]
    assert len(added) == 1 and added[0].segment == 1 and added[0].weight == 25


def test_decisions_accept_store_objects(doc):
    from review.store import Decision

    f1 = _f(0, "Accuracy/Mistranslation", Severity.MAJOR, "A-1")
    card = mqm.scorecard(doc, [f1], decisions=[Decision(index=0, rule="A-1", text="x", start=0, end=1,
                                                        action="dismissed")])
    assert card.penalty == 0 and card.dismissed == 1


@pytest.mark.parametrize("decision,pattern", [
    ({"action": "add", "severity": "major", "segment": 0}, "needs a 'category'"),
    ({"action": "add", "category": "Grammar", "severity": "major", "segment": 0}, "category: unknown MQM category"),
    ({"action": "add", "category": "Fluency/Grammar", "severity": "awful", "segment": 0}, "severity: unknown severity"),
    ({"action": "add", "category": "Fluency/Grammar", "severity": "minor", "segment": 9}, "segment: 9"),
    ({"action": "explode"}, "unknown action"),
])
def test_decision_validation(doc, decision, pattern):
    with pytest.raises(InputError, match=pattern):
        mqm.scorecard(doc, [], decisions=[decision])


def test_empty_document():
    card = mqm.scorecard(Document(name="e", segments=[]), [])
    assert card.words == 0 and card.score == 0 and card.passed


def test_count_words():
    assert mqm.count_words("NATO's Secretary-General spoke, at 3.5 p.m.") == 6
    assert mqm.count_words('Click <x id="1"/> here') == 2
    assert mqm.count_words("首脳会議") == 2
    assert mqm.count_words("") == 0


def test_sample_scorecard_pinned(engine, sample_path):
    """The sample's scorecard, recomputed from its findings (rules still change, so no fixed count)."""
    from review.io import load_path

    doc = load_path(sample_path)
    findings = engine.check(doc)
    card = mqm.scorecard(doc, findings)
    assert card.basis == "target"
    expected_words = sum(mqm.count_words(s.target) for s in doc.segments)
    assert card.words == pytest.approx(expected_words)
    weight = {"neutral": 0, "minor": 1, "major": 5, "critical": 25}
    expected_penalty = sum(0.1 if f.severity == Severity.MINOR and f.category.startswith("Fluency/Punctuation")
                           else weight[f.severity.label] for f in findings)
    assert card.penalty == pytest.approx(expected_penalty)
    assert card.score == pytest.approx(expected_penalty / expected_words * 1000)
    assert sum(card.by_severity().values()) == len(findings)
    # headline numbers in a sane range for a ~1,250-word machine-translated news article
    assert 1100 <= card.words <= 1400
    assert 10 <= len(findings) <= 150
    assert 10 <= card.score <= 400
    assert math.isfinite(card.score) and 0 <= card.quality <= 100
    assert card.passed == (card.score <= 25)
