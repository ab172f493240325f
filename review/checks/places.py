"""BI-NAME-002: a country or region in the target that the source does not name.

A machine translation that writes "Spain" where the source says "Südostasien", or "Canada" where
it says 新疆, has swapped a place, and the English reads perfectly well. Countries and regions are
a closed set with names in every language: the Unicode CLDR (through Babel) gives each territory's
English name and its name in the source language, and the source language's name of the language
spoken there, which is how an adjective shows ("schwedische Regierung" → "the Swedish
government"). ``review/data/places.yaml`` adds the short and everyday forms news uses (USA, 米国,
我国, EE.UU.) and lists English names that are also a person's or a US state's (Georgia, Jordan).

For each country or region named in the target, the check looks for any of its names in the
source: a word prefix in languages that inflect ("Szwecji", "Швеции" for Szwecja, Швеция), a
substring in Chinese and Japanese, an exact word for acronyms. A name that is part of a longer
name ("New Mexico", "Radio France", "Japan Times") is left alone. The suggestion is the territory
the source names and the target does not, when one is named more specifically than any other
("Asie du Sud-Est" → Southeast Asia, although it also holds "Asie").

BI-NAME-004 is the reverse: a country or region the source names and the target leaves out
("Bootfahren ist in Finnland …" → "Boating is the national pastime in, …"). It looks for the
source language's CLDR name of each territory more strictly than BI-NAME-002 does, since every
match here is a finding: whole words, capitalised where the script has capitals, an inflected
ending of two letters at most (four after the stem of a long name: Szwecji, Швеции) and never a
word of the source language's list that is not the name itself ("Monat" is not Monaco, "Islam"
not Island); Chinese and Japanese names not inside a longer one (西亚, West Asia, in 马来西亚),
not listed in places.yaml as also part of other words (马里, Mali, is in "波特马里恩", Point
Marion), and not right before the name of a province, city or county ("美国得克萨斯州" is often
just "Texas"). The target renders a territory when a word of it starts with the first four
letters of a word of its English name (not "South", "United", "Republic" …) or of the language
spoken there ("Swedish", "Finnish"), or has one of the forms under ``rendered_by`` in places.yaml
(American, British, Swiss).
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import regex

from ..lexicons import frequency_table
from ..model import Finding, Segment, Severity
from .base import Check, Context, RuleInfo, at_sentence_start
from .names import _WORD, _WORD_LISTS, fold

__all__ = ["PlaceCheck", "english_place_names", "places_in_source", "places_in_target"]

# CLDR regions checked besides the two-letter territories (world regions an MT might swap in).
_REGIONS = ("002", "142", "150", "009", "005", "003", "013", "419", "035", "030", "151", "155", "039", "154",
            "029", "145", "034", "143", "015", "011", "014", "018", "053")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_ACRONYM = re.compile(r"^(?:[A-ZÀ-ÞА-Я]\.?){2,5}$")  # USA, U.S.A., EE.UU. (with its dots: EE. UU. is not one)
_NAME_WORD = re.compile(r"[^\W\d_][^\W\d_'’-]*")
_CAP_WORD = re.compile(r"([A-Z][\w.'’-]*)\s+$")
_NEXT_CAP = re.compile(r"(?:'s|’s)?\s+[A-Z][a-z]")
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _data() -> dict:
    import yaml

    text = (Path(__file__).resolve().parent.parent / "data" / "places.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


_CLDR_FORMAT = 2  # of the cached CLDR tables: bump when _build_cldr changes


def _build_cldr(lang: str) -> dict:
    """From Babel: the territory codes checked, and the language's name of each territory and of
    the languages spoken there ("likely" territory of a language, English left out)."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global

    en = Locale("en").territories
    codes = [c for c in en if (len(c) == 2 and c.isalpha() and c not in ("ZZ", "XA", "XB", "QO"))
             or c in _REGIONS or c in ("EU", "UN")]
    try:
        loc = Locale.parse(lang)
        territories, languages = loc.territories, loc.languages
    except (UnknownLocaleError, ValueError):
        return {"codes": codes, "territories": {}, "spoken": {}, "known": False}
    spoken_codes: dict[str, list[str]] = {}
    for code, tag in get_global("likely_subtags").items():
        if "_" not in code and code != "en":
            spoken_codes.setdefault(tag.split("_")[-1], []).append(code)
    spoken = {c: [languages[lc] for lc in spoken_codes.get(c, ()) if lc in languages] for c in codes}
    return {"codes": codes, "territories": {c: territories[c] for c in codes if c in territories},
            "spoken": {c: v for c, v in spoken.items() if v}, "known": True}


