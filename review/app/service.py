"""Everything the review UI decides, without Streamlit: opening documents, findings with dismissals
and an incremental re-check cache, editor actions (apply / dismiss / edit / restore / reviewed),
highlighting, filters, dashboard numbers, glossary additions and exports. The Streamlit pages only
draw widgets and call these functions, so this module is tested directly."""

from __future__ import annotations

import os
import re
import tempfile
import threading
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..model import Document, Finding, InputError, Severity, apply_suggestion
from ..scoring import escape_text, segment_score_rows
from ..store import ConflictError, Decision, SegmentRow, Store

REPO_ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = REPO_ROOT / "seeds"
SAMPLE = SEEDS_DIR / "nhk-nato-madrid-2022.ja-en.txt"
PAGE_SIZE = 20
ADDITIONS_FILE = "review-ui-additions.tbx"
UPLOAD_TYPES = ["txt", "text", "md", "tsv", "csv", "xlf", "xliff", "sdlxliff", "tmx", "po"]
SEVERITY_COLOURS = {
    Severity.CRITICAL: "#f5a3a3",
    Severity.MAJOR: "#fbc98e",
    Severity.MINOR: "#fff0a0",
    Severity.NEUTRAL: "#d6e6fb",
}

# One lock for the shared engine: checks run under it, and glossary edits mutate it under it.
ENGINE_LOCK = threading.RLock()


def max_upload_bytes() -> int:
    return int(float(os.environ.get("REVIEW_MAX_UPLOAD_MB", "50")) * 1024 * 1024)


def glossary_dir() -> Path:
    return Path(os.environ.get("REVIEW_GLOSSARY_DIR") or (REPO_ROOT / "glossaries"))


def glossary_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in (".tbx", ".csv", ".tsv") and p.is_file())


def load_engine(folder: Path | None = None):
    """The checking engine with every glossary in ``folder`` (plus the packaged default term base
    when ``folder`` is not the repository's own glossary folder)."""
    from ..engine import Engine
    from ..glossary import Glossary

    folder = Path(folder) if folder else glossary_dir()
    files = glossary_files(folder)
    # The folder is the term base; when it holds nothing but the UI's additions, the shipped
    # default term base is loaded under them.
    use_default = False
    if not [p for p in files if p.name != ADDITIONS_FILE]:
        try:
            Glossary.default()
            use_default = True
        except InputError:
            use_default = False
    files = [str(p) for p in files]
    return Engine.from_options(glossary_paths=files, default_glossary=use_default)


# ------------------------------------------------------------------------------------------------
# Documents
# ------------------------------------------------------------------------------------------------
_PARSED: dict[tuple[str, int], Document] = {}
_PARSED_LOCK = threading.Lock()


def parse_upload(data: bytes, name: str) -> Document:
    """Parse an upload; every problem is an InputError with a message for the user."""
    from ..io import load_bytes

    limit = max_upload_bytes()
    if len(data) > limit:
        raise InputError(f"{name}: file is {len(data) / 1e6:.1f} MB, above the {limit / 1e6:.0f} MB upload limit")
    if not data.strip():
        raise InputError(f"{name}: the file is empty")
    doc = load_bytes(data, name)
    if not doc.segments:
        raise InputError(f"{name}: no text to review was found")
    return doc


def open_upload(store: Store, data: bytes, name: str) -> int:
    """Store an uploaded file (once: the same name and bytes reopen the stored document)."""
    from ..export import safe_filename

    name = safe_filename(name)
    found = store.find_document(name, data)
    if found is not None:
        return found
    return store.add_document(parse_upload(data, name), data)


def open_path(store: Store, path: Path) -> int:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read ({e.strerror or e})") from None
    return open_upload(store, data, path.name)


def default_file() -> Path:
    env = os.environ.get("REVIEW_OPEN_FILE")
    return Path(env) if env else SAMPLE


