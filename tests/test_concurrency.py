"""Concurrency: several editors — threads in this process and separate processes — save the same
segments of one document at once through the store's versioned save. Every conflicting save is
detected (ConflictError) and reported; none is silently lost: successful saves == revisions
recorded, every acknowledged save is in the history, and each segment's text is its last
acknowledged save.

``REVIEW_TEST_PG_URL=postgresql+psycopg://…`` runs the same test on PostgreSQL as well.
Run alone: ``python -m pytest tests/test_concurrency.py -q -s`` (prints the figures).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

THREADS = 4
PROCESSES = 3
ATTEMPTS = 40  # per editor
SEGMENTS = (0, 1, 2)  # few segments: many collisions


def edit_loop(store, doc_id: int, name: str, attempts: int, seed: int, start_at: float | None = None) -> dict:
    """``attempts`` read-modify-save cycles; returns what was acknowledged and what conflicted."""
    from review.app import service as svc
    from review.store import ConflictError

    rnd = random.Random(seed)
    if start_at is not None:
        time.sleep(max(0.0, start_at - time.time()))
    acks, conflicts, errors = [], [], []
    for n in range(attempts):
        idx = rnd.choice(SEGMENTS)
        row = store.segment(doc_id, idx)
        text = f"{name} save {n}"
        time.sleep(rnd.uniform(0, 0.004))  # "thinking": widens the window for a collision
        try:
            if n % 2:
                v = svc.save_edit(store, doc_id, idx, text, row.version, name)
            else:
                v = store.save_segment(doc_id, idx, text, row.version, name)
            acks.append({"idx": idx, "version": v, "text": text, "expected": row.version})
        except ConflictError as e:
            if not (e.version > row.version and e.index == idx and e.text):
                errors.append(f"bad conflict report {e}")
            conflicts.append({"idx": idx, "expected": row.version, "found": e.version, "by": e.editor})
        except Exception as e:  # anything else is a failure of the store
            errors.append(f"{type(e).__name__}: {e}")
    return {"name": name, "attempts": attempts, "acks": acks, "conflicts": conflicts, "errors": errors}


def _check(store, doc_id: int, results: list[dict]) -> dict:
    acks = [a for r in results for a in r["acks"]]
    conflicts = [c for r in results for c in r["conflicts"]]
    errors = [e for r in results for e in r["errors"]]
    assert not errors, errors[:5]
    assert all(len(r["acks"]) + len(r["conflicts"]) == r["attempts"] for r in results)  # every save answered
    revisions = 0
    for idx in SEGMENTS:
        hist = store.revisions(doc_id, idx)
        seg = store.segment(doc_id, idx)
        mine = sorted((a for a in acks if a["idx"] == idx), key=lambda a: a["version"])
        # one revision per successful save, versions 2..n without a gap or a duplicate
        assert [h.version for h in hist[1:]] == [a["version"] for a in mine] == list(range(2, seg.version + 1))
        assert [h.text for h in hist[1:]] == [a["text"] for a in mine]  # nothing overwritten
        assert all(a["version"] == a["expected"] + 1 for a in mine)
        if mine:
            assert seg.target == mine[-1]["text"]  # final text == the last acknowledged save
        revisions += len(hist) - 1
    assert revisions == len(acks)
    return {"editors": len(results), "attempts": sum(r["attempts"] for r in results), "saves": len(acks),
            "revisions": revisions, "conflicts_detected": len(conflicts), "lost": 0}


def _urls(tmp_path) -> list[str]:
    urls = [f"sqlite:///{tmp_path / 'concurrent.db'}"]
    if os.environ.get("REVIEW_TEST_PG_URL"):
        urls.append(os.environ["REVIEW_TEST_PG_URL"])
    return urls


@pytest.mark.parametrize("which", ["sqlite", "postgresql"])
def test_editors_threads_and_processes(tmp_path, which):
    from review.io import load_path
    from review.store import Store
    from tests.ui_helpers import SAMPLE

    if which == "sqlite":
        url = f"sqlite:///{tmp_path / 'concurrent.db'}"
    else:
        url = os.environ.get("REVIEW_TEST_PG_URL")
        if not url:
            pytest.skip("set REVIEW_TEST_PG_URL to run on PostgreSQL")
    store = Store(url)
    doc = load_path(SAMPLE)
    doc_id = store.add_document(doc, SAMPLE.read_bytes(), "setup")
    t0 = time.monotonic()
    start_at = time.time() + 1.5  # processes need ~0.4 s to import; everyone starts together
    procs = [subprocess.Popen([sys.executable, __file__, url, str(doc_id), f"proc{p}", str(ATTEMPTS), str(100 + p),
                               str(start_at)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
             for p in range(PROCESSES)]
    results: list[dict] = []
    lock = threading.Lock()

    def run(k: int) -> None:
        r = edit_loop(store, doc_id, f"thread{k}", ATTEMPTS, k, start_at)
        with lock:
            results.append(r)

    threads = [threading.Thread(target=run, args=(k,)) for k in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for p in procs:
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0
        results.append(json.loads(out.strip().splitlines()[-1]))
    figures = _check(store, doc_id, results)
    figures["seconds"] = round(time.monotonic() - t0, 1)
    figures["database"] = which
    print("\nCONCURRENCY", json.dumps(figures))
    assert figures["conflicts_detected"] > 0  # the editors really collided
    if which == "postgresql":
        store.delete_document(doc_id, "test")
    store.close()


def test_conflict_reports_the_other_save(tmp_path):
    from review.io import load_bytes
    from review.store import ConflictError, Store

    store = Store(f"sqlite:///{tmp_path / 'c.db'}")
    data = b"One sentence here. Another one there.\n"
    doc_id = store.add_document(load_bytes(data, "c.txt"), data, "ann")
    assert store.save_segment(doc_id, 0, "Ann's text.", 1, "ann") == 2
    with pytest.raises(ConflictError) as e:
        store.save_segment(doc_id, 0, "Bob's text.", 1, "bob")
    assert (e.value.version, e.value.text, e.value.editor, e.value.expected_version) == (2, "Ann's text.", "ann", 1)
    assert "ann" in str(e.value) and store.segment(doc_id, 0).target == "Ann's text."
    assert [r.text for r in store.revisions(doc_id, 0)] == ["One sentence here.", "Ann's text."]
    store.close()


if __name__ == "__main__":  # one editor process: prints its results as JSON
    from review.store import Store as _Store

    _url, _doc, _name, _n, _seed, _start = sys.argv[1:7]
    _s = _Store(_url)
    print(json.dumps(edit_loop(_s, int(_doc), _name, int(_n), int(_seed), float(_start))))
    _s.close()
