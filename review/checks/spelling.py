"""English spelling: unknown words in the target, with ranked suggestions.

The lexicon is pyspellchecker's English frequency list (loaded once per process, lazily), widened
with British spellings, regular inflections, common prefixes and a short list of modern words the
list lacks. Names are left alone: a capitalised word inside a sentence is a name unless it is one
edit away from a much more frequent known word ("Amercia" → "America"); a capitalised word used
twice in the document, or any word that also occurs in the source, is never flagged.

Speed: most segments are decided by one set test, that every whitespace-separated piece of their
text is already known to be clean (``_CLEAN_PIECES``); pieces and tokens are judged once per
process. The structures derived from the word list for suggestions (``_Derived``) are cached as a
pickle next to the word lists, and edit-distance candidates are computed only as far as a finding
needs them.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

import regex

from ..lexicons import cache_dir as lexicon_cache_dir
from ..lexicons import keep_newest, read_pickle, spellchecker_version, write_pickle
from ..model import Finding, Segment, Severity
from .base import Check, Context, RuleInfo, at_sentence_start, search_before

__all__ = ["SpellingCheck", "lexicon", "is_english_word", "word_frequency"]

# Words the frequency list lacks but MT output uses (kept short: the list is the lexicon).
_EXTRA = """
coronavirus coronaviruses covid covid-19 carmaker carmakers automaker automakers km kg cm mm ft lb lbs
mph kmh versa pre labeler labelers intercompany denuclearization denuclearize microexpression
microexpressions ziggurat ziggurats smartphone smartphones app apps online offline email emails
website websites blog blogs blogger bloggers livestream livestreaming hashtag hashtags selfie
selfies cryptocurrency cryptocurrencies bitcoin blockchain vaccinations unvaccinated biodiversity
startup startups ebook ebooks wifi podcast podcasts covid19 pandemic pandemics epidemiologist
epidemiologists infographic netizen netizens fintech geopolitical geopolitics sars mers ebola
nonprofit nonprofits toolkit antivirus antiviral antivirals healthcare lockdown lockdowns
cyber cybersecurity etc multi tech techs immersive mung ml ylang seater socio ringtone ringtones webinar
webinars maths spacetime weblog weblogs ethereum rehydration tonifying onsite stormtrooper livestreamed
esports ecommerce telehealth telemedicine microblog microblogs influencer influencers unfollow
geotag subwoofer touchscreen touchscreens broadband homepage ok okay vlog vlogs vlogger emoji emojis
mould moulds mouldy moulding moulded moult moulted moulting
""".split()

_PREFIXES = ("anti", "auto", "bio", "co", "counter", "cross", "cyber", "de", "dis", "eco", "extra",
             "geo", "hyper", "inter", "intra", "macro", "mega", "micro", "mid", "mini", "mis", "multi",
             "neo", "non", "out", "over", "post", "pre", "pro", "pseudo", "re", "semi", "self", "sub",
             "super", "tele", "trans", "tri", "ultra", "un", "under", "well")
_SUFFIXES = (("'s", ""), ("’s", ""), ("s'", "s"), ("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"),
             ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ly", ""), ("ily", "y"),
             ("ers", ""), ("er", ""), ("er", "e"), ("ness", ""), ("ment", ""), ("ments", ""),
             ("able", ""), ("ism", ""), ("ist", ""), ("ists", ""), ("ization", "ize"), ("isation", "ize"))
_SUFFIX_ENDS = tuple(suf for suf, _ in _SUFFIXES)
# British → American respellings tried for unknown words.
_BRIT = (("our", "or"), ("ence", "ense"), ("tre", "ter"), ("ise", "ize"), ("ised", "ized"),
         ("ising", "izing"), ("isation", "ization"), ("yse", "yze"), ("lled", "led"), ("lling", "ling"),
         ("ogue", "og"), ("ae", "e"), ("oe", "e"), ("mme", "m"), ("eable", "able"), ("ller", "ler"),
         ("bre", "ber"))

_lock = threading.Lock()
_build_lock = threading.Lock()  # for the structures derived from the lexicon
_LEX: dict | None = None


def lexicon() -> dict:
    """The lowercase word → frequency dictionary (loaded on first use)."""
    global _LEX
    if _LEX is None:
        with _lock:
            if _LEX is None:
                from ..lexicons import word_frequencies

                d = dict(word_frequencies("en"))
                for w in _EXTRA:
                    d.setdefault(w, 50)
                _LEX = d
    return _LEX


@lru_cache(maxsize=1)
def _longest() -> int:
    """The length of the longest listed word: nothing longer by two letters is one edit from a
    listed word (a 10,000-letter "word" would otherwise make 530,000 edits of itself)."""
    return max(map(len, lexicon()))


def word_frequency(word: str) -> int:
    return lexicon().get(word.lower(), 0)


_CONTRACTION_RE = regex.compile(r"^(.+?)(n't|'s|'d|'ll|'re|'ve|'m|s')$")


@lru_cache(maxsize=200_000)
def _lookup(w: str) -> tuple[int, str]:
    """How ``w`` (lowercase, ASCII apostrophes) is known: (2, w) = listed, (1, base) = a regular
    derivation of listed ``base`` (inflection, prefix, British spelling), (0, "") = unknown."""
    lex = lexicon()
    if w in lex:
        return 2, w
    m = _CONTRACTION_RE.match(w)
    if m:
        base = m.group(1)
        if base in lex or (m.group(2) == "n't" and base in ("ca", "wo", "sha")):
            return 2, base
        k, b = _lookup(base)
        if k:
            return 1, b
    if len(w) >= 5:
        for a, b in _BRIT:
            i = w.find(a, 1)
            if i > 0:
                alt = w[:i] + b + w[i + len(a):]
                k = 1 if a in ("ae", "oe") else 2  # "foetus" yes, "soem"/"doens" no
                if alt in lex:
                    return k, alt
                if alt.endswith("s") and alt[:-1] in lex:
                    return k, alt[:-1]
                for suf in ("s", "ed", "ing", "er", "ers"):
                    if alt.endswith(suf) and alt[: -len(suf)] in lex and len(alt) - len(suf) >= 4:
                        return 1, alt[: -len(suf)]
    if w.endswith(_SUFFIX_ENDS):  # (one test first: most unknown words have no suffix)
        for suf, rep in _SUFFIXES:
            if w.endswith(suf) and len(w) - len(suf) >= 3:
                base = w[: -len(suf)] + rep
                if base in lex:
                    return 1, base
    if w.startswith(_PREFIXES):
        for p in _PREFIXES:
            if w.startswith(p) and len(w) - len(p) >= 4:
                rest = w[len(p):].lstrip("-")
                if rest in lex:
                    return 1, rest
                for suf, rep in _SUFFIXES:
                    if rest.endswith(suf) and len(rest) - len(suf) >= 3 and (rest[: -len(suf)] + rep) in lex:
                        return 1, rest[: -len(suf)] + rep
    return 0, ""


# A derived form ("adviced", "untill", "truely") one edit from another word at least this frequent
# is a misspelling of that word, not a derivation.
_DERIVED_NEIGHBOUR_FREQ = 500


_INFLECTION_TAILS = frozenset(("", "s", "es", "ed", "d", "ing", "er", "ers", "est", "ly", "e", "y", "'s"))


def _inflects(c: str, base: str, w: str) -> bool:
    """Whether neighbour ``c`` of derived ``w`` is another form of the same ``base`` ("attached"
    for "attaches") or of ``w`` itself, not a different word ("gender" for "gener" from "gen")."""
    return c.startswith(w) or c.startswith(base) and c[len(base):] in _INFLECTION_TAILS


@lru_cache(maxsize=200_000)
def is_english_word(word: str) -> bool:
    """True when ``word`` (any case) is an English word or a regular form of one."""
    w = word.lower().replace("’", "'")
    k, base = _lookup(w)
    if k == 2:
        return True
    if k == 1:
        lex = lexicon()
        return not any(lex[c] >= _DERIVED_NEIGHBOUR_FREQ and c != base and not _inflects(c, base, w)
                       for c in _known_edits1(w))
    return False


_ALPHA = "abcdefghijklmnopqrstuvwxyz"


def _edits1(w: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion (a-z) away from ``w``."""
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out.update([a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1])
    out.update([a + c + b[1:] for a, b in splits if b for c in _ALPHA])
    out.update([a + c + b for a, b in splits for c in _ALPHA])
    out.discard(w)
    return out


