"""Run rule packs and code checks over a document; apply selection, profiles and dismissals."""

from __future__ import annotations

import os
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

import regex
import yaml

from .checks.base import Check, Context, RuleInfo
from .model import Document, Finding, InputError, Segment, Severity
from .rules import Rule, load_pack_file, load_rules

# Marks a word may follow directly (besides a space): a rule trigger that starts with a space is
# also looked for after each of them
WORD_START_MARKS = "\"“‘'(-/\t\n—–[«,;:*…"


# --------------------------------------------------------------------------------------------
# Quotation state: which characters of each segment are inside quotation marks. Quotes may
# span sentences, so the state is carried from one sentence to the next within a paragraph.
# --------------------------------------------------------------------------------------------
def quoted_spans(segments: Sequence[Segment]) -> dict[int, list[tuple[int, int]]]:
    out: dict[int, list[tuple[int, int]]] = {}
    inside = False
    prev_para = None
    for seg in segments:
        if seg.paragraph != prev_para or seg.start is None:
            inside = False
        prev_para = seg.paragraph if seg.start is not None else None
        t = seg.target
        if '"' not in t and "“" not in t and "”" not in t:
            out[seg.index] = [(0, len(t))] if inside else []
            continue
        spans: list[tuple[int, int]] = []
        open_at = 0 if inside else None
        for i, ch in enumerate(t):
            if ch == "“" or (ch == '"' and not inside):
                if not inside:
                    inside, open_at = True, i
            elif ch == "”" or (ch == '"' and inside):
                if inside:
                    spans.append((open_at or 0, i + 1))
                    inside, open_at = False, None
        if inside:
            spans.append((open_at or 0, len(t)))
        out[seg.index] = spans
    return out


def _in_spans(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= s and e <= b for a, b in spans)


# --------------------------------------------------------------------------------------------
# Selection and profiles
# --------------------------------------------------------------------------------------------
@dataclass
class Profile:
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    fail_on: Severity | None = None
    enable: tuple[str, ...] = ()
    dismiss: tuple[dict, ...] = ()
    glossaries: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: str | Path) -> "Profile":
        p = Path(path)
        try:
            raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
        except FileNotFoundError:
            raise InputError(f"{p}: no such profile file") from None
        except (yaml.YAMLError, UnicodeDecodeError) as e:
            raise InputError(f"{p}: invalid profile ({str(e).splitlines()[0]})") from None
        except OSError as e:
            raise InputError(f"{p}: cannot read the profile ({e.strerror or e})") from None
        except (ValueError, RecursionError) as e:  # e.g. an impossible !!timestamp, nesting too deep
            raise InputError(f"{p}: invalid profile ({type(e).__name__}: {str(e)[:200]})") from None
        if not isinstance(raw, dict):
            raise InputError(f"{p}: a profile is a mapping (select, ignore, severity, fail_on, dismiss)")
        unknown = set(map(str, raw)) - {"select", "ignore", "enable", "severity", "fail_on", "dismiss", "glossaries", "rules"}
        if unknown:
            raise InputError(f"{p}: unknown profile field(s) {', '.join(sorted(unknown))}")

        def strs(key: str) -> tuple[str, ...]:
            v = raw.get(key)
            if v is None or v == "":
                return ()
            if isinstance(v, (str, int, float)) and not isinstance(v, bool):
                v = [v]
            if not isinstance(v, list) or not all(isinstance(x, (str, int, float)) and not isinstance(x, bool)
                                                  for x in v):
                raise InputError(f"{p}: '{key}' must be a list of strings")
            return tuple(str(x) for x in v)

        sev_raw = raw.get("severity") or {}
        if not isinstance(sev_raw, dict):
            raise InputError(f"{p}: 'severity' must be a mapping of rule prefix → severity")
        try:
            sev = {str(k): Severity.parse(_scalar(v, p, "severity")) for k, v in sev_raw.items()}
            fail = Severity.parse(_scalar(raw["fail_on"], p, "fail_on")) if raw.get("fail_on") else None
        except ValueError as e:
            raise InputError(f"{p}: {e}") from None
        dismiss = raw.get("dismiss") or []
        if not isinstance(dismiss, list) or not all(
                isinstance(d, dict) and "rule" in d and all(isinstance(v, (str, int, float)) or v is None
                                                            for v in d.values()) for d in dismiss):
            raise InputError(f"{p}: 'dismiss' is a list of {{rule, text?, segment?}} mappings")
        base = p.parent
        return cls(
            select=strs("select"),
            ignore=strs("ignore"),
            enable=strs("enable"),
            severity=sev, fail_on=fail, dismiss=tuple(dismiss),
            glossaries=tuple(str(base / g) for g in strs("glossaries")),
            rules=tuple(str(base / r) for r in strs("rules")),
        )


