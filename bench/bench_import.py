"""Benchmark ``thongbao import``.

Measures, and prints as a table:
  * warm in-process import of a 4-page .docx (the worked example rendered by
    thongbao): read only, read + recognise + write the
    YAML text, and the whole ``import_file`` (incl. writing and the check that
    the source loads);
  * the same for a hand-typed draft (tables, typed footnote) and for the seed text;
  * cold CLI: ``thongbao import FILE`` as a fresh process;
  * a folder of 100 notices (the 4-page notice, the State example, five kinds
    of hand-typed drafts and the seed text, in turn): ``import_folder`` wall
    time and per file.
The page count of the 4-page .docx is measured with LibreOffice when it is
installed. Run as ``python bench/bench_import.py [--runs N]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

NOTICE = ROOT / "notices" / "2023" / "103-TB-BCD.yaml"
STATE = ROOT / "notices" / "2024" / "05-TB-UBND.yaml"
UNITS = ROOT / "notices" / "units.yaml"
SEED = ROOT / "tests" / "data" / "seed-103-TB-BCD.txt"
COLD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(fn, runs: int) -> list[float]:
    fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def four_pages(tmp: Path) -> Path:
    """The worked example rendered by thongbao: four pages of A4 (LibreOffice counts them below)."""
    from generator import api

    out = tmp / "103-TB-BCD.docx"
    api.render_file(NOTICE, out)
    return out


def pages(path: Path) -> str:
    if not (shutil.which("soffice") and shutil.which("pdfinfo")):
        return "? (LibreOffice or pdfinfo not installed)"
    from generator.docx.pdf import to_pdf

    pdf = path.with_suffix(".pdf")
    to_pdf(path, pdf)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=False).stdout
    return next((ln.split()[-1] for ln in info.splitlines() if ln.startswith("Pages:")), "?")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="runs per warm figure (default 20; cold: 5)")
    parser.add_argument("--no-pages", action="store_true", help="do not count pages with LibreOffice")
    args = parser.parse_args()

    import import_drafts as drafts

    from generator import api
    from generator.docx.reader import read_docx
    from generator.importer import convert, import_file, import_folder, read_document
    from generator.units import load_directory

    directory = load_directory(UNITS)
    rows = []
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        long_docx = four_pages(tmp)
        draft = tmp / "draft.docx"
        drafts.tables_state(draft)
        size = long_docx.stat().st_size
        data = long_docx.read_bytes()
        out = tmp / "out.yaml"
        rows.append(("4-page .docx: read only", timed(lambda: read_docx(data, "x"), args.runs)))
        rows.append(("4-page .docx: read + recognise + YAML",
                     timed(lambda: convert(read_document(long_docx), directory), args.runs)))
        rows.append(("4-page .docx: import_file (all)",
                     timed(lambda: import_file(long_docx, out, directory=directory), args.runs)))
        rows.append(("typed draft (tables): import_file",
                     timed(lambda: import_file(draft, out, directory=directory), args.runs)))
        rows.append(("seed text: import_file", timed(lambda: import_file(SEED, out, directory=directory), args.runs)))
        exe = shutil.which("thongbao")
        base = [exe] if exe else [sys.executable, "-c", "from generator.cli import main; main()"]
        cmd = [*base, "import", str(long_docx), "-o", str(tmp / "cli.yaml"), "--units", str(UNITS)]
        rows.append(("cold CLI: thongbao import 4-page",
                     timed(lambda: subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True, env=COLD_ENV), 5)))

        inbox = tmp / "inbox"
        inbox.mkdir()
        makers = [drafts.tabbed_party, drafts.tables_state, drafts.plain_paragraphs, drafts.word_lists,
                  drafts.one_conclusion]
        state = api.render_notice(api.load_notice(STATE).notice)
        for k in range(100):
            kind = k % 8
            if kind == 0:
                shutil.copyfile(long_docx, inbox / f"{k:03d}.docx")
            elif kind == 1:
                (inbox / f"{k:03d}.docx").write_bytes(state)
            elif kind == 2:
                shutil.copyfile(SEED, inbox / f"{k:03d}.txt")
            else:
                makers[kind - 3](inbox / f"{k:03d}.docx")
        t0 = time.perf_counter()
        batch = import_folder(inbox, tmp / "notices", units=UNITS)
        folder_s = time.perf_counter() - t0
        page_count = "skipped" if args.no_pages else pages(long_docx)

    print(f"4-page .docx: {size} bytes, pages (LibreOffice): {page_count}")
    print(f"python {sys.version.split()[0]}, warm runs {args.runs}, cold runs 5\n")
    print(f"{'figure':<42}{'median ms':>12}{'min ms':>10}")
    print("-" * 64)
    for label, times in rows:
        print(f"{label:<42}{statistics.median(times) * 1000:>12.1f}{min(times) * 1000:>10.1f}")
    print("-" * 64)
    print(f"folder of 100 notices: {folder_s:.2f} s in all, {folder_s * 10:.1f} ms per file "
          f"({len(batch.imported)} imported, {len(batch.failed)} failed)")


if __name__ == "__main__":
    main()
