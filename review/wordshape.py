"""How English a word *looks*: character 4-gram models of English and of six European languages,
trained on the commonest words of pyspellchecker's lists (shipped with the package).

A word that no English list has and that is no slip of an English word is either a rare English
word ("phosphogypsum", "marketization", "beachgoers": English morphemes, English letter runs) or a
word machine translation left in the source language ("zusammengehalten", "reconstruida",
"szczepionka"). ``foreignness`` tells them apart by letter runs: it is the average per letter of
log P(word | other languages) - log P(word | English), so above 0 the word reads more like German,
French, Spanish, Italian, Portuguese or Dutch than like English. Polish and Czech have no list
here; their letter clusters (``SLAVIC_RE``: "sz", "cz", "-ych", "-cji", "-uje") stand in.

The models are built on first use (~3 s, reading the seven word lists) and cached as a pickle in
review's cache folder, keyed by pyspellchecker's version and the model's parameters; loading the
cache takes ~0.1 s, and only documents with such a word ever load it."""

from __future__ import annotations

import math
import threading
from collections import Counter
from functools import lru_cache

import regex

from .lexicons import cache_dir, load_or_build, spellchecker_version, word_frequencies

ORDER = 4
TOP_ENGLISH = 50_000
TOP_OTHER = 25_000  # per language
OTHER_LANGS = ("de", "fr", "es", "it", "pt", "nl")
_SMOOTH = 0.1
_ALPHABET = 30  # letters, with room for the boundary marks
_PAD = "^" * (ORDER - 1)

# Letter runs of Polish and Czech that English words (and the lists above) lack
SLAVIC_RE = regex.compile(r"sz|cz|rz|dz|ych$|ów|ego$|emu$|ej$|cji$|ji$|owa|owe|owy|ows|wy|ova$|ovi$|ovat|uje$|ují")

_lock = threading.Lock()
_MODELS: list = []


def _train(words) -> tuple[dict[str, int], dict[str, int]]:
    grams: Counter = Counter()
    contexts: Counter = Counter()
    for w in words:
        s = _PAD + w + "$"
        for i in range(ORDER - 1, len(s)):
            grams[s[i - ORDER + 1:i + 1]] += 1
            contexts[s[i - ORDER + 1:i]] += 1
    return dict(grams), dict(contexts)


def _top(lang: str, n: int) -> list[str]:
    freqs = word_frequencies(lang)
    words = [w for w in freqs if len(w) >= 3 and w.isascii() and w.isalpha() and w.islower()]
    words.sort(key=lambda w: (-freqs[w], w))
    return words[:n]


def _build() -> tuple:
    return (_train(_top("en", TOP_ENGLISH)),
            _train([w for lang in OTHER_LANGS for w in _top(lang, TOP_OTHER)]))


def _models():
    if _MODELS:
        return _MODELS[0]
    with _lock:
        if not _MODELS:
            key = f"{ORDER}-{TOP_ENGLISH}-{TOP_OTHER}-{'.'.join(OTHER_LANGS)}"
            path = cache_dir() / f"wordshape-{spellchecker_version()}-{key}.pickle"
            _MODELS.append(load_or_build(path, _build, lambda m: isinstance(m, tuple) and len(m) == 2,
                                         "wordshape-*.pickle"))
    return _MODELS[0]


def _logprob(model: tuple[dict[str, int], dict[str, int]], word: str) -> float:
    grams, contexts = model
    s = _PAD + word + "$"
    total = 0.0
    for i in range(ORDER - 1, len(s)):
        total += math.log((grams.get(s[i - ORDER + 1:i + 1], 0) + _SMOOTH)
                          / (contexts.get(s[i - ORDER + 1:i], 0) + _SMOOTH * _ALPHABET))
    return total / (len(word) + 1)


@lru_cache(maxsize=16384)
def foreignness(word: str) -> float:
    """How much more lower-case ASCII ``word`` looks like German/Romance/Dutch than English, per
    letter (log scale): "umsorgt" 2.2, "trabajos" 1.5, "reconstruida" 0.5; "cyanuric" -0.6,
    "marketization" -0.9, "impactful" -1.5."""
    english, other = _models()
    return _logprob(other, word) - _logprob(english, word)
