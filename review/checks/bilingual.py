"""Source/target comparison checks: numbers, empty or untranslated targets, end punctuation,
question form and punctuation the source has no counterpart of.

Everything here needs the source (``needs_source = True``) and compares the English target with
it; nothing here judges English style on its own.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from typing import Iterable, NamedTuple, Sequence

import regex

from ..langid import script_guess
from ..lexicons import FrequencyTable, frequency_table
from ..model import Finding, Segment, Severity
from ..numbers import NumberMention, extract_numbers, format_number, numbers_agree
from ..numbers import cached_regex as _rx
from ..wordshape import SLAVIC_RE, foreignness
from .base import Check, Context, RuleInfo, at_sentence_start, search_before, whole_word
from .spelling import (_doc_names, _glossary_words, _lookup, _one_edit_candidates, far_from_english, is_english_word,
                       lexicon)

__all__ = ["BilingualCheck"]

# Letters of scripts English does not use (Greek is left alone: α, β, μ occur in English science).
_FOREIGN = r"[\p{L}\p{M}--\p{Latin}--\p{Greek}--\p{Common}]"
_FOREIGN_RUN_RE = regex.compile(
    rf"{_FOREIGN}(?:[{_FOREIGN[1:-1]}ー々〆・]|[\s\-](?={_FOREIGN}))*", regex.V1)
_FOREIGN_LETTER_RE = regex.compile(_FOREIGN, regex.V1)
_ASCII_CHARS = frozenset(map(chr, range(128)))


@lru_cache(maxsize=8192)
def _foreign_letter(ch: str) -> bool:
    """Whether ``ch`` can start a _FOREIGN_RUN_RE match (testing a text's few non-ASCII characters
    is much cheaper than running the regex over it)."""
    return _FOREIGN_LETTER_RE.match(ch) is not None


_WORD_RE = regex.compile(r"[\p{L}\p{M}]+(?:['’][\p{L}\p{M}]+)*")
_SRC_WORD_RE = regex.compile(r"[\p{L}\p{M}]+")

_SENT_END = ".。!！?？…।"
_CLOSERS = "\"'”’»」』）)]】〕>›“‘"  # (“ and ‘ close German quotations: „so“)
_BRACKET_CLOSERS = ")]）】〕"
_DEVANAGARI_RE = regex.compile(r"\p{Devanagari}")
_EN_END = {".": ".", "。": ".", "!": "!", "！": "!", "?": "?", "？": "?", "…": "…", "।": "."}
_QUESTION = "?？"
_AUX = "Do|Does|Did|Is|Are|Was|Were|Has|Have|Can|Could|Will|Would|Shall|May|Might|Must"
_SUBJ = ("the|a|an|this|that|these|those|it|he|she|they|we|you|I|there|his|her|its|their|our|my|your|"
         "some|many|most|all|several")
_OPENERS = "In|On|At|By|For|After|Before|During|Since|Last|This|Next|Earlier|Later"
_AUX_Q_RE = regex.compile(
    rf"^[\"“‘']?(?:(?:{_AUX})\s+\p{{Ll}}+|(?:{_OPENERS})\b"
    rf"[^,]{{0,60}},\s*(?:{_AUX.lower()})\s+(?:(?i:{_SUBJ})|\p{{Lu}}\w*))\b")
# The words a text _AUX_Q_RE matches starts with (after a quotation mark), by first letter: a
# test that rules most texts out for a fraction of the match.
_AUX_Q_STARTS: dict[str, tuple[str, ...]] = {}
for _w in f"{_AUX}|{_OPENERS}".split("|"):
    _AUX_Q_STARTS[_w[0]] = _AUX_Q_STARTS.get(_w[0], ()) + (_w,)

# Marks whose counterpart in the source must exist, with the source characters that count.
_COUNTERPART = {
    "!": "!！¡",
    ";": ";；",
    ":": ":：",
    "~": "~～〜",
    "_": "_＿",
    "@": "@＠",
    "^": "^＾",
    "?": "?？¿",
}
_FUNC = ("the|a|an|of|to|in|on|at|by|for|with|from|and|or|is|are|was|were|be|been|has|have|had|its|"
         "their|his|her|our|my|your|this|these|those|very|more|most|than|such|not|will|would|can|could|"
         "may|might|should|must|that|which|who")
_FUNC_BEFORE_RE = regex.compile(rf"(?i)\b(?:{_FUNC})$")
_FUNC_AFTER_RE = regex.compile(r"\s+(?:of|to|that|which|for|with|from|by|at|on|as|than|is|are|was|were)\b")
# ... except where it opens a connective that starts the next clause ("; on the contrary, ...")
_CONNECTIVE_AFTER_RE = regex.compile(
    r"\s+(?:on the contrary|on the other hand|at the same time|at the moment|as a result|as well|"
    r"for example|for instance|by contrast|by the way|that is|as such)\b")
# A headline's source after its final mark: "Can they spark again? - Xinhua"
_SOURCE_SUFFIX_RE = regex.compile(r"[\"”’)]?\s+[-–—|]\s+\p{Lu}[^.!?]*$")
# Words that may open a clause or a list after ';' or ':' (anything else continues the phrase the
# mark cut: "the chief; engraver", "a screaming: mob"), and nouns that announce a list ("two
# parts: red industry and ...").
_CLAUSE_OPENERS = (
    "the|a|an|this|that|these|those|it|its|he|she|they|we|i|you|his|her|their|our|my|your|there|here|"
    "in|on|at|by|for|with|from|to|of|as|after|before|since|until|while|when|where|which|who|whose|whom|"
    "what|and|but|or|nor|so|yet|if|because|although|though|however|therefore|thus|hence|meanwhile|"
    "instead|otherwise|moreover|furthermore|also|then|now|not|no|none|nothing|some|many|most|all|each|"
    "every|both|one|two|three|four|five|six|seven|eight|nine|ten|first|second|third|only|even|just|"
    "under|over|during|through|between|among|about|against|without|within|including|such|more|less|"
    "other|another|any|is|are|was|were|be|been|has|have|had|will|would|can|could|should|may|might|"
    "must|do|does|did|see|namely|mainly|mostly|especially|particularly|respectively|according|due|"
    "despite|unlike|like|whether|how|why|either|neither|please|note|say|says|said")
_LIST_INTRO = (
    "said|says|told|added|stated|noted|explained|following|follows|include|including|includes|are|is|"
    "was|were|be|namely|example|instance|note|reads|read|asked|wrote|announced|as|parts|aspects|"
    "points|ways|areas|steps|categories|types|kinds|measures|tasks|reasons|questions|goals|"
    "principles|levels|stages|routes|groups|sections|items|elements|factors|things|fields")
_SPLIT_AFTER_RE = regex.compile(rf"\s+(?!(?:{_CLAUSE_OPENERS})\b)\p{{Ll}}")
_LIST_INTRO_RE = regex.compile(rf"\b(?:{_LIST_INTRO})$")


def _splits_phrase(text: str, i: int) -> bool:
    """The ';' or ':' at ``i`` sits between a lower-case word and a lower-case word that cannot
    open a clause or a list ("Rangers monitor shooters: participating in", "the chief; engraver"):
    it cuts a phrase in two rather than joining two clauses."""
    if not text[i - 1:i].islower() or not _SPLIT_AFTER_RE.match(text, i + 1):
        return False
    return not (text[i] == ":" and search_before(_LIST_INTRO_RE, text, i))


_GLUED = "the|a|an|of|its|their|our|my|your|than|from|with|into|onto|whose|every|each"
# Each alternative starts with the mark itself and looks behind from there: a regex that starts
# with a look-behind is tried at every position (7x slower on news sentences).
_MARK = r"[,.:;'\"?!\-]"
_GLUED_RE = regex.compile(
    rf"(?={_MARK}\s+\p{{L}})"  # what all alternatives need: rules out most positions at once
    rf"(?:(?P<mark>{_MARK})(?<=(?<![\p{{L}}'’.-])(?:{_GLUED}|The|A|An){_MARK})(?<!\b[A-Z]{_MARK})(?=\s+\p{{Ll}})"  # after a function word
    r"|(?P<mark>')(?<=\p{Ll}\p{Ll}')(?<![sS]')(?=\s+\p{L})"  # a closing ' after a word not ending in s
    r"|(?P<mark>')(?<=\p{Ll}[sS]')(?=\s+(?:in|on|at|of|to|the|a|an|is|are|was|were|for|with|by|from|that|which)(?![\w'’-]))"  # "tariffs' in": a possessive needs a noun
    r"|(?P<mark>-)(?<=\p{Ll}\p{Ll}-)(?=\s+(?!and\b|or\b|to\b|und\b)\p{L})"  # "problem- with", "Max- Kolonko"
    r"|(?P<mark>\.)(?<=(?<![\p{L}'’.-])(?:of|the|a|an|with|from|by|and|or)\.)(?=\s+\p{Lu})"  # "the fact. John"
    r"|(?P<mark>\.)(?<=\p{Ll}{3}\.)(?<!\b(?:etc|approx|incl|vs|no|cf|al|ca)\.)(?=\s+\p{Ll}))")  # "there. were"
# _GLUED_RE costs ~10x more where it starts trying (at each mark before a space) than a few
# string tests: in ASCII text it is only tried where those find what one of its alternatives needs.
# Translated, ASCII text shows lower- and upper-case letters as "a" and "A", the whitespace \s
# matches as " ", the marks as "#" and anything else as "|".
_GLUE_BYTES = bytes(
    97 if 97 <= c <= 122 else 65 if 65 <= c <= 90 else 32 if chr(c) in " \t\n\v\f\r"
    else 35 if chr(c) in _MARK[1:-1].replace("\\", "") else 124 for c in range(256))
_GLUED_WORDS = frozenset(_GLUED.split("|") + ["The", "A", "An"])
_GLUED_PERIOD_WORDS = frozenset("of the a an with from by and or".split())


def _glued_marks(text: str) -> Iterable[regex.Match]:
    """``_GLUED_RE.finditer(text)``, the same matches."""
    if not text.isascii():
        return _GLUED_RE.finditer(text)
    b = text.encode("ascii").translate(_GLUE_BYTES)
    found = []
    p = b.find(b"# ")
    while p >= 0:
        if _may_glue(text, b, p):
            m = _GLUED_RE.match(text, p)
            if m:
                found.append(m)
        p = b.find(b"# ", p + 2)
    return found


def _may_glue(text: str, b: bytes, p: int) -> bool:
    """False only when _GLUED_RE cannot match at the mark ``p`` (followed by whitespace) of ASCII
    ``text`` (``b`` is it translated by _GLUE_BYTES)."""
    after = b[p + 2:p + 3]
    if after == b" ":
        return True  # more whitespace: left to the regex
    mark = text[p]
    if after != b"a":  # only these alternatives take an upper-case letter next
        if after != b"A":
            return False
        if mark in "'-":
            return b[p - 2:p] == b"aa"
        if mark == ".":  # a period after a lower-case function word
            return _word_before(text, b, p, 4, b"a") in _GLUED_PERIOD_WORDS
        return False
    if mark in "'-" and b[p - 2:p] == b"aa" or mark == "." and b[p - 3:p] == b"aaa":
        return True
    return _word_before(text, b, p, 5, b"aA") in _GLUED_WORDS  # a function word, whole


def _word_before(text: str, b: bytes, p: int, longest: int, letters: bytes) -> str:
    """The whole word of ``letters`` (classes of _GLUE_BYTES) that ends at ``p`` in ASCII ``text``
    if it has at most ``longest`` characters, else ""."""
    window = longest + 1
    n = min(p, window) - len(b[max(0, p - window):p].rstrip(letters))
    return text[p - n:p] if 0 < n < window else ""


_DOUBLED_RE = regex.compile(r",\s*,|\.(?<!\.\.)\.(?!\.)")  # doubled commas or periods, not an ellipsis
# The standard library's re finds a literal far faster than regex: a quick test before _DOUBLED_RE
# (its \s is wider than regex's, so it misses nothing)
_COMMAS_RE = re.compile(r",\s*,")
# Searched from the end ((?r)): the same match as a forward search, which would try every position.
_LAST_WORD_RE = regex.compile(r"(?r)([\p{L}\p{M}]+)\W*$")  # the last word, before non-word characters
_ENDS_SENTENCE_RE = regex.compile(r"(?r)[.!?]\s*$")
_LAST_TOKEN_RE = regex.compile(r"(?r)\S+$")
_QUOTES_ANY = "\"“”„«»「」『』‹›‚〝〞＂"

_lock = threading.Lock()
_LEXICONS: dict[str, FrequencyTable] = {}
_HAS_LEXICON = {"de", "fr", "es", "it", "pt", "ru", "nl"}


def _source_lexicon(lang: str | None) -> tuple[FrequencyTable | dict, int]:
    """pyspellchecker's word list for a source language (word → frequency) and its total. Cut to
    what this check tells apart, which loads in milliseconds: frequencies above 50 (German) and
    100, and German words with an umlaut or ß at any frequency."""
    if lang not in _HAS_LEXICON:
        return {}, 1
    if lang not in _LEXICONS:
        with _lock:
            if lang not in _LEXICONS:
                _LEXICONS[lang] = frequency_table(lang, above=50, keep_chars="äöüß")
    table = _LEXICONS[lang]
    return table, table.total


@lru_cache(maxsize=65536)
def _source_frequency(word: str, lang: str | None) -> int:
    """The frequency of lower-case ``word`` in the source language's list (0 if absent)."""
    return _source_lexicon(lang)[0].get(word, 0)


