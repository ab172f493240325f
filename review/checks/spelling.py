"""English spelling: unknown words in the target, with ranked suggestions.

The lexicon is pyspellchecker's English frequency list (loaded once per process, lazily), widened
with British spellings, regular inflections, common prefixes and a short list of modern words the
list lacks. Names are left alone: a capitalised word inside a sentence is a name unless it is one
edit away from a much more frequent known word ("Amercia" → "America"); a capitalised word used
twice in the document, or any word that also occurs in the source, is never flagged.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Iterable, Sequence

import regex

from ..model import Finding, Segment, Severity
from .base import Check, Context, RuleInfo

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
""".split()

_PREFIXES = ("anti", "auto", "bio", "co", "counter", "cross", "cyber", "de", "dis", "eco", "extra",
             "geo", "hyper", "inter", "intra", "macro", "mega", "micro", "mid", "mini", "mis", "multi",
             "neo", "non", "out", "over", "post", "pre", "pro", "pseudo", "re", "semi", "self", "sub",
             "super", "tele", "trans", "tri", "ultra", "un", "under", "well")
_SUFFIXES = (("'s", ""), ("’s", ""), ("s'", "s"), ("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"),
             ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ly", ""), ("ily", "y"),
             ("ers", ""), ("er", ""), ("er", "e"), ("ness", ""), ("ment", ""), ("ments", ""),
             ("able", ""), ("ism", ""), ("ist", ""), ("ists", ""), ("ization", "ize"), ("isation", "ize"))
# British → American respellings tried for unknown words.
_BRIT = (("our", "or"), ("ence", "ense"), ("tre", "ter"), ("ise", "ize"), ("ised", "ized"),
         ("ising", "izing"), ("isation", "ization"), ("yse", "yze"), ("lled", "led"), ("lling", "ling"),
         ("ogue", "og"), ("ould", "old"), ("ae", "e"), ("oe", "e"), ("mme", "m"), ("eable", "able"), ("ller", "ler"))

_lock = threading.Lock()
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
    for a, b in _BRIT:
        i = w.find(a, 1)
        if i > 0 and len(w) >= 5:
            alt = w[:i] + b + w[i + len(a):]
            k = 1 if a in ("ae", "oe") else 2  # "foetus" yes, "soem"/"doens" no
            if alt in lex:
                return k, alt
            if alt.endswith("s") and alt[:-1] in lex:
                return k, alt[:-1]
            for suf in ("s", "ed", "ing", "er", "ers"):
                if alt.endswith(suf) and alt[: -len(suf)] in lex and len(alt) - len(suf) >= 4:
                    return 1, alt[: -len(suf)]
    for suf, rep in _SUFFIXES:
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            base = w[: -len(suf)] + rep
            if base in lex:
                return 1, base
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


@lru_cache(maxsize=200_000)
def is_english_word(word: str) -> bool:
    """True when ``word`` (any case) is an English word or a regular form of one."""
    w = word.lower().replace("’", "'")
    k, base = _lookup(w)
    if k == 2:
        return True
    if k == 1:
        lex = lexicon()
        return not any(lex.get(c, 0) >= _DERIVED_NEIGHBOUR_FREQ and c != base and not c.startswith(base)
                       for c in _edits1(w))
    return False


_ALPHA = "abcdefghijklmnopqrstuvwxyz"


def _edits1(w: str) -> set[str]:
    splits = [(w[:i], w[i:]) for i in range(len(w) + 1)]
    out = set()
    for a, b in splits:
        if b:
            out.add(a + b[1:])
            for c in _ALPHA:
                out.add(a + c + b[1:])
        if len(b) > 1:
            out.add(a + b[1] + b[0] + b[2:])
        for c in _ALPHA:
            out.add(a + c + b)
    out.discard(w)
    return out


_BUCKETS: dict[int, list[str]] | None = None


def _buckets() -> dict[int, list[str]]:
    global _BUCKETS
    if _BUCKETS is None:
        b: dict[int, list[str]] = {}
        for w, f in lexicon().items():
            if f > 50 and w.isalpha():
                b.setdefault(len(w), []).append(w)
        _BUCKETS = b
    return _BUCKETS


@lru_cache(maxsize=50_000)
def _candidates(w: str) -> tuple[tuple[str, int, int], ...]:
    """Known words near ``w`` (lowercase): (word, distance, frequency), best first."""
    lex = lexicon()
    c1 = [(c, 1, lex[c]) for c in _edits1(w) if c in lex]
    if c1:
        c1.sort(key=lambda x: (_edit_weight(w, x[0]), -x[2], x[0]))  # ties by spelling: deterministic
        return tuple(c1[:8])
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    b = _buckets()
    pool: list[str] = []
    for n in range(len(w) - 2, len(w) + 3):
        pool.extend(b.get(n, ()))
    hits = process.extract(w, pool, scorer=OSA.distance, score_cutoff=2, limit=None)
    c2 = sorted(((c, int(d), lex[c]) for c, d, _ in hits), key=lambda x: (x[1], -x[2], x[0]))
    return tuple(c2[:8])


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


