"""Term bases: TBX (v2 ``martif`` and v3 ``tbx``, DCA and DCT styles) and CSV/TSV, plus a term matcher.

A :class:`Glossary` is a list of :class:`Concept` entries; each concept holds :class:`Term`\\ s in
several languages with a usage status (preferred / admitted / deprecated). ``Glossary.matcher(lang)``
builds a :class:`TermMatcher` on an Aho-Corasick automaton (pyahocorasick) so that finding terms in
a text costs time proportional to the text (and the number of hits), not to the glossary size.

Every problem with an input file is reported as :class:`review.model.InputError` naming the file
and the place (entry id, line number or field). XML is parsed with defusedxml: DTD entity
declarations (billion laughs, external entities) are refused.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator
from xml.etree import ElementTree as ET

from .model import InputError

__all__ = [
    "Term",
    "Concept",
    "Glossary",
    "TermMatch",
    "TermMatcher",
    "STATUSES",
    "SHORT_TYPES",
    "CSV_COLUMNS",
    "inflections",
]

STATUSES = ("preferred", "admitted", "deprecated")
# termType values that denote a short form of the concept's name (acronym, abbreviation ...).
SHORT_TYPES = frozenset({"acronym", "abbreviation", "shortForm", "initialism", "clippedTerm"})
CSV_COLUMNS = ("concept_id", "lang", "term", "status", "type", "kind", "replacement", "note", "source")
# Columns written after the required ones; optional on reading.
CSV_EXTRA_COLUMNS = ("subject", "case_sensitive")

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XML_LANG = f"{{{XML_NS}}}lang"
# Concept-level descriptive field (an extension of TBX-Basic): title, organization, acronym, event,
# place, term ...
KIND_TYPE = "conceptKind"
CASE_TYPE = "x-caseSensitive"

# TBX administrativeStatus / normativeAuthorization picklist values → our three statuses.
_STATUS_VALUES = {
    "preferred": "preferred",
    "preferredterm": "preferred",
    "preferredterm-admn-sts": "preferred",
    "standardizedterm": "preferred",
    "standardizedterm-admn-sts": "preferred",
    "admitted": "admitted",
    "admittedterm": "admitted",
    "admittedterm-admn-sts": "admitted",
    "legalterm": "admitted",
    "legalterm-admn-sts": "admitted",
    "regulatedterm": "admitted",
    "regulatedterm-admn-sts": "admitted",
    "deprecated": "deprecated",
    "deprecatedterm": "deprecated",
    "deprecatedterm-admn-sts": "deprecated",
    "supersededterm": "deprecated",
    "supersededterm-admn-sts": "deprecated",
    "obsolete": "deprecated",
    "forbidden": "deprecated",
}
_STATUS_TBX = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}
_STATUS_RANK = {"preferred": 0, "admitted": 1, "deprecated": 2}

# Languages written without spaces between words: terms match as plain substrings there.
NO_BOUNDARY_LANGS = frozenset({"ja", "zh", "th", "lo", "km", "my", "bo", "ko"})

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SPACES = "\u00a0\u2007\u2009\u200a\u202f\u3000\t\n\r\f\v"
_APOSTROPHES = "\u2019\u2018\u02bc\u2032\uff07"
# 1:1 substitutions (offsets are preserved).
_KEY_TABLE = str.maketrans({**{c: " " for c in _DASHES + _SPACES}, **{c: "'" for c in _APOSTROPHES}})
_SURFACE_TABLE = str.maketrans({**{c: "-" for c in _DASHES}, **{c: " " for c in _SPACES},
                                **{c: "'" for c in _APOSTROPHES}})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # (white space among them is gone by then)
_LEADING_PUNCT = re.compile(r"(?<!\w)[^\w ]")
# French/Italian/Catalan elision (l'OTAN, d'adhésion, qu'il, dell'Alleanza): the apostrophe is a word boundary.
_ELISION = re.compile(r"(?:(?<=\b[cdjlmnst])|(?<=\bqu)|(?<=\bjusqu)|(?<=\blorsqu)|(?<=\bpuisqu)|(?<=\bdell)"
                      r"|(?<=\ball)|(?<=\bnell)|(?<=\bsull)|(?<=\bdall))'(?=\w)")
ELISION_LANGS = frozenset({"fr", "it", "ca"})


def _lower11(text: str) -> str:
    """Lower-case without changing the length (characters that expand are kept as they are)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def surface(text: str) -> str:
    """Unify dash, space and apostrophe variants (``–`` → ``-``, NBSP → space, ``’`` → ``'``)."""
    return text.translate(_SURFACE_TABLE)


def _fold(text: str) -> str:
    """Separators unified to one space, apostrophes unified; case kept."""
    return text.translate(_KEY_TABLE)


def _norm_lang(lang: str | None) -> str:
    if not lang:
        return ""
    return lang.strip().replace("_", "-").split("-")[0].lower()


