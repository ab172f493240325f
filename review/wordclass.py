"""English word classes for pattern rules: what a word can be (noun, verb, adjective, adverb) and
which verb form it is (base, -s, past, participle, -ing), from LemmInflect's lexicon (MIT; its
lemma and inflection tables, built from the AGID and 2of12id word lists and spaCy's corpora), and
whether it follows a determiner among symspellpy's common English word pairs.

Only the two CSV tables that LemmInflect ships are read, never the package's code (which imports
numpy and loads its models): a word maps to a bit set and a verb to its forms, pickled in review's
cache folder beside the word lists (built once per LemmInflect and symspellpy version, ~0.3 s).

A pattern rule names a class test per named group of its regex (``words:`` in YAML); a test is a
space-separated list of class names that must all hold, ``!name`` meaning the word must not be of
that class, and ``|`` separates alternatives ("vbz !noun | vbd !vbn"). A match whose group fails
its test is dropped, so a branch with a test goes last in its alternation. Closed-class words
(pronouns, determiners, prepositions) are not in the lexicon: a rule's regex names them. A word the
lexicon lacks belongs to no class (``!noun`` holds for it). ``suggest_form`` asks ``word_form``
for a verb's other forms ("advise" → "advised") or an adverb's adjective ("differently" →
"different"). ``triggers_from`` makes the words a group's test admits the rule's triggers: the
rule runs only where one of them occurs."""

from __future__ import annotations

import csv
import gzip
import importlib.util
import threading
from pathlib import Path

from .lexicons import SYMSPELL_PAIRS, cache_dir, load_or_build, package_version, symspell_rows

# class name → bit
CLASSES = {
    "noun": 1 << 0, "verb": 1 << 1, "adj": 1 << 2, "adv": 1 << 3, "aux": 1 << 4,
    "vb": 1 << 5,    # base form of a verb (go, predict)
    "vbz": 1 << 6,   # third person singular (goes, predicts)
    "vbd": 1 << 7,   # past tense (went, predicted)
    "vbn": 1 << 8,   # past participle (gone, predicted)
    "vbg": 1 << 9,   # -ing form (going)
    "nns": 1 << 10,  # plural noun (fireworks)
    "known": 1 << 11,  # in the lexicon at all
    # follows the, a, an or a possessive among symspellpy's common English word pairs (or, for a
    # verb's -s form, its base form does): a noun or an adjective whatever the lexicon says (it lacks
    # the nouns "act", "dam" and "ace", the adjective "complete"); with it, "!det" keeps a verb-only
    # test off words the lexicon only knows as verbs
    "det": 1 << 12,
}
_DETERMINERS = frozenset("the a an his their its our my your".split())
_UPOS = {"noun": "noun", "verb": "verb", "adj": "adj", "adv": "adv", "aux": "aux"}
_FORMAT = 4  # of the cached table: a new layout takes a new cache file
_lock = threading.Lock()
_TABLE: dict[str, int] | None = None
_FORMS: dict[str, tuple[str, ...]] = {}
_BY_BITS: dict[int, tuple[str, ...]] = {}
FORM_TAGS = ("vbd", "vbn", "vbg", "vbz")  # the order of LemmInflect's verb forms
SUGGEST_FORMS = FORM_TAGS + ("adj",)  # what suggest_form may ask for


def _resources() -> Path | None:
    spec = importlib.util.find_spec("lemminflect")  # finds the folder without running the package
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "resources"


def _rows(path: Path):
    with gzip.open(path, "rt", encoding="utf-8", newline="") as f:
        yield from csv.reader(f)


def _build() -> tuple[dict[str, int], dict[str, tuple[str, ...]], dict[int, tuple[str, ...]]]:
    """(word → class bits, verb → its forms (vbd, vbn, vbg, vbz), the first of each, class bits →
    the lower-case words that have exactly them)."""
    res = _resources()
    table: dict[str, int] = {}
    forms_of: dict[str, tuple[str, ...]] = {}
    if res is None:
        return table, forms_of, {}
    known = CLASSES["known"]

    def add(word: str, bits: int) -> None:
        if word:
            table[word] = table.get(word, 0) | bits | known

    # inflected form → parts of speech it can be
    for row in _rows(res / "lemma_lu.csv.gz"):
        if len(row) >= 2 and row[1] in _UPOS:
            add(row[0], CLASSES[_UPOS[row[1]]])
    # lemma → its forms: verbs give past, participle, -ing and -s; nouns their plurals
    for row in _rows(res / "infl_lu.csv.gz"):
        if len(row) < 3:
            continue
        lemma, upos, forms = row[0], row[1], row[2:]
        if upos == "verb":
            add(lemma, CLASSES["vb"] | CLASSES["verb"])
            past, first = "", []
            for tag, cell in zip(FORM_TAGS, forms):
                if tag == "vbn" and not cell:
                    cell = past  # an empty participle is the past form
                for w in cell.split("/"):
                    add(w, CLASSES[tag] | CLASSES["verb"])
                if tag == "vbd":
                    past = cell
                first.append(cell.split("/")[0])
            if len(first) == len(FORM_TAGS) and all(first):
                forms_of.setdefault(lemma, tuple(first))
        elif upos == "noun":
            for cell in forms:
                for w in cell.split("/"):
                    if w != lemma:
                        add(w, CLASSES["nns"] | CLASSES["noun"])
    det = CLASSES["det"]
    for first, second in _common_pairs():
        if first in _DETERMINERS:
            table[second] = table.get(second, 0) | det
    for lemma, forms in forms_of.items():  # a noun's plural follows a determiner as its singular
        if table.get(lemma, 0) & det:       # does ("the ace", "four aces")
            table[forms[3]] = table.get(forms[3], 0) | det
    by_bits: dict[int, list[str]] = {}
    for w, b in table.items():
        if w.isalpha() and w.islower():
            by_bits.setdefault(b, []).append(w)
    return table, forms_of, {b: tuple(sorted(ws)) for b, ws in by_bits.items()}


