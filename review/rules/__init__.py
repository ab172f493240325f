"""Rules kept as data: YAML packs per target language, a few rule *types* in code.

A pack is a YAML file holding a list of rules (``review/rules/en/*.yaml``). Every rule has:

``id``          stable code, e.g. ``EN-FRAG-001`` (select/ignore work on id prefixes)
``type``        ``existence`` | ``substitution`` | ``pattern`` | ``consistency``
``category``    MQM category, e.g. ``Fluency/Grammar``
``severity``    neutral | minor | major | critical
``message``     text shown to the editor; ``%s`` is replaced by the flagged text
``examples``    ``bad:`` (must be flagged) and ``good:`` (must not) — run by the test-suite

and, by type:

existence     ``tokens``: words/phrases to flag; ``suggest``: optional replacement ("" deletes)
substitution  ``swap``: map of bad → good (longest first; case of the first letter is kept)
pattern       ``pattern``: a regex (``regex`` module syntax; a named group ``flag`` narrows the
              flagged span); ``suggest``: template(s) with ``\\g<name>``/``\\1``; ``suggest_map``:
              lower-cased flagged text → replacement; ``words``: map of named group → word-class
              test the group's word must pass (``"noun !verb !adj"``: a noun that is neither verb
              nor adjective; classes in ``review/wordclass.py``); ``suggest_form``: map of named
              group → form (vbd, vbn, vbg, vbz of a verb; adj of an adverb in -ly): the suggestion
              is the flagged text with the group's word in that form ("are advise" → "advised");
              ``triggers_from``: a group of ``words`` whose test names a class the word must have,
              preceded by a space or a line break in every match: the words the test admits are
              the rule's triggers
consistency   ``either``: list of variant lists; in one document, the less frequent variants are
              flagged and the most frequent suggested

A pack may instead be a mapping with ``rules`` (that list) and ``lists``: name → words or phrases.
A pattern or antipattern of any pack writes ``{list:NAME}`` for the alternation ``(?:…)`` of a list
(escaped, longest first, a space matching any white space); ``en/lists.yaml`` holds the shared ones.

Common options: ``ignorecase`` (default true for existence/substitution, false for pattern),
``antipatterns`` (regexes; a match overlapping the flagged span silences it), ``scope`` (``any``,
``outside_quotes``, ``inside_quotes``), ``headings`` (check headings too; default true),
``group`` (all matches in a segment become one finding whose suggestion fixes them all),
``link``, ``requires_source`` (only run on bilingual input), ``default: false`` (opt-in: runs only
when ``--select``/``--enable`` names it by prefix).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import regex
import yaml

from ..model import Finding, InputError, Segment, Severity, check_category

RULE_TYPES = ("existence", "substitution", "pattern", "consistency")
RULES_DIR = Path(__file__).parent
REGEX_TIMEOUT = 1.0  # seconds per rule per segment: one bad rule cannot hang a check (0.25 s tripped under load)

# Word boundaries are added by the engine, never typed by rule authors (as proselint does).
_WB_LEFT = r"(?<![\w])"
_WB_RIGHT = r"(?![\w])"


def _pad(phrase: str) -> str:
    esc = regex.escape(phrase).replace(r"\ ", r"\s+")
    left = _WB_LEFT if phrase[:1].isalnum() else ""
    right = _WB_RIGHT if phrase[-1:].isalnum() else ""
    return left + esc + right


def match_case(original: str, replacement: str) -> str:
    """Carry the original's capitalisation over to the replacement."""
    if not replacement or not original:
        return replacement
    if original.isupper() and len(original) > 1 and not replacement.isupper():
        return replacement.upper()
    if original[0].isupper() and replacement[0].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


