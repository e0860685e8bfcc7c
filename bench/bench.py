"""Benchmark thongbao against its peers, in the same run, at office scale (issue 12).

Every figure is printed beside its peer, measured in the same run, and the
ratio (ours / peer), since absolute times drift on a shared machine:

  render      cold ``thongbao render`` of the example   vs a bare docxtpl script (cold)
                                                        vs pandoc making the same notice (cold)
  extracts    cold ``thongbao extracts``: the example (25 units), and a generated
              notice of 100 units x 1,000 tasks          vs one cold bare docxtpl render
  pack        the whole meeting pack (notice + every extract + tasks.csv/.xlsx/.ics)
              of 40 units x 200 tasks, in a fresh process   vs the 1 s target
              and of 100 units x 1,000 tasks         vs the 40 x 200 pack scaled by units x tasks
  pdf         cold ``render --pdf``                      vs a plain ``soffice --convert-to pdf`` (fresh private
              the example's 25 extract PDFs (conversion,   profile; and with a copy of a user's set-up profile)
              fresh process)                             vs one plain soffice conversion (the same two)
              ``extracts --pdf`` whole               vs ``extracts`` plus one plain soffice conversion
              (runs in turns: ours, peer, peer, ours ...)
  tasks       ``tasks --overdue`` over 1,000 generated notices, first (cold) and next (warm) call,
              with peak memory                          vs the 1 s / 100 MiB targets
  lint        linting a source with 1,000 and 20,000 warnings  vs the same source without them
  issue       ``issue`` at the 1st, 1,000th (and with --archive-10k the 10,000th) document of an
              archive filled by copying a filed document   vs the 1st document
  verify      ``verify`` of that archive: distinct bytes hashed vs bytes filed

Run: ``python bench/bench.py [--runs N] [--only render,pdf,...] [--archive-10k]``; with
THONGBAO_BENCH_CHECKOUT=1 (or THONGBAO_BENCH_MODULE=1), ``thongbao`` is this checkout's code run by
this Python, whatever an installed ``thongbao`` script would import.
A peer that is not installed (pandoc, LibreOffice) is skipped with a note.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTICE = ROOT / "notices" / "2023" / "103-TB-BCD.yaml"
UNITS = ROOT / "notices" / "units.yaml"
TEMPLATE = ROOT / "templates" / "party.docx"
SECTIONS = ("render", "extracts", "pack", "pdf", "tasks", "lint", "issue")

BARE_SCRIPT = """\
import json, sys
from io import BytesIO
from docxtpl import DocxTemplate
with open(sys.argv[2], encoding="utf-8") as f:
    ctx = json.load(f)