@lru_cache(maxsize=None)
def _cldr(lang: str) -> dict:
    """``_build_cldr(lang)``, cached as a pickle beside the word lists (reading Babel's locale data
    costs ~0.1 s a language; the pickle a millisecond)."""
    from ..lexicons import cache_dir, load_or_build, package_version

    path = cache_dir() / f"places-{lang}-{package_version('babel')}-{_CLDR_FORMAT}.pickle"
    # (a language Babel does not know gets no file: any code a user types would leave one)
    return load_or_build(path, lambda: _build_cldr(lang), lambda t: isinstance(t, dict) and "codes" in t,
                         f"places-{lang}-*.pickle", store=lambda t: t["known"])


def _codes() -> list[str]:
    return _cldr("en")["codes"]


def _clean(name: str) -> list[str]:
    """A CLDR name as the forms news writes: "Myanmar (Burma)" → Myanmar, Burma; "Bosnia &
    Herzegovina" → also "Bosnia and Herzegovina"; names with a dash or "SAR" are left to aliases."""
    if " - " in name or " SAR" in name:
        return []
    m = re.match(r"^(.*?)\s*\((.*)\)$", name)
    forms = [m.group(1), m.group(2)] if m else [name]
    out = []
    for f in forms:
        out.append(f)
        if "&" in f:
            out.append(f.replace("&", "and"))
    return [f for f in out if f]


@lru_cache(maxsize=1)
def _english() -> tuple[dict[str, frozenset[str]], object]:
    """English name → territory codes, and an Aho-Corasick automaton over the names."""
    import ahocorasick

    data = _data()
    skip = set(data.get("not_checked", ()))
    en = _cldr("en")["territories"]
    names: dict[str, set[str]] = {}
    for code in _codes():
        for form in _clean(en[code]) + list(data["english"].get(code, ())):
            if form not in skip:
                names.setdefault(form, set()).add(code)
    auto = ahocorasick.Automaton()
    for name, codes in names.items():
        auto.add_word(name, (name, frozenset(codes)))
    auto.make_automaton()
    return {n: frozenset(c) for n, c in names.items()}, auto


def english_place_names() -> list[str]:
    """Every English country or region name the check knows."""
    return list(_english()[0])


def _stems(form: str) -> tuple[str, ...]:
    """The word prefixes a (non-CJK, non-acronym) form is looked for by on the folded source: each
    word less its last two letters, four at least ("Szwecja" → szwec, found in "Szwecji"); words
    under three letters ("de", "la" in "Estados Unidos de América") are skipped."""
    stems = []
    for w in _WORD.findall(fold(form)):
        if len(w) < 3:
            continue  # ("u", "s" of a dotted acronym would start half the words of a text)
        stems.append(w if len(w) < 5 else w[:max(4, len(w) - 2)])
    return tuple(dict.fromkeys(stems))


