"""Glossary loading (TBX v2/v3, CSV), safety, round trips, editing and the term matcher."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review.glossary import Concept, Glossary, Term, TermMatch, inflections
from review.model import InputError

ROOT = Path(__file__).resolve().parent.parent
TBX = ROOT / "glossaries" / "nato-diplomacy.tbx"
CSV = ROOT / "glossaries" / "nato-diplomacy.csv"
PACKAGED = ROOT / "review" / "data" / "nato-diplomacy.tbx"


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load_file(TBX)


# --- the shipped term base -------------------------------------------------------------------


def _trilingual(g: Glossary) -> list[Concept]:
    return [c for c in g.concepts if all(c.preferred(lang) for lang in ("en", "fr", "ja"))]


def test_shipped_tbx_has_at_least_200_trilingual_concepts(glossary):
    assert len(glossary) >= 220
    assert len(_trilingual(glossary)) >= 200
    for c in glossary.concepts:
        assert c.note is not None and c.source and c.subject and c.kind, c.id
        assert c.kind in {"title", "organization", "acronym", "event", "place", "term"}, c.id
        for lang in ("en", "fr", "ja"):
            assert c.preferred(lang) is not None, (c.id, lang)
    deprecated = [t for _, t in glossary.terms("en") if t.status == "deprecated"]
    assert len(deprecated) >= 40


def test_shipped_csv_has_the_same_concepts(glossary):
    g = Glossary.load_file(CSV)
    assert len(_trilingual(g)) >= 200
    assert g.concepts == glossary.concepts


def test_packaged_copy_is_identical_and_default_loads():
    assert PACKAGED.read_bytes() == TBX.read_bytes()
    g = Glossary.default()
    assert len(g) >= 220
    assert g.get("nato-secretary-general") is not None


def test_shipped_terms_required_by_the_brief(glossary):
    def status(concept_id, text):
        c = glossary.get(concept_id)
        return {t.text: t.status for t in c.terms}.get(text)

    assert status("nato-secretary-general", "Secretary General") == "preferred"
    assert status("nato-secretary-general", "Secretary-General of NATO") == "deprecated"
    assert status("annexation-of-crimea", "merger of Crimea") == "deprecated"
    assert status("illegal-annexation-of-crimea", "illegal merger of Crimea") == "deprecated"
    assert status("g7", "seven major countries") == "deprecated"
    assert status("fight-to-the-end", "thorough anti-war") == "deprecated"
    assert status("deterrence", "deterrent power") == "deprecated"
    assert status("national-security-adviser", "National Security Advisor") == "admitted"
    assert glossary.get("nato").preferred("en").type == "acronym"
    assert [t.text for t in glossary.get("nato").full_forms("en")] == ["North Atlantic Treaty Organization"]
    # deprecated English entries are never bare everyday words
    for _, t in glossary.terms("en"):
        if t.status == "deprecated":
            assert len(t.text.split()) >= 2, t.text


# --- round trips -----------------------------------------------------------------------------


def test_tbx_round_trip(glossary, tmp_path):
    out = tmp_path / "copy.tbx"
    glossary.save_tbx(out)
    again = Glossary.load_file(out)
    assert again.concepts == glossary.concepts
    assert again.title == glossary.title


def test_csv_round_trip(glossary, tmp_path):
    out = tmp_path / "copy.csv"
    glossary.save_csv(out)
    assert Glossary.load_file(out).concepts == glossary.concepts
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:9] == ["concept_id", "lang", "term", "status", "type", "kind", "replacement", "note", "source"]


def test_csv_replacement_column_names_the_preferred_term(tmp_path, glossary):
    import csv

    out = tmp_path / "g.csv"
    glossary.save_csv(out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    row = next(r for r in rows if r["term"] == "thorough anti-war")
    assert row["status"] == "deprecated" and row["replacement"] == "fight to the end"
    assert all(r["replacement"] == "" for r in rows if r["status"] != "deprecated")


def test_round_trip_keeps_case_sensitivity_override(tmp_path):
    g = Glossary([Concept("diet", (Term("Diet", "en", "preferred", "", True), Term("国会", "ja", "preferred")))])
    for name in ("g.tbx", "g.csv"):
        g.save_tbx(tmp_path / name) if name.endswith(".tbx") else g.save_csv(tmp_path / name)
        again = Glossary.load_file(tmp_path / name)
        assert again.concepts == g.concepts
        assert again.concepts[0].terms[0].case_sensitive is True


# --- other readers ---------------------------------------------------------------------------

TBX_V2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en">
  <martifHeader>
    <fileDesc>
      <sourceDesc><p>TBX file, exported from IATE</p></sourceDesc>
    </fileDesc>
    <encodingDesc><p type="XCSURI">TBXXCSV02.xcs</p></encodingDesc>
  </martifHeader>
  <text>
    <body>
      <termEntry id="IATE-889181">
        <descripGrp>
          <descrip type="subjectField">INTERNATIONAL RELATIONS</descrip>
        </descripGrp>
        <langSet xml:lang="en">
          <tig>
            <term>North Atlantic Treaty Organisation</term>
            <termNote type="termType">fullForm</termNote>
            <descrip type="reliabilityCode">3</descrip>
          </tig>
          <tig>
            <term>NATO</term>
            <termNote type="termType">Abbrev</termNote>
            <descrip type="reliabilityCode">3</descrip>
          </tig>
        </langSet>
        <langSet xml:lang="fr">
          <ntig>
            <termGrp>
              <term>Organisation du traité de l'Atlantique Nord</term>
              <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
            </termGrp>
          </ntig>
          <ntig>
            <termGrp>
              <term>OTAN</term>
              <termNote type="normativeAuthorization">admittedTerm</termNote>
            </termGrp>
          </ntig>
        </langSet>
      </termEntry>
      <termEntry id="IATE-3530773">
        <descripGrp><descrip type="subjectField">defence</descrip></descripGrp>
        <langSet xml:lang="EN-GB">
          <tig>
            <term>cease-fire</term>
            <termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote>
          </tig>
          <tig>
            <term>ceasefire</term>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
          </tig>
        </langSet>
      </termEntry>
    </body>
  </text>
</martif>
"""


