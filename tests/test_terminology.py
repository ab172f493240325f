"""Terminology checks: every rule's good/bad examples, plus cases from the NHK sample."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from review.checks.base import Check, Context, split_example
from review.checks.terminology import (
    TERMINOLOGY_CHECKS,
    AcronymExpansionCheck,
    DeprecatedTermCheck,
    InconsistentTermCheck,
    TermMismatchCheck,
    guess_lang,
)
from review.glossary import Concept, Glossary, Term
from review.model import MQM_BRANCHES, Segment, Severity, apply_suggestion

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = Glossary.default()


def _seg(target: str, source: str | None = None, index: int = 0, source_lang: str | None = None) -> Segment:
    return Segment(index=index, id=str(index + 1), target=target, source=source, source_lang=source_lang)


def _run(check: Check, segs: list[Segment], glossary=GLOSSARY, source_lang=None, target_lang="en"):
    ctx = Context(glossary=glossary, source_lang=source_lang, target_lang=target_lang, segments=segs)
    out = []
    for s in segs:
        out.extend(check.segment(s, ctx))
    out.extend(check.document(segs, ctx))
    for f in out:
        assert f.text == segs[f.segment].target[f.start:f.end]
    return out


def _example(text: str) -> Segment:
    src, tgt = split_example(text)
    return _seg(tgt, src)


EXAMPLES = [(cls, rule, kind, ex) for cls in TERMINOLOGY_CHECKS for rule in cls.rules
            for kind, exs in (("good", rule.good), ("bad", rule.bad)) for ex in exs]


@pytest.mark.parametrize("cls, rule, kind, example", EXAMPLES,
                         ids=[f"{r.id}-{k}-{i}" for i, (_, r, k, _) in enumerate(EXAMPLES)])
def test_rule_examples(cls, rule, kind, example):
    found = [f for f in _run(cls(), [_example(example)]) if f.rule == rule.id]
    if kind == "bad":
        assert found, f"{rule.id} should flag: {example}"
    else:
        assert not found, f"{rule.id} should not flag: {example}: {found}"


def test_rule_metadata():
    ids = [r.id for cls in TERMINOLOGY_CHECKS for r in cls.rules]
    assert ids == ["TERM-DEPRECATED", "TERM-MISMATCH", "TERM-ACRONYM-EXPANSION", "TERM-INCONSISTENT", "TERM-CASE"]
    for cls in TERMINOLOGY_CHECKS:
        for r in cls.rules:
            assert r.category.split("/")[0] in MQM_BRANCHES
            assert r.good and r.bad
    assert TermMismatchCheck.needs_source
    assert DeprecatedTermCheck().info("TERM-DEPRECATED").severity == Severity.MAJOR
    assert InconsistentTermCheck().info("TERM-INCONSISTENT").severity == Severity.MINOR


# --- TERM-DEPRECATED -------------------------------------------------------------------------


def test_illegal_merger_of_crimea_suggests_annexation():
    seg = _seg("The illegal merger of Crimea has changed the security environment too much.")
    [f] = _run(DeprecatedTermCheck(), [seg])
    assert f.rule == "TERM-DEPRECATED" and f.text == "illegal merger of Crimea"
    assert f.suggestions[0] == "illegal annexation of Crimea"
    assert "annexation" in f.message and f.category == "Terminology/Inappropriate"
    assert apply_suggestion(seg.target, f.start, f.end, f.suggestions[0]).startswith(
        "The illegal annexation of Crimea has changed")


def test_g7_summit_gloss_is_flagged():
    seg = _seg("President Biden arrived from Germany, where the G7 Summit = the summit of the seven major "
               "countries was held.")
    dep = _run(DeprecatedTermCheck(), [seg])
    assert [(f.text, f.suggestions[0]) for f in dep] == [("summit of the seven major countries", "G7 summit")]
    [exp] = _run(AcronymExpansionCheck(), [seg])
    assert exp.text == "= the summit of the seven major countries" and exp.suggestions == ("",)
    assert apply_suggestion(seg.target, exp.start, exp.end, "") == (
        "President Biden arrived from Germany, where the G7 Summit was held.")


def test_deprecated_keeps_capitalisation_and_inflection():
    check = DeprecatedTermCheck()
    [f] = _run(check, [_seg("Thorough anti-war is what Kyiv wants.")])
    assert f.suggestions[0] == "Fight to the end"
    [f] = _run(check, [_seg("Two Foreign Phases met.")])
    assert f.suggestions[0] == "Foreign Ministers"
    [f] = _run(check, [_seg("The NATO Secretary-General's visit.")])
    assert f.suggestions[0] == "NATO Secretary General's"  # the spelling fix comes first
    [f] = _run(check, [_seg("THE SEVEN MAJOR COUNTRIES MET")])
    assert f.suggestions[0] == "G7"


def test_deprecated_quiet_on_ordinary_words():
    sentences = [
        "The merger of the two companies was approved on Monday.",
        "Fans were waving flags as the team arrived.",
        "Sales increased by 10 percent, the company said.",
        "The Secretary-General of the United Nations called for calm.",
        "NATO Secretary General Jens Stoltenberg said the Allies agreed.",
        "The deterrence posture of the Alliance was strengthened.",
    ]
    assert _run(DeprecatedTermCheck(), [_seg(s, index=i) for i, s in enumerate(sentences)]) == []


def test_no_glossary_no_findings():
    segs = [_seg("The illegal merger of Crimea; NATO members of the North Atlantic Treaty Organization.",
                 "クリミア併合")]
    for cls in TERMINOLOGY_CHECKS:
        assert _run(cls(), segs, glossary=None) == []


# --- TERM-MISMATCH ---------------------------------------------------------------------------


def test_mismatch_uses_segment_or_context_language():
    check = TermMismatchCheck()
    src, tgt = "首脳会議は29日に開かれる。", "The meeting will be held on the 29th."
    [f] = _run(check, [_seg(tgt, src, source_lang="ja")])
    assert (f.start, f.end) == (0, len(tgt)) and f.suggestions == ()
    assert "source term '首脳会議' (ja) should be rendered as 'summit'" in f.message
    assert len(_run(check, [_seg(tgt, src)], source_lang="ja")) == 1
    assert len(_run(check, [_seg(tgt, src)])) == 1  # language guessed from the script
    assert _run(check, [_seg(tgt)]) == []  # monolingual
    assert _run(check, [_seg("The summit was held.", "The summit was held.", source_lang="en")]) == []


def test_mismatch_skips_when_deprecated_rendering_present():
    seg = _seg("Some countries support Ukraine's thorough anti-war.", "ウクライナの徹底抗戦を支持する国がある。")
    assert _run(TermMismatchCheck(), [seg]) == []
    assert [f.rule for f in _run(DeprecatedTermCheck(), [seg])] == ["TERM-DEPRECATED"]


def test_mismatch_counts_terms_inside_longer_target_terms():
    seg = _seg("The NATO summit opened in Madrid.", "首脳会議がマドリードで開幕した。")
    assert _run(TermMismatchCheck(), [seg]) == []


def test_mismatch_english_to_french():
    seg = _seg("Les dirigeants ont parlé de la trêve.", "The leaders discussed the ceasefire.", source_lang="en")
    [f] = _run(TermMismatchCheck(), [seg], target_lang="fr")
    assert "'cessez-le-feu'" in f.message


def test_guess_lang():
    assert guess_lang("首脳会議は29日に開かれる。") == "ja"
    assert guess_lang("北约峰会") == "zh"
    assert guess_lang("NATO summit") is None


# --- TERM-ACRONYM-EXPANSION ------------------------------------------------------------------


def test_acronym_expansion_from_the_sample():
    text = ("US President Joe Biden is expected to call on NATO members of the North Atlantic Treaty "
            "Organization to continue to unite and support Ukraine.")
    [f] = _run(AcronymExpansionCheck(), [_seg(text)])
    assert f.text == "of the North Atlantic Treaty Organization"
    assert "call on NATO members to continue" in apply_suggestion(text, f.start, f.end, "")
    assert f.category == "Style/Awkward" and f.severity == Severity.MINOR


@pytest.mark.parametrize("text", [
    "The North Atlantic Treaty Organization (NATO) was founded in 1949.",
    "NATO (North Atlantic Treaty Organization) was founded in 1949.",
    "NATO was founded in 1949. The North Atlantic Treaty Organization has 30 members.",
    "The G7, the Group of Seven, met.",
    "US officials said the United States would respond.",
])
def test_acronym_expansion_quiet(text):
    assert _run(AcronymExpansionCheck(), [_seg(text)]) == []


# --- TERM-INCONSISTENT -----------------------------------------------------------------------


def test_inconsistent_flags_minority_form_across_segments():
    segs = [_seg("US President Joe Biden arrived.", index=0),
            _seg("U.S. President Joe Biden spoke.", index=1),
            _seg("The US and Japan agreed.", index=2)]
    [f] = _run(InconsistentTermCheck(), segs)
    assert (f.segment, f.text, f.suggestions) == (1, "U.S.", ("US",))


def test_inconsistent_hyphenation_and_spelling_variants():
    segs = [_seg("Secretary General Stoltenberg spoke.", index=0),
            _seg("The Secretary-General said so.", index=1),
            _seg("Secretary General Stoltenberg left.", index=2)]
    [f] = _run(InconsistentTermCheck(), segs)
    assert (f.segment, f.text, f.suggestions) == (1, "Secretary-General", ("Secretary General",))
    segs = [_seg("The National Security Adviser spoke.", index=0),
            _seg("The National Security Advisor left.", index=1)]
    [f] = _run(InconsistentTermCheck(), segs)
    assert f.text == "National Security Advisor" and f.suggestions == ("National Security Adviser",)


def test_inconsistent_ignores_synonyms_case_and_inflection():
    segs = [_seg("Member states agreed; member countries disagreed.", index=0),
            _seg("The Allies met. The allies' plan and an Ally's view.", index=1),
            _seg("NATO, the North Atlantic Treaty Organization, met.", index=2)]
    assert _run(InconsistentTermCheck(), segs) == []


def test_inconsistent_custom_glossary_tie_prefers_preferred_term():
    g = Glossary([Concept("cf", (Term("ceasefire", "en", "preferred"), Term("cease-fire", "en", "admitted")))])
    segs = [_seg("A cease-fire.", index=0), _seg("A ceasefire.", index=1)]
    [f] = _run(InconsistentTermCheck(), segs, glossary=g)
    assert (f.segment, f.text, f.suggestions) == (0, "cease-fire", ("ceasefire",))


# --- the sample document ---------------------------------------------------------------------


def _sample_segments() -> list[Segment]:
    path = ROOT / "seeds" / "nhk-nato-madrid-2022.ja-en.txt"
    text = path.read_text(encoding="utf-8")
    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return [_seg(p, index=i) for i, p in enumerate(paras)]


def test_sample_document_findings():
    segs = _sample_segments()
    found = []
    for cls in TERMINOLOGY_CHECKS:
        found.extend(_run(cls(), segs))
    got = {(f.rule, f.text) for f in found}
    assert {
        ("TERM-DEPRECATED", "summit of the seven major countries"),
        ("TERM-DEPRECATED", "most serious and direct threat"),
        ("TERM-DEPRECATED", "Secretary-General of NATO"),
        ("TERM-DEPRECATED", "illegal merger of Crimea"),
        ("TERM-DEPRECATED", "role in waving"),
        ("TERM-DEPRECATED", "thorough anti-war"),
        ("TERM-ACRONYM-EXPANSION", "= the summit of the seven major countries"),
        ("TERM-ACRONYM-EXPANSION", "of the North Atlantic Treaty Organization"),
        ("TERM-INCONSISTENT", "U.S."),
    } <= got
    # the lower-cased "strategic concept" (9 times in the sample) is TERM-CASE's business
    assert len([f for f in found if f.rule != "TERM-CASE"]) <= 12  # no flood of findings
    assert {f.text for f in found if f.rule == "TERM-CASE"} == {"strategic concept"}


def test_quiet_on_ordinary_news():
    sentences = [
        "The company reported a merger with its largest rival, sending shares higher.",
        "Officials said the summit would focus on climate change and trade.",
        "The president waved to reporters as he boarded Air Force One.",
        "Police said the suspect had been arrested on Tuesday night.",
        "The central bank raised interest rates by a quarter of a percentage point.",
        "The UN Secretary-General urged both sides to agree to a ceasefire.",
        "Japan's Foreign Minister met his Chinese counterpart in Beijing.",
        "The EU said it would impose new sanctions on Russia.",
        "Russia's invasion of Ukraine began in February 2022.",
        "Let us know what you think about the new design.",
    ]
    segs = [_seg(s, index=i) for i, s in enumerate(sentences)]
    for cls in TERMINOLOGY_CHECKS:
        assert _run(cls(), segs) == [], cls.__name__
