"""Industry formats in and out: XLIFF 1.2 and 2.x, TMX, PO — on translate-toolkit's storage classes.

``read(data, name, fmt, target_lang)`` → :class:`~review.model.Document` (format ``xliff``,
``tmx`` or ``po``; one segment per unit, or per plural form in PO). ``doc.meta["bytes"]`` keeps the
original file so that :func:`write` can put corrected targets back *in place*: nothing else in the
file changes except the unit states and the review notes.

XML input is screened with defusedxml before translate-toolkit (lxml) parses it: DOCTYPEs with
entity declarations or external entities are refused; malformed input is an
:class:`~review.model.InputError` naming the file and line.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Iterable

from ..model import Document, Finding, InputError

__all__ = ["read", "write", "write_bytes", "FORMATS", "TagCheck"]

FORMATS = ("xliff", "tmx", "po")


def _module(fmt: str):
    if fmt == "xliff":
        from . import xliff as m
    elif fmt == "tmx":
        from . import tmx as m
    elif fmt == "po":
        from . import po as m
    else:
        raise InputError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    return m


def read(data: bytes, name: str, fmt: str, target_lang: str = "en") -> Document:
    """Parse ``data`` (the bytes of file ``name``) as ``fmt``. Every problem is an InputError."""
    m = _module(fmt)
    try:
        return m.read(data, name, target_lang=target_lang)
    except InputError:
        raise
    except RecursionError:
        raise InputError(f"{name}: {fmt} nesting too deep") from None
    except Exception as e:  # a reader must never leak another exception type
        raise InputError(f"{name}: cannot read {fmt} ({type(e).__name__}: {e})") from None


def note_text(f: Finding, fmt: str) -> str:
    """The note an open finding becomes: ``RULE: message`` (XML formats), ``RULE message`` (PO)."""
    msg = " ".join(f.message.split())
    if f.suggestions:
        sugg = ", ".join("(delete)" if s == "" else repr(s) for s in f.suggestions[:3])
        msg += f" → {sugg}"
    return f"{f.rule} {msg}" if fmt == "po" else f"{f.rule}: {msg}"


def write_bytes(doc: Document, targets: dict[int, str] | None = None, findings: Iterable[Finding] = (),
                state: str | None = "reviewed") -> bytes:
    """The file of ``doc`` with ``targets`` (segment index → corrected target) in place, every
    unit's state set to ``state`` (None: states untouched) and ``findings`` added as notes."""
    if doc.format not in FORMATS or "bytes" not in doc.meta:
        raise InputError(f"{doc.name}: cannot write {doc.format!r} documents back (only {', '.join(FORMATS)} read "
                         "by review.formats)")
    targets = dict(targets or {})
    n = len(doc.segments)
    bad = [i for i in targets if not (0 <= i < n)]
    if bad:
        raise InputError(f"{doc.name}: no segment with index {bad[0]}")
    notes: dict[int, list[str]] = {}
    for f in findings:
        notes.setdefault(f.segment, []).append(note_text(f, doc.format))
    return _module(doc.format).write(doc, targets, notes, state)


def write(doc: Document, targets: dict[int, str] | None, findings: Iterable[Finding],
          path_or_buffer, state: str | None = "reviewed") -> bytes:
    """Write the corrected file to a path or a binary (or text) buffer; returns the bytes."""
    data = write_bytes(doc, targets, findings, state)
    if isinstance(path_or_buffer, (str, os.PathLike)):
        try:
            Path(path_or_buffer).write_bytes(data)
        except OSError as e:
            raise InputError(f"{path_or_buffer}: cannot write ({e.strerror or e})") from None
    elif isinstance(path_or_buffer, io.TextIOBase):
        path_or_buffer.write(data.decode(_py_encoding(doc.encoding)))
    else:
        path_or_buffer.write(data)
    return data


def _py_encoding(enc: str | None) -> str:
    import codecs

    try:
        return codecs.lookup(enc or "utf-8").name
    except LookupError:
        return "utf-8"


def __getattr__(name: str):
    if name == "TagCheck":
        from .tags import TagCheck

        return TagCheck
    raise AttributeError(name)