def test_tbx_v2_martif_as_iate_exports_it(tmp_path):
    p = tmp_path / "iate.tbx"
    p.write_text(TBX_V2, encoding="utf-8")
    g = Glossary.load_file(p)
    assert [c.id for c in g.concepts] == ["IATE-889181", "IATE-3530773"]
    nato = g.get("IATE-889181")
    assert nato.subject == "INTERNATIONAL RELATIONS"
    assert nato.preferred("en").text == "North Atlantic Treaty Organisation"  # first admitted
    assert nato.preferred("fr").text == "Organisation du traité de l'Atlantique Nord"
    assert {t.text: t.status for t in nato.in_lang("fr")}["OTAN"] == "admitted"
    cf = g.get("IATE-3530773")
    assert cf.in_lang("en")[0].lang == "en"
    assert [t.text for t in cf.deprecated("en")] == ["cease-fire"]
    assert g.matcher("en").find("A cease-fire held.")[0].term.status == "deprecated"


TBX_V3_DCT = """<?xml version="1.0" encoding="UTF-8"?>
<tbx type="TBX-Basic" style="dct" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2"
     xmlns:min="http://www.tbxinfo.net/ns/min" xmlns:basic="http://www.tbxinfo.net/ns/basic">
  <tbxHeader><fileDesc><sourceDesc><p>dct sample</p></sourceDesc></fileDesc></tbxHeader>
  <text><body>
    <conceptEntry id="c1">
      <min:subjectField>defence</min:subjectField>
      <basic:source>AAP-06</basic:source>
      <note>deterrence</note>
      <langSec xml:lang="en">
        <termSec>
          <term>deterrence</term>
          <min:administrativeStatus>preferredTerm-admn-sts</min:administrativeStatus>
        </termSec>
        <termSec>
          <term>deterrent power</term>
          <min:administrativeStatus>deprecatedTerm-admn-sts</min:administrativeStatus>
          <basic:termType>phrase</basic:termType>
        </termSec>
      </langSec>
      <langSec xml:lang="ja"><termSec><term>抑止力</term></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_tbx_v3_dct_style(tmp_path):
    p = tmp_path / "dct.tbx"
    p.write_text(TBX_V3_DCT, encoding="utf-8")
    c = Glossary.load_file(p).get("c1")
    assert (c.subject, c.source, c.note) == ("defence", "AAP-06", "deterrence")
    assert c.preferred("en").text == "deterrence"
    assert c.deprecated("en")[0].type == "phrase"
    assert c.preferred("ja").text == "抑止力"


def test_wide_csv_and_tsv_with_bom(tmp_path):
    p = tmp_path / "wide.csv"
    p.write_bytes("\ufeffen,fr,ja,en_deprecated,note\nceasefire | truce,cessez-le-feu,停戦,,ok\n".encode("utf-8"))
    c = Glossary.load_file(p).concepts[0]
    assert c.preferred("en").text == "ceasefire" and c.allowed("en")[1].text == "truce"
    assert c.note == "ok"
    t = tmp_path / "long.tsv"
    t.write_text("concept_id\tlang\tterm\tstatus\nx\ten\tSDF\tpreferred\n", encoding="utf-8")
    assert Glossary.load_file(t).concepts[0].terms[0].text == "SDF"


def test_csv_in_latin1_is_decoded(tmp_path):
    p = tmp_path / "latin.csv"
    body = ("concept_id,lang,term,status\nc,fr,défense collective,preferred\n"
            "c,fr,sécurité européenne à l'époque,admitted\nc,en,collective defence,preferred\n")
    p.write_bytes(body.encode("latin-1"))
    assert Glossary.load_file(p).concepts[0].preferred("fr").text == "défense collective"


def test_load_merges_files(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("concept_id,lang,term,status\nx,en,alpha,preferred\ny,en,beta,preferred\n", encoding="utf-8")
    b.write_text("concept_id,lang,term,status\ny,en,gamma,preferred\nz,en,delta,preferred\n", encoding="utf-8")
    g = Glossary.load([a, b])
    assert [c.id for c in g.concepts] == ["x", "y", "z"]
    assert g.get("y").preferred("en").text == "gamma"


# --- errors ----------------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE tbx [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>&lol4;</term></termSec></langSec></conceptEntry>
</body></text></tbx>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE tbx [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<tbx type="TBX-Basic" style="dca" xmlns="urn:iso:std:iso:30042:ed-2"><text><body>
<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>&xxe;</term></termSec></langSec></conceptEntry>
</body></text></tbx>
"""


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.mark.parametrize("text", [BILLION_LAUGHS, EXTERNAL_ENTITY], ids=["billion-laughs", "external-entity"])
def test_unsafe_xml_is_refused(tmp_path, text):
    p = _write(tmp_path, "evil.tbx", text)
    with pytest.raises(InputError, match="evil.tbx.*unsafe XML"):
        Glossary.load_file(p)


