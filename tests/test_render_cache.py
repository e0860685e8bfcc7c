"""The user cache of a render: template variables, docxtpl's XML clean-up, compiled Jinja code."""

from __future__ import annotations

import os
import stat

import pytest

from generator import api
from generator.docx import render, template_check

from .conftest import SEED


def forget() -> None:
    """What a new process would not know."""
    render._ENV._compiled.clear()
    render._Template._patched.clear()
    template_check._VARIABLES.clear()
    render._STYLE_IDS.clear()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("THONGBAO_CACHE", str(tmp_path / "cache"))
    forget()
    yield tmp_path / "cache"
    forget()


def test_a_cold_render_fills_the_cache_and_the_next_gives_the_same_bytes(cache):
    notice = api.load_notice(SEED).notice
    first = api.render_notice(notice)
    assert (cache / "template-variables.json").is_file() and (cache / "template-styles.json").is_file()
    assert list((cache / "jinja").iterdir()) and list((cache / "docxtpl").iterdir())
    forget()
    assert api.render_notice(notice) == first


def test_a_damaged_cache_is_ignored(cache):
    notice = api.load_notice(SEED).notice
    first = api.render_notice(notice)
    for folder in ("jinja", "docxtpl"):
        for entry in (cache / folder).iterdir():
            entry.write_bytes(entry.read_bytes()[:-40])      # cut short, as by a full disk
    (cache / "template-variables.json").write_text("{broken", encoding="utf-8")
    (cache / "template-styles.json").write_text("[]", encoding="utf-8")
    forget()
    assert api.render_notice(notice) == first


def forget_written() -> None:
    """Also what a new process would not know of the template's styles and of the parts deflated."""
    from generator.docx import package

    forget()
    render._LazyStylesPart._written.clear()
    package._DEFLATED.clear()


def test_the_styles_written_and_the_parts_deflated_are_kept_and_give_the_same_bytes(cache):
    notice = api.load_notice(SEED).notice
    forget_written()
    first = api.render_notice(notice)   # reads the styles for their ids: writes what it read
    forget_written()
    assert api.render_notice(notice) == first   # the ids from the cache: the styles left unread
    assert [e.name for e in (cache / "styles").iterdir()] and len(list((cache / "deflated").iterdir())) >= 2
    forget_written()
    assert api.render_notice(notice) == first
    for folder in ("styles", "deflated"):
        for entry in (cache / folder).iterdir():
            entry.write_bytes(entry.read_bytes()[:-3])      # cut short, as by a full disk
    forget_written()
    assert api.render_notice(notice) == first


def test_a_new_cache_folder_is_private(cache):
    from generator import cache as user_cache

    user_cache.write_bytes("jinja/x", b"code")
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
    assert user_cache.read_bytes("jinja/x") == b"code"


def test_a_cache_folder_others_can_write_in_is_not_used(cache):
    """Another user able to write there could plant compiled Jinja code (marshal) that a render would
    run: such a folder is neither read nor written."""
    from generator import cache as user_cache

    user_cache.write_bytes("jinja/x", b"code")
    user_cache.write_json("list.json", {"a": 1})
    os.chmod(cache, 0o775)  # a group per user (umask 002): still the user's alone
    assert user_cache.read_bytes("jinja/x") == b"code"
    os.chmod(cache, 0o777)
    assert user_cache.read_bytes("jinja/x") is None and user_cache.read_json("list.json") == {}
    user_cache.write_bytes("jinja/y", b"code")
    assert not (cache / "jinja" / "y").exists()
    assert api.render_notice(api.load_notice(SEED).notice) == api.render_notice(api.load_notice(SEED).notice)
    assert sorted(p.name for p in cache.iterdir()) == ["jinja", "list.json"]
