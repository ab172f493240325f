"""Terminology checks against the glossary (term base).

* ``TERM-DEPRECATED`` — a deprecated target-language term (a known wrong rendering) in the target.
* ``TERM-MISMATCH`` — bilingual: a source term whose concept has no rendering in the target.
* ``TERM-ACRONYM-EXPANSION`` — an acronym immediately followed by its own expansion
  ("NATO members of the North Atlantic Treaty Organization", "the G7 = Group of Seven").
* ``TERM-INCONSISTENT`` — document level: one concept written in two spelling variants
  ("ceasefire" / "cease-fire", "U.S." / "US", "Secretary General" / "Secretary-General").

All checks are silent when the context has no glossary.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable, Sequence

from ..glossary import SHORT_TYPES, Concept, Glossary, Term, TermMatch, inflections, surface
from ..langid import script_guess
from ..model import Finding, Segment, Severity
from .base import Check, Context, RuleInfo
from .names import fold

__all__ = [
    "DeprecatedTermCheck",
    "TermMismatchCheck",
    "AcronymExpansionCheck",
    "InconsistentTermCheck",
    "TERMINOLOGY_CHECKS",
    "guess_lang",
]

_SENTENCE_START = re.compile(r"(?:^|[.!?。！？]['\"”’»)\]]*)\s*$")


def guess_lang(text: str | None) -> str | None:
    """The language a source text without a tag is written in, when its script decides it (ja /
    zh / ko, Arabic, Devanagari …); None for Latin or Cyrillic text (langid.script_guess)."""
    g = script_guess(text) if text else None
    return None if g in ("latin", "cyrillic") else g


def _target_lang(seg: Segment, ctx: Context) -> str:
    return ctx.target_lang or seg.target_lang or "en"


def _source_lang(seg: Segment, ctx: Context) -> str | None:
    return seg.source_lang or ctx.source_lang or guess_lang(seg.source)


def _matches(ctx: Context, lang: str, text: str, overlapping: bool = False) -> list[TermMatch]:
    """Matches cached per run (several checks look at the same texts)."""
    glossary: Glossary = ctx.glossary
    key = ("terminology", id(glossary), glossary.version, lang, text, overlapping)
    cache = ctx.cache
    hit = cache.get(key)
    if hit is None:
        hit = glossary.matcher(lang).find(text, overlapping=overlapping)
        if len(cache) < 200_000:
            cache[key] = hit
    return hit


def _skeleton(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _adapt(suggestion: str, matched: str, term: Term, sentence_initial: bool) -> str:
    """Carry the matched text's capitalisation style over to a suggestion."""
    if not suggestion:
        return suggestion
    letters = [c for c in matched if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters) and not term.text.isupper():
        return suggestion.upper()
    if matched[:1].isupper() and term.text[:1].islower() and suggestion[:1].islower():
        return suggestion[0].upper() + suggestion[1:]
    if sentence_initial and suggestion[:1].islower() and matched[:1].isupper():
        return suggestion[0].upper() + suggestion[1:]
    return suggestion


def _inflect(term: Term, form: str) -> str:
    if not form:
        return term.text
    return inflections(term.text, term.lang, term.type).get(form, term.text)


class DeprecatedTermCheck(Check):
    rules = (
        RuleInfo(
            "TERM-DEPRECATED", "Terminology/Inappropriate", Severity.MAJOR,
            "A deprecated rendering of a glossary concept (a known mistranslation) is used.",
            good=(
                "The illegal annexation of Crimea has changed the security environment.",
                "NATO Secretary General Jens Stoltenberg spoke in Madrid.",
                "The merger of the two banks was approved by regulators.",
                "He waved to the crowd before the summit.",
            ),
            bad=(
                "The illegal merger of Crimea has changed the security environment.",
                "Some countries support Ukraine's thorough anti-war.",
                "Biden arrived from Germany, where the summit of the seven major countries was held.",
                "The United States also plays a role in waving military support.",
            ),
        ),
    )

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        if ctx.glossary is None or not seg.target:
            return []
        lang = _target_lang(seg, ctx)
        out = []
        for m in _matches(ctx, lang, seg.target):
            if m.term.status != "deprecated":
                continue
            preferred = m.concept.preferred(lang)
            if preferred is None:
                continue
            initial = bool(_SENTENCE_START.search(seg.target[:m.start]))
            suggestions: list[str] = []
            skel = _skeleton(m.term.text)
            for t in m.concept.allowed(lang):
                if _skeleton(t.text) == skel:  # only the spelling differs: suggest that spelling first
                    suggestions.append(_adapt(_inflect(t, m.form), m.text, m.term, initial))
                    break
            pref = _adapt(_inflect(preferred, m.form), m.text, m.term, initial)
            if pref not in suggestions:
                suggestions.append(pref)
            note = f" ({m.concept.note})" if m.concept.note else ""
            msg = f"'{m.text}' is a deprecated rendering; use '{preferred.text}'{note}"
            out.append(self.finding("TERM-DEPRECATED", seg, m.start, m.end, msg, suggestions))
        return out


