"""Engine mechanics: rule selection, the trigger pre-filter, grouping, dedupe, timeouts, workers."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from review.engine import Engine, rule_enabled
from review.io import document_from_text, load_path
from review.model import InputError, Segment, apply_suggestion
from review.rules import load_pack_file

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def test_rule_enabled_longest_prefix_wins():
    assert rule_enabled("EN-FRAG-001", [], [])
    assert not rule_enabled("EN-FRAG-001", [], ["EN-"])
    assert rule_enabled("EN-FRAG-001", [], ["EN-CALQUE"])
    assert rule_enabled("EN-FRAG-001", ["EN-FRAG"], ["EN-"])
    assert not rule_enabled("EN-FRAG-001", ["EN-"], ["EN-FRAG"])
    assert not rule_enabled("EN-FRAG-001", ["EN-"], ["EN-"])  # ignore wins a tie
    assert not rule_enabled("TERM-DEPRECATED", ["EN-"], [])


def _texts(sample_path, n=400):
    texts = [s.target for s in load_path(sample_path).segments]
    if (DATA / "mqm-zhen-dev.jsonl.gz").exists():
        with gzip.open(DATA / "mqm-zhen-dev.jsonl.gz", "rt", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= n:
                    break
                texts.append(json.loads(line)["target"])
    return texts


def test_prefilter_changes_nothing_but_speed(sample_path):
    """Running every rule on every segment gives exactly the findings of the pre-filtered run."""
    eng = Engine.from_options()
    texts = _texts(sample_path)
    segs = [Segment(index=i, id=f"s{i}", target=t) for i, t in enumerate(texts)]
    fast = [f for s in segs for f in eng._rule_findings(s, [], False)]
    eng._auto = None
    eng._always = [r for r in eng.rules if r.type != "consistency"]
    slow = [f for s in segs for f in eng._rule_findings(s, [], False)]
    assert sorted(fast, key=repr) == sorted(slow, key=repr)


def test_grouped_spacing_is_one_finding_fixing_all():
    eng = Engine.from_options(select=["EN-SPACE-001"])
    seg = document_from_text("In early February , several people verified the discovery with new software .").segments[0]
    fs = eng.check([seg])
    assert len(fs) == 1 and "(2 places)" in fs[0].message
    fixed = apply_suggestion(seg.target, fs[0].start, fs[0].end, fs[0].suggestions[0])
    assert fixed == "In early February, several people verified the discovery with new software."


def test_dedupe_keeps_most_severe_and_drops_findings_inside_a_deletion():
    eng = Engine.from_options()
    doc = document_from_text('NATO says Russia is the "most significant and direct threat". increase.')
    fs = eng.check(doc)
    # EN-CASE-001 would flag "increase" too, but the whole fragment is deleted by EN-FRAG-001
    assert [f.rule for f in fs if "increase" in f.text] == ["EN-FRAG-001"]


def test_catastrophic_rule_is_time_bounded(tmp_path):
    pack = tmp_path / "slow.yaml"
    pack.write_text(
        "- id: X-SLOW-001\n  type: pattern\n  category: Other\n  severity: minor\n  message: slow\n"
        "  pattern: '(a|aa)+$'\n  examples: {bad: ['aaaa'], good: ['b']}\n", encoding="utf-8")
    rules = load_pack_file(pack)
    eng = Engine(glossary=None, rules=rules, checks=[])
    seg = Segment(index=0, id="s", target="a" * 60 + "!")
    import time

    t0 = time.perf_counter()
    assert eng.check([seg]) == []
    assert time.perf_counter() - t0 < 5
    assert any("timed out" in w for w in eng.warnings)


@pytest.mark.parametrize("content,needle", [
    ("- id: X\n  type: nope\n  category: Fluency\n  severity: minor\n  message: m\n", "unknown type"),
    ("- id: X-1\n  type: pattern\n  category: Fluency\n  severity: minor\n  message: m\n  pattern: '('\n  examples: {bad: [a], good: [b]}\n", "invalid regex"),
    ("- id: X-1\n  type: pattern\n  category: Nonsense/X\n  severity: minor\n  message: m\n  pattern: 'a'\n  examples: {bad: [a], good: [b]}\n", "MQM"),
    ("- id: X-1\n  type: pattern\n  category: Fluency\n  severity: minor\n  message: m\n  pattern: 'a'\n", "examples"),
    ("- [unclosed\n", "invalid YAML"),
])
def test_bad_rule_files_name_the_problem(tmp_path, content, needle):
    p = tmp_path / "bad.yaml"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=needle):
        load_pack_file(p)


_LIST_PACK = """\
lists:
  trade_words: [tariff, trade war, levy]
rules:
  - id: X-LIST-001
    type: pattern
    category: Style/Awkward
    severity: minor
    message: "'%s': a trade word on a month"
    pattern: '\\b(?P<flag>(?i:{list:trade_words}))\\s+in\\s+{list:months}\\b'
    antipatterns: ['\\b(?:{list:modals})\\s+(?:\\w+\\s+)?(?i:{list:trade_words})']
    examples:
      bad: ['The Trade  war in May hurt exports.']
      good: ['The trade war in spring hurt exports; a levy would in May help.']