@dataclass
class Rule:
    id: str
    type: str
    category: str
    severity: Severity
    message: str
    source_file: str = ""
    tokens: tuple[str, ...] = ()
    swap: dict = field(default_factory=dict)
    pattern: str = ""
    suggest: tuple[str, ...] | None = None
    suggest_map: dict = field(default_factory=dict)
    either: tuple[tuple[str, ...], ...] = ()
    antipatterns: tuple[str, ...] = ()
    ignorecase: bool = True
    scope: str = "any"
    headings: bool = True
    requires_source: bool = False
    default: bool = True  # false: opt-in, runs only when selected or enabled by id prefix
    triggers: tuple[str, ...] = ()  # lower-case literals: the rule can only match if one occurs
    group: bool = False  # one finding per segment covering every match (tokenised text: fix all at once)
    words: dict = field(default_factory=dict)  # pattern group → word-class test ("noun !verb")
    suggest_form: dict = field(default_factory=dict)  # pattern group → verb form to suggest ("vbn")
    triggers_from: str = ""  # a class-tested group: the words its test admits are the triggers
    link: str = ""
    description: str = ""
    good: tuple[str, ...] = ()
    bad: tuple[str, ...] = ()
    _rx: object = None
    _anti: tuple = ()
    _words: tuple = ()  # (group, word-class test)

    # -- compilation -------------------------------------------------------------------------
    def derived_triggers(self) -> tuple[str, ...]:
        """Literals one of which must occur (lower-cased) for the rule to match: given in YAML
        for pattern rules, derived from the phrases for the other types. Empty = always run."""
        if self.triggers:
            return self.triggers
        if self.type == "existence":
            phrases = self.tokens
        elif self.type == "substitution":
            phrases = tuple(self.swap)
        elif self.type == "consistency":
            phrases = tuple(v for g in self.either for v in g)
        else:
            return ()
        out = []
        for ph in phrases:
            longest = max(ph.lower().split(), key=len, default="")
            if len(longest) < 2:
                return ()  # a one-letter phrase would trigger everywhere: always run
            out.append(longest)
        return tuple(out)

    def word_triggers(self) -> tuple[str, ...]:
        """The words that trigger the rule (``triggers_from``): it can only match where one occurs
        as a whole word after a space or a line break, as the group it names always does."""
        if not self.triggers_from:
            return ()
        return dict(self._words)[self.triggers_from].words()

    def compile(self) -> "Rule":
        where = f"{self.source_file}: rule {self.id}: "  # (how an error names the rule)
        flags = 0
        if self.ignorecase:
            flags |= regex.IGNORECASE
        try:
            if self.type == "existence":
                alts = sorted(self.tokens, key=len, reverse=True)
                self._rx = regex.compile("|".join(_pad(t) for t in alts), flags)
            elif self.type == "substitution":
                self.swap = {k.lower() if self.ignorecase else k: v for k, v in self.swap.items()}
                alts = sorted(self.swap, key=len, reverse=True)
                self._rx = regex.compile("|".join(_pad(t) for t in alts), flags)
            elif self.type == "pattern":
                self._rx = regex.compile(self.pattern, flags)
            elif self.type == "consistency":
                alts = sorted({v for group in self.either for v in group}, key=len, reverse=True)
                self._rx = regex.compile("|".join(_pad(t) for t in alts), flags)
            self._anti = tuple(regex.compile(a, flags) for a in self.antipatterns)
        except (regex.error, ValueError, OverflowError, RecursionError) as e:
            raise InputError(f"{where}invalid regex ({e})") from None
        if self.words:
            from .. import wordclass

            if self.type != "pattern":
                raise InputError(f"{where}'words' needs a pattern rule")
            tests = []
            for name, spec in self.words.items():
                if name not in self._rx.groupindex:
                    raise InputError(f"{where}'words' names {name!r}, which is no group of the pattern")
                try:
                    tests.append((name, wordclass.parse_test(spec, where)))
                except ValueError as e:
                    raise InputError(str(e)) from None
            self._words = tuple(tests)
        if self.triggers_from:
            test = dict(self._words).get(self.triggers_from)
            if test is None:
                raise InputError(f"{where}'triggers_from' names {self.triggers_from!r}, "
                                 "which 'words' does not test")
            if not test.enumerable():
                raise InputError(f"{where}'triggers_from' needs a test that names a class "
                                 "the word must have")
            if self.triggers:
                raise InputError(f"{where}'triggers' and 'triggers_from' exclude each other")
        if self.suggest_form:
            from ..wordclass import SUGGEST_FORMS

            for name, tag in self.suggest_form.items():
                if self.type != "pattern" or name not in self._rx.groupindex:
                    raise InputError(f"{where}'suggest_form' names {name!r}, which is no group of the pattern")
                if tag not in SUGGEST_FORMS:
                    raise InputError(f"{where}'suggest_form' asks for {tag!r} (known: {', '.join(SUGGEST_FORMS)})")
        return self

    # -- matching ----------------------------------------------------------------------------
    def _span(self, m) -> tuple[int, int]:
        if "flag" in m.re.groupindex and m.start("flag") >= 0:
            return m.start("flag"), m.end("flag")
        return m.start(), m.end()

    def _suggestions(self, m, text: str) -> tuple[str, ...]:
        if self.type == "existence":
            return tuple(match_case(text, s) for s in (self.suggest or ()))
        if self.type == "substitution":
            key = text.lower() if self.ignorecase else text
            key = regex.sub(r"\s+", " ", key)
            good = self.swap.get(key)
            if good is None:
                return ()
            goods = good if isinstance(good, list) else [good]
            return tuple(match_case(text, g) if self.ignorecase else g for g in goods)
        if self.type == "pattern":
            if self.suggest_form:
                return self._form_suggestion(m, text)
            if self.suggest_map:
                v = self.suggest_map.get(text.lower())
                if v is None:
                    v = self.suggest_map.get(text)
                if v is not None:
                    vs = v if isinstance(v, list) else [v]
                    return tuple(match_case(text, s) for s in vs)
            out = []
            for tmpl in self.suggest or ():
                try:
                    s = m.expand(tmpl)
                except (regex.error, IndexError):
                    continue
                out.append(match_case(text, s))
            return tuple(out)
        return ()

    def _form_suggestion(self, m, text: str) -> tuple[str, ...]:
        """The flagged text with each ``suggest_form`` group's verb in the asked form (none when
        the lexicon lacks one)."""
        from ..wordclass import word_form

        s, _ = self._span(m)
        out = text
        for name, tag in sorted(self.suggest_form.items(), key=lambda kv: -m.start(kv[0])):
            gs, ge = m.span(name)
            if gs < 0 or gs < s or ge - s > len(text):
                continue
            form = word_form(m.group(name), tag)
            if form is None:
                return ()
            out = out[:gs - s] + match_case(m.group(name), form) + out[ge - s:]
        return (out,) if out != text else ()

    def _blocked(self, text: str, start: int, end: int) -> bool:
        for a in self._anti:
            for am in a.finditer(text, timeout=REGEX_TIMEOUT):
                if am.start() < end and am.end() > start or (am.start() == am.end() == start):
                    return True
        return False

    def _words_hold(self, m) -> bool:
        for name, test in self._words:
            w = m.group(name)
            if w is not None and not test.holds(w):
                return False
        return True

    def matches(self, text: str) -> Iterable[tuple[int, int, tuple[str, ...]]]:
        for m in self._rx.finditer(text, timeout=REGEX_TIMEOUT):
            if self._words and not self._words_hold(m):
                continue
            s, e = self._span(m)
            if s == e and self.type != "pattern":
                continue
            if self._anti and self._blocked(text, s, e):
                continue
            yield s, e, self._suggestions(m, text[s:e])

    def format_message(self, text: str) -> str:
        return self.message.replace("%s", text)

    def finding(self, seg: Segment, s: int, e: int, suggestions: Sequence[str], message: str | None = None) -> Finding:
        return Finding(rule=self.id, segment=seg.index, start=s, end=e, text=seg.target[s:e],
                       category=self.category, severity=self.severity,
                       message=message or self.format_message(seg.target[s:e]),
                       suggestions=tuple(suggestions))


