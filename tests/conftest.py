"""Shared fixtures: the example notice, a minimal notice, and .docx readers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from generator import api

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "notices" / "2023" / "103-TB-BCD.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

MINIMAL = """\
style: party
issuing_body: BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG
body_code: BCĐ
number: 7
place: Kon Rẫy
date: 2023-07-14
subject: kết luận Hội nghị giao ban
opening: "Hội nghị kết luận như sau:"
conclusions:
  - to: UBND huyện
    tasks:
      - Báo cáo **trước ngày 31/7/2023.**
recipients:
  - UBND huyện
  - Lưu VT
signature:
  title: TRƯỞNG BAN
  name: Nguyễn Văn A
"""


@pytest.fixture(autouse=True)
def english_messages(monkeypatch):
    """Tests read messages in English (the msgids); tests/test_i18n.py asks for Vietnamese itself."""
    monkeypatch.setenv("THONGBAO_LANG", "en")


@pytest.fixture(scope="session", autouse=True)
def private_cache(tmp_path_factory):
    """The user cache (template variables, task index) in a folder of the test run's own."""
    import os

    before = os.environ.get("THONGBAO_CACHE")
    os.environ["THONGBAO_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield Path(os.environ["THONGBAO_CACHE"])
    if before is None:
        del os.environ["THONGBAO_CACHE"]
    else:
        os.environ["THONGBAO_CACHE"] = before


@pytest.fixture(scope="session")
def seed_docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "103.docx"
    api.render_file(SEED, out)
    return out


@pytest.fixture
def write_source(tmp_path):
    """Write YAML text (or bytes) to a file and return its path."""

    def write(text: str | bytes, name: str = "notice.yaml") -> Path:
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return path

    return write


def body_paragraphs(path: Path) -> list:
    """Paragraphs of the document body (not in tables), after the '-----' line."""
    paras = docx.Document(str(path)).paragraphs
    start = next(i for i, p in enumerate(paras) if p.text == "-----")
    return [p for p in paras[start + 1:] if p.text.strip()]


def part_xml(path: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(name))


def footnote_texts(path: Path) -> dict[str, str]:
    root = part_xml(path, "word/footnotes.xml")
    out = {}
    for fn in root.iter(f"{W}footnote"):
        if fn.get(f"{W}type"):
            continue
        out[fn.get(f"{W}id")] = "".join(t.text or "" for t in fn.iter(f"{W}t"))
    return out


def damage_deflate(good: Path, out: Path) -> Path:
    """A copy of the .docx ``good`` whose word/document.xml has its compressed bytes scrambled:
    the zip's directory reads, unpacking the part fails (zlib.error or a bad CRC)."""
    data = bytearray(good.read_bytes())
    with zipfile.ZipFile(good) as z:
        info = z.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 100
    for k in range(start, start + 200):
        data[k] ^= 0x55
    out.write_bytes(bytes(data))
    return out
