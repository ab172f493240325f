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
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from ..model import Document, Finding, InputError, Severity, apply_suggestion, covered_pieces
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


def glossary_signature(folder: Path) -> tuple:
    """The state of the glossary files in ``folder``: name, size and modification time of each.
    It changes when anyone writes them (this server or another one sharing the folder), so that
    the UI can build its engine again instead of keeping a stale glossary until a restart."""
    out = []
    for p in glossary_files(Path(folder)):
        try:
            st = p.stat()
            out.append((p.name, st.st_size, st.st_mtime_ns))
        except OSError:  # (deleted meanwhile)
            out.append((p.name, -1, -1))
    return tuple(out)


def load_engine(folder: Path | None = None):
    """The checking engine with every glossary in ``folder`` (plus the packaged default term base
    when ``folder`` is not the repository's own glossary folder)."""
    from ..engine import Engine
    from ..glossary import Glossary

    folder = Path(folder) if folder else glossary_dir()
    files = term_base_files(folder)
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


_EDITED: dict[tuple[str, int], dict[int, object]] = {}  # (store, doc) -> {index: segment with its edited target}


def current_document(store: Store, doc_id: int, rows: Sequence[SegmentRow] | None = None) -> Document:
    """The document with every segment's current (corrected) target. Unedited segments are the
    parsed original's objects and edited ones are kept from the last call while their text is
    the same, so a rerun of a long document does not rebuild every segment."""
    base = parsed_document(store, doc_id)
    rows = rows if rows is not None else store.segments(doc_id)
    by_idx = {r.index: r.target for r in rows}
    with _PARSED_LOCK:
        edited = _EDITED.setdefault((store.url, doc_id), {})
    segs = []
    for s in base.segments:
        t = by_idx.get(s.index, s.target)
        if t == s.target:
            segs.append(s)
            continue
        e = edited.get(s.index)
        if e is None or e.target != t:
            e = edited[s.index] = s.with_target(t)
        segs.append(e)
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
    warnings: list[str] = field(default_factory=list)  # checks that failed (their findings are missing)


RECHECK_WINDOW = 3  # neighbours on each side given as context when re-checking a segment of a long doc


def _gversion(engine) -> object:
    """Which glossary, in which state, the engine checks with: another engine (built after another
    server changed the glossary files) or an edit gives another value."""
    g = engine.glossary
    return getattr(g, "uid", id(g)), getattr(g, "version", None)


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
            cache.warnings = list(engine.warnings)
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
                cache.warnings += [w for w in engine.warnings if w not in cache.warnings]
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


class UnsavedTypingError(StaleFindingError):
    """The editor's unsaved text no longer holds the finding's span where it can be found safely."""


def locate_span(text: str, finding: Finding, saved: str) -> int | None:
    """Where the finding's span is in ``text`` (an edited copy of ``saved``, the text the finding
    was computed on): at the same offsets, or else at the same occurrence of the finding's text
    (the k-th of n) when ``text`` holds exactly as many occurrences as ``saved``. None when it
    cannot be told safely."""
    n = len(finding.text)
    if text[finding.start:finding.end] == finding.text:
        return finding.start
    if not finding.text:
        return None

    def starts(s: str) -> list[int]:
        out, k = [], s.find(finding.text)
        while k >= 0:
            out.append(k)
            k = s.find(finding.text, k + 1)
        return out

    before, now = starts(saved), starts(text)
    if finding.start not in before or len(before) != len(now):
        return None
    start = now[before.index(finding.start)]
    return start if text[start:start + n] == finding.text else None


