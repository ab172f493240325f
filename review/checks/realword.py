"""Three checks from common English word pairs: EN-TYPO-007, a real word that a dropped letter made
("widely spoken in pubic transport", "I hoe that", "a clam for compensation"); EN-GRAM-022, a
pronoun in the wrong form ("announced that its was cancelling", "if your are concerned"); and
EN-ORDER-001, two neighbouring words in the wrong order ("said that damage no was reported",
"government his is").

The evidence is the English word and word-pair frequencies that ship with symspellpy (MIT; word
pairs from Google Books, the 242,342 commonest, none under 6.4 million occurrences).

EN-TYPO-007 flags a word when

- a word one letter longer is at least ``RATIO`` times as frequent ("pubic" → "public"),
- neither pair it forms with its neighbours is among the common pairs ("in pubic", "pubic
  transport"),
- and both pairs the longer word would form are ("in public", "public transport").

A two-letter word that the frequency list lacks ("mi", "ir") counts as such a rare word, unless it
is one of the few English ones (ox, ad, oh, ok…): "a mi of alpine" → "mix".

Only lower-case words between two words are judged (names, numbers and the edges of a clause
give no evidence), and not a word after "and" or "or", which almost any word may follow ("spruce
and fir", "entering and exiting"). "may" for "many" or "tim" for "time" are out of reach: "many"
is not ten times as frequent as "may", and "tenth time" is not among the common pairs.

EN-GRAM-022 flags a pronoun (I/me/my/mine/myself, he/him/his/himself, …) when another form of it
makes the pairs with both neighbours common and at least e^FORM_MARGIN (~3,000) times as likely;
a reflexive after a verb such as "let" or "found" is left alone ("let yourself be rushed"). At
the start of a clause (after punctuation or none) it has one neighbour: another form's pair with
the next word must be common and e^EDGE_FORM_MARGIN (~55) times as likely (", his added." →
"he").

EN-ORDER-001 flags words a, b between p and n when "a b" is not a common pair but "b a" is, and
p b / b a / a n are all common and far more likely together than p a / a b / b n ("damage no
was" → "no damage was"). Two capitalised words are a name and are left alone.

Without a language model, a rare but correct pair can still look wrong ("the maximum possible
extent" reads like "extent possible"): both rules are minor, and their suggestion is the likelier
text.

The tables are built on first use (~1 s: reading the two lists) and cached as a pickle in
review's cache folder, keyed by symspellpy's version (0.07 s to load)."""

from __future__ import annotations

import math
import re
import threading
import zlib
from itertools import repeat
from operator import add, mul
from typing import Iterable, NamedTuple

from ..lexicons import (SYMSPELL_PAIRS, SYMSPELL_WORDS, cache_dir, load_or_build, package_version,
                        symspell_rows)
from ..model import Finding, Segment, Severity
from ..rules import match_case
from .base import Check, Context, RuleInfo

RATIO = 10
# EN-ORDER-001: a pair missing from the list (all listed pairs occur 6.4 million times or more)
# counts as this many occurrences, and swapping must make the three pairs around the two words
# e^SWAP_MARGIN (~400) times as likely
ABSENT_PAIR = 1_000_000
SWAP_MARGIN = 6.0
_FORMAT = 5  # of the cached tables: a new layout takes a new cache file
# Two-letter English words that the frequency list lacks (it has 36, from "al" to "we"); any other
# two-letter word is judged like a rare word a letter short ("a mi of alpine" → "mix")
_TWO_LETTER_WORDS = frozenset("ad ah aw eg eh er et ex ha hm ho ie lo oh ok ow ox oy pa uh um vs ya ye yo".split())
# EN-GRAM-022: the forms of each pronoun, and how much likelier (e^FORM_MARGIN) another form must
# make the pairs with both neighbours
PRONOUN_FORMS = tuple(g.split() for g in ("i me my mine myself", "he him his himself", "she her hers herself",
                                          "it its itself", "we us our ours ourselves",
                                          "they them their theirs themselves", "you your yours yourself"))
FORM_MARGIN = 8.0
# ... and at the start of a clause (no word before it), by its pair with the next word alone, at
# least e^EDGE_FORM_MARGIN (~55) times as likely ("… yet his needs an answer" stays; ", his
# added." → "he")
EDGE_FORM_MARGIN = 4.0
# verbs whose object a complement follows: a reflexive after them is English ("let yourself be")
_OBJECT_COMPLEMENT_VERBS = frozenset(
    "let lets make makes made help helps helped find finds found see sees saw get gets got keep keeps "
    "kept allow allows allowed consider considers considered call calls called prove proves proved "
    "declare declares declared believe believes believed feel feels felt watch watched imagine "
    "imagined show shows showed leave leaves left".split())
