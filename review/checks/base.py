"""The interface every code check implements, and the context it runs in."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable, Sequence

from ..model import Finding, Segment, Severity

BEFORE_WINDOW = 200  # characters: longer than anything a pattern anchored before a position matches


def search_before(rx, text: str, end: int, window: int = BEFORE_WINDOW):
    """``rx.search(text[:end])`` for a pattern anchored at its end (``$``) whose matches are shorter
    than ``window``: only the window before ``end`` is searched. Look-behinds and ``\\b`` still see
    the text before the window and ``^`` matches only at the text's real start, so the answer is the
    same; a check that asks this at every word of a 100,000-character segment stays linear."""
    return rx.search(text, max(0, end - window), end)


_OPENERS = "'\"“‘«(["


def at_sentence_start(text: str, pos: int) -> bool:
    """Whether ``pos`` opens a sentence: nothing, or a sentence mark (.!?:;…, or .!? and a closing
    quote or bracket) before it, then white space, opening quotes or brackets and white space.
    The one notion of a sentence start the code checks share (a capital there says nothing of a
    name). Read backwards from ``pos``, not by a regex over ``text[:pos]`` (a long text would be
    rescanned for every word in it)."""
    i = pos
    while i and text[i - 1].isspace():
        i -= 1
    while i and text[i - 1] in _OPENERS:
        i -= 1
    while i and text[i - 1].isspace():
        i -= 1
    if not i:
        return True
    c = text[i - 1]
    return c in ".!?:;…" or (c in "'\"”’»)" and i >= 2 and text[i - 2] in ".!?")


@lru_cache(maxsize=4096)
def whole_word(word: str):
    """A pattern that finds ``word`` as a whole word: no word character on either side."""
    import regex

    return regex.compile(rf"(?<!\w){regex.escape(word)}(?!\w)")


if TYPE_CHECKING:  # pragma: no cover
    from ..glossary import Glossary


@lru_cache(maxsize=256)
def language_code(code: str | None) -> str | None:
    """The language of a code: "zh-CN" → "zh", "" or None → None."""
    return (code or "").lower().split("-")[0] or None


@dataclass
class Context:
    """What a check may consult besides the segment: the glossary, languages, the whole document."""

    glossary: "Glossary | None" = None
    source_lang: str | None = None
    target_lang: str = "en"
    segments: Sequence[Segment] = ()
    cache: dict = field(default_factory=dict)  # per-run scratch space shared by checks

    def source_language(self, seg: Segment) -> str | None:
        """The segment's source language (else the document's), without its region: "zh"."""
        return language_code(seg.source_lang or self.source_lang)


@dataclass(frozen=True)
class RuleInfo:
    """Documentation of one rule id a check can emit (for `review rules` and the rule reference)."""

    id: str
    category: str
    severity: Severity
    summary: str
    good: tuple[str, ...] = ()
    bad: tuple[str, ...] = ()


def split_example(example: str) -> tuple[str | None, str]:
    """A rule's good or bad example as (source, target): ``"source ||| target"`` is one bilingual
    segment, anything else is target text alone (source None)."""
    source, sep, target = example.partition(" ||| ")
    return (source, target) if sep else (None, example)


class Check:
    """A code check. Override ``segment`` (per-segment) and/or ``document`` (whole document).

    ``rules`` lists every rule id the check may emit, with good and bad examples that the test-suite
    runs (bad must be flagged with that rule id, good must not).
    """

    rules: tuple[RuleInfo, ...] = ()
    needs_source: bool = False

    def prepare(self, segs: Sequence[Segment], ctx: Context) -> None:
        """Load what the check needs for this document (dictionaries…) before segments are
        checked: the engine calls it in the parent process, so forked workers share it."""

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        return ()

    def document(self, segs: Sequence[Segment], ctx: Context) -> Iterable[Finding]:
        return ()

    def info(self, rule_id: str) -> RuleInfo:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def finding(self, rule_id: str, seg: Segment, start: int, end: int, message: str,
                suggestions: Iterable[str] = (), severity: Severity | None = None) -> Finding:
        info = self.info(rule_id)
        return Finding(
            rule=rule_id,
            segment=seg.index,
            start=start,
            end=end,
            text=seg.target[start:end],
            category=info.category,
            severity=info.severity if severity is None else severity,
            message=message,
            suggestions=tuple(suggestions),
        )
