"""EN-TYPO-007: a real word that a dropped letter made ("widely spoken in pubic transport", "I hoe
that", "a clam for compensation"), found by the words on either side of it.

The evidence is the English word and word-pair frequencies that ship with symspellpy (MIT; word
pairs from Google Books, the 242,342 commonest, none under 6.4 million occurrences). A word is
flagged when

- a word one letter longer is at least ``RATIO`` times as frequent ("pubic" → "public"),
- neither pair it forms with its neighbours is among the common pairs ("in pubic", "pubic
  transport"),
- and both pairs the longer word would form are ("in public", "public transport").

Only lower-case words between two words are judged (names, numbers and the edges of a clause
give no evidence), and not the second of two like forms joined by "and"/"or" ("entering and
exiting"). "may" for "many" or "tim" for "time" are out of reach: "many" is not ten times as
frequent as "may", and "tenth time" is not among the common pairs. Without a language model, a
rare but correct pair can still look like a typo: the rule is minor, and its suggestion is the
longer word.

The tables are built on first use (~1 s: reading the two lists, keeping the ~2,900 words with
such a neighbour and the pairs that involve them or their neighbours) and cached as a pickle in
review's cache folder, keyed by symspellpy's version."""

from __future__ import annotations

import threading
from typing import Iterable, NamedTuple

import regex

from ..lexicons import cache_dir, read_pickle, write_pickle
from ..model import Finding, Segment, Severity
from .base import Check, Context, RuleInfo

RATIO = 10
_WORD_RE = regex.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|[^\sA-Za-z]")
_lock = threading.Lock()
_TABLES: list["_Tables"] = []


class _Tables(NamedTuple):
    longer: dict[str, tuple[str, ...]]  # word -> its one-letter-longer words, most frequent first
    pairs: frozenset[str]  # "left right" pairs (the common ones that involve those words)


def _symspell_version() -> str:
    try:
        from importlib.metadata import version

        return version("symspellpy")
    except Exception:  # pragma: no cover
        return ""


def _read(name: str) -> Iterable[list[str]]:
    from importlib.resources import files

    with files("symspellpy").joinpath(name).open(encoding="utf-8") as fh:
        for line in fh:
            yield line.split()


def _build() -> _Tables:
    freq = {w: int(c) for w, c in _read("frequency_dictionary_en_82_765.txt")}
    longer: dict[str, list[tuple[int, str]]] = {}
    for c, fc in freq.items():
        for i in range(len(c)):
            w = c[:i] + c[i + 1:]
            fw = freq.get(w)
            if fw and fc >= RATIO * fw and w != c:
                longer.setdefault(w, []).append((fc, c))
    table = {w: tuple(c for _, c in sorted(set(cs), reverse=True)) for w, cs in longer.items()}
    involved = set(table) | {c for cs in table.values() for c in cs}
    pairs = frozenset(f"{a} {b}" for a, b, _ in _read("frequency_bigramdictionary_en_243_342.txt")
                      if a in involved or b in involved)
    return _Tables(table, pairs)


def tables() -> _Tables | None:
    """The tables, or None when symspellpy is not installed."""
    if _TABLES:
        return _TABLES[0]
    with _lock:
        if not _TABLES:
            version = _symspell_version()
            if not version:
                return None
            path = cache_dir() / f"realword-{version}-{RATIO}.pickle"
            t = read_pickle(path)
            if not isinstance(t, _Tables):
                t = _build()
                write_pickle(path, t)
            _TABLES.append(t)
    return _TABLES[0]


class RealWordCheck(Check):
    rules = (
        RuleInfo(
            "EN-TYPO-007", "Fluency/Spelling", Severity.MINOR,
            "A real word that fits neither neighbour where a word one letter longer fits both "
            "(a dropped letter: 'may' for 'many').",
            good=("Spanish is also widely spoken in public transport.",
                  "Patients must wear masks when entering and exiting public places.",
                  "Beech, spruce and fir are the main species; he may well win."),
            bad=("Spanish is also widely spoken in pubic transport.",
                 '"I hoe that everything will be fine," he said.',
                 "The reform would generate a clam for compensation of 8 billion euros."),
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
        longer, pairs = t.longer, t.pairs
        toks = list(_WORD_RE.finditer(text))
        out = []
        for i in range(1, len(toks) - 1):
            w = toks[i].group()
            cands = longer.get(w)
            if not cands or not w.islower():
                continue
            p, n = toks[i - 1].group(), toks[i + 1].group()
            if not (p.isalpha() and n.isalpha()):
                continue
            p, n = p.lower(), n.lower()
            if f"{p} {w}" in pairs or f"{w} {n}" in pairs:
                continue
            if p in ("and", "or") and i >= 2 and toks[i - 2].group()[-3:].lower() == w[-3:]:
                continue  # coordinated like forms: "entering and exiting", "packed or unpacked"
            fit = [c for c in cands if f"{p} {c}" in pairs and f"{c} {n}" in pairs]
            if fit:
                m = toks[i]
                out.append(self.finding("EN-TYPO-007", seg, m.start(), m.end(),
                                        f"'{w}' fits neither neighbour; '{fit[0]}' fits both: a letter dropped?",
                                        fit[:3]))
        return out