def apply_finding(store: Store, doc_id: int, finding: Finding, suggestion: str, expected_version: int,
                  editor: str, text: str | None = None) -> tuple[int, str]:
    """Replace the finding's span by ``suggestion`` and save; one transaction saves the revision,
    the 'applied' decision and the segment's post-edit scores. The span is replaced in the stored
    text, or in ``text`` when given: the editor's unsaved typing (based on ``expected_version``),
    which is then saved with the suggestion applied; when the span cannot be found in it,
    :class:`UnsavedTypingError` is raised and nothing is saved."""
    row = store.segment(doc_id, finding.segment)
    if row.version != expected_version:
        raise ConflictError(doc_id, finding.segment, expected_version, row.version, row.target, row.editor,
                            row.updated_at)
    if row.target[finding.start:finding.end] != finding.text:
        raise StaleFindingError(f"segment {finding.segment + 1} no longer contains {finding.text!r} at that place")
    base, start = row.target, finding.start
    if text is not None:
        text = text.replace("\r\n", "\n")
        if text != row.target:
            found = locate_span(text, finding, row.target)
            if found is None:
                raise UnsavedTypingError(f"your unsaved text of segment {finding.segment + 1} no longer contains "
                                         f"{finding.text!r} where it was found")
            base, start = text, found
    end = start + len(finding.text)
    new_text = apply_suggestion(base, start, end, suggestion)
    decision = Decision(index=finding.segment, rule=finding.rule, text=finding.text, start=start,
                        end=end, action="applied", suggestion=suggestion, editor=editor)
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
    parts = []
    for a, b, covering in covered_pieces(len(text), [(f.start, f.end) for f in fs]):
        piece = escape_text(text[a:b])
        cover = [fs[i] for i in covering]
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
_PAIR_STATS: dict[tuple[str, str, str], list] = {}
_PAIR_STATS_MAX = 200_000
_SCORE_LOCK = threading.Lock()


def _identical_stats(name: str, metric, text: str):
    """sacrebleu's sufficient statistics of a segment left as the MT produced it (hypothesis ==
    reference), without its edit-distance and n-gram searches; None where there is no shortcut."""
    if name == "HTER":
        return [0, float(len(metric._preprocess_segment(text).split()))]
    if name == "chrF" and getattr(metric, "word_order", 1) == 0:
        sent = metric._preprocess_segment(text)
        if not metric.whitespace:
            sent = "".join(sent.split())
        out = []
        for n in range(1, metric.char_order + 1):
            c = max(0, len(sent) - n + 1)
            out += [c, c, c]
        return out
    return None


def _pair_stats(name: str, metric, mt: str, post: str) -> list:
    key = (name, mt, post)
    st = _PAIR_STATS.get(key)
    if st is None:
        st = _identical_stats(name, metric, post) if mt == post else None
        if st is None:
            st = list(metric._extract_corpus_statistics([mt], [[post]])[0])
        if len(_PAIR_STATS) >= _PAIR_STATS_MAX:
            _PAIR_STATS.clear()
        _PAIR_STATS[key] = st
    return st


def corpus_scores(mt: Sequence[str], post: Sequence[str]) -> dict[str, float]:
    """Corpus HTER, chrF and BLEU of ``mt`` against ``post``, equal to sacrebleu's
    ``corpus_score`` (as :func:`review.scoring.score_segments` computes them) but from per-segment
    sufficient statistics that are cached by text: after one edit of a long document only that
    segment's statistics are computed again."""
    from ..scoring import _metrics

    if not mt or all(a == b for a, b in zip(mt, post)) and not any(a.strip() for a in mt):
        return {"HTER": 0.0, "chrF": 100.0, "BLEU": 100.0}
    m = _metrics()
    out = {}
    with _SCORE_LOCK:  # the metric objects are shared and cache references internally
        for name, key in (("HTER", "HTER"), ("chrF", "chrF"), ("BLEU", "BLEU-corpus")):
            metric = m[key]
            stats = [_pair_stats(key, metric, a, b) for a, b in zip(mt, post)]
            out[name] = float(metric._aggregate_and_compute(stats).score)
    return out


def document_scores(rows: Sequence[SegmentRow]):
    """The document's post-edit scores: corpus HTER/chrF/BLEU over every segment (see
    :func:`corpus_scores`) and sentence scores of the edited segments only (the unedited ones
    score 0/100/100 by definition)."""
    from ..scoring import ScoreReport, score_pair, signature

    corpus = corpus_scores([r.original for r in rows], [r.target for r in rows])
    segs = [score_pair(r.original, r.target, r.index) for r in rows if r.edited]
    sigs = {k: signature(k) for k in ("HTER", "chrF", "BLEU", "BLEU-corpus")}
    return ScoreReport(segments=segs, corpus=corpus, signatures=sigs)


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


