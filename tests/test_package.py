"""The zip writer of generator/docx/package.py writes what zipfile writes, byte for byte."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from generator import api
from generator.docx import package

from .conftest import SEED


def test_own_zip_writer_equals_zipfile_for_a_notice_and_odd_entries():
    data = api.render_notice(api.load_notice(SEED).notice)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        entries = [(i.filename, z.read(i)) for i in z.infolist()]
    entries += [("ộ/tên.xml", "Việt".encode() * 500), ("empty.bin", b""), ("z.bin", bytes(range(256)) * 64)]
    for when in (dt.date(2023, 7, 14), dt.date(1975, 4, 30)):
        ours = package._zip(entries, when)
        assert ours == package._zip_reference(entries, when)
        assert package._zip(entries, when) == ours   # the remembered compression gives the same bytes
        with zipfile.ZipFile(io.BytesIO(ours)) as z:
            assert z.testzip() is None
            assert {i.filename: z.read(i) for i in z.infolist()} == dict(entries)


def test_styles_left_unparsed_write_the_same_bytes(monkeypatch):
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.part import PartFactory
    from docx.parts.styles import StylesPart

    from generator.docx import render

    notice = api.load_notice(SEED).notice
    lazy = api.render_notice(notice)
    assert PartFactory.part_type_for[CT.WML_STYLES] is render._LazyStylesPart
    monkeypatch.setitem(PartFactory.part_type_for, CT.WML_STYLES, StylesPart)
    render._STYLE_IDS.clear()
    assert api.render_notice(notice) == lazy
    render._STYLE_IDS.clear()