def seed_files() -> list[Path]:
    if not SEEDS_DIR.is_dir():
        return []
    return sorted(p for p in SEEDS_DIR.iterdir()
                  if p.is_file() and p.suffix.lower().lstrip(".") in UPLOAD_TYPES and p.name != "README.md")


def parsed_document(store: Store, doc_id: int) -> Document:
    """The stored original, parsed (cached: the original bytes never change)."""
    from ..io import load_bytes

    key = (store.url, doc_id)
    with _PARSED_LOCK:
        doc = _PARSED.get(key)
    if doc is None:
        name, data, src, tgt = store.document_original(doc_id)
        doc = load_bytes(data, name, source_lang=src, target_lang=tgt or "en")
        with _PARSED_LOCK:
            _PARSED[key] = doc
    return doc


def current_document(store: Store, doc_id: int, rows: Sequence[SegmentRow] | None = None) -> Document:
    """The document with every segment's current (corrected) target."""
    base = parsed_document(store, doc_id)
    rows = rows if rows is not None else store.segments(doc_id)
    by_idx = {r.index: r.target for r in rows}
    segs = [s.with_target(by_idx.get(s.index, s.target)) for s in base.segments]
    return Document(name=base.name, segments=segs, format=base.format, text=base.text, encoding=base.encoding,
                    source_lang=base.source_lang, target_lang=base.target_lang, meta=dict(base.meta))


# ------------------------------------------------------------------------------------------------
# Findings: computed once per document, re-checked per edited segment
# ------------------------------------------------------------------------------------------------
@dataclass
class FindingsCache:
    doc_id: int | None = None
    glossary_version: object = None
    versions: dict[int, int] = field(default_factory=dict)
    by_segment: dict[int, list[Finding]] = field(default_factory=dict)
    full_runs: int = 0
    segment_runs: int = 0


RECHECK_WINDOW = 3  # neighbours on each side given as context when re-checking a segment of a long doc


def _gversion(engine) -> object:
    return getattr(engine.glossary, "version", None)


