"""The review store against PostgreSQL: a full round trip (documents with non-ASCII text and their
original bytes, segments, versioned saves, revisions, decisions, dismissals, glossary audit,
scores, progress) and the versioned-save conflict, also under concurrent writers.

Needs ``REVIEW_TEST_PG_URL`` (``postgresql+psycopg://user@host:port/db``): run
``bash scripts/postgres-test.sh``, which starts a throwaway cluster and sets it. Every table of
the store is dropped and re-created at the start, so never point it at a database you keep."""

from __future__ import annotations

import os
import threading

import pytest

URL = os.environ.get("REVIEW_TEST_PG_URL", "")

pytestmark = pytest.mark.skipif(
    not URL, reason="REVIEW_TEST_PG_URL is not set: run `bash scripts/postgres-test.sh` (starts a throwaway "
                    "PostgreSQL and sets it)")


@pytest.fixture()
def store():
    pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'psycopg[binary]')")
    from review import store as store_mod

    from sqlalchemy import create_engine

    eng = create_engine(URL)
    store_mod.metadata.drop_all(eng)
    eng.dispose()
    s = store_mod.Store(URL)
    yield s
    s.close()


def _doc():
    from review.io import load_bytes

    data = ("source\ttarget\n"
            "北大西洋条約機構の首脳会議\tNATO summit meeting of the North Atlantic Treaty Organization\n"
            "ロシアによるクリミアの違法な併合\tthe illegal merger of Crimea by Russia\n"
            "ストルテンベルグ事務総長\tSecretary-General of NATO Stoltenberg said “waving” support.\n").encode("utf-8")
    return load_bytes(data, "pair.tsv"), data


def test_store_round_trip(store):
    from review.app import service as svc
    from review.store import Decision

    assert store.engine.dialect.name == "postgresql"
    doc, data = _doc()
    doc_id = store.add_document(doc, data)
    assert store.find_document("pair.tsv", data) == doc_id
    name, original, src, tgt = store.document_original(doc_id)
    assert (name, original) == ("pair.tsv", data)  # bytea round trip, byte for byte
    rows = store.segments(doc_id)
    assert [r.source for r in rows] == [s.source for s in doc.segments]
    assert [r.target for r in rows] == [s.target for s in doc.segments]
    assert all(r.version == 1 and not r.reviewed for r in rows)

    # a versioned save with a decision and scores in one transaction, through the service
    engine = svc.load_engine()
    cache = svc.FindingsCache()
    cur = svc.current_document(store, doc_id, rows)
    found = svc.compute_findings(engine, doc_id, cur, rows, cache)
    f = next(f for f in found[1] if f.suggestions and "merger" in f.text)
    v, text = svc.apply_finding(store, doc_id, f, f.suggestions[0], 1, "ann")
    assert v == 2 and "annexation" in text
    assert store.segment(doc_id, 1).target == text and store.segment(doc_id, 1).editor == "ann"
    assert [(d.rule, d.action) for d in store.decisions(doc_id)] == [(f.rule, "applied")]
    assert {m for i, m, _, _ in store.scores(doc_id) if i == 1} == {"HTER", "chrF", "BLEU"}
    rows = store.segments(doc_id)
    again = svc.compute_findings(engine, doc_id, svc.current_document(store, doc_id, rows), rows, cache)
    assert not any("merger" in g.text for g in again.get(1, [])) and cache.segment_runs == 1

    # edit, revisions, restore, reviewed, dismissals, glossary audit, progress
    assert store.save_segment(doc_id, 0, "NATO summit “Madrid” — 首脳会議", 1, "bob") == 2
    assert [r.action for r in store.revisions(doc_id, 0)] == ["original", "edit"]
    assert store.restore(doc_id, 0, 1, "bob") == 3
    assert store.segment(doc_id, 0).target == doc.segments[0].target
    store.set_reviewed(doc_id, 2, True, "ann")
    store.record_decision(doc_id, Decision(index=2, rule="EN-IDIOM-001", text="waving", start=0, end=6,
                                           action="dismissed"), "ann")
    assert store.dismissed(doc_id) == {(2, "EN-IDIOM-001", "waving")}
    store.add_project_dismissal("EN-FRAG-001", "I am.", "ann")
    store.add_project_dismissal("EN-FRAG-001", "I am.", "ann")  # idempotent
    assert store.project_dismissals() == {("EN-FRAG-001", "I am.")}
    store.record_glossary_edit("add", "ui-x", {"terms": [{"text": "併合", "lang": "ja"}]}, "ann")
    assert store.glossary_edits()[-1]["payload"]["terms"][0]["text"] == "併合"
    info = store.get_document(doc_id)
    assert (info.total, info.reviewed, info.edited) == (3, 1, 1)
    assert [d.id for d in store.list_documents()] == [doc_id]
    store.delete_document(doc_id)
    assert store.get_document(doc_id) is None and store.list_documents() == []


def test_versioned_save_conflict(store):
    from review.store import ConflictError, Store

    doc, data = _doc()
    doc_id = store.add_document(doc, data)
    other = Store(URL)  # a second server process / browser tab: its own connection pool
    try:
        assert other.save_segment(doc_id, 0, "Bob's text.", 1, "bob") == 2
        with pytest.raises(ConflictError) as e:
            store.save_segment(doc_id, 0, "Ann's text.", 1, "ann")
        assert (e.value.version, e.value.text, e.value.editor) == (2, "Bob's text.", "bob")
        assert store.segment(doc_id, 0).target == "Bob's text."
        assert store.save_segment(doc_id, 0, "Ann's text.", 2, "ann") == 3  # saving over, knowingly
        assert [r.text for r in other.revisions(doc_id, 0)][1:] == ["Bob's text.", "Ann's text."]
    finally:
        other.close()


def test_concurrent_writers_one_wins(store):
    """Eight writers save the same version of a segment at once: exactly one save lands, the
    others get ConflictError; no lost update, one revision row."""
    from review.store import ConflictError

    doc, data = _doc()
    doc_id = store.add_document(doc, data)
    barrier = threading.Barrier(8)
    results: list[object] = [None] * 8

    def write(k: int) -> None:
        barrier.wait()
        try:
            results[k] = store.save_segment(doc_id, 2, f"text {k}", 1, f"editor{k}")
        except ConflictError as e:
            results[k] = e

    threads = [threading.Thread(target=write, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    wins = [k for k, r in enumerate(results) if r == 2]
    assert len(wins) == 1, results
    assert all(isinstance(r, ConflictError) for k, r in enumerate(results) if k not in wins)
    row = store.segment(doc_id, 2)
    assert row.version == 2 and row.target == f"text {wins[0]}"
    assert len(store.revisions(doc_id, 2)) == 2