# EN-GRAM-022 at a clause start: possessives that stand for a noun, and the verbs that may follow
_INDEPENDENT_POSSESSIVES = frozenset("mine yours his hers ours theirs".split())
_VERBS_AFTER_POSSESSIVE = frozenset("is are was were has have had will would can could may might must".split())
_WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|[^\sA-Za-z]")
_LOWER_WORD_RE = re.compile(r"[a-z]+(?:['’][a-z]+)*|[^\sa-z]")
_lock = threading.Lock()
_TABLES: list["_Tables"] = []


class _Tables(NamedTuple):
    """Words are numbered from 1 (0: a word the lists lack); the pair of words numbered a and b
    is the key a * size + b, which no pair with an unknown word can take."""

    ids: dict[str, int]  # word -> number
    size: int  # one more than the highest number
    pairs: dict[int, int]  # pair key -> occurrences, for the common pairs
    longer: dict[int, tuple[tuple[str, int], ...]]  # word -> its one-letter-longer words (word,
    # number), most frequent first
    forms: dict[int, tuple[tuple[str, int], ...]]  # pronoun -> its other forms (word, number)


def _symspell_version() -> str:
    return package_version("symspellpy")


def _build() -> _Tables:
    freq = {w: int(c) for w, c in symspell_rows(SYMSPELL_WORDS)}
    longer: dict[str, list[tuple[int, str]]] = {}
    for c, fc in freq.items():
        for i in range(len(c)):
            w = c[:i] + c[i + 1:]
            fw = freq.get(w)
            if (fw and fc >= RATIO * fw) or (fw is None and len(w) == 2 and w not in _TWO_LETTER_WORDS):
                longer.setdefault(w, []).append((fc, c))  # (a two-letter word the list lacks: "a mi of")
    raw = [(a, b, int(n)) for a, b, n in symspell_rows(SYMSPELL_PAIRS)]
    ids: dict[str, int] = {}
    for w in sorted({w for a, b, _ in raw for w in (a, b)} | set(longer) | {c for cs in longer.values() for _, c in cs}):
        ids[w] = len(ids) + 1
    size = len(ids) + 1
    pairs = {ids[a] * size + ids[b]: n for a, b, n in raw}
    table = {ids[w]: tuple((c, ids[c]) for _, c in sorted(set(cs), reverse=True)) for w, cs in longer.items()}
    forms = {ids[w]: tuple((f, ids[f]) for f in group if f != w and f in ids)
             for group in PRONOUN_FORMS for w in group if w in ids}
    return _Tables(ids, size, pairs, table, forms)


def tables() -> _Tables | None:
    """The tables, or None when symspellpy is not installed."""
    if _TABLES:
        return _TABLES[0]
    with _lock:
        if not _TABLES:
            version = _symspell_version()
            if not version:
                return None
            words = zlib.crc32(" ".join(sorted(_TWO_LETTER_WORDS)).encode())
            path = cache_dir() / f"realword-{version}-{RATIO}-{_FORMAT}-{words:08x}.pickle"
            _TABLES.append(load_or_build(path, _build, lambda t: isinstance(t, _Tables), "realword-*.pickle"))
    return _TABLES[0]


def _plain(words: list[str], low: list[str], a: int, b: int) -> bool:
    """Whether tokens a..b-1 are all words, none of them an acronym: only such windows give
    evidence (punctuation ends it, and "US" is not "us")."""
    return all(w.isalpha() for w in low[a:b]) and not any(len(w) > 1 and w.isupper() for w in words[a:b])


def _at_clause_start(low: list[str], i: int) -> bool:
    """Whether token i has no word before it: the text's start or a punctuation mark."""
    return i == 0 or not low[i - 1][:1].isalpha()


def _possessive_reading(words: list[str], low: list[str], i: int) -> bool:
    """EN-GRAM-022 at a clause start: the possessive at i may be right after all. The next word goes
    on ("his well-known"), is an adjective in -ed before a noun ("his added value"), or the
    possessive stands for a noun before a verb ("Ours are cheaper", "His was the best")."""
    if low[i] in _INDEPENDENT_POSSESSIVES and low[i + 1] in _VERBS_AFTER_POSSESSIVE:
        return True
    if i + 2 >= len(low):
        return False
    after = low[i + 2]
    return after in "-'’" or (low[i + 1].endswith("ed") and after.isalpha() and words[i + 2].islower())