def compute_findings(engine, doc_id: int, doc: Document, rows: Sequence[SegmentRow],
                     cache: FindingsCache) -> dict[int, list[Finding]]:
    """All findings of the current document by segment index. The first call checks the whole
    document; later calls re-check only segments whose stored version changed (or everything when
    the glossary changed or many segments changed at once)."""
    versions = {r.index: r.version for r in rows}
    with ENGINE_LOCK:
        gv = _gversion(engine)
        changed = [i for i, v in versions.items() if cache.versions.get(i) != v]
        full = (cache.doc_id != doc_id or cache.glossary_version != gv
                or len(changed) > max(25, len(rows) // 10))
        if full:
            cache.by_segment = {}
            for f in engine.check(doc):
                cache.by_segment.setdefault(f.segment, []).append(f)
            cache.full_runs += 1
        else:
            segs = doc.segments
            for i in changed:
                seg = segs[i]
                if len(segs) > 200:
                    lo, hi = max(0, i - RECHECK_WINDOW), min(len(segs), i + RECHECK_WINDOW + 1)
                    context = segs[lo:hi]
                else:
                    context = segs
                cache.by_segment[i] = list(engine.check_segment(seg, context))
                cache.segment_runs += 1
        cache.versions = versions
        cache.glossary_version = gv
        cache.doc_id = doc_id
    return cache.by_segment


def visible_findings(by_segment: dict[int, list[Finding]], dismissed: set[tuple[int, str, str]],
                     project: set[tuple[str, str]]) -> dict[int, list[Finding]]:
    """Drop findings dismissed in this document (segment, rule, text) or for the whole project."""
    out = {}
    for i, fs in by_segment.items():
        keep = [f for f in fs if (i, f.rule, f.text) not in dismissed and (f.rule, f.text) not in project]
        if keep:
            out[i] = keep
    return out


def finding_from_dict(d: dict) -> Finding:
    return Finding(rule=d["rule"], segment=int(d["segment"]), start=int(d["start"]), end=int(d["end"]),
                   text=d["text"], category=d.get("category", ""), severity=Severity.parse(d.get("severity", "minor")),
                   message=d.get("message", ""), suggestions=tuple(d.get("suggestions") or ()))


# ------------------------------------------------------------------------------------------------
# Editor actions (each is one store transaction)
# ------------------------------------------------------------------------------------------------
class StaleFindingError(Exception):
    """The text under a finding changed since it was shown."""


def apply_finding(store: Store, doc_id: int, finding: Finding, suggestion: str, expected_version: int,
                  editor: str) -> tuple[int, str]:
    """Replace the finding's span by ``suggestion`` in the stored text; saves the revision, the
    'applied' decision and the segment's post-edit scores in one transaction."""
    row = store.segment(doc_id, finding.segment)
    if row.version != expected_version:
        raise ConflictError(doc_id, finding.segment, expected_version, row.version, row.target, row.editor,
                            row.updated_at)
    if row.target[finding.start:finding.end] != finding.text:
        raise StaleFindingError(f"segment {finding.segment + 1} no longer contains {finding.text!r} at that place")
    new_text = apply_suggestion(row.target, finding.start, finding.end, suggestion)
    decision = Decision(index=finding.segment, rule=finding.rule, text=finding.text, start=finding.start,
                        end=finding.end, action="applied", suggestion=suggestion, editor=editor)
    version = store.save_segment(doc_id, finding.segment, new_text, expected_version, editor, action="apply",
                                 decision=decision, segment_scores=segment_score_rows(row.original, new_text))
    return version, new_text


def save_edit(store: Store, doc_id: int, index: int, text: str, expected_version: int, editor: str,
              action: str = "edit") -> int:
    text = text.replace("\r\n", "\n")
    row = store.segment(doc_id, index)
    return store.save_segment(doc_id, index, text, expected_version, editor, action=action,
                              segment_scores=segment_score_rows(row.original, text))


def dismiss_finding(store: Store, doc_id: int, finding: Finding, editor: str) -> None:
    store.record_decision(doc_id, Decision(index=finding.segment, rule=finding.rule, text=finding.text,
                                           start=finding.start, end=finding.end, action="dismissed",
                                           editor=editor), editor)


def never_flag(store: Store, finding: Finding, editor: str) -> None:
    store.add_project_dismissal(finding.rule, finding.text, editor)


# ------------------------------------------------------------------------------------------------
# Rendering helpers (HTML strings; all document text escaped)
# ------------------------------------------------------------------------------------------------
def highlight_html(text: str, findings: Iterable[Finding]) -> str:
    """``text`` as HTML with every flagged span in a <mark> coloured by the worst severity that
    covers it. Every piece of document text goes through :func:`escape_text`."""
    fs = [f for f in findings if 0 <= f.start <= f.end <= len(text)]
    cuts = sorted({0, len(text), *(f.start for f in fs), *(f.end for f in fs)})
    parts = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape_text(text[a:b])
        cover = [f for f in fs if f.start <= a and b <= f.end and f.start < f.end]
        if cover:
            worst = max(cover, key=lambda f: f.severity)
            title = escape_text("; ".join(f"{f.rule}: {f.message}" for f in cover))
            parts.append(f'<mark class="review-flag sev-{worst.severity.label}" title="{title}" '
                         f'style="background:{SEVERITY_COLOURS[worst.severity]};padding:0 2px;border-radius:3px">'
                         f"{piece}</mark>")
        else:
            parts.append(piece)
    return '<div class="review-target" style="font-size:1.05rem;line-height:1.6">' + "".join(parts) + "</div>"


def text_html(text: str, css_class: str = "review-source") -> str:
    return f'<div class="{css_class}" style="color:#555">' + escape_text(text) + "</div>"


def md_escape(text: str) -> str:
    """Text for a Markdown element (st.warning, st.caption ...): specials backslash-escaped."""
    text = text.replace("\n", " ")
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|$~<>:])", r"\\\1", text)


# ------------------------------------------------------------------------------------------------
# Filters and paging
# ------------------------------------------------------------------------------------------------
STATUSES = ("all", "open", "reviewed", "with findings", "edited")