@pytest.mark.parametrize(
    "name, text, where",
    [
        ("broken.tbx", "<tbx><text><body><conceptEntry id='a'>", "not well-formed"),
        ("html.tbx", "<html><body/></html>", "not a TBX file"),
        ("nolang.tbx", "<tbx><text><body><conceptEntry id='a1'><langSec><termSec><term>x</term></termSec>"
                       "</langSec></conceptEntry></body></text></tbx>", "'a1'.*xml:lang"),
        ("noterm.tbx", "<tbx><text><body><conceptEntry id='a2'><langSec xml:lang='en'><termSec>"
                       "<termNote type='termType'>x</termNote></termSec></langSec></conceptEntry></body></text></tbx>",
         "'a2'.*missing <term>"),
        ("empty.tbx", "<tbx><text><body><conceptEntry id='a3'><langSec xml:lang='en'><termSec><term> </term>"
                      "</termSec></langSec></conceptEntry></body></text></tbx>", "'a3'.*empty <term>"),
        ("status.tbx", "<tbx><text><body><conceptEntry id='a4'><langSec xml:lang='en'><termSec><term>x</term>"
                       "<termNote type='administrativeStatus'>bogusTerm</termNote></termSec></langSec></conceptEntry>"
                       "</body></text></tbx>", "'a4'.*unknown term status 'bogusTerm'"),
        ("nolangsec.tbx", "<tbx><text><body><conceptEntry id='a5'/></body></text></tbx>", "'a5'.*no <langSec>"),
        ("cols.csv", "id,term\n1,NATO\n", "missing column"),
        ("badstatus.csv", "concept_id,lang,term,status\nc,en,NATO,great\n", "line 2.*unknown term status"),
        ("emptyterm.csv", "concept_id,lang,term,status\nc,en,NATO,preferred\nc,en,,admitted\n", "line 3.*empty term"),
        ("empty.csv", "", "empty CSV"),
        ("glossary.docx", "whatever", "unknown glossary format"),
    ],
)
def test_bad_input_raises_input_error_naming_file_and_place(tmp_path, name, text, where):
    p = _write(tmp_path, name, text)
    with pytest.raises(InputError, match=rf"{name}.*{where}"):
        Glossary.load_file(p)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="nope.tbx.*not found"):
        Glossary.load_file(tmp_path / "nope.tbx")
    with pytest.raises(InputError, match="directory"):
        Glossary.load_file(tmp_path)


