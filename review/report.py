"""Self-contained HTML review reports and CSV exports of findings.

``review report FILE [-o report.html] [--csv findings.csv] [--corrected FILE]``

The HTML file has no external assets and needs no JavaScript: inline CSS (with ``@media print``
rules so that it prints cleanly), inline SVG bar charts, a summary, the MQM scorecard, every
segment with its findings highlighted (built from the findings' offsets) and their messages and
suggestions, and — with ``--corrected`` — the post-edit diff of every edited segment (rapidfuzz)
plus, when :mod:`review.scoring` is available, HTER/chrF/BLEU.

Every piece of document text goes through :func:`html.escape`; CSV cells that a spreadsheet would
run as a formula (leading ``=``, ``+``, ``-``, ``@``, tab, CR) are prefixed with ``'``.
"""

from __future__ import annotations

import csv
import html
import io
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Sequence

from .model import Document, Finding, InputError, Severity, covered_pieces

__all__ = ["build_html", "write_csv", "findings_csv", "csv_safe", "svg_bar_chart", "highlight",
           "word_diff_html", "report_command", "run_checks"]

SEVERITY_COLORS = {
    "critical": "#7b1fa2",
    "major": "#c62828",
    "minor": "#ef6c00",
    "neutral": "#607d8b",
}
BRANCH_COLORS = {
    "Accuracy": "#c62828",
    "Fluency": "#1565c0",
    "Terminology": "#2e7d32",
    "Style": "#6a1b9a",
    "Locale convention": "#00838f",
    "Non-translation": "#ad1457",
    "Other": "#546e7a",
}

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def esc(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


# ------------------------------------------------------------------------------------------------
# CSV
# ------------------------------------------------------------------------------------------------
def csv_safe(value) -> str:
    """A cell a spreadsheet will show as text: formula-leading values get a leading ``'``."""
    s = "" if value is None else str(value)
    return "'" + s if s.startswith(_FORMULA_START) else s


CSV_COLUMNS = ("file", "segment", "segment_id", "line", "rule", "category", "severity", "start", "end",
               "text", "message", "suggestions", "source", "target")


def findings_csv(doc: Document, findings: Iterable[Finding]) -> str:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(CSV_COLUMNS)
    for f in findings:
        seg = doc.segments[f.segment] if 0 <= f.segment < len(doc.segments) else None
        row = [doc.name, f.segment + 1, seg.id if seg else "", seg.line if seg else "", f.rule, f.category,
               f.severity.label, f.start, f.end, f.text, f.message,
               " | ".join("(delete)" if s == "" else s for s in f.suggestions),
               (seg.source or "") if seg else "", seg.target if seg else ""]
        w.writerow([csv_safe(c) for c in row])
    return buf.getvalue()


def write_csv(doc: Document, findings: Iterable[Finding], path) -> None:
    """Write the findings CSV (UTF-8 with BOM, so that spreadsheets detect the encoding)."""
    try:
        Path(path).write_text(findings_csv(doc, findings), encoding="utf-8-sig", newline="")
    except OSError as e:
        raise InputError(f"{path}: cannot write ({e.strerror or e})") from None


# ------------------------------------------------------------------------------------------------
# SVG charts
# ------------------------------------------------------------------------------------------------
def svg_bar_chart(data: dict[str, float], title: str, colors: dict[str, str] | None = None,
                  width: int = 460, fmt=lambda v: f"{v:g}") -> str:
    """A horizontal bar chart as inline SVG (no script, no external reference)."""
    colors = colors or {}
    rows = list(data.items())
    bar_h, gap, label_w, top = 20, 6, 150, 26
    height = top + max(1, len(rows)) * (bar_h + gap) + 4
    vmax = max([v for _, v in rows] + [0]) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
           f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{esc(title)}">',
           f"<title>{esc(title)}</title>",
           f'<text x="0" y="16" class="chart-title">{esc(title)}</text>']
    if not rows:
        out.append(f'<text x="0" y="{top + 14}" class="chart-empty">none</text>')
    span = width - label_w - 50
    for i, (label, v) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = 0 if v <= 0 else max(2, int(round(span * v / vmax)))
        color = colors.get(label) or colors.get(str(label).split("/")[0]) or "#455a64"
        out.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end" class="chart-label">{esc(label)}</text>')
        out.append(f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{esc(color)}" rx="2">'
                   f"<title>{esc(label)}: {esc(fmt(v))}</title></rect>")
        out.append(f'<text x="{label_w + w + 6}" y="{y + 14}" class="chart-value">{esc(fmt(v))}</text>')
    out.append("</svg>")
    return "".join(out)