_EN_TOTAL: list[int] = []


def _more_foreign_than_english(word: str, lang: str | None) -> bool:
    """Whether ``word`` is much more frequent in the source language than in English ("que",
    "case" in Italian, "detalles")."""
    f = _source_frequency(word.lower(), lang)
    if f <= 100:
        return False
    en = lexicon()
    if not _EN_TOTAL:
        _EN_TOTAL.append(max(1, sum(en.values())))
    return f / _source_lexicon(lang)[1] > 20 * en.get(word.lower(), 0) / _EN_TOTAL[0]


# A German article or determiner, perhaps with an adjective, right before a word ("die Saison",
# "einem schreienden Mob", "letzten Monat"); not the contractions (im, am, zum) that mostly come
# before place names
_GERMAN_DETERMINER_BEFORE = regex.compile(
    r"\b(?i:der|die|das|den|dem|des|ein|eine|einer|einem|einen|eines|kein|keine|keinen|keinem|keiner|"
    r"mein|meine|meinen|sein|seine|seinen|seinem|seiner|ihr|ihre|ihren|ihrem|ihrer|unser|unsere|unseren|"
    r"diese|dieser|diesen|diesem|dieses|jede|jeder|jeden|jedem|alle|allen|viele|vielen|letzten|letzte|"
    r"nächsten|nächste|vergangenen)\s+(?:\p{Ll}+\s+)?$")


def _occ_start(src: str, word: str) -> int:
    """Where ``word`` first occurs in ``src`` as a whole word (else 0)."""
    m = whole_word(word).search(src)
    return m.start() if m else 0


@lru_cache(maxsize=4096)
def _source_words(src: str) -> tuple[dict[str, list[tuple[int, str]]], frozenset[bytes]]:
    """The words of a source by lower-case form, each with its index and spelling, and the ASCII
    ones of two letters or more (shorter ones are never flagged) as bytes. Cached: a document
    often repeats a source (several translations of it)."""
    src_lower: dict[str, list[tuple[int, str]]] = {}
    for i, w in enumerate(_SRC_WORD_RE.findall(src)):
        src_lower.setdefault(w.lower(), []).append((i, w))
    return src_lower, frozenset(k.encode("ascii") for k in src_lower if k.isascii() and len(k) > 1)


# Cuts ASCII text into its lower-cased letter runs (the words _SRC_WORD_RE finds there) by split().
_ASCII_LETTER_WORDS = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 else 32 for c in range(256))
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")


def _ascii_word_spans(tgt: str, words: Iterable[bytes]) -> list[tuple[int, int]]:
    """Where in ASCII ``tgt`` _WORD_RE finds one of ``words`` (lower-case letters, as bytes), in
    order: whole letter runs not joined to another by an apostrophe ("don't", "l'Italia")."""
    low = tgt.lower()
    n = len(low)
    spans = []
    for w in words:
        w = w.decode("ascii")
        i = low.find(w)
        while i >= 0:
            j = i + len(w)
            if ((i == 0 or low[i - 1] not in _ASCII_LETTERS) and (j == n or low[j] not in _ASCII_LETTERS)
                    and not (low[i - 1:i] == "'" and low[i - 2:i - 1] in _ASCII_LETTERS)
                    and not (low[j:j + 1] == "'" and low[j + 1:j + 2] in _ASCII_LETTERS)):
                spans.append((i, j))
            i = low.find(w, j)
    spans.sort()
    return spans


