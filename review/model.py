"""Core value types: segments, findings, severities, documents.

Everything that crosses a module boundary is one of these frozen dataclasses, so the CLI, the UI,
the store and the exporters all speak the same language.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace


class Severity(enum.IntEnum):
    """MQM severities, ordered so that ``>=`` means "at least as bad as"."""

    NEUTRAL = 0
    MINOR = 1
    MAJOR = 2
    CRITICAL = 3

    @classmethod
    def parse(cls, value: "str | Severity") -> "Severity":
        if isinstance(value, Severity):
            return value
        try:
            return cls[str(value).strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {value!r} (expected one of {names})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


# MQM (Multidimensional Quality Metrics) categories used by the rules. Rule packs must use one of
# these top-level branches; the sub-category after the slash is free text kept for reporting.
MQM_BRANCHES = (
    "Accuracy",
    "Fluency",
    "Terminology",
    "Style",
    "Locale convention",
    "Non-translation",
    "Other",
)


def check_category(category: str) -> str:
    top = category.split("/", 1)[0]
    if top not in MQM_BRANCHES:
        raise ValueError(f"unknown MQM category {category!r} (top level must be one of {', '.join(MQM_BRANCHES)})")
    return category


@dataclass(frozen=True, slots=True)
class Segment:
    """One unit of review: a sentence of plain text, or one row/unit of a bilingual file.

    ``start``/``end`` are character offsets of ``target`` in the decoded input text (plain text
    input only; ``None`` for tabular or XML input). ``line`` is the 1-based line of the segment in
    the input file (for tabular input, the row's line), used for compiler-style output.
    """

    index: int
    id: str
    target: str
    source: str | None = None
    start: int | None = None
    end: int | None = None
    line: int = 1
    column: int = 1
    source_lang: str | None = None
    target_lang: str = "en"
    paragraph: int = 0
    heading: bool = False
    note: str = ""
    state: str = ""

    def with_target(self, text: str) -> "Segment":
        return replace(self, target=text)


@dataclass(frozen=True, slots=True)
class Finding:
    """One flagged span in one segment's target text.

    ``start``/``end`` index ``segment.target``; ``text == target[start:end]``. ``suggestions`` are
    full replacements for that span; ``""`` means delete it.
    """

    rule: str
    segment: int
    start: int
    end: int
    text: str
    category: str
    severity: Severity
    message: str
    suggestions: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "segment": self.segment,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "category": self.category,
            "severity": self.severity.label,
            "message": self.message,
            "suggestions": list(self.suggestions),
        }

    @property
    def key(self) -> tuple:
        """Identity used for dismissals: rule + matched text (not offsets, which move with edits)."""
        return (self.rule, self.text)


@dataclass(slots=True)
class Document:
    """A loaded input: its segments plus what is needed to write it back out."""

    name: str
    segments: list[Segment]
    format: str = "txt"  # txt | tsv | csv | xliff | tmx | po
    text: str = ""  # decoded input for plain text (offsets index this)
    encoding: str = "utf-8"
    source_lang: str | None = None
    target_lang: str = "en"
    meta: dict = field(default_factory=dict)


class InputError(Exception):
    """Bad input the user must fix: reported as one line, exit code 2, never a traceback."""


def apply_suggestion(text: str, start: int, end: int, replacement: str) -> str:
    """Replace ``text[start:end]`` with ``replacement``, tidying the spaces a deletion leaves."""
    if not (0 <= start <= end <= len(text)):
        raise ValueError("span outside text")
    before, after = text[:start], text[end:]
    if replacement == "":
        # Deleting a word: do not leave a double space or a space before punctuation.
        if before.endswith(" ") and (after.startswith(" ") or after[:1] in {".", ",", ";", ":", "!", "?", ""}):
            before = before.rstrip(" ")
            if after[:1] == " " and not before:
                after = after.lstrip(" ")
        elif not before and after.startswith(" "):
            after = after.lstrip(" ")
    return before + replacement + after


def covered_pieces(length: int, spans: list[tuple[int, int]]):
    """Cut ``[0, length)`` at every span's start and end and yield each piece ``(a, b, covering)``:
    the indexes, in the spans' order, of the non-empty spans that cover it. One sweep (every start
    and end is a cut, so a span covers a piece exactly when it started at or before it and has not
    ended), not a test of every span for every piece: thousands of findings in one segment. The
    highlighting of the review page and of the HTML report both draw from it."""
    cuts = sorted({0, length, *(s for s, _ in spans), *(e for _, e in spans)})
    order = sorted((i for i, (s, e) in enumerate(spans) if s < e), key=lambda i: spans[i][0])
    nxt, active = 0, set()
    for a, b in zip(cuts, cuts[1:]):
        while nxt < len(order) and spans[order[nxt]][0] <= a:
            active.add(order[nxt])
            nxt += 1
        active = {i for i in active if spans[i][1] > a} if active else active
        yield a, b, sorted(active)