tpl = DocxTemplate(sys.argv[1])
tpl.render(ctx)
tpl.save(sys.argv[3])
"""

PACK_SCRIPT = """\
import sys
from pathlib import Path
from generator import api
from generator.distribute import write_extracts
src, out = Path(sys.argv[1]), Path(sys.argv[2])
api.render_file(src, out / "notice.docx")
write_extracts(src, out)
"""

# Cold runs use Python's bytecode cache as a normal install does (the warm-up
# writes it), even where the environment turns it off (PYTHONDONTWRITEBYTECODE).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
ENV["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)


# -- measuring -------------------------------------------------------------------------

def run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one subprocess run; it must succeed."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read() if proc.stderr else b""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    CPU.append(usage.ru_utime + usage.ru_stime)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd[:6])} ... failed ({proc.returncode}): "
                         f"{err.decode('utf-8', 'replace')[-400:]}")
    return elapsed, usage.ru_maxrss


CPU: list[float] = []   # CPU seconds (user + system) of each run, in order
BARE_CPU: list[float] = [0.0]


def cold(cmd: list[str], runs: int, env: dict[str, str] | None = None, warmup: bool = True) -> float:
    """Median seconds of ``runs`` fresh processes (after one untimed run that primes the file cache).

    cold.cpu holds the median CPU seconds of the same runs (steadier than wall time on a busy machine).
    """
    if warmup:
        run(cmd, env)
    del CPU[:]
    wall = statistics.median(run(cmd, env)[0] for _ in range(runs))
    cold.cpu = statistics.median(CPU)  # type: ignore[attr-defined]
    return wall


def cold_side_by_side(cmds: list[list[str]], runs: int) -> list[tuple[float, float]]:
    """Median wall and CPU seconds of each command, run in turns (one of each, ``runs`` times).

    Taking turns, every command meets the same load: on a machine shared with
    other work, runs of one command after the other compare different hours.
    """
    for cmd in cmds:
        run(cmd)
    walls: list[list[float]] = [[] for _ in cmds]
    cpus: list[list[float]] = [[] for _ in cmds]
    for _ in range(runs):
        for k, cmd in enumerate(cmds):
            del CPU[:]
            walls[k].append(run(cmd)[0])
            cpus[k].append(CPU[0])
    return [(statistics.median(w), statistics.median(c)) for w, c in zip(walls, cpus)]


def warm(fn: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter) -> float:
    fn()
    out = []
    for _ in range(runs):
        t0 = clock()
        fn()
        out.append(clock() - t0)
    return statistics.median(out)


CHECKOUT = "THONGBAO_BENCH_CHECKOUT"


def thongbao(*args: str) -> list[str]:
    """The ``thongbao`` command: the installed script, or (no script, or $THONGBAO_BENCH_CHECKOUT or
    $THONGBAO_BENCH_MODULE set) this checkout's code run by this Python, whatever an installed script
    would import."""
    exe = None if os.environ.get(CHECKOUT) or os.environ.get("THONGBAO_BENCH_MODULE") else _entry_point()
    base = [exe] if exe else [sys.executable, "-c", "from generator.cli import main; main()"]
    return [*base, *args]


def _entry_point() -> str | None:
    """The installed ``thongbao`` script; through a pyenv shim, the script it runs.

    A pyenv shim is a bash script that asks pyenv which Python to run (about
    40 ms of CPU per start here): not thongbao's, and the peers (run with
    sys.executable) do not pay it either.
    """
    exe = shutil.which("thongbao")
    if exe and Path(exe).parent.name == "shims" and shutil.which("pyenv"):
        found = subprocess.run(["pyenv", "which", "thongbao"], capture_output=True, text=True)
        real = found.stdout.strip()
        if found.returncode == 0 and real and Path(real).is_file():
            return real
    return exe


class Table:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, figure: str, ours: float | None, peer: str, theirs: float | None, unit: str = "ms",
            note: str = "") -> None:
        def fmt(x: float | None) -> str:
            if x is None:
                return "-"
            return f"{x * 1000:.0f} ms" if unit == "ms" else f"{x:.0f} {unit}"
        ratio = f"{ours / theirs:.2f}x" if ours is not None and theirs else "-"
        self.rows.append((figure, fmt(ours), peer, fmt(theirs), ratio + (f"  {note}" if note else "")))
        print(f"{figure:<46}{fmt(ours):>11}  {peer:<36}{fmt(theirs):>11}  {self.rows[-1][4]}", flush=True)

    @staticmethod
    def head(title: str) -> None:
        print(f"\n{title}\n{'figure':<46}{'ours':>11}  {'peer':<36}{'peer':>11}  ratio\n" + "-" * 118, flush=True)


# -- inputs ----------------------------------------------------------------------------

def write_generated(folder: Path, units: int, tasks: int) -> Path:
    """A units file and a notice: one conclusion per unit, tasks spread evenly, half with a deadline."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["groups:", '  - {id: all, name: "Các cơ quan, ban, ngành cấp huyện"}', "units:"]
    lines += [f"  - {{id: u{k:03d}, name: Đơn vị số {k}, groups: [all]}}" for k in range(1, units + 1)]
    (folder / "units.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    per = max(1, tasks // units)
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
    path = folder / f"generated-{units}x{tasks}.yaml"
    path.write_text(head + "\n".join(body) + "\n\n" + tail, encoding="utf-8")
    return path


def write_folder(folder: Path, count: int) -> Path:
    """A notices folder: units.yaml and ``count`` copies of the example, each with its own number."""
    folder.mkdir(parents=True)
    shutil.copyfile(UNITS, folder / "units.yaml")
    src = NOTICE.read_text(encoding="utf-8")
    for k in range(1, count + 1):
        year = folder / str(2000 + k % 20)
        year.mkdir(exist_ok=True)
        (year / f"{k:04d}-TB-BCD.yaml").write_text(src.replace("number: 103", f"number: {k}"), encoding="utf-8")
    return folder


def write_lint_source(path: Path, warnings: int, slips: bool) -> Path:
    """The example with an opening of ``warnings`` lines, each with a repeated word when ``slips``."""
    src = NOTICE.read_text(encoding="utf-8")
    start, end = src.index("opening:"), src.index("conclusions:")
    word = "của của" if slips else "của"
    lines = [f"  Đoạn mở đầu số {k} {word} Hội nghị giao ban Ban Chỉ đạo Cuộc vận động huyện."
             for k in range(warnings)]
    path.write_text(src[:start] + "opening: >-\n" + "\n".join(lines) + "\n\n" + src[end:], encoding="utf-8")
    return path


def notice_markdown(notice, plan) -> str:
    """The notice as pandoc markdown: the same header lines, body, footnotes, recipients, signature."""
    ctx = plan.context
    out = [*ctx["issuing_body_lines"], str(ctx["number_line"]), "", "ĐẢNG CỘNG SẢN VIỆT NAM",
           str(ctx["place_date"]), "", f"**{ctx['document_type']}**", "", str(ctx["subject"]), ""]
    for para in plan.body:
        text = "".join(f"[^{r.footnote}]" if r.footnote else (f"**{r.text}**" if r.bold else r.text)
                       for r in para.runs)
        out += [text, ""]
    out += [str(ctx["recipients_heading"]), "", *[f"{r}  " for r in ctx["recipients"]], ""]
    out += [*ctx["signature_title"], "", str(ctx["signer_name"]), ""]
    for note in plan.footnotes:
        out += [f"[^{note.number}]: " + "".join(r.text for r in note.runs), ""]
    return "\n".join(out)


# -- sections --------------------------------------------------------------------------

def bench_render(t: Table, tmp: Path, runs: int) -> float:
    """Returns the cold bare docxtpl render (seconds), the peer of the extracts."""
    from generator import api
    from generator.context import build_plan

    notice = api.load_notice(NOTICE).notice
    plan = build_plan(notice, "BODY")
    ctx_file = tmp / "ctx.json"
    ctx_file.write_text(json.dumps(plan.context, ensure_ascii=False), encoding="utf-8")
    Table.head("Cold render of the example (fresh processes, thongbao and its peers in turns)")
    cmds = [thongbao("render", str(NOTICE), "-o", str(tmp / "n.docx")),
            [sys.executable, "-c", BARE_SCRIPT, str(TEMPLATE), str(ctx_file), str(tmp / "bare.docx")]]
    if shutil.which("pandoc"):
        md = tmp / "notice.md"
        md.write_text(notice_markdown(notice, plan), encoding="utf-8")
        cmds.append(["pandoc", str(md), "-o", str(tmp / "pandoc.docx"), "--reference-doc", str(TEMPLATE)])
    measured = cold_side_by_side(cmds, max(runs, 15))  # a few ms apart: enough rounds to tell
    (ours, ours_cpu), (bare, bare_cpu) = measured[:2]
    t.add("render: thongbao render", ours, "bare docxtpl script", bare, note="target <= 1.2x")
    t.add("render: thongbao render, CPU time", ours_cpu, "bare docxtpl script, CPU time", bare_cpu)
    BARE_CPU[:] = [bare_cpu]
    if len(measured) > 2:
        pandoc, pandoc_cpu = measured[2]
        t.add("render: thongbao render", ours, "pandoc, same notice", pandoc, note="target <= 2x")
        t.add("render: thongbao render, CPU time", ours_cpu, "pandoc, CPU time", pandoc_cpu)
    else:
        print("  (pandoc not installed: peer skipped; Debian: apt-get install pandoc)")
    return bare


def bench_extracts(t: Table, tmp: Path, runs: int, bare: float) -> None:
    Table.head("Extracts and the meeting pack (fresh processes)")
    bare_cpu = BARE_CPU[0]
    ours = cold(thongbao("extracts", str(NOTICE), "-o", str(tmp / "ex")), runs)
    t.add("extracts: example, 25 units", ours, "one cold bare docxtpl render", bare)
    t.add("extracts: example, 25 units, CPU time", cold.cpu, "one bare docxtpl render, CPU time", bare_cpu)  # type: ignore[attr-defined]
    big = write_generated(tmp / "gen", 100, 1000)
    ours = cold(thongbao("extracts", str(big), "-o", str(tmp / "ex-big")), max(1, runs // 2))
    t.add("extracts: 100 units x 1,000 tasks", ours, "one cold bare docxtpl render", bare)
    t.add("extracts: 100 x 1,000, CPU time", cold.cpu, "one bare docxtpl render, CPU time", bare_cpu)  # type: ignore[attr-defined]


def bench_pack(t: Table, tmp: Path, runs: int) -> None:
    Table.head("Meeting pack: notice + every extract + tasks.csv/xlsx/ics, fresh process")
    base = None
    for units, tasks in ((40, 200), (100, 1000)):
        src = write_generated(tmp / "gen", units, tasks)
        out = tmp / f"pack-{units}"
        out.mkdir(exist_ok=True)
        secs = cold([sys.executable, "-c", PACK_SCRIPT, str(src), str(out)], max(1, runs // 2 if units == 100 else runs))
        cpu = cold.cpu  # type: ignore[attr-defined]
        if base is None:
            t.add("pack: 40 units x 200 tasks", secs, "target 1 s", 1.0, note="target < 1x")
            t.add("pack: 40 x 200, CPU time", cpu, "target 1 s", 1.0)
            base = (secs, units * tasks, cpu)
        else:
            scale = units * tasks / base[1]
            t.add(f"pack: {units} units x {tasks:,} tasks", secs, f"40 x 200 times {scale:g} (units x tasks)",
                  base[0] * scale, note="<= 1x: at most linear in units x tasks")
            t.add(f"pack: {units} x {tasks:,}, CPU time", cpu, f"40 x 200 CPU times {scale:g}", base[2] * scale)


def soffice_peer(docx: Path, out: Path, ready: Path | None = None) -> list[str]:
    """A plain ``soffice --convert-to pdf`` with a private profile of its own: a fresh one (LibreOffice's
    first start in it: it sets the profile up, restarts, and runs its graphics self-test), or a copy of
    ``ready`` (see ready_profile; copied outside the timing)."""
    prof = Path(tempfile.mkdtemp(prefix="bench-prof-", dir=out.parent))
    if ready is not None:
        shutil.copytree(ready, prof, dirs_exist_ok=True)
    return [shutil.which("soffice") or "soffice", f"-env:UserInstallation={prof.as_uri()}", "--headless",
            "--norestore", "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out), str(docx)]


def ready_profile(docx: Path, tmp: Path) -> Path:
    """A profile as a user's own is once LibreOffice's window has run in it: set up by one conversion,
    with the "last version" setting the window writes (without it LibreOffice runs its graphics
    self-test at every headless start; thongbao's private profiles have it, see generator/docx/pdf.py)."""
    ready = tmp / "ready-profile"
    setup = soffice_peer(docx, tmp / "plain0")
    setup[1] = f"-env:UserInstallation={ready.as_uri()}"
    run(setup)
    said = subprocess.run([setup[0], "--version"], capture_output=True, text=True).stdout.split()
    version = ".".join(said[1].split(".")[:2]) if len(said) > 1 else "99.9"
    xcu = ready / "user" / "registrymodifications.xcu"
    xcu.write_text(xcu.read_text(encoding="utf-8").replace(
        "</oor:items>", '<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" '
        f'oor:op="fuse"><value>{version}</value></prop></item>\n</oor:items>'), encoding="utf-8")
    return ready


def interleaved(cmds: dict[str, Callable[[], list[str]]], runs: int) -> dict[str, float]:
    """Median seconds of each command, run in turns (a, b, c, a, b, c ...) after one untimed round,
    so that a busy moment of the shared machine falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for k in range(runs + 1):
        for name, cmd in cmds.items():
            secs = run(cmd())[0]
            if k:
                times[name].append(secs)
    return {name: statistics.median(v) for name, v in times.items()}


def bench_pdf(t: Table, tmp: Path, runs: int) -> None:
    Table.head("PDF through LibreOffice (fresh processes, private profiles, runs in turns)")
    if not shutil.which("soffice"):
        print("  (LibreOffice not installed: section skipped)")
        return
    runs = max(3, runs)
    docx = tmp / "p" / "103.docx"
    docx.parent.mkdir()
    run(thongbao("render", str(NOTICE), "-o", str(docx)))
    ready = ready_profile(docx, tmp)
    got = interleaved({
        "ours": lambda: thongbao("render", str(NOTICE), "--pdf", "-o", str(docx)),
        "peer": lambda: soffice_peer(docx, tmp / "plain"),
        "ready": lambda: soffice_peer(docx, tmp / "plain", ready),
    }, runs)
    t.add("pdf: render --pdf", got["ours"], "plain soffice --convert-to pdf", got["peer"], note="target <= 1.2x")
    t.add("pdf: render --pdf", got["ours"], "plain soffice, a user's set-up profile", got["ready"])
    exdir = tmp / "ex-pdf"
    run(thongbao("extracts", str(NOTICE), "-o", str(exdir)))
    docxs = sorted(exdir.glob("*.docx"))
    batch = hasattr(__import__("generator.pdf_api").pdf_api, "docxs_to_pdfs")
    if batch:
        script = ("import sys, pathlib\nfrom generator import pdf_api\n"
                  "pdf_api.docxs_to_pdfs(sorted(pathlib.Path(sys.argv[1]).glob('*.docx')))")
        how = "one batch"
    else:  # before issue 12: one conversion (two LibreOffice starts) per extract
        script = ("import sys, pathlib\nfrom generator import pdf_api\n"
                  "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.docx')): pdf_api.docx_to_pdf(p)")
        how = "docx_to_pdf each"
    got = interleaved({
        "ours": lambda: [sys.executable, "-c", script, str(exdir)],
        "peer": lambda: soffice_peer(docxs[0], tmp / "plain1"),
        "ready": lambda: soffice_peer(docxs[0], tmp / "plain1", ready),
    }, runs if batch else 1)
    t.add(f"pdf: {len(docxs)} extract PDFs ({how})", got["ours"], "one plain soffice conversion", got["peer"],
          note="target <= 3x")
    t.add(f"pdf: {len(docxs)} extract PDFs ({how})", got["ours"], "one plain conv., a user's set-up profile",
          got["ready"])
    if batch:
        got = interleaved({
            "ours": lambda: thongbao("extracts", str(NOTICE), "-o", str(tmp / "ex-pdf2"), "--pdf"),
            "plain": lambda: thongbao("extracts", str(NOTICE), "-o", str(tmp / "ex-plain")),
            "peer": lambda: soffice_peer(docxs[0], tmp / "plain1"),
        }, runs)
        t.add("pdf: extracts --pdf (render + convert)", got["ours"], "extracts + one plain soffice conv.",
              got["plain"] + got["peer"])


def bench_tasks(t: Table, tmp: Path, runs: int) -> None:
    Table.head("tasks --overdue over 1,000 generated notices (fresh processes)")
    folder = write_folder(tmp / "many", 1000)
    env = {**ENV, "XDG_CACHE_HOME": str(tmp / "cache")}
    cmd = thongbao("tasks", "--notices", str(folder), "--overdue", "--on", "2023-09-01")
    del CPU[:]
    first, rss_first = run(cmd, env)
    times, peak = [], 0
    for _ in range(max(1, runs)):
        secs, rss = run(cmd, env)
        times.append(secs)
        peak = max(peak, rss)
    t.add("tasks: cold (first call)", first, "target 1 s (warm)", 1.0)
    t.add("tasks: warm", statistics.median(times), "target 1 s", 1.0, note="target < 1x")
    t.add("tasks: warm, CPU time", statistics.median(CPU[1:]), "target 1 s", 1.0, note="target < 1x")
    t.add("tasks: peak memory, cold", rss_first / 1024, "target 100 MiB", 100, unit="MiB")
    t.add("tasks: peak memory, warm", peak / 1024, "target 100 MiB", 100, unit="MiB", note="target < 1x")
    # A changed notice: only it is read again.
    one = sorted(folder.rglob("0001-TB-BCD.yaml"))[0]
    one.write_text(one.read_text(encoding="utf-8").replace("ngày 12/7/2023", "ngày 13/7/2023", 1), encoding="utf-8")
    secs, _ = run(cmd, env)
    t.add("tasks: one notice changed", secs, "target 1 s", 1.0)


def bench_lint(t: Table, tmp: Path, runs: int) -> None:
    from generator import lint, source
    from generator.validate import build_notice

    Table.head("Lint: a source with many warnings (warm, in-process, lint only, CPU time)")
    for n in (1000, 20000):
        timings = []
        for slips in (True, False):
            src = source.load(write_lint_source(tmp / f"lint-{n}-{slips}.yaml", n, slips))
            notice = build_notice(src)
            found = lint.lint_notice(notice, src)
            assert (len(found) >= n) if slips else not found
            timings.append(warm(lambda s=src, no=notice: lint.lint_notice(no, s), max(5, runs), time.process_time))
        t.add(f"lint: {n} warnings", timings[0], "same source, no warnings", timings[1])


# -- the archive -----------------------------------------------------------------------

ISSUE_SCRIPT = """\
import sys, time
from generator import api
t0 = time.perf_counter()
api.issue_file(sys.argv[1], archive=sys.argv[2])
print(time.perf_counter() - t0)
"""

ARCHIVE_SOURCE = NOTICE.read_text(encoding="utf-8")


def issue_once(archive: Path, number: int, work: Path) -> float:
    """Issue a fresh numbered notice (no units: notice, source, template) in a fresh process."""
    src = work / f"n{number}" / "notice.yaml"
    src.parent.mkdir(parents=True)
    src.write_text(ARCHIVE_SOURCE.replace("number: 103", f"number: {number}"), encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", ISSUE_SCRIPT, str(src), str(archive)], cwd=work, env=ENV,
                         capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"bench: issue failed: {out.stderr[-400:]}")
    return float(out.stdout.split()[-1])


def fill_archive(archive: Path, upto: int) -> None:
    """Copy document 1 (rows and folder, files hard-linked) until the register holds ``upto`` documents.

    A register with a hash chain (a ``chain`` table) gets each copy's link from
    the project's own Register.add_link, and the head file after, so that the
    archive stays one the project accepts.
    """
    from generator.archive.register import Register

    with Register(archive, create=False) as reg, reg.writing():
        db = reg.conn
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' "
                                            "AND name NOT LIKE 'sqlite%'")]
        cols = {tb: [r[1] for r in db.execute(f"PRAGMA table_info({tb})")] for tb in tables}
        chained = "chain" in tables
        have = db.execute("SELECT max(id) FROM documents").fetchone()[0]
        first = db.execute("SELECT * FROM documents WHERE id = 1").fetchone()
        doc = dict(zip(cols["documents"], first))
        src_dir = archive / "documents" / doc["folder"]
        stem = doc["folder"].split("-", 1)[1]
        children = {tb: db.execute(f"SELECT * FROM {tb} WHERE document_id = 1").fetchall()
                    for tb in tables if "document_id" in cols[tb] and tb not in ("chain", "reservations")}
        for k in range(have + 1, upto + 1):
            number = 1000 + k
            folder = f"{k:05d}-{number}-{stem.split('-', 1)[1]}"
            row = {**doc, "id": k, "number": number, "folder": folder,
                   "symbol": re.sub(r"^\d+", str(number), doc["symbol"])}
            db.execute(f"INSERT INTO documents ({','.join(row)}) VALUES ({','.join('?' * len(row))})",
                       list(row.values()))
            for tb, rows in children.items():
                i = cols[tb].index("document_id")
                for r in rows:
                    r = list(r)
                    r[i] = k
                    db.execute(f"INSERT INTO {tb} VALUES ({','.join('?' * len(r))})", r)
            if chained:
                reg.add_link(k, 1)
            dest = archive / "documents" / folder
            for dirpath, _, files in os.walk(src_dir):
                rel = Path(dirpath).relative_to(src_dir)
                (dest / rel).mkdir(parents=True, exist_ok=True)
                for f in files:
                    os.link(Path(dirpath) / f, dest / rel / f)
        if "sqlite_sequence" in [r[0] for r in db.execute("SELECT name FROM sqlite_master")]:
            db.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'documents'", (upto,))
        last = reg.last_link() if chained else None
    if last is not None:
        from generator.archive.store import write_head

        write_head(archive, last)


def bench_issue(t: Table, tmp: Path, runs: int, big: bool) -> None:
    Table.head("issue: time of one issue (fresh process, import excluded) by archive size")
    archive, work = tmp / "archive", tmp / "issue-src"
    work.mkdir()
    first = issue_once(archive, 1, work)
    t.add("issue: 1st document", first, "1st document", first)
    number = 90000
    for size in [1000, 10000] if big else [1000]:
        fill_archive(archive, size - 1)
        times = []
        for _ in range(max(1, min(runs, 3))):
            times.append(issue_once(archive, number, work))
            number += 1
        t.add(f"issue: {size:,}th document (median of {len(times)})", statistics.median(times),
              "1st document", first, note="target ~1x")
    if not big:
        print("  (the 10,000th document: run with --archive-10k)")
    from generator import api

    t0 = time.perf_counter()
    report = api.verify_archive(archive=archive)
    secs = time.perf_counter() - t0
    print(f"verify of {report.documents:,} documents: {secs * 1000:.0f} ms "
          f"({len(report.findings)} findings: the copies' manifests do not name them)")
    bench_storage(t, tmp / "store")


def disk_bytes(folder: Path) -> tuple[int, int]:
    """Bytes of the files under ``folder`` (each inode once) and of their distinct contents."""
    import hashlib

    inodes: dict[int, Path] = {}
    for f in folder.rglob("*"):
        if f.is_file() and not f.name.startswith("register.sqlite3"):
            inodes.setdefault(f.stat().st_ino, f)
    contents = {hashlib.sha256(f.read_bytes()).hexdigest(): f.stat().st_size for f in inodes.values()}
    return sum(f.stat().st_size for f in inodes.values()), sum(contents.values())


def bench_storage(t: Table, tmp: Path, count: int = 20) -> None:
    """Issue ``count`` real notices with extracts; compare the bytes stored with the distinct contents."""
    from generator import api

    work = tmp / "src"
    work.mkdir(parents=True)
    shutil.copyfile(UNITS, work / "units.yaml")
    for k in range(1, count + 1):
        src = work / f"n{k}.yaml"
        src.write_text(ARCHIVE_SOURCE.replace("number: 103", f"number: {k}"), encoding="utf-8")
        api.issue_file(src, archive=tmp / "archive")
    stored, distinct = disk_bytes(tmp / "archive")
    t.add(f"storage: {count} notices with extracts", stored / 1024, "one copy per distinct content",
          distinct / 1024, unit="KiB", note="target 1x")
    t0 = time.perf_counter()
    report = api.verify_archive(archive=tmp / "archive")
    secs = time.perf_counter() - t0
    assert not report.findings, report.findings
    print(f"verify of those {count} documents: {secs * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"sections, comma-separated: {','.join(SECTIONS)}")
    parser.add_argument("--archive-10k", action="store_true", help="also time issue at the 10,000th document (slow)")
    args = parser.parse_args()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s): {', '.join(sorted(unknown))}")
    sys.path.insert(0, str(ROOT))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, runs {args.runs}, "
          f"{time.strftime('%Y-%m-%d %H:%M:%S')}")
    print(f"thongbao: {' '.join(thongbao()) or '-'} (code of {ROOT}"
          f"{'' if os.environ.get(CHECKOUT) or not _entry_point() else '; set ' + CHECKOUT + '=1 to run it whatever the installed script imports'})")
    t = Table()
    with tempfile.TemporaryDirectory(prefix="thongbao-bench-") as tmp_dir:
        tmp = Path(tmp_dir)
        bare = None
        if "render" in only or "extracts" in only:
            bare = bench_render(t, tmp, args.runs)
        if "extracts" in only:
            bench_extracts(t, tmp, args.runs, bare)
        if "pack" in only:
            bench_pack(t, tmp, args.runs)
        if "pdf" in only:
            bench_pdf(t, tmp, args.runs)
        if "tasks" in only:
            bench_tasks(t, tmp, min(args.runs, 3))
        if "lint" in only:
            bench_lint(t, tmp, args.runs)
        if "issue" in only:
            bench_issue(t, tmp, args.runs, args.archive_10k)


if __name__ == "__main__":
    main()
