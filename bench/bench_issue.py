"""Benchmark concurrent issuing: N ``thongbao issue`` processes at once, on N different sources.

Each source is the example notice (``notices/2023/103-TB-BCD.yaml``, 25 units, so
every issue renders the notice and 25 extracts) without its number and with its
own subject, issued into one fresh archive with ``notices/units.yaml``.
Prints the time of one issue alone, the total wall time of the N concurrent
issues, each process's time (min / median / max), their CPU time (the wall
time cannot be less than CPU time / cores), how much of the run the register's
write lock was held (probed every 50 ms; this figure does not depend on the
machine's load) and whether the numbers given are distinct and consecutive. The machine's load is printed too: other work on
it slows both. Run as ``python bench/bench_issue.py [--issues N] [--code CHECKOUT]``.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "notices" / "2023" / "103-TB-BCD.yaml"
UNITS = ROOT / "notices" / "units.yaml"
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}, "PYTHONPATH": str(ROOT)}


def write_sources(folder: Path, count: int) -> list[Path]:
    text = NOTICE.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^number: 103\n", "", text)
    paths = []
    for k in range(1, count + 1):
        body = text.replace("định kỳ quý II/2023\n\nopening", f"định kỳ quý II/2023 (lần {k})\n\nopening", 1)
        assert body != text
        path = folder / f"n{k:02d}.yaml"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    (folder / "thongbao.ini").write_text("[party-terms]\nBCĐ = 2020-07-20\n", encoding="utf-8")
    return paths


def issue_cmd(source: Path, archive: Path) -> list[str]:
    return [sys.executable, "-m", "generator.cli_archive", "issue", str(source), "--archive", str(archive),
            "--units", str(UNITS)]


def cpu_seconds() -> float:
    """User + system CPU time of the finished child processes so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class LockProbe(threading.Thread):
    """Every 50 ms, try to take the register's write lock at once: how often another holds it.

    Unlike wall time, this does not depend on what else the machine runs.
    """

    def __init__(self, register: Path):
        super().__init__(daemon=True)
        self.register, self.busy, self.free = register, 0, 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.05):
            if not self.register.exists():
                continue
            conn = sqlite3.connect(self.register, timeout=0, isolation_level=None)
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("ROLLBACK")
                self.free += 1
            except sqlite3.OperationalError:
                self.busy += 1
            finally:
                conn.close()

    @property
    def share(self) -> float:
        return self.busy / max(1, self.busy + self.free)


def run_concurrently(sources: list[Path], archive: Path) -> tuple[float, list[float]]:
    t0 = time.perf_counter()
    procs = [(subprocess.Popen(issue_cmd(s, archive), cwd=s.parent, env=ENV, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True), time.perf_counter()) for s in sources]
    each = []
    pending = dict(enumerate(procs))
    ended: dict[int, float] = {}
    while pending:
        for k, (p, _) in list(pending.items()):
            if p.poll() is not None:
                ended[k] = time.perf_counter()
                del pending[k]
        time.sleep(0.02)
    total = time.perf_counter() - t0
    for k, (p, started) in enumerate(procs):
        _, err = p.communicate()
        if p.returncode != 0:
            raise SystemExit(f"issue {sources[k].name} failed ({p.returncode}): {err.strip()}")
        each.append(ended[k] - started)
    return total, each


def numbers(archive: Path) -> list[int]:
    conn = sqlite3.connect(archive / "register.sqlite3")
    try:
        return [n for (n,) in conn.execute("SELECT number FROM documents ORDER BY number")]
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=20, help="concurrent issues (default 20)")
    parser.add_argument("--code", type=Path, default=ROOT,
                        help="the checkout whose thongbao is run (default: this one), to compare before/after")
    args = parser.parse_args()
    ENV["PYTHONPATH"] = str(args.code.resolve())
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        sources = write_sources(tmp, args.issues + 1)
        alone, _ = run_concurrently(sources[:1], tmp / "warm")  # also primes caches
        alone, _ = run_concurrently(sources[:1], tmp / "alone")
        archive = tmp / "archive"
        cpu0 = cpu_seconds()
        probe = LockProbe(archive / "register.sqlite3")
        probe.start()
        total, each = run_concurrently(sources[1:], archive)
        probe.stop.set()
        probe.join()
        cpu = cpu_seconds() - cpu0
        got = numbers(archive)
    print(f"code     : {args.code.resolve()}")
    print(f"python   : {sys.version.split()[0]}  cores: {os.cpu_count()}, load {os.getloadavg()[0]:.1f}")
    print(f"one issue alone (notice + 25 extracts)   : {alone:6.1f} s")
    print(f"{args.issues} concurrent issues, total wall time    : {total:6.1f} s")
    print(f"per process  min / median / max          : {min(each):6.1f} / {statistics.median(each):.1f} / "
          f"{max(each):.1f} s")
    cores = os.cpu_count() or 1
    print(f"CPU time of the {args.issues} processes            : {cpu:6.1f} s (at best {cpu / cores:.1f} s of wall "
          f"time on {cores} cores, with nothing else running)")
    print(f"register write lock held during the run      : {probe.share:6.0%} of {probe.busy + probe.free} "
          "probes (every 50 ms)")
    consecutive = got == list(range(1, args.issues + 1))
    print(f"numbers given: {got[0]}..{got[-1]}, {'distinct and consecutive' if consecutive else 'NOT consecutive'}")


if __name__ == "__main__":
    main()