def _logcount(pairs: dict[int, int], key: int) -> float:
    """ln of a pair's occurrences, ABSENT_PAIR for a pair the list lacks."""
    return math.log(pairs.get(key, ABSENT_PAIR))


class RealWordCheck(Check):
    rules = (
        RuleInfo(
            "EN-TYPO-007", "Fluency/Spelling", Severity.MINOR,
            "A real word that fits neither neighbour where a word one letter longer fits both "
            "(a dropped letter: 'pubic' for 'public').",
            good=("Spanish is also widely spoken in public transport.",
                  "Patients must wear masks when entering and exiting public places.",
                  "The park is forested, with spruce and fir as the main species; he may well win.",
                  "The ox was tired, the ad ran on TV, and the road is 50 mi long."),
            bad=("Spanish is also widely spoken in pubic transport.",
                 '"I hoe that everything will be fine," he said.',
                 "The reform would generate a clam for compensation of 8 billion euros.",
                 "The menu offers a mi of local and foreign dishes."),
        ),
        RuleInfo(
            "EN-GRAM-022", "Fluency/Grammar", Severity.MINOR,
            "A pronoun in the wrong form (he/him/his/himself…): another form makes both word pairs "
            "around it common and far more likely.",
            good=("Most insects can fold their wings back along their bodies.",
                  "Singh has a government, yet his needs go unanswered; his added value is clear.",
                  "Their well-disciplined defence set them apart. Her husband, his wife. His was the "
                  "best; ours are cheaper.",
                  "Check that your intended bus is going to Hebron; the President of the United "
                  "States of America, Donald Trump, spoke.",
                  "Just before we ourselves are destroyed, correlation in itself proves nothing.",
                  "He told Harry: don't let yourself be rushed."),
            bad=("The airline announced that its was cancelling 105 flights in October.",
                 "Check that yourself intended bus is going to Hebron.",
                 "If your are concerned, you should buy water in a sealed bottle.",
                 '"Mice that used to be diabetic are no longer diabetic," his added.',
                 "For the campaign, ours also prepared a new illustration."),
        ),
        RuleInfo(
            "EN-ORDER-001", "Fluency/Grammar", Severity.MINOR,
            "Two neighbouring words in the wrong order: swapped, all three word pairs around them "
            "are common English and far more likely than the pairs as written.",
            good=("The emergency office said that no damage was reported on the islands.",
                  "I don't know if you realize that most of the goods imported into this country "
                  "are duty free.",
                  "After the completion of this share transfer, it is expected to rise.",
                  "Since June the US leads in the number of cases, and the WHO said so."),
            bad=("The emergency office said that damage no was reported on the islands.",
                 "The minister wrote that government his is watching the storm closely.",
                 "About third a of the area is water, and visitors free are to walk through it."),
        ),
    )

    def prepare(self, segs, ctx: Context) -> None:
        if segs:
            tables()

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        text = seg.target
        if not text or (seg.target_lang or "en")[:2] != "en":
            return []
        t = tables()
        if t is None:
            return []
        low = _LOWER_WORD_RE.findall(text.lower())
        if len(low) < 4:
            return []
        ids = list(map(t.ids.get, low, repeat(0)))
        size, pairs, longer = t.size, t.pairs, t.longer
        # Two set intersections (in C) find the words of `longer` and the pairs whose reverse is
        # common; only positions holding one of them (or a pronoun) are looked at in Python.
        shorter = longer.keys() & ids
        rev = list(map(add, map(mul, ids[1:], repeat(size)), ids))  # rev[i]: ids[i + 1], ids[i]
        reversed_common = pairs.keys() & rev
        pronouns = t.forms.keys() & ids
        forms = [(i, f) for i in range(len(ids) - 1) if ids[i] in pronouns
                 for f in (self._better_form(i, ids, low, t),) if f] if pronouns else []
        if not shorter and not reversed_common and not forms:
            return []
        swaps = [i for i in range(1, len(ids) - 2)
                 if rev[i] in reversed_common and ids[i] * size + ids[i + 1] not in pairs
                 and self._swap_wins(i, ids, t)] if reversed_common else []
        typos = [i for i in range(1, len(ids) - 1)
                 if ids[i] in shorter and ids[i - 1] * size + ids[i] not in pairs
                 and ids[i] * size + ids[i + 1] not in pairs] if shorter else []
        if not swaps and not typos and not forms:
            return []
        words = _WORD_RE.findall(text)
        if len(words) != len(low):  # (lower-casing changed the text's length: give up)
            return []
        spans = [m.span() for m in _WORD_RE.finditer(text)]
        out = []
        done = -1
        for i in swaps:
            if i <= done or not (words[i].islower() or words[i + 1].islower()):
                continue  # (two capitalised words: a name)
            if not _plain(words, low, i - 1, i + 3):
                continue
            (sa, ea), (sb, eb) = spans[i], spans[i + 1]
            gap = text[ea:sb]
            if gap.strip():
                continue
            fix = f"{words[i + 1]}{gap}{words[i]}"
            out.append(self.finding("EN-ORDER-001", seg, sa, eb, f"'{text[sa:eb]}' reads as swapped: '{fix}'?", [fix]))
            done = i + 1
        for i, better in forms:
            w = words[i]
            edge = _at_clause_start(low, i)
            if not _plain(words, low, i if edge else i - 1, i + 2):
                continue
            if edge and _possessive_reading(words, low, i):
                continue
            if not edge and low[i].endswith(("self", "selves")) and low[i - 1] in _OBJECT_COMPLEMENT_VERBS:
                continue  # "let yourself be rushed", "found himself alone"
            fix = "I" if better == "i" else match_case(w, better)
            out.append(self.finding("EN-GRAM-022", seg, spans[i][0], spans[i][1],
                                    f"'{w}' is the wrong form of the pronoun here: '{fix}' fits its neighbours.",
                                    [fix]))
        for i in typos:
            w, p = words[i], low[i - 1]
            if not (w.islower() and _plain(words, low, i - 1, i + 2)):
                continue
            if p in ("and", "or"):
                continue  # almost any word follows "and": "spruce and fir", "entering and exiting"
            ip, inn = ids[i - 1], ids[i + 1]
            fit = [c for c, ic in longer[ids[i]] if ip * size + ic in pairs and ic * size + inn in pairs]
            if fit:
                out.append(self.finding("EN-TYPO-007", seg, spans[i][0], spans[i][1],
                                        f"'{w}' fits neither neighbour; '{fit[0]}' fits both: a letter dropped?",
                                        fit[:3]))
        return out

    @staticmethod
    def _better_form(i: int, ids: list[int], low: list[str], t: _Tables) -> str | None:
        """EN-GRAM-022: the form of the pronoun at i (he/him/his/himself…) whose pairs with both
        neighbours are common and at least e^FORM_MARGIN times as likely as the pronoun's own; at
        the start of a clause (no word before it), whose pair with the next word is common and
        e^EDGE_FORM_MARGIN times as likely."""
        size, pairs = t.size, t.pairs
        w, n = ids[i], ids[i + 1]
        edge = _at_clause_start(low, i)
        p = ids[i - 1]  # (not read at a clause start, where the left pair counts as 1: log 0)
        written = _logcount(pairs, w * size + n) + (0.0 if edge else _logcount(pairs, p * size + w))
        best, best_score = None, written + (EDGE_FORM_MARGIN if edge else FORM_MARGIN)
        for form, f in t.forms[w]:
            pf, fn = 1 if edge else pairs.get(p * size + f), pairs.get(f * size + n)
            if pf and fn:
                score = math.log(fn) + math.log(pf)
                if score >= best_score:
                    best, best_score = form, score
        return best

    @staticmethod
    def _swap_wins(i: int, ids: list[int], t: _Tables) -> bool:
        """EN-ORDER-001 for words a, b (i, i + 1) between p and n, given that "b a" is a common pair
        and "a b" is not: p b and a n are common too, and the three pairs swapped are at least
        e^SWAP_MARGIN times as likely as p a / a b / b n (a pair the list lacks counts as
        ABSENT_PAIR)."""
        size, pairs = t.size, t.pairs
        p, a, b, n = ids[i - 1], ids[i], ids[i + 1], ids[i + 2]
        pb, an = pairs.get(p * size + b), pairs.get(a * size + n)
        if not (pb and an):
            return False
        swapped = math.log(pb) + math.log(pairs[b * size + a]) + math.log(an)
        written = _logcount(pairs, p * size + a) + math.log(ABSENT_PAIR) + _logcount(pairs, b * size + n)
        return swapped - written >= SWAP_MARGIN