def matching_concepts(glossary, query: str = "", limit: int = 300) -> list:
    """Concepts whose id, note, subject, kind or any term contains ``query`` (case-insensitive)."""
    q = query.strip().lower()
    out = []
    for c in (glossary.concepts if glossary is not None else ()):
        if q and q not in " ".join([c.id, c.note, c.subject, c.kind] + [t.text for t in c.terms]).lower():
            continue
        out.append(c)
        if len(out) >= limit:
            break
    return out


def concept_label(c) -> str:
    en = c.preferred("en") or (c.terms[0] if c.terms else None)
    return f"{c.id} — {en.text}" if en else c.id


def glossary_prefill(findings: Sequence[Finding]) -> tuple[str, str]:
    """(phrase, replacement) to prefill "Add to glossary" of a segment: the first finding that the
    glossary does not already make (rules not ``TERM-``) with a suggestion, else the first finding."""
    if not findings:
        return "", ""
    pick = next((f for f in findings if not f.rule.startswith("TERM-") and f.suggestions and f.text), None)
    pick = pick or next((f for f in findings if not f.rule.startswith("TERM-") and f.text), findings[0])
    return pick.text, (pick.suggestions[0] if pick.suggestions else "")


def _slug(text: str) -> str:
    s = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return s[:40] or "term"


def term_base_files(folder: Path) -> list[Path]:
    """The glossary files the engine loads from ``folder``, in load order (a concept in a later
    file replaces the concept with the same id from an earlier one): every TBX, every CSV/TSV that
    is not the companion export of a TBX with the same name (``x.csv`` next to ``x.tbx``), and the
    UI's additions file last, so its overriding concepts win."""
    files = glossary_files(Path(folder))
    tbx = {p.stem for p in files if p.suffix.lower() == ".tbx"}
    files = [p for p in files if p.suffix.lower() == ".tbx" or p.stem not in tbx]
    return sorted(files, key=lambda p: (p.name == ADDITIONS_FILE, p.name))


def concept_payload(c) -> dict:
    """A concept as JSON (the glossary audit's payload)."""
    return {"id": c.id, "terms": [{"text": t.text, "lang": t.lang, "status": t.status, "type": t.type}
                                  for t in c.terms],
            "note": c.note, "source": c.source, "subject": c.subject, "kind": c.kind}


def _atomic_write(path: Path, write) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_glossary_file(glossary, path: Path, also_csv: bool = False) -> list[Path]:
    """Write ``glossary`` to ``path`` in the format its name says (atomically); with ``also_csv``
    a TBX also gets its CSV companion (same name, ``.csv``). Returns the files written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".tbx":
        _atomic_write(path, glossary.save_tbx)
        written = [path]
        if also_csv:
            csv_path = path.with_suffix(".csv")
            _atomic_write(csv_path, glossary.save_csv)
            written.append(csv_path)
        return written
    _atomic_write(path, glossary.save_csv)
    return [path]


LOCK_FILE = ".review-glossary.lock"


@contextmanager
def folder_lock(folder: Path):
    """Hold an exclusive lock on the glossary folder across processes: two review servers (or a
    server and a script) on one folder write their glossary changes one after the other, each
    re-reading the files under the lock, so neither overwrites the other's concepts. POSIX
    ``flock`` on ``folder/.review-glossary.lock``; where that is not available (another OS, a
    read-only folder, whose write then fails with its own message) only the in-process lock
    holds."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        fd = os.open(Path(folder) / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _folder_glossaries(folder: Path) -> list[tuple[Path, Glossary]]:
    """The glossary files of ``folder`` as they are on disk now (another server may have changed
    them), loaded, in load order."""
    from ..glossary import Glossary

    return [(p, Glossary.load_file(p)) for p in term_base_files(Path(folder))]


