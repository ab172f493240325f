"""BilingualCheck and review.numbers: rule examples, number equivalences, robustness."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from review.checks.base import Context, split_example
from review.checks.bilingual import BilingualCheck
from review.langid import detect
from review.model import Segment
from review.numbers import extract_numbers, numbers_agree

CHECK = BilingualCheck()


def seg_of(example: str, index: int = 0) -> Segment:
    source, target = split_example(example)
    return Segment(index=index, id=str(index), target=target, source=source, source_lang=detect(source))


def findings(example: str):
    seg = seg_of(example)
    return list(CHECK.segment(seg, Context(source_lang=seg.source_lang, segments=[seg])))


EXAMPLES = [(r.id, "good", ex) for r in CHECK.rules for ex in r.good] + \
           [(r.id, "bad", ex) for r in CHECK.rules for ex in r.bad]


@pytest.mark.parametrize("rule,kind,example", EXAMPLES, ids=[f"{r}-{k}-{i}" for i, (r, k, _) in enumerate(EXAMPLES)])
def test_rule_examples(rule, kind, example):
    rules = {f.rule for f in findings(example)}
    if kind == "bad":
        assert rule in rules, f"{example!r} should be flagged {rule}"
    else:
        assert rule not in rules, f"{example!r} should not be flagged {rule}"


def test_every_rule_has_examples():
    for r in CHECK.rules:
        assert r.good and r.bad, r.id


@pytest.mark.parametrize("example", [
    "防衛費は5兆円を超える。 ||| Defense spending will exceed 5 trillion yen.",
    "人口は１２３人です。 ||| The population is 123.",
    "Der Umsatz stieg um 3,5 Prozent. ||| Sales rose 3.5 percent.",
    "Es kostet 1.234 Euro. ||| It costs 1,234 euros.",
    "Il y a 2 000 habitants. ||| There are 2,000 inhabitants.",
    "全市有10万人。 ||| The city has 100,000 people.",
    "成本为61亿美元。 ||| The cost was 6.1 billion dollars.",
    "2022年6月29日に発表された。 ||| It was announced on June 29th, 2022.",
    "Les squadre hanno spento il fuoco alle 23:35. ||| The crews put out the fire at 11:35 pm.",
    "Le style a connu son apogée au XIVe siècle. ||| The style peaked in the 14th century.",
    "Das Studio nahm sie für sieben Jahre unter Vertrag. ||| The studio signed her for seven years.",
])
def test_numbers_good(example):
    assert not [f for f in findings(example) if f.rule == "BI-NUM-001"]


@pytest.mark.parametrize("example,number", [
    ("防衛費は6兆円を超える。 ||| Defense spending will exceed 5 trillion yen.", "5 trillion"),
    ("人口は１２３人です。 ||| The population is 125.", "125"),
    ("Der Umsatz stieg um 3,5 Prozent. ||| Sales rose 3.6 percent.", "3.6"),
    ("Das Studio nahm sie für sieben Jahre unter Vertrag. ||| The studio signed her for nine years.", "nine"),
])
def test_numbers_bad(example, number):
    fs = [f for f in findings(example) if f.rule == "BI-NUM-001"]
    assert [f.text for f in fs] == [number]


def test_number_suggestion_is_source_number():
    fs = [f for f in findings("成都美领馆于1985年开放。 ||| The consulate opened in 1995.") if f.rule == "BI-NUM-001"]
    assert fs and fs[0].suggestions == ("1985",)


@pytest.mark.parametrize("text,lang,values", [
    ("１２３", "ja", [123]),
    ("1000万", "zh", [1e7]),
    ("3.5億", "ja", [3.5e8]),
    ("三百", "zh", [300]),
    ("十五", "zh", [15]),
    ("两个", "zh", [2]),
    ("2022年6月29日", "ja", [2022, 6, 29]),
    ("1.234,5", "de", [1234.5]),
    ("1 234,5", "fr", [1234.5]),
    ("1,234.5", "en", [1234.5]),
    ("6.1 billion", "en", [6.1e9]),
    ("50%", "en", [50]),
    ("१२३", "hi", [123]),
    ("15 लाख", "hi", [1.5e6]),
    ("the 29th", "en", [29]),
    ("twenty-five", "en", [25]),
])
def test_extract_values(text, lang, values):
    assert [n.value for n in extract_numbers(text, lang)] == values


@pytest.mark.parametrize("src,slang,tgt", [
    ("1000万", "zh", "10 million"),
    ("10万", "zh", "100,000"),
    ("6.123.000.000", "de", "6.1 billion"),
    ("29日", "ja", "the 29th"),
    ("2022年", "ja", "2022"),
    ("2", "de", "two"),
    ("50 %", "fr", "50 percent"),
])
def test_numbers_agree_equivalents(src, slang, tgt):
    assert numbers_agree(extract_numbers(src, slang), extract_numbers(tgt, "en")) == []


def test_numbers_disagree():
    left = numbers_agree(extract_numbers("1985年", "zh"), extract_numbers("in 1995", "en"))
    assert [n.text for n in left] == ["1995"]


_HUGE = "9" * 400  # too large for a float


@pytest.mark.parametrize("src,slang,tgt,left", [
    # a number too large for a float is no wildcard: the other numbers are still compared
    (f"Le budget est de {_HUGE} euros et 5 millions.", "fr", f"The budget is {_HUGE} euros and 7 million.", ["7 million"]),
    (f"Il y a {_HUGE} étoiles et 12 planètes.", "fr", f"There are {_HUGE} stars and 15 planets.", ["15"]),
    ("Il a 12 ans.", "fr", f"He is {_HUGE} years old.", [_HUGE]),
    (f"Le chiffre est {_HUGE} et 3,5 milliards.", "fr", f"The figure is {_HUGE} and 3.5 billion.", []),
])
def test_numbers_too_large_for_a_float(src, slang, tgt, left):
    assert [n.text for n in numbers_agree(extract_numbers(src, slang), extract_numbers(tgt, "en"))] == left


def test_empty_target_spans_whole_target():
    fs = findings("他的研究表明，施用激素可加速宝宝胎肺的成熟。 ||| .")
    assert [(f.rule, f.start, f.end) for f in fs] == [("BI-EMPTY-001", 0, 1)]


def test_untranslated_runs_are_flagged_each():
    fs = [f for f in findings("他的研究表明。 ||| 他的 research 表明 it.") if f.rule == "BI-UNTRANS-001"]
    assert [f.text for f in fs] == ["他的", "表明"]


def test_final_punctuation_suggestion():
    fs = [f for f in findings("他的研究表明。 ||| His research shows it") if f.rule == "BI-PUNCT-001"]
    assert fs and fs[0].text == "it" and fs[0].suggestions == ("it.",)


def test_question_mark_suggestion():
    fs = [f for f in findings("他走了。 ||| Did he leave?") if f.rule == "BI-QUESTION-001"]
    assert fs and fs[0].text == "?" and fs[0].suggestions == (".",)


def test_monolingual_segment_is_skipped():
    seg = Segment(index=0, id="0", target="Sales rose 9 percent?")
    assert list(CHECK.segment(seg, Context())) == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80), st.text(max_size=80))
def test_never_raises_and_spans_match(source, target):
    seg = Segment(index=0, id="0", target=target, source=source, source_lang=None)
    for f in CHECK.segment(seg, Context(segments=[seg])):
        assert 0 <= f.start <= f.end <= len(target)
        assert f.text == target[f.start:f.end]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,' 万億亿千百十一二三两零〇%年月日１２３")), max_size=30),
       st.sampled_from(["en", "zh", "ja", "de", "fr", "hi", None]))
def test_extract_numbers_never_raises(text, lang):
    for n in extract_numbers(text, lang):
        assert n.text == text[n.start:n.end]
    numbers_agree(extract_numbers(text, lang), extract_numbers(text, "en"))


@pytest.mark.parametrize("source,target,lang,flagged", [
    # a code the source writes in words is part of a name, not a number to compare
    ("央视财经频道将播出。", "It will be broadcast on CCTV-2.", "zh", False),
    ("新冠肺炎病例增加。", "COVID-19s cases rose.", "zh", False),
    # the same code in the source is compared
    ("Rozpoczynamy od odcinka autostrady A4.", "We start from the section of the A3 motorway.", "pl", True),
    # the year a translation adds to a date the source gives without one
    ("新华社北京7月26日电", "BEIJING, July 26, 2020 (Xinhua)", "zh", False),
    ("2019年7月26日在上海拍摄。", "Photographed in Shanghai on July 26, 2018.", "zh", True),
    # 首届 is "the 1st"
    ("首届进博会开幕。", "The 1st China International Import Expo opened.", "zh", False),
    ("第二届进博会开幕。", "The 1st China International Import Expo opened.", "zh", True),
])
def test_numbers_the_source_explains(source, target, lang, flagged):
    from review.engine import Engine

    eng = Engine.from_options(select=["BI-NUM"])
    found = eng.check([Segment(index=0, id="s", source=source, target=target, source_lang=lang)])
    assert bool(found) is flagged, found


@pytest.mark.parametrize("source,target,flagged", [
    ("Die Pyramide ist mehr als 1000 Jahre alt.", "The pyramid is more: than 1,000 years old.", True),
    ("Seit der Gründung der Stadt im Jahr 1537", "Since the founding of: the city in 1537", True),
    ("Latein wird oft verwendet.", "Latin: is often used.", True),
    ("Das Gebiet ist in zwei Teile geteilt, Industrie und Kultur.",
     "The area is divided into two parts: industry and culture.", False),
    ("Er sagte, dass es regnet.", "He said: it is raining.", False),
    ("Das Spiel endete 2 zu 0.", "The game ended 2:0.", False),
    ("Die Frage lautet: Wer kommt?", "The question is: of course, who comes?", False),  # the source has one
])
def test_colon_without_counterpart(source, target, flagged):
    from review.engine import Engine

    eng = Engine.from_options(select=["BI-PUNCT-002"])
    found = eng.check([Segment(index=0, id="s", source=source, target=target, source_lang="de")])
    assert bool(found) is flagged, found


# The ASCII fast path of the glued-mark scan must find exactly what the regex finds: built from the
# words and marks the alternatives look at, so most examples come close to a match.
_GLUE_TOKENS = st.sampled_from(
    ["the", "The", "of", "a", "A", "an", "with", "from", "by", "and", "or", "its", "than", "every",
     "tariffs", "s", "Max", "Kolonko", "progress", "were", "there", "in", "is", "etc", "U", "it", "J3",
     ",", ".", ":", ";", "'", "\"", "?", "!", "-", "'s", " ", "  ", "\t", "(", "1"])


@settings(max_examples=400, deadline=None)
@given(st.lists(_GLUE_TOKENS, max_size=14).map(lambda parts: "".join(
    p if p in ",.:;'\"?!-" or p.isspace() else " " + p for p in parts)))
def test_glued_mark_fast_path_equals_regex(text):
    from review.checks.bilingual import _GLUED_RE, _glued_marks

    assert [m.span() for m in _glued_marks(text)] == [m.span() for m in _GLUED_RE.finditer(text)]
