"""Reading inputs: encoding detection, plain text and bilingual TSV/CSV; other formats via
``review.formats``. Every problem becomes an :class:`InputError` with one clear sentence."""

from __future__ import annotations

import bisect
import codecs
import csv
import io
import os
from pathlib import Path

from . import langid
from .model import Document, InputError, Segment
from .segment import segment_text

MAX_BYTES_DEFAULT = 200 * 1024 * 1024

TABULAR = {".tsv": "\t", ".csv": ","}
XML_FORMATS = {".xlf": "xliff", ".xliff": "xliff", ".sdlxliff": "xliff", ".tmx": "tmx", ".po": "po", ".pot": "po"}

_JA_RANGES = ((0x3040, 0x30FF), (0x4E00, 0x9FFF), (0xFF66, 0xFF9F))


def _japanese_share(text: str) -> float:
    if not text:
        return 0.0
    n = sum(1 for ch in text if any(a <= ord(ch) <= b for a, b in _JA_RANGES))
    return n / len(text)


def _looks_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: most ASCII text has a NUL in every other byte."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) / 2
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes, name: str = "input") -> tuple[str, str]:
    """Decode ``data`` → (text, encoding). Handles BOMs, UTF-8/16/32, Shift-JIS/CP932, EUC-JP and
    whatever charset-normalizer recognises. Binary data raises InputError."""
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise InputError(f"{name}: invalid {enc} text at byte {e.start}") from None
    u16 = _looks_utf16(data)
    if u16:
        try:
            return data.decode(u16), u16
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        if "\x00" in text:
            raise InputError(f"{name}: binary data (NUL bytes), not a text file")
        return text, "utf-8"
    if b"\x00" in data:
        raise InputError(f"{name}: binary data (NUL bytes), not a text file")
    # Japanese newsrooms send Shift-JIS (CP932) and EUC-JP; pick the decoding that yields Japanese.
    best: tuple[float, str, str] | None = None
    for enc in ("cp932", "euc_jp"):
        try:
            t = data.decode(enc)
        except UnicodeDecodeError:
            continue
        share = _japanese_share(t)
        if best is None or share > best[0]:
            best = (share, t, enc)
    if best is not None and best[0] > 0.05:
        return best[1], best[2]
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        raise InputError(f"{name}: cannot determine the text encoding (binary or corrupt file?)")
    text = str(match)
    if _control_share(text) > 0.05:
        raise InputError(f"{name}: binary data, not a text file")
    return text, match.encoding


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    return bad / min(len(text), 20000)


class LineIndex:
    """Offset → (line, column) in O(log n)."""

    def __init__(self, text: str):
        self.starts = [0]
        i = 0
        n = len(text)
        while i < n:
            ch = text[i]
            if ch == "\r":
                if i + 1 < n and text[i + 1] == "\n":
                    i += 1
                self.starts.append(i + 1)
            elif ch == "\n":
                self.starts.append(i + 1)
            i += 1

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def document_from_text(text: str, name: str = "input.txt", encoding: str = "utf-8",
                       target_lang: str = "en") -> Document:
    if _control_share(text) > 0.05:
        raise InputError(f"{name}: binary data, not a text file")
    if text.startswith("\ufeff"):
        text = text[1:]
    spans = segment_text(text)
    lines = LineIndex(text)
    segs = []
    counters: dict[int, int] = {}
    for i, sp in enumerate(spans):
        n = counters.get(sp.paragraph, 0) + 1
        counters[sp.paragraph] = n
        line, col = lines(sp.start)
        segs.append(Segment(
            index=i, id=f"p{sp.paragraph + 1}.s{n}", target=text[sp.start:sp.end], start=sp.start,
            end=sp.end, line=line, column=col, target_lang=target_lang, paragraph=sp.paragraph,
            heading=sp.heading,
        ))
    return Document(name=name, segments=segs, format="txt", text=text, encoding=encoding, target_lang=target_lang)


_SOURCE_NAMES = ("source", "src", "source_text", "original")
_TARGET_NAMES = ("target", "tgt", "target_text", "translation", "mt")


