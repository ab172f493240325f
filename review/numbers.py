"""Language-aware number extraction and source/target number agreement.

``extract_numbers(text, lang)`` finds the numbers a sentence mentions — ASCII, full-width and
Devanagari digits, locale thousands/decimal separators, percentages, scale words ("6.1 billion",
"1000万", "15 लाख"), CJK numerals ("三百", "十五", "两"), English number words and ordinals — and
returns :class:`NumberMention` objects whose ``start``/``end`` index the original text.

``numbers_agree(source_numbers, target_numbers)`` returns the target mentions that no source
mention accounts for, tolerating equivalent forms (10 million == 1000万, "29th" == 29日, rounding
"6.1 billion" ≈ 6,123,000,000). Neither function raises.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field, fields
from operator import attrgetter

import regex

from functools import lru_cache

# Patterns compiled once (shared with the bilingual checks): module-level regex.* calls look the
# pattern up in regex's cache on every call, which costs more than the match on short strings.
cached_regex = lru_cache(maxsize=None)(regex.compile)
_rx = cached_regex

__all__ = ["NumberMention", "extract_numbers", "numbers_agree", "format_number"]


@dataclass(frozen=True, slots=True)
class NumberMention:
    """One number in a text. ``value`` is the normalised value (scale applied); ``alts`` are other
    readings of the same characters (an ambiguous separator, the number before its scale word)."""

    start: int
    end: int
    text: str
    value: float
    kind: str = "number"  # number | percent | ordinal | year | scaled | word | time | minute
    alts: tuple[float, ...] = field(default=())
    after: str = ""  # a few characters following the mention (suffixes such as "s", "th")

    @property
    def values(self) -> tuple[float, ...]:
        return (self.value,) + tuple(self.alts)


# NumberMention(...) without the frozen dataclass's __init__ (object.__setattr__ for each field, the
# larger part of the cost of extracting a number): the slots are set through their descriptors.
_NEW = object.__new__
_SET_START, _SET_END, _SET_TEXT, _SET_VALUE, _SET_KIND, _SET_ALTS, _SET_AFTER = (
    getattr(NumberMention, f.name).__set__ for f in fields(NumberMention))


def _mention(start: int, end: int, text: str, value: float, kind: str, alts: tuple[float, ...],
             after: str) -> NumberMention:
    m = _NEW(NumberMention)
    _SET_START(m, start)
    _SET_END(m, end)
    _SET_TEXT(m, text)
    _SET_VALUE(m, value)
    _SET_KIND(m, kind)
    _SET_ALTS(m, alts)
    _SET_AFTER(m, after)
    return m


# Languages writing ',' for thousands and '.' for decimals; all others the other way round.
_DOT_DECIMAL = {"en", "ja", "zh", "ko", "hi", "th", "he", "ar", None}

# Same-length digit normalisation (offsets stay valid): full-width, Devanagari, Arabic-Indic.
_DIGITS = {}
for _base in (0xFF10, 0x0966, 0x0660, 0x06F0, 0x09E6):
    for _i in range(10):
        _DIGITS[chr(_base + _i)] = str(_i)
_DIGITS.update({"．": ".", "，": ",", "％": "%", "：": ":", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
                "’": "'", "－": "-"})
_TRANS = str.maketrans(_DIGITS)
_TRANS_RE = regex.compile("[" + "".join(regex.escape(c) for c in _DIGITS) + "]")

_NUM_RE = regex.compile(
    r"(?<![\d])(\d+(?:(?:[,.'’]|[ ](?=\d{3}(?!\d)))\d+)*)"
)
# Scale words after a number (English and source-language forms).
_SCALE_WORDS = {
    "thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6, "mn": 1e6, "mln": 1e6,
    "billion": 1e9, "billions": 1e9, "bn": 1e9, "trillion": 1e12, "trillions": 1e12, "tn": 1e12,
    "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "crore": 1e7, "crores": 1e7,
    # German
    "tausend": 1e3, "mio": 1e6, "millionen": 1e6, "mrd": 1e9, "milliarde": 1e9,
    "milliarden": 1e9, "billionen": 1e12,
    # French / Spanish / Italian / Portuguese
    "mille": 1e3, "mil": 1e3, "mila": 1e3, "milliard": 1e9, "milliards": 1e9, "millones": 1e6,
    "millón": 1e6, "milioni": 1e6, "milione": 1e6, "miliardi": 1e9, "miliardo": 1e9,
    # Polish / Czech
    "tys": 1e3, "tysięcy": 1e3, "tysiące": 1e3, "tis": 1e3, "tisíc": 1e3, "milion": 1e6, "miliony": 1e6,
    "milionów": 1e6, "milionů": 1e6, "mld": 1e9, "miliard": 1e9, "miliardy": 1e9, "miliardów": 1e9,
    # Russian
    "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "тысяча": 1e3, "млн": 1e6, "миллион": 1e6, "миллиона": 1e6,
    "миллионов": 1e6, "млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9, "трлн": 1e12,
    # Hindi
    "हज़ार": 1e3, "हजार": 1e3, "लाख": 1e5, "करोड़": 1e7, "करोड": 1e7, "अरब": 1e9,
}
_SCALE_RE = regex.compile(r"\s?([\p{L}\p{M}]+)\.?")
_CJK_SCALE = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "兆": 1e12, "千": 1e3, "百": 1e2}
_PERCENT_RE = regex.compile(
    r"\s?(?:%|percent\b|per\s+cent\b|prozent\b|pour\s+cent\b|por\s+ciento\b|per\s+cento\b|procent\w*|"
    r"процент\w*|प्रतिशत|パーセント|百分点)", regex.I)
_ORD_SUFFIX_RE = regex.compile(r"(?:st|nd|rd|th)\b", regex.I)

# CJK numerals -----------------------------------------------------------------------------
_CJK_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9, "壱": 1, "弐": 2, "参": 3,
              "双": 2, "雙": 2, "俩": 2, "倆": 2}
_CJK_SMALL = {"十": 10, "拾": 10, "百": 100, "千": 1000, "仟": 1000}
_CJK_BIG = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "兆": 1e12}
_KILO_UNITS = frozenset("瓦米克卡焦伏赫帕")  # after 千: the SI prefix kilo, not a thousand
_CJK_RUN_RE = regex.compile(r"[0-9.〇零一二两兩三四五六七八九十拾百千仟万萬亿億兆壱弐参]+")


def _parse_cjk(s: str) -> float | None:
    """Value of a run mixing CJK numerals and ASCII digits ("三百" 300, "1000万" 1e7, "3.5億")."""
    if not s:
        return None
    total = 0.0
    section = 0.0  # below the current big unit
    cur: float | None = None  # pending digit value
    i = 0
    while i < len(s):
        ch = s[i]
        if ch.isdigit() and ch.isascii():
            j = i
            while j < len(s) and (s[j].isascii() and (s[j].isdigit() or s[j] == ".")):
                j += 1
            try:
                cur = float(s[i:j].rstrip("."))
            except ValueError:
                return None
            i = j
            continue
        if ch in _CJK_DIGIT:
            d = _CJK_DIGIT[ch]
            # "一九八五" style digit strings
            cur = d if cur is None or cur >= 10 or ch in "〇零" else cur * 10 + d
            if ch in "〇零" and cur == 0:
                cur = None
            i += 1
            continue
        if ch in _CJK_SMALL:
            section += (cur if cur is not None else 1) * _CJK_SMALL[ch]
            cur = None
            i += 1
            continue
        if ch in _CJK_BIG:
            section += cur or 0
            if section == 0:
                section = 1
            total += section * _CJK_BIG[ch]
            section, cur = 0.0, None
            i += 1
            continue
        if ch == ".":
            i += 1
            continue
        return None
    return total + section + (cur or 0)


def _cjk_digit_string(s: str) -> float | None:
    """"二〇二二" → 2022 (positional digit strings without 十/百)."""
    if len(s) >= 2 and all(c in _CJK_DIGIT for c in s):
        return float("".join(str(_CJK_DIGIT[c]) for c in s))
    return None


# English number words -----------------------------------------------------------------------
_EN_UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
             "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
             "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
             "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
             "dozen": 12, "million": 1e6, "billion": 1e9, "trillion": 1e12,
             "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
             "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
             "twentieth": 20, "hundredth": 100, "half": 0.5, "twice": 2, "once": 1,
             "double": 2, "triple": 3, "pair": 2, "couple": 2, "dozens": 12, "hundreds": 100,
             "thousands": 1000, "millions": 1e6, "billions": 1e9, "single": 1, "both": 2}
_EN_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_EN_TENS_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                  "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")
_EN_WORD_RE = regex.compile(r"(?i)\b(?:(?:" + "|".join(_EN_TENS) + r")[- ](?:" + "|".join(_EN_TENS_UNITS) + r")|"
                            + "|".join(sorted(_EN_UNITS, key=len, reverse=True)) + r")\b", regex.I)
_ROMAN_RE = regex.compile(r"(?<![\p{L}\d])(?:(?=[IVXLC]{2,}(?![\p{L}\d]))|(?=[IVXLC]+(?:e|er|ème|eme|º)\b))"
                          r"(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})(?=(?:e|er|ème|eme|º)?(?![\p{L}\d]))")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _roman(s: str) -> int:
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = _ROMAN[a]
        total += -v if b != " " and _ROMAN.get(b, 0) > v else v
    return total


# Source-language number words (cardinals 1-12 and the first ordinals), matched as word prefixes
# where the language inflects them.
_SRC_WORDS = {
    "de": {"eins": 1, "eine": 1, "einen": 1, "einem": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4,
           "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
           "erste": 1, "ersten": 1, "erster": 1, "erstes": 1, "zweite": 2, "zweiten": 2, "dritte": 3,
           "dritten": 3, "hundert": 100, "tausend": 1000, "dutzend": 12, "zwanzig": 20, "dreißig": 30},
    "fr": {"un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
           "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "premier": 1, "première": 1, "deuxième": 2,
           "second": 2, "seconde": 2, "troisième": 3, "cent": 100, "mille": 1000, "vingt": 20, "trente": 30,
           "douzaine": 12},
    "es": {"un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
           "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "primer": 1, "primero": 1, "primera": 1,
           "segundo": 2, "segunda": 2, "tercer": 3, "tercero": 3, "tercera": 3, "cien": 100, "ciento": 100,
           "mil": 1000, "veinte": 20, "treinta": 30, "docena": 12},
    "it": {"un": 1, "uno": 1, "una": 1, "due": 2, "tre": 3, "quattro": 4, "cinque": 5, "sei": 6, "sette": 7,
           "otto": 8, "nove": 9, "dieci": 10, "undici": 11, "dodici": 12, "primo": 1, "prima": 1, "secondo": 2,
           "seconda": 2, "terzo": 3, "terza": 3, "cento": 100, "mille": 1000, "venti": 20, "trenta": 30},
    "pl": {"jeden": 1, "jedna": 1, "jedno": 1, "dwa": 2, "dwie": 2, "dwóch": 2, "trzy": 3, "trzech": 3,
           "cztery": 4, "czterech": 4, "pięć": 5, "pięciu": 5, "sześć": 6, "sześciu": 6, "siedem": 7,
           "osiem": 8, "dziewięć": 9, "dziesięć": 10, "pierwszy": 1, "pierwsza": 1, "pierwszej": 1,
           "drugi": 2, "druga": 2, "drugiej": 2, "trzeci": 3, "trzecia": 3, "sto": 100, "tysiąc": 1000},
    "cs": {"jeden": 1, "jedna": 1, "jedno": 1, "dva": 2, "dvě": 2, "dvou": 2, "tři": 3, "tří": 3, "čtyři": 4,
           "pět": 5, "šest": 6, "sedm": 7, "osm": 8, "devět": 9, "deset": 10, "první": 1, "druhý": 2,
           "druhá": 2, "třetí": 3, "sto": 100, "tisíc": 1000},
    "ru": {"один": 1, "одна": 1, "одно": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трех": 3, "трёх": 3,
           "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10,
           "первый": 1, "первая": 1, "второй": 2, "третий": 3, "сто": 100, "тысяча": 1000},
    "hi": {"एक": 1, "दो": 2, "तीन": 3, "चार": 4, "पांच": 5, "पाँच": 5, "छह": 6, "छः": 6, "सात": 7, "आठ": 8,
           "नौ": 9, "दस": 10, "पहला": 1, "पहले": 1, "दूसरा": 2, "दूसरे": 2, "तीसरा": 3, "तीसरे": 3,
           "सौ": 100, "हज़ार": 1000, "हजार": 1000},
}
_SRC_WORD_TOKEN_RE = regex.compile(r"[\p{L}\p{M}]+")


def _en_word_value(w: str) -> float | None:
    w = w.lower()
    w = w.replace(" ", "-")
    if "-" in w:
        a, b = w.split("-", 1)
        return _EN_UNITS.get(a, 0) + _EN_UNITS.get(b, 0)
    return _EN_UNITS.get(w)


def _parse_digits(tok: str, lang: str | None) -> tuple[float, tuple[float, ...]] | None:
    """Value (and alternative readings) of a digit token with separators, by locale."""
    if tok.isascii() and tok.isdigit():
        return float(tok), ()  # no separator: both readings below agree
    t = tok.replace("'", "").replace("’", "")
    dot_decimal = lang in _DOT_DECIMAL or lang not in {"de", "fr", "es", "it", "pl", "cs", "ru", "pt", "nl",
                                                        "sk", "uk", "sv", "da", "no", "fi", "tr", "el",
                                                        "hu", "ro", "bg", "hr", "sl", "sr"}
    t = t.replace(" ", ",") if dot_decimal else t.replace(" ", ".")
    thou, dec = (",", ".") if dot_decimal else (".", ",")
    alts: list[float] = []

    def read(s: str, thou: str, dec: str) -> float | None:
        if thou in s and dec in s and s.rfind(thou) > s.rfind(dec):
            return None
        parts = s.split(dec)
        if len(parts) > 2:
            return None
        ip = parts[0]
        groups = ip.split(thou)
        if len(groups) > 1 and not (all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3):
            return None
        try:
            return float("".join(groups) + ("." + parts[1] if len(parts) == 2 else ""))
        except ValueError:
            return None

    v = read(t, thou, dec)
    w = read(t, dec, thou)
    if v is None and w is None:
        # e.g. "1.2.3" version numbers or "12,5,7": fall back on the leading digits
        m = _rx(r"\d+").match(t)
        return (float(m.group()), ()) if m else None
    if v is None:
        return w, ()
    if w is not None and w != v:
        alts.append(w)
    return v, tuple(alts)


def extract_numbers(text: str, lang: str | None = "en") -> list[NumberMention]:
    """All number mentions in ``text`` (language ``lang``), in order. Never raises."""
    try:
        return _extract(text or "", "en" if lang == "en" else (lang or "en").lower().split("-")[0])
    except Exception:  # pragma: no cover - defensive: a checker must never crash
        return []


# Prefilters: most sentences hold no digit at all, and most English ones no number word, so one
# cheap test per kind of number skips the scans that could not find anything.
_CJK_NUMERALS = "〇零一二两兩三四五六七八九十拾百千仟万萬亿億兆"
_NUMERAL_CHAR_RE = regex.compile(rf"[\d\u2160-\u216B{_CJK_NUMERALS}]")  # any digit, Ⅰ-Ⅻ, CJK numeral
_CJK_NUMERAL_RE = regex.compile(rf"[0-9{_CJK_NUMERALS}]")  # what makes a CJK run a number
_CJK_RUN_CHAR_RE = regex.compile(rf"[{_CJK_NUMERALS}壱弐参]")  # a run without one is plain digits
_PLAIN_RUN_RE = regex.compile(r"[0-9.]+")
_HAN_RE = regex.compile(r"\p{Han}")
_ROMAN_CHAR_RE = regex.compile(r"[\u2160-\u216B]")
_DIGIT_RE = regex.compile(r"\d")
_ROMAN_LETTER_RE = regex.compile(r"[IVXLC]")
_MINUTES_RE = regex.compile(r"\d:\s?$")  # before the minutes of "12:30"
_PM_RE = regex.compile(r":\d\d\s?(?:p\.?m\.?|PM)")  # after the hour of "3:30 p.m."
_K_RE = regex.compile(r"[kK]\b")  # "5k"
# The characters the patterns matched after a number can start with (after \s?), case variants
# included ("ſ" is an "s" to IGNORECASE): most numbers are followed by none of them.
_PERCENT_FIRST = frozenset("%pPпПपパ百")
_SCALE_FIRST = frozenset(w[0] for w in _SCALE_WORDS)  # of the word lower-cased
_ORD_FIRST = frozenset("sSſnNrRtT")
_EN_SCALE_RE = regex.compile(r"(?i)\s+(hundred|thousand|million|billion|trillion)\b")
_EN_SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}

# _EN_WORD_RE only matches a whole word (\b on both sides) that case-insensitively spells an entry
# of _EN_UNITS, or such a word of _EN_TENS, "-" or " " and a word of _EN_TENS_UNITS. Besides the
# ASCII letters themselves only "İ", "ſ" and the Kelvin sign match ASCII letters case-insensitively.
# So without those three, the words that can match are among the lower-cased ASCII words of the text
# cut by mapping every byte that is not an ASCII letter, digit or "_" to a space (non-ASCII
# characters encoded as "?" first); in ASCII text, exactly the words \b delimits. The table also
# writes every digit "0", so that one test tells whether ASCII text has a digit.
_WORD_BYTES = bytes(c + 32 if 65 <= c <= 90 else c if (97 <= c <= 122 or c == 95) else 48 if 48 <= c <= 57 else 32
                    for c in range(256))
_EN_UNIT_WORDS = frozenset(w.encode("ascii") for w in _EN_UNITS)
_ASCII_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")  # \w in lower-cased ASCII
_ASCII_WORD_RE = regex.compile(r"[a-z0-9_]*")
_EN_TENS_SET = frozenset(_EN_TENS)
_EN_TENS_UNITS_SET = frozenset(_EN_TENS_UNITS)


def _en_word_spans(norm: str, words: bytes | None) -> list[tuple[int, int]]:
    """The spans ``_EN_WORD_RE.finditer(norm)`` matches, without running it over every text.
    ``words`` is ``norm.encode().translate(_WORD_BYTES)`` for ASCII text, else None."""
    if words is None:
        if "İ" in norm or "ſ" in norm or "\u212a" in norm:
            return [m.span() for m in _EN_WORD_RE.finditer(norm)]
        if _EN_UNIT_WORDS.isdisjoint(norm.encode("ascii", "replace").translate(_WORD_BYTES).split()):
            return []
        return [m.span() for m in _EN_WORD_RE.finditer(norm)]
    hits = _EN_UNIT_WORDS.intersection(words.split())
    if not hits:
        return []
    # ASCII text: find the words, whole, and a compound where one of _EN_TENS starts it
    low = norm.lower()
    n = len(low)
    found: list[tuple[int, int]] = []
    for w in hits:
        w = w.decode("ascii")
        i = low.find(w)
        while i >= 0:
            j = i + len(w)
            if (i == 0 or low[i - 1] not in _ASCII_WORD_CHARS) and (j == n or low[j] not in _ASCII_WORD_CHARS):
                e = j
                if w in _EN_TENS_SET and low[j:j + 1] in ("-", " "):
                    k = _ASCII_WORD_RE.match(low, j + 1).end()
                    if low[j + 1:k] in _EN_TENS_UNITS_SET:
                        e = k
                found.append((i, e))
            i = low.find(w, j)
    found.sort()
    spans: list[tuple[int, int]] = []
    for s, e in found:  # leftmost first, without overlaps, as finditer: "twenty-one" hides "one"
        if not spans or s >= spans[-1][1]:
            spans.append((s, e))
    return spans


_START = attrgetter("start")


def _extract(text: str, lang: str) -> list[NumberMention]:
    if text.isascii():  # (_TRANS maps only non-ASCII characters; no Ⅰ-Ⅻ or CJK numeral either)
        norm = text
        words: bytes | None = text.encode("ascii").translate(_WORD_BYTES)
        has_numeral = b"0" in words
    else:
        norm = text.translate(_TRANS) if _TRANS_RE.search(text) else text  # (translate() is slow)
        words = None
        has_numeral = _NUMERAL_CHAR_RE.search(norm) is not None
    en_words = _en_word_spans(norm, words) if lang == "en" else []
    if lang == "en" and not has_numeral and not en_words:
        return []
    out: list[NumberMention] = []
    # the characters mentions already cover: disjoint spans, kept sorted by start (a text with
    # thousands of numbers must not compare each new one with every earlier one)
    starts: list[int] = []
    ends: list[int] = []

    def add(s: int, e: int, value: float, kind: str, alts: tuple[float, ...] = ()) -> None:
        if s < e:
            i = bisect_right(starts, s)
            if (i and ends[i - 1] > s) or (i < len(starts) and starts[i] < e):
                return  # overlaps an earlier mention
            starts.insert(i, s)
            ends.insert(i, e)
        out.append(_mention(s, e, text[s:e], float(value), kind,
                            tuple(a for a in alts if a != value) if alts else (), text[e:e + 4]))

    if has_numeral:
        cjk = lang in ("zh", "ja", "ko") or (words is None and _HAN_RE.search(norm) is not None)
        if cjk and _CJK_RUN_CHAR_RE.search(norm):
            _add_cjk_numerals(norm, add)
        if words is None:
            for m in _ROMAN_CHAR_RE.finditer(norm):
                add(m.start(), m.end(), ord(m.group()) - 0x215F, "roman")
        if words is not None:
            _add_digit_numbers(norm, lang, cjk, add, words.find(b"0"))
        else:
            first = _DIGIT_RE.search(norm)
            if first:
                _add_digit_numbers(norm, lang, cjk, add, first.start())

    if lang == "en":
        _add_en_words(norm, en_words, add)
    else:
        words = _SRC_WORDS.get(lang)
        if words:
            for m in _SRC_WORD_TOKEN_RE.finditer(norm):
                v = words.get(m.group().lower())
                if v is not None:
                    add(m.start(), m.end(), v, "word")
        if _ROMAN_LETTER_RE.search(norm):
            for m in _ROMAN_RE.finditer(norm):
                if m.end() > m.start():
                    add(m.start(), m.end(), _roman(m.group()), "roman")

    out.sort(key=_START)
    return out


def _add_cjk_numerals(norm: str, add) -> None:
    """CJK numerals and runs mixing them with digits ("三百", "1000万", "五六百")."""
    for m in _CJK_RUN_RE.finditer(norm):
        s, e = m.span()
        run = m.group()
        if _PLAIN_RUN_RE.fullmatch(run):
            continue  # plain digits: handled below with separators
        if not _CJK_NUMERAL_RE.search(run) or run.strip(".") == "":
            continue
        # strip leading/trailing dots
        while run and run[0] == ".":
            run, s = run[1:], s + 1
        while run and run[-1] == ".":
            run, e = run[:-1], e - 1
        kilo = False
        if len(run) > 1 and run[-1] == "千" and norm[e:e + 1] in _KILO_UNITS:
            run, e, kilo = run[:-1], e - 1, True  # 千瓦 kW, 千米 km, 千克 kg: "1000万千瓦" is 10 million kW
        if not run:
            continue
        # Only digit-bearing runs or runs with a CJK numeral are numbers; a bare unit char is not
        if all(c in _CJK_BIG or c in _CJK_SMALL for c in run) and not any(c in "十拾" for c in run):
            continue
        val = _cjk_digit_string(run)
        if val is None:
            val = _parse_cjk(run)
        if val is None:
            continue
        nxt = norm[e:e + 1]
        kind = {"年": "year", "%": "percent"}.get(nxt, "number")
        extra: list[float] = []
        digits = [c for c in run if c in _CJK_DIGIT and c not in "〇零"]
        if len(digits) >= 2 and any(a != b for a, b in zip(digits, digits[1:])):
            # approximate ranges "五六百米" (500-600 m), "四五厘米" (4-5 cm)
            unit = next((_CJK_SMALL.get(c) or _CJK_BIG.get(c) for c in run if c in _CJK_SMALL or c in _CJK_BIG), 1)
            extra += [_CJK_DIGIT[c] * unit for c in digits] + [float(_CJK_DIGIT[c]) for c in digits]
        for dm in _rx(r"[0-9.]*[0-9]").finditer(run):  # digits inside a mixed run ("一百万15")
            try:
                extra.append(float(dm.group()))
            except ValueError:
                pass
        if kilo:
            extra.append(val * 1e3)  # "三千米" is also 3,000 metres
        if nxt == "成":  # tenths: 六成 = 60 %
            extra.append(val * 10)
        if nxt in ("多", "余", "餘") and norm[e + 1:e + 2] in _CJK_BIG:
            extra.append(val * _CJK_BIG[norm[e + 1]])
        # "3.5億" reads 3.5e8; keep the mantissa as an alternative reading
        mant = _rx(r"[0-9.]+").match(run)
        alts: tuple[float, ...] = ()
        if mant and mant.group() != run:
            try:
                alts = (float(mant.group().rstrip(".")),)
            except ValueError:
                alts = ()
        add(s, e, val, kind, alts + tuple(extra))


def _add_digit_numbers(norm: str, lang: str, cjk: bool, add, first: int) -> None:
    """Digit numbers with separators, percentages, scale words, ordinals, years, times; ``first``
    is the position of the first digit (the scan starts there)."""
    for m in _NUM_RE.finditer(norm, first):
        s, e = m.span(1)
        tok = m.group(1)
        # trailing separator belongs to the sentence, not the number
        while tok and tok[-1] in ",.'’ ":
            tok, e = tok[:-1], e - 1
        if not tok:
            continue
        if tok.isdigit() and tok.isascii():
            value, alts = float(tok), ()  # (what _parse_digits makes of it, without the call)
        else:
            parsed = _parse_digits(tok, lang)
            if parsed is None:
                continue
            value, alts = parsed
        kind = "number"
        after = norm[e:e + 30]
        # "12:30" — the minutes are a separate mention of kind 'minute'
        before = norm[max(0, s - 3):s]
        if ":" in before and _MINUTES_RE.search(before):
            kind = "minute"
        if kind == "number" and value < 12 and after[:1] == ":" and _PM_RE.match(after):
            alts = alts + (value + 12,)
        first = after[1:2] if after[:1].isspace() else after[:1]  # after the optional \s of the patterns
        pm = _PERCENT_RE.match(after) if first in _PERCENT_FIRST else None
        if pm and kind == "number":
            kind = "percent"
        elif cjk and after[:1] in ("多", "余", "餘") and after[1:2] in _CJK_BIG:
            add(s, e + 2, value * _CJK_BIG[after[1]], "scaled", (value,) + alts)
            continue
        elif cjk and after[:1] == "成":
            add(s, e, value, "number", (value * 10,) + alts)
            continue
        elif lang == "en" and after[:1] in ("k", "K") and _K_RE.match(after):
            add(s, e + 1, value * 1e3, "scaled", (value,) + alts)
            continue
        elif cjk and after[:1] in _CJK_SCALE and after[:1] not in "千百":
            scale = _CJK_SCALE[after[:1]]
            # mixed "1000万", "3.5億", "5千万"
            j = e + 1
            scale_total = scale
            if after[:1] == "千" and norm[j:j + 1] in {"万", "萬", "亿", "億"}:
                scale_total = scale * _CJK_SCALE[norm[j]]
                j += 1
            elif norm[j:j + 1] in {"亿", "億"} and after[:1] in {"万", "萬"}:
                scale_total = scale * _CJK_SCALE[norm[j]]
                j += 1
            add(s, j, value * scale_total, "scaled", (value,) + alts)
            continue
        elif cjk and after[:1] in {"千", "百"} and norm[e + 1:e + 2] in {"万", "萬", "亿", "億"}:
            scale = _CJK_SCALE[after[:1]] * _CJK_SCALE[norm[e + 1]]
            add(s, e + 2, value * scale, "scaled", (value,) + alts)
            continue
        else:
            sm = _SCALE_RE.match(after) if first.lower()[:1] in _SCALE_FIRST else None
            if sm:
                w = sm.group(1).lower()
                sc = _SCALE_WORDS.get(w)
                if sc is not None and not (w in ("mil", "mille", "mila") and lang == "en"):
                    add(s, e + sm.end(1) - 0, value * sc, "scaled", (value,) + alts)
                    continue
            om = _ORD_SUFFIX_RE.match(after) if after[:1] in _ORD_FIRST else None
            if om and lang == "en":
                kind = "ordinal"
            elif after[:1] == "年" or (1000 <= value <= 2100 and value == int(value) and len(tok) == 4):
                kind = "year"
        add(s, e, value, kind, alts)


def _add_en_words(norm: str, spans: list[tuple[int, int]], add) -> None:
    """English number words ("twenty-one", "five hundred") at the spans _EN_WORD_RE matches."""
    for s, e in spans:
        v = _en_word_value(norm[s:e])
        if v is None:
            continue
        # (a scale word after whitespace starts with h, t, m or b, in either case)
        sm = _EN_SCALE_RE.match(norm, e) if norm[e:e + 1].isspace() and norm[e:].lstrip()[:1] in "hHtTmMbB" else None
        if sm and v < 100:
            add(s, sm.end(), v * _EN_SCALES[sm.group(1).lower()], "word", (v,))
            continue
        add(s, e, v, "word")


def _sig_round(x: float, digits: int) -> float:
    if x == 0 or digits <= 0 or not math.isfinite(x):
        return x
    return round(x, -int(math.floor(math.log10(abs(x)))) + digits - 1)


def _sig_digits(m: NumberMention) -> int:
    """Significant digits written in a mention's own text (for rounding tolerance)."""
    digits = _rx(r"\D").sub("", m.text.translate(_TRANS))
    digits = digits.lstrip("0").rstrip("0") if "." not in m.text else digits.lstrip("0")
    return max(1, len(digits))


