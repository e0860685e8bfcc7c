"""Helpers for the archive tests: small notices, issuing in-process and as processes, tree hashes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from generator.archive.issue import IssueResult, issue

from .conftest import MINIMAL, ROOT

UNITS = ROOT / "notices" / "units.yaml"


def notice(*, number: int | None = None, subject: str = "kết luận Hội nghị giao ban", style: str = "party",
           body_code: str = "BCĐ", type_code: str = "TB", date: str = "2023-07-14",
           task: str = "Báo cáo **trước ngày 31/7/2023.**", issuing_body: str = "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG") -> str:
    """The minimal notice of conftest with the fields a test needs to vary."""
    text = MINIMAL.replace("number: 7\n", "" if number is None else f"number: {number}\n")
    text = text.replace("subject: kết luận Hội nghị giao ban", f"subject: {subject}")
    text = text.replace("style: party", f"style: {style}").replace("body_code: BCĐ", f"body_code: {body_code}")
    text = text.replace("date: 2023-07-14", f"date: {date}\ntype_code: {type_code}")
    text = text.replace("Báo cáo **trước ngày 31/7/2023.**", task)
    text = text.replace("issuing_body: BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG", f"issuing_body: {issuing_body}")
    return text


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def issue_in(archive: Path, source: Path, **kw) -> IssueResult:
    return issue(source, archive=archive, **kw)


def tree(folder: Path) -> dict[str, str]:
    """Relative path -> SHA-256 of every file under ``folder``."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def invoke(command, *args: str):
    return CliRunner().invoke(command, [str(a) for a in args])


def cli_process(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``python -m generator.cli_archive ARGS`` as its own process."""
    return subprocess.Popen(
        [sys.executable, "-m", "generator.cli_archive", *map(str, args)], cwd=cwd,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )
