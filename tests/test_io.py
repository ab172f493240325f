from __future__ import annotations

import codecs

import pytest

from review.io import decode, load_bytes, load_path
from review.model import InputError

JA = "北大西洋条約機構（NATO）の首脳会議がマドリードで開かれる。"
EN = "The NATO summit will be held in Madrid on June 29."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "shift_jis", "cp932", "euc_jp"])
def test_encodings_are_detected(encoding):
    text = JA + "\n\n" + EN + "\n"
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = text.encode("utf-16-le")
    decoded, enc = decode(data, "x.txt")
    assert decoded.lstrip("\ufeff") == text


def test_binary_is_refused():
    with pytest.raises(InputError, match="binary"):
        decode(bytes(range(256)) * 20, "blob.bin")


def test_plain_text_offsets_after_bom(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(codecs.BOM_UTF8 + (EN + " It is a prospect.").encode())
    doc = load_path(p)
    assert [s.target for s in doc.segments] == [EN, "It is a prospect."]
    for s in doc.segments:
        assert doc.text[s.start:s.end] == s.target


def test_tsv_one_segment_per_row_not_resplit(tmp_path):
    p = tmp_path / "pairs.tsv"
    p.write_text("id\tsource\ttarget\nA1\t" + JA + "\t" + EN + " It is a prospect.\nA2\t停戦。\tCeasefire.\n", encoding="utf-8")
    doc = load_path(p)
    assert [s.id for s in doc.segments] == ["A1", "A2"]
    assert doc.segments[0].target == EN + " It is a prospect."
    assert doc.segments[0].source_lang == "ja"
    assert [s.line for s in doc.segments] == [2, 3]


def test_csv_with_quoted_newlines_and_detected_french(tmp_path):
    p = tmp_path / "pairs.csv"
    p.write_text('source,target\n"Le Secrétaire général de l\'OTAN a parlé à Madrid, en Espagne, aujourd\'hui.","The NATO Secretary General spoke\nin Madrid."\n', encoding="utf-8")
    doc = load_path(p)
    assert len(doc.segments) == 1
    assert doc.segments[0].source_lang == "fr"


def test_source_lang_option_wins(tmp_path):
    p = tmp_path / "pairs.tsv"
    p.write_text("source\ttarget\nHallo Welt\tHello world.\n", encoding="utf-8")
    assert load_path(p, source_lang="de").segments[0].source_lang == "de"


@pytest.mark.parametrize("content,match", [
    ("foo\tbar\n1\t2\n", "target"),
    ("target\nonly\n", "source"),
])
def test_table_without_required_columns(tmp_path, content, match):
    p = tmp_path / "bad.tsv"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=match):
        load_path(p)


def test_missing_and_directory(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_path(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="directory"):
        load_path(tmp_path)


def test_empty_inputs_are_valid():
    assert load_bytes(b"", "empty.txt").segments == []
    assert load_bytes(b"", "empty.tsv").segments == []
    assert load_bytes(b"\n\n  \n", "blank.txt").segments == []