@lru_cache(maxsize=50_000)
def _known_edits1(w: str) -> frozenset[str]:
    """The listed words among ``_edits1(w)``."""
    if len(w) > _longest() + 1:
        return frozenset()
    return frozenset(lexicon().keys() & _edits1(w))


class _Pool:
    """The words suggestions are drawn from beyond one edit (frequency > 50, alphabetic), by length,
    with a fast exact pre-filter for the two-edit search.

    Two edits (OSA: substitution, insertion, deletion, adjacent swap) remove at most two letters of
    ``w`` and add at most two, so a word ``c`` of length ``L`` within two edits shares at least
    ``max(len(w), L) - 2`` letters with ``w``, counted as multisets. Per length and letter, a
    "lane" holds each word's count of that letter in one byte of a big integer; adding the lanes
    of ``w``'s letters (each capped at ``w``'s own count) counts the shared letters of every word of
    that length at once, and the few words that pass are checked with the real distance. Words
    with letters outside a-z (none in pyspellchecker's English list) skip the filter."""

    _MIN = [bytes(min(v, m) for v in range(256)) for m in range(256)]  # byte → min(byte, m)
    _MAX_LEN = 128  # longer words skip the filter (their counts would not fit the byte arithmetic)

    def __init__(self, by_len: dict[int, list[str]], exotic: list[str], counts: dict[tuple[int, str], bytes]):
        self.by_len = by_len
        self.exotic = exotic  # pool words with letters outside a-z: always checked
        self._counts = counts  # (length, letter) → that letter's count in each word, one byte each
        self._ones = {n: int.from_bytes(b"\x01" * len(ws), "little") for n, ws in by_len.items()}
        self._highs = {n: ones << 7 for n, ones in self._ones.items()}
        self._lanes: dict[tuple[int, str, int], int] = {}

    @classmethod
    def build(cls, lex: dict[str, int]) -> "_Pool":
        by_len: dict[int, list[str]] = {}
        exotic = []
        for w, f in lex.items():
            if f > 50 and w.isalpha():
                if w.isascii() and w.islower():
                    by_len.setdefault(len(w), []).append(w)
                else:
                    exotic.append(w)
        counts = {}
        for n, words in by_len.items():
            if n < cls._MAX_LEN:
                # the words laid end to end: the i-th letters of all of them are [i::n]
                joined = "".join(words).encode("ascii")
                for ch in _ALPHA:
                    flags = joined.translate(bytes(int(b == ord(ch)) for b in range(256)))
                    total = sum(int.from_bytes(flags[i::n], "little") for i in range(n))
                    counts[(n, ch)] = total.to_bytes(len(words), "little")
        return cls(by_len, exotic, counts)

    def _lane(self, n: int, ch: str, m: int) -> int:
        """min(count of ``ch``, ``m``) for each word of length ``n``, one byte each."""
        lane = self._lanes.get((n, ch, m))
        if lane is None:
            lane = self._lanes[(n, ch, m)] = int.from_bytes(self._counts[(n, ch)].translate(self._MIN[m]), "little")
        return lane

    def near(self, w: str) -> list[str]:
        """A superset of the pool words within two edits of ``w``."""
        letters = [(ch, min(k, 255)) for ch, k in Counter(w).items() if ch in _ALPHA]
        shared_max = sum(k for _, k in letters)
        out = list(self.exotic)
        for n in range(len(w) - 2, len(w) + 3):
            words = self.by_len.get(n)
            if not words:
                continue
            need = max(shared_max, n) - 2
            if need <= 0 or n >= self._MAX_LEN:
                out.extend(words)
                continue
            if need > shared_max:
                continue
            ones = self._ones[n]
            shared = sum(self._lane(n, ch, k) for ch, k in letters)  # <= n < 128 per byte: no carries
            passed = (shared + (128 - need) * ones) & self._highs[n]  # bit 7 set where shared >= need
            if passed:
                out.extend(words[m.start()] for m in _HIGH_BIT.finditer(passed.to_bytes(len(words), "little")))
        return out


