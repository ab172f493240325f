"""Word classes for pattern rules (review/wordclass.py) and the ``words:`` field that uses them."""

import pytest

from review import wordclass
from review.model import InputError, Segment
from review.rules import parse_rule


def classes(word):
    b = wordclass.bits(word)
    return {name for name, bit in wordclass.CLASSES.items() if b & bit}


def test_lexicon_gives_parts_of_speech_and_word_forms():
    assert {"verb", "vbz"} <= classes("predicts") and "noun" not in classes("predicts")
    assert {"verb", "vbd"} <= classes("went") and "vbn" not in classes("went")
    assert {"noun", "nns"} <= classes("fireworks") and "verb" not in classes("fireworks")
    assert {"noun", "verb"} <= classes("needs")
    assert "adv" in classes("probably") and "adj" not in classes("probably")
    assert {"verb", "vb"} <= classes("tend")
    # a capitalised word is looked up as written, then lower-cased
    assert classes("Predicts") == classes("predicts")
    # closed-class words are not in the lexicon: a rule's regex names them
    assert "known" not in classes("the") and classes("xqzzy") == set()


def test_common_pairs_mark_words_that_follow_a_determiner():
    # the lexicon knows "act" only as a verb; "the act" is common English
    assert "noun" not in classes("act") and "det" in classes("act")
    assert "det" not in classes("administrate")


def test_parse_test_alternatives_and_negation():
    test = wordclass.parse_test("vbz !noun | vbd !vbn")
    assert test.holds("predicts")
    assert test.holds("went")
    assert not test.holds("needs")  # a plural noun too
    assert not test.holds("gone")
    assert wordclass.parse_test("!noun").holds("zzzq")  # unknown: in no class
    with pytest.raises(ValueError, match="unknown word class 'nown'"):
        wordclass.parse_test("nown")
    with pytest.raises(ValueError, match="empty"):
        wordclass.parse_test("noun |")


def _rule(**kw):
    raw = {"id": "T-1", "type": "pattern", "category": "Fluency/Grammar", "severity": "minor",
           "message": "m", "pattern": r"\bthey\s+(?P<w>\p{Ll}+)", "words": {"w": "noun !verb"},
           "examples": {"bad": ["x"], "good": ["y"]}}
    raw.update(kw)
    return parse_rule(raw, "test.yaml")


def test_words_field_filters_pattern_matches():
    rule = _rule()
    assert [s for s, _, _ in rule.matches("Merchants set up they businesses.")] == [17]
    assert list(rule.matches("They own shops and they sell fish.")) == []


@pytest.mark.parametrize("kw, message", [
    ({"words": {"x": "noun"}}, "no group of the pattern"),
    ({"words": {"w": "nown"}}, "unknown word class"),
    ({"words": {"w": ["noun"]}}, "mapping of strings"),
    ({"type": "existence", "tokens": ["they"]}, "needs a pattern rule"),
])
def test_words_field_errors_are_input_errors(kw, message):
    with pytest.raises(InputError, match=message):
        _rule(**kw)


@pytest.mark.parametrize("word, tag, form", [
    ("advise", "vbn", "advised"), ("go", "vbn", "gone"), ("go", "vbd", "went"),
    ("predict", "vbz", "predicts"), ("xqzzy", "vbn", None),
    # the adjective an adverb in -ly is made from
    ("differently", "adj", "different"), ("happily", "adj", "happy"), ("basically", "adj", "basic"),
    ("fully", "adj", "full"), ("xqzzly", "adj", None), ("hardware", "adj", None),
])
def test_word_forms_from_the_lexicon(word, tag, form):
    assert wordclass.word_form(word, tag) == form


def test_suggest_form_puts_the_groups_verb_in_the_asked_form():
    rule = _rule(pattern=r"\b(?:are|is)\s+(?P<flag>(?P<verb>\p{Ll}+))\b", words={"verb": "vb !vbn"},
                 suggest_form={"verb": "vbn"})
    assert list(rule.matches("Visitors are advise to leave.")) == [(13, 19, ("advised",))]
    wide = _rule(pattern=r"\b(?P<flag>(?:are|is)\s+(?P<verb>\p{Ll}+))\b", words={"verb": "vb !vbn"},
                 suggest_form={"verb": "vbn"})
    assert list(wide.matches("They are situate here.")) == [(5, 16, ("are situated",))]


@pytest.mark.parametrize("kw, message", [
    ({"suggest_form": {"x": "vbn"}}, "no group of the pattern"),
    ({"suggest_form": {"w": "participle"}}, "asks for 'participle'"),
])
def test_suggest_form_errors_are_input_errors(kw, message):
    with pytest.raises(InputError, match=message):
        _rule(**kw)


def test_triggers_from_makes_the_tests_words_the_triggers():
    from review.engine import Engine

    rule = _rule(pattern=r"\bthe\s+(?P<flag>(?P<verb>\p{Ll}+))\b", words={"verb": "verb !noun !adj !det"},
                 triggers_from="verb")
    words = rule.word_triggers()
    assert "administrate" in words and "administration" not in words
    eng = Engine(rules=[rule], checks=[])
    assert eng.candidate_rules("The administrate of vitamins.") == [rule]
    assert eng.candidate_rules("The the\nadministrate of vitamins.") == [rule]  # a line break is a space
    # a whole word only: "administrates" is a word of the test too, "administrative" is not
    assert eng.candidate_rules("The administrative staff.") == []
    text = "Studies show that the administrate of vitamins helps."
    seg = Segment(index=0, id="s1", target=text, start=0, end=len(text))
    assert [(f.rule, f.text) for f in eng.check([seg])] == [("T-1", "administrate")]


@pytest.mark.parametrize("kw, message", [
    ({"triggers_from": "x"}, "which 'words' does not test"),
    ({"triggers_from": "w", "words": {"w": "!noun"}}, "names a class the word must have"),
    ({"triggers_from": "w", "triggers": ["they"]}, "exclude each other"),
])
def test_triggers_from_errors_are_input_errors(kw, message):
    with pytest.raises(InputError, match=message):
        _rule(**kw)

