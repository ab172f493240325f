"""BI-NEG-001 and BI-NAME-001: meaning checks that compare the target with its source."""

from __future__ import annotations

import pytest

from review.engine import Engine
from review.model import Segment


@pytest.fixture(scope="module")
def eng():
    return Engine.from_options(select=["BI-NEG", "BI-NAME"])


def rules(eng, source, target, lang):
    return [(f.rule, f.text, f.suggestions) for f in eng.check([Segment(index=0, id="s", source=source, target=target,
                                                                        source_lang=lang)])]


@pytest.mark.parametrize("source,target,lang", [
    ("Er starb 1990.", "He didn't die in 1990.", "de"),
    ("Il a gagné.", "He never won.", "fr"),
    ("Wygrał mecz.", "He did not win the match.", "pl"),
    ("彼は試合に勝った。", "He did not win the match.", "ja"),
    ("他赢了比赛。", "He cannot win the match.", "zh"),
])
def test_added_negation_is_flagged(eng, source, target, lang):
    found = rules(eng, source, target, lang)
    assert [r for r, _, _ in found] == ["BI-NEG-001"]


@pytest.mark.parametrize("source,target,lang", [
    ("Er kam nicht.", "He did not come.", "de"),
    ("Nie wygrał.", "He did not win.", "pl"),
    ("Nevyhrál.", "He did not win.", "cs"),
    ("他没有赢。", "He did not win.", "zh"),
    ("彼は勝たなかった。", "He did not win.", "ja"),
    ("Er spricht Deutsch und Englisch.", "He speaks not only German but also English.", "de"),
    ("Es kam erst am Montag.", "It did not come until Monday.", "de"),
    ("Ob er kommt, ist offen.", "Whether or not he comes is open.", "de"),
    ("Er kam.", "He did not come.", "xx"),  # a language without a marker list: not judged
])
def test_negation_with_a_source_counterpart_is_not_flagged(eng, source, target, lang):
    assert rules(eng, source, target, lang) == []


def test_negation_suggestions_restore_the_positive(eng):
    assert rules(eng, "Er kann kommen.", "He can't come.", "de")[0][2] == ("can",)
    assert rules(eng, "Er wird kommen.", "He won't come.", "de")[0][2] == ("will",)
    assert rules(eng, "Er kam.", "He didn't come.", "de")[0][2] == ("did",)
    assert rules(eng, "Er kam.", "He did not come.", "de")[0][2] == ("",)


def test_a_name_the_source_lacks_is_flagged(eng):
    found = rules(eng, "Der Trainer Hansi Flick lobte Klose.", "Coach Hansi Flick praised Peer Steinbrueck.", "de")
    assert [(r, t) for r, t, _ in found] == [("BI-NAME-001", "Steinbrueck")]  # "Peer" is an English word


@pytest.mark.parametrize("source,target,lang", [
    ("Spotkał się z Kidawą-Błońską w Warszawie.", "He met Kidawa-Błońska in Warsaw.", "pl"),  # inflection, exonym
    ("Mozazaur był największym drapieżnikiem.", "The Mosasaurus was the largest predator.", "pl"),  # spelling
    ("Der Zug fährt nach München.", "The train goes to Munich.", "de"),  # English exonym
    ("Il a rencontré l'OTAN à Bruxelles.", "He met NATO in Brussels.", "fr"),  # acronym, exonym
    ("Он встретился с Зеленским.", "He met Zelensky.", "ru"),  # non-Latin source: not judged
    ("Er traf Müller.", "He met Muller.", "de"),  # diacritics
])
def test_names_that_survive_translation_are_not_flagged(eng, source, target, lang):
    assert rules(eng, source, target, lang) == []
