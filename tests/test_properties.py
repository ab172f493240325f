"""Property tests: offsets always index the text; applying suggestions never breaks it."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from review.engine import Engine
from review.io import document_from_text
from review.model import Segment, apply_suggestion

ENGINE = Engine.from_options()

WORDS = (
    "NATO summit Secretary-General Secretary General annexation merger of Crimea waving military support "
    "I am . increase . It is a prospect . U.S. US $ 6.1 billion yen in Japanese yen = the the \" “ ” "
    "positioned as a threat including , ; : ! ? ~ 1985 10万 三百 Strategic Concept strategic concept "
    "North Atlantic Treaty Organization Allies Indo-Pacific President Biden National Security Adviser "
    "Sullivan do n't ( ) é 北大西洋 \n \n\n"
).split(" ")

texts = st.lists(st.sampled_from(WORDS), max_size=60).map(" ".join)


def _check_findings(segs, findings):
    by = {s.index: s for s in segs}
    for f in findings:
        t = by[f.segment].target
        assert 0 <= f.start <= f.end <= len(t)
        assert t[f.start:f.end] == f.text
        assert isinstance(f.suggestions, tuple)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_offsets_index_the_text(text):
    doc = document_from_text(text)
    _check_findings(doc.segments, ENGINE.check(doc))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, texts)
def test_bilingual_offsets(src, tgt):
    segs = [Segment(index=0, id="r1", source=src, target=tgt, source_lang="ja")]
    _check_findings(segs, ENGINE.check(segs))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_applying_every_suggestion_keeps_text_sound(text):
    doc = document_from_text(text)
    findings = ENGINE.check(doc)
    for seg in doc.segments:
        fs = [f for f in findings if f.segment == seg.index and f.suggestions]
        # apply one suggestion: only the span changes
        for f in fs[:3]:
            fixed = apply_suggestion(seg.target, f.start, f.end, f.suggestions[0])
            assert isinstance(fixed, str)
            assert fixed.startswith(seg.target[: max(0, f.start - 1)])
            assert fixed.endswith(seg.target[f.end + 1:]) or f.suggestions[0] == ""
            _check_findings([seg.with_target(fixed)], ENGINE.check_segment(seg.with_target(fixed), doc.segments))
        # apply all non-overlapping suggestions right to left
        t, last = seg.target, len(seg.target) + 1
        for f in sorted(fs, key=lambda f: f.start, reverse=True):
            if f.end <= last:
                t = apply_suggestion(t, f.start, f.end, f.suggestions[0])
                last = f.start
        assert isinstance(t, str)


def test_fixing_the_sample_converges(sample_path):
    """Applying every first suggestion on the sample leaves fewer findings, never new crashes."""
    doc = document_from_text(sample_path.read_text(encoding="utf-8"))
    before = ENGINE.check(doc)
    segs = []
    for seg in doc.segments:
        t, last = seg.target, len(seg.target) + 1
        for f in sorted((f for f in before if f.segment == seg.index and f.suggestions), key=lambda f: f.start, reverse=True):
            if f.end <= last:
                t = apply_suggestion(t, f.start, f.end, f.suggestions[0])
                last = f.start
        segs.append(seg.with_target(t))
    after = ENGINE.check(segs)
    fixable_before = [f for f in before if f.suggestions]
    fixable_after = [f for f in after if f.suggestions]
    assert len(fixable_after) < len(fixable_before) / 3
