"""XML helpers shared by the XLIFF and TMX readers/writers.

* :func:`screen` parses untrusted bytes once with defusedxml *before* lxml (translate-toolkit)
  sees them: entity declarations (billion laughs) and external entities are refused, malformed
  XML is reported with its line. Every failure is an :class:`~review.model.InputError`.
* Inline markup (XLIFF ``<x/>``, ``<g>``, ``<bpt>``, ``<ph>``, ``<pc>``; TMX ``<bpt>``, ``<ph>``,
  ``<hi>`` ...) is kept in the segment text as *tokens*: the element written as XML without its
  namespace, e.g. ``<x id="1"/>``, ``<g id="2">`` … ``</g>``, ``<bpt id="3">&lt;b&gt;</bpt>``.
  Plain text around them is kept unescaped (``&`` is ``&``), so checks see readable text.
  :func:`set_inline` turns a (corrected) text back into XML content: only the tokens the unit
  already had are markup; anything else, even if it looks like a tag, is text.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as _xml_escape
from xml.sax.saxutils import quoteattr

from lxml import etree

from ..model import InputError

XML_NS = "http://www.w3.org/XML/1998/namespace"

# Elements whose content is native code (not translatable text): one token for the whole element.
CODE_ELEMENTS = frozenset({"bpt", "ept", "ph", "it", "ut"})


def screen(data: bytes, name: str, what: str) -> None:
    """Refuse unsafe or malformed XML before anything else parses it."""
    import defusedxml
    import defusedxml.ElementTree as DET
    from xml.etree.ElementTree import ParseError

    if not data.strip():
        raise InputError(f"{name}: empty file (expected {what})")
    try:
        DET.fromstring(data)
    except defusedxml.EntitiesForbidden as e:
        kind = "external entity" if getattr(e, "system_id", None) else "entity declaration"
        raise InputError(f"{name}: unsafe XML refused: the DOCTYPE has an {kind} ({e.name!r}); "
                         f"{what} files never need one") from None
    except defusedxml.DefusedXmlException as e:
        raise InputError(f"{name}: unsafe XML refused ({type(e).__name__})") from None
    except ParseError as e:
        line, col = getattr(e, "position", (None, None))
        msg = str(e).split(":")[0]
        where = f"line {line}: " if line else ""
        raise InputError(f"{name}: {where}not well-formed XML ({msg}, column {col})") from None
    except (ValueError, LookupError) as e:  # unknown encoding declaration and the like
        raise InputError(f"{name}: cannot parse XML ({e})") from None


def local(tag) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _prefixed(el, key: str) -> str:
    if not key.startswith("{"):
        return key
    ns, loc = key[1:].split("}", 1)
    if ns == XML_NS:
        return f"xml:{loc}"
    for p, u in (el.nsmap or {}).items():
        if u == ns and p:
            return f"{p}:{loc}"
    return loc


def _el_name(el, default_ns: str | None) -> str:
    q = etree.QName(el)
    if q.namespace and q.namespace != default_ns:
        for p, u in (el.nsmap or {}).items():
            if u == q.namespace and p:
                return f"{p}:{q.localname}"
    return q.localname


def _start(el, default_ns, close: bool) -> str:
    attrs = "".join(f" {_prefixed(el, k)}={quoteattr(v)}" for k, v in el.attrib.items())
    return f"<{_el_name(el, default_ns)}{attrs}{'/' if close else ''}>"


def _code_inner(el, default_ns) -> str:
    out = [_xml_escape(el.text or "")]
    for ch in el:
        out.append(_whole(ch, default_ns))
        out.append(_xml_escape(ch.tail or ""))
    return "".join(out)


def _whole(el, default_ns) -> str:
    if not isinstance(el.tag, str):  # comment / PI inside code
        return etree.tostring(el, encoding="unicode", with_tail=False)
    if el.text is None and len(el) == 0:
        return _start(el, default_ns, True)
    return f"{_start(el, default_ns, False)}{_code_inner(el, default_ns)}</{_el_name(el, default_ns)}>"


def get_inline(el, default_ns: str | None = None) -> tuple[str, list[str]]:
    """Text of ``el`` with inline elements as tokens, and the list of tokens used."""
    if el is None:
        return "", []
    default_ns = default_ns if default_ns is not None else etree.QName(el).namespace
    out: list[str] = []
    tokens: list[str] = []

    def walk(node) -> None:
        out.append(node.text or "")
        for ch in node:
            if not isinstance(ch.tag, str):  # comments/PIs: keep as tokens too
                tok = etree.tostring(ch, encoding="unicode", with_tail=False)
                out.append(tok)
                tokens.append(tok)
            elif local(ch.tag) in CODE_ELEMENTS or (ch.text is None and len(ch) == 0):
                tok = _whole(ch, default_ns)
                out.append(tok)
                tokens.append(tok)
            else:
                open_, close = _start(ch, default_ns, False), f"</{_el_name(ch, default_ns)}>"
                out.append(open_)
                tokens.append(open_)
                walk(ch)
                out.append(close)
                tokens.append(close)
            out.append(ch.tail or "")

    walk(el)
    return "".join(out), tokens


def set_inline(el, text: str, tokens, where: str) -> None:
    """Replace the content of ``el`` with ``text``, turning known ``tokens`` back into elements."""
    toks = sorted({t for t in tokens if t}, key=len, reverse=True)
    if toks:
        parts = re.split("(" + "|".join(re.escape(t) for t in toks) + ")", text)
    else:
        parts = [text]
    known = set(toks)
    xml = "".join(p if p in known else _xml_escape(p) for p in parts)
    nsdecl = "".join(f" xmlns:{p}={quoteattr(u)}" if p else f" xmlns={quoteattr(u)}"
                     for p, u in (el.nsmap or {}).items())
    try:
        wrapper = etree.fromstring(f"<wrap{nsdecl}>{xml}</wrap>",
                                   parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        raise InputError(f"{where}: the corrected target has unbalanced inline tags") from None
    for ch in list(el):
        el.remove(ch)
    el.text = wrapper.text
    for ch in list(wrapper):
        el.append(ch)


def insert_after(parent, ref, new) -> None:
    """Insert ``new`` after ``ref`` with ``ref``'s indentation (tail)."""
    i = parent.index(ref)
    before = parent[i - 1].tail if i > 0 else parent.text
    new.tail = ref.tail
    if before is not None and not before.strip():
        ref.tail = before
    parent.insert(i + 1, new)