def _default_case_sensitive(text: str, type_: str) -> bool:
    if type_ in SHORT_TYPES and type_ != "shortForm":
        return True
    letters = [c for c in text if c.isalpha()]
    if letters and any(c.isupper() for c in letters) and all(not c.islower() for c in letters):
        return True  # ALL CAPS (NATO, G7, U.S.)
    for word in re.split(r"[\s\-\u2010\u2011\u2013]+", text):
        if any(c.isupper() for c in word[1:]):
            return True  # internal capitals (PfP, eFP, McDonald)
    return False


def term_text(text: str) -> str:
    """A term's text with its white space made single spaces, wherever it comes from (TBX and CSV
    readers, `review glossary add`, the review page): "Secretary\nGeneral" pasted from a document
    is the term "Secretary General", not a term that can never match. ValueError when nothing is
    left or a control character remains."""
    text = " ".join(text.split())
    if not text:
        raise ValueError("empty term")
    bad = _CONTROL.search(text)
    if bad:
        raise ValueError(f"the term {text!r} holds the control character U+{ord(bad.group()):04X}")
    return text


@dataclass(frozen=True)
class Term:
    """One term of a concept in one language."""

    text: str
    lang: str
    status: str = "admitted"
    type: str = ""
    case_sensitive: bool | None = None  # None → derived from the text and type

    def __post_init__(self) -> None:
        text = term_text(self.text)
        if text != self.text:
            object.__setattr__(self, "text", text)
        object.__setattr__(self, "lang", _norm_lang(self.lang))
        if self.status not in STATUSES:
            raise ValueError(f"unknown term status {self.status!r} (expected one of {', '.join(STATUSES)})")
        if self.case_sensitive is None:
            object.__setattr__(self, "case_sensitive", _default_case_sensitive(self.text, self.type))

    @property
    def default_case(self) -> bool:
        return self.case_sensitive == _default_case_sensitive(self.text, self.type)

    @property
    def is_short(self) -> bool:
        return self.type in SHORT_TYPES


@dataclass(frozen=True)
class Concept:
    """A concept: terms in several languages plus concept-level fields."""

    id: str
    terms: tuple[Term, ...]
    note: str = ""
    source: str = ""
    subject: str = ""
    kind: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.terms, tuple):
            object.__setattr__(self, "terms", tuple(self.terms))

    def langs(self) -> list[str]:
        seen: dict[str, None] = {}
        for t in self.terms:
            seen.setdefault(t.lang, None)
        return list(seen)

    def in_lang(self, lang: str) -> list[Term]:
        lang = _norm_lang(lang)
        return [t for t in self.terms if t.lang == lang]

    def preferred(self, lang: str) -> Term | None:
        """The preferred term (falls back to the first admitted term when none is marked preferred)."""
        terms = self.in_lang(lang)
        for t in terms:
            if t.status == "preferred":
                return t
        for t in terms:
            if t.status == "admitted":
                return t
        return None

    def allowed(self, lang: str) -> list[Term]:
        return [t for t in self.in_lang(lang) if t.status != "deprecated"]

    def deprecated(self, lang: str) -> list[Term]:
        return [t for t in self.in_lang(lang) if t.status == "deprecated"]

    def acronyms(self, lang: str) -> list[Term]:
        return [t for t in self.in_lang(lang) if t.type in ("acronym", "initialism", "abbreviation")]

    def full_forms(self, lang: str) -> list[Term]:
        return [t for t in self.in_lang(lang) if t.type == "fullForm"]


# --------------------------------------------------------------------------------------------
# Inflection
# --------------------------------------------------------------------------------------------

_WORD_SPLIT = re.compile(r"([\s\-\u2010\u2011\u2013\u2014]+)")


def _case_like(suffix: str, word: str) -> str:
    return suffix.upper() if word.isupper() and len(word) > 1 else suffix


def _en_is_plural(word: str) -> bool:
    w = word.lower()
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "ys"))


def _en_plural(word: str) -> str:
    w = word.lower()
    if w.endswith("is") and len(w) > 3:
        return word[:-2] + _case_like("es", word)
    if w.endswith("y") and len(w) > 1 and w[-2] not in "aeiou":
        return word[:-1] + _case_like("ies", word)
    if w.endswith(("s", "x", "z", "ch", "sh")):
        return word + _case_like("es", word)
    return word + _case_like("s", word)