def test_undecodable_binary_csv(tmp_path):
    p = tmp_path / "bin.csv"
    p.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(InputError, match="bin.csv"):
        Glossary.load_file(p)


# --- editing ---------------------------------------------------------------------------------


def test_edit_bumps_version_and_invalidates_matcher():
    g = Glossary([Concept("a", (Term("ceasefire", "en", "preferred"),))])
    m1 = g.matcher("en")
    assert g.matcher("en") is m1  # cached
    v = g.version
    g.add(Concept("b", (Term("truce", "en", "preferred"),)))
    assert g.version > v and len(g) == 2
    assert [x.text for x in g.matcher("en").find("a truce and a ceasefire")] == ["truce", "ceasefire"]
    g.replace(Concept("b", (Term("armistice", "en", "preferred"),)))
    assert [x.text for x in g.matcher("en").find("a truce and an armistice")] == ["armistice"]
    g.remove("a")
    assert g.matcher("en").find("a ceasefire") == []
    assert "a" not in g and len(g) == 1
    with pytest.raises(ValueError):
        g.add(Concept("b", (Term("x", "en"),)))
    with pytest.raises(KeyError):
        g.remove("zzz")


def test_words_for_spell_checker(glossary):
    words = glossary.words("en")
    for w in ("Stoltenberg", ):
        assert w not in words
    for w in ("NATO", "Indo-Pacific", "Indo", "Pacific", "ceasefire", "annexations", "Allies", "SDF"):
        assert w in words, w
    assert "抑止力" in glossary.words("ja")


def test_term_case_sensitivity_defaults():
    assert Term("NATO", "en").case_sensitive
    assert Term("G7", "en").case_sensitive
    assert Term("U.S.", "en").case_sensitive
    assert Term("PfP", "en").case_sensitive
    assert Term("SDF", "en", type="acronym").case_sensitive
    assert not Term("ceasefire", "en").case_sensitive
    assert not Term("Secretary General", "en").case_sensitive
    assert not Term("G7 summit", "en", type="shortForm").case_sensitive
    with pytest.raises(ValueError):
        Term("x", "en", "bogus")


