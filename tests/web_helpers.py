"""Shared set-up of the web tests: a workspace on a temporary copy of the example notices."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "tests" / "output" / "web"   # screenshots and figures of the web tests (not committed)
TODAY = dt.date(2024, 3, 20)


def make_workspace(tmp_path: Path) -> Path:
    notices = tmp_path / "notices"
    shutil.copytree(ROOT / "notices", notices, ignore=shutil.ignore_patterns("*.docx", "*.pdf"))
    return notices


def settings(tmp_path: Path, **kw):
    from generator.web.settings import Settings

    notices = tmp_path / "notices"
    if not notices.exists():
        make_workspace(tmp_path)
    base = {"notices": notices, "archive": tmp_path / "archive", "work_dir": tmp_path / "work", "today": TODAY,
            "secret_key": "test-secret", "users_file": tmp_path / "users.json", "warm_pdf": False}
    base.update(kw)
    return Settings(**base)


def csrf(client, page: str = "/notices") -> str:
    html = client.get(page).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


def editor_boot(client, rel: str) -> dict:
    html = client.get(f"/edit/{rel}").get_data(as_text=True)
    return json.loads(re.search(r'id="editor-data">(.*?)</script>', html, re.DOTALL).group(1))


def wait_job(client, job: dict, limit: float = 300) -> dict:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        state = client.get(f"/jobs/{job['id']}").get_json()
        if state["done"]:
            return state
        time.sleep(0.1)
    raise AssertionError(f"job {job['id']} did not finish")
