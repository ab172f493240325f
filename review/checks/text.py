"""Monolingual target-text checks that are not simple patterns: quotation pairing, sentence case,
end punctuation, narrative voice, and title/name consistency across a document."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from operator import eq
from typing import Iterable, Sequence

from ..model import Finding, Segment, Severity
from ..segment import CLOSERS, SENTENCE_END
from .base import Check, Context, RuleInfo

_OPEN_CURLY, _CLOSE_CURLY = "“", "”"


def paragraphs(segs: Sequence[Segment]) -> list[list[Segment]]:
    """Group plain-text segments by paragraph; tabular segments stand alone."""
    out: list[list[Segment]] = []
    for s in segs:
        if s.start is not None and out and out[-1][0].start is not None and out[-1][0].paragraph == s.paragraph:
            out[-1].append(s)
        else:
            out.append([s])
    return out


class QuoteCheck(Check):
    rules = (
        RuleInfo("EN-QUOTE-001", "Fluency/Punctuation", Severity.MINOR,
                 "A quotation mark without its partner in the paragraph.",
                 good=('He said, "We will discuss the force." Then he left.',
                       '他说：“我们会坚持下去。 ||| He said, "We will stay the course.'),
                 bad=('We need the United States for security in Europe, so we should support it instead. "',
                      'He said, "We will stay the course.',
                      '他说：“我们会坚持下去。” ||| He said, "We will stay the course.')),
        RuleInfo("EN-QUOTE-002", "Fluency/Punctuation", Severity.MINOR,
                 "Space on the inner side of a quotation mark.",
                 good=('The word "soon" was repeated.',),
                 bad=('The word " soon " was repeated.',)),
    )

    @staticmethod
    def _balanced(text: str) -> bool:
        return text.count("“") == text.count("”") and text.count('"') % 2 == 0 and \
            text.count("「") == text.count("」") and text.count("『") == text.count("』")

    def document(self, segs: Sequence[Segment], ctx: Context) -> Iterable[Finding]:
        for para in paragraphs(segs):
            # A row of a table is one sentence of a longer text: a quotation may go on in the next
            # row. Pairing is only judged there when the source's own quotation marks pair up.
            single = len(para) == 1 and para[0].start is None
            if single and (para[0].source is None or not self._balanced(para[0].source)
                           or _quote_count(para[0].source) == _quote_count(para[0].target)):
                yield from self._spacing_only(para[0])
                continue
            stack: list[tuple[Segment, int]] = []  # open quotes (segment, offset)
            for seg in para:
                for m in _QUOTE_CHAR.finditer(seg.target):
                    i, ch = m.start(), m.group()
                    opening = ch == _OPEN_CURLY or (ch == '"' and not stack)
                    if opening:
                        stack.append((seg, i))
                        continue
                    if not stack:
                        yield self.finding("EN-QUOTE-001", seg, i, i + 1,
                                           "Closing quotation mark without an opening one.", [])
                        continue
                    oseg, oi = stack.pop()
                    yield from self._spacing(oseg, oi, seg, i)
            for seg, i in stack:
                t = seg.target
                trailing = t[i + 1:].strip() == ""
                if trailing and i > 0 and t[i - 1] == " ":
                    yield self.finding("EN-QUOTE-001", seg, i - 1, i + 1,
                                       "Stray quotation mark at the end of the paragraph.", [""])
                else:
                    yield self.finding("EN-QUOTE-001", seg, i, i + 1,
                                       "Quotation mark opened but never closed in this paragraph.", [])

    def _spacing_only(self, seg: Segment) -> Iterable[Finding]:
        t = seg.target
        open_at = None
        for m in _QUOTE_CHAR.finditer(t):
            i, ch = m.start(), m.group()
            if ch == _OPEN_CURLY or (ch == '"' and open_at is None):
                open_at = i
            elif open_at is not None:
                yield from self._spacing(seg, open_at, seg, i)
                open_at = None

    def _spacing(self, oseg: Segment, oi: int, cseg: Segment, ci: int) -> Iterable[Finding]:
        """One finding per badly spaced pair: `" greenhouse effect "` → `"greenhouse effect"`."""
        ot, ct = oseg.target, cseg.target
        open_bad = oi + 2 < len(ot) and ot[oi + 1] == " " and not ot[oi + 2].isspace()
        close_bad = ci >= 2 and ct[ci - 1] == " " and not ct[ci - 2].isspace()
        if not (open_bad or close_bad):
            return
        if oseg is cseg:
            inner = ot[oi + 1:ci].strip()
            yield self.finding("EN-QUOTE-002", oseg, oi, ci + 1,
                               "Space on the inner side of the quotation marks.",
                               [ot[oi] + _tidy_inner(inner) + ct[ci]])
            return
        if open_bad:
            yield self.finding("EN-QUOTE-002", oseg, oi + 1, oi + 2, "Space after an opening quotation mark.", [""])
        if close_bad:
            yield self.finding("EN-QUOTE-002", cseg, ci - 1, ci, "Space before a closing quotation mark.", [""])


_QUOTE_CHAR = re.compile('["“”]')


def _quote_count(text: str) -> int:
    return sum(text.count(q) for q in '"“”「」『』')


def _tidy_inner(inner: str) -> str:
    # `" greenhouse effect. "` → `"greenhouse effect."`
    return re.sub(r"\s+([.,;:!?])$", r"\1", inner)


_SENT_START = re.compile(r"(?:^|(?<=[.!?]\s)|(?<=[.!?][\"”’)]\s))[\"“‘]?(?P<w>[a-z][\w'’-]*)")
_LOWER_OK = frozenset("e.g i.e iphone ipad ipod ebay de van von der den la le du da di del dos das al el bin ibn".split())


class CaseCheck(Check):
    rules = (
        RuleInfo("EN-CASE-001", "Fluency/Spelling", Severity.MINOR,
                 "A sentence that starts with a lower-case letter.",
                 good=("Cyanuric acid was found.", "eBay reported higher sales.", "He left. Then he returned.",
                       "Shanghai Land (Group) Co., Ltd. (hereinafter Shanghai Land) bid.",
                       "(laughter) This lie is all over the place.",
                       "The report is published at chinanews.com every day.",
                       "The same happened to Ravenna Bt. or the Sportcamp of Kunfehértó."),
                 bad=("cyanuric acid and melamine were found.", "He left. then he returned.")),
    )

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        t = seg.target
        for m in _SENT_START.finditer(t):
            w = m.group("w")
            if t[m.end("w"):m.end("w") + 1] == "." and t[m.end("w") + 1:m.end("w") + 2].isalnum():
                continue  # a domain name: chinanews.com, www.example.org
            if w.lower().rstrip(".") in _LOWER_OK or (len(w) > 1 and any(c.isupper() for c in w[1:])):
                continue
            before = t[:m.start("w")].rstrip().rstrip("\"“‘(").rstrip()
            if before.endswith(".") and _after_abbreviation(before):
                continue
            yield self.finding("EN-CASE-001", seg, m.start("w"), m.end("w"),
                               f"Sentence starts with a lower-case letter: '{w}'.", [w[0].upper() + w[1:]])


def _after_abbreviation(before: str) -> bool:
    """``before`` ends with a period that belongs to an abbreviation (Co., Ltd., U.S., etc.): the
    segmenter's test, plus any single letter ("a. b. c." lists), not only an initial."""
    from ..segment import is_abbreviation

    return is_abbreviation(before) or re.search(r"(?<![A-Za-z.])[a-z]\.$", before) is not None


