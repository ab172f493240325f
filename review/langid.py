"""Language identification: Unicode scripts first, seeded langdetect only where script is ambiguous."""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

# Scripts that name their language outright (or nearly): no statistical model needed.
_SCRIPT_LANG = {
    "HIRAGANA": "ja",
    "KATAKANA": "ja",
    "HANGUL": "ko",
    "DEVANAGARI": "hi",
    "THAI": "th",
    "ARABIC": "ar",
    "HEBREW": "he",
    "GREEK": "el",
    "ARMENIAN": "hy",
    "GEORGIAN": "ka",
    "BENGALI": "bn",
    "TAMIL": "ta",
}


@lru_cache(maxsize=4096)
def char_script(ch: str) -> str:
    if ch.isascii():
        return "LATIN" if ch.isalpha() else ""
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return ""
    if name.startswith("CJK UNIFIED") or name.startswith("CJK COMPATIBILITY IDEOGRAPH"):
        return "HAN"
    if name.startswith("FULLWIDTH LATIN"):
        return "LATIN"
    first = name.split(" ", 1)[0]
    if not ch.isalpha():
        return ""
    return first


def script_counts(text: str) -> Counter:
    c: Counter = Counter()
    for ch in text:
        s = char_script(ch)
        if s:
            c[s] += 1
    return c


def script_guess(text: str) -> str | None:
    """A language code when the script alone decides it, ``"latin"``/``"cyrillic"`` when it does not."""
    counts = script_counts(text)
    if not counts:
        return None
    if counts.get("HIRAGANA") or counts.get("KATAKANA"):
        return "ja"
    if counts.get("HANGUL"):
        return "ko"
    top, _ = counts.most_common(1)[0]
    if top == "HAN":
        return "zh"
    if top in _SCRIPT_LANG:
        return _SCRIPT_LANG[top]
    if top == "CYRILLIC":
        return "cyrillic"
    return "latin"


def _langdetect(text: str) -> str | None:
    from langdetect import DetectorFactory, detect as ld_detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0  # langdetect is random unless seeded
    try:
        lang = ld_detect(text)
    except LangDetectException:
        return None
    return {"zh-cn": "zh", "zh-tw": "zh"}.get(lang, lang)


def detect(text: str) -> str | None:
    """Best guess of ``text``'s language (ISO 639-1), or None when there is nothing to go on."""
    guess = script_guess(text)
    if guess in (None, "latin", "cyrillic"):
        if guess is None:
            return None
        return _langdetect(text) or ("ru" if guess == "cyrillic" else None)
    return guess


def detect_document(sources: list[str]) -> list[str | None]:
    """Per-segment languages, calling langdetect once for the document and again only for
    segments whose script differs from the document's majority (where it can change the answer)."""
    scripts = [script_guess(s) for s in sources]
    majority = Counter(s for s in scripts if s).most_common(1)
    if not majority:
        return [None] * len(sources)
    major = majority[0][0]
    if major in ("latin", "cyrillic"):
        sample = " ".join(s for s, g in zip(sources, scripts) if g == major)[:5000]
        major_lang = _langdetect(sample)
    else:
        major_lang = major
    out: list[str | None] = []
    for src, g in zip(sources, scripts):
        if g is None:
            out.append(None)
        elif g == major:
            out.append(major_lang)
        elif g in ("latin", "cyrillic"):
            out.append(_langdetect(src))
        else:
            out.append(g)
    return out
