"""Subcommands ``review report`` and ``review glossary`` (argparse wiring).

``review/cli.py`` calls :func:`add_parsers` with its sub-parser action and merges
:func:`handlers` into its command table. Handlers return an exit code and raise
:class:`~review.model.InputError` for anything the user must fix (the CLI prints it as one line).

Glossary commands never write into the repository's ``glossaries/`` folder unless that path is
given explicitly (``--into``, ``-o`` or ``--glossary``); ``add`` without ``--glossary`` writes to
``$REVIEW_GLOSSARY`` or ``./glossary.tbx``.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path
from typing import Callable

from .model import InputError

__all__ = ["add_parsers", "handlers", "cmd_report", "cmd_glossary"]

DEFAULT_USER_GLOSSARY = "glossary.tbx"
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


def add_parsers(sub) -> None:
    """Add ``report`` and ``glossary`` to ``sub`` (the result of ``parser.add_subparsers``)."""
    r = sub.add_parser("report", help="write a self-contained HTML report (and optionally a CSV of findings)")
    r.add_argument("file", metavar="FILE", help="plain text, TSV/CSV, XLIFF, TMX or PO")
    r.add_argument("-o", "--output", metavar="HTML", default="report.html", help="report file (default: report.html)")
    r.add_argument("--csv", metavar="CSV", help="also write every finding to this CSV file")
    r.add_argument("--corrected", metavar="FILE", help="post-edited version of FILE: adds the post-edit diff and scores")
    r.add_argument("--glossary", action="append", default=[], metavar="FILE", help="extra TBX/CSV glossary (repeatable)")
    r.add_argument("--no-default-glossary", action="store_true", help="do not load the built-in term base")
    r.add_argument("--rules", action="append", default=[], metavar="FILE", help="extra YAML rule pack (repeatable)")
    r.add_argument("--profile", metavar="FILE", help="YAML check profile (select, ignore, severity, dismiss …)")
    r.add_argument("--mqm-profile", metavar="FILE", help="YAML scoring profile: weights, threshold")
    r.add_argument("--threshold", type=float, metavar="N", help="pass/fail threshold in penalty points per 1,000 words (default 25)")
    r.add_argument("--select", action="append", metavar="PREFIXES")
    r.add_argument("--ignore", action="append", metavar="PREFIXES")
    r.add_argument("--enable", action="append", metavar="PREFIXES")
    r.add_argument("--source-lang", metavar="L")
    r.add_argument("--target-lang", metavar="L", default="en")

    g = sub.add_parser("glossary", help="import, export, add to and list term bases (TBX/CSV)")
    gs = g.add_subparsers(dest="glossary_command", metavar="ACTION", parser_class=type(g))
    gs.required = True
    gi = gs.add_parser("import", help="read a TBX/CSV glossary and write (or merge it into) a TBX/CSV file")
    gi.add_argument("file", metavar="FILE")
    gi.add_argument("--into", required=True, metavar="OUT", help="glossary to create or merge into (.tbx, .csv or .tsv)")
    ge = gs.add_parser("export", help="write a glossary as TBX or CSV")
    ge.add_argument("--format", choices=("tbx", "csv"), required=True)
    ge.add_argument("-o", "--output", required=True, metavar="OUT")
    ge.add_argument("--glossary", action="append", default=[], metavar="FILE",
                    help="glossary to export (repeatable; default: the built-in term base)")
    ga = gs.add_parser("add", help="add a term to a glossary file")
    ga.add_argument("--term", required=True)
    ga.add_argument("--lang", required=True)
    ga.add_argument("--status", required=True, choices=("preferred", "admitted", "deprecated"))
    ga.add_argument("--replacement", help="preferred term to use instead (deprecated terms only)")
    ga.add_argument("--note")
    ga.add_argument("--concept", metavar="ID", help="concept to add the term to (default: a new concept, or "
                    "the concept of --replacement)")
    ga.add_argument("--glossary", metavar="FILE", help=f"glossary to change (default: $REVIEW_GLOSSARY or ./{DEFAULT_USER_GLOSSARY})")
    gl = gs.add_parser("list", help="list the terms of a glossary")
    gl.add_argument("--lang")
    gl.add_argument("--search", metavar="S", help="only concepts with a term or note containing S")
    gl.add_argument("--glossary", action="append", default=[], metavar="FILE",
                    help="glossary to list (repeatable; default: the built-in term base)")


def handlers() -> dict[str, Callable[[object], int]]:
    return {"report": cmd_report, "glossary": cmd_glossary}


def cmd_report(args) -> int:
    from .report import report_command

    return report_command(args)


# ------------------------------------------------------------------------------------------------
# glossary
# ------------------------------------------------------------------------------------------------
def cmd_glossary(args) -> int:
    action = getattr(args, "glossary_command", None)
    fn = {"import": _g_import, "export": _g_export, "add": _g_add, "list": _g_list}.get(action)
    if fn is None:
        raise InputError("glossary: choose an action: import, export, add or list")
    return fn(args)


def _load(paths):
    from .glossary import Glossary

    return Glossary.load(list(paths)) if paths else Glossary.default()


def _save(glossary, out: Path) -> None:
    """Write atomically (temp file + rename) as TBX or CSV/TSV by the file's suffix."""
    suffix = out.suffix.lower()
    if suffix not in (".tbx", ".xml", ".csv", ".tsv"):
        raise InputError(f"{out}: unknown glossary format {suffix or '(no extension)'!r} (expected .tbx, .csv or .tsv)")
    if out.is_dir():
        raise InputError(f"{out}: is a directory")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{out}: folder {parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=".glossary-", suffix=suffix, dir=parent)
    os.close(fd)
    try:
        if suffix in (".csv", ".tsv"):
            glossary.save_csv(tmp)
        else:
            glossary.save_tbx(tmp)
        os.replace(tmp, out)
    except OSError as e:
        raise InputError(f"{out}: cannot write ({e.strerror or e})") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _is_repo_glossary_dir(path: Path) -> bool:
    from .glossary import REPO_GLOSSARY_DIR

    try:
        path.resolve().relative_to(REPO_GLOSSARY_DIR.resolve())
        return True
    except ValueError:
        return False


