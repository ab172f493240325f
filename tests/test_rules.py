"""Every rule's good and bad examples run as tests (proselint/LanguageTool style), plus meta-tests:
unique ids, every rule has examples, every category is MQM."""

from __future__ import annotations

import pytest

from review.engine import Engine
from review.io import assign_languages, document_from_text
from review.model import Document, Segment, check_category

from review.rules import load_rules

# Opt-in rules (``default: false``) are enabled here so that their examples run too.
_ENGINE = Engine.from_options(enable=[r.id for r in load_rules("en")],
                              default_glossary=__import__("os").environ.get("REVIEW_NO_GLOSSARY") is None)
# As LanguageTool does, each rule's examples are judged as if only that rule were on: overlapping
# findings of other rules are not merged away.
_ENGINE.merge_overlaps = False
CATALOG = _ENGINE.catalog()


def example_segments(example: str) -> list[Segment]:
    """'source ||| target' is one bilingual segment; anything else is a plain-text document."""
    if " ||| " in example:
        src, tgt = example.split(" ||| ", 1)
        doc = Document(name="example.tsv", segments=[Segment(index=0, id="ex", source=src, target=tgt)], format="tsv")
        return assign_languages(doc, None).segments
    return document_from_text(example).segments


def cases():
    for info in CATALOG:
        for ex in info.bad:
            yield pytest.param(info.id, ex, True, id=f"{info.id}-bad-{ex[:30]}")
        for ex in info.good:
            yield pytest.param(info.id, ex, False, id=f"{info.id}-good-{ex[:30]}")


@pytest.mark.parametrize("rule_id,example,should_flag", list(cases()))
def test_rule_example(rule_id, example, should_flag):
    segs = example_segments(example)
    found = [f for f in _ENGINE.check(segs) if f.rule == rule_id]
    if should_flag:
        assert found, f"{rule_id} should flag: {example!r}"
    else:
        assert not found, f"{rule_id} should not flag {example!r}: {[(f.text, f.message) for f in found]}"


def test_every_rule_has_good_and_bad_examples():
    missing = [i.id for i in CATALOG if not i.good or not i.bad]
    assert not missing, f"rules without examples: {missing}"


def test_rule_ids_unique_and_categories_mqm():
    ids = [i.id for i in CATALOG]
    assert len(ids) == len(set(ids))
    for i in CATALOG:
        check_category(i.category)


def test_suggestions_apply_cleanly_on_bad_examples():
    """Applying a rule's first suggestion to its own bad example removes that finding."""
    from review.model import apply_suggestion

    for info in CATALOG:
        for ex in info.bad:
            segs = example_segments(ex)
            for f in [f for f in _ENGINE.check(segs) if f.rule == info.id and f.suggestions]:
                seg = segs[f.segment]
                fixed = apply_suggestion(seg.target, f.start, f.end, f.suggestions[0])
                assert fixed != seg.target
                break
