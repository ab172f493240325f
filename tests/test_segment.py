from __future__ import annotations

from hypothesis import given, settings, strategies as st

from review.io import document_from_text
from review.segment import segment_text, split_sentences


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


def test_abbreviations_and_decimals_do_not_split():
    t = "U.S. President Joe Biden spoke. The aid exceeded $ 6.1 billion, or 820 billion yen. Mr. Smith agreed."
    assert sentences(t) == [
        "U.S. President Joe Biden spoke.",
        "The aid exceeded $ 6.1 billion, or 820 billion yen.",
        "Mr. Smith agreed.",
    ]


def test_words_that_are_also_abbreviations():
    """"sat", "sun" and "no" end a sentence in lower case before a capitalised word; "Sat." and
    "no. 5" stay abbreviations."""
    assert sentences("She sat. The room was quiet. They voted no. The bill failed.") == [
        "She sat.", "The room was quiet.", "They voted no.", "The bill failed."]
    assert sentences("Crushing the sun. It would become a black hole.") == [
        "Crushing the sun.", "It would become a black hole."]
    assert sentences("The shop opens Sat. March 5, and he is no. 5 in the world.") == [
        "The shop opens Sat. March 5, and he is no. 5 in the world."]
    assert sentences("The No. 1 player won.") == ["The No. 1 player won."]
    assert sentences("It covers health care, education, etc. Beijiang Province agreed.") == [
        "It covers health care, education, etc.", "Beijiang Province agreed."]
    assert sentences("Fruit, nuts, etc. are sold here.") == ["Fruit, nuts, etc. are sold here."]


def test_a_run_of_marks_splits_once():
    assert sentences("Wow!!! Amazing?! Really... Yes.") == ["Wow!!!", "Amazing?!", "Really...", "Yes."]


def test_quotation_closing_mark_stays_with_its_sentence():
    t = 'He added, "Russia is not a partner. It is an enemy." Then he left.'
    assert sentences(t) == ['He added, "Russia is not a partner.', 'It is an enemy."', "Then he left."]


def test_initials_and_question_marks():
    t = "J. K. Rowling wrote it. Did she? Yes!"
    assert sentences(t) == ["J. K. Rowling wrote it.", "Did she?", "Yes!"]


def test_headings_and_paragraphs(sample_path):
    text = sample_path.read_text(encoding="utf-8")
    doc = document_from_text(text, str(sample_path))
    headings = [s.target for s in doc.segments if s.heading]
    assert headings == [
        'New "strategic concept" Positioning Russia as "the most serious threat"',
        "U.S. President Joe Biden calling for unity with Ukraine support",
        "US President Joe Biden wants to increase deterrence to China by strengthening cooperation",
    ]
    for s in doc.segments:
        assert text[s.start:s.end] == s.target
    ids = [s.id for s in doc.segments]
    assert len(ids) == len(set(ids))
    assert [s.target for s in doc.segments if s.target in ("I am.",)] == ["I am.", "I am."]


def test_ids_are_stable_when_another_paragraph_changes(sample_path):
    text = sample_path.read_text(encoding="utf-8")
    a = document_from_text(text)
    b = document_from_text(text.replace("waving military support", "leading military support"))
    assert [s.id for s in a.segments] == [s.id for s in b.segments]


def test_crlf_offsets_and_lines():
    text = "First line.\r\n\r\nSecond para. Another sentence.\r\n"
    doc = document_from_text(text)
    assert [s.target for s in doc.segments] == ["First line.", "Second para.", "Another sentence."]
    assert [(s.line, s.column) for s in doc.segments] == [(1, 1), (3, 1), (3, 14)]
    for s in doc.segments:
        assert text[s.start:s.end] == s.target


def test_japanese_full_stops_split():
    t = "NATO首脳会議が開かれる。ロシアを脅威と位置づける。"
    assert sentences(t) == ["NATO首脳会議が開かれる。", "ロシアを脅威と位置づける。"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .?!\"“”\n\r\t$6.U.S.I amＡ。")), max_size=200))
def test_offsets_always_index_the_text(text):
    for sp in segment_text(text):
        piece = text[sp.start:sp.end]
        assert piece and piece == piece.strip()
        assert 0 <= sp.start < sp.end <= len(text)
    doc = document_from_text(text)
    for s in doc.segments:
        assert text[s.start:s.end] == s.target
