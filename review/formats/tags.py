"""BI-TAG-001: inline tags and placeholders must survive translation.

Compares the multiset of markup tokens in the source with the target's: XML/XLIFF inline tags as
the format readers render them (``<x id="1"/>``, ``<g id="2">`` … ``</g>``,
``<bpt id="3">&lt;b&gt;</bpt>``, ``<ph id="1"/>``), HTML-like tags, printf placeholders (``%s``,
``%d``, ``%(name)s``, ``%1$s``) and brace placeholders (``{0}``, ``{name}``). A token missing from
the target, or one the target adds, is a finding.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from typing import Iterable

import regex

from ..checks.base import Check, Context, RuleInfo
from ..model import Finding, Segment, Severity

__all__ = ["TagCheck", "tag_tokens"]

_ATTR = r"""(?:\s+[\w:.-]+\s*=\s*(?:"[^"<>]*"|'[^'<>]*'))"""
TOKEN_RE = regex.compile(
    rf"<(?P<code>bpt|ept|ph|it|ut)\b{_ATTR}*\s*>.*?</(?P=code)\s*>"  # native code elements
    rf"|</?[A-Za-z][\w:.-]*{_ATTR}*\s*/?>"  # any start, end or empty tag
    r"|%(?:\d+\$)?(?:\([\w.-]+\))?[-+#0]*(?:\d+|\*)?(?:\.\d+)?(?:hh|h|ll|l|L|z|j|t)?[sdifuxXeEgGcrboa@]"
    r"|\{\d+\}|\{[A-Za-z_][\w.]*(?:![rsa])?(?::[^{}]*)?\}"
    r"|%%",
    regex.S,
)


def tag_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) for every tag or placeholder in ``text`` (``%%`` is not one)."""
    if not text or not any(c in text for c in "<%{"):
        return []
    return [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(text) if m.group() != "%%"]


def _norm(tok: str) -> str:
    """Same tag regardless of attribute quoting/spacing."""
    return regex.sub(r"\s+", " ", tok.replace("'", '"')).strip()


class TagCheck(Check):
    needs_source = True
    rules = (
        RuleInfo(
            "BI-TAG-001", "Fluency/Markup", Severity.MAJOR,
            "An inline tag or placeholder of the source is missing from the target, or the target adds one.",
            good=(
                'NATO首脳会議が<x id="1"/>開かれた。 ||| The NATO summit <x id="1"/>was held.',
                "Bonjour %(name)s ! ||| Hello %(name)s!",
                "{0} fichiers supprimés ||| {0} files deleted",
                "100%の確率 ||| A 100% chance",
            ),
            bad=(
                'NATO首脳会議が<x id="1"/>開かれた。 ||| The NATO summit was held.',
                "Bonjour %(name)s ! ||| Hello name!",
                "{0} fichiers supprimés ||| {1} files deleted",
                "{0} fichiers supprimés ||| {0} files deleted in {0} folders",
            ),
        ),
    )

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        if seg.source is None:
            return []
        src = tag_tokens(seg.source)
        tgt = tag_tokens(seg.target)
        if not src and not tgt:
            return []
        want = Counter(_norm(t) for _, _, t in src)
        have = Counter(_norm(t) for _, _, t in tgt)
        out: list[Finding] = []
        missing = want - have
        for tok, n in missing.items():
            shown = next(t for _, _, t in src if _norm(t) == tok)
            more = f" ({n}×)" if n > 1 else ""
            # Nothing to point at in the target: flag the whole segment (zero-width when empty).
            out.append(self.finding("BI-TAG-001", seg, 0, len(seg.target),
                                    f"The source's {_kind(tok)} {shown}{more} is missing from the target."))
        extra = have - want
        by_tok: dict[str, list[tuple[int, int, str]]] = {}
        if extra:
            for s, e, t in tgt:
                by_tok.setdefault(_norm(t), []).append((s, e, t))
        for tok, n in extra.items():
            places = by_tok[tok]
            for s, e, t in places[len(places) - n:]:
                out.append(self.finding("BI-TAG-001", seg, s, e,
                                        f"The target adds the {_kind(tok)} {t}, which the source does not have.",
                                        suggestions=("",)))
        return out


def _kind(tok: str) -> str:
    return "tag" if tok.startswith("<") else "placeholder"


def markup_spans(text: str) -> list[tuple[int, int]]:
    return [(s, e) for s, e, _ in tag_tokens(text)]


def drop_markup_findings(segments, findings: list[Finding]) -> list[Finding]:
    """Drop findings of other rules that fall on an inline tag or placeholder (``<x id="1"/>`` is
    not a misspelling, ``%(name)s`` not a stray letter). BI-TAG-001 findings are kept. Meant for
    bilingual documents (XLIFF/TMX/PO), where the readers keep tags in the segment text."""
    by_index = {s.index: s for s in segments}
    cache: dict[int, tuple[list[int], list[int]]] = {}
    out = []
    for f in findings:
        seg = by_index.get(f.segment)
        if f.rule == "BI-TAG-001" or seg is None or seg.source is None:
            out.append(f)
            continue
        spans = cache.get(f.segment)
        if spans is None:
            found = markup_spans(seg.target)  # in order, none overlapping: starts and ends both sorted
            spans = cache[f.segment] = ([s for s, _ in found], [e for _, e in found])
        starts, ends = spans
        # the last span starting before the finding's end (at its start, for an empty finding)
        # is the one that reaches farthest
        i = bisect_right(starts, f.end - 1 if f.end > f.start else f.start)
        if i and ends[i - 1] > f.start:
            continue
        out.append(f)
    return out