"""


def test_a_pack_shares_word_lists(tmp_path):
    """A pack's own `lists` and the built-in ones (review/rules/en/lists.yaml) are written into
    patterns and antipatterns as `{list:NAME}`: escaped, a space matching any white space."""
    from review.rules import RULES_DIR, builtin_lists, load_rules

    pack = tmp_path / "mine.yaml"
    pack.write_text(_LIST_PACK, encoding="utf-8")
    eng = Engine(glossary=None, rules=load_pack_file(pack), checks=[])
    seg = lambda t: Segment(index=0, id="s", target=t)  # noqa: E731
    assert [f.text for f in eng.check([seg("Trade  war in May; a levy in June; tariff in spring.")])] == \
        ["Trade  war", "levy"]
    assert eng.check([seg("A levy would in May help.")]) == []  # the antipattern (modals) holds
    # loaded with the built-in packs, the pack sees their lists and they see its own
    rules = load_rules("en", [pack])
    assert any(r.id == "X-LIST-001" for r in rules)
    # every built-in list is used by some built-in rule
    text = "\n".join(p.read_text(encoding="utf-8") for p in (RULES_DIR / "en").glob("*.yaml")
                     if p.name != "lists.yaml")
    assert builtin_lists() and all(f"{{list:{name}}}" in text for name in builtin_lists())


@pytest.mark.parametrize("content,needle", [
    (_LIST_PACK.replace("{list:trade_words}))", "{list:trade_wordz}))"), r"names no list \(known: .*trade_words"),
    (_LIST_PACK.replace("trade_words: [", "months: ["), r"list months is defined twice \(also in lists.yaml\)"),
    (_LIST_PACK.replace("[tariff, trade war, levy]", "[tariff, '']"), "needs words, none of them empty"),
    (_LIST_PACK.replace("  trade_words:", "  bad name:"), "must be letters, digits"),
    (_LIST_PACK.replace("rules:", "rulez:"), r"unknown field\(s\) rulez"),
])
def test_bad_lists_name_the_problem(tmp_path, content, needle):
    from review.rules import load_rules

    p = tmp_path / "bad.yaml"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=needle):
        load_rules("en", [p])
    with pytest.raises(InputError, match=needle.replace(r"\(also in lists.yaml\)", "")):
        load_pack_file(p)  # alone, with the built-in lists: the same answer


def test_workers_give_the_same_findings(sample_path):
    doc = load_path(sample_path)
    # make the document large enough for the parallel path
    segs = [Segment(index=i, id=f"s{i}", target=s.target) for i, s in enumerate(doc.segments * 60)]
    eng = Engine.from_options()
    serial = eng.check(segs)
    eng.workers, eng.PARALLEL_MIN = 2, 100
    parallel = eng.check(segs)
    assert serial == parallel and serial


def test_workers_report_rule_timeouts(tmp_path):
    pack = tmp_path / "slow.yaml"
    pack.write_text(
        "- id: X-SLOW-001\n  type: pattern\n  category: Other\n  severity: minor\n  message: slow\n"
        "  pattern: '(a|aa)+$'\n  examples: {bad: ['aaaa'], good: ['b']}\n", encoding="utf-8")
    eng = Engine(glossary=None, rules=load_pack_file(pack), checks=[])
    eng.workers, eng.PARALLEL_MIN = 2, 2
    segs = [Segment(index=i, id=f"s{i}", target="ok") for i in range(3)]
    segs.append(Segment(index=3, id="s3", target="a" * 60 + "!"))
    assert eng.check(segs) == []
    assert any("X-SLOW-001" in w and "s3" in w for w in eng.warnings)


def _breaking_check(on_document: bool = False):
    """A check with a bug: it raises on a segment that says 'boom' (and, if asked, on the whole
    document)."""
    from review.checks.base import Check

    class Breaks(Check):
        def segment(self, seg, ctx):
            if "boom" in seg.target:
                raise ValueError("cannot handle boom")
            return ()

        def document(self, segs, ctx):
            if on_document:
                raise RuntimeError("document broke")
            return ()

    return Breaks()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_check_costs_its_findings_not_the_report(monkeypatch, workers):
    """A check that raises on one segment (a bug, or an input nobody foresaw) becomes a warning;
    every other check's findings, on that segment too, are still reported."""
    monkeypatch.delenv("REVIEW_DEBUG", raising=False)
    eng = Engine.from_options()
    eng.checks.append(_breaking_check(on_document=True))
    eng.workers, eng.PARALLEL_MIN = workers, 2
    segs = [Segment(index=0, id="s0", target="The the summit ended."),
            Segment(index=1, id="s1", target="The the boom was loud."),
            Segment(index=2, id="s2", target="Fine text here.")]
    got = eng.check(segs)
    clean = Engine.from_options().check(segs)
    assert got == clean and {f.segment for f in got} >= {0, 1}  # EN-GRAM-001 on both doubled "the"
    # one warning per failing check: where it failed first, and how many more places
    assert [w for w in eng.warnings if "Breaks" in w] == [
        "check Breaks failed on segment s1 (ValueError: cannot handle boom); its findings there are missing "
        "(and in 1 more place)"], eng.warnings


def test_review_debug_lets_a_failing_check_raise(monkeypatch):
    monkeypatch.setenv("REVIEW_DEBUG", "1")
    eng = Engine(glossary=None, rules=[], checks=[])
    eng.checks.append(_breaking_check())
    with pytest.raises(ValueError, match="boom"):
        eng.check([Segment(index=0, id="s0", target="boom")])