def _close(a: float, b: float) -> bool:
    if a == b:
        return True
    if math.isinf(a) or math.isinf(b):
        return False  # a number too large for a float is close to no other (its tolerance would be infinite)
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1.0)


def _near(vals: list[float], x: float) -> bool:
    """Whether a value of ``vals`` (sorted) is ``_close`` to ``x``. Any such value lies within
    1e-8 × (|x| + 1) of ``x``, so only that window is read (a text with thousands of numbers
    compared with a source with thousands)."""
    if not math.isfinite(x):
        return any(_close(x, v) for v in vals)
    w = 1e-8 * (abs(x) + 1.0)
    i = bisect_left(vals, x - w)
    while i < len(vals) and vals[i] <= x + w:
        if _close(x, vals[i]):
            return True
        i += 1
    return False


def numbers_agree(source_numbers: list[NumberMention], target_numbers: list[NumberMention]) -> list[NumberMention]:
    """Target mentions no source mention accounts for. Never raises."""
    try:
        src_set = {v for n in source_numbers for v in n.values}
        # each value once (a source that repeats a year 1,000 times), sorted for _near; NaN, which
        # is close to nothing, left out
        src_vals = sorted(v for v in src_set if v == v)
        unmatched = []
        for t in target_numbers:
            if _matches(t, source_numbers, src_vals, src_set):
                continue
            unmatched.append(t)
        return unmatched
    except Exception:  # pragma: no cover
        return []