@lru_cache(maxsize=4096)
def _source_numbers(src: str, lang: str) -> tuple[tuple[NumberMention, ...], frozenset[float]]:
    """``extract_numbers`` of a source and all the values they can have, cached like
    ``_source_words``."""
    mentions = tuple(extract_numbers(src, lang))
    return mentions, frozenset(v for n in mentions for v in n.values)


class _Source(NamedTuple):
    """What the rules ask of a source text."""

    comparable: bool  # has a letter or a digit: something to compare the target with
    letters: bool  # has a letter
    stripped: str  # without surrounding whitespace
    latin: bool  # in Latin script (its words can be left in the target)
    last: str  # the last character before closing quotes and brackets ("" if none)
    question: bool  # a question mark anywhere
    marks: frozenset[str]  # the marks of _COUNTERPART it has a counterpart of
    single_quote: bool  # a single quotation mark or apostrophe, any form
    digits: bool  # a digit of any script (its numbers must reach the target)


@lru_cache(maxsize=4096)
def _source(src: str) -> _Source:
    """Cached: a document often repeats a source (several translations of it)."""
    letters = _has_letters(src)
    digits = _rx(r"\d").search(src) is not None
    s_end = _strip_closers(src)
    if s_end.endswith("|") and _DEVANAGARI_RE.search(s_end):
        s_end = s_end[:-1] + "।"  # a danda typed as a vertical bar
    return _Source(
        letters or digits,
        letters,
        src.strip(),
        script_guess(src) == "latin",
        s_end[-1:] if s_end else "",
        any(q in src for q in "?？¿"),
        frozenset(ch for ch, counterparts in _COUNTERPART.items() if any(c in src for c in counterparts)),
        any(q in src for q in "'‘’‚‹›"),
        digits,
    )


@lru_cache(maxsize=65536)
def _english_here(word: str, lang: str | None) -> tuple[bool, bool]:
    """Whether lower-case ``word`` is English (is_english_word, which ignores case), and if so,
    whether it is much more frequent in the source language (_more_foreign_than_english)."""
    english = _english_token(word)
    return english, english and _more_foreign_than_english(word, lang)


@lru_cache(maxsize=65536)
def _always_english(word: bytes, lang: str | None) -> bool:
    """Whether _copied_words takes lower-case ASCII ``word`` for English in any case: its target
    occurrences need not be looked for."""
    english, more_foreign = _english_here(word.decode("ascii"), lang)
    return english and not more_foreign


def _strip_closers(s: str) -> str:
    s = s.rstrip()
    n = len(s)
    while n and (s[n - 1] in _CLOSERS or s[n - 1].isspace()):
        n -= 1
    return s[:n]


def _may_be_aux_question(s: str) -> bool:
    """False only when _AUX_Q_RE cannot match ``s``."""
    if s[:1] in "\"“‘'":
        s = s[1:]
    return s.startswith(_AUX_Q_STARTS.get(s[:1], ()))


def _has_letters(s: str) -> bool:
    return s[:1].isalpha() or any(ch.isalpha() for ch in s)  # (most texts start with a letter)


@lru_cache(maxsize=50_000)
def _english_token(tok: str) -> bool:
    return is_english_word(tok)


_KNOWN_CODE_RE = regex.compile(r"(?i)\b(?:covid-19|sars-cov-2|h1n1|h5n1|g7|g8|g20|5g|4g|3d|mp3|mp4|mh17|mh370)\b")
# Each code of _KNOWN_CODE_RE has a digit right after "-", h, g or p, or right before g or d
# (either case; no other character matches those case-insensitively): a test on bytes where all
# of those read "a" and digits "0" rules out most texts for a fraction of the search.
_CODE_BYTES = bytes(97 if chr(c) in "-hgpdHGPD" else 48 if 48 <= c <= 57 else 32 for c in range(256))


def _known_code(text: str) -> bool:
    b = text.encode("ascii", "replace").translate(_CODE_BYTES)
    return (b"a0" in b or b"0a" in b) and _KNOWN_CODE_RE.search(text) is not None


_FLAG_WORDS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
               "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
               "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
               "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}


# ASCII text as lower-case words (\w runs) between spaces, digits and "_" written "0"
_NUMBER_BYTES = bytes(c + 32 if 65 <= c <= 90 else c if 97 <= c <= 122 else 48 if 48 <= c <= 57 or c == 95 else 32
                      for c in range(256))
_FLAG_TOKENS = frozenset(w.encode("ascii") for w in _FLAG_WORDS)


def _flaggable_word(n: NumberMention) -> bool:
    """English number words worth comparing with the source: plain cardinals and ordinals above
    one ("one", "second", "half", "both" have other senses)."""
    w = n.text.lower()
    if len(w.split()) > 1:  # (str.split's whitespace includes regex's \s)
        w = _rx(r"\s+(?=hundred|thousand|million|billion|trillion)").split(w)[0]
    w = w.replace(" ", "-")
    return w in _FLAG_WORDS or ("-" in w and all(p in _FLAG_WORDS or p in {
        "one", "first", "second"} for p in w.split("-")))


_OPENER_WORDS = frozenset("""last next this that these those the a an every each some many most all no
one two three four several few other another such his her its their our my your in on at by for
from with without after before during since until under over about between among through into
like unlike despite although though while when where if as so but and or yet also only even still
first second third""".split())  # closed-class words and ordinals: never the first part of a name


def _prev_capitalised(tgt: str, start: int) -> bool:
    """Whether a capitalised word ends right before ``start`` in the same sentence."""
    prev = search_before(_LAST_WORD_RE, tgt, start)
    if not (prev and prev.group(1)[:1].isupper() and prev.end(1) >= start - 2
            and not search_before(_ENDS_SENTENCE_RE, tgt, start)):
        return False
    # a common English word capitalised only because it opens the sentence ("Last Monat, …")
    return not (at_sentence_start(tgt, prev.start(1)) and prev.group(1)[1:].islower()
                and prev.group(1).lower() in _OPENER_WORDS)


def _next_capitalised(tgt: str, end: int) -> bool:
    """Whether a capitalised word starts right after ``end``, in the same phrase ("Dennoch,
    Spanish ..." is a word and the next clause, not a two-word name)."""
    nxt = _rx(r"\W*([\p{L}\p{M}]+)").match(tgt[end:])
    return bool(nxt and nxt.group(1)[:1].isupper() and nxt.start(1) <= 2
                and not any(c in ",;:.!?" for c in tgt[end:end + nxt.start(1)]))


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
# what comes before the year of a date: "July 26, ", "26 July ", "26th of July ", "July "
_DATE_BEFORE_YEAR_RE = regex.compile(
    rf"(?:\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s*|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?"
    rf"(?:{_MONTHS})\.?,?\s*|\b(?:{_MONTHS})\.?,?\s+)$")
_CODE_BEFORE_RE = regex.compile(r"(?<![\w-])[A-Z][A-Za-z]*-?$")  # CCTV-2, COVID-19s, F-16, A4
_CODE_IN_SOURCE_RE = regex.compile(r"(?<!\p{L})(\p{L}+)-?\s?\d")  # the letters of a code in the source
_FIRST_RE = regex.compile("首[届屆次个個位批场場轮輪度家]")
# digits before a counter word (persons, days, years, times, pieces …), not a date's 月 or 日
_COUNTED_DIGITS_RE = regex.compile(
    r"[0-9０-９]+\s?(?:人|名|日間|か月|カ月|ヶ月|箇月|年間|回|個|件|つ|歳|倍|頭|匹|本|枚|台|个|天|次|位|只|头|辆|架|岁|周)")


def _unremarkable(n: NumberMention, tgt: str, src: str, snums, lang: str | None) -> bool:
    """Target numbers that are not in the source for a harmless reason: part of a name or code
    ("CCTV-2" for 央视财经频道), the year a translation adds to a date the source gives without
    one (a dateline's 7月26日 → "July 26, 2020"), "1st" for 首届/首次."""
    code = _CODE_BEFORE_RE.search(tgt[max(0, n.start - 12):n.start]) if n.start else None
    if code and code.group().rstrip("-").lower() not in {w.lower() for w in _CODE_IN_SOURCE_RE.findall(src)}:
        return True  # a code the source writes in words; the same code in the source is compared
    if (1900 <= n.value <= 2100 and n.value == int(n.value) and not any(s.value >= 1000 for s in snums)
            and _DATE_BEFORE_YEAR_RE.search(tgt[max(0, n.start - 30):n.start])):
        return True
    return n.value == 1 and (lang or "") in ("zh", "ja") and _FIRST_RE.search(src) is not None