# what may close a sentence (the segmenter's marks, and ':'/';' before a list or quotation that
# the next line holds) and the quotes and brackets that may follow the mark
_CLOSERS = CLOSERS
_END_MARKS = SENTENCE_END + ":;"
_LAST_WORD_RE = re.compile(r"[\w%)$€£¥]+[" + re.escape(_CLOSERS) + r"]*$")


# A sentence of one or two sentence marks and nothing else ("." where a translation was lost)
_PUNCT_ONLY_RE = re.compile(r"\s*[\"“”'‘’(\[]?[.,;:!?。，、；：！？]{1,2}[\"“”'‘’)\]]?\s*")


class EndPunctuationCheck(Check):
    rules = (
        RuleInfo("EN-END-001", "Fluency/Punctuation", Severity.MINOR,
                 "A sentence (not a heading) without final punctuation.",
                 good=("The summit opened on Tuesday.", "Did it work?", 'He called it "a disaster."',
                       "The talks ended at 20:30 local time (15:00 UTC).", '"Did it work?" he asked. (It did.)'),
                 bad=("Cyanuric acid and melamine were both found in urine samples of pets who died after eating contaminated pet food",
                      'While half of the children live in poverty, he said, we cannot maximize short-term gains for "our creditors"',
                      "The start of the programme on the first day of the festival was at 20:30 local time (15:00 UTC)")),
        RuleInfo("EN-EMPTY-001", "Accuracy/Omission", Severity.MAJOR,
                 "A sentence that is nothing but a punctuation mark or two ('.'): its words are missing "
                 "(with a source, BI-EMPTY-001 says so).",
                 good=("The summit opened on Tuesday.", "* * *", "\"Wait...\" he said. \"Now?\""),
                 bad=(".", "The summit opened on Tuesday.\n\n.\n\nThe talks ended.")),
    )

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        if seg.source is not None:
            return
        if _PUNCT_ONLY_RE.fullmatch(seg.target):
            t = seg.target
            start = len(t) - len(t.lstrip())
            yield self.finding("EN-EMPTY-001", seg, start, len(t.rstrip()),
                               "A sentence that is only punctuation: its words are missing?", [""])
            return
        if seg.heading:
            return
        t = seg.target.rstrip()
        if not t or t.rstrip(_CLOSERS)[-1:] in _END_MARKS:
            return  # (a closing quotation mark or bracket after a final mark: 'said "no."', '(1995).')
        if len(t.split()) < 4:  # labels, captions, list items
            return
        m = _LAST_WORD_RE.search(t)
        if not m:
            return
        word = m.group(0)
        yield self.finding("EN-END-001", seg, m.start(), m.end(), "Sentence without final punctuation.", [word + "."])