_ALLOWED_KEYS = {
    "id", "type", "category", "severity", "message", "tokens", "swap", "pattern", "suggest",
    "suggest_map", "either", "antipatterns", "ignorecase", "scope", "headings", "requires_source",
    "link", "description", "examples", "default", "triggers", "group", "words", "suggest_form",
    "triggers_from",
}


_SCALAR = (str, int, float)


def _strs(raw: dict, key: str, where: str) -> tuple[str, ...]:
    """A list of strings (a single string is a list of one); anything else is an InputError."""
    v = raw.get(key)
    if v is None or v == "":
        return ()
    if isinstance(v, _SCALAR) and not isinstance(v, bool):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(x, _SCALAR) and not isinstance(x, bool) for x in v):
        raise InputError(f"{where}: '{key}' must be a list of strings")
    return tuple(str(x) for x in v)


def _mapping(raw: dict, key: str, where: str, lists: bool = True) -> dict:
    """A mapping of string → string (or list of strings when ``lists``)."""
    v = raw.get(key)
    if v is None:
        return {}
    ok = isinstance(v, dict) and all(
        isinstance(k, _SCALAR) and (isinstance(x, _SCALAR) or (lists and isinstance(x, list)
                                                               and all(isinstance(y, _SCALAR) for y in x)))
        for k, x in v.items())
    if not ok:
        raise InputError(f"{where}: '{key}' must be a mapping of strings")
    return {str(k): ([str(y) for y in x] if isinstance(x, list) else str(x)) for k, x in v.items()}


_LIST_REF = regex.compile(r"\{list:([^{}]*)\}")
_LIST_NAME = regex.compile(r"[A-Za-z_][\w-]*")