def _g_import(args) -> int:
    from .glossary import Glossary

    incoming = Glossary.load_file(args.file)
    out = Path(args.into)
    if out.exists():
        target = Glossary.load_file(out)
        for c in incoming:
            target.upsert(c)
        if not target.title:
            target.title = incoming.title
    else:
        target = incoming
    _save(target, out)
    print(f"review: {len(incoming)} concepts from {args.file} → {out} ({len(target)} concepts)", file=sys.stderr)
    return 0


def _g_export(args) -> int:
    g = _load(args.glossary)
    out = Path(args.output)
    want = ".tbx" if args.format == "tbx" else (".tsv" if out.suffix.lower() == ".tsv" else ".csv")
    if out.suffix.lower() not in ((".tbx", ".xml") if args.format == "tbx" else (".csv", ".tsv")):
        raise InputError(f"{out}: field output: a {args.format.upper()} export needs a {want} file name")
    _save(g, out)
    print(f"review: wrote {len(g)} concepts to {out}", file=sys.stderr)
    return 0


def _slug(text: str) -> str:
    s = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return s[:60] or "term"


def _g_add(args) -> int:
    from dataclasses import replace

    from .glossary import Concept, Glossary, Term, term_text

    explicit = args.glossary is not None
    path = Path(args.glossary or os.environ.get("REVIEW_GLOSSARY") or DEFAULT_USER_GLOSSARY)
    if not explicit and _is_repo_glossary_dir(path):
        raise InputError(f"{path}: refusing to change the repository's glossaries/ implicitly; "
                         "pass --glossary with that path to do it on purpose")
    term = (args.term or "").strip()
    lang = (args.lang or "").strip()
    entry = args.concept or _slug(term)
    if not term:
        raise InputError(f"{path}: entry {entry!r}: field term: empty term")
    if not _LANG_RE.match(lang):
        raise InputError(f"{path}: entry {entry!r}: field lang: {lang!r} is not a language code (e.g. en, ja, fr-CA)")
    repl = (args.replacement or "").strip() or None
    if repl and args.status != "deprecated":
        raise InputError(f"{path}: entry {entry!r}: field replacement: only a deprecated term has a replacement "
                         f"(status is {args.status})")
    try:
        term = term_text(term)
    except ValueError as e:
        raise InputError(f"{path}: entry {entry!r}: field term: {e}") from None
    try:
        repl = term_text(repl) if repl else None
    except ValueError as e:
        raise InputError(f"{path}: entry {entry!r}: field replacement: {e}") from None
    g = Glossary.load_file(path) if path.exists() else Glossary(title="User glossary")
    try:
        new_term = Term(term, lang, args.status)
    except ValueError as e:
        raise InputError(f"{path}: entry {entry!r}: field status: {e}") from None

    concept = g.get(args.concept) if args.concept else None
    if concept is None and not args.concept and repl:
        # attach a deprecated variant to the concept that already has its replacement
        for c in g:
            if any(t.text.lower() == repl.lower() for t in c.in_lang(lang)):
                concept = c
                break
    if concept is None:
        cid = args.concept or _slug(term)
        base, k = cid, 2
        while not args.concept and cid in g:
            cid, k = f"{base}-{k}", k + 1
        terms = [new_term]
        if repl:
            terms.append(Term(repl, lang, "preferred"))
        g.add(Concept(cid, tuple(terms), note=args.note or ""))
        entry = cid
    else:
        entry = concept.id
        if any(t.text == term and t.lang == new_term.lang for t in concept.terms):
            raise InputError(f"{path}: entry {entry!r}: field term: {term!r} ({lang}) is already in this concept")
        terms = list(concept.terms) + [new_term]
        if repl and not any(t.text.lower() == repl.lower() and t.lang == new_term.lang for t in terms):
            terms.append(Term(repl, lang, "preferred"))
        note = concept.note
        if args.note:
            note = f"{note}\n{args.note}".strip() if note else args.note
        g.replace(replace(concept, terms=tuple(terms), note=note))
    _save(g, path)
    print(f"review: added {term!r} ({lang}, {args.status}) to {entry!r} in {path}", file=sys.stderr)
    return 0


def _g_list(args) -> int:
    g = _load(args.glossary)
    lang = args.lang.strip().replace("_", "-").split("-")[0].lower() if args.lang else None
    needle = (args.search or "").lower()
    n = 0
    for c in g:
        if needle and not (any(needle in t.text.lower() for t in c.terms) or needle in c.note.lower()
                           or needle in c.id.lower()):
            continue
        for t in c.terms:
            if lang and t.lang != lang:
                continue
            extra = ""
            if t.status == "deprecated":
                p = c.preferred(t.lang)
                extra = f" → {p.text}" if p else ""
            print(f"{c.id}\t{t.lang}\t{t.status}\t{t.text}{extra}")
            n += 1
    print(f"review: {n} terms", file=sys.stderr)
    return 0