def _scalar(v, p: Path, key: str) -> str:
    if isinstance(v, (list, dict)):
        raise InputError(f"{p}: '{key}' values must be severities (neutral, minor, major, critical)")
    return str(v)


def rule_enabled(rule_id: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """ruff-style: the longest matching prefix decides; nothing selected means all selected;
    on a tie, ignore wins."""
    sel = max((len(s) for s in select if rule_id.startswith(s)), default=None)
    if select and sel is None:
        return False
    ign = max((len(s) for s in ignore if rule_id.startswith(s)), default=None)
    return ign is None or (sel or 0) > ign


@dataclass(frozen=True)
class Dismissal:
    rule: str
    text: str | None = None
    segment: str | None = None  # segment id; None = anywhere in the document

    def covers(self, f: Finding, seg: Segment) -> bool:
        if not f.rule.startswith(self.rule):
            return False
        if self.text is not None and f.text != self.text:
            return False
        if self.segment is not None and seg.id != self.segment:
            return False
        return True


# --------------------------------------------------------------------------------------------
# The engine
# --------------------------------------------------------------------------------------------
class Engine:
    def __init__(self, glossary=None, rules: Sequence[Rule] | None = None,
                 checks: Sequence[Check] | None = None, target_lang: str = "en",
                 select: Sequence[str] = (), ignore: Sequence[str] = (),
                 severity_overrides: dict[str, Severity] | None = None,
                 dismissals: Iterable[Dismissal] = (), enable: Sequence[str] = ()):
        from .checks import default_checks

        self.glossary = glossary
        self.target_lang = target_lang
        self.all_rules = list(rules) if rules is not None else load_rules(target_lang)
        self.all_checks = list(checks) if checks is not None else default_checks()
        self.select = tuple(select)
        self.ignore = tuple(ignore)
        self.enable = tuple(enable)
        self.severity_overrides = dict(severity_overrides or {})
        self.dismissals = list(dismissals)
        self.warnings: list[str] = []
        self.failures: dict[str, list] = {}  # check name -> [its first failure, how many] (see _check_failed)
        self.merge_overlaps = True  # False: keep every rule's finding (rule example tests)
        self.profile = Profile()  # from_options replaces it with the loaded profile
        self.rules = [r for r in self.all_rules if self.enabled(r.id) and (r.default or self.opted_in(r.id))]
        self._build_prefilter()
        self.checks = [c for c in self.all_checks if any(self.enabled(i.id) for i in c.rules)]

    @classmethod
    def from_options(cls, glossary_paths: Sequence[str] = (), profile: "str | Profile | None" = None,
                     select: Sequence[str] = (), ignore: Sequence[str] = (), target_lang: str = "en",
                     rule_files: Sequence[str] = (), default_glossary: bool = True,
                     enable: Sequence[str] = ()) -> "Engine":
        from .glossary import Glossary

        prof = profile if isinstance(profile, Profile) else Profile.load(profile) if profile else Profile()
        paths = list(prof.glossaries) + list(glossary_paths)
        glossary = Glossary.default() if default_glossary else Glossary([])
        for c in (Glossary.load(paths).concepts if paths else ()):
            glossary.upsert(c)
        rules = load_rules(target_lang, [Path(p) for p in list(prof.rules) + list(rule_files)])
        dismissals = [Dismissal(rule=str(d["rule"]), text=d.get("text"), segment=d.get("segment"))
                      for d in prof.dismiss]
        eng = cls(glossary=glossary, rules=rules, target_lang=target_lang,
                  select=tuple(prof.select) + tuple(select), ignore=tuple(prof.ignore) + tuple(ignore),
                  severity_overrides=prof.severity, dismissals=dismissals,
                  enable=tuple(prof.enable) + tuple(enable))
        eng.profile = prof
        return eng

    def _build_prefilter(self) -> None:
        """One Aho-Corasick pass over a segment tells which rules can possibly match it, so a
        rule's regex runs only where one of its trigger literals occurs."""
        import ahocorasick

        def triggered(r: Rule) -> bool:
            return bool(r.derived_triggers() or r.triggers_from)

        self._always = [r for r in self.rules if r.type != "consistency" and not triggered(r)]
        self._triggered = [r for r in self.rules if r.type != "consistency" and triggered(r)]
        self._auto = None
        if self._triggered:
            by_literal: dict[str, set[int]] = {}  # literal -> rules
            whole_words: dict[str, set[int]] = {}  # " word" -> rules, when the word ends there
            for i, r in enumerate(self._triggered):
                for t in r.derived_triggers():
                    # a trigger that starts with a space and a word asks for a word start: after an
                    # opening quote, bracket, dash or other mark as well (" he " also finds "(he ");
                    # one that starts with a space and a mark asks for white space (" ,", "  "):
                    # a tab as well, not ", " (which would run EN-SPACE-004 on every list)
                    marks = (WORD_START_MARKS if t[1:2].isalnum() else "\t") if t[:1] == " " else ""
                    for lit in [t] + [c + t[1:] for c in marks]:
                        by_literal.setdefault(lit, set()).add(i)
                for w in r.word_triggers():  # whole words of a class, after white space
                    whole_words.setdefault(" " + w, set()).add(i)
            auto = ahocorasick.Automaton()
            shared: dict[tuple, tuple] = {}  # one payload object per distinct pair of rule sets
            empty: frozenset[int] = frozenset()
            for lit in by_literal.keys() | whole_words.keys():
                key = (frozenset(by_literal.get(lit, empty)), frozenset(whole_words.get(lit, empty)))
                auto.add_word(lit, shared.setdefault(key, key))
            auto.make_automaton()
            self._auto = auto

    def candidate_rules(self, text: str) -> list[Rule]:
        if self._auto is None:
            return self._always
        hit: set[int] = set()
        # one leading space, so that a trigger may ask for a word start (" he ") at offset 0 too;
        # a line break counts as a space (every trigger with a leading space has a "\n" twin)
        low = " " + text.lower()
        if "\n" in low:
            low = low.replace("\n", " ")
        for end, (ids, whole) in self._auto.iter(low):
            if ids:
                hit |= ids
            if whole and not low[end + 1:end + 2].isalpha():  # the word ends there
                hit |= whole
        if not hit:
            return self._always
        return self._always + [self._triggered[i] for i in sorted(hit)]

    def enabled(self, rule_id: str) -> bool:
        return rule_enabled(rule_id, self.select, self.ignore)

    def opted_in(self, rule_id: str) -> bool:
        """Opt-in rules (``default: false``) run only when named by a --select/--enable prefix."""
        return any(rule_id.startswith(p) for p in self.select + self.enable if p)

    # -- catalogue -----------------------------------------------------------------------------
    def catalog(self) -> list[RuleInfo]:
        out = [RuleInfo(r.id, r.category, r.severity,
                        (r.description or r.message) + ("" if r.default else " (opt-in)"), r.good, r.bad)
               for r in self.all_rules]
        for c in self.all_checks:
            out.extend(c.rules)
        return sorted(out, key=lambda i: i.id)

    # -- running -------------------------------------------------------------------------------
    def context(self, segments: Sequence[Segment], source_lang: str | None = None) -> Context:
        return Context(glossary=self.glossary, source_lang=source_lang, target_lang=self.target_lang,
                       segments=segments)

    def _rule_findings(self, seg: Segment, quotes: list[tuple[int, int]], bilingual: bool,
                       prefix: str = "") -> list[Finding]:
        """Run the pattern rules over one segment. ``prefix`` is the previous sentence of the same
        paragraph: rules see it as left context (for look-behinds) but never flag inside it."""
        out = []
        text = prefix + seg.target
        shift = len(prefix)
        for r in self.candidate_rules(text):
            if r.requires_source and not bilingual:
                continue
            if seg.heading and not r.headings:
                continue
            try:
                found = []
                for s, e, sugg in r.matches(text):
                    if s < shift:
                        continue
                    s, e = s - shift, e - shift
                    if r.scope == "outside_quotes" and _in_spans(s, e, quotes):
                        continue
                    if r.scope == "inside_quotes" and not _in_spans(s, e, quotes):
                        continue
                    found.append(r.finding(seg, s, e, sugg))
                if r.group and len(found) > 1:
                    found = [group_findings(seg, found)]
                out.extend(found)
            except TimeoutError:
                self.warnings.append(f"rule {r.id} timed out on segment {seg.id}; skipped")
        return out

    def _consistency(self, segments: Sequence[Segment]) -> list[Finding]:
        out: list[Finding] = []
        for r in self.rules:
            if r.type != "consistency":
                continue
            triggers = r.derived_triggers()
            variant_of = {}
            for group in r.either:
                for v in group:
                    variant_of[v.lower() if r.ignorecase else v] = (group, v)
            hits: dict[tuple, dict[str, list[tuple[Segment, int, int]]]] = {}
            for seg in segments:
                if triggers:
                    low = seg.target.lower()
                    if not any(t in low for t in triggers):
                        continue
                try:
                    for s, e, _ in r.matches(seg.target):
                        key = regex.sub(r"\s+", " ", seg.target[s:e])
                        key = key.lower() if r.ignorecase else key
                        if key in variant_of:
                            group, v = variant_of[key]
                            hits.setdefault(group, {}).setdefault(v, []).append((seg, s, e))
                except TimeoutError:
                    self.warnings.append(f"rule {r.id} timed out on segment {seg.id}; skipped")
            for group, by_variant in hits.items():
                if len(by_variant) < 2:
                    continue
                # majority wins; ties go to the first variant listed
                order = {v: i for i, v in enumerate(group)}
                winner = max(by_variant, key=lambda v: (len(by_variant[v]), -order[v]))
                for variant, places in by_variant.items():
                    if variant == winner:
                        continue
                    for seg, s, e in places:
                        msg = r.format_message(seg.target[s:e]).replace("{winner}", winner)
                        out.append(r.finding(seg, s, e, [winner], msg))
        return out

    workers: int = 1  # >1: large documents are checked in forked worker processes
    PARALLEL_MIN = 2000  # segments

    def _segment_findings(self, segments: Sequence[Segment], lo: int, hi: int, ctx: Context,
                          quotes: dict, progress: Callable[[int], None] | None = None) -> list[Finding]:
        findings: list[Finding] = []
        for n in range(lo, hi):
            seg = segments[n]
            bilingual = seg.source is not None
            prefix = ""
            if n > 0:
                prev = segments[n - 1]
                if seg.start is not None and prev.start is not None and prev.paragraph == seg.paragraph:
                    prefix = prev.target + " "
            findings.extend(self._rule_findings(seg, quotes.get(seg.index, []), bilingual, prefix))
            for c in self.checks:
                if c.needs_source and not bilingual:
                    continue
                try:
                    findings.extend(c.segment(seg, ctx))
                except Exception as e:  # one check's failure must not cost the whole report
                    self._check_failed(c, f"segment {seg.id}", e)
            if progress and n % 200 == 0:
                progress(n)
        return findings

    def check(self, doc: Document | Sequence[Segment], progress: Callable[[int], None] | None = None) -> list[Finding]:
        segments = doc.segments if isinstance(doc, Document) else list(doc)
        source_lang = doc.source_lang if isinstance(doc, Document) else None
        self.warnings: list[str] = []
        self.failures = {}
        ctx = self.context(segments, source_lang)
        quotes = quoted_spans(segments)
        for c in self.checks:
            c.prepare(segments, ctx)
        def document_level() -> list[Finding]:
            out = self._consistency(segments)
            for c in self.checks:
                try:
                    out.extend(c.document(segments, ctx))
                except Exception as e:
                    self._check_failed(c, "the document", e)
            return out

        if self.workers > 1 and len(segments) >= self.PARALLEL_MIN:
            findings = self._parallel(segments, ctx, quotes, progress, meanwhile=document_level)
        else:
            findings = self._segment_findings(segments, 0, len(segments), ctx, quotes, progress)
            findings.extend(document_level())
        self.warnings.extend(_failure_warnings(self.failures))
        if progress:
            progress(len(segments))
        if isinstance(doc, Document) and doc.format in ("xliff", "tmx", "po"):
            from .formats.tags import drop_markup_findings

            findings = drop_markup_findings(segments, findings)  # tags are not words or glosses
        return self.finish(findings, segments)

    def _check_failed(self, check: Check, where: str, error: Exception) -> None:
        """A code check raised (a bug, or an input it was not built for): the other checks' findings
        stand and the failure is counted in ``failures``, which ends the check as one warning per
        check (the CLI prints it and caches nothing); REVIEW_DEBUG=1 lets the exception through to
        show its traceback."""
        if os.environ.get("REVIEW_DEBUG"):
            raise error
        first = f"{where} ({type(error).__name__}: {str(error)[:200]})"
        _add_failures(self.failures, {type(check).__name__: [first, 1]})

    def _parallel(self, segments, ctx, quotes, progress, meanwhile: Callable[[], list[Finding]]) -> list[Finding]:
        """Fork workers that inherit this engine (dictionaries and automata already loaded) and
        check one slice of the segments each, while this process runs ``meanwhile`` (the
        document-level checks); its findings follow the segments' as in a one-process run. Only
        used where fork is safe (the CLI)."""
        import gc
        import multiprocessing as mp

        global _FORK_STATE
        n = len(segments)
        chunks = max(self.workers * 4, 1)
        bounds = [(i * n // chunks, (i + 1) * n // chunks) for i in range(chunks)]
        _FORK_STATE = (self, segments, ctx, quotes)
        try:
            ctxmp = mp.get_context("fork")
            findings: list[Finding] = []
            # Objects alive now are shared with the workers copy-on-write; freezing them keeps the
            # garbage collector from touching (and so copying) every page in every worker.
            gc.freeze()
            with ctxmp.Pool(self.workers) as pool:
                parts = pool.imap(_fork_worker, bounds)  # the workers start now
                mark = len(self.warnings)
                later = meanwhile()
                # (what the document-level checks reported comes after the segments', as in one process)
                later_warnings, later_failures = self.warnings[mark:], self.failures
                del self.warnings[mark:]
                self.failures = {}
                for (part, warnings, failures), (lo, hi) in zip(parts, bounds):
                    findings.extend(part)
                    self.warnings.extend(warnings)  # e.g. a rule that timed out in a worker
                    _add_failures(self.failures, failures)
                    if progress:
                        progress(hi)
            self.warnings.extend(later_warnings)
            _add_failures(self.failures, later_failures)
            return findings + later
        finally:
            _FORK_STATE = None
            gc.unfreeze()

    def check_segment(self, seg: Segment, segments: Sequence[Segment] | None = None) -> list[Finding]:
        """Re-check one (edited) segment in the context of its document (segment-level checks,
        plus document-level findings that land on this segment)."""
        segments = list(segments) if segments is not None else [seg]
        segments = [seg if s.index == seg.index else s for s in segments]
        return [f for f in self.check(segments) if f.segment == seg.index]

    def finish(self, findings: list[Finding], segments: Sequence[Segment]) -> list[Finding]:
        by_index = {s.index: s for s in segments}
        out = []
        for f in findings:
            if not self.enabled(f.rule):
                continue
            sev = self.severity_overrides.get(f.rule)
            if sev is None:
                for k, v in self.severity_overrides.items():
                    if f.rule.startswith(k):
                        sev = v
            if sev is not None:
                f = replace(f, severity=sev)
            seg = by_index.get(f.segment)
            if seg is not None and any(d.covers(f, seg) for d in self.dismissals):
                continue
            out.append(f)
        return dedupe(out) if self.merge_overlaps else sorted(out, key=lambda f: (f.segment, f.start, f.end, f.rule))


def group_findings(seg: Segment, found: list[Finding]) -> Finding:
    """Merge one rule's findings in a segment into one finding over their whole extent whose
    suggestion applies every individual fix (``do n't know , he said`` → ``don't know, he said``)."""
    from .model import apply_suggestion

    start, end = min(f.start for f in found), max(f.end for f in found)
    fixed = seg.target
    for f in sorted(found, key=lambda f: f.start, reverse=True):
        if f.suggestions:
            fixed = apply_suggestion(fixed, f.start, f.end, f.suggestions[0])
    delta = len(fixed) - len(seg.target)
    first = found[0]
    return replace(first, start=start, end=end, text=seg.target[start:end],
                   message=f"{first.message} ({len(found)} places)",
                   suggestions=(fixed[start:end + delta],) if any(f.suggestions for f in found) else ())


_FORK_STATE = None


def _fork_worker(bounds: tuple[int, int]) -> tuple[list[Finding], list[str], dict[str, list]]:
    engine, segments, ctx, quotes = _FORK_STATE
    engine.warnings, engine.failures = [], {}
    found = engine._segment_findings(segments, bounds[0], bounds[1], ctx, quotes)
    return found, engine.warnings, engine.failures


def dedupe(findings: list[Finding]) -> list[Finding]:
    """One finding per span: identical spans keep the most severe (and inherit the suggestions of
    one of the same category: a missing number's finding does not take over the full stop another
    rule proposes for the same target); a finding inside a span that another finding proposes to
    delete is dropped (moot once deleted)."""
    best: dict[tuple, Finding] = {}
    for f in findings:
        k = (f.segment, f.start, f.end)
        cur = best.get(k)
        if cur is None or (f.severity, len(f.suggestions) > 0) > (cur.severity, len(cur.suggestions) > 0):
            if cur is not None and cur.suggestions and not f.suggestions and cur.category == f.category:
                f = replace(f, suggestions=cur.suggestions)
            best[k] = f
    kept = sorted(best.values(), key=lambda f: (f.segment, f.start, f.end, f.rule))
    deletions: dict[int, list[tuple[int, int]]] = {}
    for f in kept:  # (in order of start)
        if f.suggestions and f.suggestions[0] == "" and f.end > f.start:
            deletions.setdefault(f.segment, []).append((f.start, f.end))
    # per segment: the deletions' starts, the farthest end among the first k of them, and the
    # farthest end of those starting at each position: "inside another deletion" is then a
    # bisection, not a comparison with every deletion (a segment with thousands of them)
    tables: dict[int, tuple[list[int], list[int], dict[int, int]]] = {}
    for seg, spans in deletions.items():
        reach, far, at = [], -1, {}
        for a, b in spans:
            far = max(far, b)
            reach.append(far)
            at[a] = max(at.get(a, -1), b)
        tables[seg] = ([a for a, _ in spans], reach, at)
    out = []
    for f in kept:
        table = tables.get(f.segment)
        if table is not None:
            starts, reach, at = table
            i = bisect_left(starts, f.start)  # deletions starting before the finding
            if (i and reach[i - 1] >= f.end) or at.get(f.start, -1) > f.end:
                continue
        out.append(f)
    return out


def _add_failures(into: dict[str, list], more: dict[str, list]) -> None:
    """Merge ``more`` (check name -> [first failure, count]) into ``into``: counts add up, the
    failure seen first stays first."""
    for name, (first, count) in more.items():
        if name in into:
            into[name][1] += count
        else:
            into[name] = [first, count]


def _failure_warnings(failures: dict[str, list]) -> list[str]:
    """One warning per failing check, not one per segment: the first failure, and how many more."""
    out = []
    for name, (first, count) in failures.items():
        more = f" (and in {count - 1} more place{'s' if count > 2 else ''})" if count > 1 else ""
        out.append(f"check {name} failed on {first}; its findings there are missing{more}")
    return out