# ------------------------------------------------------------------------------------------------
# Highlighting and diffs
# ------------------------------------------------------------------------------------------------
def highlight(text: str, findings: Sequence[Finding], numbers: dict[int, int] | None = None) -> str:
    """``text`` escaped, with each finding's span wrapped in ``<mark>`` (overlaps split into
    pieces; the most severe finding colours a piece) and zero-width findings shown as a caret."""
    numbers = numbers or {}
    spans = [(max(0, min(f.start, len(text))), max(0, min(f.end, len(text))), f) for f in findings]
    carets_at: dict[int, list[Finding]] = {}
    for s, e, f in spans:
        if s == e:
            carets_at.setdefault(s, []).append(f)
    out: list[str] = []

    def carets(at: int) -> None:
        for f in carets_at.get(at, ()):
            out.append(f'<span class="caret sev-{f.severity.label}" title="{esc(f.rule)}">‸'
                       f'<sup>{numbers.get(id(f), "")}</sup></span>')

    for a, b, covering in covered_pieces(len(text), [(s, e) for s, e, _ in spans]):
        carets(a)
        piece = text[a:b]
        cover = [spans[i][2] for i in covering]
        if not cover:
            out.append(esc(piece))
            continue
        worst = max(cover, key=lambda f: f.severity)
        rules = " ".join(sorted({f.rule for f in cover}))
        refs = ",".join(str(numbers[id(spans[i][2])]) for i in covering
                        if spans[i][1] == b and id(spans[i][2]) in numbers)
        out.append(f'<mark class="sev-{worst.severity.label}" title="{esc(rules)}">{esc(piece)}'
                   + (f"<sup>{esc(refs)}</sup>" if refs else "") + "</mark>")
    carets(len(text))  # (the last cut: the text's end)
    return "".join(out)


def word_diff_html(a: str, b: str) -> str:
    """Word diff of ``a`` (MT) → ``b`` (post-edit), as :func:`review.scoring.word_diff` aligns them:
    deletions struck, insertions underlined."""
    from .scoring import word_diff

    tags = {"delete": "del", "insert": "ins"}
    return "".join(f"<{tags[op]}>{esc(text)}</{tags[op]}>" if op in tags else esc(text) for op, text in word_diff(a, b))