def test_inflections():
    assert inflections("annexation", "en")["pl"] == "annexations"
    assert inflections("ally", "en")["pl"] == "allies"
    assert inflections("Ally", "en")["poss"] == "Ally's"
    assert inflections("Allies", "en")["pl-poss"] == "Allies'"
    assert inflections("Allies", "en")["sg"] == "Ally"
    assert inflections("crisis", "en")["pl"] == "crises"
    assert inflections("NATO", "en", "acronym") == {"": "NATO", "poss": "NATO's"}
    assert inflections("État membre", "fr")["pl"] == "États membres"
    assert inflections("journal", "fr")["pl"] == "journaux"
    assert inflections("抑止力", "ja") == {"": "抑止力"}


# --- matcher ---------------------------------------------------------------------------------


def _texts(g, text, lang="en"):
    return [(m.text, m.concept.id) for m in g.matcher(lang).find(text)]


def test_hyphenation_is_unified_both_ways():
    g = Glossary([Concept("sg", (Term("Secretary General", "en", "preferred"),)),
                  Concept("un", (Term("cease-fire", "en", "preferred"),))])
    found = g.matcher("en").find("Secretary-General met; the Secretary\u2013General; a ceasefire? no: a cease fire.")
    assert [m.text for m in found] == ["Secretary-General", "Secretary\u2013General", "cease fire"]
    assert all(m.fuzzy for m in found)


def test_deprecated_spelling_variant_needs_its_own_spelling(glossary):
    m = glossary.matcher("en")
    [a] = [x for x in m.find("NATO Secretary General Stoltenberg") if x.concept.id == "nato-secretary-general"]
    assert a.term.status != "deprecated"
    [b] = [x for x in m.find("NATO Secretary-General Stoltenberg") if x.concept.id == "nato-secretary-general"]
    assert b.term.status == "deprecated" and b.text == "NATO Secretary-General"


def test_plural_and_possessive(glossary):
    found = glossary.matcher("en").find("Two annexations. The Allies' plan; an Ally's view; NATO's role.")
    assert [(m.text, m.form) for m in found] == [
        ("annexations", "pl"), ("Allies'", "pl-poss"), ("Ally's", "sg-poss"), ("NATO's", "poss")]


def test_case_sensitive_acronym_and_word_boundaries(glossary):
    m = glossary.matcher("en")
    assert [x.text for x in m.find("NATO and nato and Nato")] == ["NATO"]
    assert m.find("NATOs NATOland xNATO") == []
    assert [x.text for x in m.find("(NATO), 'NATO' and \"NATO\".")] == ["NATO", "NATO", "NATO"]
    assert [x.text for x in m.find("U.S. troops")] == ["U.S. troops"]
    assert [x.text for x in m.find("let us go")] == []  # "US" is case-sensitive
    g = Glossary([Concept("w", (Term("war", "en", "preferred"),))])
    assert [x.text for x in g.matcher("en").find("war, forward, warfare, postwar, war.")] == ["war", "war"]


def test_longest_match_wins(glossary):
    found = glossary.matcher("en").find("the illegal merger of Crimea")
    assert [(m.text, m.concept.id) for m in found] == [("illegal merger of Crimea", "illegal-annexation-of-crimea")]
    found = glossary.matcher("en").find("the G7 summit in Germany")
    assert [m.text for m in found] == ["G7 summit", "Germany"]
    every = glossary.matcher("en").find("the G7 summit in Germany", overlapping=True)
    assert {m.text for m in every} >= {"G7 summit", "G7", "summit"}


def test_same_surface_in_two_concepts_gives_two_matches():
    g = Glossary([Concept("a", (Term("members", "en", "preferred"),)),
                  Concept("b", (Term("members", "en", "admitted"),))])
    assert sorted(m.concept.id for m in g.matcher("en").find("all members")) == ["a", "b"]


def test_japanese_substring_match(glossary):
    found = glossary.matcher("ja").find("NATO加盟国の首脳会議でクリミア併合と徹底抗戦について議論した。")
    assert [(m.text, m.concept.id) for m in found] == [
        ("NATO", "nato"), ("加盟国", "member-states"), ("首脳会議", "summit"),
        ("クリミア併合", "annexation-of-crimea"), ("徹底抗戦", "fight-to-the-end")]


