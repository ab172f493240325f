"""Durability: writers killed with SIGKILL in the middle of editing lose no acknowledged action and
leave a sound database.

* ``test_sigkill_writers``: a writer process performs editor actions through the library the app
  uses (``review.app.service`` / ``review.store``: edit, apply a suggestion, dismiss, never-flag,
  mark reviewed, restore) and appends an acknowledgement line to a log *after* each commit (and a
  "begin" line before it). It is SIGKILLed at a random moment and restarted, ``KILLS`` times (forked
  from a pre-imported "zygote" so a restart costs milliseconds), plus ``EXEC_KILLS`` times as a fresh
  interpreter. Then: ``PRAGMA integrity_check`` is ok, every acknowledged action is in the
  database, actions in flight at a kill are all-or-nothing, and every segment's history is whole.
* ``test_sigkill_streamlit_server``: a real ``streamlit run`` server is SIGKILLed right after a Save
  click in a real browser, ``SERVER_KILLS`` times; every save the page acknowledged survives.

Run alone: ``python -m pytest tests/test_durability.py -q -s`` (prints the figures).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script (writer / zygote)
    sys.path.insert(0, str(ROOT))

KILLS = int(os.environ.get("REVIEW_DURABILITY_KILLS", "150"))
EXEC_KILLS = int(os.environ.get("REVIEW_DURABILITY_EXEC_KILLS", "6"))
SERVER_KILLS = int(os.environ.get("REVIEW_DURABILITY_SERVER_KILLS", "3"))
SEGS = 8  # the writers work on the first SEGS segments, so each gets a long history
OPS = ("edit", "edit", "apply", "dismiss", "never", "reviewed", "restore")
TEXT_OPS = ("edit", "apply", "restore")


# ------------------------------------------------------------------------------------------------
# The writer (runs in a child process)
# ------------------------------------------------------------------------------------------------
def _log(fd: int, **rec) -> None:
    os.write(fd, (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8"))  # one write(2) per line


def writer(url: str, doc_id: int, log_path: str, seed: int, rnd_round: int, ready_fd: int | None = None) -> None:
    """Perform random editor actions forever; log ``{"b": nonce}`` before and ``{"a": nonce, ...}``
    after each commit. If ``ready_fd`` is given, one byte is written to it after the first
    acknowledged action."""
    from review.app import service as svc
    from review.model import Finding, Severity
    from review.store import ConflictError, Store

    fd = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    _log(fd, r=rnd_round)
    store = Store(url)
    rnd = random.Random(seed)
    editor = f"writer-{rnd_round}"
    n = 0
    while True:
        n += 1
        nonce = f"{rnd_round}.{n}"
        op = rnd.choice(OPS)
        idx = rnd.randrange(SEGS)
        row = store.segment(doc_id, idx)
        _log(fd, b=nonce, op=op, idx=idx)
        ack: dict = {}
        try:
            if op == "edit":
                text = f"Edited by {editor} [{nonce}]."
                v = svc.save_edit(store, doc_id, idx, text, row.version, editor)
                ack = dict(version=v, text=text)
            elif op == "apply":
                word_end = row.target.find(" ") if " " in row.target else len(row.target)
                f = Finding("DUR-APPLY", idx, 0, word_end, row.target[:word_end], "Style/Awkward", Severity.MINOR, "m",
                            (f"Applied[{nonce}]",))
                v, text = svc.apply_finding(store, doc_id, f, f.suggestions[0], row.version, editor)
                ack = dict(version=v, text=text)
            elif op == "dismiss":
                f = Finding("DUR-DISMISS", idx, 0, 1, f"d[{nonce}]", "Style/Awkward", Severity.MINOR, "m")
                svc.dismiss_finding(store, doc_id, f, editor)
            elif op == "never":
                f = Finding("DUR-NEVER", idx, 0, 1, f"n[{nonce}]", "Style/Awkward", Severity.MINOR, "m")
                svc.never_flag(store, f, editor)
            elif op == "reviewed":
                store.set_reviewed(doc_id, idx, rnd.random() < 0.5, editor)
            elif op == "restore":
                if row.version < 2:
                    continue
                target = rnd.randrange(1, row.version)
                v = store.restore(doc_id, idx, target, editor, expected_version=row.version)
                ack = dict(version=v, restored=target)
        except ConflictError:  # impossible with one writer; logged so the test fails loudly
            _log(fd, conflict=nonce)
            continue
        _log(fd, a=nonce, op=op, idx=idx, **ack)
        if ready_fd is not None:
            os.write(ready_fd, b"1")
            os.close(ready_fd)
            ready_fd = None


def zygote(url: str, doc_id: int, log_path: str, kills: int, seed: int) -> None:
    """Import everything once, then ``kills`` times: fork a writer, let it run for a random moment,
    SIGKILL it, reap it. Every other writer is first given time to acknowledge one action (the
    moment is then counted from there), so the writers do real work however slow the machine is;
    the others may die anywhere, start-up included. Prints one JSON line of timings."""
    import select

    import review.app.service  # noqa: F401  (pre-import: a forked writer starts in milliseconds)
    import review.store  # noqa: F401

    rnd = random.Random(seed)
    t0 = time.monotonic()
    statuses = []
    for r in range(kills):
        wait_for_work = r % 2 == 0
        ready_r, ready_w = os.pipe() if wait_for_work else (None, None)
        pid = os.fork()
        if pid == 0:  # the writer: never returns to this loop
            try:
                if ready_r is not None:
                    os.close(ready_r)
                writer(url, doc_id, log_path, seed * 100_003 + r, r, ready_w)
            except BaseException as e:  # a bug in the writer: record it for the test
                with open(log_path + ".err", "a") as fh:
                    fh.write(f"round {r}: {type(e).__name__}: {e}\n")
            finally:
                os._exit(3)
        if wait_for_work:
            os.close(ready_w)
            select.select([ready_r], [], [], 30)
            os.close(ready_r)
        time.sleep(rnd.uniform(0.005, 0.15))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        statuses.append(os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL)
    print(json.dumps({"kills": kills, "killed_by_signal": sum(statuses), "seconds": time.monotonic() - t0}))


# ------------------------------------------------------------------------------------------------
# Checking the database against the log
# ------------------------------------------------------------------------------------------------
def _read_log(path: Path) -> list[dict]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:  # a line cut by the kill (cannot happen with one write(2))
            pass
    return out


def verify(url: str, doc_id: int, log: list[dict]) -> dict:
    from review.store import Store

    store = Store(url)
    try:
        assert store.integrity_check() == "ok"
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        acks = {r["a"]: r for r in log if "a" in r}
        begins = {r["b"]: r for r in log if "b" in r}
        in_flight = [b for n, b in begins.items() if n not in acks]
        assert not [r for r in log if "conflict" in r], "a lone writer met a conflict"

        decisions = store.decisions(doc_id)
        dec_texts = {d.text for d in decisions} | {d.suggestion for d in decisions if d.suggestion}
        never = {t for _, t in store.project_dismissals()}
        history = {i: store.revisions(doc_id, i) for i in range(SEGS)}
        rev_text = {(i, r.version): r for i, revs in history.items() for r in revs}
        audit_marks = [a for a in store.audit_log(doc_id) if a["action"] in ("reviewed", "reopened")]

        # 1. every acknowledged action is in the database
        for n, a in acks.items():
            if a["op"] in ("edit", "apply"):
                r = rev_text.get((a["idx"], a["version"]))
                assert r is not None and r.text == a["text"], (n, a)
            if a["op"] == "apply":
                assert f"Applied[{n}]" in dec_texts, (n, a)
            if a["op"] == "restore":
                r = rev_text.get((a["idx"], a["version"]))
                assert r is not None and r.action == "restore", (n, a)
                assert r.text == rev_text[(a["idx"], a["restored"])].text
            if a["op"] == "dismiss":
                assert f"d[{n}]" in dec_texts, (n, a)
            if a["op"] == "never":
                assert f"n[{n}]" in never, (n, a)
        assert len(audit_marks) >= sum(1 for a in acks.values() if a["op"] == "reviewed")

        # 2. history is whole: versions 1..current without a gap, current text == last revision
        for i, revs in history.items():
            seg = store.segment(doc_id, i)
            assert [r.version for r in revs] == list(range(1, seg.version + 1)), i
            assert revs[-1].text == seg.target
            # the last acknowledged text change of the segment is current, unless an action in
            # flight at a later kill committed without its acknowledgement
            last = [a for a in acks.values() if a["op"] in TEXT_OPS and a["idx"] == i]
            if last:
                v = max(a["version"] for a in last)
                later = sum(1 for b in in_flight if b["op"] in TEXT_OPS and b["idx"] == i)
                assert v <= seg.version <= v + later, (i, v, seg.version, later)

        # 3. an action in flight at a kill is all or nothing (apply: revision + decision together)
        committed = rolled_back = 0
        for b in in_flight:
            n = b["b"]
            if b["op"] == "apply":
                has_rev = any(f"Applied[{n}]" in r.text for r in history[b["idx"]])
                has_dec = f"Applied[{n}]" in dec_texts
                assert has_rev == has_dec, n
                committed += has_rev
                rolled_back += not has_rev
            elif b["op"] == "edit":
                has = any(f"[{n}]" in r.text for r in history[b["idx"]])
                committed += has
                rolled_back += not has
            elif b["op"] == "dismiss":
                has = f"d[{n}]" in dec_texts
                committed += has
                rolled_back += not has
            elif b["op"] == "never":
                has = f"n[{n}]" in never
                committed += has
                rolled_back += not has
        return {"acknowledged": len(acks), "in_flight_at_kill": len(in_flight),
                "in_flight_committed": committed, "in_flight_rolled_back": rolled_back,
                "revisions": sum(len(r) - 1 for r in history.values()), "decisions": len(decisions)}
    finally:
        store.close()


# ------------------------------------------------------------------------------------------------
@pytest.fixture()
def stored_doc(tmp_path):
    from review.app import service as svc
    from review.store import Store
    from tests.ui_helpers import SAMPLE

    url = f"sqlite:///{tmp_path / 'durable.db'}"
    store = Store(url)
    doc_id = svc.open_path(store, SAMPLE)
    store.close()
    return url, doc_id


def test_sigkill_writers(stored_doc, tmp_path):
    url, doc_id = stored_doc
    log_path = tmp_path / "acks.log"
    t0 = time.monotonic()
    # 1. forked writers (pre-imported zygote): many kills, fast
    z = subprocess.run([sys.executable, __file__, "zygote", url, str(doc_id), str(log_path), str(KILLS), "7"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert z.returncode == 0, z.stderr[-2000:]
    zinfo = json.loads(z.stdout.strip().splitlines()[-1])
    assert zinfo["killed_by_signal"] == KILLS  # every writer was still running when killed
    # 2. fresh interpreters (the real start-up path), killed after a random moment of writing
    rnd = random.Random(11)
    for r in range(EXEC_KILLS):
        p = subprocess.Popen([sys.executable, __file__, "writer", url, str(doc_id), str(log_path),
                              str(1000 + r), str(KILLS + r)], cwd=ROOT)
        time.sleep(rnd.uniform(0.6, 1.0))
        assert p.poll() is None, "writer exited on its own"
        p.send_signal(signal.SIGKILL)
        p.wait(10)
    errors = Path(str(log_path) + ".err")
    assert not errors.exists(), errors.read_text()

    log = _read_log(log_path)
    rounds = sum(1 for r in log if "r" in r)
    assert 0.9 * (KILLS + EXEC_KILLS) <= rounds <= KILLS + EXEC_KILLS  # a very early kill may precede the marker
    figures = verify(url, doc_id, log)
    figures.update(kills=KILLS + EXEC_KILLS, writers_started=rounds, seconds=round(time.monotonic() - t0, 1))
    print("\nDURABILITY", json.dumps(figures))
    assert figures["kills"] >= 100
    # the writers did real work between kills: every other forked writer acknowledged an action
    assert figures["acknowledged"] >= KILLS // 2
    assert figures["in_flight_at_kill"] > 0  # some kills landed mid-action


# ------------------------------------------------------------------------------------------------
# A real streamlit server killed during UI actions
# ------------------------------------------------------------------------------------------------
def test_sigkill_streamlit_server(tmp_path):
    from tests.ui_helpers import CHROMIUM, CHROMIUM_ARGS, READY, SAMPLE, Server, glossary_copy

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not installed at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    expect = sync_api.expect
    from review.store import Store

    env = {"REVIEW_DB_URL": f"sqlite:///{tmp_path / 'ui.db'}", "REVIEW_GLOSSARY_DIR": str(glossary_copy(tmp_path)),
           "REVIEW_OPEN_FILE": str(SAMPLE)}
    rnd = random.Random(5)
    acknowledged: dict[int, str] = {}
    doc_id = None
    t0 = time.monotonic()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            for k in range(SERVER_KILLS):
                srv = Server(env, log=tmp_path / f"streamlit-{k}.log").start()
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(20_000)
                page.goto(srv.url + (f"/?doc={doc_id}" if doc_id else ""))
                page.wait_for_selector(READY, timeout=30_000)
                expect(page.locator(".st-key-seg-0")).to_be_visible(timeout=20_000)
                if doc_id is None:
                    import re

                    doc_id = int(re.search(r"[?&]doc=(\d+)", page.url).group(1))
                # what was acknowledged before the earlier kills is on the page
                for i, text in acknowledged.items():
                    expect(page.locator(f".st-key-edit-{i} textarea")).to_have_value(text, timeout=20_000)
                # two acknowledged saves, then a third save and a SIGKILL a random moment after the click
                for j in range(3):
                    i = k * 3 + j  # a new segment each time (all on the first page)
                    text = f"Kill round {k}, save {j}."
                    page.locator(f".st-key-edit-{i} textarea").fill(text)
                    page.locator(f".st-key-save-{i} button").click()
                    if j < 2:
                        expect(page.get_by_text(f"Segment {i + 1} saved")).to_be_visible(timeout=20_000)
                        acknowledged[i] = text
                    else:
                        time.sleep(rnd.uniform(0.0, 0.3))
                        srv.kill()
                page.close()
                print(f"round {k}: {time.monotonic() - t0:.1f}s")
        finally:
            browser.close()
    store = Store(env["REVIEW_DB_URL"])
    try:
        assert store.integrity_check() == "ok"
        for i, text in acknowledged.items():
            assert store.segment(doc_id, i).target == text
    finally:
        store.close()
    print(f"\nSERVER-KILLS {SERVER_KILLS} acknowledged={len(acknowledged)} seconds={time.monotonic() - t0:.1f}")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "zygote":
        zygote(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    elif cmd == "writer":
        writer(sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5]), int(sys.argv[6]))
    else:
        raise SystemExit(f"unknown command {cmd}")


def test_wal_full_sync_and_one_transaction_per_action(stored_doc):
    """The store runs SQLite in WAL mode with synchronous=FULL, and every editor action is exactly
    one committed transaction (so an acknowledged action is one whole commit)."""
    from sqlalchemy import event

    from review.app import service as svc
    from review.model import Finding, Severity
    from review.store import Store

    url, doc_id = stored_doc
    store = Store(url)
    assert store.pragma("journal_mode").lower() == "wal"
    assert store.pragma("synchronous") == 2  # FULL
    commits, begins = [], []
    event.listen(store.engine, "commit", lambda conn: commits.append(1))
    event.listen(store.engine, "begin", lambda conn: begins.append(conn.get_execution_options().get("review_write")))
    row = store.segment(doc_id, 1)
    k = row.target.index(" ")
    f = Finding("R", 1, 0, k, row.target[:k], "Style/Awkward", Severity.MINOR, "m", ("X",))
    actions = [
        lambda: svc.save_edit(store, doc_id, 0, "New text.", 1, "ann"),
        lambda: svc.apply_finding(store, doc_id, f, "X", 1, "ann"),
        lambda: svc.dismiss_finding(store, doc_id, f, "ann"),
        lambda: svc.never_flag(store, f, "ann"),
        lambda: store.set_reviewed(doc_id, 2, True, "ann"),
        lambda: store.restore(doc_id, 0, 1, "ann"),
    ]
    for act in actions:
        commits.clear()
        begins.clear()
        act()
        assert len(commits) == 1 and begins.count(True) == 1  # one write transaction (BEGIN IMMEDIATE)
    store.close()