class TermMismatchCheck(Check):
    needs_source = True
    # Place names are often replaced by a metonym or a pronoun in good translations: not checked.
    SKIP_KINDS = frozenset({"place"})
    rules = (
        RuleInfo(
            "TERM-MISMATCH", "Terminology/Inappropriate", Severity.MAJOR,
            "A glossary term in the source has none of its glossary renderings in the target.",
            good=(
                "ロシアによるクリミア併合は違法だ。 ||| Russia's annexation of Crimea is illegal.",
                "首脳会議は29日に開かれる。 ||| The summit will be held on the 29th.",
                "ウクライナの徹底抗戦を支持する。 ||| They support Ukraine's thorough anti-war.",
                "NATOは抑止力を強化する。 ||| NATO will strengthen deterrence.",
            ),
            bad=(
                "ロシアによるクリミア併合は違法だ。 ||| Russia's merger with Crimea is illegal.",
                "首脳会議は29日に開かれる。 ||| The meeting will be held on the 29th.",
                "NATOは抑止力を強化する。 ||| NATO will strengthen its restraining force.",
            ),
        ),
    )

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        if ctx.glossary is None or not seg.source or not seg.target or not seg.target.strip():
            return []
        src_lang = _source_lang(seg, ctx)
        tgt_lang = _target_lang(seg, ctx)
        if not src_lang or src_lang.split("-")[0].lower() == tgt_lang.split("-")[0].lower():
            return []
        src_matches = _matches(ctx, src_lang, seg.source)
        if not src_matches:
            return []
        present = {m.concept.id for m in _matches(ctx, tgt_lang, seg.target, overlapping=True)}
        by_span: dict[tuple[int, int], list[TermMatch]] = defaultdict(list)
        for m in src_matches:
            by_span[(m.start, m.end)].append(m)
        out = []
        reported: set[str] = set()
        for group in by_span.values():
            concepts = [m.concept for m in group if m.concept.kind not in self.SKIP_KINDS]
            concepts = [c for c in concepts if c.preferred(tgt_lang) is not None]
            if not concepts or any(c.id in present for c in concepts):
                continue
            concept = concepts[0]
            if concept.id in reported:
                continue
            reported.add(concept.id)
            want = concept.preferred(tgt_lang).text
            msg = f"source term '{group[0].text}' ({src_lang}) should be rendered as '{want}'"
            if concept.note:
                msg += f" ({concept.note})"
            out.append(self.finding("TERM-MISMATCH", seg, 0, len(seg.target), msg, ()))
        return out


# Between an acronym and its expansion: nothing, "=", "= the", or up to four words then "of (the)".
_GAP = re.compile(r"^\s*(?:(?P<eq>[=＝])\s*(?:the\s+)?|(?:[\w'’\-]+\s+){0,4}?(?P<of>of)\s+(?:the\s+)?|)$",
                  re.IGNORECASE)