_HIGH_BIT = re.compile(b"\x80")


def _build_dropped(lex: dict[str, int]) -> dict[str, tuple[str, ...]]:
    """Every rare listed word with words one letter (a-z) longer at least ``_DROPPED_RATIO`` times
    as frequent (``_DROPPED_RATIO_RAREST`` times for the rarest words) → the three most frequent of
    those (see ``_dropped_letter``). Built from the other side: deleting each letter of the
    frequent words (tens of thousands) is much cheaper than trying 26 letters at every position of
    each rare word."""
    longer: dict[str, set[str]] = {}
    for h, fh in lex.items():
        if fh < _DROPPED_RATIO_RAREST:  # frequencies are whole numbers >= 1: never frequent enough
            continue
        for i, ch in enumerate(h):
            if ch in _ALPHA:
                w = h[:i] + h[i + 1:]
                f = lex.get(w, 0)
                if f and (f <= _DROPPED_MAX_FREQ and fh >= _DROPPED_RATIO * f
                          or f <= _DROPPED_RAREST_FREQ and fh >= _DROPPED_RATIO_RAREST * f) \
                        and len(w) >= 2 and w.islower():
                    longer.setdefault(w, set()).add(h)
    return {w: tuple(c for _, c in sorted(((lex[c], c) for c in hs), reverse=True)[:3]) for w, hs in longer.items()}


class _Derived(NamedTuple):
    """What the check derives from the lexicon: a few tenths of a second to build, ~10 ms to load
    from the cache."""

    pool: _Pool
    dropped: dict[str, tuple[str, ...]]


_DERIVED: _Derived | None = None


def _derived() -> _Derived:
    global _DERIVED
    if _DERIVED is None:
        lex = lexicon()
        with _build_lock:
            if _DERIVED is None:
                _DERIVED = _load_or_build_derived(lex)
    return _DERIVED


def _derived_cache_path(lex: dict[str, int]) -> Path | None:
    """The pickle caching ``_Derived``, next to the word lists' (``review.lexicons``). Its name is
    a digest of this module's code, pyspellchecker's version and the word list's size and total,
    so that a change to any of them is a miss."""
    try:
        h = hashlib.sha256(Path(__file__).read_bytes())
    except OSError:
        return None
    h.update(f"{spellchecker_version()}:{len(lex)}:{sum(lex.values())}".encode())
    return lexicon_cache_dir() / f"spelling-en-{h.hexdigest()[:16]}.pickle"


def _load_or_build_derived(lex: dict[str, int]) -> _Derived:
    path = _derived_cache_path(lex)
    cached = read_pickle(path) if path is not None else None
    if cached is not None:
        try:
            by_len, exotic, counts, dropped = cached
            return _Derived(_Pool(by_len, exotic, counts), dropped)
        except Exception:  # another shape: rebuilt below
            pass
    pool = _Pool.build(lex)
    derived = _Derived(pool, _build_dropped(lex))
    # write it for the next process (skipped silently if that fails); keep the few newest (other
    # code versions may share the folder), drop the rest
    if path is not None and write_pickle(path, (pool.by_len, pool.exotic, pool._counts, derived.dropped)):
        keep_newest(path.parent, "spelling-en-*.pickle", 3)
    return derived


@lru_cache(maxsize=50_000)
def _near_candidates(w: str) -> tuple[tuple[str, int, int], ...]:
    """Known words one edit (a-z) from ``w``: (word, 1, frequency), the eight best first."""
    lex = lexicon()
    c1 = [(c, 1, lex[c]) for c in _known_edits1(w)]
    c1.sort(key=lambda x: (_edit_weight(w, x[0]), -x[2], x[0]))  # ties by spelling: deterministic
    return tuple(c1[:8])


