"""XLIFF 1.2 (``translate.storage.xliff``) and XLIFF 2.x (``translate.storage.xliff2``).

One segment per ``<trans-unit>`` (1.2) or per ``<segment>`` (2.x; a multi-segment unit's ids are
``unit::segment`` as translate-toolkit names them). Inline markup stays in the text as tokens (see
:mod:`review.formats._xml`). Units marked ``translate="no"`` are not review segments.

Writing re-parses the original bytes, replaces corrected targets in place, sets the state (1.2:
``state`` on ``<target>``, ``signed-off`` for "reviewed"; 2.x: ``state`` on ``<segment>``) and
adds open findings as notes (1.2 ``<note from="review">``; 2.x ``<note category="review">`` in the
unit's ``<notes>``). Earlier review notes are replaced, so writing twice does not pile them up.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..model import Document, InputError, Segment
from . import _xml

NS12 = "urn:oasis:names:tc:xliff:document:1.2"
NS20 = "urn:oasis:names:tc:xliff:document:2.0"
REVIEW = "review"
STATE_12 = {"reviewed": "signed-off"}  # our state names → XLIFF 1.2 values
STATE_20 = {"signed-off": "reviewed"}


@dataclass
class _Rec:
    el: object  # trans-unit (1.2) or segment (2.x)
    unit: object  # trans-unit (1.2) or unit (2.x)
    id: str
    line: int
    ns: str


def _version(root) -> str:
    v = root.get("version") or ""
    ns = etree.QName(root).namespace or ""
    if v.startswith("2") or ":2." in ns:
        return "2"
    return "1"


def _load(data: bytes, name: str):
    _xml.screen(data, name, "XLIFF")
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as e:  # pragma: no cover - screen() already parsed it
        raise InputError(f"{name}: line {e.lineno}: not well-formed XML ({e.msg})") from None
    if _xml.local(root.tag) != "xliff":
        raise InputError(f"{name}: not an XLIFF file (root element <{_xml.local(root.tag)}>, expected <xliff>)")
    ver = _version(root)
    try:
        if ver == "2":
            from translate.storage.xliff2 import Xliff2File as cls
        else:
            from translate.storage.xliff import xlifffile as cls
        store = cls(data)
    except InputError:
        raise
    except Exception as e:
        raise InputError(f"{name}: cannot read XLIFF {ver}.x ({type(e).__name__}: {e})") from None
    return store, ver


def _records(store, ver: str, name: str) -> list[_Rec]:
    recs: list[_Rec] = []
    seen: set[str] = set()
    for n, u in enumerate(store.units, 1):
        el = u.xmlelement
        ns = etree.QName(el).namespace or ""
        if ver == "2":
            unit = el.getparent() if el.getparent() is not None else el
            if (unit.get("translate") or "").lower() == "no":
                continue
            try:
                uid = u.getid() or unit.get("id") or str(n)
            except Exception:
                uid = unit.get("id") or str(n)
            segs = [c for c in unit if _xml.local(c.tag) == "segment"]
            line = (unit.sourceline if len(segs) <= 1 else el.sourceline) or n
        else:
            if _xml.local(el.tag) != "trans-unit":
                continue
            if (el.get("translate") or "").lower() == "no":
                continue
            unit = el
            uid = el.get("id") or str(n)
            line = el.sourceline or n
        if uid in seen:
            uid = f"{uid}@{line}"
        seen.add(uid)
        recs.append(_Rec(el, unit, uid, line, ns))
    return recs


def _child(el, ns: str, name: str):
    for c in el:
        if c.tag == f"{{{ns}}}{name}" if ns else c.tag == name:
            return c
    return None


def _notes(rec: _Rec, ver: str) -> str:
    if ver == "2":
        box = _child(rec.unit, rec.ns, "notes")
        notes = [n for n in box if _xml.local(n.tag) == "note"] if box is not None else []
    else:
        notes = [n for n in rec.el if _xml.local(n.tag) == "note"]
    return "\n".join("".join(n.itertext()).strip() for n in notes if "".join(n.itertext()).strip())


def read(data: bytes, name: str, target_lang: str = "en") -> Document:
    store, ver = _load(data, name)
    root = store.document.getroot()
    if ver == "2":
        src_lang, tgt_lang = root.get("srcLang"), root.get("trgLang")
    else:
        f = next((c for c in root if _xml.local(c.tag) == "file"), None)
        src_lang = f.get("source-language") if f is not None else None
        tgt_lang = f.get("target-language") if f is not None else None
    tgt_lang = tgt_lang or target_lang
    segs: list[Segment] = []
    for rec in _records(store, ver, name):
        src_el = _child(rec.el, rec.ns, "source")
        tgt_el = _child(rec.el, rec.ns, "target")
        source, _ = _xml.get_inline(src_el, rec.ns)
        target, _ = _xml.get_inline(tgt_el, rec.ns)
        state = (rec.el.get("state") if ver == "2" else (tgt_el.get("state") if tgt_el is not None else None)) or ""
        segs.append(Segment(index=len(segs), id=rec.id, target=target, source=source, line=rec.line,
                            column=1, source_lang=src_lang, target_lang=tgt_lang, note=_notes(rec, ver),
                            state=state))
    return Document(name=name, segments=segs, format="xliff", source_lang=src_lang, target_lang=tgt_lang,
                    encoding=store.document.docinfo.encoding or "UTF-8",
                    meta={"bytes": data, "xliff_version": "2.0" if ver == "2" else "1.2",
                          "source_lang": src_lang})


def write(doc: Document, targets: dict[int, str], notes: dict[int, list[str]], state: str | None) -> bytes:
    data = doc.meta["bytes"]
    store, ver = _load(data, doc.name)
    recs = _records(store, ver, doc.name)
    if len(recs) != len(doc.segments):
        raise InputError(f"{doc.name}: the document no longer matches its file ({len(recs)} units, "
                         f"{len(doc.segments)} segments)")
    for seg, rec in zip(doc.segments, recs):
        ns = rec.ns
        q = (lambda n: f"{{{ns}}}{n}") if ns else (lambda n: n)  # noqa: E731
        src_el = _child(rec.el, ns, "source")
        tgt_el = _child(rec.el, ns, "target")
        if seg.index in targets:
            new = targets[seg.index]
            _, src_tokens = _xml.get_inline(src_el, ns)
            _, tgt_tokens = _xml.get_inline(tgt_el, ns)
            if tgt_el is None:
                tgt_el = etree.Element(q("target"))
                ref = _child(rec.el, ns, "seg-source")
                _xml.insert_after(rec.el, ref if ref is not None else src_el, tgt_el)
            _xml.set_inline(tgt_el, new, src_tokens + tgt_tokens, f"{doc.name}: segment {seg.id}")
        if state and tgt_el is not None:
            if ver == "2":
                rec.el.set("state", STATE_20.get(state, state))
            else:
                tgt_el.set("state", STATE_12.get(state, state))
        _write_notes(rec, ver, q, notes.get(seg.index, []), first=_first_of_unit(recs, rec))
    return _xml.serialize(store.document, data)


def _first_of_unit(recs: list[_Rec], rec: _Rec) -> bool:
    for r in recs:
        if r.unit is rec.unit:
            return r is rec
    return True


def _write_notes(rec: _Rec, ver: str, q, texts: list[str], first: bool) -> None:
    if ver == "2":
        box = _child(rec.unit, rec.ns, "notes")
        if first and box is not None:  # drop earlier review notes once per unit
            for n in [n for n in box if _xml.local(n.tag) == "note" and n.get("category") == REVIEW]:
                _xml.remove(n)
            if not len(box):
                _xml.remove(box)
                box = None
        if not texts:
            return
        if box is None:
            box = etree.Element(q("notes"))
            ref = next((c for c in rec.unit if _xml.local(c.tag) in ("originalData", "segment", "ignorable")), None)
            if ref is None:
                rec.unit.append(box)
            else:
                _xml.insert_before(rec.unit, ref, box)
            outer = box.tail if box.tail and not box.tail.strip() else ""
            box.text = outer + "  " if outer else None
            close = outer or None
        else:
            close = box[-1].tail if len(box) else box.text
        for t in texts:
            n = etree.SubElement(box, q("note"), category=REVIEW)
            n.text = t
        kids = list(box)
        for k in kids[:-1]:
            k.tail = box.text
        kids[-1].tail = close
        return
    for n in [n for n in rec.el if _xml.local(n.tag) == "note" and n.get("from") == REVIEW]:
        _xml.remove(n)
    if not texts:
        return
    children = [c for c in rec.el if isinstance(c.tag, str)]
    ref = next((c for c in reversed(children) if _xml.local(c.tag) in ("note", "target", "source", "seg-source")),
               children[-1] if children else None)
    for t in texts:
        n = etree.Element(q("note"))
        n.set("from", REVIEW)
        n.text = t
        if ref is None:
            rec.el.append(n)
        else:
            _xml.insert_after(rec.el, ref, n)
        ref = n