def _write_change(folder: Path, concept_id: str, new, also_csv: bool,
                  loaded: list[tuple[Path, Glossary]] | None = None) -> list[Path]:
    """Write one concept's change to the glossary folder: ``new`` replaces the concept in the file
    whose version of it the engine uses (or goes to the UI additions file when no file has it);
    ``new=None`` removes it from every file that has it. ``loaded``: the folder's files as
    _folder_glossaries just read them (read here when not given). Returns the files written."""
    from ..glossary import Glossary

    folder = Path(folder)
    if loaded is None:
        loaded = _folder_glossaries(folder)
    holders = [(p, g) for p, g in loaded if concept_id in g]
    written: list[Path] = []
    if new is None:
        for p, g in holders:
            g.remove(concept_id)
            written += write_glossary_file(g, p, also_csv)
        return written
    if holders:
        p, g = holders[-1]
    else:
        p = folder / ADDITIONS_FILE
        g = (Glossary.load_file(p) if p.is_file()
             else Glossary([], title="Review UI additions", description=["Terms added or changed in the review UI"]))
    g.upsert(new)
    return write_glossary_file(g, p, also_csv)


def _rel(paths: Iterable[Path], folder: Path) -> list[str]:
    out = []
    for p in paths:
        try:
            out.append(str(Path(p).relative_to(folder)))
        except ValueError:
            out.append(str(p))
    return out


def _terms_from(items, default_lang: str = "en") -> list:
    """Terms from dicts (``text``, ``lang``, ``status``, optional ``type``/``case_sensitive``) or Terms,
    validated: at least one term, no empty or repeated term, and every language with a deprecated
    term also has a preferred or admitted one (the replacement to suggest)."""
    from ..glossary import STATUSES as GSTATUSES, Term, new_term

    terms, seen = [], set()
    for it in items:
        if isinstance(it, Term):
            terms.append(it)
            continue
        text = (it.get("text") or "").strip()
        if not text:
            continue
        lang = (it.get("lang") or default_lang).strip() or default_lang
        status = it.get("status") or "admitted"
        if status not in GSTATUSES:
            raise InputError(f"unknown status {status!r} (expected one of {', '.join(GSTATUSES)})")
        terms.append(new_term(text=text, lang=lang, status=status, type=it.get("type") or "",
                              case_sensitive=it.get("case_sensitive")))
    if not terms:
        raise InputError("a concept needs at least one term (delete the concept instead)")
    for t in terms:
        k = (t.text.lower(), t.lang)
        if k in seen:
            raise InputError(f"the term {t.text!r} ({t.lang}) is listed twice")
        seen.add(k)
    for lang in {t.lang for t in terms}:
        in_lang = [t for t in terms if t.lang == lang]
        if any(t.status == "deprecated" for t in in_lang) and all(t.status == "deprecated" for t in in_lang):
            raise InputError(f"a deprecated term needs a preferred or admitted term in the same language "
                             f"({lang}) to suggest instead")
    return terms


def add_term(engine, store: Store, folder: Path, term: str, lang: str, status: str, replacement: str = "",
             note: str = "", editor: str = "editor", also_csv: bool = False):
    """Add a concept (the term, plus its replacement as the preferred term) to the engine's
    glossary, write it to ``folder/review-ui-additions.tbx`` (and its CSV companion with
    ``also_csv``) and audit it in the store. The engine uses it at once (its glossary version
    changes, so findings are re-checked)."""
    from ..auth import check_writable

    check_writable(engine)  # a read-only reviewer is refused before any file is written
    from ..glossary import STATUSES as GSTATUSES, Concept, Glossary, new_term

    term, replacement, lang = term.strip(), replacement.strip(), (lang.strip() or "en")
    if not term:
        raise InputError("the term is empty")
    if status not in GSTATUSES:
        raise InputError(f"unknown status {status!r} (expected one of {', '.join(GSTATUSES)})")
    if status == "deprecated" and not replacement:
        raise InputError("a deprecated term needs a replacement (the term to use instead)")
    terms = [new_term(text=term, lang=lang, status=status)]
    if replacement:
        terms.append(new_term(text=replacement, lang=lang,
                              status="preferred" if status == "deprecated" else "admitted"))
    if replacement and terms[1].text.lower() == terms[0].text.lower():
        raise InputError("the replacement is the same as the term")
    folder = Path(folder)
    with ENGINE_LOCK, folder_lock(folder):
        g = engine.glossary
        if g is None:
            g = engine.glossary = Glossary([])
        base = f"ui-{_slug(term)}"
        cid, n = base, 1
        loaded = _folder_glossaries(folder)  # ids another server wrote count as taken too
        while cid in g or any(cid in fg for _, fg in loaded):
            n += 1
            cid = f"{base}-{n}"
        concept = Concept(id=cid, terms=tuple(terms), note=note.strip(), source=f"review UI ({editor})")
        written = _write_change(folder, cid, concept, also_csv, loaded)
        g.add(concept)
    store.record_glossary_edit("add", cid, {**concept_payload(concept), "files": _rel(written, folder)}, editor)
    return concept


