"""Benchmark of the review UI's server side on a 5,000-segment document.

    python bench/bench_ui.py [--segments 5000] [--applies 50] [--renders 10] [--out bench/out/bench_ui.json]

The document is the sample (seeds/nhk-nato-madrid-2022.ja-en.txt, 52 segments) repeated and cut
at exactly ``--segments`` segments, stored in a fresh SQLite database in a temp folder (the
glossary folder is a temp copy of glossaries/). Measured:

* apply: what one click on "Apply" costs the server — the callback's service function
  (``service.apply_finding``: the version check, the store transaction with revision, decision
  and post-edit scores) plus the re-check the rerun then does (``ui.current_findings``: segment
  rows from the store, the current document, ``compute_findings`` re-checking the edited segment,
  dismissals) — median and p95 over ``--applies`` applies on findings spread over the document;
* render: AppTest runs of the review page with that document (first run: rules, glossary and the
  whole-document check; then warm reruns and page changes), and the number of segment containers
  drawn (must be one page, not 5,000);
* click: an "Apply" button clicked through AppTest (callback + rerun + render), median.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "seeds" / "nhk-nato-madrid-2022.ja-en.txt"
APP = ROOT / "review" / "app" / "main.py"
TARGET_MS = 200.0


def build_document(n: int) -> bytes:
    """The sample repeated, cut at the start of segment ``n`` (so it has exactly ``n`` segments)."""
    from review.io import load_bytes

    text = SAMPLE.read_text(encoding="utf-8").strip() + "\n\n"
    reps = n // 52 + 2
    big = text * reps
    doc = load_bytes(big.encode("utf-8"), "bench.txt")
    if len(doc.segments) > n:
        big = big[:doc.segments[n].start].rstrip() + "\n"
    data = big.encode("utf-8")
    got = len(load_bytes(data, "bench.txt").segments)
    if got != n:
        raise SystemExit(f"built {got} segments, wanted {n}")
    return data


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(q * (len(s) - 1)))))
    return s[k]


def stats(values: list[float]) -> dict:
    return {"n": len(values), "median_ms": round(statistics.median(values), 1), "p95_ms": round(pct(values, 0.95), 1),
            "max_ms": round(max(values), 1), "mean_ms": round(statistics.fmean(values), 1)}


def count_segment_containers(at) -> int:
    """Segment containers drawn by the page: blocks keyed ``seg-<n>`` (CSS class st-key-seg-<n>)."""
    n = 0
    stack = [at._tree]
    while stack:
        node = stack.pop()
        proto = getattr(node, "proto", None)
        ident = ""
        if proto is not None:
            ident = getattr(proto, "id", "") or ""
        if isinstance(ident, str) and "seg-" in ident and ident.split("seg-")[-1].isdigit():
            n += 1
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(children.values())
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--segments", type=int, default=5000)
    ap.add_argument("--applies", type=int, default=50)
    ap.add_argument("--renders", type=int, default=10)
    ap.add_argument("--clicks", type=int, default=10)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "bench_ui.json"))
    args = ap.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-ui-"))
    try:
        gdir = tmp / "glossaries"
        gdir.mkdir()
        for p in (ROOT / "glossaries").iterdir():
            if p.suffix.lower() in (".tbx", ".csv", ".tsv"):
                shutil.copy2(p, gdir / p.name)
        url = f"sqlite:///{tmp / 'review.db'}"
        os.environ["REVIEW_DB_URL"] = url
        os.environ["REVIEW_GLOSSARY_DIR"] = str(gdir)
        os.environ.pop("REVIEW_OPEN_FILE", None)

        from review.app import service as svc
        from review.store import Store

        res: dict = {"segments": args.segments, "python": sys.version.split()[0], "cpus": os.cpu_count()}
        data = build_document(args.segments)
        store = Store(url)
        t = time.perf_counter()
        doc_id = svc.open_upload(store, data, f"bench-{args.segments}.txt")
        res["open_ms"] = round((time.perf_counter() - t) * 1000, 1)
        engine = svc.load_engine(gdir)

        cache = svc.FindingsCache()

        def recheck():
            # what ui.current_findings does on the rerun after the click
            rows = store.segments(doc_id)
            doc = svc.current_document(store, doc_id, rows)
            allf = svc.compute_findings(engine, doc_id, doc, rows, cache)
            return rows, svc.visible_findings(allf, store.dismissed(doc_id), store.project_dismissals())

        t = time.perf_counter()
        rows, vis = recheck()
        res["first_check_ms"] = round((time.perf_counter() - t) * 1000, 1)
        res["findings"] = sum(len(v) for v in vis.values())

        # findings with a suggestion, spread over the document, one per segment
        cands = [fs[0] for i, fs in sorted(vis.items()) if fs and fs[0].suggestions]
        cands = [next(f for f in vis[f.segment] if f.suggestions) for f in cands]
        step = max(1, len(cands) // args.applies)
        picks = cands[::step][:args.applies]
        by_idx = {r.index: r for r in rows}
        apply_ms, recheck_ms, total_ms = [], [], []
        for f in picks:
            t0 = time.perf_counter()
            svc.apply_finding(store, doc_id, f, f.suggestions[0], by_idx[f.segment].version, "bench")
            t1 = time.perf_counter()
            rows, vis = recheck()
            t2 = time.perf_counter()
            apply_ms.append((t1 - t0) * 1000)
            recheck_ms.append((t2 - t1) * 1000)
            total_ms.append((t2 - t0) * 1000)
        res["apply"] = {"store_write": stats(apply_ms), "recheck": stats(recheck_ms), "total": stats(total_ms),
                        "full_runs": cache.full_runs, "segment_runs": cache.segment_runs}

        # AppTest: the review page with this document
        from streamlit.testing.v1 import AppTest

        at = AppTest.from_file(str(APP), default_timeout=120)
        at.query_params["doc"] = str(doc_id)
        t = time.perf_counter()
        at.run()
        res["render_first_ms"] = round((time.perf_counter() - t) * 1000, 1)
        if at.exception:
            raise SystemExit(f"app failed: {[e.value for e in at.exception]}")
        warm = []
        for _ in range(args.renders):
            t = time.perf_counter()
            at.run()
            warm.append((time.perf_counter() - t) * 1000)
        pages = []
        n_pages = svc.page_count(args.segments)
        for k in range(args.renders):
            page = 1 + (k * 37) % n_pages
            t = time.perf_counter()
            at.number_input(key="page").set_value(page).run()
            pages.append((time.perf_counter() - t) * 1000)
        containers = count_segment_containers(at)
        text_areas = sum(1 for w in at.text_area if (w.key or "").startswith("edit-"))
        res["render"] = {"warm_rerun": stats(warm), "page_change": stats(pages), "segment_containers": containers,
                         "text_areas": text_areas, "page_size": svc.PAGE_SIZE}
        assert containers == svc.PAGE_SIZE, f"{containers} segment containers drawn (expected one page: {svc.PAGE_SIZE})"
        assert text_areas == svc.PAGE_SIZE and text_areas < args.segments

        clicks = []
        for _ in range(args.clicks):
            btn = next((b for b in at.button if (b.key or "").startswith("apply-")), None)
            if btn is None:
                at.number_input(key="page").set_value(at.number_input(key="page").value % n_pages + 1).run()
                continue
            t = time.perf_counter()
            btn.click().run()
            clicks.append((time.perf_counter() - t) * 1000)
            if at.exception:
                raise SystemExit(f"app failed: {[e.value for e in at.exception]}")
        if clicks:
            res["click_apply_apptest"] = stats(clicks)

        ok = res["apply"]["total"]["median_ms"] < TARGET_MS and res["apply"]["total"]["p95_ms"] < TARGET_MS
        res["target_ms"] = TARGET_MS
        res["within_target"] = ok
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        a, r = res["apply"], res["render"]
        print(f"document: {args.segments} segments, {res['findings']} findings; stored in {res['open_ms']:.0f} ms; "
              f"first whole-document check {res['first_check_ms']:.0f} ms")
        print(f"apply (server side, n={a['total']['n']}): total median {a['total']['median_ms']} ms, "
              f"p95 {a['total']['p95_ms']} ms  [store write median {a['store_write']['median_ms']} ms, "
              f"re-check median {a['recheck']['median_ms']} ms; {a['segment_runs']} segment re-checks, "
              f"{a['full_runs']} full] — target < {TARGET_MS:.0f} ms: {'OK' if ok else 'OVER'}")
        print(f"render (AppTest): first run {res['render_first_ms']:.0f} ms; warm rerun median "
              f"{r['warm_rerun']['median_ms']} ms, p95 {r['warm_rerun']['p95_ms']} ms; page change median "
              f"{r['page_change']['median_ms']} ms")
        print(f"segment containers drawn: {containers} (text areas {text_areas}) of {args.segments} segments "
              f"— paged, not all {args.segments}")
        if clicks:
            c = res["click_apply_apptest"]
            print(f"Apply click through AppTest (callback + rerun + render): median {c['median_ms']} ms, "
                  f"p95 {c['p95_ms']} ms")
        print(f"written: {out}")
        return 0 if ok else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
