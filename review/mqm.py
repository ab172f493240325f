"""MQM scorecards: penalty points per segment and per document, normalised per 1,000 words.

Scoring model (MQM-Core style, documented here because the numbers are a policy, not a fact):

* Every finding has an MQM category (``Accuracy/Mistranslation`` …) and a severity. Its penalty is
  the weight of its severity: **neutral 0, minor 1, major 5, critical 25**. A *minor* finding
  whose category starts with ``Fluency/Punctuation`` weighs **0.1** (a missing full stop is not a
  wrong word).
* ``penalty`` = sum of weights; ``words`` = source words of the segments that have a source, target
  words of those that do not (see :func:`count_words`: one word per space-separated token; in
  Chinese/Japanese/Thai text, where words are not separated, ``cjk_chars_per_word`` characters —
  default 2 — count as one word).
* ``score`` = ``penalty / words * 1000`` — penalty points per 1,000 words (lower is better).
* ``passed`` = ``score <= threshold``; the default **threshold is 25 points per 1,000 words**, i.e.
  one critical error, five major ones or 25 minor ones per 1,000 words: the "publishable after light
  post-editing" bar most MQM profiles use for news. ``quality`` = ``100 - score / 10`` (percent,
  floored at 0), MQM's familiar "quality score".

Everything is configurable with a profile mapping ``{"weights": {...}, "threshold": N,
"cjk_chars_per_word": K}`` (``weights`` keys: ``neutral``, ``minor``, ``major``, ``critical``,
``minor_punctuation``), or a YAML file with those keys (:func:`load_profile`).

Human decisions count (:func:`scorecard` ``decisions=``): a dismissed finding scores nothing; an
applied one scores as flagged; an error the editor added (a mapping with ``category``,
``severity`` and ``segment``) scores like a finding.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import regex

from .model import Document, Finding, InputError, Segment, Severity, check_category

__all__ = [
    "DEFAULT_WEIGHTS",
    "DEFAULT_THRESHOLD",
    "ScoringProfile",
    "Scorecard",
    "SegmentScore",
    "ScoredError",
    "load_profile",
    "count_words",
    "scorecard",
    "finding_weight",
]

DEFAULT_WEIGHTS: dict[str, float] = {
    "neutral": 0.0,
    "minor": 1.0,
    "major": 5.0,
    "critical": 25.0,
    "minor_punctuation": 0.1,
}
DEFAULT_THRESHOLD = 25.0  # penalty points per 1,000 words
DEFAULT_CJK_CHARS_PER_WORD = 2.0
PUNCTUATION_PREFIX = "Fluency/Punctuation"

_WORD_RE = regex.compile(r"[\p{L}\p{M}\p{N}]+(?:['’\-.][\p{L}\p{M}\p{N}]+)*")
_CJK_RE = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}ー々]")
_TAG_RE = regex.compile(r"<[^<>]{1,200}>")


@dataclass(frozen=True)
class ScoringProfile:
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    threshold: float = DEFAULT_THRESHOLD
    cjk_chars_per_word: float = DEFAULT_CJK_CHARS_PER_WORD

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any] | None, where: str = "profile") -> "ScoringProfile":
        raw = dict(raw or {})
        unknown = set(raw) - {"weights", "threshold", "cjk_chars_per_word"}
        if unknown:
            raise InputError(f"{where}: unknown field(s) {', '.join(sorted(unknown))} "
                             "(expected weights, threshold, cjk_chars_per_word)")
        weights = dict(DEFAULT_WEIGHTS)
        w = raw.get("weights") or {}
        if not isinstance(w, Mapping):
            raise InputError(f"{where}: field 'weights' must be a mapping of severity → points")
        for k, v in w.items():
            key = str(k).strip().lower().replace(" ", "_").replace("-", "_")
            if key not in DEFAULT_WEIGHTS:
                raise InputError(f"{where}: weights: unknown key {k!r} (expected {', '.join(DEFAULT_WEIGHTS)})")
            weights[key] = _number(v, f"{where}: weights.{k}")
        threshold = _number(raw.get("threshold", DEFAULT_THRESHOLD), f"{where}: threshold")
        cjk = _number(raw.get("cjk_chars_per_word", DEFAULT_CJK_CHARS_PER_WORD), f"{where}: cjk_chars_per_word")
        if cjk <= 0:
            raise InputError(f"{where}: cjk_chars_per_word must be above 0")
        return cls(weights=weights, threshold=threshold, cjk_chars_per_word=cjk)

    def to_dict(self) -> dict:
        return {"weights": dict(self.weights), "threshold": self.threshold,
                "cjk_chars_per_word": self.cjk_chars_per_word}


def _number(v, where: str) -> float:
    if isinstance(v, bool):
        raise InputError(f"{where}: expected a number, got {v!r}")
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise InputError(f"{where}: expected a number, got {v!r}") from None
    if not math.isfinite(x) or x < 0:
        raise InputError(f"{where}: expected a finite number ≥ 0, got {v!r}")
    return x


def load_profile(path: str | Path) -> ScoringProfile:
    """A scoring profile from YAML (``weights``, ``threshold``, ``cjk_chars_per_word``); a file that
    also holds other settings may nest them under ``mqm:``."""
    import yaml

    p = Path(path)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{p}: no such scoring profile") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{p}: cannot read scoring profile ({e})") from None
    except yaml.YAMLError as e:
        raise InputError(f"{p}: invalid YAML ({str(e).splitlines()[0]})") from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise InputError(f"{p}: a scoring profile is a mapping (weights, threshold)")
    if "mqm" in raw and isinstance(raw["mqm"], dict):
        raw = raw["mqm"]
    return ScoringProfile.from_dict(raw, str(p))


def count_words(text: str | None, cjk_chars_per_word: float = DEFAULT_CJK_CHARS_PER_WORD) -> float:
    """Words of ``text``: space-separated tokens, plus CJK/Thai characters / ``cjk_chars_per_word``.
    Inline tags (``<x id="1"/>``) are not words."""
    if not text:
        return 0.0
    text = _TAG_RE.sub(" ", text)
    cjk = len(_CJK_RE.findall(text))
    rest = _CJK_RE.sub(" ", text)
    return len(_WORD_RE.findall(rest)) + cjk / cjk_chars_per_word


def finding_weight(category: str, severity: Severity | str, profile: ScoringProfile | None = None) -> float:
    profile = profile or ScoringProfile()
    sev = Severity.parse(severity)
    if sev == Severity.MINOR and category.startswith(PUNCTUATION_PREFIX):
        return float(profile.weights["minor_punctuation"])
    return float(profile.weights[sev.label])


@dataclass(frozen=True)
class ScoredError:
    """One error that counts: a finding the tool raised or one an editor added."""

    segment: int
    category: str
    severity: Severity
    weight: float
    rule: str = ""
    text: str = ""
    message: str = ""
    origin: str = "tool"  # tool | editor


@dataclass
class SegmentScore:
    index: int
    id: str
    words: float
    penalty: float
    errors: list[ScoredError]

    @property
    def score(self) -> float:
        return self.penalty / self.words * 1000 if self.words else (0.0 if not self.penalty else math.inf)


@dataclass
class Scorecard:
    profile: ScoringProfile
    words: float
    penalty: float
    segments: list[SegmentScore]
    basis: str  # source | target | mixed
    dismissed: int = 0

    @property
    def errors(self) -> list[ScoredError]:
        return [e for s in self.segments for e in s.errors]

    @property
    def score(self) -> float:
        """Penalty points per 1,000 words."""
        if not self.words:
            return 0.0 if not self.penalty else math.inf
        return self.penalty / self.words * 1000

    @property
    def quality(self) -> float:
        return max(0.0, 100.0 - self.score / 10) if math.isfinite(self.score) else 0.0

    @property
    def passed(self) -> bool:
        return self.score <= self.profile.threshold

    def by_severity(self) -> dict[str, int]:
        c = Counter(e.severity.label for e in self.errors)
        return {s.label: c.get(s.label, 0) for s in sorted(Severity, reverse=True)}

    def penalty_by_severity(self) -> dict[str, float]:
        out = {s.label: 0.0 for s in sorted(Severity, reverse=True)}
        for e in self.errors:
            out[e.severity.label] += e.weight
        return out

    def by_category(self, level: int = 1) -> dict[str, int]:
        """Error counts per MQM branch (``level=1``) or full category (``level=2``), most first."""
        c = Counter("/".join(e.category.split("/")[:level]) for e in self.errors)
        return dict(sorted(c.items(), key=lambda kv: (-kv[1], kv[0])))

    def penalty_by_category(self, level: int = 1) -> dict[str, float]:
        out: dict[str, float] = {}
        for e in self.errors:
            k = "/".join(e.category.split("/")[:level])
            out[k] = out.get(k, 0.0) + e.weight
        return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))

    def to_json(self) -> dict:
        return {
            "schema": "review.mqm/1",
            "profile": self.profile.to_dict(),
            "basis": self.basis,
            "words": round(self.words, 2),
            "penalty": round(self.penalty, 4),
            "score": round(self.score, 4) if math.isfinite(self.score) else None,
            "quality": round(self.quality, 2),
            "threshold": self.profile.threshold,
            "passed": self.passed,
            "errors": len(self.errors),
            "dismissed": self.dismissed,
            "by_severity": self.by_severity(),
            "by_category": self.by_category(),
            "segments": [
                {"index": s.index, "id": s.id, "words": round(s.words, 2), "penalty": round(s.penalty, 4),
                 "errors": len(s.errors)}
                for s in self.segments
            ],
        }


# ------------------------------------------------------------------------------------------------
def _get(d, *names, default=None):
    for n in names:
        if isinstance(d, Mapping):
            if n in d:
                return d[n]
        elif hasattr(d, n):
            return getattr(d, n)
    return default


def _decisions(decisions, n_segments: int):
    """→ (dismissal keys, editor-added errors as dicts). Accepts mappings and store.Decision objects."""
    dismiss: list[tuple[int, str, str | None, int | None]] = []
    added: list[dict] = []
    for k, d in enumerate(decisions or ()):
        where = f"decision {k + 1}"
        action = str(_get(d, "action", default="") or "").strip().lower()
        if action in ("dismiss", "dismissed", "reject", "rejected"):
            seg = _get(d, "segment", "index")
            rule = _get(d, "rule")
            if seg is None or rule is None:
                raise InputError(f"{where}: a dismissal needs 'segment' and 'rule'")
            dismiss.append((int(seg), str(rule), _get(d, "text"), _get(d, "start")))
        elif action in ("add", "added", "error") or (not action and _get(d, "category") is not None):
            cat = _get(d, "category")
            sev = _get(d, "severity")
            seg = _get(d, "segment", "index")
            if not cat:
                raise InputError(f"{where}: an added error needs a 'category'")
            try:
                check_category(str(cat))
            except ValueError as e:
                raise InputError(f"{where}: category: {e}") from None
            try:
                sev = Severity.parse(sev)
            except ValueError as e:
                raise InputError(f"{where}: severity: {e}") from None
            if seg is None or not (0 <= int(seg) < n_segments):
                raise InputError(f"{where}: segment: {seg!r} is not a segment index of the document")
            added.append({"segment": int(seg), "category": str(cat), "severity": sev,
                          "text": str(_get(d, "text", default="") or ""),
                          "message": str(_get(d, "note", "message", default="") or "")})
        elif action in ("apply", "applied", "accept", "accepted", "keep", ""):
            continue
        else:
            raise InputError(f"{where}: action: unknown action {action!r} (expected dismissed, applied or add)")
    return dismiss, added


def _dismissed(f: Finding, keys) -> bool:
    for seg, rule, text, start in keys:
        if seg == f.segment and rule == f.rule and (text is None or text == f.text) \
                and (start is None or start == f.start):
            return True
    return False


def scorecard(doc: Document | Sequence[Segment], findings: Iterable[Finding], decisions: Iterable = (),
              profile: ScoringProfile | Mapping | None = None) -> Scorecard:
    """The MQM scorecard of ``doc`` given the tool's ``findings`` and the editors' ``decisions``."""
    if profile is None:
        profile = ScoringProfile()
    elif not isinstance(profile, ScoringProfile):
        profile = ScoringProfile.from_dict(profile)
    segments = doc.segments if isinstance(doc, Document) else list(doc)
    dismiss, added = _decisions(decisions, len(segments))
    per: dict[int, list[ScoredError]] = {s.index: [] for s in segments}
    n_dismissed = 0
    for f in findings:
        if dismiss and _dismissed(f, dismiss):
            n_dismissed += 1
            continue
        if f.segment not in per:
            continue
        per[f.segment].append(ScoredError(f.segment, f.category, f.severity,
                                          finding_weight(f.category, f.severity, profile),
                                          f.rule, f.text, f.message, "tool"))
    for a in added:
        idx = segments[a["segment"]].index
        per[idx].append(ScoredError(idx, a["category"], a["severity"],
                                    finding_weight(a["category"], a["severity"], profile),
                                    "EDITOR", a["text"], a["message"], "editor"))
    seg_scores = []
    bases = set()
    for s in segments:
        if s.source is not None and s.source.strip():
            words, basis = count_words(s.source, profile.cjk_chars_per_word), "source"
        else:
            words, basis = count_words(s.target, profile.cjk_chars_per_word), "target"
        bases.add(basis)
        errs = per.get(s.index, [])
        seg_scores.append(SegmentScore(s.index, s.id, words, sum(e.weight for e in errs), errs))
    basis = bases.pop() if len(bases) == 1 else ("mixed" if bases else "target")
    return Scorecard(profile=profile, words=sum(s.words for s in seg_scores),
                     penalty=sum(s.penalty for s in seg_scores), segments=seg_scores, basis=basis,
                     dismissed=n_dismissed)


def format_scorecard(card: Scorecard) -> str:
    """A plain-text scorecard (for the terminal)."""
    lines = [
        f"MQM scorecard ({card.basis} words: {card.words:g})",
        f"  penalty  {card.penalty:g} points",
        f"  score    {card.score:.2f} per 1,000 words (threshold {card.profile.threshold:g}) "
        f"→ {'PASS' if card.passed else 'FAIL'}",
        f"  quality  {card.quality:.1f}%",
    ]
    for sev, n in card.by_severity().items():
        lines.append(f"  {sev:<9}{n}")
    for cat, n in card.by_category().items():
        lines.append(f"  {cat:<20}{n}")
    return "\n".join(lines)