class _Index:
    """How one source language names every territory, indexed for one pass over a source:
    substrings (Chinese, Japanese), acronyms (whole words, with their case) and word prefixes."""

    def __init__(self, forms: dict[str, tuple[str, ...]]):
        self.subs: list[tuple[str, str]] = []
        acronyms: dict[str, set[str]] = {}
        self.prefix: dict[str, list[int]] = {}
        self.need: list[int] = []
        self.code: list[str] = []
        for code, fs in forms.items():
            for f in fs:
                if _CJK.search(f):
                    self.subs.append((f, code))
                elif _ACRONYM.match(f):
                    acronyms.setdefault(f, set()).add(code)
                else:
                    stems = _stems(f)
                    if not stems:
                        continue
                    for st in stems:
                        self.prefix.setdefault(st, []).append(len(self.code))
                    self.need.append(len(stems))
                    self.code.append(code)
        self.acronyms = acronyms
        self.acronym_rx = re.compile(r"(?<![\w.])(" + "|".join(
            re.escape(a) for a in sorted(acronyms, key=len, reverse=True)) + r")(?!\w)") if acronyms else None
        self.lengths = sorted({len(st) for st in self.prefix})

    def weights_in(self, src: str) -> dict[str, int]:
        """Territory code → how specific the most specific of its names in ``src`` is (words of a
        name, or characters of a Chinese or Japanese one): "Asie du Sud-Est" names Asia (1),
        Southern Asia (2) and Southeast Asia (3)."""
        found: dict[str, int] = {}

        def add(code: str, weight: int) -> None:
            if weight > found.get(code, 0):
                found[code] = weight

        if self.subs and _CJK.search(src):
            for sub, code in self.subs:
                if sub in src:
                    add(code, len(sub))
        if self.acronym_rx:
            for m in self.acronym_rx.finditer(src):
                for code in self.acronyms[m.group(1)]:
                    add(code, 1)
        hits: dict[int, int] = {}
        prefix, lengths = self.prefix, self.lengths
        seen = set()
        for w in set(_WORD.findall(fold(src))):
            for n in lengths:
                if n > len(w):
                    break
                st = w[:n]
                if st in prefix and st not in seen:
                    seen.add(st)
                    for fi in prefix[st]:
                        hits[fi] = hits.get(fi, 0) + 1
        for fi, n in hits.items():
            if n >= self.need[fi]:
                add(self.code[fi], n)
        return found


@lru_cache(maxsize=32)
def _index(lang: str, proper_only: bool) -> _Index:
    return _Index(_source_forms(lang, proper_only))


@lru_cache(maxsize=4096)
def places_in_source(src: str, lang: str) -> frozenset[str]:
    """The territory codes the source names, by any of its forms."""
    return frozenset(_index(lang, False).weights_in(src))


@lru_cache(maxsize=32)
def _source_forms(lang: str, proper_only: bool = False) -> dict[str, tuple[str, ...]]:
    """Territory code → the source language's names for it; ``proper_only``: by its CLDR and English
    names alone (not by adjectives and the short forms of places.yaml, such as 中 or 以, which
    are also ordinary words), as the suggestion needs."""
    cldr = _cldr(lang)
    territories, spoken = cldr["territories"], cldr["spoken"]
    data = _data()
    english, _ = _english()
    english_by_code: dict[str, list[str]] = {}
    for name, codes in english.items():
        for c in codes:
            english_by_code.setdefault(c, []).append(name)
    extra = data["source"].get(lang, {})
    anywhere = data["source"].get("any", {})
    out = {}
    for code in _codes():
        forms = []
        if code in territories:
            forms += [f for f in re.split(r"\s*[()（）]\s*", territories[code]) if f]
        forms += english_by_code.get(code, [])  # Latin sources, and English inside CJK text
        if not proper_only:
            forms += spoken.get(code, [])
            forms += [str(f) for f in extra.get(code, ())] + [str(f) for f in anywhere.get(code, ())]
        out[code] = tuple(dict.fromkeys(f for f in forms if f.strip()))
    return out