_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I'd|I'll|I've|[Ww]e|[Oo]ur|[Uu]s|[Mm]y|[Mm]e|[Ww]e're|[Ww]e've|[Ww]e'll)\b")


class VoiceCheck(Check):
    """First person outside quotation marks, in a document that otherwise reports in the third
    person: Japanese reported speech (〜たい考えです, 〜方針です) rendered as if the writer spoke."""

    rules = (
        RuleInfo("EN-VOICE-001", "Accuracy/Mistranslation", Severity.MAJOR,
                 "First person outside quotation marks in third-person news.",
                 good=('The minister arrived on Monday. He said, "We will discuss the force we provide." '
                       'The talks ended on Tuesday. Officials agreed on a plan. The next meeting is in May.',),
                 bad=('US President Joe Biden reiterates his involvement in the defense of European allies. '
                      'I would like to proceed with the construction. The talks ended on Tuesday. '
                      'Officials agreed on a plan. The next meeting is in May.',)),
    )

    MIN_SENTENCES = 5
    MAX_SHARE = 0.25

    def document(self, segs: Sequence[Segment], ctx: Context) -> Iterable[Finding]:
        from ..engine import quoted_spans

        body = [s for s in segs if not s.heading and s.source is None]
        if len(body) < self.MIN_SENTENCES:
            return
        quotes = quoted_spans(segs)
        hits: dict[int, list[re.Match]] = {}
        for s in body:
            spans = quotes.get(s.index, [])
            ms = [m for m in _FIRST_PERSON.finditer(s.target)
                  if not any(a <= m.start() and m.end() <= b for a, b in spans)]
            if ms:
                hits[s.index] = ms
        if not hits or len(hits) / len(body) > self.MAX_SHARE:
            return  # a first-person text (interview, talk, blog): nothing to flag
        by_index = {s.index: s for s in segs}
        for idx, ms in hits.items():
            seg = by_index[idx]
            m = ms[0]
            yield self.finding(
                "EN-VOICE-001", seg, m.start(), m.end(),
                f"First person '{m.group(0)}' outside quotation marks in third-person reporting: "
                "Japanese reported intent (〜たい考え, 〜方針) rendered as the writer's own voice, or a quotation "
                "that lost its quotation marks. Name the subject (he, the administration) or restore the quote.", [])


