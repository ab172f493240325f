"""The store on a real SQLite file: saves survive a new Store object, version conflicts raise with
the other text, history and restore, WAL mode, decisions and dismissals."""

from __future__ import annotations

import pytest

from review.io import load_bytes
from review.store import ConflictError, Decision, Store


@pytest.fixture()
def db_url(tmp_path):
    return f"sqlite:///{tmp_path / 'sub' / 'review.db'}"


@pytest.fixture()
def stored(db_url, sample_path):
    store = Store(db_url)
    data = sample_path.read_bytes()
    doc = load_bytes(data, sample_path.name)
    doc_id = store.add_document(doc, data)
    yield store, doc_id, doc
    store.close()


def _waving(doc):
    return next(s for s in doc.segments if "waving" in s.target)


def test_schema_wal_and_foreign_keys(stored):
    store, _, _ = stored
    assert store.pragma("journal_mode").lower() == "wal"
    assert store.pragma("foreign_keys") == 1
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT version FROM schema_version").scalar() == 1


def test_document_and_progress(stored):
    store, doc_id, doc = stored
    info = store.get_document(doc_id)
    assert info.name == doc.name and info.total == len(doc.segments) and info.reviewed == 0 and info.edited == 0
    store.set_reviewed(doc_id, 0, True, "ann")
    store.set_open_findings(doc_id, 7)
    [listed] = store.list_documents()
    assert listed.reviewed == 1 and listed.open_findings == 7
    assert store.find_document(doc.name, store.document_original(doc_id)[1]) == doc_id


def test_save_reload_from_new_store(stored, db_url):
    store, doc_id, doc = stored
    seg = _waving(doc)
    new = seg.target.replace("waving", "leading")
    v = store.save_segment(doc_id, seg.index, new, 1, "ann", "apply",
                           decision=Decision(seg.index, "EN-IDIOM-001", "waving", 0, 6, "applied", "leading"),
                           segment_scores=[("HTER", 5.0, "sig")])
    assert v == 2
    store.record_decision(doc_id, Decision(0, "EN-X", "foo", 1, 4, "dismissed"), "bob")
    store.add_project_dismissal("EN-Y", "bar", "bob")
    store.add_project_dismissal("EN-Y", "bar", "bob")  # idempotent
    store.record_glossary_edit("add", "ui-x", {"terms": ["x"]}, "ann")
    store.close()

    again = Store(db_url)
    row = again.segment(doc_id, seg.index)
    assert row.target == new and row.version == 2 and row.editor == "ann" and row.original == seg.target
    assert row.edited
    acts = [(d.rule, d.action, d.editor) for d in again.decisions(doc_id)]
    assert acts == [("EN-IDIOM-001", "applied", "ann"), ("EN-X", "dismissed", "bob")]
    assert again.dismissed(doc_id) == {(0, "EN-X", "foo")}
    assert again.project_dismissals() == {("EN-Y", "bar")}
    assert again.glossary_edits()[0]["payload"] == {"terms": ["x"]}
    assert again.scores(doc_id) == [(seg.index, "HTER", 5.0, "sig")]
    assert again.get_document(doc_id).edited == 1
    again.close()


def test_conflict_carries_other_version(stored):
    store, doc_id, doc = stored
    seg = doc.segments[3]
    assert store.save_segment(doc_id, 3, "first tab text", 1, "ann") == 2
    with pytest.raises(ConflictError) as ei:
        store.save_segment(doc_id, 3, "second tab text", 1, "bob")
    e = ei.value
    assert e.text == "first tab text" and e.editor == "ann" and e.version == 2 and e.expected_version == 1
    assert "ann" in str(e)
    row = store.segment(doc_id, 3)
    assert row.target == "first tab text" and row.version == 2  # nothing overwritten
    assert [r.version for r in store.revisions(doc_id, 3)] == [1, 2]
    assert seg.target == store.revisions(doc_id, 3)[0].text


def test_history_and_restore(stored):
    store, doc_id, doc = stored
    original = doc.segments[5].target
    store.save_segment(doc_id, 5, "one", 1, "ann")
    store.save_segment(doc_id, 5, "two", 2, "bob")
    revs = store.revisions(doc_id, 5)
    assert [(r.version, r.text, r.action) for r in revs] == [(1, original, "original"), (2, "one", "edit"),
                                                             (3, "two", "edit")]
    v = store.restore(doc_id, 5, 1, "carol")
    assert v == 4
    row = store.segment(doc_id, 5)
    assert row.target == original and not row.edited and row.editor == "carol"
    assert store.revisions(doc_id, 5)[-1].action == "restore"
    with pytest.raises(ConflictError):
        store.restore(doc_id, 5, 2, "dave", expected_version=3)
    with pytest.raises(KeyError):
        store.restore(doc_id, 5, 99)


def test_unknown_segment_and_action(stored):
    store, doc_id, _ = stored
    with pytest.raises(KeyError):
        store.save_segment(doc_id, 10_000, "x", 1)
    with pytest.raises(ValueError):
        store.save_segment(doc_id, 0, "x", 1, action="delete")


def test_default_url_env(monkeypatch, tmp_path):
    from review.store import default_url

    monkeypatch.setenv("REVIEW_DB_URL", f"sqlite:///{tmp_path}/x.db")
    assert default_url().endswith("x.db")
    monkeypatch.delenv("REVIEW_DB_URL")
    monkeypatch.chdir(tmp_path)
    assert default_url().endswith("data/review.db") and (tmp_path / "data").is_dir()
