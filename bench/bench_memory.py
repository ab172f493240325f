"""Peak memory (RSS) and time of ``review check`` on a generated plain-text file (default 50 MB).

    python bench/bench_memory.py [--mb 50] [--jobs 0] [--out DIR] [--stage load|check|both]

The file is the sample news text repeated to the size asked for. Each measurement is one child
process; its peak RSS is ``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` read after it exits
(a fresh ``bench_memory.py --child`` runner per measurement, so the figure is that child's
alone — with ``--jobs`` > 1 the worker processes the check forks are children of that child and
are reported separately as "workers"). ``--stage load`` measures reading + segmenting only
(``review.io.load_path``), ``check`` the whole command.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "nhk-nato-madrid-2022.ja-en.txt"


def make_input(path: Path, mb: float) -> Path:
    size = int(mb * 1024 * 1024)
    if path.exists() and path.stat().st_size == size:
        return path
    base = SAMPLE.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        left = size
        while left > 0:
            chunk = base[:left]
            fh.write(chunk)
            left -= len(chunk)
    return path


def child(stage: str, path: str, jobs: int) -> int:
    """Run one stage in this process; print JSON with our own and our children's peak RSS."""
    t0 = time.monotonic()
    if stage == "load":
        sys.path.insert(0, str(ROOT))
        from review.io import load_path

        doc = load_path(path, max_bytes=1 << 40)
        info = {"segments": len(doc.segments)}
        rc = 0
    else:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        cmd = [sys.executable, "-m", "review", "check", path, "--format", "text", "--no-progress",
               "--jobs", str(jobs)]
        with open(os.devnull, "wb") as devnull:
            p = subprocess.run(cmd, stdout=devnull, stderr=subprocess.PIPE, env=env)
        rc = p.returncode
        info = {"stderr": p.stderr.decode("utf-8", "replace")[-300:]}
    info.update(seconds=round(time.monotonic() - t0, 1), returncode=rc,
                self_max_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                children_max_rss_mb=round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))
    print(json.dumps(info))
    return 0


def measure(stage: str, path: Path, jobs: int) -> dict:
    """One measurement in a fresh child; its peak RSS from getrusage(RUSAGE_CHILDREN)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    p = subprocess.run([sys.executable, __file__, "--child", stage, str(path), str(jobs)], capture_output=True,
                       text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    info = json.loads(p.stdout.strip().splitlines()[-1]) if p.stdout.strip() else {"error": p.stderr[-500:]}
    # the runner child is tiny for "check": the figure that matters is the review process (its child)
    info["peak_rss_mb"] = round(max(after, before) / 1024)
    if stage == "check":
        info["review_check_peak_rss_mb"] = info.get("children_max_rss_mb")
    return info


def main(argv=None) -> int:
    if argv is None and len(sys.argv) > 1 and sys.argv[1] == "--child":
        return child(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mb", type=float, default=50)
    ap.add_argument("--jobs", type=int, default=0, help="--jobs for review check (0: one per CPU)")
    ap.add_argument("--out", default=os.path.join(tempfile.gettempdir(), "review-bench"),
                    help="folder for the generated input (default: a temp folder)")
    ap.add_argument("--stage", choices=("check", "load", "both"), default="both")
    args = ap.parse_args(argv)
    path = make_input(Path(args.out) / f"news-{args.mb:g}mb.txt", args.mb)
    result = {"file": str(path), "mb": args.mb, "cpus": os.cpu_count(), "jobs": args.jobs}
    for stage in (("load", "check") if args.stage == "both" else (args.stage,)):
        result[stage] = measure(stage, path, args.jobs)
        print(f"{stage}: {json.dumps(result[stage])}", file=sys.stderr)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
