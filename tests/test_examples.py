"""Every example notice under notices/ (issue 8 "Done when"): it validates, renders, passes `check` and
ooxml-check, and each of its extracts passes `check`. The examples are notices of other bodies than the
worked one: a provincial UBND notice signed by its Văn phòng, a Văn phòng Chính phủ notice with parts
I-III, a Tỉnh ủy notice with nine footnotes, a one-conclusion commune notice, a district notice in NFD."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import docx
import pytest

from generator import api
from generator.check import check_file
from generator.extracts import render_extracts
from generator.units import find_directory, load_directory

from .conftest import ROOT, W, part_xml
from .test_ooxml import ooxml_findings

NOTICES = sorted(p for p in (ROOT / "notices").rglob("*.yaml") if p.name != "units.yaml")
IDS = [str(p.relative_to(ROOT / "notices")) for p in NOTICES]


def test_the_examples_are_there():
    names = {p.name for p in NOTICES}
    assert {"125-TB-UBND.yaml", "298-TB-VPCP.yaml", "210-TB-TU.yaml", "12-TB-UBND.yaml", "37-TB-HU.yaml"} <= names


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[Path, tuple[Path, list[Path]]]:
    """Each notice and its extracts, written once for the module."""
    out = tmp_path_factory.mktemp("examples")
    result = {}
    for src in NOTICES:
        loaded = api.load_notice(src)
        path, _ = api.render_file(src, out / f"{src.stem}.docx")
        notice = loaded.notice
        directory = load_directory(find_directory(src.parent))
        extracts = []
        for e in render_extracts(notice, directory, ROOT / "templates" / f"{notice.style}.docx"):
            target = out / src.stem / e.filename
            target.parent.mkdir(exist_ok=True)
            target.write_bytes(e.data)
            extracts.append(target)
        result[src] = (path, extracts)
    return result


@pytest.mark.parametrize("src", NOTICES, ids=IDS)
def test_example_and_its_extracts_pass_check(rendered, src):
    path, extracts = rendered[src]
    assert [str(p) for p in check_file(path).findings] == []
    assert extracts, "every example concerns some unit"
    for e in extracts:
        assert [str(p) for p in check_file(e).findings] == [], e.name


def test_examples_and_some_extracts_pass_ooxml_check(rendered):
    paths = [p for path, extracts in rendered.values() for p in (path, *extracts[:1])]
    assert ooxml_findings(paths) == []


def _body(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs if p.style.name.startswith("TB ")]


def test_provincial_notice_has_its_parts_sub_items_and_stacked_authority(rendered):
    path, _ = rendered[ROOT / "notices" / "tinh-kon-tum" / "2024" / "125-TB-UBND.yaml"]
    body = _body(path)
    assert "I. ĐÁNH GIÁ CHUNG" in body and "II. NHIỆM VỤ, GIẢI PHÁP TRONG THỜI GIAN TỚI" in body
    assert any(t.startswith("a) Tổng hợp kế hoạch giải ngân") for t in body)
    sign = [p.text for p in docx.Document(str(path)).tables[-1].rows[0].cells[1].paragraphs if p.text.strip()]
    assert sign == ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Lê Thị Thu Hà"]


def test_government_office_notice_has_three_parts_and_twenty_items(rendered):
    src = ROOT / "notices" / "vpcp" / "2023" / "298-TB-VPCP.yaml"
    notice = api.load_notice(src).notice
    assert [p.heading.plain for p in notice.parts] == [
        "ĐÁNH GIÁ CHUNG", "NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM TRONG THỜI GIAN TỚI", "VỀ MỘT SỐ KIẾN NGHỊ CỤ THỂ"]
    assert len(notice.conclusions) >= 20
    assert len(load_directory(find_directory(src.parent)).units) == 40
    body = _body(rendered[src][0])
    assert body.count("1. Về kết quả đạt được:") == 1 and sum(t.startswith("1. ") for t in body) == 3


def test_provincial_party_notice_has_nine_notes_one_cited_twice(rendered):
    path, _ = rendered[ROOT / "notices" / "tinh-uy-kon-tum" / "2024" / "210-TB-TU.yaml"]
    notes = [fn for fn in part_xml(path, "word/footnotes.xml").iter(f"{W}footnote") if not fn.get(f"{W}type")]
    assert len(notes) == 9
    refs = [r.get(f"{W}id") for r in part_xml(path, "word/document.xml").iter(f"{W}footnoteReference")]
    assert sorted(refs, key=int) == [str(n) for n in range(1, 10)]  # each note referenced once; the second
    text = "".join(t.text or "" for t in part_xml(path, "word/document.xml").iter(f"{W}instrText"))
    assert "NOTEREF" in text                                          # citation is a cross-reference
    sign = [p.text for p in docx.Document(str(path)).tables[-1].rows[0].cells[1].paragraphs if p.text.strip()]
    assert sign[0] == "T/M BAN THƯỜNG VỤ"


def test_commune_notice_with_one_conclusion_prints_no_number(rendered):
    path, _ = rendered[ROOT / "notices" / "xa-dak-ruong" / "2024" / "12-TB-UBND.yaml"]
    body = _body(path)
    assert body[1].startswith("Giao các ban, ngành, đoàn thể xã và trưởng các thôn tổ chức ra quân")
    assert not any(t[:2] == "1." for t in body)


def test_district_notice_written_in_nfd_renders_nfc(rendered):
    src = ROOT / "notices" / "huyen-uy-dak-ha" / "2024" / "37-TB-HU.yaml"
    raw = src.read_text(encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", raw)  # the example does prove something
    assert not unicodedata.is_normalized("NFC", (src.parent.parent / "units.yaml").read_text(encoding="utf-8"))
    path, extracts = rendered[src]
    xml = (part_xml(path, "word/document.xml"))
    text = "".join(t.text or "" for t in xml.iter(f"{W}t"))
    assert unicodedata.is_normalized("NFC", text) and "HUYỆN ỦY ĐĂK HÀ" in text
    # UBND huyện, Ban Tuyên giáo, MTTQ huyện and the 5 đảng ủy: the NFD names of units.yaml match the notice.
    assert len(extracts) == 8