# ------------------------------------------------------------------------------------------------
# The HTML report
# ------------------------------------------------------------------------------------------------
CSS = """
:root { --fg:#1d2330; --muted:#5b6475; --line:#d9dde5; --bg:#fff; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans JP", sans-serif;
       color: var(--fg); background: var(--bg); margin: 0 auto; max-width: 1100px; padding: 24px; }
h1 { font-size: 1.6em; margin: 0 0 4px; } h2 { font-size: 1.25em; margin: 28px 0 8px;
  border-bottom: 2px solid var(--line); padding-bottom: 4px; }
.muted { color: var(--muted); } .small { font-size: .85em; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f3f5f8; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 150px; }
.card b { display: block; font-size: 1.5em; }
.pass { color: #2e7d32; } .fail { color: #c62828; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
.chart-title { font-weight: 600; font-size: 13px; } .chart-label, .chart-value, .chart-empty { font-size: 12px; }
.seg { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 10px 0;
       page-break-inside: avoid; break-inside: avoid; }
.seg.clean { border-style: dashed; }
.seg h3 { font-size: .9em; margin: 0 0 4px; color: var(--muted); font-weight: 600; }
.src { color: var(--muted); } .tgt, .src, .diff { white-space: pre-wrap; overflow-wrap: anywhere; }
mark { padding: 0 1px; border-radius: 2px; }
mark.sev-critical { background: #e1bee7; box-shadow: inset 0 -2px #7b1fa2; }
mark.sev-major { background: #ffcdd2; box-shadow: inset 0 -2px #c62828; }
mark.sev-minor { background: #ffe0b2; box-shadow: inset 0 -2px #ef6c00; }
mark.sev-neutral { background: #eceff1; box-shadow: inset 0 -2px #607d8b; }
.caret { color: #c62828; font-weight: 700; }
sup { font-size: .7em; color: var(--muted); }
ol.findings { margin: 6px 0 0; padding-left: 22px; font-size: .92em; }
.badge { display: inline-block; border-radius: 3px; padding: 0 5px; color: #fff; font-size: .8em; }
.badge.sev-critical { background: #7b1fa2; } .badge.sev-major { background: #c62828; }
.badge.sev-minor { background: #ef6c00; } .badge.sev-neutral { background: #607d8b; }
code { background: #f3f5f8; padding: 0 3px; border-radius: 3px; }
del { background: #fdd; color: #900; } ins { background: #dfd; color: #060; text-decoration: underline; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  .seg.clean { display: none; }
  mark { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .badge, del, ins, .chart rect { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""


def _fmt_num(x: float, digits: int = 2) -> str:
    if isinstance(x, float) and not math.isfinite(x):
        return "∞"
    return f"{x:,.{digits}f}".rstrip("0").rstrip(".") if isinstance(x, float) else f"{x:,}"


def _scores(doc: Document, corrected: Document | None):
    if corrected is None:
        return None
    try:
        from . import scoring
    except ImportError:
        return None
    try:
        return scoring.score_segments([s.target for s in doc.segments], [s.target for s in corrected.segments])
    except InputError:
        raise
    except Exception:  # scores are a bonus; the report stands without them
        return None


def build_html(doc: Document, findings: Sequence[Finding], card=None, corrected: Document | None = None,
               title: str | None = None, generated: datetime | None = None) -> str:
    """The full report as one HTML string."""
    from . import mqm

    if card is None:
        card = mqm.scorecard(doc, findings)
    if corrected is not None and len(corrected.segments) != len(doc.segments):
        raise InputError(f"{corrected.name} has {len(corrected.segments)} segments but {doc.name} has "
                         f"{len(doc.segments)}; the corrected file must keep the segments of the original")
    scores = _scores(doc, corrected)
    generated = generated or datetime.now(timezone.utc)
    title = title or f"Review report — {Path(doc.name).name}"
    by_seg: dict[int, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: (f.segment, f.start, f.end, f.rule)):
        by_seg.setdefault(f.segment, []).append(f)
    sev_counts = card.by_severity()
    flagged = sum(1 for s in doc.segments if by_seg.get(s.index))
    h: list[str] = []
    a = h.append
    a("<!DOCTYPE html>")
    a(f'<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
      f"<title>{esc(title)}</title><style>{CSS}</style></head><body>")
    a(f"<h1>{esc(title)}</h1>")
    langs = f"{esc(doc.source_lang or '—')} → {esc(doc.target_lang or 'en')}"
    a(f'<p class="muted">File <code>{esc(doc.name)}</code> · format {esc(doc.format)} · {langs} · '
      f"generated {esc(generated.strftime('%Y-%m-%d %H:%M UTC'))}</p>")

    # -- summary ---------------------------------------------------------------------------------
    a('<h2 id="summary">Summary</h2><div class="cards">')
    verdict = "PASS" if card.passed else "FAIL"
    cards = [
        ("Segments", f"{len(doc.segments):,}"),
        ("Segments with findings", f"{flagged:,}"),
        ("Findings", f"{len(card.errors):,}"),
        ("MQM score", f"{_fmt_num(card.score)} <span class='small muted'>/ 1,000 words</span>"),
        ("Verdict", f"<span class='{verdict.lower()}'>{verdict}</span>"),
    ]
    for label, value in cards:
        a(f'<div class="card"><span class="muted small">{esc(label)}</span><b>{value}</b></div>')
    a("</div>")

    # -- scorecard -------------------------------------------------------------------------------
    w = card.profile.weights
    a('<h2 id="scorecard">MQM scorecard</h2><table class="scorecard"><tbody>')
    rows = [
        ("Word count", f"{_fmt_num(float(card.words))} ({esc(card.basis)} words)"),
        ("Penalty points", _fmt_num(float(card.penalty), 3)),
        ("Score (penalty per 1,000 words)", _fmt_num(card.score)),
        ("Threshold", f"{_fmt_num(float(card.profile.threshold))} → <b class='{verdict.lower()}'>{verdict}</b>"),
        ("Quality (100 − score/10)", f"{_fmt_num(card.quality, 1)} %"),
        ("Dismissed by editors", f"{card.dismissed}"),
        ("Weights", esc(", ".join(f"{k} {v:g}" for k, v in w.items()))),
    ]
    for k, v in rows:
        a(f"<tr><th>{esc(k)}</th><td>{v}</td></tr>")
    a("</tbody></table>")
    a('<table class="by-severity"><thead><tr><th>Severity</th><th>Errors</th><th>Penalty</th></tr></thead><tbody>')
    pen = card.penalty_by_severity()
    for sev, n in sev_counts.items():
        a(f'<tr><td><span class="badge sev-{esc(sev)}">{esc(sev)}</span></td><td class="num">{n}</td>'
          f'<td class="num">{_fmt_num(float(pen[sev]), 3)}</td></tr>')
    a("</tbody></table>")
    cat2 = card.by_category(level=2)
    pen2 = card.penalty_by_category(level=2)
    a('<table class="by-category"><thead><tr><th>MQM category</th><th>Errors</th><th>Penalty</th></tr></thead><tbody>')
    for cat, n in cat2.items():
        a(f'<tr><td>{esc(cat)}</td><td class="num">{n}</td><td class="num">{_fmt_num(float(pen2[cat]), 3)}</td></tr>')
    if not cat2:
        a('<tr><td colspan="3" class="muted">No errors.</td></tr>')
    a("</tbody></table>")

    # -- charts ----------------------------------------------------------------------------------
    a('<h2 id="charts">Findings by category and severity</h2><div class="charts">')
    a(svg_bar_chart({k: float(v) for k, v in card.by_category(level=1).items()}, "Findings by MQM branch",
                    BRANCH_COLORS))
    a(svg_bar_chart({k: float(v) for k, v in sev_counts.items()}, "Findings by severity", SEVERITY_COLORS))
    a(svg_bar_chart({k: float(v) for k, v in card.penalty_by_category(level=1).items()},
                    "Penalty points by MQM branch", BRANCH_COLORS, fmt=lambda v: f"{v:.4g}"))
    a("</div>")

    # -- post-edit -------------------------------------------------------------------------------
    if corrected is not None:
        edited = [(s, c) for s, c in zip(doc.segments, corrected.segments) if s.target != c.target]
        a(f'<h2 id="post-edit">Post-edit</h2><p>{len(edited)} of {len(doc.segments)} segments edited '
          f"in <code>{esc(corrected.name)}</code>.</p>")
        if scores is not None:
            a('<table class="post-edit-scores"><thead><tr><th>Metric</th><th>Corpus</th><th>Signature</th></tr></thead><tbody>')
            for m in ("HTER", "chrF", "BLEU"):
                sig = scores.signatures.get("BLEU-corpus" if m == "BLEU" else m, "")
                a(f'<tr><td>{m}</td><td class="num">{scores.corpus[m]:.2f}</td><td class="small muted">{esc(sig)}</td></tr>')
            a("</tbody></table>")

    # -- segments --------------------------------------------------------------------------------
    a('<h2 id="segments">Segments</h2>')
    corr = corrected.segments if corrected is not None else None
    seg_scores = {s.index: s for s in scores.segments} if scores is not None else {}
    n = 0
    for s in doc.segments:
        fs = by_seg.get(s.index, [])
        numbers = {}
        for f in fs:
            n += 1
            numbers[id(f)] = n
        cls = "seg" if fs else "seg clean"
        a(f'<section class="{cls}" id="seg-{s.index + 1}"><h3>#{s.index + 1} · {esc(s.id)} · line {s.line}'
          + (f" · {esc(s.state)}" if s.state else "") + "</h3>")
        if s.source is not None:
            a(f'<div class="src" lang="{esc(s.source_lang or "")}">{esc(s.source)}</div>')
        a(f'<div class="tgt" lang="{esc(s.target_lang or "en")}">{highlight(s.target, fs, numbers)}</div>')
        if s.note:
            a(f'<div class="small muted">Note: {esc(s.note)}</div>')
        if fs:
            a('<ol class="findings">')
            for f in fs:
                sugg = ""
                if f.suggestions:
                    shown = ", ".join("<i>(delete)</i>" if x == "" else f"<code>{esc(x)}</code>" for x in f.suggestions)
                    sugg = f" → {shown}"
                a(f'<li value="{numbers[id(f)]}"><span class="badge sev-{f.severity.label}">{f.severity.label}</span> '
                  f"<code>{esc(f.rule)}</code> <span class='muted small'>{esc(f.category)}</span> — "
                  f"<q>{esc(f.text)}</q>: {esc(f.message)}{sugg}</li>")
            a("</ol>")
        if corr is not None and corr[s.index].target != s.target:
            extra = ""
            sc = seg_scores.get(s.index)
            if sc is not None:
                extra = f' <span class="small muted">HTER {sc.hter:.1f} · chrF {sc.chrf:.1f}</span>'
            a(f'<div class="diff"><b class="small">Post-edit:</b> {word_diff_html(s.target, corr[s.index].target)}{extra}</div>')
        a("</section>")
    a('<p class="small muted">Generated by <code>review report</code>. Scores: MQM penalty points '
      "(minor 1, major 5, critical 25, minor punctuation 0.1) per 1,000 words.</p>")
    a("</body></html>")
    return "\n".join(h)


# ------------------------------------------------------------------------------------------------
# Running the checks for a report
# ------------------------------------------------------------------------------------------------
def run_checks(engine, doc: Document) -> list[Finding]:
    """The engine's findings for ``doc``; for XLIFF/TMX/PO also the tag check (when the engine does
    not already run it) and without other rules' findings on inline tags/placeholders."""
    findings = engine.check(doc)
    if doc.format in ("xliff", "tmx", "po"):
        from .formats.tags import TagCheck, drop_markup_findings

        if not any(isinstance(c, TagCheck) for c in getattr(engine, "checks", ())) and engine.enabled("BI-TAG-001"):
            tc = TagCheck()
            ctx = engine.context(doc.segments, doc.source_lang)
            extra = [f for s in doc.segments if s.source is not None for f in tc.segment(s, ctx)]
            findings = engine.finish(findings + extra, doc.segments)
        findings = drop_markup_findings(doc.segments, findings)
    return findings