def _matches(t: NumberMention, source_numbers: list[NumberMention], src_vals: list[float],
             src_set: set[float]) -> bool:
    if not src_set.isdisjoint(t.values):
        return True  # the same value (the common case, tested at once)
    for tv in t.values:
        # percentages written as fractions ("0.5" vs "50%") and vice versa
        if _near(src_vals, tv) or (t.kind == "percent" and _near(src_vals, tv / 100)):
            return True
    # rounding: "6.1 billion" for 6,123,000,000; only when the target is the less precise one
    if t.kind == "scaled" and t.value:
        d = _sig_digits(t)
        for sv in src_vals:
            if sv and _close(_sig_round(sv, d), t.value):
                return True
    # two-digit years ("'98"), decades ("the 1920s" for "the twenties of the 20th century")
    if t.kind in ("year",) and t.value:
        decade = _rx(r"\d{4}['’]?s\b").match(t.text + t.after)
        for sv in src_vals:
            if _close(sv % 100, t.value % 100) and (sv >= 1000 or decade):
                return True
            if decade and _close(sv, t.value // 100 + 1):
                return True
    return False


_EN_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def format_number(n: NumberMention) -> str:
    """An English rendering of a (source) number, for suggestions: 1e7 → "10 million", 1985 → "1985"."""
    v = n.value
    try:
        if n.kind == "scaled" or v >= 1e6:
            for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
                if v >= scale:
                    q = v / scale
                    return f"{q:g} {word}"
        if v == int(v):
            iv = int(v)
            if n.kind == "year" or 1000 <= iv <= 2100:
                return str(iv)
            s = f"{iv:,}"
        else:
            s = f"{v:,.6f}".rstrip("0").rstrip(".")
        if n.kind == "percent":
            s += "%"
        return s
    except (OverflowError, ValueError):  # pragma: no cover
        return n.text