# Titles that precede a person's name. The glossary adds its concepts of kind "title".
BASE_TITLES = (
    "President", "Vice President", "Prime Minister", "Deputy Prime Minister", "Secretary General",
    "Secretary-General", "Secretary of State", "Secretary of Defense", "Defense Secretary", "Defence Secretary",
    "National Security Adviser", "National Security Advisor", "Foreign Minister", "Defense Minister",
    "Defence Minister", "Chief Cabinet Secretary", "Chancellor", "King", "Queen", "Emperor", "Pope",
    "General", "Ambassador", "Governor", "Mayor", "Senator", "Minister", "Finance Minister", "Premier",
)
_QUALIFIER = r"(?:(?:U\.S\.|US|UK|NATO|EU|UN|Japanese|American|Russian|Ukrainian|Chinese|French|German|British|Spanish|[A-Z][a-z]+(?:an|ese|ish))\s+)?"
_NAME = r"(?P<name>(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+){0,2}[A-Z][a-z]+(?:-[A-Z][a-z]+)?)"


class TitleNameCheck(Check):
    rules = (
        RuleInfo("EN-NAME-001", "Accuracy/Mistranslation", Severity.MAJOR,
                 "One person named with two different titles, or one title given to different people, in one document.",
                 good=("President Biden spoke first. Later, President Biden met NATO leaders. "
                       "National Security Adviser Sullivan briefed reporters.",),
                 bad=("President Biden spoke first. Later, President Biden met NATO leaders. "
                      "US National Security Adviser Joe Biden said the talks went well. "
                      "US National Security Adviser Sullivan briefed reporters.",)),
    )

    def _titles(self, ctx: Context) -> list[str]:
        key = ("titles", id(ctx.glossary), getattr(ctx.glossary, "version", 0))
        if key in ctx.cache:
            return ctx.cache[key]
        titles = set(BASE_TITLES)
        g = ctx.glossary
        if g is not None:
            for c in getattr(g, "concepts", ()):
                if getattr(c, "kind", "") == "title":
                    for t in c.terms:
                        if t.lang == "en" and t.status != "deprecated" and t.text[:1].isupper():
                            titles.add(t.text)
        out = sorted(titles, key=len, reverse=True)
        ctx.cache[key] = out
        return out

    def document(self, segs: Sequence[Segment], ctx: Context) -> Iterable[Finding]:
        titles = self._titles(ctx)
        alt = "|".join(re.escape(t).replace(r"\ ", r"\s+").replace(r"\-", r"[-\s]") for t in titles)
        rx = re.compile(r"\b" + _QUALIFIER + r"(?P<title>" + alt + r")\s+" + _NAME + r"\b")
        firsts = {re.split(r"[-\s]", t, maxsplit=1)[0] for t in titles}  # a title can only start so
        mentions: list[tuple[Segment, re.Match, str, str]] = []
        for s in segs:
            if not any(f in s.target for f in firsts):
                continue
            for m in rx.finditer(s.target):
                title = re.sub(r"[-\s]+", " ", m.group("title"))
                surname = m.group("name").split()[-1]
                mentions.append((s, m, title, surname))
        if len(mentions) < 2:
            return
        titles_of: dict[str, Counter] = defaultdict(Counter)
        names_of: dict[str, Counter] = defaultdict(Counter)
        for _, _, title, surname in mentions:
            titles_of[surname][title] += 1
            names_of[title][surname] += 1
        # Generic titles ("Minister", "General") are shared by many people: only check a person's titles.
        flagged: set[tuple[int, int]] = set()
        for seg, m, title, surname in mentions:
            counts = titles_of[surname]
            if len(counts) < 2:
                continue
            top, top_n = counts.most_common(1)[0]
            if title == top or counts[title] >= top_n or self._compatible(title, top):
                continue
            others = [n for n in names_of[title] if n != surname]
            hint = f" ('{title}' is given to {others[0]} elsewhere)" if others else ""
            key = (seg.index, m.start("name"))
            if key in flagged:
                continue
            flagged.add(key)
            sugg = [m.group("title") + " " + others[0]] if others else []
            yield Finding(
                rule="EN-NAME-001", segment=seg.index, start=m.start("title"), end=m.end("name"),
                text=seg.target[m.start("title"):m.end("name")], category="Accuracy/Mistranslation",
                severity=Severity.MAJOR,
                message=f"{surname} is '{top}' elsewhere in this document but '{title}' here{hint}: a name or title was mistranslated.",
                suggestions=tuple(sugg))

    @staticmethod
    def _compatible(a: str, b: str) -> bool:
        a, b = a.lower(), b.lower()
        return a in b or b in a