def _existing_concept(engine, concept_id: str):
    """(glossary, concept) for an edit or delete; the concept may have gone since the page drew."""
    g = engine.glossary
    old = g.get(concept_id) if g is not None else None
    if old is None:
        raise InputError(f"concept {concept_id!r} no longer exists")
    return g, old


def update_concept(engine, store: Store, folder: Path, concept_id: str, terms, note: str | None = None,
                   editor: str = "editor", also_csv: bool = False):
    """Replace the terms (and note) of a concept of the engine's glossary. The change is written to
    the glossary file of ``folder`` that holds the concept (the UI additions file when the concept
    comes from the built-in term base), audited in the store with the concept before and after,
    and used by the engine at once. Returns the new concept, or None when nothing changed."""
    from ..auth import check_writable

    check_writable(engine)  # a read-only reviewer is refused before any file is written
    import dataclasses

    folder = Path(folder)
    new_terms = _terms_from(terms)
    with ENGINE_LOCK, folder_lock(folder):
        g, old = _existing_concept(engine, concept_id)
        new = dataclasses.replace(old, terms=tuple(new_terms), note=old.note if note is None else note.strip())
        if new == old:
            return None
        written = _write_change(folder, concept_id, new, also_csv)
        g.upsert(new)
    store.record_glossary_edit("edit", concept_id, {"before": concept_payload(old), "after": concept_payload(new),
                                                    "files": _rel(written, folder)}, editor)
    return new


def delete_concept(engine, store: Store, folder: Path, concept_id: str, editor: str = "editor",
                   also_csv: bool = False):
    """Delete a concept: from every glossary file of ``folder`` that holds it and from the engine
    (used at once); the store's audit keeps the deleted concept. Returns it."""
    from ..auth import check_writable

    check_writable(engine)  # a read-only reviewer is refused before any file is written
    folder = Path(folder)
    with ENGINE_LOCK, folder_lock(folder):
        g, old = _existing_concept(engine, concept_id)
        written = _write_change(folder, concept_id, None, also_csv)
        if not written:
            raise InputError(f"concept {concept_id!r} comes from the built-in term base, not from a file in "
                             f"{folder}; copy the term base into that folder to delete it")
        g.remove(concept_id)
    store.record_glossary_edit("delete", concept_id, {"before": concept_payload(old),
                                                      "files": _rel(written, folder)}, editor)
    return old


def delete_term(engine, store: Store, folder: Path, concept_id: str, text: str, lang: str,
                editor: str = "editor", also_csv: bool = False):
    """Delete one term of a concept (the whole concept when it is its last term)."""
    g = engine.glossary
    old = g.get(concept_id) if g is not None else None
    if old is None:
        raise InputError(f"concept {concept_id!r} no longer exists")
    keep = [t for t in old.terms if not (t.text == text and t.lang == lang)]
    if len(keep) == len(old.terms):
        raise InputError(f"concept {concept_id!r} has no term {text!r} ({lang})")
    if not keep:
        return delete_concept(engine, store, folder, concept_id, editor, also_csv)
    return update_concept(engine, store, folder, concept_id, keep, None, editor, also_csv)


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