def report_command(args) -> int:
    from . import mqm
    from .engine import Engine
    from .io import load_path

    engine = Engine.from_options(
        glossary_paths=getattr(args, "glossary", None) or (), profile=getattr(args, "profile", None),
        select=_codes(getattr(args, "select", None)), ignore=_codes(getattr(args, "ignore", None)),
        target_lang=getattr(args, "target_lang", "en") or "en", rule_files=getattr(args, "rules", None) or (),
        default_glossary=not getattr(args, "no_default_glossary", False),
        enable=_codes(getattr(args, "enable", None)),
    )
    doc = load_path(args.file, source_lang=getattr(args, "source_lang", None),
                    target_lang=getattr(args, "target_lang", "en") or "en")
    findings = run_checks(engine, doc)
    profile = mqm.load_profile(args.mqm_profile) if getattr(args, "mqm_profile", None) else mqm.ScoringProfile()
    if getattr(args, "threshold", None) is not None:
        profile = mqm.ScoringProfile.from_dict({**profile.to_dict(), "threshold": args.threshold})
    card = mqm.scorecard(doc, findings, profile=profile)
    corrected = None
    if getattr(args, "corrected", None):
        corrected = load_path(args.corrected, source_lang=getattr(args, "source_lang", None),
                              target_lang=getattr(args, "target_lang", "en") or "en")
    page = build_html(doc, findings, card, corrected)
    out = Path(args.output or "report.html")
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as e:
        raise InputError(f"{out}: cannot write the report ({e.strerror or e})") from None
    msg = f"review: wrote {out} ({len(findings)} findings, MQM {_fmt_num(card.score)}/1,000 words, " \
          f"{'pass' if card.passed else 'fail'})"
    if getattr(args, "csv", None):
        write_csv(doc, findings, args.csv)
        msg += f" and {args.csv}"
    import sys

    print(msg, file=sys.stderr)
    return 0


def _codes(values) -> list[str]:
    out: list[str] = []
    for v in values or ():
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out