def _written_as_a_name(src: str, forms: tuple[str, ...]) -> bool:
    """Whether the source writes one of ``forms`` as a name: capitalised where the script has
    capitals (Russian "того", "of that", is not Того, Togo; Czech "oceánů" is not Oceánie), or as
    Chinese or Japanese characters."""
    words = _NAME_WORD.findall(src)
    for f in forms:
        if _CJK.search(f) or _ACRONYM.match(f):
            return True
        stems = _stems(f)
        if stems and any(w[:1].isupper() and fold(w).startswith(stems[0]) for w in words):
            return True
    return False


def places_in_target(tgt: str) -> list[tuple[int, int, str, frozenset[str]]]:
    """(start, end, name, codes) of each country or region the target names on its own (not as
    part of a longer name)."""
    _, auto = _english()
    found = []
    for end, (name, codes) in auto.iter_long(tgt):
        start = end - len(name) + 1
        end += 1
        if start and (tgt[start - 1].isalnum() or tgt[start - 1] in ".'’"):
            continue
        if end < len(tgt) and tgt[end].isalnum():
            continue
        m = _CAP_WORD.search(tgt, max(0, start - 40), start)  # (the word before; no copies)
        if m and (m.group(1) == "New" or not at_sentence_start(tgt, m.start())):
            continue  # New Mexico, Radio France
        if _NEXT_CAP.match(tgt, end):
            continue  # Japan Times, Mexico City
        found.append((start, end, name, codes))
    return found


# BI-NAME-004 ----------------------------------------------------------------------------------
# words of English territory names that do not tell one from another
_GENERIC = frozenset("south north east west southern northern eastern western central united republic islands "
                     "island saint new great democratic people kingdom states state of the and federated "
                     "outlying".split())
# a Chinese or Japanese place name right after a country's ("美国得克萨斯州", "德国北威州")
_PLACE_AFTER = regex.compile(r"\p{Han}{1,6}?[州省市县縣郡区區府岛島]")


@lru_cache(maxsize=32)
def _omission_forms(lang: str) -> tuple[list[tuple[str, str]], dict[str, list[tuple[str, tuple[str, ...]]]]]:
    """The source language's CLDR name of each territory (before any parenthesis), as BI-NAME-004
    looks for it: (name, code) for Chinese and Japanese names, and the folded words of the others
    by the first four letters of their first word."""
    territories = _cldr(lang)["territories"]
    ambiguous = set(_data().get("ambiguous_in_source", ()))
    cjk: list[tuple[str, str]] = []
    words: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for code in _codes():
        name = re.split(r"\s*[(（]", territories.get(code, ""))[0].strip()
        if not name:
            continue
        if _CJK.search(name):
            if len(name) >= 2 and name not in ambiguous:
                cjk.append((name, code))
            continue
        ws = tuple(fold(w) for w in _WORD.findall(name))
        if ws and (len(ws) > 1 or len(ws[0]) >= 4):
            words.setdefault(ws[0][:4], []).append((code, ws))
    cjk.sort(key=lambda nc: -len(nc[0]))  # longest first: 马来西亚 (Malaysia) before 西亚 (West Asia)
    return cjk, words


def _is_form_word(word: str, form: str, lang: str) -> bool:
    """Whether source ``word`` is ``form`` (a folded word of a territory's name), perhaps
    inflected: see the module's docstring."""
    w = fold(word)
    if word[:1].islower():
        return False  # a name is capitalised where the script has capitals ("того" is not Того)
    if w == form:
        return True
    if not word[:1].isupper():
        return False  # and in a script without them, a whole word
    if w.startswith(form):
        inflected = len(w) - len(form) <= 2
    else:
        inflected = len(form) >= 6 and w.startswith(form[:-2]) and len(w) - len(form) <= 2
    if not inflected:
        return False
    return lang not in _WORD_LISTS or not frequency_table(lang, above=0).get(word.lower())