def _expand_lists(text: str, lists: dict[str, str], where: str) -> str:
    """``{list:NAME}`` in a pattern or antipattern → the list's alternation ``(?:a|b|…)``."""
    if "{list:" not in text:
        return text

    def one(m) -> str:
        name = m.group(1)
        if name not in lists:
            known = ", ".join(sorted(lists)) or "none"
            raise InputError(f"{where}: '{{list:{name}}}' names no list (known: {known})")
        return lists[name]

    return _LIST_REF.sub(one, text)


def parse_lists(raw, where: str) -> dict[str, str]:
    """A pack's ``lists``: name → words or phrases, each compiled to one alternation (escaped, longest
    first, a space matching any white space, as ``tokens`` are)."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError(f"{where}: 'lists' must map a name to a list of words")
    out = {}
    for name, words in raw.items():
        if not isinstance(name, str) or not _LIST_NAME.fullmatch(name):
            raise InputError(f"{where}: list name {name!r} must be letters, digits, '_' or '-'")
        items = _strs(raw, name, f"{where}: list {name}")
        if not items or not all(w.strip() for w in items):
            raise InputError(f"{where}: list {name} needs words, none of them empty")
        alts = sorted(dict.fromkeys(items), key=len, reverse=True)
        out[name] = "(?:" + "|".join(regex.escape(w).replace(r"\ ", r"\s+") for w in alts) + ")"
    return out


def parse_rule(raw: dict, source_file: str, lists: dict[str, str] | None = None) -> Rule:
    rid = raw.get("id", "?") if isinstance(raw, dict) else "?"
    where = f"{source_file}: rule {rid if isinstance(rid, _SCALAR) else '?'}" if isinstance(raw, dict) else source_file
    if not isinstance(raw, dict):
        raise InputError(f"{where}: each rule must be a mapping")
    if not all(isinstance(k, str) for k in raw):
        raise InputError(f"{where}: field names must be strings")
    unknown = set(raw) - _ALLOWED_KEYS
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    for key in ("id", "type", "category", "severity", "message"):
        if not raw.get(key):
            raise InputError(f"{where}: missing '{key}'")
        if not isinstance(raw[key], _SCALAR):
            raise InputError(f"{where}: '{key}' must be a string")
    rtype = raw["type"]
    if rtype not in RULE_TYPES:
        raise InputError(f"{where}: unknown type {rtype!r} (expected {', '.join(RULE_TYPES)})")
    try:
        sev = Severity.parse(raw["severity"])
        cat = check_category(str(raw["category"]))
    except ValueError as e:
        raise InputError(f"{where}: {e}") from None
    ex = raw.get("examples") or {}
    if not isinstance(ex, dict) or not ex.get("bad") or not ex.get("good"):
        raise InputError(f"{where}: examples need both 'bad' and 'good' lists")
    bad, good = _strs(ex, "bad", where + ": examples"), _strs(ex, "good", where + ": examples")
    sug = raw.get("suggest")
    if sug is not None:
        sug = list(_strs(raw, "suggest", where)) if sug != "" else [""]
    scope = raw.get("scope", "any")
    if not isinstance(scope, str) or scope not in ("any", "outside_quotes", "inside_quotes"):
        raise InputError(f"{where}: unknown scope {scope!r}")
    either = raw.get("either") or []
    if not isinstance(either, list) or not all(isinstance(g, list) and all(isinstance(v, _SCALAR) for v in g)
                                               for g in either):
        raise InputError(f"{where}: 'either' must be a list of lists of variants")
    pattern = raw.get("pattern") or ""
    if not isinstance(pattern, _SCALAR):
        raise InputError(f"{where}: 'pattern' must be a string")
    pattern = _expand_lists(str(pattern), lists or {}, where)
    antipatterns = tuple(_expand_lists(a, lists or {}, where) for a in _strs(raw, "antipatterns", where))
    if rtype == "existence" and not raw.get("tokens"):
        raise InputError(f"{where}: existence rules need 'tokens'")
    if rtype == "substitution" and not isinstance(raw.get("swap"), dict):
        raise InputError(f"{where}: substitution rules need a 'swap' mapping")
    if rtype == "pattern" and not raw.get("pattern"):
        raise InputError(f"{where}: pattern rules need 'pattern'")
    if rtype == "consistency" and not raw.get("either"):
        raise InputError(f"{where}: consistency rules need 'either'")
    rule = Rule(
        id=str(raw["id"]), type=rtype, category=cat, severity=sev, message=str(raw["message"]),
        source_file=source_file,
        tokens=_strs(raw, "tokens", where),
        swap=_mapping(raw, "swap", where),
        pattern=str(pattern),
        suggest=tuple(str(s) for s in sug) if sug is not None else None,
        suggest_map={k.lower(): v for k, v in _mapping(raw, "suggest_map", where).items()},
        either=tuple(tuple(str(v) for v in g) for g in either),
        antipatterns=antipatterns,
        ignorecase=bool(raw.get("ignorecase", rtype != "pattern")),
        scope=scope,
        headings=bool(raw.get("headings", True)),
        requires_source=bool(raw.get("requires_source", False)),
        default=bool(raw.get("default", True)),
        triggers=tuple(t.lower() for t in _strs(raw, "triggers", where)),
        group=bool(raw.get("group", False)),
        words=_mapping(raw, "words", where, lists=False),
        suggest_form=_mapping(raw, "suggest_form", where, lists=False),
        triggers_from=str(raw.get("triggers_from") or ""),
        link=str(raw.get("link") or ""),
        description=str(raw.get("description") or ""),
        good=good,
        bad=bad,
    )
    return rule.compile()



def _read_pack(path: Path) -> tuple[list, dict[str, str]]:
    """A pack file's raw rules and its lists. A pack is a list of rules, or a mapping with
    ``rules`` and/or ``lists`` (``lists.yaml`` holds only lists)."""
    try:
        # libyaml's safe loader when PyYAML has it: the same documents, 5x faster at start-up
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except FileNotFoundError:
        raise InputError(f"{path}: no such rule file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: rule file is not UTF-8 text") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read the rule file ({e.strerror or e})") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise InputError(f"{path}:{where}: invalid YAML ({getattr(e, 'problem', e)})") from None
    except (ValueError, RecursionError) as e:  # e.g. an impossible !!timestamp, nesting too deep
        raise InputError(f"{path}: invalid YAML ({type(e).__name__}: {str(e)[:200]})") from None
    if raw is None:
        return [], {}
    lists: dict[str, str] = {}
    if isinstance(raw, dict) and ("rules" in raw or "lists" in raw):
        unknown = set(raw) - {"rules", "lists"}
        if unknown:
            raise InputError(f"{path}: unknown field(s) {', '.join(sorted(map(str, unknown)))} "
                             "(a pack mapping has 'rules' and 'lists')")
        lists = parse_lists(raw.get("lists"), path.name)
        raw = raw.get("rules") or []
    if not isinstance(raw, list):
        raise InputError(f"{path}: a rule pack is a list of rules")
    return raw, lists


def load_pack_file(path: Path) -> list[Rule]:
    """The rules of one pack file. ``{list:NAME}`` refers to the file's own lists and the built-in
    English pack's."""
    raw, own = _read_pack(path)
    known = _merge_lists([(Path("the built-in lists"), builtin_lists()), (path, own)])
    return [parse_rule(r, path.name, known) for r in raw]


