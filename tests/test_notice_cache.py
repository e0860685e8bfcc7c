"""The validated notice kept in the user cache between renders (api.load_notice_cached)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from generator import api
from generator.cli import main

from .conftest import SEED


@pytest.fixture
def reads(tmp_path, monkeypatch):
    """The sources api.load_notice reads and validates (instead of taking them from the cache)."""
    monkeypatch.setenv("THONGBAO_CACHE", str(tmp_path / "cache"))
    seen = []
    real = api.load_notice

    def spy(path, **kw):
        seen.append(path)
        return real(path, **kw)

    monkeypatch.setattr(api, "load_notice", spy)
    return seen


def render(src, out):
    return CliRunner().invoke(main, ["render", str(src), "-o", str(out)])


def test_the_second_render_of_an_unchanged_source_reads_it_from_the_cache(tmp_path, reads):
    src = shutil.copy(SEED, tmp_path / "103.yaml")
    first, second = render(src, tmp_path / "a.docx"), render(src, tmp_path / "b.docx")
    assert first.exit_code == second.exit_code == 0
    assert len(reads) == 1
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


def test_warnings_come_back_from_the_cache_and_a_changed_source_is_read_again(tmp_path, reads):
    src = tmp_path / "103.yaml"
    text = SEED.read_text(encoding="utf-8")
    src.write_text(text.replace("Tiếp tục quán triệt", "Tiếp tục của của quán triệt", 1), encoding="utf-8")
    runs = [render(src, tmp_path / "a.docx") for _ in range(2)]
    assert runs[0].stderr == runs[1].stderr and f"Warning: {src}:" in runs[0].stderr
    assert len(reads) == 1
    src.write_text(text, encoding="utf-8")
    again = render(src, tmp_path / "a.docx")
    assert again.exit_code == 0 and "Warning" not in again.stderr and len(reads) == 2


def test_a_source_with_errors_is_never_kept_and_a_damaged_entry_is_ignored(tmp_path, reads):
    src = tmp_path / "bad.yaml"
    src.write_text("style: party\n", encoding="utf-8")
    for _ in range(2):
        assert render(src, tmp_path / "a.docx").exit_code == 1
    assert len(reads) == 2
    shutil.copy(SEED, src)
    assert render(src, tmp_path / "a.docx").exit_code == 0
    for entry in (tmp_path / "cache" / api.NOTICE_CACHE).iterdir():
        data = bytearray(entry.read_bytes())
        data[-5] ^= 0xFF
        entry.write_bytes(bytes(data))
    assert render(src, tmp_path / "b.docx").exit_code == 0 and len(reads) == 4
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


def test_a_foreign_pickle_in_the_cache_is_not_run(tmp_path, reads):
    import hashlib
    import pickle

    from generator import cache

    src = shutil.copy(SEED, tmp_path / "103.yaml")
    digest = hashlib.sha256(src.read_bytes()).hexdigest()
    cache.write_bytes(api._notice_entry(src, True), digest.encode() + pickle.dumps(shutil.rmtree))
    assert render(src, tmp_path / "a.docx").exit_code == 0 and len(reads) == 1
