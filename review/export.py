"""Exports of a reviewed document: corrected text in the input's layout, bilingual TSV, and a
CSV/JSON report of every finding and decision. Spreadsheet cells that would run as formulas are
neutralised; export file names are sanitised."""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from pathlib import PurePath
from typing import Iterable, Sequence

from .model import Document, Finding

REPORT_SCHEMA = "review.report/1"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """A cell that starts like a spreadsheet formula gets a leading apostrophe (CSV injection)."""
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(_FORMULA_START) else s


def safe_filename(name: str, suffix: str = "", default: str = "document") -> str:
    """A bare file name: no folders, no ``..``, no control or reserved characters; ``suffix``
    (e.g. ``.corrected.txt``) replaces the original extension."""
    base = PurePath(str(name).replace("\\", "/")).name
    base = unicodedata.normalize("NFC", base)
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = re.sub(r'[/\\:*?"<>|]+', "_", base)
    base = re.sub(r"\.{2,}", ".", base).strip(" .")
    if suffix:
        stem = base.rsplit(".", 1)[0] if "." in base else base
        stem = stem.strip(" .")
        base = (stem or default) + suffix
    base = base.strip(" ") or default
    if base.startswith("."):
        base = default + base
    return base[:200]


# ------------------------------------------------------------------------------------------------
def corrected_text(doc: Document, targets: Sequence[str]) -> str:
    """The corrected document. Plain text keeps the input's layout exactly: each segment's span
    in the original text is replaced by its corrected text, right to left, so blank lines,
    headings and spacing between sentences stay as they were. Other formats: one segment a line."""
    if len(targets) != len(doc.segments):
        raise ValueError(f"{len(targets)} corrected segments for {len(doc.segments)} segments")
    if doc.format == "txt" and all(s.start is not None and s.end is not None for s in doc.segments):
        text = doc.text
        for seg, new in sorted(zip(doc.segments, targets), key=lambda p: p[0].start, reverse=True):
            text = text[:seg.start] + new + text[seg.end:]
        return text
    return "".join(t.replace("\n", " ") + "\n" for t in targets)


def _table(rows: Iterable[Sequence], delimiter: str) -> str:
    buf = io.StringIO(newline="")
    # "\r\n" (RFC 4180), not "\n": the writer quotes a field that holds any character of the line
    # terminator, so a bare "\r" inside a cell is quoted too; left bare, a spreadsheet would start a
    # new row there and a following "=..." would run as a formula.
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for i, row in enumerate(rows):
        w.writerow([neutralise(c) if i else ("" if c is None else str(c)) for c in row])
    return buf.getvalue()


def bilingual_tsv(doc: Document, targets: Sequence[str]) -> str:
    """id, source, target (corrected), mt (the original machine translation)."""
    rows: list[Sequence] = [("id", "source", "target", "mt")]
    for seg, new in zip(doc.segments, targets):
        rows.append((seg.id, seg.source or "", new, seg.target))
    return _table(rows, "\t")


REPORT_COLUMNS = ("kind", "segment", "segment_id", "rule", "category", "severity", "text", "start", "end",
                  "message", "suggestions", "action", "suggestion", "editor", "time")


def report_rows(doc: Document, findings: Sequence[Finding], decisions: Sequence = ()) -> list[dict]:
    """One row per open finding and one per decision (applied / dismissed)."""
    ids = {s.index: s.id for s in doc.segments}
    rows = []
    for f in findings:
        rows.append(dict(kind="finding", segment=f.segment + 1, segment_id=ids.get(f.segment, ""), rule=f.rule,
                         category=f.category, severity=f.severity.label, text=f.text, start=f.start, end=f.end,
                         message=f.message, suggestions=list(f.suggestions), action="open", suggestion=None,
                         editor=None, time=None))
    for d in decisions:
        rows.append(dict(kind="decision", segment=d.index + 1, segment_id=ids.get(d.index, ""), rule=d.rule,
                         category=None, severity=None, text=d.text, start=d.start, end=d.end, message=None,
                         suggestions=[], action=d.action, suggestion=d.suggestion, editor=d.editor,
                         time=d.time.isoformat() if getattr(d, "time", None) else None))
    return rows


def report_csv(doc: Document, findings: Sequence[Finding], decisions: Sequence = ()) -> str:
    rows: list[Sequence] = [REPORT_COLUMNS]
    for r in report_rows(doc, findings, decisions):
        r = dict(r, suggestions=" | ".join("(delete)" if s == "" else s for s in r["suggestions"]))
        rows.append([r[c] for c in REPORT_COLUMNS])
    return _table(rows, ",")


def report_json(doc: Document, findings: Sequence[Finding], decisions: Sequence = (),
                targets: Sequence[str] | None = None) -> str:
    payload = {
        "schema": REPORT_SCHEMA,
        "file": doc.name,
        "segments": len(doc.segments),
        "edited": sum(1 for s, t in zip(doc.segments, targets or ()) if s.target != t),
        "findings": [r for r in report_rows(doc, findings, ()) ],
        "decisions": [r for r in report_rows(doc, (), decisions)],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
