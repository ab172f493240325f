"""Command line: argument parsing and output formatting only; decisions live in the library."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

from .model import Document, Finding, InputError, Severity

SCHEMA = "review.findings/1"
PROGRESS_THRESHOLD = 1000  # segments: show a progress bar on stderr above this


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one clear line, exit 2
        self.exit(2, f"{self.prog}: error: {message}\n")


def _severity(value: str) -> Severity:
    try:
        return Severity.parse(value)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _split_codes(values: Sequence[str] | None) -> list[str]:
    out: list[str] = []
    for v in values or ():
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="review", description="Translation-quality review for machine-translated text.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    from . import commands

    c = sub.add_parser("check", help="check a document and print findings")
    c.add_argument("files", nargs="+", metavar="FILE", help="plain text, TSV/CSV (source,target), XLIFF, TMX or PO")
    c.add_argument("--glossary", action="append", default=[], metavar="FILE", help="extra TBX/CSV glossary (repeatable)")
    c.add_argument("--no-default-glossary", action="store_true", help="do not load the built-in NATO/diplomacy term base")
    c.add_argument("--rules", action="append", default=[], metavar="FILE", help="extra YAML rule pack (repeatable)")
    c.add_argument("--source-lang", metavar="L", help="source language (default: detected per segment)")
    c.add_argument("--target-lang", metavar="L", default="en", help="target language (default: en)")
    c.add_argument("--format", choices=("text", "json"), default="text")
    c.add_argument("--fail-on", type=_severity, default=None, metavar="SEVERITY",
                   help="exit 1 when a finding is at or above this severity (neutral|minor|major|critical; default: major)")
    c.add_argument("--select", action="append", metavar="PREFIXES", help="only rules whose id starts with one of these (comma-separated)")
    c.add_argument("--ignore", action="append", metavar="PREFIXES", help="skip rules whose id starts with one of these")
    c.add_argument("--enable", action="append", metavar="PREFIXES", help="also run opt-in rules whose id starts with these")
    c.add_argument("--profile", metavar="FILE", help="YAML profile: select, ignore, severity, fail_on, dismiss, glossaries, rules")
    c.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    c.add_argument("--no-cache", action="store_true",
                   help="check again even if this input was checked before with the same code, rules, "
                        "glossaries and options (env REVIEW_NO_CACHE=1)")
    c.add_argument("--jobs", type=int, default=0, metavar="N",
                   help="worker processes for large inputs (default: one per CPU; 1 = no workers)")

    r = sub.add_parser("rules", help="list every rule with its category, severity and summary")
    r.add_argument("--format", choices=("text", "markdown", "json"), default="text")
    r.add_argument("--target-lang", default="en")

    e = sub.add_parser("eval", help="measure the checks on the evaluation data (DEMETR, WMT MQM)")
    e.add_argument("--data", default=None, metavar="DIR", help="folder with demetr-dev.jsonl.gz and mqm-zhen-dev.jsonl.gz (default: ../shared/data)")
    e.add_argument("--limit", type=int, default=None, help="use at most N items of each set (for a quick run)")
    e.add_argument("--output", metavar="FILE", help="also write the report as Markdown to FILE")
    e.add_argument("--format", choices=("text", "json"), default="text")

    a = sub.add_parser("app", help="open the review UI (Streamlit) on the sample or a file")
    a.add_argument("file", nargs="?", help="document to open (default: the sample in seeds/)")
    a.add_argument("--db", default=None, help="database URL (default: sqlite in ./data; env REVIEW_DB_URL)")
    a.add_argument("--port", type=int, default=8501)
    a.add_argument("--headless", action="store_true", help="do not open a browser")

    s = sub.add_parser("score", help="post-edit scores (HTER, chrF, BLEU) of MT against corrected text")
    s.add_argument("mt", metavar="MT")
    s.add_argument("corrected", metavar="CORRECTED")
    s.add_argument("--format", choices=("text", "json", "csv"), default="text")
    commands.add_parsers(sub)  # report, glossary
    return p


# ------------------------------------------------------------------------------------------------
def _position(doc: Document, f: Finding, line_index) -> tuple[int, int]:
    seg = doc.segments[f.segment]
    if seg.start is not None and line_index is not None:
        return line_index(seg.start + f.start)
    return seg.line, f.start + 1


def format_text(doc: Document, findings: list[Finding]) -> str:
    from .io import LineIndex

    li = LineIndex(doc.text) if doc.format == "txt" else None
    lines = []
    for f in findings:
        line, col = _position(doc, f, li)
        sugg = ""
        if f.suggestions:
            shown = ", ".join("(delete)" if s == "" else repr(s) for s in f.suggestions)
            sugg = f" → {shown}"
        lines.append(f"{doc.name}:{line}:{col}: {f.rule} [{f.severity.label}] {f.message}{sugg}")
    return "\n".join(lines)


def document_json(doc: Document, findings: list[Finding]) -> dict:
    """Exactly the ``review.findings/1`` contract: schema, segments, findings."""
    return {
        "schema": SCHEMA,
        "segments": [
            {
                "index": s.index, "id": s.id,
                "start": s.start if doc.format == "txt" else None,
                "end": s.end if doc.format == "txt" else None,
                "source": s.source, "target": s.target,
                "source_lang": s.source_lang, "target_lang": s.target_lang,
            }
            for s in doc.segments
        ],
        "findings": [f.to_json() for f in findings],
    }


def cmd_check(args) -> int:
    from . import cache, limits
    from .engine import Engine, Profile
    from .io import load_path, read_input

    engine: Engine | None = None

    def get_engine() -> Engine:  # built on the first cache miss only
        nonlocal engine
        if engine is None:
            engine = Engine.from_options(
                glossary_paths=args.glossary, profile=profile, select=_split_codes(args.select),
                ignore=_split_codes(args.ignore), target_lang=args.target_lang, rule_files=args.rules,
                default_glossary=not args.no_default_glossary, enable=_split_codes(args.enable),
            )
            engine.workers = args.jobs if args.jobs > 0 else (os.cpu_count() or 1)
        return engine

    use_cache = not args.no_cache and cache.enabled()
    profile = Profile.load(args.profile) if args.profile else Profile()
    fail_on = args.fail_on or profile.fail_on or Severity.MAJOR
    if use_cache:
        options = [("source_lang", args.source_lang), ("target_lang", args.target_lang),
                   ("select", _split_codes(args.select)), ("ignore", _split_codes(args.ignore)),
                   ("enable", _split_codes(args.enable)), ("default_glossary", not args.no_default_glossary)]
        config_files = ([args.profile] if args.profile else []) + list(profile.glossaries) + list(profile.rules) \
            + list(args.glossary) + list(args.rules)
    worst: Severity | None = None
    outputs: list[str] = []  # one rendered document per file (text lines, or compact JSON)
    for path in args.files:
        data = read_input(path)
        hit = None
        if use_cache:
            k = cache.key(data, str(Path(path)), options + [("format", args.format)], config_files)
            hit = cache.load(k)
        if hit is not None:
            n_segments, file_worst, rendered = hit
            limits.check_segments(n_segments, str(Path(path)), None, default=None)
        else:
            eng = get_engine()
            doc = load_path(path, source_lang=args.source_lang, target_lang=args.target_lang, data=data)
            findings = _run_with_progress(eng, doc, args.no_progress)
            for w in eng.warnings:
                print(f"review: warning: {path}: {w}", file=sys.stderr)
            file_worst = max((f.severity for f in findings), default=None)
            if args.format == "json":
                rendered = json.dumps(document_json(doc, findings), ensure_ascii=False)
            else:
                rendered = format_text(doc, findings)
            if use_cache and not eng.warnings:  # a timed-out rule may have missed findings
                cache.store(k, (len(doc.segments), file_worst, rendered))
        if file_worst is not None and (worst is None or file_worst > worst):
            worst = Severity(file_worst)
        outputs.append(rendered)
    if args.format == "json":
        # one file: the contract itself; several: {"schema", "documents": [{"file", ...contract}]}
        if len(outputs) == 1:
            payload = outputs[0]
        else:
            payload = "".join([f'{{"schema": {json.dumps(SCHEMA)}, "documents": ['] + [
                ("," if i else "") + f'{{"file": {json.dumps(f, ensure_ascii=False)}, ' + o[1:]  # o is "{...}"
                for i, (f, o) in enumerate(zip(args.files, outputs))] + ["]}"])
        if sys.stdout.isatty():  # indented for a person at a terminal, compact for a tool
            payload = json.dumps(json.loads(payload), ensure_ascii=False, indent=2)
        sys.stdout.write(payload + "\n")
    else:
        for text in outputs:
            if text:
                print(text)
    return 1 if worst is not None and worst >= fail_on else 0


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # replaced or closed stream
        return False


def _run_with_progress(engine, doc, disabled: bool):
    # a bar is for a person watching a terminal: piped or captured stderr gets none (and the
    # bar's redraws cost ~0.6 s of a 20,000-segment check in one process)
    if disabled or len(doc.segments) < PROGRESS_THRESHOLD or not _is_terminal(sys.stderr):
        return engine.check(doc)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    with Progress(TextColumn("checking {task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=console, transient=True) as prog:
        task = prog.add_task(Path(doc.name).name, total=len(doc.segments))
        return engine.check(doc, progress=lambda n: prog.update(task, completed=n))


def cmd_rules(args) -> int:
    from .engine import Engine

    eng = Engine.from_options(target_lang=args.target_lang)
    cat = eng.catalog()
    if args.format == "json":
        json.dump([{"id": i.id, "category": i.category, "severity": i.severity.label, "summary": i.summary,
                    "good": list(i.good), "bad": list(i.bad)} for i in cat], sys.stdout, ensure_ascii=False, indent=2)
        print()
    elif args.format == "markdown":
        print(rules_markdown(cat))
    else:
        for i in cat:
            print(f"{i.id:<22} {i.severity.label:<8} {i.category:<32} {i.summary}")
    return 0


def rules_markdown(cat) -> str:
    out = ["# Rule reference", "", "Generated by `review rules --format markdown`. Every example runs as a test.", ""]
    for i in cat:
        out += [f"## {i.id}", "", f"*{i.category}* · **{i.severity.label}**", "", i.summary, ""]
        if i.bad:
            out.append("Flagged:")
            out += [f"- `{b}`" for b in i.bad]
            out.append("")
        if i.good:
            out.append("Not flagged:")
            out += [f"- `{g}`" for g in i.good]
            out.append("")
    return "\n".join(out)


def cmd_eval(args) -> int:
    from .evaluate import run_evaluation

    return run_evaluation(args)


def cmd_app(args) -> int:
    from .app.launch import launch

    return launch(args)


def cmd_score(args) -> int:
    from .scoring import score_command

    return score_command(args)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    from . import commands

    handlers = {"check": cmd_check, "rules": cmd_rules, "eval": cmd_eval, "app": cmd_app, "score": cmd_score}
    handlers.update(commands.handlers())
    try:
        return handlers[args.command](args)
    except InputError as e:
        print(f"review: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("review: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # never a traceback for the user; REVIEW_DEBUG=1 shows it
        if os.environ.get("REVIEW_DEBUG"):
            raise
        print(f"review: error: {type(e).__name__}: {e} (set REVIEW_DEBUG=1 for details)", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