def filter_segments(rows: Sequence[SegmentRow], findings: dict[int, list[Finding]],
                    severities: Sequence[str] = (), categories: Sequence[str] = (), rules: Sequence[str] = (),
                    status: str = "all", search: str = "") -> tuple[list[int], dict[int, list[Finding]]]:
    """Indexes of the segments to show, and the findings to show with each."""
    sev = {s.lower() for s in severities}
    q = search.strip().lower()
    shown: list[int] = []
    fshown: dict[int, list[Finding]] = {}
    finding_filter = bool(sev or categories or rules)
    for r in rows:
        if status == "open" and r.reviewed:
            continue
        if status == "reviewed" and not r.reviewed:
            continue
        if status == "edited" and not r.edited:
            continue
        fs = findings.get(r.index, [])
        if finding_filter:
            fs = [f for f in fs if (not sev or f.severity.label in sev)
                  and (not categories or f.category.split("/", 1)[0] in categories or f.category in categories)
                  and (not rules or f.rule in rules)]
            if not fs:
                continue
        if status == "with findings" and not fs:
            continue
        if q and q not in r.target.lower() and q not in (r.source or "").lower() and q not in r.seg_id.lower():
            continue
        shown.append(r.index)
        fshown[r.index] = fs
    return shown, fshown