_MASK_RE = regex.compile(
    r"https?://\S+|www\.\S+|\S+@\S+\.\w+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|io|int|html?|[a-z]{2})\b(?!\.\w)"
    r"(?=[\s/,;:)\]\-]|$)|[#@]\w+|\b(?:i\.e|e\.g|ie|eg)\b", regex.I)
_MASK_HINT = regex.compile(r"\.[A-Za-z]|(?i:\b(?:ie|eg)\b)")
_TOKEN_RE = regex.compile(r"[\p{L}\p{M}\d]+(?:['’\-][\p{L}\p{M}\d]+)*")
_SENT_START_RE = regex.compile(r"(?:^|[.!?:;]\s+|[\"“«(\[]\s*)$")


def _doc_names(ctx: Context) -> set[str]:
    """Capitalised words used twice or more in the document (names)."""
    key = ("spelling.names", id(ctx.segments), len(ctx.segments))
    names = ctx.cache.get(key)
    if names is None:
        counts: dict[str, int] = {}
        for s in ctx.segments:
            for m in _TOKEN_RE.finditer(s.target):
                t = m.group()
                if t[:1].isupper():
                    counts[t] = counts.get(t, 0) + 1
        names = {t for t, c in counts.items() if c >= 2}
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
    i = 0
    while i < min(len(w), len(c)) and w[i] == c[i]:
        i += 1
    if len(w) == len(c):
        if i + 1 < len(w) and w[i] == c[i + 1] and w[i + 1] == c[i]:
            return "swap", i
        return "sub", i
    return ("del", i) if len(w) < len(c) else ("ins", i)


_SIMILAR = [set("aeiouy"), set("cks"), set("sz"), set("mn"), set("dt"), set("bp"), set("gj"), set("fv")]


def _edit_weight(w: str, c: str) -> float:
    """Cost of the one edit from ``c`` to ``w``: swaps, doubled letters and look/sound-alike
    substitutions ("adviced"/"advised") are cheaper than arbitrary ones."""
    kind, i = _edit(w, c)
    if kind == "swap":
        return 0.5
    if kind == "sub":
        a, b = w[i:i + 1], c[i:i + 1]
        return 0.6 if any(a in g and b in g for g in _SIMILAR) else 1.0
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
    cands = _candidates(low)
    if not cands:
        return None  # nothing near: a rare word or a foreign name rather than a typo
    if capitalised:
        if not any(c[1] == 1 and c[2] >= NAME_NEIGHBOUR_FREQ and _typo_shaped(low, c[0]) for c in cands):
            return None
        return tuple(suggestions_for(word))
    return tuple(suggestions_for(word))


# A rare listed word one letter short of a word this many times as frequent is a dropped letter
# ("hae" for "have", "yeas" for "years"), not the rare word.
_DROPPED_RATIO = 3000
_DROPPED_MAX_FREQ = 1000


@lru_cache(maxsize=100_000)
def _dropped_letter(word: str) -> tuple[str, ...] | None:
    lex = lexicon()
    f = lex.get(word, 0)
    if not word.islower() or not f or f > _DROPPED_MAX_FREQ or len(word) < 2:
        return None
    threshold = _DROPPED_RATIO * f
    inserts = {word[:i] + c + word[i:] for i in range(len(word) + 1) for c in _ALPHA}
    best = [(lex[c], c) for c in inserts if lex.get(c, 0) >= threshold]
    if not best:
        return None
    best.sort(reverse=True)
    return tuple(c for _, c in best[:3])