def document_from_table(text: str, name: str, delimiter: str, target_lang: str = "en") -> Document:
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip():
        return Document(name=name, segments=[], format="tsv" if delimiter == "\t" else "csv", text="", target_lang=target_lang)
    first_line = text.splitlines()[0] if text else ""
    if delimiter == "," and "\t" in first_line and "," not in first_line:
        delimiter = "\t"
    if len(text) > csv.field_size_limit():
        # a cell may be as long as the file, whose size review.limits caps (the csv module's own
        # limit, 131,072 characters, refused a long segment as "malformed")
        csv.field_size_limit(len(text) + 1)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        header = next(reader)
    except (csv.Error, StopIteration) as e:
        raise InputError(f"{name}: malformed table header ({e})") from None
    cols = [h.strip().lower() for h in header]

    def find(names):
        for n in names:
            if n in cols:
                return cols.index(n)
        return None

    si, ti, ii = find(_SOURCE_NAMES), find(_TARGET_NAMES), find(("id", "segment", "key"))
    if ti is None:
        raise InputError(f"{name}: line 1: the header must name a 'target' column (found: {', '.join(header) or 'nothing'})")
    if si is None:
        raise InputError(f"{name}: line 1: the header must name a 'source' column (found: {', '.join(header)})")
    segs: list[Segment] = []
    seen_ids: set[str] = set()
    line = reader.line_num + 1
    try:
        for row in reader:
            row_line = line
            line = reader.line_num + 1
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) <= max(si, ti):
                raise InputError(f"{name}: line {row_line}: expected at least {max(si, ti) + 1} columns, found {len(row)}")
            sid = row[ii].strip() if ii is not None and ii < len(row) and row[ii].strip() else f"row{row_line}"
            if sid in seen_ids:
                sid = f"{sid}@{row_line}"
            seen_ids.add(sid)
            segs.append(Segment(index=len(segs), id=sid, target=row[ti], source=row[si], line=row_line,
                                column=1, target_lang=target_lang))
    except csv.Error as e:
        raise InputError(f"{name}: line {reader.line_num}: malformed {('TSV' if delimiter == chr(9) else 'CSV')} ({e})") from None
    return Document(name=name, segments=segs, format="tsv" if delimiter == "\t" else "csv", text=text,
                    target_lang=target_lang)


def load_bytes(data: bytes, name: str, source_lang: str | None = None, target_lang: str = "en",
               fmt: str | None = None) -> Document:
    """Build a Document from raw bytes; ``name`` (a file name) decides the format unless ``fmt``."""
    ext = Path(name).suffix.lower()
    fmt = fmt or (XML_FORMATS.get(ext) or ("tsv" if ext == ".tsv" else "csv" if ext == ".csv" else "txt"))
    if fmt in ("xliff", "tmx", "po"):
        try:
            from . import formats
        except ImportError:  # pragma: no cover - formats not installed
            raise InputError(f"{name}: {fmt} input is not supported in this build") from None
        doc = formats.read(data, name, fmt, target_lang=target_lang)
    else:
        text, enc = decode(data, name)
        if fmt in ("tsv", "csv"):
            doc = document_from_table(text, name, "\t" if fmt == "tsv" else ",", target_lang)
        else:
            doc = document_from_text(text, name, enc, target_lang)
        doc.encoding = enc
    return assign_languages(doc, source_lang)


def assign_languages(doc: Document, source_lang: str | None) -> Document:
    """Fill each bilingual segment's ``source_lang`` (given, declared by the file, or detected)."""
    from dataclasses import replace

    source_lang = source_lang or doc.meta.get("source_lang")
    sources = [s.source for s in doc.segments if s.source is not None]
    if not sources:
        doc.source_lang = source_lang
        return doc
    if source_lang:
        langs = [source_lang] * len(doc.segments)
    else:
        detected = iter(langid.detect_document(sources))
        langs = [next(detected) if s.source is not None else None for s in doc.segments]
    doc.segments = [replace(s, source_lang=lang or s.source_lang) for s, lang in zip(doc.segments, langs)]
    if source_lang:
        doc.source_lang = source_lang
    else:
        from collections import Counter

        common = Counter(l for l in langs if l).most_common(1)
        doc.source_lang = common[0][0] if common else None
    return doc


def read_input(path: str | os.PathLike, max_bytes: int | None = None) -> bytes:
    """The bytes of an input file, refused with one clear InputError when missing, unreadable, a
    folder, or bigger than ``max_bytes`` (default: ``REVIEW_MAX_UPLOAD_MB``, else 200 MB)."""
    from . import limits

    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"{p}: is a directory, not a file")
        size = p.stat().st_size
        limits.check_size(size, str(p), limits.max_bytes() if max_bytes is None else max_bytes)
        return p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror or e})") from None


def load_path(path: str | os.PathLike, source_lang: str | None = None, target_lang: str = "en",
              max_bytes: int | None = None, max_segments: int | None = None,
              data: bytes | None = None) -> Document:
    """Read and parse a file. ``max_bytes`` (default: ``REVIEW_MAX_UPLOAD_MB``, else 200 MB) and
    ``max_segments`` (default: ``REVIEW_MAX_SEGMENTS``, else no limit) bound the input; above
    either, an InputError says so (see :mod:`review.limits`). ``data``: the file's bytes, when the
    caller has already read them with :func:`read_input`."""
    from . import limits

    if data is None:
        data = read_input(path, max_bytes)
    doc = load_bytes(data, str(Path(path)), source_lang=source_lang, target_lang=target_lang)
    limits.check_segments(len(doc.segments), str(Path(path)), max_segments, default=None)
    return doc