def page_count(n: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-n // size))


def page_slice(items: Sequence, page: int, size: int = PAGE_SIZE) -> list:
    page = min(max(1, page), page_count(len(items), size))
    return list(items[(page - 1) * size: page * size])


# ------------------------------------------------------------------------------------------------
# Scores and dashboard
# ------------------------------------------------------------------------------------------------
def document_scores(rows: Sequence[SegmentRow]):
    from ..scoring import score_segments

    return score_segments([r.original for r in rows], [r.target for r in rows])


def dashboard(rows: Sequence[SegmentRow], findings: dict[int, list[Finding]], decisions: Sequence[Decision]) -> dict:
    """Numbers for the dashboard: open findings by category/severity, most frequent rules,
    acceptance per rule (applied vs dismissed), post-edit effort."""
    allf = [f for fs in findings.values() for f in fs]
    by_cat = Counter(f.category.split("/", 1)[0] for f in allf)
    by_sev = Counter(f.severity.label for f in allf)
    by_rule = Counter(f.rule for f in allf)
    acc: dict[str, dict[str, int]] = {}
    for d in decisions:
        a = acc.setdefault(d.rule, {"applied": 0, "dismissed": 0})
        a[d.action] = a.get(d.action, 0) + 1
    acceptance = {rule: {**v, "rate": v["applied"] / (v["applied"] + v["dismissed"])}
                  for rule, v in acc.items() if v["applied"] + v["dismissed"]}
    edited = [r for r in rows if r.edited]
    effort = {}
    if edited:
        from ..scoring import score_pair

        effort = {f"{r.index + 1}": score_pair(r.original, r.target, r.index).hter for r in edited}
    return {
        "segments": len(rows),
        "reviewed": sum(1 for r in rows if r.reviewed),
        "edited": len(edited),
        "open_findings": len(allf),
        "by_category": dict(by_cat.most_common()),
        "by_severity": {s.label: by_sev.get(s.label, 0) for s in sorted(Severity, reverse=True)},
        "top_rules": dict(by_rule.most_common(15)),
        "acceptance": acceptance,
        "effort_hter": effort,
    }


# ------------------------------------------------------------------------------------------------
# Glossary
# ------------------------------------------------------------------------------------------------
def search_terms(glossary, query: str = "", limit: int = 200) -> list[dict]:
    q = query.strip().lower()
    out = []
    for c in glossary.concepts:
        hay = " ".join([c.id, c.note, c.subject, c.kind] + [t.text for t in c.terms]).lower()
        if q and q not in hay:
            continue
        for t in c.terms:
            out.append({"concept": c.id, "term": t.text, "lang": t.lang, "status": t.status, "type": t.type,
                        "note": c.note})
        if len(out) >= limit:
            break
    return out


def _slug(text: str) -> str:
    s = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return s[:40] or "term"


def add_term(engine, store: Store, folder: Path, term: str, lang: str, status: str, replacement: str = "",
             note: str = "", editor: str = "editor"):
    """Add a concept (the term, plus its replacement as the preferred term) to the engine's
    glossary, write the UI's additions to ``folder/review-ui-additions.tbx`` and audit it in the
    store. The engine uses it at once (its glossary version changes, so findings are re-checked)."""
    from ..glossary import STATUSES as GSTATUSES, Concept, Glossary, Term

    term, replacement, lang = term.strip(), replacement.strip(), (lang.strip() or "en")
    if not term:
        raise InputError("the term is empty")
    if status not in GSTATUSES:
        raise InputError(f"unknown status {status!r} (expected one of {', '.join(GSTATUSES)})")
    if status == "deprecated" and not replacement:
        raise InputError("a deprecated term needs a replacement (the term to use instead)")
    terms = [Term(text=term, lang=lang, status=status)]
    if replacement:
        if replacement.lower() == term.lower():
            raise InputError("the replacement is the same as the term")
        terms.append(Term(text=replacement, lang=lang, status="preferred" if status == "deprecated" else "admitted"))
    folder = Path(folder)
    with ENGINE_LOCK:
        g = engine.glossary
        if g is None:
            g = engine.glossary = Glossary([])
        base = f"ui-{_slug(term)}"
        cid, n = base, 1
        while cid in g:
            n += 1
            cid = f"{base}-{n}"
        concept = Concept(id=cid, terms=tuple(terms), note=note.strip(), source=f"review UI ({editor})")
        g.add(concept)
        try:
            save_additions(g, folder)
        except Exception:
            g.remove(cid)
            raise
    store.record_glossary_edit("add", cid, {"terms": [{"text": t.text, "lang": t.lang, "status": t.status}
                                                      for t in terms], "note": note, "file": ADDITIONS_FILE}, editor)
    return concept


def save_additions(glossary, folder: Path) -> Path:
    """Write every concept added in the UI (ids ``ui-…``) to the additions TBX, atomically."""
    from ..glossary import Glossary

    folder.mkdir(parents=True, exist_ok=True)
    add = Glossary([c for c in glossary.concepts if c.id.startswith("ui-")], title="Review UI additions",
                   description=["Terms added in the review UI"])
    path = folder / ADDITIONS_FILE
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    os.close(fd)
    try:
        add.save_tbx(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


# ------------------------------------------------------------------------------------------------
# Exports
# ------------------------------------------------------------------------------------------------
@dataclass
class ExportFile:
    label: str
    name: str
    data: bytes
    mime: str
    key: str


def exports(store: Store, doc_id: int, findings: dict[int, list[Finding]]) -> list[ExportFile]:
    from ..export import bilingual_tsv, corrected_text, report_csv, report_json, safe_filename

    rows = store.segments(doc_id)
    doc = parsed_document(store, doc_id)
    targets = [r.target for r in rows]
    allf = [f for i in sorted(findings) for f in findings[i]]
    decisions = store.decisions(doc_id)
    return [
        ExportFile("Corrected text", safe_filename(doc.name, ".corrected.txt"),
                   corrected_text(doc, targets).encode("utf-8"), "text/plain", "dl-text"),
        ExportFile("Bilingual TSV", safe_filename(doc.name, ".bilingual.tsv"),
                   bilingual_tsv(doc, targets).encode("utf-8"), "text/tab-separated-values", "dl-tsv"),
        ExportFile("Report CSV", safe_filename(doc.name, ".report.csv"),
                   report_csv(doc, allf, decisions).encode("utf-8"), "text/csv", "dl-csv"),
        ExportFile("Report JSON", safe_filename(doc.name, ".report.json"),
                   report_json(doc, allf, decisions, targets).encode("utf-8"), "application/json", "dl-json"),
    ]