def _en_singular(word: str) -> str:
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return word[:-3] + _case_like("y", word)
    if w.endswith(("ses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def _fr_plural(word: str) -> str | None:
    w = word.lower()
    if w.endswith(("s", "x", "z")):
        return None
    if w.endswith("al"):
        return word[:-2] + _case_like("aux", word)
    if w.endswith(("eau", "au", "eu")):
        return word + _case_like("x", word)
    return word + _case_like("s", word)


def inflections(text: str, lang: str, type_: str = "") -> dict[str, str]:
    """Simple inflected variants of a term, keyed by form: ``""`` (as is), ``pl``, ``sg``, ``poss``,
    ``pl-poss``, ``sg-poss``. English: plural/singular and possessive of the last word; French:
    plural of the first and/or last word. Other languages: the term only."""
    lang = _norm_lang(lang)
    out = {"": text}
    parts = _WORD_SPLIT.split(text)
    last = parts[-1]
    if not last or not last[-1].isalpha():
        return out
    short = type_ in SHORT_TYPES or (last.isupper() and len(last) > 1) or any(c.isdigit() for c in last)
    if lang == "en":
        head = "".join(parts[:-1])
        if short:
            out["poss"] = text + "'s"
            return out
        if _en_is_plural(last):
            sg = head + _en_singular(last)
            out["sg"] = sg
            out["pl-poss"] = text + "'"
            out["sg-poss"] = sg + "'s"
        else:
            pl = head + _en_plural(last)
            out["pl"] = pl
            out["poss"] = text + "'s"
            out["pl-poss"] = pl + "'" if pl.endswith(("s", "S")) else pl + "'s"
    elif lang == "fr" and not short:
        words = parts[0::2]
        if len(words) == 1:
            pl = _fr_plural(last)
            if pl:
                out["pl"] = pl
        else:
            first_pl = _fr_plural(parts[0]) if parts[0][-1:].isalpha() else None
            last_pl = _fr_plural(last)
            variants = []
            if last_pl:
                variants.append("".join(parts[:-1]) + last_pl)
            if first_pl:
                variants.append(first_pl + "".join(parts[1:]))
            if first_pl and last_pl:
                variants.append(first_pl + "".join(parts[1:-1]) + last_pl)
            if variants:
                # the most complete variant under "pl", the others as alternates
                out["pl"] = variants[-1]
                for i, v in enumerate(variants[:-1]):
                    out[f"pl{i + 2}"] = v
    return out


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermMatch:
    """A term found in a text: ``text == haystack[start:end]``.

    ``form`` names the inflection that matched (``""``, ``pl``, ``poss`` ...; see :func:`inflections`);
    ``fuzzy`` is True when the text differs from the term in separators (``Secretary-General`` for
    ``Secretary General``), not only in case.
    """

    start: int
    end: int
    text: str
    concept: Concept
    term: Term
    form: str = ""
    fuzzy: bool = False


@dataclass(frozen=True)
class _Entry:
    concept: Concept
    term: Term
    variant: str
    form: str
    fold: str  # separators unified to a space, case kept (for case-sensitive comparison)
    surf: str  # dashes unified to "-", lower-cased (for exact-vs-fuzzy scoring)
    strict: bool


class TermMatcher:
    """Finds the terms of one language in texts, with one Aho-Corasick automaton.

    Matching is on a normalized copy of the text of the same length (1:1 character substitution):
    lower-cased, dashes/NBSP/line breaks → space, typographic apostrophes → ``'``; in languages with
    spaces, punctuation that starts a word is blanked too so that every key can be anchored on a
    leading space (a word boundary) inside the automaton. The end boundary and case sensitivity are
    checked on the original text for each hit.
    """

    def __init__(self, concepts: Iterable[Concept], lang: str):
        import ahocorasick  # local: building is rare, importing cheap anyway

        self.lang = _norm_lang(lang)
        self.boundary = self.lang not in NO_BOUNDARY_LANGS
        keys: dict[str, list[int]] = {}
        lead_of: dict[str, int] = {}
        entries: list[_Entry] = []
        for concept in concepts:
            for term in concept.terms:
                if term.lang != self.lang or not term.text.strip():
                    continue
                seen: set[str] = set()
                for form, variant in inflections(term.text, self.lang, term.type).items():
                    key = self._normalize(variant)
                    lead = 0
                    if self.boundary:
                        key = key.strip()
                        if not key:
                            continue
                        if key[0].isalnum():
                            key, lead = " " + key, 1
                    else:
                        key = key.strip()
                    if not key or key in seen:
                        continue
                    seen.add(key)
                    entries.append(_Entry(concept, term, variant, form, _fold(variant),
                                          _lower11(surface(variant)), False))
                    keys.setdefault(key, []).append(len(entries) - 1)
                    lead_of[key] = lead
        # A deprecated variant whose key equals an allowed one's (e.g. "NATO Secretary-General" vs
        # "NATO Secretary General") only matches when the text agrees with it beyond separators.
        for ids in keys.values():
            statuses = {entries[i].term.status for i in ids}
            if "deprecated" in statuses and len(statuses) > 1:
                for i in ids:
                    if entries[i].term.status == "deprecated":
                        e = entries[i]
                        entries[i] = _Entry(e.concept, e.term, e.variant, e.form, e.fold, e.surf, True)
        self._entries = entries
        self._automaton = ahocorasick.Automaton()
        for key, ids in keys.items():
            self._automaton.add_word(key, (len(key), lead_of[key], tuple(ids)))
        self._size = len(keys)
        if self._size:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return self._size

    def _normalize(self, text: str) -> str:
        norm = _lower11(text.translate(_KEY_TABLE))
        if self.boundary:
            if self.lang in ELISION_LANGS:
                norm = _ELISION.sub(" ", norm)
            norm = _LEADING_PUNCT.sub(" ", norm)
        return norm

    def find(self, text: str, overlapping: bool = False) -> list[TermMatch]:
        """All term occurrences in ``text``, sorted by start (longest first at a position); matches
        contained in a longer match are dropped unless ``overlapping`` is true."""
        if not text or not self._size:
            return []
        norm = self._normalize(text)
        if self.boundary:
            hay, off = " " + norm, 1
        else:
            hay, off = norm, 0
        n = len(text)
        entries = self._entries
        found: list[TermMatch] = []
        for end_idx, (klen, lead, ids) in self._automaton.iter(hay):
            s = end_idx - klen + 1 + lead - off
            e = end_idx + 1 - off
            if self.boundary:
                if e < n and text[e].isalnum() and text[e - 1].isalnum():
                    continue
                if not lead and s > 0 and text[s - 1].isalnum() and text[s].isalnum():
                    continue
            piece = text[s:e]
            surf = _lower11(surface(piece))
            fold = None
            best: dict[str, tuple] = {}
            for i in ids:
                ent = entries[i]
                exact = surf == ent.surf
                if ent.strict and not exact:
                    continue
                if ent.term.case_sensitive:
                    if fold is None:
                        fold = _fold(piece)
                    if fold != ent.fold:
                        continue
                rank = (0 if exact else 1, 1 if ent.term.status == "deprecated" else 0,
                        _STATUS_RANK[ent.term.status])
                cid = ent.concept.id
                if cid not in best or rank < best[cid][0]:
                    best[cid] = (rank, ent)
            for rank, ent in best.values():
                found.append(TermMatch(s, e, piece, ent.concept, ent.term, ent.form, rank[0] == 1))
        if len(found) > 1:
            found.sort(key=lambda m: (m.start, -m.end))
            if overlapping:
                return found
            kept: list[TermMatch] = []
            spans: set[tuple[int, int]] = set()
            max_end = -1
            for m in found:
                span = (m.start, m.end)
                if span in spans:
                    kept.append(m)
                elif m.end <= max_end:
                    continue
                else:
                    kept.append(m)
                    spans.add(span)
                    max_end = m.end
            found = kept
        return found


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: glossary file not found") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a glossary file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read glossary: {exc.strerror or exc}") from None


def _decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception:  # pragma: no cover - defensive: charset_normalizer internals
        best = None
    if best is None:
        raise InputError(f"{path}: cannot decode the file (not UTF-8 and no other encoding fits)")
    text = str(best)
    return text[1:] if text.startswith("\ufeff") else text


def _local(tag) -> str:
    if not isinstance(tag, str):
        return ""  # comments / processing instructions
    return tag.rsplit("}", 1)[-1]


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _parse_xml(data: bytes, path: Path):
    import defusedxml
    from defusedxml import ElementTree as DET

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return DET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except defusedxml.DefusedXmlException as exc:
        raise InputError(f"{path}: unsafe XML refused ({type(exc).__name__}: entity declarations and "
                         f"external references are not allowed)") from None
    except ET.ParseError as exc:
        raise InputError(f"{path}: not well-formed XML: {exc}") from None
    except (ValueError, LookupError, UnicodeError) as exc:
        raise InputError(f"{path}: cannot parse XML: {exc}") from None


def _status_of(value: str, path: Path, where: str) -> str:
    key = value.strip().lower()
    if key in _STATUS_VALUES:
        return _STATUS_VALUES[key]
    raise InputError(f"{path}: {where}: unknown term status {value.strip()!r} (expected e.g. "
                     "preferredTerm-admn-sts, admittedTerm-admn-sts, deprecatedTerm-admn-sts)")


def _parse_bool(value: str) -> bool | None:
    v = value.strip().lower()
    if v in ("yes", "true", "1", "y"):
        return True
    if v in ("no", "false", "0", "n"):
        return False
    return None


def _field(el) -> tuple[str, str]:
    """(data category, value) of a TBX element: ``<descrip type="subjectField">x</descrip>`` (DCA) and
    ``<min:subjectField>x</min:subjectField>`` (DCT) both give ("subjectField", "x")."""
    name = _local(el.tag)
    if name in ("descrip", "admin", "termNote", "adminNote", "descripNote", "transac", "ref", "xref"):
        return el.get("type", ""), _text(el)
    return name, _text(el)


_CONTAINERS = {"descripGrp", "adminGrp", "termNoteGrp", "transacGrp", "termGrp"}


def _walk_fields(el) -> Iterator[tuple[str, str]]:
    """Data categories directly on ``el`` and inside its *Grp wrappers (not inside langSec/termSec)."""
    for child in el:
        name = _local(child.tag)
        if not name:
            continue
        if name in _CONTAINERS:
            yield from _walk_fields(child)
        elif name in ("langSec", "langSet", "termSec", "tig", "ntig", "term"):
            continue
        else:
            yield _field(child)


def _load_tbx(path: Path, data: bytes) -> tuple[list[Concept], dict]:
    root = _parse_xml(data, path)
    rname = _local(root.tag)
    if rname not in ("tbx", "martif"):
        raise InputError(f"{path}: not a TBX file (root element <{rname}>, expected <tbx> or <martif>)")
    meta: dict = {}
    for el in root.iter():
        name = _local(el.tag)
        if name == "title" and "title" not in meta:
            meta["title"] = _text(el)
        elif name == "sourceDesc":
            meta.setdefault("description", []).extend(_text(p) for p in el if _local(p.tag) == "p")
    body = None
    for el in root.iter():
        if _local(el.tag) == "body":
            body = el
            break
    if body is None:
        raise InputError(f"{path}: TBX has no <text>/<body> element")
    concepts: list[Concept] = []
    for n, entry in enumerate(body, 1):
        ename = _local(entry.tag)
        if not ename:
            continue
        if ename not in ("conceptEntry", "termEntry"):
            continue
        cid = (entry.get("id") or "").strip() or f"entry-{n}"
        where = f"entry {cid!r}"
        note_parts: list[str] = []
        definition = ""
        source = subject = kind = ""
        for cat, value in _walk_fields(entry):
            if cat == "note":
                if value:
                    note_parts.append(value)
            elif cat == "definition":
                definition = definition or value
            elif cat == "source":
                source = source or value
            elif cat == "subjectField":
                subject = subject or value
            elif cat in (KIND_TYPE, "x-kind", "kind", "conceptKind"):
                kind = kind or value
        terms: list[Term] = []
        langsecs = [c for c in entry if _local(c.tag) in ("langSec", "langSet")]
        if not langsecs:
            raise InputError(f"{path}: {where}: no <langSec> (language section) in the entry")
        for ls in langsecs:
            lang = ls.get(XML_LANG) or ls.get("lang") or ""
            if not lang.strip():
                raise InputError(f"{path}: {where}: <{_local(ls.tag)}> without an xml:lang attribute")
            for cat, value in _walk_fields(ls):
                if cat == "definition" and not definition:
                    definition = value
                elif cat == "note" and value and value not in note_parts:
                    pass  # language-level notes are not kept
            tsecs = [c for c in ls if _local(c.tag) in ("termSec", "tig", "ntig")]
            if not tsecs:
                raise InputError(f"{path}: {where}: language section {lang!r} has no term (termSec/tig/ntig)")
            for k, ts in enumerate(tsecs, 1):
                tw = f"{where}, language {lang!r}, term {k}"
                term_el = None
                for el in ts.iter():
                    if _local(el.tag) == "term":
                        term_el = el
                        break
                if term_el is None:
                    raise InputError(f"{path}: {tw}: missing <term> element")
                text = _text(term_el)
                if not text:
                    raise InputError(f"{path}: {tw}: empty <term>")
                status = ""
                type_ = ""
                case: bool | None = None
                for cat, value in _walk_fields(ts):
                    if cat in ("administrativeStatus", "normativeAuthorization"):
                        status = _status_of(value, path, f"{tw} ({text!r})")
                    elif cat == "termType":
                        type_ = value
                    elif cat == CASE_TYPE:
                        case = _parse_bool(value)
                # ntig keeps termNotes inside termGrp
                for grp in ts:
                    if _local(grp.tag) == "termGrp":
                        for cat, value in _walk_fields(grp):
                            if cat in ("administrativeStatus", "normativeAuthorization") and not status:
                                status = _status_of(value, path, f"{tw} ({text!r})")
                            elif cat == "termType" and not type_:
                                type_ = value
                terms.append(new_term(text, lang, status or "admitted", type_, case, where=f"{path}: {tw}"))
        concepts.append(Concept(cid, tuple(terms), " ".join(note_parts) or definition, source, subject, kind))
    return concepts, meta


_LANG_COL = re.compile(r"^([a-z]{2,3})(?:[-_][A-Za-z]{2,4})?$")
_WIDE_COL = re.compile(r"^([a-z]{2,3}(?:[-_][A-Za-z]{2,4})?)_(deprecated|admitted|preferred)$")


def new_term(*args, where: str = "", **kwargs) -> Term:
    """``Term(*args, **kwargs)``, or one InputError (after ``where``: the file and row) for a text,
    status or language no term can have: the readers, `review glossary add` and the review page."""
    try:
        return Term(*args, **kwargs)
    except ValueError as e:
        raise InputError(f"{where}: {e}" if where else str(e)) from None


def _split_cell(value: str) -> list[str]:
    return [p.strip() for p in re.split(r"\s*[|;]\s*", value) if p.strip()]


def _load_csv(path: Path, data: bytes) -> list[Concept]:
    text = _decode(data, path)
    first = text.split("\n", 1)[0]
    if path.suffix.lower() == ".tsv" or ("\t" in first and first.count("\t") >= first.count(",")):
        delim = "\t"
    elif ";" in first and first.count(";") > first.count(","):
        delim = ";"
    else:
        delim = ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
        rows = list(reader)
    except csv.Error as exc:
        raise InputError(f"{path}: line {reader.line_num}: malformed CSV: {exc}") from None
    if not rows or not any(c.strip() for c in rows[0]):
        raise InputError(f"{path}: empty CSV (expected a header row with columns {', '.join(CSV_COLUMNS)})")
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    lower = [h.lower() for h in header]
    # line numbers: csv.reader may span lines inside quotes; recompute with a second pass
    line_nums = _csv_line_numbers(text, delim)
    if "concept_id" in lower or "term" in lower:
        required = ("concept_id", "lang", "term", "status")
        missing = [c for c in required if c not in lower]
        if missing:
            raise InputError(f"{path}: line 1: CSV is missing column(s) {', '.join(missing)} "
                             f"(expected {', '.join(CSV_COLUMNS)})")
        return _load_long_csv(path, rows, lower, line_nums)
    langs = [h for h in header if _LANG_COL.match(h)]
    if langs:
        return _load_wide_csv(path, rows, header, line_nums)
    raise InputError(f"{path}: line 1: CSV is missing column(s) concept_id, lang, term, status "
                     f"(expected {', '.join(CSV_COLUMNS)}; or one column per language code)")


def _csv_line_numbers(text: str, delim: str) -> list[int]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    nums = []
    start = 1
    try:
        for _ in reader:
            nums.append(start)
            start = reader.line_num + 1
    except csv.Error:
        pass
    return nums


def _load_long_csv(path: Path, rows: list[list[str]], lower: list[str], line_nums: list[int]) -> list[Concept]:
    col = {name: i for i, name in reversed(list(enumerate(lower)))}
    order: list[str] = []
    terms: dict[str, list[Term]] = {}
    fields: dict[str, dict[str, str]] = {}
    for r, row in enumerate(rows[1:], 1):
        line = line_nums[r] if r < len(line_nums) else r + 1
        if not any(c.strip() for c in row):
            continue

        def get(name: str) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        cid = get("concept_id")
        if not cid:
            raise InputError(f"{path}: line {line}: empty concept_id")
        lang = get("lang")
        if not lang:
            raise InputError(f"{path}: line {line}: empty lang (concept {cid!r})")
        text = " ".join(get("term").split())
        if not text:
            raise InputError(f"{path}: line {line}: empty term (concept {cid!r}, field term)")
        raw_status = get("status")
        status = _status_of(raw_status, path, f"line {line}, field status") if raw_status else "admitted"
        case = _parse_bool(get("case_sensitive")) if "case_sensitive" in col else None
        if cid not in terms:
            order.append(cid)
            terms[cid] = []
            fields[cid] = {}
        terms[cid].append(new_term(text, lang, status, get("type"), case, where=f"{path}: line {line}"))
        f = fields[cid]
        for name in ("note", "source", "subject", "kind"):
            value = get(name)
            if value and not f.get(name):
                f[name] = value
    return [Concept(cid, tuple(terms[cid]), fields[cid].get("note", ""), fields[cid].get("source", ""),
                    fields[cid].get("subject", ""), fields[cid].get("kind", "")) for cid in order]


def _load_wide_csv(path: Path, rows: list[list[str]], header: list[str], line_nums: list[int]) -> list[Concept]:
    lower = [h.lower() for h in header]
    concepts = []
    for r, row in enumerate(rows[1:], 1):
        line = line_nums[r] if r < len(line_nums) else r + 1
        if not any(c.strip() for c in row):
            continue
        terms: list[Term] = []
        extra: dict[str, str] = {}
        for i, h in enumerate(header):
            value = row[i].strip() if i < len(row) else ""
            if not value:
                continue
            m = _LANG_COL.match(h)
            w = _WIDE_COL.match(h)
            if m:
                for k, t in enumerate(_split_cell(value)):
                    terms.append(new_term(t, h, "preferred" if k == 0 else "admitted", where=f"{path}: line {line}"))
            elif w:
                for t in _split_cell(value):
                    terms.append(new_term(t, w.group(1), w.group(2), where=f"{path}: line {line}"))
            elif lower[i] in ("id", "concept_id", "note", "source", "subject", "kind"):
                extra[lower[i]] = value
        if not terms:
            raise InputError(f"{path}: line {line}: row has no term in any language column")
        cid = extra.get("id") or extra.get("concept_id") or f"row-{line}"
        concepts.append(Concept(cid, tuple(terms), extra.get("note", ""), extra.get("source", ""),
                                extra.get("subject", ""), extra.get("kind", "")))
    return concepts


# --------------------------------------------------------------------------------------------
# The glossary
# --------------------------------------------------------------------------------------------

_PACKAGE_DIR = Path(__file__).resolve().parent
REPO_GLOSSARY_DIR = _PACKAGE_DIR.parent / "glossaries"
PACKAGED_GLOSSARY = _PACKAGE_DIR / "data" / "nato-diplomacy.tbx"


_INSTANCES = itertools.count(1)


class Glossary:
    """An editable list of concepts with cached per-language matchers."""

    def __init__(self, concepts: Iterable[Concept] = (), title: str = "", description: Iterable[str] = ()):
        self._concepts: list[Concept] = []
        self._pos: dict[str, int] = {}
        self.title = title
        self.description = list(description)
        self.version = 0  # (changes with every edit; ``uid`` tells two glossaries apart)
        self.uid = next(_INSTANCES)
        self._matchers: dict[str, TermMatcher] = {}
        self._words: dict[str, set[str]] = {}
        for c in concepts:
            self._put(c)

    # -- loading -------------------------------------------------------------------------------
    @classmethod
    def load_file(cls, path) -> "Glossary":
        path = Path(path)
        data = _read_bytes(path)
        suffix = path.suffix.lower()
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
        if suffix in (".tbx", ".xml") or head.startswith(b"<"):
            concepts, meta = _load_tbx(path, data)
            g = cls(title=meta.get("title", ""), description=meta.get("description", ()))
        elif suffix in (".csv", ".tsv", ".txt"):
            concepts = _load_csv(path, data)
            g = cls()
        else:
            raise InputError(f"{path}: unknown glossary format {suffix or '(no extension)'!r} "
                             "(expected .tbx, .csv or .tsv)")
        for c in concepts:
            if c.id in g._pos:
                raise InputError(f"{path}: entry {c.id!r}: duplicate concept id")
            g._put(c)
        return g

    @classmethod
    def load(cls, paths: Iterable) -> "Glossary":
        """Load and merge several files; a concept id seen again replaces the earlier concept."""
        if isinstance(paths, (str, Path)):
            paths = [paths]
        merged = cls()
        for p in paths:
            g = cls.load_file(p)
            if not merged.title:
                merged.title = g.title
                merged.description = list(g.description)
            for c in g._concepts:
                merged._put(c)
        return merged

    @classmethod
    def default(cls) -> "Glossary":
        """The shipped term base: every ``*.tbx`` in the repository's ``glossaries/`` folder, or the
        copy packaged as ``review/data/nato-diplomacy.tbx`` when installed."""
        files = sorted(REPO_GLOSSARY_DIR.glob("*.tbx")) if REPO_GLOSSARY_DIR.is_dir() else []
        if not files and PACKAGED_GLOSSARY.is_file():
            files = [PACKAGED_GLOSSARY]
        if not files:
            raise InputError(f"no default glossary found (looked in {REPO_GLOSSARY_DIR} and {PACKAGED_GLOSSARY})")
        return cls.load(files)

    # -- editing -------------------------------------------------------------------------------
    def _put(self, concept: Concept) -> None:
        if concept.id in self._pos:
            self._concepts[self._pos[concept.id]] = concept
        else:
            self._pos[concept.id] = len(self._concepts)
            self._concepts.append(concept)
        self._changed()

    def _changed(self) -> None:
        self.version += 1
        self._matchers.clear()
        self._words.clear()

    def add(self, concept: Concept) -> None:
        if concept.id in self._pos:
            raise ValueError(f"concept {concept.id!r} already exists")
        self._put(concept)

    def upsert(self, concept: Concept) -> None:
        """Add ``concept``, or replace the concept with the same id (used when merging glossaries)."""
        self._put(concept)

    def replace(self, concept: Concept) -> None:
        if concept.id not in self._pos:
            raise KeyError(concept.id)
        self._put(concept)

    def remove(self, concept_id: str) -> Concept:
        i = self._pos.pop(concept_id)  # KeyError if absent
        concept = self._concepts.pop(i)
        self._pos = {c.id: k for k, c in enumerate(self._concepts)}
        self._changed()
        return concept

    # -- access --------------------------------------------------------------------------------
    @property
    def concepts(self) -> list[Concept]:
        return list(self._concepts)

    def get(self, concept_id: str) -> Concept | None:
        i = self._pos.get(concept_id)
        return None if i is None else self._concepts[i]

    def __len__(self) -> int:
        return len(self._concepts)

    def __iter__(self) -> Iterator[Concept]:
        return iter(list(self._concepts))

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._pos

    def langs(self) -> list[str]:
        seen: dict[str, None] = {}
        for c in self._concepts:
            for t in c.terms:
                seen.setdefault(t.lang, None)
        return list(seen)

    def terms(self, lang: str | None = None) -> Iterator[tuple[Concept, Term]]:
        lang = _norm_lang(lang) if lang else None
        for c in self._concepts:
            for t in c.terms:
                if lang is None or t.lang == lang:
                    yield c, t

    def matcher(self, lang: str) -> TermMatcher:
        lang = _norm_lang(lang)
        m = self._matchers.get(lang)
        if m is None:
            m = self._matchers[lang] = TermMatcher(self._concepts, lang)
        return m

    def words(self, lang: str) -> set[str]:
        """Every word form of every term in ``lang`` (with inflected variants), for spell-check
        whitelists: whole space-separated tokens, and their hyphen-separated parts."""
        lang = _norm_lang(lang)
        cached = self._words.get(lang)
        if cached is not None:
            return set(cached)
        out: set[str] = set()
        for _, t in self.terms(lang):
            for variant in inflections(t.text, lang, t.type).values():
                for tok in variant.split():
                    tok = tok.strip("\"“”«»()[]{},;:!?")
                    if not tok:
                        continue
                    out.add(tok)
                    if tok.endswith(".") and tok.count(".") == 1:
                        out.add(tok[:-1])
                    for part in re.split(r"[\-\u2010\u2011\u2013/]+", tok):
                        part = part.strip(".'")
                        if part:
                            out.add(part)
        self._words[lang] = out
        return set(out)

    # -- writing -------------------------------------------------------------------------------
    def save_tbx(self, path) -> None:
        """Write TBX v3 (ISO 30042:2019), TBX-Basic dialect, DCA style."""
        ET.register_namespace("", TBX_NS)
        q = lambda name: f"{{{TBX_NS}}}{name}"  # noqa: E731
        root = ET.Element(q("tbx"), {"type": "TBX-Basic", "style": "dca", XML_LANG: "en"})
        header = ET.SubElement(root, q("tbxHeader"))
        fdesc = ET.SubElement(header, q("fileDesc"))
        tstmt = ET.SubElement(fdesc, q("titleStmt"))
        ET.SubElement(tstmt, q("title")).text = self.title or "Glossary"
        sdesc = ET.SubElement(fdesc, q("sourceDesc"))
        for p in self.description or ["Written by review.glossary"]:
            ET.SubElement(sdesc, q("p")).text = p
        body = ET.SubElement(ET.SubElement(root, q("text")), q("body"))
        for c in self._concepts:
            ce = ET.SubElement(body, q("conceptEntry"), {"id": c.id})
            if c.subject:
                ET.SubElement(ce, q("descrip"), {"type": "subjectField"}).text = c.subject
            if c.kind:
                ET.SubElement(ce, q("descrip"), {"type": KIND_TYPE}).text = c.kind
            if c.source:
                ET.SubElement(ce, q("admin"), {"type": "source"}).text = c.source
            if c.note:
                ET.SubElement(ce, q("note")).text = c.note
            for lang in c.langs():
                ls = ET.SubElement(ce, q("langSec"), {XML_LANG: lang})
                for t in c.in_lang(lang):
                    ts = ET.SubElement(ls, q("termSec"))
                    ET.SubElement(ts, q("term")).text = t.text
                    ET.SubElement(ts, q("termNote"), {"type": "administrativeStatus"}).text = _STATUS_TBX[t.status]
                    if t.type:
                        ET.SubElement(ts, q("termNote"), {"type": "termType"}).text = t.type
                    if not t.default_case:
                        ET.SubElement(ts, q("termNote"), {"type": CASE_TYPE}).text = "yes" if t.case_sensitive else "no"
        ET.indent(root, space="  ")
        xml = ET.tostring(root, encoding="unicode")
        out = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               '<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/'
               'TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" '
               'schematypens="http://relaxng.org/ns/structure/1.0"?>\n' + xml + "\n")
        Path(path).write_text(out, encoding="utf-8")

    def save_csv(self, path) -> None:
        """One row per term: concept_id, lang, term, status, type, kind, replacement, note, source,
        subject, case_sensitive (concept-level fields repeated; ``replacement`` only on deprecated
        terms: the preferred term in the same language)."""
        buf = io.StringIO(newline="")
        delim = "\t" if Path(path).suffix.lower() == ".tsv" else ","
        w = csv.writer(buf, delimiter=delim, lineterminator="\n")
        w.writerow(CSV_COLUMNS + CSV_EXTRA_COLUMNS)
        for c in self._concepts:
            for t in c.terms:
                repl = ""
                if t.status == "deprecated":
                    p = c.preferred(t.lang)
                    repl = p.text if p else ""
                case = "" if t.default_case else ("yes" if t.case_sensitive else "no")
                w.writerow([c.id, t.lang, t.text, t.status, t.type, c.kind, repl, c.note, c.source,
                            c.subject, case])
        Path(path).write_text(buf.getvalue(), encoding="utf-8")


def install_package_copy(src=None) -> Path:
    """Copy the repository's TBX into ``review/data`` (package data for installed use)."""
    src = Path(src) if src else REPO_GLOSSARY_DIR / "nato-diplomacy.tbx"
    PACKAGED_GLOSSARY.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, PACKAGED_GLOSSARY)
    return PACKAGED_GLOSSARY