_CODE_LETTER_RE = regex.compile(r"[\p{Latin}\p{Cyrillic}\p{Greek}]")  # digits glued to it: "km2", "G7"
# what follows a number that is not a count the target must repeat: a decade ("50ern", "90年代",
# "５０代" someone's fifties) or a century ("19. Jahrhunderts", "19世纪" = the 1800s). (A month in
# digits is compared with the target's month names: _target_month_like.)
_DECADE_AFTER_RE = regex.compile(r"(?:er(?:n|jahren?|\b)|e\b|['’]?s\b|\s?年代|代|\.?\s?(?:Jahr?h?undert|世纪|世紀|"
                                 r"siècle|secolo|siglo|wiek|stolet|век|शताब्दी|सदी))", regex.I)
_FULL_MONTHS = [m[:3] for m in _MONTHS.split("|")[:12]]
_MONTH_NUMBER = {m.lower(): _FULL_MONTHS.index(m[:3]) + 1 for m in _MONTHS.split("|")}  # july: 7, sept: 9
# in any case ("july 17" in a lower-cased text), but "May" only capitalised: "may" is mostly the verb
_MONTH_WORD_RE = regex.compile(r"\b((?i:" + "|".join(sorted((m for m in _MONTH_NUMBER if m != "may"), key=len, reverse=True))
                               + r")|May)\b")
_CLOCK_WORDS = {"midnight": (0.0, 24.0), "noon": (12.0,), "midday": (12.0,)}


def _must_reach_target(n: NumberMention, src: str) -> bool:
    """A source number written in digits that a translation keeps: not a code's digits ("km2",
    "CO2", "G7"), not "1" (a translation may say "a" or "an"), not a roman numeral, a clock's
    ":00", a decade or a century (written other ways in English)."""
    if n.kind in ("word", "roman") or n.kind == "minute" and n.value == 0 or n.value == 1:
        return False
    if not _rx(r"\d").search(n.text) or n.start and _CODE_LETTER_RE.match(src, n.start - 1):
        return False
    return not _DECADE_AFTER_RE.match(src, n.end)


def _target_month_like(tgt: str) -> set[float]:
    """Values the target gives in words that a source writes in digits: month names (7月, 26.7.
    → July), midnight and noon (0時, 12 Uhr)."""
    out = {float(_MONTH_NUMBER[m.lower()]) for m in _MONTH_WORD_RE.findall(tgt)}
    low = tgt.lower()
    for w, vals in _CLOCK_WORDS.items():
        if w in low:
            out.update(vals)
    return out


