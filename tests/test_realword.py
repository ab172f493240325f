"""EN-TYPO-007's tables: built from symspellpy's word and pair lists, cached, optional."""

from review.checks import realword
from review.checks.base import Context
from review.model import Segment


def _flags(text):
    return [(f.text, f.suggestions) for f in realword.RealWordCheck().segment(Segment(0, "s", text), Context())]


def test_tables_are_built_cached_and_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEW_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(realword, "_TABLES", [])
    built = realword.tables()
    ids, size = built.ids, built.size
    assert built.longer[ids["pubic"]][0] == ("public", ids["public"])
    assert ids["in"] * size + ids["public"] in built.pairs
    assert ids["in"] * size + ids["pubic"] not in built.pairs
    assert len(list(tmp_path.glob("realword-*.pickle"))) == 1
    monkeypatch.setattr(realword, "_TABLES", [])
    assert realword.tables() == built
    assert _flags("It is widely spoken in pubic transport.") == [("pubic", ("public",))]


def test_without_symspellpy_the_check_is_silent(monkeypatch):
    monkeypatch.setattr(realword, "_TABLES", [])
    monkeypatch.setattr(realword, "_symspell_version", lambda: "")
    assert realword.tables() is None
    assert _flags("It is widely spoken in pubic transport.") == []
    monkeypatch.setattr(realword, "_TABLES", [])


def test_names_numbers_and_clause_edges_give_no_evidence():
    assert _flags("Pubic transport was free.") == []  # capitalised: a name or a sentence start
    assert _flags("It runs in pubic, transport aside.") == []  # a comma after it