class AcronymExpansionCheck(Check):
    rules = (
        RuleInfo(
            "TERM-ACRONYM-EXPANSION", "Style/Awkward", Severity.MINOR,
            "An acronym is immediately followed by its own expansion (a redundant gloss).",
            good=(
                "The North Atlantic Treaty Organization (NATO) met in Madrid.",
                "NATO (North Atlantic Treaty Organization) leaders met in Madrid.",
                "US officials said the United States would send more troops.",
                "NATO leaders met in Madrid on Wednesday.",
            ),
            bad=(
                "Biden called on NATO members of the North Atlantic Treaty Organization to stay united.",
                "Leaders of the G7 = Group of Seven met in Germany.",
                "Biden arrived from Germany, where the G7 Summit = the summit of the seven major countries was held.",
            ),
        ),
    )

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        if ctx.glossary is None or not seg.target:
            return []
        lang = _target_lang(seg, ctx)
        matches = _matches(ctx, lang, seg.target)
        out = []
        for i, m in enumerate(matches):
            if m.term.type not in SHORT_TYPES:
                continue
            for n in matches[i + 1:]:
                if n.start - m.end > 80:
                    break
                if n.concept.id != m.concept.id or n.start < m.end:
                    continue
                if not (n.term.type == "fullForm" or n.term.status == "deprecated"):
                    continue
                gap = seg.target[m.end:n.start]
                g = _GAP.match(gap)
                if not g:
                    break
                if g.group("eq"):
                    start = m.end + g.start("eq")
                elif g.group("of"):
                    start = m.end + g.start("of")
                else:
                    start = n.start
                msg = (f"'{m.text}' is followed by its own expansion '{n.text}'; keep one "
                       f"(write '{n.text} ({m.text})' at first mention if a gloss is needed)")
                out.append(self.finding("TERM-ACRONYM-EXPANSION", seg, start, n.end, msg, ("",)))
                break
        return out


_AMERICANIZE = (
    (re.compile(r"(?<=\w)ence\b"), "ense"),  # defence → defense, offence → offense
    (re.compile(r"(?<=\w)is(e|ed|es|ing|ation|ations)\b"), r"iz\1"),
    (re.compile(r"(?<=\w)our\b"), "or"),
    (re.compile(r"(?<=\w)tre\b"), "ter"),
    (re.compile(r"\badviser"), "advisor"),
    (re.compile(r"programme"), "program"),
)


def _variant_key(text: str) -> str:
    t = fold(text)  # (lower case, no accents, ł → l, ß → ss, as names are compared)
    for pat, rep in _AMERICANIZE:
        t = pat.sub(rep, t)
    return "".join(c for c in t if c.isalnum())


_SEP = re.compile(r"[ \-]+")


def _form_key(m: TermMatch) -> str:
    """The written form of a match, ignoring case and inflection but keeping the separators used."""
    words = _SEP.split(surface(m.term.text).lower())
    seps = _SEP.findall(surface(m.text))
    if len(seps) != len(words) - 1:
        return surface(m.term.text).lower()
    out = words[0]
    for sep, w in zip(seps, words[1:]):
        out += ("-" if "-" in sep else " ") + w
    return out


