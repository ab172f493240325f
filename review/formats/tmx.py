"""TMX 1.4 (``translate.storage.tmx``): one segment per ``<tu>``.

The source variant is the ``<tuv>`` in the unit's (else the header's) ``srclang``, or the first
``<tuv>``; the target is the ``<tuv>`` in the requested target language (primary subtag match,
``en`` finds ``en-US``), else the first other ``<tuv>``. The review state is kept in
``<prop type="x-review-state">``; review notes are ``<note>review: RULE: message</note>``
(TMX notes have no origin attribute, hence the prefix).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ..model import Document, InputError, Segment
from . import _xml

STATE_PROP = "x-review-state"
NOTE_PREFIX = "review: "
XML_LANG = f"{{{_xml.XML_NS}}}lang"


def _lang(tuv) -> str:
    return tuv.get(XML_LANG) or tuv.get("lang") or ""


def _primary(lang: str | None) -> str:
    return (lang or "").replace("_", "-").split("-")[0].lower()


@dataclass
class _Rec:
    tu: object
    src: object
    tgt: object
    id: str
    line: int


def _load(data: bytes, name: str):
    _xml.screen(data, name, "TMX")
    root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    if _xml.local(root.tag) != "tmx":
        raise InputError(f"{name}: not a TMX file (root element <{_xml.local(root.tag)}>, expected <tmx>)")
    try:
        from translate.storage.tmx import tmxfile

        store = tmxfile(data)
    except Exception as e:
        raise InputError(f"{name}: cannot read TMX ({type(e).__name__}: {e})") from None
    return store


def _header_srclang(store) -> str | None:
    h = store.document.getroot().find("header")
    lang = h.get("srclang") if h is not None else None
    return None if not lang or lang.lower() == "*all*" else lang


def _seg(tuv):
    return tuv.find("seg") if tuv is not None else None


def _records(store, target_lang: str) -> list[_Rec]:
    head_src = _header_srclang(store)
    recs: list[_Rec] = []
    seen: set[str] = set()
    for n, u in enumerate(store.units, 1):
        tu = u.xmlelement
        tuvs = [c for c in tu if _xml.local(c.tag) == "tuv"]
        srclang = tu.get("srclang") or head_src
        if srclang and srclang.lower() == "*all*":
            srclang = None
        src = next((t for t in tuvs if _lang(t).lower() == (srclang or "").lower()), None)
        if src is None and srclang:
            src = next((t for t in tuvs if _primary(_lang(t)) == _primary(srclang)), None)
        others = [t for t in tuvs if t is not src]
        tgt = next((t for t in others if _primary(_lang(t)) == _primary(target_lang)), None)
        if src is None:
            if tgt is not None:
                src = next((t for t in tuvs if t is not tgt), None)
            elif tuvs:
                src = tuvs[0]
            others = [t for t in tuvs if t is not src]
        if tgt is None:
            tgt = others[0] if others else None
        uid = tu.get("tuid") or str(n)
        if uid in seen:
            uid = f"{uid}@{tu.sourceline}"
        seen.add(uid)
        recs.append(_Rec(tu, src, tgt, uid, tu.sourceline or n))
    return recs


def read(data: bytes, name: str, target_lang: str = "en") -> Document:
    store = _load(data, name)
    src_lang = _header_srclang(store)
    segs: list[Segment] = []
    tgt_lang = target_lang
    for rec in _records(store, target_lang):
        source, _ = _xml.get_inline(_seg(rec.src), "")
        target, _ = _xml.get_inline(_seg(rec.tgt), "")
        if rec.tgt is not None and _lang(rec.tgt):
            tgt_lang = _lang(rec.tgt)
        notes = "\n".join("".join(n.itertext()).strip() for n in rec.tu if _xml.local(n.tag) == "note")
        prop = next((p for p in rec.tu if _xml.local(p.tag) == "prop" and p.get("type") == STATE_PROP), None)
        slang = _lang(rec.src) if rec.src is not None else src_lang
        segs.append(Segment(index=len(segs), id=rec.id, target=target, source=source, line=rec.line, column=1,
                            source_lang=slang or src_lang, target_lang=target_lang, note=notes,
                            state=(prop.text or "") if prop is not None else ""))
    return Document(name=name, segments=segs, format="tmx", source_lang=src_lang, target_lang=tgt_lang,
                    encoding=store.document.docinfo.encoding or "UTF-8",
                    meta={"bytes": data, "request_target_lang": target_lang, "source_lang": src_lang})


def write(doc: Document, targets: dict[int, str], notes: dict[int, list[str]], state: str | None) -> bytes:
    data = doc.meta["bytes"]
    store = _load(data, doc.name)
    recs = _records(store, doc.meta.get("request_target_lang", doc.target_lang))
    if len(recs) != len(doc.segments):
        raise InputError(f"{doc.name}: the document no longer matches its file")
    for seg, rec in zip(doc.segments, recs):
        tu = rec.tu
        if seg.index in targets:
            _, src_tokens = _xml.get_inline(_seg(rec.src), "")
            _, tgt_tokens = _xml.get_inline(_seg(rec.tgt), "")
            if rec.tgt is None:
                rec.tgt = etree.Element("tuv")
                rec.tgt.set(XML_LANG, doc.meta.get("request_target_lang") or doc.target_lang)
                etree.SubElement(rec.tgt, "seg")
                last = [c for c in tu if _xml.local(c.tag) == "tuv"][-1]
                _xml.insert_after(tu, last, rec.tgt)
            seg_el = _seg(rec.tgt)
            if seg_el is None:
                seg_el = etree.SubElement(rec.tgt, "seg")
            _xml.set_inline(seg_el, targets[seg.index], src_tokens + tgt_tokens, f"{doc.name}: segment {seg.id}")
        first_tuv = next((c for c in tu if _xml.local(c.tag) == "tuv"), None)
        if state:
            prop = next((p for p in tu if _xml.local(p.tag) == "prop" and p.get("type") == STATE_PROP), None)
            if prop is None:
                prop = etree.Element("prop", type=STATE_PROP)
                if first_tuv is not None:
                    _xml.insert_before(tu, first_tuv, prop)
                else:
                    tu.append(prop)
            prop.text = state
        for n in [n for n in tu if _xml.local(n.tag) == "note" and (n.text or "").startswith(NOTE_PREFIX)]:
            _xml.remove(n)
        for text in notes.get(seg.index, []):
            n = etree.Element("note")
            n.text = NOTE_PREFIX + text
            ref = next((c for c in tu if _xml.local(c.tag) in ("prop", "tuv")), None)
            if ref is not None:
                _xml.insert_before(tu, ref, n)
            else:
                tu.append(n)
    return _xml.serialize(store.document, data)