@functools.lru_cache(maxsize=None)
def builtin_lists(lang: str = "en") -> dict[str, str]:
    d = RULES_DIR / lang
    return _merge_lists([(f, _read_pack(f)[1]) for f in sorted(d.glob("*.yaml"))] if d.is_dir() else [])


def _merge_lists(packs: list[tuple[Path, dict[str, str]]]) -> dict[str, str]:
    out: dict[str, str] = {}
    where: dict[str, str] = {}
    for path, lists in packs:
        for name, alt in lists.items():
            if name in out:
                raise InputError(f"{path}: list {name} is defined twice (also in {where[name]})")
            out[name], where[name] = alt, path.name
    return out


def load_rules(lang: str = "en", extra: Iterable[Path] = ()) -> list[Rule]:
    """Load the built-in pack for ``lang`` plus any extra rule files; ids must be unique. The
    packs' ``lists`` are shared: a rule of any file may use a list of any other."""
    d = RULES_DIR / lang
    files = (sorted(d.glob("*.yaml")) if d.is_dir() else []) + [Path(p) for p in extra]
    packs = [(f, _read_pack(f)) for f in files]
    lists = _merge_lists([(f, own) for f, (_, own) in packs])
    rules: list[Rule] = []
    for f, (raw, _) in packs:
        rules.extend(parse_rule(r, f.name, lists) for r in raw)
    seen: dict[str, str] = {}
    for r in rules:
        if r.id in seen:
            raise InputError(f"{r.source_file}: duplicate rule id {r.id} (also in {seen[r.id]})")
        seen[r.id] = r.source_file
    return rules