@lru_cache(maxsize=4096)
def places_named_strictly(src: str, lang: str) -> dict[str, str]:
    """Territory code → the source text that names it, by BI-NAME-004's strict matching."""
    cjk, by_start = _omission_forms(lang)
    found: dict[str, str] = {}
    if cjk and _CJK.search(src):
        # the names found, as start → farthest end (a shorter name inside one is not one); a span
        # that holds [i, j) starts within the longest name's length of j, so only those starts are
        # looked up (a text naming a country 6,000 times stays linear)
        reach: dict[int, int] = {}
        longest = max((len(name) for name, _ in cjk), default=0)
        for name, code in cjk:
            i = src.find(name)
            while i >= 0:
                j = i + len(name)
                if not any(reach.get(a, -1) >= j for a in range(max(0, j - longest), i + 1)):
                    if reach.get(i, -1) < j:
                        reach[i] = j
                    if code not in found and not _PLACE_AFTER.match(src, j):
                        found[code] = name
                i = src.find(name, i + 1)
    words = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(src)]
    for i, (w, start, _) in enumerate(words):
        for code, form in by_start.get(fold(w)[:4], ()):
            if code in found or i + len(form) > len(words):
                continue
            if all(_is_form_word(words[i + k][0], form[k], lang) for k in range(len(form))):
                found[code] = src[start:words[i + len(form) - 1][2]]
    return found


@lru_cache(maxsize=None)
def _rendering(code: str) -> tuple[tuple[re.Pattern, ...], re.Pattern]:
    """What renders a territory in English: patterns for its names without a telling word (US),
    and one pattern that finds, in a lower-cased text, a word starting with the first four letters
    of a telling word of its names or of the languages spoken there."""
    en = _cldr("en")
    forms = (_clean(en["territories"].get(code, "")) + [str(f) for f in _data()["english"].get(code, ())]
             + en["spoken"].get(code, []) + [str(f) for f in _data().get("rendered_by", {}).get(code, ())])
    starts, whole = set(), []
    for f in forms:
        telling = [w for w in (fold(x) for x in _WORD.findall(f)) if len(w) >= 4 and w not in _GENERIC]
        if telling:
            starts.update(w[:4] for w in telling)
        else:
            whole.append(re.compile(r"(?<![\w.])" + re.escape(f) + r"(?!\w)"))
    any_start = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(starts))) + ")" if starts else "(?!)")
    return tuple(whole), any_start


def renders(code: str, tgt: str, low: str) -> bool:
    """Whether the target (``low``: lower-cased) renders territory ``code``; see ``_rendering``."""
    whole, any_start = _rendering(code)
    return any_start.search(low) is not None or any(p.search(tgt) for p in whole)


def places_left_out(src: str, tgt: str, lang: str) -> list[tuple[str, str]]:
    """(code, source text) of each territory the source names and the target does not render."""
    named = places_named_strictly(src, lang)
    if not named:
        return []
    low = tgt.lower()
    return [(code, text) for code, text in named.items() if not renders(code, tgt, low)]