def test_french_matching_with_plurals(glossary):
    found = glossary.matcher("fr").find("Les États membres de l'OTAN ont condamné l'annexion de la Crimée.")
    assert [m.concept.id for m in found] == ["member-states", "nato", "annexation-of-crimea"]


def test_match_offsets_with_case_expanding_characters(glossary):
    text = "İİİ ß NATO İstanbul the illegal merger of Crimea"
    for m in glossary.matcher("en").find(text):
        assert text[m.start:m.end] == m.text
    assert [m.text for m in glossary.matcher("en").find(text)] == ["NATO", "illegal merger of Crimea"]


_SHIPPED = Glossary.load_file(TBX)
_EN_TERMS = sorted({t.text for _, t in _SHIPPED.terms("en")})
_JA_TERMS = sorted({t.text for _, t in _SHIPPED.terms("ja")})
_NOISE = st.lists(st.sampled_from(list("ab Z-–\u00a0'’.,()İßé\n") + ["Secretary", "NATO", "s", "Allies"]),
                  max_size=12).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_EN_TERMS), _NOISE), max_size=12), st.sampled_from(["en", "ja"]))
def test_property_offsets_index_the_text(parts, lang):
    text = " ".join(parts) if lang == "en" else "".join(parts)
    found = _SHIPPED.matcher(lang).find(text)
    for m in found:
        assert isinstance(m, TermMatch)
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
    assert [m.start for m in found] == sorted(m.start for m in found)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_JA_TERMS), min_size=1, max_size=6))
def test_property_japanese_terms_are_found(parts):
    text = "は、".join(parts)
    found = _SHIPPED.matcher("ja").find(text)
    for m in found:
        assert text[m.start:m.end] == m.text
    covered = set()
    for m in found:
        covered.update(range(m.start, m.end))
    pos = 0
    for p in parts:  # every inserted term is covered by some (possibly longer) match
        assert set(range(pos, pos + len(p))) <= covered or any(
            m.start <= pos + len(p) and m.end >= pos for m in found), p
        pos += len(p) + 2


@pytest.mark.slow
def test_matching_cost_does_not_grow_with_glossary_size():
    import random
    import string

    rnd = random.Random(7)

    def build(n):
        cs = list(_SHIPPED.concepts)
        for i in range(n):
            t = " ".join("".join(rnd.choice(string.ascii_lowercase) for _ in range(rnd.randint(5, 9)))
                         for _ in range(rnd.randint(1, 3)))
            cs.append(Concept(f"x{i}", (Term(t, "en", "preferred"),)))
        return Glossary(cs).matcher("en")

    text = (ROOT / "seeds" / "nhk-nato-madrid-2022.ja-en.txt")
    paras = [p for p in (text.read_text(encoding="utf-8") if text.exists() else
                         "NATO Secretary General met the Allies. " * 30).split("\n") if p.strip()]

    def cost(m):
        best = float("inf")
        for _ in range(7):
            t0 = time.perf_counter()
            for p in paras:
                m.find(p)
            best = min(best, time.perf_counter() - t0)
        return best

    small, big = build(1_000), build(60_000)
    assert len(big) > 50 * len(small) / 2
    assert cost(big) < 2.0 * cost(small)


def test_term_text_is_single_spaced_and_free_of_control_characters():
    from review.glossary import Term

    assert Term(" Secretary\n\tGeneral ", "en").text == "Secretary General"
    assert Term("北大西洋\u3000条約機構", "ja").text == "北大西洋 条約機構"  # an ideographic space is white space
    for bad, code in (("bell\x07", "0007"), ("x\x00y", "0000"), ("a\x9bb", "009B")):
        with pytest.raises(ValueError, match=f"control character U\\+{code}"):
            Term(bad, "en")
    with pytest.raises(ValueError, match="empty term"):
        Term(" \n ", "en")