class BilingualCheck(Check):
    """BI-*: compare the English target with its source."""

    needs_source = True
    rules = (
        RuleInfo(
            "BI-NUM-001", "Accuracy/Mistranslation", Severity.MAJOR,
            "A number in the target that the source does not have.",
            good=(
                "防衛費は5兆円を超える。 ||| Defense spending will exceed 5 trillion yen.",
                "Der Umsatz stieg um 3,5 Prozent. ||| Sales rose 3.5 percent.",
                "受疫情影响，CBA联赛在中断近5个月后，于6月20日开始复赛。 ||| Affected by the epidemic, the CBA league resumed on June 20 after nearly five months.",
                "人口は１２３万人です。 ||| The population is 1.23 million.",
                "全市有1000万人口。 ||| The city has 10 million people.",
                "2022年6月29日に発表された。 ||| It was announced on June 29th, 2022.",
                "双方将于8月举行会谈。 ||| The two sides will hold talks in August.",
                "Ein Sprecher sagte, dass drei Soldaten verletzt wurden. ||| A spokesman said that three soldiers were injured.",
            ),
            bad=(
                "防衛費は6兆円を超える。 ||| Defense spending will exceed 5 trillion yen.",
                "成都美领馆于1985年开放。 ||| The Chengdu US Consulate opened in 1995.",
                "Der Umsatz stieg um 3,5 Prozent. ||| Sales rose 4.5 percent.",
                "ブランビーズが２４－０で快勝した。 ||| Brumbies won 26-0.",
                "Ein Sprecher sagte, dass drei Soldaten verletzt wurden. ||| A spokesman said that five soldiers were injured.",
                "会議は２５日から３日間開かれる。 ||| The meeting will be held for four days from the 25th.",
            ),
        ),
        RuleInfo(
            "BI-NUM-002", "Accuracy/Omission", Severity.MAJOR,
            "A number the source writes in digits that the target leaves out: a figure lost, or "
            "another sentence translated.",
            good=(
                "Ende Mai hatte Argentinien 503 Millionen US-Dollar nicht beglichen. ||| At the end of May, "
                "Argentina had failed to pay $503 million.",
                "7月17日下午，陈光明得知消息。 ||| On the afternoon of July 17, Chen Guangming learned the news.",
                "8月6日午前0時から48時間実施する。 ||| It will be held for 48 hours from midnight on August 6.",
                "Apia wurde in den 50ern des 19. Jahrhunderts gegründet. ||| Apia was founded in the 1850s.",
                "装机容量超1000万千瓦。 ||| The installed capacity exceeds 10 million kilowatts.",
                "Il parco copre 19.500 km2. ||| The park covers 19,500 km².",
                "Am 26.7.2020 um 15:00 Uhr begann es. ||| It began on July 26, 2020 at 3 p.m.",
                "Er hat 1 Kind. ||| He has a child.",
            ),
            bad=(
                "Ende Mai hatte Argentinien 503 Millionen US-Dollar nicht beglichen. ||| At the end of May, "
                "Argentina had failed to pay its debts.",
                "截至7月25日24时，乌鲁木齐市现有确诊病例135例。 ||| As of July 25, there were confirmed cases in Urumqi.",
                "Die Windernte macht fast 19 Prozent des Windstroms aus. ||| Research has found that women are more "
                "likely to have MS than men.",
            ),
        ),
        RuleInfo(
            "BI-EMPTY-001", "Accuracy/Omission", Severity.CRITICAL,
            "Empty or punctuation-only target for a source with text.",
            good=("他的研究表明。 ||| His research shows it.",),
            bad=("他的研究表明，施用激素可加速宝宝胎肺的成熟。 ||| .", "Der Umsatz stieg. ||| …"),
        ),
        RuleInfo(
            "BI-SAME-001", "Non-translation", Severity.MAJOR,
            "Target identical to a source in another language.",
            good=("NASA ||| NASA", "Der Umsatz stieg um 3,5 Prozent. ||| Sales rose 3.5 percent."),
            bad=(
                "Der Umsatz stieg um 3,5 Prozent. ||| Der Umsatz stieg um 3,5 Prozent.",
                "他的研究表明。 ||| 他的研究表明。",
            ),
        ),
        RuleInfo(
            "BI-UNTRANS-001", "Non-translation", Severity.MAJOR,
            "Source-language text left untranslated in the target.",
            good=(
                "In der Nachspielzeit machte Allan den 2:0-Endstand für Neapel perfekt. ||| In added time, Allan made it 2-0 for Napoli.",
                "Předtím působil Macura jako ředitel společnosti Walmark. ||| Before that, Macura worked as director of Walmark.",
                "他的研究表明。 ||| His research shows it.",
                "Wir haben am Lausitzring große Fortschritte gemacht. ||| We made great progress at the Lausitzring.",
                "Das sagte der Netzbetreiber Tennet in Bayreuth. ||| This was said by the network operator Tennet in Bayreuth.",
                "Merkel, Macron und Draghi trafen sich in Rom. ||| Merkel, Macron and Draghi met in Rome.",
                "Letzte Woche sprach Herr Wagner in Bonn. ||| Last week, Mr Wagner spoke in Bonn.",
                "In Wolfsburg baut Volkswagen Autos. ||| In Wolfsburg, Volkswagen builds cars.",
            ),
            bad=(
                "他的研究表明，施用激素可加速成熟。 ||| 他的 research shows that hormones can accelerate maturation.",
                "Schließlich konnte die Saison ohne Zuschauer gespielt werden. ||| In the end, the Saison could be played without spectators.",
                "Sie reisten in einer Kutsche zurück nach Paris. ||| They traveled back to Paris in a Kutsche.",
                "Letzte Woche stiegen die Preise. ||| Last Woche, prices rose.",
                "Dennoch ist Spanisch auch weit verbreitet. ||| Dennoch, Spanish is also widely spoken.",
                "Povodně byly katastrofální, citovala AP Chrise Birchfielda. ||| The floods were catastrophic, AP citovala Chris Birchfield.",
                "Męska reprezentacja Polski spadła z 20. na 22. lokatę. ||| The Polish men's team spadła from 20th to 22nd place.",
                "В этом году, - сказал Корб. ||| This year, Korb сказал.",
                "Das Filmstudio nahm sie gleich für sieben Jahre unter Vertrag. ||| The film studio signed her for sieben years.",
                "ausgedehnte Plünderungen auf den Straßen Bischkeks. ||| looting on the Straßen of Bishkek.",
            ),
        ),
        RuleInfo(
            "BI-PUNCT-001", "Fluency/Punctuation", Severity.MINOR,
            "The source ends a sentence with punctuation and the target does not.",
            good=("他的研究表明。 ||| His research shows it.", "Was sagt er? ||| What does he say?",
                  "Überschrift ||| Headline", "Er sagte: „Wir haben gewonnen.“ ||| He said: \"We won.\"",
                  "Il l'a dit (en 1995). ||| He said so (in 1995).",
                  "Il est connu sous le nom de « Dunlap »  ||| He is known as \"Dunlap\""),
            bad=("他的研究表明。 ||| His research shows it", "Er kommt! ||| He is coming",
                 "Er sagte: „Wir haben gewonnen.“ ||| He said: \"We won\"",
                 "Il l'a dit (en 1995). ||| He said so (in 1995)",
                 "वे 5000 ईसा पूर्व तक की हैं| ||| They date back to 5000 BC"),
        ),
        RuleInfo(
            "BI-QUESTION-001", "Accuracy/Mistranslation", Severity.MAJOR,
            "The target is a question and the source is not, or the other way round.",
            good=("他走了吗？ ||| Did he leave?", "他走了。 ||| He left."),
            bad=(
                "他走了。 ||| Did he leave?",
                "他走了吗？ ||| He left.",
                "科学家希望了解行星是如何形成的。 ||| Do scientists want to understand how planets formed.",
            ),
        ),
        RuleInfo(
            "BI-PUNCT-002", "Fluency/Punctuation", Severity.MINOR,
            "Punctuation in the target with no counterpart in the source.",
            good=(
                "他说：“我们赢了！” ||| He said: \"We won!\"",
                "他们在下午3:30到达。 ||| They arrived at 3:30 p.m.",
                "Er kommt; sie geht. ||| He comes; she goes.",
                "价格不低于下列两者之中的较高者：公告日前的平均价格。 ||| The price is not lower than the higher of: the average price before the announcement.",
                "该展区分为红色工业和红色文化两部分。 ||| The exhibition is divided into two parts: red industry and red culture.",
                "Les défenses avaient cédé, le seul espoir était de se replier. ||| The defences had given way; the only hope was to retreat.",
                "La formation interne des ouvriers et les avis des enseignants et des parents. ||| The workers' in-house training and the teachers' and parents' views.",
                "Il est pro-européen et anti-américain. ||| He is pro- and anti-American. He said so. The end came.",
                "资本没有外流，相反，有110亿美元流入。 ||| There was no capital outflow; on the contrary, $11 billion flowed in.",
                "刘德华能否擦出新火花 - 新华网 ||| Can Andy Lau strike new sparks? - Xinhua",
            ),
            bad=(
                "他的研究表明，施用激素可加速成熟。 ||| His research shows that hormones can! accelerate maturation.",
                "他的研究表明，施用激素可加速成熟。 ||| His research~ shows that hormones accelerate maturation.",
                "他的研究表明，施用激素可加速成熟。 ||| His research shows; that hormones accelerate maturation.",
                "他的研究表明，施用激素可加速成熟。 ||| His research shows,, that hormones accelerate maturation.",
                "他的研究表明，施用激素可加速成熟。 ||| His research shows that the\" hormones accelerate maturation.",
                "Il devint ensuite graveur en chef. ||| He then became the chief; engraver there.",
                "Les gardes surveillent les tireurs qui participent aux chasses. ||| Rangers monitor shooters: participating in the hunts.",
                "Ces produits sont taxés selon les tarifs en Amérique centrale. ||| These goods are taxed according to tariffs' in Central America.",
                "Dziennikarz Mariusz Max Kolonko mieszka w USA. ||| The journalist Mariusz Max- Kolonko lives in the USA.",
                "Ekwador leży nad Pacyfikiem. ||| The Galapagos Islands of. Ecuador lie in the Pacific.",
            ),
        ),
    )

    # ------------------------------------------------------------------------------------------
    def prepare(self, segs: Sequence[Segment], ctx: Context) -> None:
        for lang in {ctx.source_language(s) for s in segs if s.source is not None}:
            _source_lexicon(lang)

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        if seg.source is None:
            return []
        try:
            return self._segment(seg, ctx)
        except Exception:  # pragma: no cover - a check must never take the run down
            return []

    def _segment(self, seg: Segment, ctx: Context) -> list[Finding]:
        src, tgt = seg.source or "", seg.target or ""
        source = _source(src)
        if not source.comparable:
            return []
        lang = ctx.source_language(seg)
        if lang is None:
            g = script_guess(src)
            lang = g if g not in ("latin", "cyrillic", None) else ("ru" if g == "cyrillic" else None)
        if lang == "en":
            return []
        # -- empty -----------------------------------------------------------------------------
        if not _has_letters(tgt) and not _rx(r"\d").search(tgt):
            if source.letters:
                return [self.finding("BI-EMPTY-001", seg, 0, len(tgt), "The target is empty or only punctuation.")]
            return []
        # -- identical to the source ---------------------------------------------------------------
        if tgt.strip() == source.stripped and self._foreign_text(src, lang):
            return [self.finding("BI-SAME-001", seg, 0, len(tgt), "The target is the untranslated source.")]
        found: list[Finding] = []
        # The words of an ASCII target without digits (or "_"): its letter runs, lower-cased, as
        # bytes, for the tests that rule most targets out below and in _copied_words.
        words = None
        if tgt.isascii():
            wb = tgt.encode("ascii").translate(_NUMBER_BYTES)
            if b"0" not in wb:
                words = wb.split()
        elif any(map(_foreign_letter, set(tgt).difference(_ASCII_CHARS))):  # (ASCII letters are Latin)
            found += self._foreign_runs(seg, tgt, lang)
        if source.latin:
            found += self._copied_words(seg, src, tgt, lang, words)
        # Without a digit, only number words can be compared, and only those _flaggable_word
        # accepts, whose first word is one of _FLAG_WORDS: most targets have neither.
        if words is None or not _FLAG_TOKENS.isdisjoint(words) or source.digits:
            found += self._numbers(seg, src, tgt, lang, source.digits)
        found += self._end_punct(seg, src, tgt, source)
        found += self._added_punct(seg, src, tgt, source)
        return found

    @staticmethod
    def _foreign_text(src: str, lang: str | None) -> bool:
        g = script_guess(src)
        if g not in ("latin", None):
            return True
        words = _SRC_WORD_RE.findall(src)
        if len(words) < 2:
            return False
        unknown = sum(1 for w in words if not _english_token(w))
        return unknown >= max(1, len(words) // 3)

    # -- untranslated text ----------------------------------------------------------------------
    def _foreign_runs(self, seg: Segment, tgt: str, lang: str | None) -> Iterable[Finding]:
        """Text in a script English does not use."""
        for m in _FOREIGN_RUN_RE.finditer(tgt):
            yield self.finding("BI-UNTRANS-001", seg, m.start(), m.end(),
                               f"Untranslated text '{m.group()}'.", self._gloss(m.group(), lang))

    def _copied_words(self, seg: Segment, src: str, tgt: str, lang: str | None,
                      words: list[bytes] | None) -> Iterable[Finding]:
        """Words of a Latin-script source left in the target (``words``: see _segment)."""
        src_lower, src_ascii = _source_words(src)
        if not src_lower:
            return
        # Only a target word the source has can be flagged: most targets share only names with it.
        if tgt.isascii():
            if words is None:
                words = tgt.encode("ascii").translate(_ASCII_LETTER_WORDS).split()
            shared = [w for w in src_ascii.intersection(words) if not _always_english(w, lang)]
            if not shared:
                return
            spans = _ascii_word_spans(tgt, shared)
        else:
            if src_lower.keys().isdisjoint(map(str.lower, _SRC_WORD_RE.findall(tgt))):
                return
            spans = [m.span() for m in _WORD_RE.finditer(tgt) if m.group().lower() in src_lower]
        for start, end in spans:
            tok = tgt[start:end]
            if len(tok) < 2 or tok.isupper():
                continue
            occ = src_lower.get(tok.lower())
            if not occ:
                continue
            if tgt[start - 1:start] == "." or tgt[end:end + 1] == "." and _rx(r"\.\p{L}").match(tgt[end:end + 2]):
                continue  # domains: Aktuálně.cz
            english, more_foreign = _english_here(tok.lower(), lang)
            if english and not (tok[:1].islower() and more_foreign):
                continue
            if not self._copied_common_word(tok, occ, lang, start, end, tgt, src):
                continue
            yield self.finding("BI-UNTRANS-001", seg, start, end,
                               f"'{tok}' is left in the source language.", self._gloss(tok, lang))

    @staticmethod
    def _copied_common_word(tok: str, occ: list[tuple[int, str]], lang: str | None, start: int, end: int,
                            tgt: str, src: str) -> bool:
        """Whether a target token found in the source is a common word rather than a name."""
        if any(ch.isupper() for ch in tok[1:]):
            return False
        lower_in_source = any(w[:1].islower() for _, w in occ)
        if tok[:1].islower():
            # not a short particle between capitalised words: "Vasco da Gama", "Rue des Francs
            # Bourgeois" (a longer word there is a verb or noun: "AP citovala Chris Birchfield")
            return lower_in_source and not (len(tok) <= 5 and _next_capitalised(tgt, end)
                                            and _prev_capitalised(tgt, start))
        # capitalised in the target: a name, unless the source language writes it in lower case
        # or (German nouns, sentence-initial words) its dictionary knows it as a common word
        if _next_capitalised(tgt, end) or _prev_capitalised(tgt, start):
            return False  # part of a multi-word name
        if lower_in_source:
            return True
        f = _source_frequency(tok.lower(), lang)
        initial_only = all(i == 0 or search_before(_ENDS_SENTENCE_RE, src, _occ_start(src, w)) for i, w in occ)
        if lang == "de":
            # the German list gives most nouns and names the same floor frequency (_GERMAN_FLOOR,
            # cut from the loaded table): a noun is told by an article or determiner in front of it in the
            # source ("die Saison", "einer Kutsche"), which names mostly lack
            return f > _GERMAN_FLOOR or (f > 0 and _rx(r"[äöüß]").search(tok.lower()) is not None) \
                or search_before(_GERMAN_DETERMINER_BEFORE, src, _occ_start(src, tok)) is not None
        if initial_only:
            return f > 100
        return False

    @staticmethod
    def _gloss(text: str, lang: str | None) -> tuple[str, ...]:
        return ()

    # -- numbers --------------------------------------------------------------------------------
    def _numbers(self, seg: Segment, src: str, tgt: str, lang: str | None, src_digits: bool) -> list[Finding]:
        all_tnums = extract_numbers(tgt, "en")
        found = list(self._added_numbers(seg, src, tgt, lang, all_tnums))
        if src_digits:
            found += self._omitted_numbers(seg, src, tgt, lang, all_tnums, len(found))
        return found

    def _added_numbers(self, seg: Segment, src: str, tgt: str, lang: str | None,
                       all_tnums: list[NumberMention]) -> Iterable[Finding]:
        """BI-NUM-001: target numbers the source does not account for."""
        tnums = [n for n in all_tnums
                 if (n.kind != "word" or _flaggable_word(n)) and not (n.kind == "minute" and n.value in (0, 15, 30, 45))]
        if not tnums:
            return
        snums, src_values = _source_numbers(src, lang or "en")
        if all(not src_values.isdisjoint(n.values) for n in tnums):
            return  # each has a value of the source: what numbers_agree tests first
        tnums = [n for n in tnums if not _known_code(tgt[max(0, n.start - 9):n.end + 1])]
        if not tnums:
            return
        snums = list(snums)
        unmatched = numbers_agree(snums, tnums)
        if not unmatched:
            return
        src_left = numbers_agree(all_tnums, snums)  # source numbers the target lacks
        # (a source word for one is mostly an article: "ein", "une", "una")
        left = [n for n in src_left if not (n.kind == "word" and n.value == 1)]
        cjk = (lang or "") in ("zh", "ja", "ko")
        if len(left) != len(unmatched) or cjk and not all(_COUNTED_DIGITS_RE.match(src, n.start) for n in left):
            # number words are only compared when they look like a substitution: as many source
            # numbers unaccounted for as target ones (a source may spell a number in a form not
            # recognised, "dwoma", "双方", and then nothing is missing on its side). From Chinese,
            # Japanese and Korean, English number words mostly render measure words and idioms
            # (双方 "both/two sides", 半年 "six months", 一些 "a few"): digits only there, unless
            # what the source leaves unaccounted for are digits before a counter ("3日間" → "four
            # days", "2人の子" → "three children"; not a date's 8月).
            unmatched = [n for n in unmatched if n.kind != "word"]
        unmatched = [n for n in unmatched if not _unremarkable(n, tgt, src, snums, lang)]
        if len(src_left) > 1:  # the source's 7 of 7月25日 is the target's July, not a figure to restore
            named = _target_month_like(tgt)
            src_left = [n for n in src_left if named.isdisjoint(n.values)]
        for n in unmatched:
            sugg = (format_number(src_left[0]),) if len(src_left) == 1 and len(unmatched) == 1 else ()
            yield self.finding("BI-NUM-001", seg, n.start, n.end,
                               f"The number '{n.text}' is not in the source.", sugg)

    def _omitted_numbers(self, seg: Segment, src: str, tgt: str, lang: str | None,
                         all_tnums: list[NumberMention], substituted: int) -> list[Finding]:
        """BI-NUM-002: numbers the source writes in digits and the target leaves out. A number the
        target replaced is BI-NUM-001's (so only what goes beyond its count is reported here)."""
        snums, _ = _source_numbers(src, lang or "en")
        wanted = [n for n in snums if _must_reach_target(n, src)]
        if not wanted:
            return []
        missing = numbers_agree(all_tnums, wanted)
        if missing:
            named = _target_month_like(tgt)
            missing = [n for n in missing if not named.intersection(n.values)]
        if len(missing) <= substituted:
            return []
        texts = ", ".join(f"'{n.text}'" for n in missing)
        return [self.finding("BI-NUM-002", seg, 0, len(tgt),
                             f"The source's {'number' if len(missing) == 1 else 'numbers'} {texts} "
                             f"{'is' if len(missing) == 1 else 'are'} missing from the target.", ())]

    # -- end punctuation and questions ----------------------------------------------------------
    def _end_punct(self, seg: Segment, src: str, tgt: str, source: _Source) -> Iterable[Finding]:
        t_stripped = _strip_closers(tgt)
        if not t_stripped:
            return
        s_last, src_has_q = source.last, source.question
        t_last = t_stripped[-1]
        src_question = s_last in _QUESTION
        if t_last == "?" and not src_has_q:
            i = len(t_stripped) - 1
            yield self.finding("BI-QUESTION-001", seg, i, i + 1,
                               "The target is a question but the source is not.", (".",))
            return
        if src_question and t_last != "?":
            if t_last in ".!…":
                i = len(t_stripped) - 1
                yield self.finding("BI-QUESTION-001", seg, i, i + 1,
                                   "The source is a question but the target is not.", ("?",))
            else:
                w = self._last_word(tgt, t_stripped)
                if w:
                    yield self.finding("BI-QUESTION-001", seg, w[0], w[1],
                                       "The source is a question but the target is not.",
                                       (tgt[w[0]:w[1]] + "?",))
            return
        if not src_has_q and _may_be_aux_question(tgt) and _AUX_Q_RE.match(tgt) and not _AUX_Q_RE.match(src):
            m = _AUX_Q_RE.match(tgt)
            yield self.finding("BI-QUESTION-001", seg, m.start(), m.end(),
                               "The target is worded as a question but the source is not.")
            return
        if s_last in _SENT_END and t_last.isalnum():
            mark = _EN_END.get(s_last, ".")
            msg = f"The source ends with '{s_last}' but the target has no final punctuation."
            end = len(tgt.rstrip())
            if any(c in _BRACKET_CLOSERS for c in tgt[len(t_stripped):end]):
                # '(James et al., 1995)' for '(…, 1995).': the mark follows the bracket. A source
                # whose mark sits inside its closing bracket ('（涉及：隔离酒店。）') ends a
                # parenthetical note, which English may leave without a period.
                if src.rstrip()[-1:] in _CLOSERS:
                    return
                yield self.finding("BI-PUNCT-001", seg, len(t_stripped), end, msg,
                                   (tgt[len(t_stripped):end] + mark,))
                return
            w = self._last_word(tgt, t_stripped)  # before a closing quote too ('actions."')
            if w:
                yield self.finding("BI-PUNCT-001", seg, w[0], w[1], msg, (tgt[w[0]:w[1]] + mark,))

    @staticmethod
    def _last_word(tgt: str, stripped: str) -> tuple[int, int] | None:
        m = _LAST_TOKEN_RE.search(stripped)
        if not m:
            return None
        return m.start(), m.end()

    # -- punctuation with no counterpart -------------------------------------------------------
    def _added_punct(self, seg: Segment, src: str, tgt: str, source: _Source) -> Iterable[Finding]:
        if "://" in tgt or "www." in tgt or "@" in tgt:
            masked = _rx(r"https?://\S+|www\.\S+|\S+@\S+\.\w+").sub(lambda m: " " * len(m.group()), tgt)
        else:
            masked = tgt
        seen: set[int] = set()

        def emit(i: int, j: int, msg: str, sugg: tuple[str, ...] = ("",)):
            if i in seen:
                return None
            seen.add(i)
            return self.finding("BI-PUNCT-002", seg, i, j, msg, sugg)

        for ch in _COUNTERPART:
            if ch not in masked or ch in source.marks:
                continue
            i = -1
            while (i := masked.find(ch, i + 1)) >= 0:
                if ch in "?!" and (i == len(_strip_closers(masked)) - 1 or _SOURCE_SUFFIX_RE.match(masked, i + 1)):
                    continue  # final marks (also before a headline's " - Xinhua") are the end-punctuation rules' business
                if ch == ":" and (_rx(r"\d").match(masked[i + 1:i + 2]) and search_before(_rx(r"\d$"), masked, i)):
                    continue  # times and scores: 12:30, 2:0
                if ch in ":;" and not _rx(r"\s*\p{Ll}").match(masked[i + 1:i + 4]):
                    continue  # lists, titles, quotations after a colon
                if ch in ";:" and not (search_before(_FUNC_BEFORE_RE, masked, i) or (
                        _FUNC_AFTER_RE.match(masked[i + 1:]) and not _CONNECTIVE_AFTER_RE.match(masked[i + 1:]))
                                       or _splits_phrase(masked, i)):
                    continue  # between clauses a semicolon may render a comma, a colon introduce a list
                if ch == ":" and search_before(_rx(r"(?i)\b(said|says|told|added|stated|noted|explained|following|as follows|include|including)$"), masked, i):
                    continue
                f = emit(i, i + 1, f"'{ch}' has no counterpart in the source.")
                if f:
                    yield f
        # marks glued to a function word that cannot end a phrase ("the, baby's", "there. were")
        src_single = source.single_quote
        for m in _glued_marks(masked):
            mark = m.group("mark")
            if mark in source.marks:
                continue  # "the higher of: …" for "较高者：…": the source has this mark
            if mark == "'" and (src_single or _rx(r"(?:^|\s)'\p{L}").search(masked[:m.start()])):
                continue
            if mark == "-" and _rx(r"\p{L}- ").search(src):
                continue
            i = m.start("mark")
            f = emit(i, i + 1, f"'{mark}' has no counterpart in the source.")
            if f:
                yield f
        # doubled commas / periods (not an ellipsis)
        doubled = ".." in masked or masked.count(",") > 1 and _COMMAS_RE.search(masked)
        for m in (_DOUBLED_RE.finditer(masked) if doubled else ()):
            if m.group() == ".." and ".." in src:
                continue
            f = emit(m.start() + 1, m.end(), "Doubled punctuation.")
            if f:
                yield f
        # unbalanced straight double quotes the source does not account for
        if masked.count('"') % 2 == 1 and sum(masked.count(q) for q in '"“”„«»') % 2 == 1:
            src_quotes = sum(src.count(q) for q in _QUOTES_ANY)
            if src_quotes % 2 == 0:
                i = self._stray_quote(masked)
                if i is not None:
                    f = emit(i, i + 1, "Unbalanced quotation mark with no counterpart in the source.")
                    if f:
                        yield f

    @staticmethod
    def _stray_quote(t: str) -> int | None:
        """The straight double quote most likely added: a closing one with nothing open, else the
        last opening one."""
        open_at: int | None = None
        for m in _rx('"').finditer(t):
            i = m.start()
            before = t[i - 1:i]
            opening = before == "" or before.isspace() or before in "([{—–-"
            if opening and open_at is None:
                open_at = i
            elif open_at is not None:
                open_at = None
            else:
                return i
        return open_at


# A lower-case word of Latin letters (a name is capitalised); the ASCII ones are skipped at once
_LOWER_ACCENTED_RE = regex.compile(
    r"(?<![\p{L}\p{M}'’-])[\p{Ll}\p{M}]+(?:['’-][\p{L}\p{M}]+)*(?![\p{L}\p{M}'’-])")
_LATIN_WORD_RE = regex.compile(r"[\p{Latin}\p{M}'’-]+")
# loans of diplomatic English that the word list lacks, with their accents or in phrases written
# without a hyphen ("fait accompli", "laissez faire")
_LOANS = frozenset((
    "vis-à-vis", "tête-à-tête", "d'être", "déjà", "née", "crème", "d'état", "état", "émigré", "émigrés",
    "émigrée", "über", "aide-mémoire", "mémoire", "agrément", "naïveté", "laissez", "accompli"))


@lru_cache(maxsize=4096)
def _english_with_accents(word: str) -> bool:
    """Whether a lower-case word with non-ASCII letters is English anyway: a loan written with its
    accents (café, détente), or not Latin at all (left to EN-UNTRANS-001)."""
    from .names import fold

    if not _LATIN_WORD_RE.fullmatch(word) or word in _LOANS or is_english_word(word):
        return True
    en = lexicon()
    return all(fold(p) in en for p in regex.split(r"[-'’]", word) if p)


# A lower-case ASCII word of three letters or more, not part of a longer token
_LOWER_ASCII_WORD_RE = regex.compile(r"(?<![\w'’.-])[a-z]{3,}(?![\w'’-])")
_FOREIGN_MIN_FREQ = 1000
# ... or of at least this many letters and spelled like another language's word by this margin
# (wordshape.foreignness; most of DEMETR's code-mixed words 0.25 and above, rare English words and
# Latin plant names 0.2 and below)
_SHAPE_MIN_LEN = 5
_FOREIGN_SHAPE = 0.25
# the languages whose word lists are asked, and their names for the message
_LANG_NAMES = {"de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
               "nl": "Dutch"}


@lru_cache(maxsize=65536)
def _foreign_word_lang(word: str) -> str | None:
    """The language whose word list has lower-case ASCII ``word`` as a common word when English
    has neither the word nor a one-letter slip of it to offer ("historique", "gegen"; not "wil",
    a slip of "will", nor "trafic"); "" for a longer word that no list has, that is no slip of an
    English word, and that is spelled like a word of another language ("zusammengehalten",
    "reconstruida", "szczepionka"; not "marketization", "cyanuric"); else None."""
    if word in _LOANS:
        return None
    # a word English only has by derivation ("relativement" from "relative") may still be a
    # common word of another language
    derived = is_english_word(word)
    if derived and _lookup(word)[0] == 2:
        return None
    freq, best = max((_source_frequency(word, lang), lang) for lang in _LANG_NAMES)
    if _one_edit_candidates(word):
        return None
    if freq >= _FOREIGN_MIN_FREQ:
        return best
    if not derived and len(word) >= _SHAPE_MIN_LEN and far_from_english(word) and (
            SLAVIC_RE.search(word) or foreignness(word) > _FOREIGN_SHAPE):
        return ""
    return None


# EN-UNTRANS-003: a capitalised word of at least five letters, not one of several capitalised words
_CAP_WORD_RE = regex.compile(r"(?<![\p{L}\p{M}\d'’.-])\p{Lu}\p{Ll}{4,}(?![\p{L}\p{M}\d'’-])")
_QUOTE_OPENERS = "\"“‘'«(["
# words before a noun: a capitalised word after them is a noun, not a name ("the Saison")
_NOUN_DETERMINERS = frozenset(
    "the a an this that these those his her its their our my your every each last next some any no "
    "many few several".split())
# ... and what may follow a noun but not a name used as a modifier ("the Merkel government")
_AFTER_NOUN = frozenset(
    "of and or in on at from to for with by that which who whose could would will was were is are has "
    "have had can may might must should as than".split())
_NEXT_WORD_RE = regex.compile(r"\s*([\p{L}]+)")
# German words English news uses as they are (institutions, loans): never untranslated
_GERMAN_LOANS = frozenset(
    "bundesliga bundeswehr bundesrat bundestag bundesbank bundesamt bundesland länder landtag "
    "mittelstand energiewende ostpolitik stasi wehrmacht reichstag kanzleramt autobahn zeitgeist "
    "realpolitik".split())


_GERMAN_FLOOR = 50  # pyspellchecker's lowest German frequency: most nouns and names have it


def _german_table() -> FrequencyTable:
    """pyspellchecker's whole German list (its nouns are there at its floor frequency)."""
    return frequency_table("de", above=0)


def _untranslated_german(tgt: str, m: "regex.Match", names: set[str], gloss: set[str]) -> bool:
    """EN-UNTRANS-003 for the capitalised word ``m``: a German word and no English one, standing
    where English puts a noun (after an article, a possessive or a number, and before punctuation
    or a word such as "of" or "could"), or opening the sentence as a German adverb before a comma
    ("Dennoch, ..."); not part of a name of several capitalised words ("Deutsche Welle"), not a
    name before a noun ("the Merkel government"), not a name the document repeats."""
    w = m.group()
    low = w.lower()
    if low in _GERMAN_LOANS or w in names or w in gloss:
        return False
    after = tgt[m.end():].lstrip()
    if after[:1].isupper() or (after[:1] in _QUOTE_OPENERS and after[1:2].isupper()):
        return False  # "Deutsche Welle", "Serie A", "Kreis (Wesel)"
    before = tgt[:m.start()]
    initial = not before.strip().lstrip(_QUOTE_OPENERS)
    if initial:
        if not after.startswith(","):
            return False
    else:
        prev = _LAST_TOKEN_RE.search(before.rstrip())
        if prev is None or not (prev.group().lower() in _NOUN_DETERMINERS or prev.group()[-1].isdigit()):
            return False
        nxt = _NEXT_WORD_RE.match(tgt, m.end())
        if nxt and nxt.group(1) not in _AFTER_NOUN:
            return False  # "the Merkel government": a name before a noun
    freq = _german_table().get(low, 0)
    if not freq or (initial and freq <= _GERMAN_FLOOR):
        return False  # (opening a sentence: a word the list counts, an adverb, not a bare noun or name)
    return not (low in lexicon() or is_english_word(w))


class ForeignScriptCheck(Check):
    """Without a source (plain machine-translated English, as with the sample), text the machine
    left untranslated. With a source, BI-UNTRANS-001 reports it by comparing the two sides.

    EN-UNTRANS-001: letters of a script English does not use ("I don't 知道 if", "pet 猫"). A
    bracket holding nothing but the run is an original-script gloss ("Xi Jinping (习近平)").
    EN-UNTRANS-002: a lower-case word with letters English does not use that is not an English
    word, even without its accents ("plötzlich", "współpracę"; not "café", "détente"), or a
    lower-case word that is not English but common in German, French, Spanish, Italian, Portuguese
    or Dutch ("historique") and no slip of an English word, or a longer word that no list has, no
    English word is near, and whose letter runs are those of another language (wordshape:
    "zusammengehalten", "szczepionka"; not "marketization"). Capitalised words are left alone:
    they are names (Müller, Asunción)."""

    rules = (
        RuleInfo(
            "EN-UNTRANS-001", "Accuracy/Untranslated", Severity.MAJOR,
            "Text in a script English does not use (left untranslated).",
            good=("Cyanuric acid and melamine were found in the samples.",
                  "President Xi Jinping (习近平) arrived in Madrid.",
                  "The beta (β) coefficient rose; 5 μg were given."),
            bad=("Cyanuric acid and 三聚氰胺 were found in the samples.",
                 "The research was led by 研究人员",
                 "The minister said the talks were 非常に重要 for Europe.",
                 "The deal was signed in Москва on Monday."),
        ),
        RuleInfo(
            "EN-UNTRANS-002", "Accuracy/Untranslated", Severity.MAJOR,
            "A lower-case word that is not English but another language's (left untranslated).",
            good=("The chargé d'affaires issued a communiqué after the détente and the coup d'état.",
                  "The talks vis-à-vis Russia took place in Kraków with Mr Müller.",
                  "When a large number of companies suddenly applied for aid, the state reacted.",
                  "The sea was calm, the wil to win strong, and the rue des Francs busy.",
                  "The annexation was a fait accompli; persona non grata, status quo and laissez faire.",
                  "The phosphogypsum stacks, the marketization of land and cyanuric acid worried beachgoers.",
                  "They saw the aurora borealis and a helicodiceros plant."),
            bad=("When a large number of companies plötzlich applied for aid, the state reacted.",
                 "Now he announced that he has ended współpracę with the party.",
                 "Minority cultures often vanish without leaving any historique traces.",
                 "The boy is one of about 400 premature babies who are umsorgt every year.",
                 "There is one experimental szczepionka that appears to reduce mortality.",
                 "Through the research trabajos of the 20th century it has been shown.",
                 "Pronunciation is relativement easy in Italian.",
                 "The city was reconstruida by order of the sultan."),
        ),
        RuleInfo(
            "EN-UNTRANS-003", "Accuracy/Untranslated", Severity.MAJOR,
            "A capitalised German word, not English, where English puts a noun (after an article, "
            "a possessive or a number) or opening the sentence before a comma: German capitalises "
            "its nouns, so one left untranslated looks like a name.",
            good=("In the end, however, the season could be played to the end.",
                  "The Bundeswehr and the Bundesliga; Zimmermann of the Graf Zeppelin team; the "
                  "Deutsche Welle report from Friedrichshafen.",
                  "Schneider said the Fischer plan was dead; Fischer, in turn, disagreed; the Merkel "
                  "government fell.",
                  "Nevertheless, Spanish is also widely spoken in public transport."),
            bad=("In the end, however, the Saison could be played to the end.",
                 "They traveled back to Paris in a Kutsche, surrounded by a mob.",
                 "Wind power at sea accounts for almost 19 Prozent of all wind power in Germany.",
                 "Dennoch, Spanish is also widely spoken in public transport."),
        ),
    )

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        tgt = seg.target
        if seg.source is not None or (ctx.target_lang or "en")[:2] != "en":
            return ()
        out = []
        if not tgt.isascii():
            if any(map(_foreign_letter, set(tgt).difference(_ASCII_CHARS))):
                for m in _FOREIGN_RUN_RE.finditer(tgt):
                    before, after = tgt[m.start() - 1:m.start()], tgt[m.end():m.end() + 1]
                    if before and after and before in "(（" and after in ")）":
                        continue  # an original-script gloss in brackets
                    out.append(self.finding("EN-UNTRANS-001", seg, m.start(), m.end(),
                                            f"Untranslated text '{m.group()}'.", ()))
            for m in _LOWER_ACCENTED_RE.finditer(tgt):
                w = m.group()
                if not w.isascii() and not _english_with_accents(w):
                    out.append(self.finding("EN-UNTRANS-002", seg, m.start(), m.end(),
                                            f"'{w}' is not an English word: left untranslated?", ()))
        for m in _CAP_WORD_RE.finditer(tgt):
            if _untranslated_german(tgt, m, _doc_names(ctx), _glossary_words(ctx)):
                out.append(self.finding("EN-UNTRANS-003", seg, m.start(), m.end(),
                                        f"'{m.group()}' is German, not English: left untranslated?", ()))
        for m in _LOWER_ASCII_WORD_RE.finditer(tgt):
            lang = _foreign_word_lang(m.group())
            if lang is not None:
                what = f"a common {_LANG_NAMES[lang]} word" if lang else "spelled like a word of another language"
                out.append(self.finding("EN-UNTRANS-002", seg, m.start(), m.end(),
                                        f"'{m.group()}' is not English but {what}: left untranslated?", ()))
        return out