def _common_pairs():
    """The word pairs of symspellpy's bigram list (Google Books, the 242,342 commonest)."""
    try:
        for parts in symspell_rows(SYMSPELL_PAIRS):
            if len(parts) == 3:
                yield parts[0], parts[1]
    except (ModuleNotFoundError, FileNotFoundError):
        return


def _load() -> None:
    global _TABLE, _FORMS, _BY_BITS
    with _lock:
        if _TABLE is None:
            version = package_version("lemminflect", "none")
            pairs = package_version("symspellpy", "none")
            path = cache_dir() / f"wordclass-{version}-{pairs}-{_FORMAT}.pickle"
            built = load_or_build(path, _build,
                                  lambda o: isinstance(o, tuple) and len(o) == 3 and bool(o[0]),
                                  family="wordclass-*.pickle", store=lambda o: bool(o[0]))
            _FORMS, _BY_BITS = built[1], built[2]
            _TABLE = built[0]


def table() -> dict[str, int]:
    """The word → class bits table (loaded once per process)."""
    if _TABLE is None:
        _load()
    return _TABLE


def word_form(word: str, tag: str) -> str | None:
    """The ``tag`` form of ``word``, or None: for a verb's base form, vbd, vbn, vbg or vbz
    ("advise", "vbn" → "advised"); for an adverb in -ly, ``adj``, the adjective it is made from
    ("differently" → "different", "happily" → "happy", "basically" → "basic"), if the lexicon
    knows it as one."""
    if _TABLE is None:
        _load()
    low = word.lower()
    if tag == "adj":
        if not low.endswith("ly"):
            return None
        stem = low[:-2]
        for cand in (stem, stem[:-1] + "y" if stem.endswith("i") else "", stem + "le",
                     stem[:-2] if stem.endswith("al") else "", stem + "e", stem + "l"):
            if cand and bits(cand) & CLASSES["adj"]:
                return cand
        return None
    forms = _FORMS.get(low)
    return forms[FORM_TAGS.index(tag)] if forms and tag in FORM_TAGS else None


def bits(word: str) -> int:
    """The class bits of ``word`` (as written; a capitalised word also as lower-cased)."""
    t = _TABLE if _TABLE is not None else table()
    b = t.get(word)
    if b is None:
        b = t.get(word.lower(), 0) if word[:1].isupper() else 0
    return b


class Test(tuple):
    """A parsed word-class test: alternatives, each (mask, bits the masked bits must equal)."""

    def holds(self, word: str) -> bool:
        b = bits(word)
        for mask, need in self:
            if b & mask == need:
                return True
        return False

    def enumerable(self) -> bool:
        """Whether every alternative names a class the word must have: then a word the lexicon
        lacks never passes, and ``words`` lists every word that does."""
        return all(need for _, need in self)

    def words(self) -> tuple[str, ...]:
        """The lower-case words of the lexicon the test holds for (an enumerable test only)."""
        if _TABLE is None:
            _load()
        return tuple(w for b, ws in _BY_BITS.items()
                     if any(b & mask == need for mask, need in self) for w in ws)


def parse_test(spec: str, where: str = "") -> Test:
    """``"noun !verb !adj | vbz"`` → a Test: alternatives, each holding when the word has every
    named class and none of the ``!`` ones; the test holds when any alternative does."""
    alts = []
    for a in spec.split("|"):
        need, forbid = _parse_alternative(a, where)
        if not (need or forbid):
            raise ValueError(f"{where}empty word-class test in {spec!r}")
        alts.append((need | forbid, need))
    return Test(alts)


def _parse_alternative(spec: str, where: str) -> tuple[int, int]:
    need = forbid = 0
    for term in spec.split():
        neg = term.startswith("!")
        name = term[1:] if neg else term
        if name not in CLASSES:
            raise ValueError(f"{where}unknown word class {name!r} (known: {', '.join(CLASSES)})")
        if neg:
            forbid |= CLASSES[name]
        else:
            need |= CLASSES[name]
    return need, forbid