class InconsistentTermCheck(Check):
    rules = (
        RuleInfo(
            "TERM-INCONSISTENT", "Terminology/Inconsistent", Severity.MINOR,
            "One concept is written in two spelling variants in the same document.",
            good=(
                "The ceasefire collapsed, and a new ceasefire was agreed a week later.",
                "Member states and member countries agreed on the plan.",
                "U.S. troops arrived as U.S. officials met.",
            ),
            bad=(
                "The ceasefire collapsed, and a new cease-fire was agreed a week later.",
                "U.S. officials arrived as US diplomats met their allies.",
                "The defence posture was reviewed, and the Allies agreed on a stronger defense posture.",
            ),
        ),
    )

    def document(self, segs: Sequence[Segment], ctx: Context) -> Iterable[Finding]:
        if ctx.glossary is None:
            return []
        occurrences: dict[tuple, list[tuple[Segment, TermMatch, str]]] = defaultdict(list)
        for seg in segs:
            if not seg.target:
                continue
            lang = _target_lang(seg, ctx)
            for m in _matches(ctx, lang, seg.target):
                if m.term.status == "deprecated":
                    continue
                short = m.term.type in SHORT_TYPES
                form = _form_key(m)
                occurrences[(lang, m.concept.id, short, _variant_key(form))].append((seg, m, form))
        out = []
        for (lang, _cid, _short, _vk), occ in occurrences.items():
            counts = Counter(form for _, _, form in occ)
            if len(counts) < 2:
                continue
            first_pos: dict[str, int] = {}
            best_status: dict[str, int] = {}
            surface_of: dict[str, Counter] = defaultdict(Counter)
            rank = {"preferred": 0, "admitted": 1, "deprecated": 2}
            for k, (_, m, form) in enumerate(occ):
                first_pos.setdefault(form, k)
                best_status[form] = min(best_status.get(form, 9), rank[m.term.status])
                if not m.form:
                    surface_of[form][m.text] += 1
            winner = min(counts, key=lambda f: (-counts[f], best_status[f], first_pos[f]))
            display = surface_of[winner].most_common(1)[0][0] if surface_of[winner] else winner
            for seg, m, form in occ:
                if form == winner:
                    continue
                suggestion = display
                if m.form:
                    suggestion = inflections(display, lang, m.term.type).get(m.form, display)
                msg = (f"'{m.text}' is spelled '{display}' elsewhere in this document "
                       f"({counts[winner]} vs {counts[form]}); use one spelling")
                out.append(self.finding("TERM-INCONSISTENT", seg, m.start, m.end, msg, (suggestion,)))
        out.sort(key=lambda f: (f.segment, f.start))
        return out


class TermCaseCheck(Check):
    """A capitalised multi-word glossary term (a document or body name: Strategic Concept, North
    Atlantic Council) written in lower case. Titles are left alone: news style lower-cases "the
    prime minister" when no name follows."""

    rules = (
        RuleInfo(
            "TERM-CASE", "Terminology/Inappropriate", Severity.MINOR,
            "A capitalised glossary term (the name of a document or body) written in lower case.",
            good=(
                "NATO will adopt a new Strategic Concept at the summit.",
                "The prime minister said the talks went well.",
                "Every alliance needs a strategic plan.",
                "Spain's foreign ministry said the outbreak was under control.",
            ),
            bad=(
                'NATO will adopt a new "strategic concept" that sets out its guidelines.',
                "The allies agreed on the enhanced forward presence in the east.",
            ),
        ),
    )
    SKIP_KINDS = frozenset({"title", "person", "organization", "place"})

    def _automaton(self, ctx: Context, lang: str):
        key = ("term-case", lang, id(ctx.glossary), getattr(ctx.glossary, "version", 0))
        auto = ctx.cache.get(key)
        if auto is None:
            import ahocorasick

            auto = ahocorasick.Automaton()
            n = 0
            for c in ctx.glossary.concepts:
                if c.kind in self.SKIP_KINDS:
                    continue
                for t in c.allowed(lang):
                    words = t.text.split()
                    if len(words) < 2 or t.type == "acronym" or not all(w[:1].isupper() for w in words if w.isalpha()):
                        continue
                    low = t.text.lower()
                    forms = auto.get(low, None) if low in auto else None
                    auto.add_word(low, (forms or ()) + ((t.text, c),))
                    n += 1
            if n:
                auto.make_automaton()
            else:
                auto = False
            ctx.cache[key] = auto
        return auto

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        if ctx.glossary is None or not seg.target:
            return []
        lang = _target_lang(seg, ctx)
        auto = self._automaton(ctx, lang)
        if not auto:
            return []
        text = seg.target
        low = text.lower()
        out = []
        for end, entries in auto.iter(low):
            start = end - len(entries[0][0]) + 1
            if (start > 0 and text[start - 1].isalnum()) or (end + 1 < len(text) and text[end + 1].isalnum()):
                continue
            found = text[start:end + 1]
            if any(found == form for form, _ in entries) or not found.islower():
                continue  # written as in the glossary, or capitalised some other deliberate way
            form, concept = entries[0]
            out.append(self.finding("TERM-CASE", seg, start, end + 1,
                                    f"'{found}' is a name in the glossary: write '{form}'.", [form]))
        return out


TERMINOLOGY_CHECKS = (DeprecatedTermCheck, TermMismatchCheck, AcronymExpansionCheck, InconsistentTermCheck,
                      TermCaseCheck)
