"""SpellingCheck: rule examples, names, glossary, speed-relevant caching, robustness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from review.checks.base import Context, split_example
from review.checks.spelling import SpellingCheck, is_english_word, suggestions_for
from review.model import Segment

CHECK = SpellingCheck()


def run(target: str, source: str | None = None, segments=None, glossary=None):
    seg = Segment(index=0, id="0", target=target, source=source)
    ctx = Context(glossary=glossary, segments=segments if segments is not None else [seg])
    return list(CHECK.segment(seg, ctx))


EXAMPLES = [(r.id, "good", ex) for r in CHECK.rules for ex in r.good] + \
           [(r.id, "bad", ex) for r in CHECK.rules for ex in r.bad]


@pytest.mark.parametrize("rule,kind,example", EXAMPLES, ids=[f"{r}-{k}-{i}" for i, (r, k, _) in enumerate(EXAMPLES)])
def test_rule_examples(rule, kind, example):
    source, target = split_example(example)
    found = run(target, source)
    rules = {f.rule for f in found}
    if kind == "bad":
        assert rule in rules
    else:
        assert rule not in rules, [f.text for f in found]


@pytest.mark.parametrize("text,word,best", [
    ("Melamine was foudn in urine.", "foudn", "found"),
    ("Goods from Central Amercia are duty free.", "Amercia", "America"),
    ("They assessed thier effectiveness.", "thier", "their"),
    ("He adviced Carter on foreign policy.", "adviced", "advised"),
    ("He will stay untill August.", "untill", "until"),
])
def test_misspelling_found_with_suggestion(text, word, best):
    fs = run(text)
    assert [f.text for f in fs] == [word]
    assert fs[0].suggestions and fs[0].suggestions[0] == best
    assert len(fs[0].suggestions) <= 3


@pytest.mark.parametrize("text", [
    "Rohin Bhardwaj met Korb in Blatten.",  # names near common words
    "The colour of the defence programme was analysed.",  # British spelling
    "She didn't know they'd won; it wasn't Macura's.",  # contractions, possessive
    "Email info@example.com or visit https://exampel.org/pagee now.",  # e-mail, URL
    "The NATO and UNHCR teams used iPhones and 5G.",  # acronyms, internal capitals, digits
    "A well-known, state-of-the-art re-evaluation.",  # compounds
    "The wall is 100 m high.",  # unit after a number
])
def test_not_flagged(text):
    assert run(text) == [], [f.text for f in run(text)]


def test_words_from_source_are_not_flagged():
    assert run("The Zgorzelec plant in Walbrzych closed.", source="Zakład w Wałbrzychu i Zgorzelec zamknięto.") \
        == [f for f in run("The Zgorzelec plant in Walbrzych closed.") if f.text != "Zgorzelec"]
    assert not run("The Sassulo club won.", source="Il club Sassulo ha vinto.")


def test_capitalised_word_repeated_in_document_is_a_name():
    segs = [Segment(index=i, id=str(i), target=t) for i, t in enumerate(["Parly spoke.", "Then Parly left."])]
    ctx = Context(segments=segs)
    assert not list(CHECK.segment(segs[1], ctx))


class _Glossary:
    def words(self, lang):
        return {"foudn", "Foudn"}


def test_glossary_words_are_not_flagged():
    assert run("It was foudn.", glossary=_Glossary()) == []
    assert run("It was foudn.")  # without the glossary it is flagged


def test_glossary_without_words_method():
    assert run("It was foudn.", glossary=object())


def test_stray_letter():
    fs = run("His government s monitoring the storms.")
    assert [f.text for f in fs] == ["s"]


def test_lexicon_helpers():
    assert is_english_word("colour") and is_english_word("Houses") and not is_english_word("thier")
    assert suggestions_for("Thier")[0] == "Their"


def test_non_english_target_is_skipped():
    seg = Segment(index=0, id="0", target="Ceci est foudn.", target_lang="fr")
    assert list(CHECK.segment(seg, Context(segments=[seg]))) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=100))
def test_never_raises_and_spans_match(text):
    for f in run(text):
        assert 0 <= f.start < f.end <= len(text)
        assert f.text == text[f.start:f.end]
        assert f.rule == "EN-SPELL-001"