def cap_or_unit(word: str, text: str, start: int) -> bool:
    """Capitalised words and unit abbreviations after a number are out of the rare-word rule."""
    return word[:1].isupper() or _DIGIT_BEFORE.search(text[max(0, start - 2):start]) is not None


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
            ),
            bad=(
                "Melamine was foudn in urine samples.",
                "Most goods imported from Central Amercia are duty free.",
                "The trials are monitored and thier effectiveness assessed.",
                "Several people verified the discovery with diffrent hardware.",
                "Scientists want to know how planets hae formed, expecially Earth.",
            ),
        ),
    )

    def prepare(self, segs: Sequence[Segment], ctx: Context) -> None:
        if segs:
            lexicon()
            _glossary_words(ctx)
            _doc_names(ctx)

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        try:
            return list(self._segment(seg, ctx))
        except Exception:  # pragma: no cover - a check must never take the run down
            return []

    def _segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        text = seg.target
        if not text or (seg.target_lang or "en")[:2] != "en":
            return
        if "@" in text or "#" in text or _MASK_HINT.search(text):  # URLs, e-mail, domains, i.e./e.g.
            masked = _MASK_RE.sub(lambda m: " " * len(m.group()), text)
        else:
            masked = text
        src_words: set[str] = set()
        if seg.source:
            src_words = {t.lower() for t in _TOKEN_RE.findall(seg.source)}
        gloss = _glossary_words(ctx)
        chinese = (seg.source_lang or ctx.source_lang or "")[:2] == "zh" or bool(
            seg.source and _HAN.search(seg.source) and not _KANA.search(seg.source))
        names = _doc_names(ctx) if ctx.segments else set()
        for m in _TOKEN_RE.finditer(masked):
            tok = m.group()
            if tok in _CLEAN:
                continue  # a word that is fine wherever it stands
            if len(tok) > 1 and "-" not in tok and _context_free_ok(tok):
                _CLEAN.add(tok)
                continue
            parts = _HYPHEN_SPLIT.split(tok) if "-" in tok else (tok,)
            if len(parts) > 1 and any(p[:1].isupper() for p in parts):
                continue  # "Dar-Trans", "Mohenjo-daro", "Tri-Nation": names
            offset = m.start()
            for part in parts:
                yield from self._word(seg, part, offset, masked, src_words, gloss, names, len(parts) > 1, chinese)
                offset += len(part) + 1

    @staticmethod
    def _in_name_sequence(text: str, start: int, end: int) -> bool:
        prev = _NAME_BEFORE.search(text[max(0, start - 60):start])
        nxt = _NAME_AFTER.match(text, end)
        return bool(prev or nxt)

    def _word(self, seg: Segment, word: str, start: int, text: str, src_words: set[str], gloss: set[str],
              names: set[str], in_compound: bool, chinese: bool = False) -> Iterable[Finding]:
        if in_compound and word.lower() in _PREFIXES + ("socio", "cyber", "multi", "euro", "afro", "sino"):
            return
        if not word.isascii() or any(c.isdigit() for c in word):
            return  # words with diacritics are foreign names, not typos; codes and numbers
        if len(word) == 1:
            # a stray lower-case letter ("the government s monitoring") other than a/I
            if word in "aix" and word != "i" or word.isupper() or in_compound:
                return
            before, after = text[start - 1:start], text[start + 1:start + 2]
            if before in ".(/&'’-[" or after in ".)/&'’-]:" or _DIGIT_BEFORE.search(text[max(0, start - 2):start]):
                return
            yield self.finding("EN-SPELL-001", seg, start, start + 1, f"Stray letter '{word}'.", ())
            return
        if word.isupper():
            return  # acronyms
        core = _CLITIC.sub("", word) if ("'" in word or "’" in word) else word
        if any(c.isupper() for c in core[1:]):
            return  # iPhone, McDonald, WeChat
        low = word.lower()
        if low in src_words or core.lower() in src_words or word in gloss or low in gloss or core in gloss:
            return
        if word in names or core in names:
            return
        if is_english_word(word):
            v = None if (in_compound or cap_or_unit(word, text, start)) else _dropped_letter(word)
            if v:
                yield self.finding("EN-SPELL-001", seg, start, start + len(word),
                                   f"Possible misspelling: '{word}' (a letter missing?).", v)
            return
        cap = word[:1].isupper()
        if cap and self._in_name_sequence(text, start, start + len(word)):
            # "Bac Giang", "Los Angeles": only a swapped-letter slip is worth a flag there
            cands = _candidates((core or word).lower())
            if not any(c[1] == 1 and c[2] >= NAME_NEIGHBOUR_FREQ and _edit((core or word).lower(), c[0])[0] == "swap"
                                       for c in cands) or is_english_word(word):
                return
        if not cap and _ROMAN.fullmatch(word):
            return  # lower-case roman numerals
        if cap and chinese and is_pinyin(core or word):
            return  # a Mandarin name in a translation from Chinese
        v = _verdict(core or word, cap)
        if v is None:
            return
        end = start + len(core or word)
        yield self.finding("EN-SPELL-001", seg, start, end, f"Possible misspelling: '{seg.target[start:end]}'.",
                           v)


_CLEAN: set[str] = set()


def _context_free_ok(tok: str) -> bool:
    """True when ``_word`` can never flag ``tok``: an English word that is capitalised (never
    checked for a dropped letter) or has no more frequent one-letter-longer neighbour."""
    if not tok.isascii() or any(c.isdigit() for c in tok) or "'" in tok or "’" in tok:
        return False
    if tok.isupper():
        return True
    if any(c.isupper() for c in tok[1:]):
        return True
    if not is_english_word(tok):
        return False
    return tok[0].isupper() or _dropped_letter(tok) is None


_DIGIT_BEFORE = regex.compile(r"\d\s?$")
_HAN = regex.compile(r"\p{Han}")
_KANA = regex.compile(r"[\p{Hiragana}\p{Katakana}]")
_HYPHEN_SPLIT = regex.compile(r"(?<=[\p{L}\d])-(?=[\p{L}\d])")
_NAME_BEFORE = regex.compile(r"(\p{Lu}[\p{L}'’.-]*)[ ]$")
_NAME_AFTER = regex.compile(r" (\p{Lu})")
_CLITIC = regex.compile(r"['’](s|d|ll|re|ve|m)?$")
_ROMAN = regex.compile(r"[ivxlc]+")


def spelling_check() -> SpellingCheck:  # convenience for registries
    return SpellingCheck()