# Reduplications that are words or names in their own right.
REDUPLICATIONS = frozenset(
    """had had|that that|is is|bye bye|no no|very very|so so|yeah yeah|ha ha|blah blah|bla bla|knock knock|
    tut tut|chop chop|boo boo|bora bora|walla walla|pago pago|sing sing|duran duran|mahi mahi|baden baden|
    cous cous|tom tom|dum dum|ylang ylang|can can|din din|aye aye|la la|na na|ta ta|yo yo|wagga wagga|
    more and more and|bit by bit|tsk tsk|hush hush|pom pom|choo choo|beri beri|ack ack|gee gee|murmur murmur"""
    .replace("\n", "").replace("    ", "").split("|")
)
# "more and more", "bigger and bigger and", "face to face to": a phrase built on a linking word
_LINKERS = frozenset("and or by to after upon for than".split())


_ONE_SYLLABLE = re.compile(r"(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?[aeiouv]{1,3}(?:n|ng|r)?", re.I)


def _reduplicated_name(word: str) -> bool:
    """Chinese given names repeat one syllable: "Ni Ni", "Li Li", "Lang Lang", "Bing Bing"."""
    from .spelling import is_pinyin

    return (word[:1].isupper() and word[1:].islower() and len(word) <= 4
            and _ONE_SYLLABLE.fullmatch(word) is not None and is_pinyin(word))


_CHUNK = re.compile(r"\S+")
_PARTS = re.compile(r"^([\"'“‘(\[]*)(.*?)([)\]\"'”’.,;:!?]*)$", re.S)


