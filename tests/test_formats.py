"""XLIFF 1.2/2.0, TMX and PO: reading, writing corrected targets back in place, safety, BI-TAG-001."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from review import formats
from review.formats.tags import TagCheck, drop_markup_findings, tag_tokens
from review.io import load_bytes, load_path
from review.model import Finding, InputError, Segment, Severity

FIX = Path(__file__).resolve().parent / "fixtures" / "formats"
XLF12 = FIX / "news.ja-en.xlf"
XLF20 = FIX / "site.fr-en.xlf"
TMX = FIX / "news.ja-en.tmx"
PO = FIX / "app.fr-en.po"


def _copy(src: Path, tmp_path: Path) -> Path:
    dst = tmp_path / src.name
    shutil.copyfile(src, dst)
    return dst


def _finding(seg: int, rule: str = "EN-TEST-001", msg: str = "Test <message> & more") -> Finding:
    return Finding(rule=rule, segment=seg, start=0, end=3, text="The", category="Fluency/Grammar",
                   severity=Severity.MINOR, message=msg)


def _units(doc):
    return [(s.id, s.source, s.target, s.note, s.state, s.line) for s in doc.segments]


def _round_trip(path: Path, tmp_path: Path, index: int, new_target: str, findings=(), state="reviewed"):
    """read → correct one target → write → read again; returns (before, after, written bytes)."""
    before = load_path(path)
    out = tmp_path / ("out" + path.suffix)
    data = formats.write(before, {index: new_target}, list(findings), out, state=state)
    assert out.read_bytes() == data
    after = load_path(out)
    return before, after, data


def _assert_only(before, after, index, new_target, noted=(), state_changed=True, state_of=None):
    assert len(before.segments) == len(after.segments)
    for b, a in zip(before.segments, after.segments):
        assert a.id == b.id
        assert a.source == b.source
        if b.index == index:
            assert a.target == new_target
        else:
            assert a.target == b.target, b.id
        if b.index in noted:
            assert a.note != b.note and a.note.startswith(b.note)
        else:
            assert a.note == b.note, b.id
        if not state_changed:
            assert a.state == b.state
        elif state_of is not None:
            assert a.state == state_of(b)


# ------------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------------
def test_read_xliff12_japanese_with_tags_notes_and_languages():
    doc = load_path(XLF12)
    assert doc.format == "xliff" and doc.meta["xliff_version"] == "1.2"
    # the header's languages (review.io may re-detect doc.source_lang per segment; the header's
    # value is kept in meta)
    assert doc.meta["source_lang"] == "ja-JP" and doc.target_lang == "en-US"
    assert doc.source_lang.startswith("ja")
    s0, s1, s2 = doc.segments
    assert (s0.id, s1.id, s2.id) == ("u1", "u2", "u3")
    assert s0.source == "NATO首脳会議が<x id=\"1\"/>マドリードで開かれた。"
    assert s0.target == "The NATO summit was held <x id=\"1\"/>in Madrid."
    assert s0.note == "machine translated" and s0.state == "needs-review-translation"
    assert s0.line == 5 and s1.line == 10 and s2.line == 14
    assert s0.start is None and s0.end is None
    assert s1.target == 'The prime minister told <g id="2">reporters</g>.'
    # native-code elements keep their escaped content; plain text is unescaped
    assert s2.target == 'He <bpt id="3">&lt;b&gt;</bpt>stressed<ept id="3">&lt;/b&gt;</ept> it & more.'
    assert "bytes" in doc.meta


def test_read_xliff20_french_multi_segment_units():
    doc = load_path(XLF20)
    assert doc.meta["xliff_version"] == "2.0"
    assert doc.meta["source_lang"] == "fr" and doc.source_lang == "fr" and doc.target_lang == "en"
    ids = [s.id for s in doc.segments]
    assert ids == ["1", "2", "3::s1", "3::s2"]
    assert doc.segments[0].source == 'Bienvenue à <pc id="1">Madrid</pc> !'
    assert doc.segments[0].note == "Page title"
    assert doc.segments[0].state == "translated"
    assert doc.segments[1].source == 'Cliquez <ph id="1"/> pour continuer.'


def test_read_tmx_header_language_and_target_selection():
    doc = load_path(TMX)
    assert doc.format == "tmx" and doc.source_lang == "ja"
    assert [s.id for s in doc.segments] == ["t1", "2"]
    s0 = doc.segments[0]
    assert s0.source.startswith("首相は<bpt i=\"1\">&lt;b&gt;</bpt>")
    assert s0.target.startswith("The prime minister told")
    assert s0.note == "from NHK" and s0.line == 6
    assert doc.segments[1].target == ""  # no English variant yet


def test_read_po_plurals_context_and_header():
    doc = load_path(PO)
    assert doc.format == "po" and doc.target_lang == "en" and doc.source_lang == "fr"
    ids = [s.id for s in doc.segments]
    assert ids[2:4] == ["%d fichier supprimé[0]", "%d fichier supprimé[1]"]
    assert ids[1] == "menu\x04Fichier"
    assert doc.segments[3].source == "%d fichiers supprimés" and doc.segments[3].target == "files deleted"
    assert doc.segments[1].state == "fuzzy" and doc.segments[0].state == "translated"
    assert doc.segments[0].note == "Shown on the home page"
    assert [s.line for s in doc.segments] == [12, 17, 20, 20, 25]
    assert len(doc.segments) == 5  # header and the obsolete entry are not segments


# ------------------------------------------------------------------------------------------------
# Round trips
# ------------------------------------------------------------------------------------------------
def test_round_trip_xliff12(tmp_path):
    new = 'The NATO summit <x id="1"/>was held in Madrid & Spain.'
    before, after, data = _round_trip(XLF12, tmp_path, 0, new, [_finding(1)])
    _assert_only(before, after, 0, new, noted={1}, state_of=lambda b: "signed-off")
    assert '<note from="review">EN-TEST-001: Test &lt;message&gt; &amp; more</note>' in data.decode()
    assert after.segments[1].note == "EN-TEST-001: Test <message> & more"
    # the original notes and other attributes are untouched
    text = data.decode()
    assert '<note from="mt">machine translated</note>' in text and 'approved="no"' in text
    assert '<target state="signed-off">The NATO summit <x id="1"/>was held in Madrid &amp; Spain.</target>' in text


def test_round_trip_xliff12_is_byte_stable_without_changes(tmp_path):
    doc = load_path(XLF12)
    data = formats.write_bytes(doc, {}, [], state=None)
    orig = XLF12.read_bytes().splitlines()
    out = data.splitlines()
    assert len(out) == len(orig)
    # lxml writes the root's xmlns before its other attributes; every other byte is the same
    assert out[2:] == orig[2:] and out[0] == orig[0]
    assert sorted(out[1][7:-1].split()) == sorted(orig[1][7:-1].split())


def test_round_trip_xliff12_writing_twice_does_not_pile_up_notes(tmp_path):
    doc = load_path(XLF12)
    out1 = tmp_path / "a.xlf"
    formats.write(doc, {}, [_finding(0)], out1)
    doc2 = load_path(out1)
    data2 = formats.write(doc2, {}, [_finding(0, msg="second")], io.BytesIO())
    assert data2.decode().count('from="review"') == 1 and "second" in data2.decode()


def test_round_trip_xliff20(tmp_path):
    new = 'Click <ph id="1"/> to continue.'
    before, after, data = _round_trip(XLF20, tmp_path, 1, new, [_finding(1), _finding(3)])
    _assert_only(before, after, 1, new, noted={1, 2, 3}, state_of=lambda b: "reviewed")
    text = data.decode()
    assert '<note category="review">EN-TEST-001: Test &lt;message&gt; &amp; more</note>' in text
    assert '<note category="context">Page title</note>' in text
    # notes live in the unit's <notes>, before its segments (XLIFF 2 element order)
    unit2 = text[text.index('<unit id="2">'):text.index("</unit>", text.index('<unit id="2">'))]
    assert unit2.index("<notes>") < unit2.index("<segment")


def test_round_trip_tmx(tmp_path):
    new = 'The prime minister spoke to <bpt i="1">&lt;b&gt;</bpt>reporters<ept i="1">&lt;/b&gt;</ept>.'
    before, after, data = _round_trip(TMX, tmp_path, 0, new, [_finding(0)])
    _assert_only(before, after, 0, new, noted={0}, state_of=lambda b: "reviewed")
    text = data.decode()
    assert '<prop type="x-review-state">reviewed</prop>' in text
    assert "<note>review: EN-TEST-001: Test &lt;message&gt; &amp; more</note>" in text
    assert '<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in text
    # notes and props stay before the <tuv>s (TMX DTD order)
    tu = text[text.index('<tu tuid="t1">'):]
    assert tu.index("<note>review:") < tu.index("<tuv") and tu.index("<prop") < tu.index("<tuv")


def test_tmx_missing_target_variant_is_added(tmp_path):
    before, after, data = _round_trip(TMX, tmp_path, 1, "It was held in Madrid.")
    assert after.segments[1].target == "It was held in Madrid."
    assert '<tuv xml:lang="en"><seg>It was held in Madrid.</seg></tuv>' in data.decode()


def test_round_trip_po_with_plurals(tmp_path):
    new = "%d files deleted"
    before, after, data = _round_trip(PO, tmp_path, 3, new, [_finding(3)])
    _assert_only(before, after, 3, new, noted={2, 3},
                 state_of=lambda b: "translated" if b.state == "fuzzy" else b.state)
    text = data.decode()
    assert 'msgstr[1] "%d files deleted"' in text and 'msgstr[0] "%d file deleted"' in text
    assert "# review: EN-TEST-001 Test <message> & more\n" in text
    assert "#, fuzzy" not in text  # fuzzy cleared
    assert '#~ msgid "Ancien"' in text  # obsolete entries kept
    # everything else is byte-identical
    orig = PO.read_text(encoding="utf-8").splitlines()
    new_lines = text.splitlines()
    removed = [l for l in orig if l not in new_lines]
    added = [l for l in new_lines if l not in orig]
    assert removed == ["#, fuzzy", 'msgstr[1] "files deleted"']
    assert added == ["# review: EN-TEST-001 Test <message> & more", 'msgstr[1] "%d files deleted"']


def test_po_without_state_keeps_fuzzy(tmp_path):
    doc = load_path(PO)
    data = formats.write_bytes(doc, {}, [], state=None)
    assert data == PO.read_bytes()


def test_write_to_text_buffer_and_bad_index(tmp_path):
    doc = load_path(PO)
    buf = io.StringIO()
    formats.write(doc, {0: "Hi %(name)s, you have mail."}, [], buf)
    assert 'msgstr "Hi %(name)s, you have mail."' in buf.getvalue()
    with pytest.raises(InputError, match="no segment with index 99"):
        formats.write_bytes(doc, {99: "x"})


def test_unbalanced_inline_tags_in_correction_is_input_error():
    doc = load_path(XLF12)
    with pytest.raises(InputError, match="u2.*unbalanced"):
        formats.write_bytes(doc, {1: 'The prime minister told <g id="2">reporters.'})


def test_literal_angle_brackets_in_correction_stay_text():
    doc = load_path(XLF12)
    data = formats.write_bytes(doc, {0: 'Summit <b>held</b> <x id="1"/>in Madrid.'})
    assert '&lt;b&gt;held&lt;/b&gt; <x id="1"/>in Madrid.' in data.decode()
    again = load_bytes(data, "again.xlf")
    assert again.segments[0].target == 'Summit <b>held</b> <x id="1"/>in Madrid.'


# ------------------------------------------------------------------------------------------------
# Unsafe and malformed input
# ------------------------------------------------------------------------------------------------
BILLION = b"""<?xml version="1.0"?>
<!DOCTYPE xliff [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="ja" datatype="plaintext" original="x">
<body><trans-unit id="1"><source>&b;</source></trans-unit></body></file></xliff>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><header srclang="ja"/><body><tu><tuv xml:lang="ja"><seg>&e;</seg></tuv></tu></body></tmx>"""


@pytest.mark.parametrize("name,data", [
    ("bomb.xlf", BILLION),
    ("bomb.tmx", BILLION.replace(b"xliff", b"tmx")),
    ("ext.tmx", EXTERNAL),
    ("ext.xlf", EXTERNAL.replace(b"tmx", b"xliff")),
    ("param.xlf", b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1/x.dtd"> %p;]>\n<xliff/>'),
])
def test_entities_refused(tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(InputError, match=rf"{name}: unsafe XML refused"):
        load_path(p)


@pytest.mark.parametrize("name,data,pattern", [
    ("broken.xlf", b'<?xml version="1.0"?>\n<xliff version="1.2">\n<file>\n</xliff>', r"broken.xlf: line 4: not well-formed"),
    ("broken.tmx", b'<tmx version="1.4">\n<body><tu>\n</body></tmx>', r"broken.tmx: line 3: not well-formed"),
    ("empty.xlf", b"", r"empty.xlf: empty file"),
    ("other.xlf", b"<html><body/></html>", r"other.xlf: not an XLIFF file"),
    ("other.tmx", b"<xliff/>", r"other.tmx: not a TMX file"),
    ("binary.xlf", b"\x00\x01\x02\xff\xfe" * 20, r"binary.xlf"),
    ("broken.po", b'msgid "a\nmsgstr "b"\n', r"broken.po: line 1: malformed PO"),
    ("garbage.po", b'msgid "a"\nmsgstr "b"\nfoo bar\n', r"garbage.po: line 3: malformed PO"),
    ("empty.po", b"  \n", r"empty.po: empty file"),
])
def test_malformed_files_are_input_errors(tmp_path, name, data, pattern):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(InputError, match=pattern):
        load_path(p)


def test_doctype_without_entities_is_accepted(tmp_path):
    doc = load_path(TMX)  # has <!DOCTYPE tmx SYSTEM "tmx14.dtd">
    assert doc.segments


# ------------------------------------------------------------------------------------------------
# BI-TAG-001 and end-to-end
# ------------------------------------------------------------------------------------------------
def test_tag_tokens():
    toks = [t for _, _, t in tag_tokens('A <x id="1"/> %s %(name)s {0} {user} 100%% <bpt id="2">&lt;b&gt;</bpt>')]
    assert toks == ['<x id="1"/>', "%s", "%(name)s", "{0}", "{user}", '<bpt id="2">&lt;b&gt;</bpt>']
    assert tag_tokens("A 50% rise, 3% less") == []


def test_tag_check_missing_and_added():
    seg = Segment(index=0, id="u", source='Cliquez <ph id="1"/> ici {0}.', target="Click here {0} {1}.")
    fs = list(TagCheck().segment(seg, None))
    assert {f.rule for f in fs} == {"BI-TAG-001"}
    msgs = " ".join(f.message for f in fs)
    assert '<ph id="1"/> is missing' in msgs and "adds the placeholder {1}" in msgs
    added = next(f for f in fs if "adds" in f.message)
    assert added.text == "{1}" and added.suggestions == ("",)


def test_review_check_on_xliff_end_to_end(tmp_path, capsys, engine):
    from review.cli import main

    p = _copy(XLF20, tmp_path)
    # end to end through review.io.load_path and the engine (TagCheck is a default check)
    doc = load_path(p)
    findings = engine.check(doc)
    tag = [f for f in findings if f.rule == "BI-TAG-001"]
    assert len(tag) == 1 and tag[0].segment == 1 and '<ph id="1"/>' in tag[0].message
    # the CLI runs on XLIFF too: no crash, exit 0/1
    code = main(["check", "--no-progress", str(p)])
    assert code in (0, 1)
    err = capsys.readouterr().err
    assert "error" not in err


def test_drop_markup_findings_keeps_real_findings():
    seg = Segment(index=0, id="u", source='A <x id="1"/>.', target='Teh <x id="1"/> g.')
    fs = [Finding("EN-SPELL-001", 0, 0, 3, "Teh", "Fluency/Spelling", Severity.MINOR, "m"),
          Finding("EN-SPELL-001", 0, 5, 6, "x", "Fluency/Spelling", Severity.MINOR, "m"),
          Finding("BI-TAG-001", 0, 0, 15, "", "Fluency/Markup", Severity.MAJOR, "m")]
    kept = drop_markup_findings([seg], fs)
    assert [f.text for f in kept] == ["Teh", ""]