def insert_before(parent, ref, new) -> None:
    i = parent.index(ref)
    prev_tail = parent[i - 1].tail if i > 0 else parent.text
    new.tail = prev_tail if prev_tail and not prev_tail.strip() else None
    parent.insert(i, new)


def remove(el) -> None:
    """Remove ``el`` and the whitespace before it (so no blank line is left)."""
    parent = el.getparent()
    i = parent.index(el)
    if i > 0:
        prev = parent[i - 1]
        prev.tail = el.tail
    else:
        parent.text = el.tail
    parent.remove(el)


def serialize(tree, original: bytes) -> bytes:
    """Serialize without re-indenting; keep the original XML declaration and BOM."""
    enc = tree.docinfo.encoding or "UTF-8"
    if enc.lower().replace("-", "").replace("_", "") != "utf8":
        return etree.tostring(tree, encoding=enc, xml_declaration=True)
    body = etree.tostring(tree, encoding=enc, xml_declaration=False)
    if body.startswith(b"<?xml"):  # lxml adds one for non-UTF-8 encodings
        body = body.split(b"?>", 1)[1].lstrip(b"\r\n")
    head = b""
    bom = b""
    src = original
    for b in (b"\xef\xbb\xbf",):
        if src.startswith(b):
            bom, src = b, src[len(b):]
    if src.startswith(b"<?xml"):
        end = src.find(b"?>")
        if end >= 0:
            j = end + 2
            while j < len(src) and src[j:j + 1] in (b"\r", b"\n"):
                j += 1
            head = src[:j]
    return bom + head + body + (b"\n" if original.rstrip(b" \t").endswith(b"\n") and not body.endswith(b"\n") else b"")