class RepeatCheck(Check):
    """Repeated words and two-word phrases ("food food", "in the in the"). A code check rather than
    a regex: a back-reference regex tried at every word costs ten times more."""

    rules = (
        RuleInfo("EN-REPEAT-001", "Fluency/Grammar", Severity.MINOR, "A word repeated.",
                 good=("What he had had was not enough.", "He said that that was wrong.",
                       "The inspector is played by Ni Ni in the new film.",
                       "What it is is a question of trust.", "He went to Paris. Paris was cold.",
                       "It sounds like ding, ding, ding.", "The inspector is directed by his ex-girlfriend Ni Ni.",
                       "They flew to Bora Bora for the holiday.", "The agreement was signed in Baden-Baden."),
                 bad=("Pets died after eating contaminated pet food food.", "Most goods are duty free free free free.",
                      "The death toll has surpassed 100 100.", "It covered the Tibet Autonomous Region Region.",
                      "It is the Shanxi Comprehensive Reform Demonstration Zone Zone.",
                      "It was followed by Brazil (2.3 million) and India (1.3 million) million).",
                      "The colour depends on how acidic the chemical is is.",
                      "The average wage in 2019 was CZK 34,125 34,125.",
                      "It is found in the Zagros Mountains of Iran Iran.",
                      "The the summit opened on Tuesday.")),
        RuleInfo("EN-REPEAT-002", "Fluency/Grammar", Severity.MINOR, "A two-word phrase repeated.",
                 good=("The leaders met in the capital.", "It grew more and more popular."),
                 bad=("The leaders met in the in the capital.",)),
    )

    _STRIP = str.maketrans("", "", "\"'“”‘’()[].,;:!?")

    @classmethod
    def _maybe(cls, t: str) -> bool:
        """Cheap screen: is any word (or word pair) followed by itself?"""
        w = t.lower().translate(cls._STRIP).split()
        if any(map(eq, w, w[1:])):  # map in C: the screen runs on every segment
            return True
        if not any(map(eq, w, w[2:])):
            return False
        return any(a == c and b == d for a, b, c, d in zip(w, w[1:], w[2:], w[3:]))

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        t = seg.target
        if not self._maybe(t):
            return
        chunks = []  # (start, core_start, core_end, core_lower, lead, trail)
        for m in _CHUNK.finditer(t):
            lead, core, trail = _PARTS.match(m.group()).groups()
            cs = m.start() + len(lead)
            chunks.append((m.start(), cs, cs + len(core), core.lower(), lead, trail))
        n = len(chunks)
        # run_end[i]: the end of the run of one word that starts at chunk i, from links between
        # neighbours (the same word, no opening mark, no comma or stop between them), computed
        # backwards once: "very very very …" 40,000 times stays linear
        run_end = [n] * n
        for k in range(n - 2, -1, -1):
            w, trail, nxt = chunks[k][3], chunks[k][5], chunks[k + 1]
            linked = (w and nxt[3] == w and not nxt[4] and nxt[5].startswith(trail)
                      and any(ch.isalnum() for ch in w) and not any(ch in ",.;:!?" for ch in trail))
            run_end[k] = run_end[k + 1] if linked else k + 1
        i = 0
        while i < n - 1:
            _, cs, ce, w, _, trail = chunks[i]
            j = run_end[i]
            if j > i + 1:
                final = any(ch in ".!?" for ch in chunks[j - 1][5])  # "… chemical is is." is never right
                first = t[cs:ce]
                if not _reduplicated_name(first) and (final or f"{w} {w}" not in REDUPLICATIONS):
                    end = chunks[j - 1][2]
                    yield self.finding("EN-REPEAT-001", seg, cs, end, f"Repeated word: '{t[cs:end]}'.", [first])
                    i = j
                    continue
            if i + 3 < n:
                a, b, c, d = (chunks[k][3] for k in range(i, i + 4))
                plain = all(not chunks[k][5] for k in range(i, i + 3)) and all(not chunks[k][4] for k in range(i + 1, i + 4))
                if (plain and a == c and b == d and a != b and a not in _LINKERS and b not in _LINKERS
                        and a.isalpha() and b.isalpha()):
                    phrase = f"{a} {b}"
                    if f"{phrase} {a}" not in REDUPLICATIONS and f"{phrase} {phrase}" not in REDUPLICATIONS \
                            and not any(x.startswith(phrase + " ") for x in REDUPLICATIONS):
                        end = chunks[i + 3][2]
                        yield self.finding("EN-REPEAT-002", seg, cs, end, f"Repeated phrase: '{t[cs:end]}'.",
                                           [t[cs:chunks[i + 1][2]]])
                        i += 4
                        continue
            i += 1