@lru_cache(maxsize=50_000)
def _candidates(w: str) -> tuple[tuple[str, int, int], ...]:
    """Known words near ``w`` (lowercase): (word, distance, frequency), best first."""
    c1 = _near_candidates(w)
    if c1:
        return c1
    from rapidfuzz.distance import OSA

    lex = lexicon()
    c2 = []
    for c in _derived().pool.near(w):
        d = OSA.distance(w, c, score_cutoff=2)
        if d <= 2:
            c2.append((c, d, lex[c]))
    c2.sort(key=lambda x: (x[1], -x[2], x[0]))
    return tuple(c2[:8])


def _swap_neighbour(w: str) -> bool:
    """Whether a word at least ``NAME_NEIGHBOUR_FREQ`` frequent is among ``_candidates(w)`` as a swap
    of two adjacent letters. Swaps are the cheapest edit (``_edit_weight``), so they rank first
    and the most frequent one is always among the eight candidates: only swaps need trying."""
    lex = lexicon()
    if len(w) > _longest():
        return False
    return any(lex.get(s, 0) >= NAME_NEIGHBOUR_FREQ for s in
               {w[:i] + w[i + 1] + w[i] + w[i + 2:] for i in range(len(w) - 1)} - {w})


def _one_edit_candidates(w: str) -> tuple[tuple[str, int, int], ...]:
    """The distance-1 entries of ``_candidates(w)``, in order: all the name rules look at. Beyond
    the one-edit search only pool words with letters outside a-z can be one edit away, so the
    costlier two-edit search is skipped when there are none."""
    c1 = _near_candidates(w)
    if c1 or not _derived().pool.exotic:
        return c1
    return tuple(c for c in _candidates(w) if c[1] == 1)


def suggestions_for(word: str) -> list[str]:
    """Up to three corrections, best first, in the word's own case pattern."""
    cands = _candidates(word.lower())
    out = []
    for c, _, _ in cands[:3]:
        if word.isupper() and len(word) > 1:
            c = c.upper()
        elif word[:1].isupper():
            c = c[:1].upper() + c[1:]
        out.append(c)
    return out


_MASK_PARTS = (r"https?://\S+", r"www\.\S+", r"\S+@\S+\.\w+",
               r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|io|int|html?|[a-z]{2})\b(?!\.\w)(?=[\s/,;:)\]\-]|$)",
               r"[#@]\w+", r"\b(?:i\.e|e\.g|ie|eg)\b")
_MASK_RE = regex.compile("|".join(_MASK_PARTS), regex.I)
# the same for text without "@" or "#" (most): twice as fast without the parts that need one
_MASK_PLAIN_RE = regex.compile("|".join(p for p in _MASK_PARTS if "@" not in p), regex.I)
_MASK_HINT = regex.compile(r"\.[A-Za-z]|(?i:\b(?:ie|eg)\b)")
# _MASK_HINT for ASCII text, in lower case: the standard-library engine is faster, split in two
# because the dot test is nearly free and most text has no "ie" or "eg" at all.
_ASCII_DOT_LETTER = re.compile(r"\.[a-z]")
_ASCII_IE_EG = re.compile(r"(?:ie|eg)\b(?<!\w..)")


def _maskable(text: str) -> bool:
    """Whether ``text`` may hold something to mask (``_MASK_HINT``, "@" or "#")."""
    if "@" in text or "#" in text:
        return True
    if not text.isascii():
        return _MASK_HINT.search(text) is not None
    low = text.lower()
    return _ASCII_DOT_LETTER.search(low) is not None or (
        ("ie" in low or "eg" in low) and _ASCII_IE_EG.search(low) is not None)


