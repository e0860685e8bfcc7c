"""Benchmark rendering the example notice ``notices/2023/103-TB-BCD.yaml``.

Measures, and prints as a table:
  * cold CLI: wall time of ``thongbao render ... -o tmp.docx`` as a fresh subprocess;
  * warm in-process: ``api.load_notice`` (load + validate), ``api.render_notice``
    (render only) and both together, after one warm-up;
  * reference: a bare docxtpl render of ``templates/party.docx`` with the plain
    context of ``build_plan(notice, "BODY")``, warm in-process and cold subprocess;
  * output size and whether two renders are byte-identical (SHA-256);
  * "send": the notice plus every unit's extract plus tasks.csv, tasks.xlsx and
    deadlines.ics, for the example (25 units) and for a generated notice of
    40 units and 200 tasks, against one bare docxtpl render.
Ratios are ours / bare docxtpl. Run as ``python bench/bench.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "notices" / "2023" / "103-TB-BCD.yaml"
TEMPLATE = ROOT / "templates" / "party.docx"

BARE_SCRIPT = """\
import json, sys
from io import BytesIO
from docxtpl import DocxTemplate
with open(sys.argv[2], encoding="utf-8") as f:
    ctx = json.load(f)
tpl = DocxTemplate(sys.argv[1])
tpl.render(ctx)
tpl.save(BytesIO())
"""


def timed(fn: Callable[[], object], runs: int, warmup: bool = True) -> list[float]:
    """Seconds per call of ``fn`` over ``runs`` calls (after one untimed call if ``warmup``)."""
    if warmup:
        fn()
    out: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


# Cold runs use Python's bytecode cache as a normal install does (the warm-up
# writes it), even where the environment turns it off (PYTHONDONTWRITEBYTECODE).
COLD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_cmd(cmd: list[str]) -> Callable[[], object]:
    def go() -> object:
        return subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env=COLD_ENV)
    return go


def cli_command(out: Path) -> list[str]:
    exe = shutil.which("thongbao")
    base = [exe] if exe else [sys.executable, "-c", "from generator.cli import main; main()"]
    return [*base, "render", str(NOTICE), "-o", str(out)]


def row(label: str, times: list[float]) -> tuple[str, float, float]:
    return label, statistics.median(times) * 1000, min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=None,
                        help="runs per figure (default: 5 for subprocesses, 20 in-process)")
    args = parser.parse_args()
    cold_n: int = args.runs or 5
    warm_n: int = args.runs or 20

    from docxtpl import DocxTemplate

    from generator import api
    from generator.context import build_plan

    notice = api.load_notice(NOTICE).notice
    ctx = build_plan(notice, "BODY").context

    def bare() -> None:
        tpl = DocxTemplate(str(TEMPLATE))
        tpl.render(ctx)
        tpl.save(BytesIO())

    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        ctx_file = tmp / "ctx.json"
        ctx_file.write_text(json.dumps(ctx, ensure_ascii=False), encoding="utf-8")
        cli_cmd = cli_command(tmp / "n.docx")
        bare_cmd = [sys.executable, "-c", BARE_SCRIPT, str(TEMPLATE), str(ctx_file)]
        # The warm-up of a cold run only primes the OS file cache, not the interpreter.
        cold_ours = timed(run_cmd(cli_cmd), cold_n)
        cold_bare = timed(run_cmd(bare_cmd), cold_n)
        cli_size = (tmp / "n.docx").stat().st_size

    rows = [
        row("cold CLI: thongbao render", cold_ours),
        row("cold bare docxtpl (python -c)", cold_bare),
        row("warm load + validate", timed(lambda: api.load_notice(NOTICE), warm_n)),
        row("warm render only", timed(lambda: api.render_notice(notice), warm_n)),
        row("warm load + render", timed(lambda: api.render_notice(api.load_notice(NOTICE).notice), warm_n)),
        row("warm bare docxtpl", timed(bare, warm_n)),
    ]

    first, second = api.render_notice(notice), api.render_notice(notice)
    h1, h2 = hashlib.sha256(first).hexdigest(), hashlib.sha256(second).hexdigest()

    print(f"notice   : {NOTICE.relative_to(ROOT)}")
    print(f"cli      : {' '.join(cli_cmd[:-4])}")
    print(f"python   : {sys.version.split()[0]}  runs: cold {cold_n}, warm {warm_n}\n")
    print(f"{'figure':<32}{'median ms':>12}{'min ms':>12}")
    print("-" * 56)
    for label, med, low in rows:
        print(f"{label:<32}{med:>12.1f}{low:>12.1f}")
    print("-" * 56)
    by = {label: (med, low) for label, med, low in rows}
    for name, ours, ref in (("cold", "cold CLI: thongbao render", "cold bare docxtpl (python -c)"),
                            ("warm", "warm load + render", "warm bare docxtpl")):
        print(f"ratio {name} (ours / bare docxtpl): median {by[ours][0] / by[ref][0]:.2f}x, "
              f"min {by[ours][1] / by[ref][1]:.2f}x")
    print(f"\noutput size      : {len(first)} bytes (CLI file: {cli_size} bytes)")
    print(f"sha256 render 1  : {h1}")
    print(f"sha256 render 2  : {h2}")
    print(f"reproducible     : {'yes' if h1 == h2 else 'NO'}")

    bare_ms = by["warm bare docxtpl"][0]
    send_runs = max(1, (args.runs or 3))
    print(f"\n{'send (notice + extracts + task files)':<44}{'median ms':>11}{'min ms':>9}{'files':>7}{'x bare':>8}")
    print("-" * 79)
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        generated = write_generated(tmp / "gen", units=40, tasks=200)
        for label, source in (("example: 25 units, 15 tasks", NOTICE), ("generated: 40 units, 200 tasks", generated)):
            files = send(source, tmp / "out")
            times = timed(lambda src=source: send(src, tmp / "out"), send_runs)
            med, low = statistics.median(times) * 1000, min(times) * 1000
            print(f"{label:<44}{med:>11.0f}{low:>9.0f}{files:>7}{med / bare_ms:>8.1f}")


def send(source: Path, out: Path) -> int:
    """What a clerk runs after a meeting: render the notice, then the extracts and task files."""
    from generator import api
    from generator.distribute import write_extracts

    api.render_file(source, out / "notice.docx")
    return 1 + len(write_extracts(source, out).files)


def write_generated(folder: Path, units: int, tasks: int) -> Path:
    """A units file and a notice: one conclusion per unit, tasks spread evenly, half with a deadline."""
    folder.mkdir(parents=True)
    lines = ["groups:", '  - {id: all, name: "Các cơ quan, ban, ngành cấp huyện"}', "units:"]
    lines += [f"  - {{id: u{k:02d}, name: Đơn vị số {k}, groups: [all]}}" for k in range(1, units + 1)]
    (folder / "units.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    per = tasks // units
    src = NOTICE.read_text(encoding="utf-8")
    head = src[: src.index("conclusions:")]
    tail = src[src.index("footnotes:"):]
    body = ["conclusions:"]
    for k in range(1, units + 1):
        body += [f"  - to: Đơn vị số {k}", "    tasks:"]
        for t in range(per):
            due = f" **trước ngày {1 + (k + t) % 28}/8/2023**" if t % 2 == 0 else ""
            ref = "[^1]" if (k, t) == (1, 0) else "[^2]" if (k, t) == (2, 0) else ""
            body.append(f"      - Nhiệm vụ {t + 1} của đơn vị số {k}, rà soát, tổng hợp và báo cáo kết quả "
                        f"thực hiện Cuộc vận động trên địa bàn (qua Ủy ban MTTQ Việt Nam huyện){ref}{due}.")
    path = folder / "generated.yaml"
    path.write_text(head + "\n".join(body) + "\n\n" + tail, encoding="utf-8")
    return path


if __name__ == "__main__":
    main()
