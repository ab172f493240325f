"""BI-NAME-001: a name in the target that is not in the source; BI-NAME-003: the reverse.

When source and target share an alphabet (a Latin-script source: German, French, Spanish, Polish,
Czech …), a person's or a place's name is mostly written the same on both sides, and a name in the
target that is nowhere in the source was made up or swapped in by the machine ("Khabarovsk Krai"
for "Parly").

A "name" is a capitalised word that is not at the start of a sentence and not an English word
(exonyms and nationality words such as "Germany", "Munich", "German" are English words, so they
never count), or an English word that is mostly a name: one that pyspellchecker's list (counted
from cased text, where "Denver" and "Monday" rarely occur in lower case) has at under a tenth of
the share it has in symspellpy's list (counted in lower case), and under 1,500 times in all:
Denver, Kenneth, Huber, Seattle, but not Church, Ministry, Paul or Elizabeth (names with other
forms in other languages are frequent). Months, weekdays, and the words of CLDR's English names
of territories, languages and time-zone cities (exonyms: Vienna, Czech) are never names here.
Matching forgives diacritics, inflection (the first four letters decide: Polish "Kidawy-Błońskiej"
is "Kidawa-Błońska") and spelling conventions (Mozazaur ~ Mosasaurus, Kirjat ~ Kiryat). Non-Latin sources are skipped: comparing them needs transliteration.

BI-NAME-003 is the reverse: a name in the source that the target leaves out ("Klose und Flick"
→ "The goalscorer and Flick"). A first try, taking every capitalised word inside a sentence for a
name, fired on 41 of DEMETR's 504 unperturbed translations: German capitalises its nouns, and
institution names, inflected Czech and Polish names and exonyms are translated. A source name here
is a capitalised word inside a sentence that the source language's own word list (pyspellchecker:
German, French, Spanish, Italian, Portuguese, Dutch) lacks, also without an ending of one or two
letters (plurals, German cases) and, in German and Dutch, without the head of a compound
("Turniervorbereitung" ends in "vorbereitung"), and that begins no word of CLDR's names of
territories in that language ("Neapel" is in the German list, "Südkorea" is a territory: their
English names differ). It is in the target when a target word shares its first four letters
(inflection) or is spelled alike. Polish and Czech, for which there is no word list, and
non-Latin scripts are left out. When the target also has one name the source lacks, the two are
one substitution: BI-NAME-001 suggests the source's name instead. The source's acronyms, in any
script (Chinese news writes CBA, CNBC), count as names too; the target has one when it writes it,
writes it out (initials: "vehicle identification number" for VIN), has a translated acronym that
shares two of its letters (OTAN → NATO, CEDH → ECHR), or renders the territory it stands for (ONZ →
UN, USA → US). Roman numerals ("siglo XV") are not acronyms. A source in another script is
checked for its acronyms and for the Latin names it quotes ("约翰·尼克松 (John Nixon)").
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import replace
from functools import lru_cache
from typing import Iterable

import regex

from ..langid import script_guess
from ..model import Finding, Segment, Severity
from ..lexicons import SYMSPELL_WORDS, frequency_table, symspell_rows
from .base import Check, Context, RuleInfo, at_sentence_start, whole_word
from .spelling import is_english_word, lexicon

__all__ = ["NameCheck"]

_CAP = re.compile(r"(?<![\w'’.-])([A-Z][^\W\d_]+(?:[-'’][A-Z][^\W\d_]+)*)(?![\w'’-])")


_SRC_WORD = re.compile(r"[^\W\d_]{3,}")


@lru_cache(maxsize=100_000)
def fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in t if not unicodedata.combining(c)).replace("ł", "l").replace("ß", "ss")


def _stem(word: str) -> str:
    return fold(word)[:4]


_SOUNDS = (("ph", "f"), ("th", "t"), ("ck", "k"), ("c", "k"), ("z", "s"), ("j", "y"), ("w", "v"), ("q", "k"),
           ("x", "ks"), ("ie", "i"), ("ou", "u"))


@lru_cache(maxsize=100_000)
def _sound(word: str) -> str:
    """A rough spelling-independent key: Mozazaur ~ Mosasaurus, Kirjat ~ Kiryat."""
    w = fold(word)
    for a, b in _SOUNDS:
        w = w.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", w)


def _spelled_alike(word: str, src_words: list[str]) -> bool:
    from rapidfuzz import fuzz

    key = _sound(word)
    return any(fuzz.ratio(key, _sound(w)) >= 70 for w in src_words if w[:1].lower() == word[:1].lower()
               or _sound(w)[:1] == key[:1])


_NAME_SHARE = 10.0  # pyspellchecker count per 100,000 symspellpy count below which a word is a name
_NAME_COUNT = 1500  # … and pyspellchecker count below which (frequent names have exonyms: Paul, Jan)
_CALENDAR = ("january february march april may june july august september october november december "
             "sept monday tuesday wednesday thursday friday saturday sunday").split()
_names_lock = threading.Lock()


def _build_name_words() -> frozenset[str]:
    """English words that are mostly names (see the module's docstring)."""
    from babel import Locale
    from babel.core import get_global

    en = lexicon()
    lower = {w: int(c) for w, c in symspell_rows(SYMSPELL_WORDS) if w in en}

    def share(w: str) -> float:
        n = lower.get(w)
        return en.get(w, 0) / (n / 1e5) if n else 1e9

    def name_like(w: str) -> bool:
        if not 0 < en.get(w, 0) < _NAME_COUNT or share(w) >= _NAME_SHARE:
            return False
        for suffix, stem in (("ies", "y"), ("es", ""), ("s", "")):  # "Bankruptcies" is a plural
            base = w[:-len(suffix)] + stem
            if w.endswith(suffix) and base in en and share(base) >= _NAME_SHARE:
                return False
        return True

    english = Locale("en")
    exonyms = set(_CALENDAR)
    texts = list(english.languages.values()) + list(english.territories.values())
    texts += [z.rsplit("/", 1)[-1].replace("_", " ") for z in get_global("zone_territories")]
    texts += [v["city"] for v in english.time_zones.values() if "city" in v]
    from .places import english_place_names

    texts += english_place_names()  # "Britain": BI-NAME-002's
    for t in texts:
        exonyms.update(fold(w) for w in re.findall(r"[^\W\d_]+", t))
    return frozenset(w for w in lower if w not in exonyms and name_like(w))


_NAME_WORDS: list[frozenset[str]] = []
_NAME_FORMAT = 1  # bump when _build_name_words changes


def name_words() -> frozenset[str]:
    """English words that are mostly names, cached beside the word lists."""
    if not _NAME_WORDS:
        with _names_lock:
            if not _NAME_WORDS:
                import zlib

                from ..lexicons import cache_dir, load_or_build, spellchecker_version
                from ..lexicons import package_version
                from .places import english_place_names
                from .realword import _symspell_version

                # (the exonyms come from Babel and places.yaml: a change to either is a new file)
                places = zlib.crc32("\n".join(sorted(english_place_names())).encode())
                key = (f"{spellchecker_version()}-{_symspell_version()}-{package_version('babel')}-{places:08x}-"
                       f"{_NAME_SHARE}-{_NAME_COUNT}-{_NAME_FORMAT}")
                path = cache_dir() / f"namewords-{key}.pickle"
                _NAME_WORDS.append(load_or_build(path, _build_name_words, lambda t: isinstance(t, frozenset),
                                                 "namewords-*.pickle"))
    return _NAME_WORDS[0]


@lru_cache(maxsize=100_000)
def _common(word: str) -> bool:
    """Whether every part of a capitalised word is an English word (Germany, Anti-Corruption) and
    not all of them are words that are mostly names (Denver, Kenneth)."""
    en = lexicon()
    parts = [fold(p) for p in re.split(r"[-'’]", word)]
    if not all(p in en or is_english_word(p) for p in parts):
        return False
    names = name_words()
    return not all(p in names for p in parts)


# BI-NAME-003 ---------------------------------------------------------------------------------
_SOURCE_NAME = regex.compile(r"(?<![\w'’.-])(\p{Lu}[\p{Ll}\p{M}]+(?:-\p{Lu}[\p{Ll}\p{M}]+)*)(?![\w'’-])")
_WORD = regex.compile(r"[\p{L}\p{M}]+")  # a word with its marks (Devanagari vowel signs are not \w)
_WORD_LISTS = frozenset({"de", "fr", "es", "it", "pt", "nl"})  # Latin-script sources with a word list
_COMPOUNDING = frozenset({"de", "nl"})


def _source_word(word: str, lang: str) -> bool:
    """Whether lower-case ``word`` is a word of the source language's list, perhaps with an
    ending of one or two letters (Spanish plurals, German cases) or, in German and Dutch, as the
    head of a compound."""
    table = frequency_table(lang, above=0)
    if table.get(word) or len(word) > 5 and (table.get(word[:-1]) or table.get(word[:-2])):
        return True
    return lang in _COMPOUNDING and len(word) >= 8 and any(table.get(word[i:]) for i in range(3, len(word) - 3))


@lru_cache(maxsize=16)
def _territory_starts(lang: str) -> frozenset[str]:
    """The first five letters (folded) of each word of CLDR's names of territories in ``lang``."""
    from .places import _source_forms

    return frozenset(fold(w)[:5] for forms in _source_forms(lang).values() for f in forms
                     for w in _WORD.findall(f))


@lru_cache(maxsize=4096)
def source_names(src: str, lang: str) -> tuple[str, ...]:
    """The names of a Latin-script source (see the module's docstring), in order, once each."""
    if lang not in _WORD_LISTS:
        return ()
    out = []
    for m in _SOURCE_NAME.finditer(src):
        w = m.group(1)
        if len(w) < 4 or at_sentence_start(src, m.start()):
            continue
        if src.startswith(".", m.end()) and src[m.end() + 1:m.end() + 2].islower():
            continue  # an abbreviation ("Dott.ssa")
        if _source_word(w.lower(), lang) or fold(w)[:5] in _territory_starts(lang):
            continue
        out.append(w)
    return tuple(dict.fromkeys(out))


def _left_out(names: tuple[str, ...], tgt: str) -> list[str]:
    """The source names no word of the target renders: none shares its first four letters or is
    spelled alike."""
    from rapidfuzz import fuzz

    words = [fold(w) for w in _WORD.findall(tgt)]
    starts = {w[:4] for w in words}
    out = []
    for name in names:
        if fold(name)[:4] in starts:
            continue
        key = _sound(name)
        if any(fuzz.ratio(key, _sound(w)) >= 70 for w in words):
            continue
        out.append(name)
    return out


# an acronym: two to six capitals or digits, two letters at least, a whole token ("NSA", "G7";
# not "WM-Rekord", "K.o."), also right next to Chinese or Japanese characters ("CBA联赛")
_ACRONYM = regex.compile(r"(?<![\p{Latin}\p{Cyrillic}\d_.’'-])(?=[A-Z0-9]*[A-Z][A-Z0-9]*[A-Z])[A-Z][A-Z0-9]{1,5}"
                         r"(?![\p{Latin}\p{Cyrillic}\d_’'-])")
_ROMAN = regex.compile(r"[IVXLCDM]+")


_LATIN_NAME = regex.compile(r"(?<![\p{Latin}\d_.’'-])[A-Z][a-z]{2,}(?:[A-Z][a-z]+)*(?![\p{Latin}\d_’'-])")


@lru_cache(maxsize=4096)
def latin_names_in(src: str) -> tuple[str, ...]:
    """The capitalised Latin words of a source in another script: the names Chinese, Japanese
    and Russian news quote as they are ("约翰·尼克松 (John Nixon)", "YouTube")."""
    return tuple(dict.fromkeys(_LATIN_NAME.findall(src)))


@lru_cache(maxsize=4096)
def source_acronyms(src: str) -> tuple[str, ...]:
    """The acronyms of a source in any script (Chinese and Russian news keep CBA, CNBC), not roman
    numerals ("siglo XV")."""
    return tuple(dict.fromkeys(a for a in _ACRONYM.findall(src) if not _ROMAN.fullmatch(a)))


@lru_cache(maxsize=16)
def _territory_acronyms(lang: str) -> dict[str, frozenset[str]]:
    """The acronyms that name a territory or the UN in ``lang`` (ONZ, USA): codes by acronym."""
    from .places import _source_forms

    out: dict[str, set[str]] = {}
    for code, forms in _source_forms(lang).items():
        for f in forms:
            if _ACRONYM.fullmatch(f):
                out.setdefault(f, set()).add(code)
    return {f: frozenset(c) for f, c in out.items()}


_MINOR_WORDS = frozenset({"of", "and", "the", "for", "de", "in", "on", "to", "&"})


def _spelled_out(acronym: str, tgt: str) -> bool:
    """Whether the target writes ``acronym`` out: words whose initials spell it, the small words
    of a name skipped ("vehicle identification number" for VIN); three letters at least, as two
    would match by chance."""
    letters = acronym.lower()
    initials = [w[0].lower() for w in _WORD.findall(tgt) if w.lower() not in _MINOR_WORDS]
    joined = "".join(initials)
    return len(letters) >= 3 and letters.isalpha() and letters in joined


def _acronyms_left_out(acronyms: tuple[str, ...], tgt: str, lang: str) -> list[str]:
    """The source's acronyms the target lacks: not as such, nor as an acronym of the target that
    shares two of its letters (a translated one: OTAN → NATO, CEDH → ECHR), nor as the territory
    a territory's acronym stands for (ONZ → UN, USA → US)."""
    from .places import renders

    theirs = None
    out = []
    for a in acronyms:
        if a in tgt and whole_word(a).search(tgt):
            continue
        if theirs is None:
            theirs = _ACRONYM.findall(tgt)
        if any(len(set(a) & set(t)) >= 2 for t in theirs) or _spelled_out(a, tgt):
            continue
        if any(renders(c, tgt, tgt.lower()) for c in _territory_acronyms(lang).get(a, ())):
            continue
        out.append(a)
    return out


def _names(text: str, rx: re.Pattern) -> list[re.Match]:
    return [m for m in rx.finditer(text) if m.group(1)[:1].isupper() and not at_sentence_start(text, m.start())]


class NameCheck(Check):
    needs_source = True
    rules = (
        RuleInfo(
            "BI-NAME-001", "Accuracy/Mistranslation", Severity.MAJOR,
            "A name in the target that the (Latin-script) source does not contain.",
            good=(
                "Der Torwart Manuel Neuer spielte in München. ||| Goalkeeper Manuel Neuer played in Munich.",
                "Kidawa-Błońska spotkała się z Dudą. ||| Kidawa-Błońska met Duda.",
                "Am Montag flog Kenneth Branagh nach Wien. ||| On Monday Kenneth Branagh flew to Vienna.",
                "W 1981 roku Jan Paweł II był autorytetem. ||| In 1981 John Paul II was an authority.",
            ),
            bad=(
                "Der Torwart Manuel Neuer spielte in München. ||| Goalkeeper Peer Steinbrueck played in Munich.",
                "Der Torwart Manuel Neuer spielte in München. ||| Goalkeeper Kenneth Neuer played in Munich.",
            ),
        ),
        RuleInfo(
            "BI-NAME-003", "Accuracy/Omission", Severity.MAJOR,
            "A name in the (Latin-script) source, or an acronym in a source of any script, that the "
            "target leaves out.",
            good=(
                "Der WM-Rekordtorschütze Klose und Flick wissen, worauf es ankommt. ||| The World Cup record "
                "goalscorer Klose and Flick know what matters.",
                "In der Nachspielzeit machte Allan den 2:0-Endstand für Neapel perfekt. ||| In added time, Allan "
                "made it 2-0 for Napoli.",
                "Die Person habe sich nach Südkorea abgesetzt. ||| The person fled to South Korea.",
                "Truppen der Koalition rückten in das Gebiet ein. ||| Coalition troops moved into the area.",
                "Es braucht Zeit, continúa la Dott.ssa Décary. ||| It takes time, Dr. Décary continues.",
                "Y lo conocen como «Las Siete Hermanas». ||| And they know it as \"The Seven Sisters\".",
                "34 Prozent wollen, dass Elisabeth II. die letzte Monarchin ist. ||| 34 percent want Elizabeth "
                "II to be the last monarch.",
                "Il a saisi la CEDH et l'OTAN au XXe siècle. ||| He went to the ECHR and NATO in the 20th century.",
                "Abbas przemawiał podczas sesji ONZ w USA. ||| Abbas spoke during a UN session in the US.",
                "受疫情影响，CBA联赛于6月20日开始复赛。 ||| Affected by the epidemic, the CBA league resumed on June 20.",
                "Er diente als nationaler Sicherheitsberater (NSA). ||| He served as National Security Advisor.",
                "7月8日，约翰·尼克松 (John Nixon) 宣读了这份文件。 ||| On July 8, John Nixon read out the document.",
            ),
            bad=(
                "Der WM-Rekordtorschütze Klose und Flick wissen, worauf es ankommt. ||| The World Cup record "
                "goalscorer and Flick know what matters.",
                "In der Nachspielzeit machte Allan den 2:0-Endstand für Neapel perfekt. ||| In added time, he "
                "made it 2-0 for Napoli.",
                "Danielle Lantagne, ein UN-Experte, stellte das fest. ||| A UN expert noted this.",
                "Laut NHC stellt der Sturm keine Gefahr dar. ||| According to the center, the storm poses no threat.",
                "7月8日，约翰·尼克松 (John Nixon) 宣读了这份文件。 ||| On July 8, the document was read out.",
                "受疫情影响，CBA联赛于6月20日开始复赛。 ||| Affected by the epidemic, the league resumed on June 20.",
            ),
        ),
    )

    def prepare(self, segs, ctx: Context) -> None:
        if any(s.source for s in segs):
            lexicon()  # loaded before workers fork
            name_words()
            for lang in {ctx.source_language(s) for s in segs if s.source} & _WORD_LISTS:
                frequency_table(lang, above=0)
                _territory_starts(lang)

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        src, tgt = seg.source, seg.target
        if not src or not tgt:
            return ()
        lang = ctx.source_language(seg)
        if not lang or lang == "en":
            return ()
        if script_guess(src) != "latin":  # only the Latin names (John Nixon) and acronyms (CBA) it quotes
            latin, acronyms = latin_names_in(src), source_acronyms(src)
            left = _left_out(latin, tgt) if latin else []
            left += _acronyms_left_out(acronyms, tgt, lang) if acronyms else []
            return [self._left_out_finding(seg, left)] if left else ()
        src_fold = None
        out = []
        for m in _names(tgt, _CAP):
            word = m.group(1)
            if len(word) < 4 or word.isupper() or _common(word):
                continue
            if src_fold is None:
                src_fold = fold(src)
            if _stem(word) in src_fold or fold(word) in src_fold:
                continue
            if _spelled_alike(word, _SRC_WORD.findall(src)):
                continue
            out.append(self.finding("BI-NAME-001", seg, m.start(1), m.end(1),
                                    f"'{word}' is not in the source: check the name.", ()))
        names = source_names(src, lang)
        left = _left_out(names, tgt) if names else []
        if len(left) == 1 and len(out) == 1 and abs(src.find(left[0]) / len(src) - out[0].start / len(tgt)) < 0.3:
            # one name swapped for another at about the same place: suggest the source's
            out, left = [replace(out[0], suggestions=(left[0],))], []
        acronyms = source_acronyms(src)
        left += _acronyms_left_out(acronyms, tgt, lang) if acronyms else []
        if left:
            out.append(self._left_out_finding(seg, left))
        return out

    def _left_out_finding(self, seg: Segment, left: list[str]) -> Finding:
        listed = ", ".join(f"'{n}'" for n in left)
        return self.finding("BI-NAME-003", seg, 0, len(seg.target),
                            f"The source's {'name' if len(left) == 1 else 'names'} {listed} "
                            f"{'is' if len(left) == 1 else 'are'} not in the target: left out?", ())