_TOKEN_RE = regex.compile(r"[\p{L}\p{M}\d]+(?:['’\-][\p{L}\p{M}\d]+)*")
# The same tokens in ASCII text (most segments), with the faster standard-library engine.
_ASCII_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:['\-][A-Za-z0-9]+)*")
# Tokens that start with a capital: a position starts a token when neither a token character nor
# a joiner after a token character precedes it.
_CAP_TOKEN_RE = regex.compile(
    r"(?<![\p{L}\p{M}\d])(?<![\p{L}\p{M}\d]['’\-])\p{Lu}[\p{L}\p{M}\d]*(?:['’\-][\p{L}\p{M}\d]+)*")
_ASCII_CAP_TOKEN_RE = re.compile(  # (the capital first: the engine then skips to capitals quickly)
    r"[A-Z](?<![A-Za-z0-9][A-Z])(?<![A-Za-z0-9]['\-][A-Z])[A-Za-z0-9]*(?:['\-][A-Za-z0-9]+)*")


def _doc_names(ctx: Context) -> set[str]:
    """Capitalised words used twice or more in the document (names)."""
    key = ("spelling.names", id(ctx.segments), len(ctx.segments))
    names = ctx.cache.get(key)
    if names is None:
        # one pass over all targets at once (tokens never span the newlines between them)
        targets = [s.target for s in ctx.segments]
        counts = Counter(_ASCII_CAP_TOKEN_RE.findall("\n".join(t for t in targets if t.isascii())))
        counts.update(_CAP_TOKEN_RE.findall("\n".join(t for t in targets if not t.isascii())))
        names = {t for t, c in counts.items() if c >= 2 and t[:1].isupper()}
        ctx.cache[key] = names
    return names


def _glossary_words(ctx: Context) -> set[str]:
    g = ctx.glossary
    if g is None:
        return set()
    key = ("spelling.glossary", id(g))
    words = ctx.cache.get(key)
    if words is None:
        fn = getattr(g, "words", None)
        try:
            words = set(fn("en")) if callable(fn) else set()
        except Exception:
            words = set()
        words |= {w.lower() for w in words}
        ctx.cache[key] = words
    return words


def _edit(w: str, c: str) -> tuple[str, int]:
    """The single edit turning ``c`` (a known word) into ``w``: (kind, position in ``w``)."""
    i, n = 0, min(len(w), len(c))
    while i < n and w[i] == c[i]:
        i += 1
    if len(w) == len(c):
        if i + 1 < len(w) and w[i] == c[i + 1] and w[i + 1] == c[i]:
            return "swap", i
        return "sub", i
    return ("del", i) if len(w) < len(c) else ("ins", i)


_SIMILAR = [set("aeiouy"), set("cks"), set("sz"), set("mn"), set("dt"), set("bp"), set("gj"), set("fv")]
_SIMILAR_PAIRS = frozenset((a, b) for g in _SIMILAR for a in g for b in g)


def _edit_weight(w: str, c: str) -> float:
    """Cost of the one edit from ``c`` to ``w``: swaps, doubled letters and look/sound-alike
    substitutions ("adviced"/"advised") are cheaper than arbitrary ones."""
    kind, i = _edit(w, c)
    if kind == "swap":
        return 0.5
    if kind == "sub":
        a, b = w[i:i + 1], c[i:i + 1]
        return 0.6 if (a, b) in _SIMILAR_PAIRS else 1.0
    longer, shorter = (w, c) if kind == "ins" else (c, w)
    ch = longer[i:i + 1]
    if ch and (longer[i - 1:i] == ch or longer[i + 1:i + 2] == ch):
        return 0.6  # a doubled letter added or dropped
    return 1.0


def _typo_shaped(w: str, c: str) -> bool:
    """Whether ``w`` looks like a typing slip of ``c`` rather than a different (name) word: names
    differ from common words at the first or last letter ("Goma"/"coma", "Modi"/"mode"), slips
    swap, drop or double letters inside the word ("Amercia", "Amrican", "Proffessor")."""
    kind, pos = _edit(w, c)
    n = len(w)
    if kind == "swap":
        return n >= 3
    if pos == 0:
        return False
    if kind == "del":
        return n >= 5 or (n == 4 and pos < n)
    if pos >= n - 1:
        return False
    if kind == "ins":
        return n >= 5
    return n >= 6  # interior substitution


# A capitalised unknown word is a name unless it is a typo-shaped edit of a known word at least
# this frequent.
NAME_NEIGHBOUR_FREQ = 1000
# ... or, for a name of at most SHORT_NAME_LEN letters, at least SHORT_NAME_NEIGHBOUR_FREQ: short
# words have many one-edit neighbours, so "Buras" (bras), "Arba" (arab) and "Parly" (party) are
# names; "Rela" (real) and "Beijng" (being) are still slips
SHORT_NAME_LEN = 6
SHORT_NAME_NEIGHBOUR_FREQ = 250_000
# A lower-case unknown word whose nearest words are two edits away is a typo only of a word at
# least this frequent
_FAR_NEIGHBOUR_FREQ = 1000
# ... and inside a run of capitalised words, at least this frequent (with a Latin-script source)
NAME_SEQUENCE_NEIGHBOUR_FREQ = 3_000
# A capitalised unknown word that opens a sentence is a slip, not a name, when it is one edit from
# one of the commonest words (when, two, this: frequency at least this)
_INITIAL_SLIP_FREQ = 1_000_000


def _top_neighbour_freq(low: str) -> int:
    return max((c[2] for c in _one_edit_candidates(low)), default=0)


def _slip_of(low: str, min_freq: int) -> bool:
    """Whether lower-case ``low`` is a typo-shaped one-edit slip of a word at least ``min_freq``
    frequent (how a capitalised unknown word is told from a name)."""
    return any(c[2] >= min_freq and _typo_shaped(low, c[0]) for c in _one_edit_candidates(low))


_PINYIN_RE = regex.compile(
    r"(?:er|(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|a|e|i|o|u|v))+",
)


def is_pinyin(word: str) -> bool:
    """Whether ``word`` is a run of Mandarin syllables ("Rujing", "Linhe"): a name in a translation."""
    return len(word) >= 2 and _PINYIN_RE.fullmatch(word.lower()) is not None


@lru_cache(maxsize=100_000)
def _verdict(word: str, capitalised: bool) -> tuple[str, ...] | None:
    """None when ``word`` is acceptable, else the suggestions (possibly empty) for it."""
    if is_english_word(word):
        return None
    low = word.lower().replace("’", "'")
    if capitalised:
        # a name is a typo only of a one-edit candidate (so _candidates is not empty when it is)
        if not _slip_of(low, NAME_NEIGHBOUR_FREQ if len(low) > SHORT_NAME_LEN else SHORT_NAME_NEIGHBOUR_FREQ):
            return None
        return tuple(suggestions_for(word))
    if far_from_english(low):
        return None
    return tuple(suggestions_for(word))


def far_from_english(low: str) -> bool:
    """Whether lower-case ``low``, not an English word, has nothing near it in English to be a typo
    of: no word within two edits, or only rare ones two edits away ("cyanuric": cyanotic). It is a
    rare word, a foreign name or a word left untranslated."""
    cands = _candidates(low)
    return not cands or (cands[0][1] == 2 and max(c[2] for c in cands) < _FAR_NEIGHBOUR_FREQ)


# A rare listed word one letter short of a word this many times as frequent is a dropped letter
# ("hae" for "have", "yeas" for "years"), not the rare word.
_DROPPED_RATIO = 3000
_DROPPED_MAX_FREQ = 1000
# ... and the rarest listed words (at most this frequent: "alow", "larges", "retuning") already at
# a tenth of that ratio
_DROPPED_RAREST_FREQ = 100
_DROPPED_RATIO_RAREST = 300


# Listed words too frequent for that test that in running text are still almost always a frequent
# word short of a letter: the list, built from subtitles and web text, holds "ow", "ar" and "ere".
_FRAGMENTS: dict[str, tuple[str, ...]] = {
    "ar": ("are",), "ay": ("any",), "ere": ("were", "here"), "ike": ("like",), "ned": ("need",),
    "ow": ("how", "now", "own"), "rom": ("from",),
}


def _dropped_letter(word: str) -> tuple[str, ...] | None:
    frag = _FRAGMENTS.get(word)
    if frag:
        return frag
    lex = lexicon()
    f = lex.get(word, 0)
    if not word.islower() or not f or f > _DROPPED_MAX_FREQ or len(word) < 2:
        return None
    return _derived().dropped.get(word)


def cap_or_unit(word: str, text: str, start: int) -> bool:
    """Capitalised words and unit abbreviations after a number are out of the rare-word rule."""
    return word[:1].isupper() or _DIGIT_BEFORE.search(text[max(0, start - 2):start]) is not None


# What names a single letter as a letter, before it ("letters c", "plan b") or beside it ("c and g")
_LETTER_NAMED = regex.compile(
    r"\b(?i:letters?|vitamin|plan|type|group|class|grade|option|section|point|column|row|size|model|"
    r"variant|version|part|exhibit|appendix|annex|category|level|zone)\s+$")
_LETTER_PAIR = regex.compile(r",?\s+(?:and|or|to)\s+[a-zA-Z](?![\w'’])")
_LETTER_PAIR_BEFORE = regex.compile(r"(?<![\w'’.])[a-zA-Z],?\s+(?:and|or|to)\s+$")


class SpellingCheck(Check):
    """EN-SPELL-001: words not in the English lexicon (names, numbers, codes excepted)."""

    rules = (
        RuleInfo(
            "EN-SPELL-001", "Fluency/Spelling", Severity.MINOR,
            "Misspelled word (not in the English lexicon, not a name or code).",
            good=(
                "Cyanuric acid and melamine were both found in urine samples.",
                "The Chengdu consulate opened in 1985 under Chen Guangming.",
                "The defence ministry's colour-coded labelling scheme is well-known.",
                "NASA and the WHO issued COVID-19 guidance on www.who.int.",
                "Macura met Walmark's directors; Macura said they'd agree.",
                "The pre-war programme was re-evaluated by the EU's auditors.",
                "Ow, that hurt, he said. The ROM was read by the ar-Rahman mosque's staff.",
                "Jessica Lange vit à Los Angeles. ||| Jessica Lange lives in Los Angeles.",
                "他住在洛杉矶。 ||| He lives in Los Angeles.",
                "The letters c and g are hard to say; plan b runs on the fibre network.",
                "Vasco da Gama never walked down the Rue des Francs Bourgeois.",
                "The mould spread behind the panel that attaches to the wall.",
                "Modi spoke first. Goma is a city in Congo. Ngo Dinh Diem said so. Wu said no.",
                "Crystals of melamine and cyanuric acid formed; the main characters are Buras and Arba.",
                "They now live in Los Angeles. Prime Minister Lee Hsien Loong met them.",
            ),
            bad=(
                "Melamine was foudn in urine samples.",
                "Most goods imported from Central Amercia are duty free.",
                "The trials are monitored and thier effectiveness assessed.",
                "Several people verified the discovery with diffrent hardware.",
                "Scientists want to know how planets hae formed, expecially Earth.",
                "The tigers ar counting on the river for water.",
                "Scientists used phages to insert their ow DNA into a cell.",
                "The unions sould be aware that the gener gap is widening.",
                "This will alow the station to serve the twenty larges banks.",
                "Whn the talks ended, the ministers left.",
                "The talks in Beijng ended, and the Eurpoean envoys left.",
                "Daniel Russell, ancien secrétaire d'État adjoint. ||| Daniel Russell, former Assistant Secretery of State.",
                "The Assistant Secretery of State flew to the Congo.",
            ),
        ),
    )

    def prepare(self, segs: Sequence[Segment], ctx: Context) -> None:
        if segs:
            _derived()  # (loads the lexicon first)
            _glossary_words(ctx)
            _doc_names(ctx)

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        try:
            text = seg.target
            if not text or (seg.target_lang or "en")[:2] != "en":
                return []
            pieces = text.split()
            if _CLEAN_PIECES.issuperset(pieces):
                return []  # every word is fine wherever it stands: most segments
            names = _doc_names(ctx) if ctx.segments else set()
            if all(_clean_piece(p) or _named_piece(p, names) for p in set(pieces) - _CLEAN_PIECES):
                return []
            return list(self._findings(seg, ctx, text, names))
        except Exception:  # pragma: no cover - a check must never take the run down
            return []

    def _findings(self, seg: Segment, ctx: Context, text: str, names: set[str]) -> Iterable[Finding]:
        if _maskable(text):  # URLs, e-mail, domains, i.e./e.g.
            mask_re = _MASK_RE if "@" in text or "#" in text else _MASK_PLAIN_RE
            masked = mask_re.sub(lambda m: " " * len(m.group()), text)
        else:
            masked = text
        token_re = _ASCII_TOKEN_RE if masked.isascii() else _TOKEN_RE
        # a name of the document is never flagged; the other words need their context
        todo = {t for t in token_re.findall(masked) if t not in names and not _clean(t)}
        if not todo:
            return
        around = _Around(seg, ctx, masked, names)
        for m in token_re.finditer(masked):
            tok = m.group()
            if tok not in todo:
                continue
            parts = _HYPHEN_SPLIT.split(tok) if "-" in tok else (tok,)  # (none capitalised: see _clean)
            offset = m.start()
            for part in parts:
                yield from self._word(seg, part, offset, around, len(parts) > 1)
                offset += len(part) + 1

    @staticmethod
    def _in_name_sequence(text: str, start: int, end: int) -> bool:
        prev = _NAME_BEFORE.search(text[max(0, start - 60):start])
        nxt = _NAME_AFTER.match(text, end)
        return bool(prev or nxt)

    def _word(self, seg: Segment, word: str, start: int, around: "_Around", in_compound: bool) -> Iterable[Finding]:
        text = around.text
        if in_compound and word.lower() in _COMPOUND_PREFIXES:
            return
        if not word.isascii() or any(c.isdigit() for c in word):
            return  # words with diacritics are foreign names, not typos; codes and numbers
        if word in _NAME_PARTICLES and search_before(_NAME_BEFORE, text, start) and _NAME_AFTER.match(text, start + len(word)):
            return  # "Vasco da Gama", "Rue des Francs Bourgeois"
        if len(word) == 1:
            # a stray lower-case letter ("the government s monitoring") other than a/I
            if word in "aix" and word != "i" or word.isupper() or in_compound:
                return
            before, after = text[start - 1:start], text[start + 1:start + 2]
            if before in ".(/&'’-[" or after in ".)/&'’-]:" or _DIGIT_BEFORE.search(text[max(0, start - 2):start]):
                return
            if search_before(_LETTER_NAMED, text, start) or _LETTER_PAIR.match(text, start + 1) \
                    or search_before(_LETTER_PAIR_BEFORE, text, start):
                return  # a letter named as such: "the letters c and g", "plan b", "x or y"
            yield self.finding("EN-SPELL-001", seg, start, start + 1, f"Stray letter '{word}'.", ())
            return
        if word.isupper():
            return  # acronyms
        core = _CLITIC.sub("", word) if ("'" in word or "’" in word) else word
        if core[1:] != core[1:].lower():  # (ASCII here)
            return  # iPhone, McDonald, WeChat
        low = word.lower()
        src_words, gloss = around.src_words, around.gloss
        if low in src_words or core.lower() in src_words or word in gloss or low in gloss or core in gloss:
            return
        if word in around.names or core in around.names:
            return
        if is_english_word(word):
            v = None if (in_compound or cap_or_unit(word, text, start)) else _dropped_letter(word)
            if v:
                yield self.finding("EN-SPELL-001", seg, start, start + len(word),
                                   f"Possible misspelling: '{word}' (a letter missing?).", v)
            return
        cap = word[:1].isupper()
        if cap and self._in_name_sequence(text, start, start + len(word)):
            # "Bac Giang", "Los Angeles": only a swapped-letter slip is worth a flag there, or a
            # slip of a frequent word ("Democratic Repulic", "Assistant Secretery") when a
            # Latin-script source shows the names (this word is not among them) or when the
            # capitalised words beside it are English words ("National Weather Sevice")
            if not _swap_neighbour((core or word).lower()) or is_english_word(word):
                if not ((around.latin_source or _english_neighbours(text, start, start + len(word)))
                        and _slip_of((core or word).lower(), NAME_SEQUENCE_NEIGHBOUR_FREQ)):
                    return
        if not cap and _ROMAN.fullmatch(word):
            return  # lower-case roman numerals
        if cap and around.chinese and is_pinyin(core or word):
            return  # a Mandarin name in a translation from Chinese
        w0 = core or word
        if cap and len(w0) >= 3 and _INITIAL_SLIP_FREQ <= _top_neighbour_freq(w0.lower()) \
                and at_sentence_start(text, start) and not _NAME_AFTER.match(text, start + len(w0)) \
                and not is_pinyin(w0):
            # "Whn a person", "Twpo million": capitalised by its position only (a name such as
            # "Ngo Dinh Diem" or "Wu said" is left alone)
            v = tuple(suggestions_for(w0))
        else:
            v = _verdict(w0, cap)
        if v is None:
            return
        end = start + len(w0)
        yield self.finding("EN-SPELL-001", seg, start, end, f"Possible misspelling: '{seg.target[start:end]}'.",
                           v)


class _Around:
    """What ``_word`` consults besides the word, each part worked out on first use: most segments
    need none of it."""

    __slots__ = ("seg", "ctx", "text", "names", "_src_words", "_chinese", "_latin_source")

    def __init__(self, seg: Segment, ctx: Context, text: str, names: set[str]):
        self.seg, self.ctx, self.text, self.names = seg, ctx, text, names
        self._src_words: set[str] | None = None
        self._chinese: bool | None = None
        self._latin_source: bool | None = None

    @property
    def src_words(self) -> set[str]:
        if self._src_words is None:
            src = self.seg.source
            self._src_words = {t.lower() for t in _TOKEN_RE.findall(src)} if src else set()
        return self._src_words

    @property
    def latin_source(self) -> bool:
        """A source in Latin script: the names of the target are spelled out in it."""
        if self._latin_source is None:
            from ..langid import script_guess

            self._latin_source = bool(self.seg.source) and script_guess(self.seg.source) == "latin"
        return self._latin_source

    @property
    def gloss(self) -> set[str]:
        return _glossary_words(self.ctx)

    @property
    def chinese(self) -> bool:
        if self._chinese is None:
            seg = self.seg
            self._chinese = (seg.source_lang or self.ctx.source_lang or "")[:2] == "zh" or bool(
                seg.source and _HAN.search(seg.source) and not _KANA.search(seg.source))
        return self._chinese


_COMPOUND_PREFIXES = frozenset(_PREFIXES + ("socio", "cyber", "multi", "euro", "afro", "sino"))


@lru_cache(maxsize=200_000)
def _clean(tok: str) -> bool:
    """True when ``SpellingCheck._word`` can never flag token ``tok``, whatever its context (the
    source, glossary, names, neighbours only ever excuse a word)."""
    parts = _HYPHEN_SPLIT.split(tok) if "-" in tok else (tok,)
    if len(parts) > 1:
        return any(p[:1].isupper() for p in parts) or all(_clean_word(p, True) for p in parts)
    return _clean_word(tok, False)


# Whitespace-separated pieces of text that never yield a finding: nothing in them to mask and only
# clean tokens. Neither tokens nor mask hints span whitespace, so a text made of such pieces is
# clean as a whole (the fast path of ``SpellingCheck.segment``).
_CLEAN_PIECES: set[str] = set()
_MAX_CLEAN_PIECES = 200_000


# Punctuation that may follow a word in a piece (none of it a token character or a mask hint).
_TRAILING = ".,;:!?)]}\"”"


@lru_cache(maxsize=200_000)
def _piece_tokens(piece: str) -> tuple[str, ...] | None:
    """The tokens of a whitespace-separated piece of text; None when it holds something to mask."""
    core = piece.rstrip(_TRAILING)
    if core.isascii() and core.isalnum():  # most pieces: a word or number, perhaps with a comma
        return None if core.lower() in ("ie", "eg") else (core,)
    if _maskable(piece):
        return None
    return tuple((_ASCII_TOKEN_RE if piece.isascii() else _TOKEN_RE).findall(piece))


@lru_cache(maxsize=200_000)
def _clean_piece(piece: str) -> bool:
    """Whether ``piece`` never yields a finding: nothing in it to mask, only clean tokens (then it
    goes into ``_CLEAN_PIECES``)."""
    tokens = _piece_tokens(piece)
    ok = tokens is not None and all(map(_clean, tokens))
    if ok and len(_CLEAN_PIECES) < _MAX_CLEAN_PIECES:
        _CLEAN_PIECES.add(piece)
    return ok


def _named_piece(piece: str, names: set[str]) -> bool:
    """Whether ``piece`` never yields a finding in a document with these ``names``."""
    tokens = _piece_tokens(piece)
    return tokens is not None and all(t in names or _clean(t) for t in tokens)


def _clean_word(word: str, in_compound: bool) -> bool:
    """``_clean`` for one word, following the steps of ``SpellingCheck._word``."""
    if len(word) > 1 and word.islower() and word.isalpha() and word.isascii() \
            and lexicon().get(word, 0) > _DROPPED_MAX_FREQ and word not in _FRAGMENTS:
        return True  # most words: frequent listed words (never short of a letter), two letters or more
    if in_compound and word.lower() in _COMPOUND_PREFIXES:
        return True
    if not word.isascii() or not word.isalpha() and any(c.isdigit() for c in word):
        return True
    if len(word) == 1:
        return word in "ax" or word.isupper() or in_compound
    if word.isupper():
        return True
    core = _CLITIC.sub("", word) if "'" in word else word
    if core[1:] != core[1:].lower():
        return True
    cap = word[:1].isupper()
    if word.lower() in lexicon() or is_english_word(word):  # (a listed word is an English word)
        return in_compound or cap or _dropped_letter(word) is None
    return not cap and _ROMAN.fullmatch(word) is not None


_DIGIT_BEFORE = regex.compile(r"\d\s?$")
_HAN = regex.compile(r"\p{Han}")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HYPHEN_SPLIT = regex.compile(r"(?<=[\p{L}\d])-(?=[\p{L}\d])")
_NAME_BEFORE = regex.compile(r"(\p{Lu}[\p{L}'’.-]*)[ ]$")
_NAME_AFTER = regex.compile(r" (\p{Lu}[\p{L}'’.-]*)")  # (group 1: the capitalised word)


def _english_neighbours(text: str, start: int, end: int) -> bool:
    """Whether the capitalised words right before and after text[start:end] (those there are) are
    English words: a name of common words ("World Health Organization"), not a foreign name
    ("Los Angeles", "Lee Hsien Loong")."""
    prev = _NAME_BEFORE.search(text, max(0, start - 60), start)
    nxt = _NAME_AFTER.match(text, end)
    return all(is_english_word(m.group(1).rstrip(".'’-")) for m in (prev, nxt) if m)


# Lower-case particles inside names, between two capitalised words
_NAME_PARTICLES = frozenset("da das de del della der des di do dos du la le van von zu ter ten af av y e bin ibn al el".split())
_CLITIC = regex.compile(r"['’](s|d|ll|re|ve|m)?$")
_ROMAN = regex.compile(r"[ivxlc]+")


def spelling_check() -> SpellingCheck:  # convenience for registries
    return SpellingCheck()