class PlaceCheck(Check):
    needs_source = True
    rules = (
        RuleInfo(
            "BI-NAME-002", "Accuracy/Mistranslation", Severity.MAJOR,
            "A country or region in the target that the source does not name (CLDR names in both "
            "languages, plus everyday forms).",
            good=(
                "Die schwedische Regierung tagte in Stockholm. ||| The Swedish government met in Stockholm.",
                "Er floh vor drei Jahren nach Südkorea. ||| He fled to South Korea three years ago.",
                "Rząd Szwecji zebrał się w Sztokholmie. ||| The government of Sweden met in Stockholm.",
                "中美关系正在改善。 ||| China-US relations are improving.",
                "米国の大統領が来日した。 ||| The President of the United States visited Japan.",
                "Le Nouveau-Mexique est sec. ||| New Mexico is dry.",
            ),
            bad=(
                "Er floh vor drei Jahren nach Südkorea. ||| He fled to Syria three years ago.",
                "Il y a des inondations en Asie du Sud-Est. ||| There are floods in Spain.",
                "目前新疆有330多座光伏电站。 ||| Currently, Canada has more than 330 photovoltaic power plants.",
            ),
        ),
        RuleInfo(
            "BI-NAME-004", "Accuracy/Omission", Severity.MINOR,
            "A country or region the source names that the target leaves out (minor: a city or a "
            "demonym often makes it plain).",
            good=(
                "Bootfahren ist die nationale Freizeitbeschäftigung in Finnland. ||| Boating is the national "
                "pastime in Finland.",
                "Rząd Szwecji zebrał się w Sztokholmie. ||| The Swedish government met in Stockholm.",
                "Letzten Monat erfuhr Iran sein schlimmstes Flugzeugunglück. ||| Last month, Iran had its "
                "worst plane crash.",
                "九州、中国、四国は梅雨明けした。 ||| The rainy season ended in Kyushu, Chugoku and Shikoku.",
                "在波特马里恩到费尔蒙特之间的路段最难走。 ||| The stretch between Point Marion and Fairmont is the "
                "hardest.",
                "飓风登陆美国得克萨斯州。 ||| The hurricane made landfall in Texas.",
                "По количеству заражений лидируют США. ||| The US leads in the number of infections.",
            ),
            bad=(
                "Bootfahren ist die nationale Freizeitbeschäftigung in Finnland. ||| Boating is the national "
                "pastime in, with one in six owning a boat.",
                "Die Person habe sich vor drei Jahren nach Südkorea abgesetzt. ||| The person fled to three "
                "years ago.",
                "当地时间6月1日，意大利首都罗马，罗马斗兽场重新开放。 ||| On June 1, local time, the Colosseum "
                "reopened in Rome.",
            ),
        ),
    )

    def prepare(self, segs, ctx: Context) -> None:
        """Build the tables of every source language the document has, before workers fork."""
        langs = {ctx.source_language(s) for s in segs if s.source}
        with _lock:
            for lang in sorted(x for x in langs if x and x != "en"):
                _index(lang, False)
                _omission_forms(lang)

    def segment(self, seg: Segment, ctx: Context) -> Iterable[Finding]:
        src, tgt = seg.source, seg.target
        if not src or not tgt:
            return ()
        lang = ctx.source_language(seg)
        if not lang or lang == "en":
            return ()
        out = []
        left = places_left_out(src, tgt, lang)
        if left:
            en = _cldr("en")["territories"]
            listed = ", ".join(f"'{text}' ({en.get(code, code)})" for code, text in left)
            out.append(self.finding("BI-NAME-004", seg, 0, len(tgt),
                                    f"The source names {listed}; the target does not: left out?", ()))
        places = places_in_target(tgt)
        if not places:
            return out
        named = places_in_source(src, lang)
        seen = set()
        suggestion = None
        for start, end, name, codes in places:
            if name in seen or not codes.isdisjoint(named):
                continue
            seen.add(name)
            if suggestion is None:
                suggestion = self._suggest(src, places, lang)
            out.append(self.finding("BI-NAME-002", seg, start, end,
                                    f"'{name}' is not in the source: check the country or region.", suggestion))
        return out

    @staticmethod
    def _suggest(src: str, places: list, lang: str) -> tuple[str, ...]:
        """The English name of the territory the source names and the target (its ``places``)
        does not, when one of them is named more specifically than the others ("Asie du Sud-Est":
        Southeast Asia, not Asia); by CLDR and English names only, as places.yaml's short forms
        (中, 以) are also ordinary words."""
        in_tgt = set().union(*(codes for *_, codes in places))
        weights = {c: w for c, w in _index(lang, True).weights_in(src).items() if c not in in_tgt}
        if not weights:
            return ()
        top = max(weights.values())
        best = [c for c, w in weights.items() if w == top]
        if len(best) != 1 or not _written_as_a_name(src, _source_forms(lang, True)[best[0]]):
            return ()
        en = _cldr("en")["territories"]
        forms = _clean(en[best[0]]) or _data()["english"].get(best[0]) or [en[best[0]]]
        return (str(forms[0]),)
