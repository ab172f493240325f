"""Glossary edits from several review servers on one glossary folder: separate processes, each
with its own engine and store, add concepts to the same folder at the same moment. Every add is
in the folder's files afterwards (none overwrote another's), and no two adds got the same id.

Run alone: ``python -m pytest tests/test_glossary_lock.py -q -s`` (prints the figures).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROCESSES = 3
ADDS = 12  # per process


def add_loop(folder: str, db: str, name: str, adds: int, start_at: float) -> dict:
    """``adds`` concepts added through the UI's service, as a server's editor would; the same
    term text in every process, so that ids collide unless they are taken on disk into account."""
    from review.app import service as svc
    from review.store import Store

    engine = svc.load_engine(Path(folder))
    store = Store(f"sqlite:///{db}")
    ids = []
    time.sleep(max(0.0, start_at - time.time()))
    for i in range(adds):
        c = svc.add_term(engine, store, Path(folder), f"shared term {i}", "en", "admitted",
                         replacement=f"{name} rendering {i}", editor=name)
        ids.append(c.id)
    store.close()
    return {"name": name, "ids": ids}


def test_servers_adding_concepts_at_once_lose_nothing(tmp_path):
    from review.app import service as svc
    from review.glossary import Glossary

    folder = tmp_path / "glossaries"
    folder.mkdir()
    start_at = time.time() + 2.0  # each process builds its engine first; all add together
    procs = [subprocess.Popen([sys.executable, __file__, str(folder), str(tmp_path / f"s{p}.db"), f"server{p}",
                               str(ADDS), str(start_at)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
             for p in range(PROCESSES)]
    results = []
    for p in procs:
        out, _ = p.communicate(timeout=180)
        assert p.returncode == 0
        results.append(json.loads(out.strip().splitlines()[-1]))
    acknowledged = [i for r in results for i in r["ids"]]
    on_disk = Glossary.load_file(folder / svc.ADDITIONS_FILE)
    figures = {"processes": PROCESSES, "adds": len(acknowledged), "distinct_ids": len(set(acknowledged)),
               "concepts_in_file": len(on_disk)}
    print("\nGLOSSARY-LOCK", json.dumps(figures))
    assert len(set(acknowledged)) == len(acknowledged) == PROCESSES * ADDS  # no id given twice
    assert {c.id for c in on_disk.concepts} == set(acknowledged)  # every add is in the file
    for r in results:  # ... with the terms its own server wrote
        for i, cid in enumerate(r["ids"]):
            texts = {t.text for t in on_disk.get(cid).terms}
            assert f"{r['name']} rendering {i}" in texts, (cid, texts)


if __name__ == "__main__":
    folder, db, name, adds, start_at = sys.argv[1:6]
    print(json.dumps(add_loop(folder, db, name, int(adds), float(start_at))))
