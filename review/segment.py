"""Plain text → paragraphs → sentences, with exact character offsets into the input text.

Paragraphs are separated by blank lines; a single line break inside a paragraph is a space. A
sentence ends at ``.``, ``!`` or ``?`` (plus any closing quotes or brackets) followed by white space
and an upper-case letter, a digit or an opening quote — unless the word before the period is an
abbreviation ("U.S.", "Mr.", "Jan."), an initial ("J. Smith"), or a decimal ("$ 6.1 billion").
A paragraph that does not end in sentence punctuation and is a single short line is a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen lt col maj capt sgt adm gov sen rep rev hon pres supt
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    no nos vol vols fig figs p pp ed eds est approx dept univ inc ltd corp co bros vs etc al cf
    e.g i.e a.m p.m u.s u.k u.n e.u u.s.a d.c n.y l.a ph.d b.a m.a
    bt kft zrt nyrt gmbh srl sro s.r.o spol plc llc pty
    """.split()
)

_PARA_SPLIT = re.compile(r"(?:\r?\n|\r)[ \t\u3000]*(?:\r?\n|\r)(?:[ \t\u3000]*(?:\r?\n|\r))*")
_BOUNDARY = re.compile(
    r"""(?<![.!?。！？])(?P<end>[.!?。！？]+["'”’»)\]]*)(?P<ws>\s+)(?=["'“‘«(\[]?[A-Z0-9\u00C0-\u024F\u3040-\u30ff\u4e00-\u9fff])"""
)
_WINDOW = 100  # characters before a sentence mark in which its word is looked for
_CJK_BOUNDARY = re.compile(r"[。！？]+[」』）]*")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")
SENTENCE_END = ".!?。！？…"
CLOSERS = "\"'”’»)]」』）"


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    paragraph: int
    heading: bool = False


# Abbreviations that are also everyday words: in lower case and before a capitalised word, the
# period ends a sentence ("She sat. The room was quiet.", "They voted no. The bill failed."); "Sat.
# March 5" and "no. 5" stay abbreviations. "etc." closes a list, and before a capital almost always
# its sentence too ("health care, education, etc. Beijiang Province has decided …": 24 of 24 in the
# WMT MQM targets)
_WORD_ABBREVIATIONS = frozenset("sat sun no wed mar fig rep rev etc".split())


def is_abbreviation(before: str, next_char: str = "") -> bool:
    """``before`` is the text up to and including the final period of a candidate boundary;
    ``next_char``, when known, the first character of what follows it (an abbreviation that is also
    a word, in lower case, before a capital, is that word ending a sentence)."""
    m = _WORD_BEFORE.search(before)
    if not m:
        return False
    word = m.group(1)
    if word in _WORD_ABBREVIATIONS and next_char.isupper():
        return False
    low = word.lower().rstrip(".")
    if low in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():  # an initial: "J. Smith"
        return True
    if re.fullmatch(r"(?:[A-Za-z]\.)+[A-Za-z]", word):  # U.S. / e.g.
        return True
    return False


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """Offsets of non-blank paragraphs (leading/trailing white space excluded)."""
    spans = []
    pos = 0
    for m in _PARA_SPLIT.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        chunk = text[s:e]
        stripped = chunk.strip()
        if not stripped:
            continue
        lead = len(chunk) - len(chunk.lstrip())
        out.append((s + lead, s + lead + len(stripped)))
    return out


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence offsets within ``text[start:end]``."""
    end = len(text) if end is None else end
    chunk = text[start:end]
    cuts: list[int] = []
    for m in _BOUNDARY.finditer(chunk):
        # (only the word before the mark matters: a window, not the whole paragraph so far,
        # keeps a paragraph of many sentences linear)
        core = chunk[max(0, m.start() - _WINDOW): m.end("end")].rstrip(CLOSERS)
        if core.endswith(".") and not core.endswith("..") and is_abbreviation(core, chunk[m.end():m.end() + 1]):
            continue
        # "$ 6.1" cannot match (no white space after the period) — decimals stay whole.
        cuts.append(m.end("end"))
    # Japanese/Chinese full stops end a sentence even without a following space.
    for m in _CJK_BOUNDARY.finditer(chunk):
        if m.end() < len(chunk) and not chunk[m.end()].isspace():
            cuts.append(m.end())
    cuts = sorted(set(cuts))
    out = []
    pos = 0
    for c in cuts + [len(chunk)]:
        piece = chunk[pos:c]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            out.append((start + pos + lead, start + pos + lead + len(stripped)))
        pos = c
    return out


def is_heading(paragraph: str) -> bool:
    p = paragraph.strip()
    if not p or "\n" in p or len(p.split()) > 14:
        return False
    return p.rstrip(CLOSERS)[-1:] not in SENTENCE_END + ":;,"


def segment_text(text: str) -> list[Span]:
    spans: list[Span] = []
    for pi, (ps, pe) in enumerate(split_paragraphs(text)):
        if is_heading(text[ps:pe]):
            spans.append(Span(ps, pe, pi, True))
            continue
        for ss, se in split_sentences(text, ps, pe):
            spans.append(Span(ss, se, pi, False))
    return spans


def line_col(text: str, offset: int, _cache: dict | None = None) -> tuple[int, int]:
    """1-based line and column of ``offset`` in ``text`` (CRLF and CR count as one break)."""
    before = text[:offset]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    last = max(before.rfind("\n"), before.rfind("\r"))
    return line, offset - last
