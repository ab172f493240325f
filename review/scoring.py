"""Post-edit scores with sacrebleu: HTER (TER of the MT against its post-edit), chrF and BLEU, per
segment and for the corpus, each with its signature; and a word-level diff of MT vs corrected.

The metric objects are built once (module level, behind a lock-free lazy getter); sentence BLEU uses
``effective_order=True`` as sacrebleu recommends for single sentences. Scores are on sacrebleu's
0-100 scale (HTER 0 = no edit needed).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from .model import InputError

METRICS = ("HTER", "chrF", "BLEU")


@lru_cache(maxsize=1)
def _metrics():
    from sacrebleu.metrics import BLEU, CHRF, TER

    # A post-edit that only fixes capitalisation is still an edit: TER is case-sensitive here.
    return {
        "HTER": TER(case_sensitive=True),
        "chrF": CHRF(),
        "BLEU": BLEU(effective_order=True),
        "BLEU-corpus": BLEU(),
    }


@lru_cache(maxsize=4)
def signature(metric: str) -> str:
    """The sacrebleu signature of one metric (BLEU's needs one evaluation to know its references)."""
    m = _metrics()[metric]
    if metric.startswith("BLEU"):
        m.sentence_score("a", ["a"]) if metric == "BLEU" else m.corpus_score(["a"], [["a"]])
    return str(m.get_signature())


@dataclass(frozen=True)
class SegmentScore:
    index: int
    hter: float
    chrf: float
    bleu: float
    edited: bool

    def values(self) -> dict[str, float]:
        return {"HTER": self.hter, "chrF": self.chrf, "BLEU": self.bleu}


@dataclass
class ScoreReport:
    segments: list[SegmentScore]
    corpus: dict[str, float]
    signatures: dict[str, str] = field(default_factory=dict)

    @property
    def edited(self) -> int:
        return sum(1 for s in self.segments if s.edited)

    def to_json(self) -> dict:
        return {
            "schema": "review.scores/1",
            "corpus": self.corpus,
            "signatures": self.signatures,
            "segments": [asdict(s) for s in self.segments],
        }


def score_pair(mt: str, post: str, index: int = 0) -> SegmentScore:
    """Sentence-level HTER/chrF/BLEU of one MT segment against its post-edit."""
    if mt == post and not mt.strip():
        return SegmentScore(index, 0.0, 100.0, 100.0, False)
    m = _metrics()
    return SegmentScore(
        index=index,
        hter=float(m["HTER"].sentence_score(mt, [post]).score),
        chrf=float(m["chrF"].sentence_score(mt, [post]).score),
        bleu=float(m["BLEU"].sentence_score(mt, [post]).score),
        edited=mt != post,
    )


def segment_score_rows(mt: str, post: str) -> list[tuple[str, float, str]]:
    """(metric, value, signature) rows of one segment, for the store."""
    s = score_pair(mt, post)
    return [("HTER", s.hter, signature("HTER")), ("chrF", s.chrf, signature("chrF")),
            ("BLEU", s.bleu, signature("BLEU"))]


def score_segments(mt: list[str], post: list[str]) -> ScoreReport:
    """Per-segment and corpus scores of ``mt`` against ``post`` (same length)."""
    if len(mt) != len(post):
        raise InputError(f"MT has {len(mt)} segments but the corrected text has {len(post)}; "
                         "they must have the same number of segments")
    segs = [score_pair(a, b, i) for i, (a, b) in enumerate(zip(mt, post))]
    m = _metrics()
    if not mt or all(a == b for a, b in zip(mt, post)) and not any(a.strip() for a in mt):
        corpus = {"HTER": 0.0, "chrF": 100.0, "BLEU": 100.0}
    else:
        corpus = {
            "HTER": float(m["HTER"].corpus_score(mt, [post]).score),
            "chrF": float(m["chrF"].corpus_score(mt, [post]).score),
            "BLEU": float(m["BLEU-corpus"].corpus_score(mt, [post]).score),
        }
    sigs = {"HTER": signature("HTER"), "chrF": signature("chrF"), "BLEU": signature("BLEU"),
            "BLEU-corpus": signature("BLEU-corpus")}
    return ScoreReport(segments=segs, corpus=corpus, signatures=sigs)


# ------------------------------------------------------------------------------------------------
# Word-level diff
# ------------------------------------------------------------------------------------------------
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Diff of ``a`` (MT) → ``b`` (corrected) as (op, text) with op in equal/delete/insert;
    concatenating the equal+delete texts gives ``a``, equal+insert gives ``b``."""
    ta, tb = _tokens(a), _tokens(b)
    out: list[tuple[str, str]] = []

    def emit(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    # rapidfuzz's Levenshtein alignment of the tokens (bit-parallel C++): difflib's SequenceMatcher
    # without autojunk took 14 s on two 6,000-character texts full of repeated tokens (spaces,
    # "the"), and the review page draws the diff of every edited segment on every run
    for tag, i1, i2, j1, j2 in Levenshtein.opcodes(ta, tb):
        if tag == "equal":
            emit("equal", "".join(ta[i1:i2]))
        else:
            emit("delete", "".join(ta[i1:i2]))
            emit("insert", "".join(tb[j1:j2]))
    return out


_ESCAPES = str.maketrans({**{c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-!|$~:'"},
                          "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape_text(text: str) -> str:
    """HTML-escape ``text`` and turn Markdown/LaTeX specials into character references, so the
    result shows the text literally even when a Markdown renderer sees it; newlines become <br>."""
    return text.translate(_ESCAPES).replace("\r\n", "\n").replace("\n", "<br>")


def diff_html(a: str, b: str) -> str:
    """The word diff as HTML: deletions struck through in red, insertions underlined in green.
    All text is escaped (see :func:`escape_text`)."""
    parts = []
    for op, text in word_diff(a, b):
        t = escape_text(text)
        if op == "delete":
            parts.append(f'<del style="background:#fdd;color:#900">{t}</del>')
        elif op == "insert":
            parts.append(f'<ins style="background:#dfd;color:#060">{t}</ins>')
        else:
            parts.append(t)
    return '<span class="review-diff">' + "".join(parts) + "</span>"


# ------------------------------------------------------------------------------------------------
# CLI: review score MT CORRECTED
# ------------------------------------------------------------------------------------------------
def format_report(report: ScoreReport, fmt: str = "text") -> str:
    if fmt == "json":
        return json.dumps(report.to_json(), ensure_ascii=False, indent=2)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["segment", "HTER", "chrF", "BLEU", "edited"])
        for s in report.segments:
            w.writerow([s.index + 1, f"{s.hter:.2f}", f"{s.chrf:.2f}", f"{s.bleu:.2f}", int(s.edited)])
        w.writerow(["corpus", f"{report.corpus['HTER']:.2f}", f"{report.corpus['chrF']:.2f}",
                    f"{report.corpus['BLEU']:.2f}", report.edited])
        return buf.getvalue().rstrip("\n")
    lines = [f"{'segment':>7}  {'HTER':>7}  {'chrF':>7}  {'BLEU':>7}"]
    for s in report.segments:
        mark = "" if s.edited else "  (unchanged)"
        lines.append(f"{s.index + 1:>7}  {s.hter:7.2f}  {s.chrf:7.2f}  {s.bleu:7.2f}{mark}")
    c = report.corpus
    lines.append(f"{'corpus':>7}  {c['HTER']:7.2f}  {c['chrF']:7.2f}  {c['BLEU']:7.2f}  "
                 f"({report.edited} of {len(report.segments)} segments edited)")
    lines.append("")
    for name in ("HTER", "chrF", "BLEU", "BLEU-corpus"):
        lines.append(f"{name}: {report.signatures[name]}")
    return "\n".join(lines)


def score_command(args) -> int:
    from .io import load_path

    mt_doc = load_path(args.mt)
    post_doc = load_path(args.corrected)
    mt = [s.target for s in mt_doc.segments]
    post = [s.target for s in post_doc.segments]
    if len(mt) != len(post):
        raise InputError(f"{args.mt} has {len(mt)} segments but {args.corrected} has {len(post)}; "
                         "the corrected file must keep the MT's segments (one corrected sentence per MT sentence)")
    report = score_segments(mt, post)
    sys.stdout.write(format_report(report, getattr(args, "format", "text") or "text") + "\n")
    return 0
