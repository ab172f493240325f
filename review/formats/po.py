"""Gettext PO/POT (``translate.storage.pypo``).

One segment per entry; a plural entry gives one segment per ``msgstr[n]`` with id ``msgid[n]``
(source: ``msgid`` for form 0, ``msgid_plural`` for the others). The header and obsolete (``#~``)
entries are not segments. ``state`` is ``fuzzy``, ``translated`` or ``untranslated``.

Writing sets corrected ``msgstr``s, clears ``fuzzy`` (when a state is written) and adds open
findings as translator comments ``# review: RULE message`` (earlier ones are replaced). Entries
that are not touched are serialized by pypo exactly as they were read.
"""

from __future__ import annotations

import re

from ..model import Document, InputError, Segment

REVIEW_PREFIX = "review: "


def _load(data: bytes, name: str):
    from translate.storage import pypo
    from translate.storage.poparser import PoParseError

    if not data.strip():
        raise InputError(f"{name}: empty file (expected a PO file)")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{name}: binary data (NUL bytes), not a PO file")
    try:
        return pypo.pofile(data)
    except PoParseError as e:
        msg = str(e)
        m = re.search(r"on line (\d+)", msg)
        where = f"line {m.group(1)}: " if m else ""
        short = re.sub(r"\s*on line \d+", "", msg).split(":")[0]
        raise InputError(f"{name}: {where}malformed PO ({short})") from None
    except (UnicodeDecodeError, LookupError) as e:
        raise InputError(f"{name}: cannot decode the PO file ({e})") from None
    except Exception as e:
        raise InputError(f"{name}: cannot read PO ({type(e).__name__}: {e})") from None


def _entry_lines(store, data: bytes) -> list[int]:
    """1-based line of each entry's ``msgid`` (header and obsolete entries included)."""
    enc = getattr(store, "encoding", None) or "utf-8"
    try:
        text = data.decode(enc if enc.lower() != "charset" else "utf-8", errors="replace")
    except LookupError:
        text = data.decode("utf-8", errors="replace")
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        if line.startswith("msgid ") or line.startswith("#~ msgid "):
            out.append(i)
    return out


def _strings(value) -> list[str]:
    strings = getattr(value, "strings", None)
    if strings is not None:
        return [str(s) for s in strings]
    return [str(value or "")]


def _records(store, data: bytes):
    """(unit, plural form or None, id, line) for every reviewable segment, in file order."""
    lines = _entry_lines(store, data)
    if len(lines) != len(store.units):
        lines = []
    recs = []
    seen: set[str] = set()
    for n, u in enumerate(store.units):
        if u.isheader() or u.isobsolete():
            continue
        line = lines[n] if lines else n + 1
        ctx = u.getcontext()
        base = _strings(u.source)[0]
        base_id = f"{ctx}\x04{base}" if ctx else base
        if u.hasplural():
            nforms = max(len(_strings(u.target)), 2)
            for k in range(nforms):
                recs.append((u, k, f"{base_id}[{k}]", line))
        else:
            uid = base_id if base_id not in seen else f"{base_id}@{line}"
            seen.add(uid)
            recs.append((u, None, uid, line))
    return recs


def read(data: bytes, name: str, target_lang: str = "en") -> Document:
    store = _load(data, name)
    header = {}
    try:
        header = store.parseheader()
    except Exception:
        pass
    tgt_lang = (header.get("Language") or "").strip() or target_lang
    src_lang = (header.get("X-Source-Language") or "").strip() or None
    segs: list[Segment] = []
    for u, k, uid, line in _records(store, data):
        srcs = _strings(u.source)
        tgts = _strings(u.target)
        if k is None:
            source, target = srcs[0], tgts[0] if tgts else ""
        else:
            source = srcs[0] if k == 0 or len(srcs) < 2 else srcs[1]
            target = tgts[k] if k < len(tgts) else ""
        state = "fuzzy" if u.isfuzzy() else ("translated" if any(tgts) else "untranslated")
        segs.append(Segment(index=len(segs), id=uid, target=target, source=source, line=line, column=1,
                            source_lang=src_lang, target_lang=tgt_lang, note=u.getnotes() or "",
                            state=state))
    return Document(name=name, segments=segs, format="po", source_lang=src_lang, target_lang=tgt_lang,
                    encoding=getattr(store, "encoding", "utf-8") or "utf-8",
                    meta={"bytes": data, "source_lang": src_lang})


def write(doc: Document, targets: dict[int, str], notes: dict[int, list[str]], state: str | None) -> bytes:
    from translate.misc.multistring import multistring

    data = doc.meta["bytes"]
    store = _load(data, doc.name)
    recs = _records(store, data)
    if len(recs) != len(doc.segments):
        raise InputError(f"{doc.name}: the document no longer matches its file")
    per_unit: dict[int, list[tuple[int, object, int | None]]] = {}
    for seg, (u, k, _, _) in zip(doc.segments, recs):
        per_unit.setdefault(id(u), []).append((seg.index, u, k))
    for items in per_unit.values():
        u = items[0][1]
        changed = {i: targets[i] for i, _, _ in items if i in targets}
        if changed:
            if u.hasplural():
                forms = _strings(u.target)
                n = max(len(forms), max(k for _, _, k in items) + 1)
                forms += [""] * (n - len(forms))
                for i, _, k in items:
                    if i in changed:
                        forms[k] = changed[i]
                u.target = multistring(forms)
            else:
                u.target = changed[items[0][0]]
        if state and u.isfuzzy():
            u.markfuzzy(False)
        texts = [t for i, _, _ in items for t in notes.get(i, [])]
        old = [c for c in u.othercomments if c.startswith("# " + REVIEW_PREFIX)]
        if old or texts:
            kept = [c for c in u.othercomments if not c.startswith("# " + REVIEW_PREFIX)]
            nl = getattr(u, "newline", "\n")
            u.othercomments = kept + [f"# {REVIEW_PREFIX}{' '.join(t.splitlines())}{nl}" for t in texts]
    return bytes(store)
