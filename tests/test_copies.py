"""Extracts as a bản trích sao: the copied document, the copy block, check, and the copy register."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from generator.archive.issue import issue
from generator.archive.register import Register
from generator.check import check_file
from generator.cli import main
from generator.config import load_config
from generator.distribute import write_extracts

from .conftest import ROOT, SEED, W, part_xml

STATE = ROOT / "notices" / "2024" / "05-TB-UBND.yaml"
UNITS = ROOT / "notices" / "units.yaml"
STATE_COPIES = """\
[copies]
body = VĂN PHÒNG
code = VP
authority = TL. CHỦ TỊCH
title = CHÁNH VĂN PHÒNG
signer = Lê Thị Hoa
"""
PARTY_COPIES = """\
[party-terms]
* = 2020-07-20

[copies]
superior = HUYỆN ỦY KON RẪY
body = VĂN PHÒNG
code = VPHU
authority = T/L BAN THƯỜNG VỤ
title = CHÁNH VĂN PHÒNG
signer = Y Hương
"""


def _texts(paras) -> list[str]:
    return [p.text for p in paras if p.text.strip()]


def _copy_table(path: Path):
    return docx.Document(str(path)).tables[-1]


def _body_children(path: Path):
    body = part_xml(path, "word/document.xml").find(f"{W}body")
    return [el for el in body if el.tag != f"{W}sectPr"]


@pytest.fixture(scope="module")
def state_copies(tmp_path_factory):
    folder = tmp_path_factory.mktemp("state-copies")
    (folder / "thongbao.ini").write_text(STATE_COPIES, encoding="utf-8")
    write_extracts(STATE, folder / "out", UNITS, config=folder / "thongbao.ini")
    return folder / "out"


@pytest.fixture(scope="module")
def party_copies(tmp_path_factory):
    """The seed with no settings: the issuing body copies, its signer signs."""
    out = tmp_path_factory.mktemp("party-copies")
    write_extracts(SEED, out, config=_empty_ini(out))
    return out


def _empty_ini(folder: Path) -> Path:
    path = folder / "empty.ini"
    path.write_text("", encoding="utf-8")
    return path


# The copied document --------------------------------------------------------------------------------

def test_a_trich_sao_recreates_the_original_title_opening_and_closing(state_copies):
    path = state_copies / "05-tb-ubnd_ubnd-huyen.docx"
    document = docx.Document(str(path))
    texts = _texts(document.paragraphs)
    assert "THÔNG BÁO" in texts and "TRÍCH THÔNG BÁO" not in texts
    assert not any(t.startswith("Trích gửi") for t in texts)
    assert texts[texts.index("THÔNG BÁO") + 2].startswith("Ngày 01/02/2024, Chủ tịch")
    closing = document.tables[1]
    assert _texts(closing.rows[0].cells[0].paragraphs)[:2] == ["Nơi nhận:", "- Như trên;"]
    assert _texts(closing.rows[0].cells[0].paragraphs)[-1] == "- Lưu: VT, NN."
    assert _texts(closing.rows[0].cells[1].paragraphs)[-1] == "Trần Văn Bình"
    assert "Số: 05/TB-UBND" in _texts(document.tables[0].rows[0].cells[0].paragraphs)


# The copy block: State ----------------------------------------------------------------------------------

def test_state_copy_block_text_and_layout(state_copies):
    table = _copy_table(state_copies / "05-tb-ubnd_ubnd-huyen.docx")
    head_left, head_right = (_texts(c.paragraphs) for c in table.rows[0].cells)
    assert head_left[:3] == ["ỦY BAN NHÂN DÂN", "HUYỆN KON RẪY", "VĂN PHÒNG"]
    # Not issued: the number is left blank for the clerk, in the State form.
    assert re.fullmatch(r"Số: \u00a0{3,}/TrS-VP", head_left[3])
    assert head_right == ["TRÍCH SAO", "Kon Rẫy, ngày 05 tháng 02 năm 2024"]
    close_left, close_right = (_texts(c.paragraphs) for c in table.rows[1].cells)
    assert close_left == ["Nơi nhận:", "- Ủy ban nhân dân huyện Kon Rẫy (t/h);", "- Lưu: VT."]
    assert close_right == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "Lê Thị Hoa"]


def test_state_copy_block_formatting(state_copies):
    table = _copy_table(state_copies / "05-tb-ubnd_ubnd-huyen.docx")
    kind, date = [p for p in table.rows[0].cells[1].paragraphs if p.text.strip()]
    assert all(r.bold for r in kind.runs) and kind.runs[0].font.size.pt == 14
    assert all(r.italic for r in date.runs) and not any(r.bold for r in date.runs)
    body = next(p for p in table.rows[0].cells[0].paragraphs if p.text == "VĂN PHÒNG")
    assert all(r.bold for r in body.runs) and body.runs[0].font.size.pt == 13
    heading = table.rows[1].cells[0].paragraphs[0]
    assert heading.runs[0].bold and heading.runs[0].italic and heading.runs[0].font.size.pt == 12
    rows = table._tbl.findall(f"{W}tr")
    assert all(tr.find(f"{W}trPr/{W}cantSplit") is not None for tr in rows)


def test_the_rule_above_the_copy_block_is_solid_and_spans_the_text_width(state_copies):
    children = _body_children(state_copies / "05-tb-ubnd_ubnd-huyen.docx")
    # ... the original's closing table, the rule, the copy block's table, a tiny last paragraph.
    assert [el.tag for el in children[-4:]] == [f"{W}tbl", f"{W}p", f"{W}tbl", f"{W}p"]
    rule, tail = children[-3], children[-1]
    assert not "".join(tail.itertext()).strip()
    assert int(tail.find(f"{W}pPr/{W}rPr/{W}sz").get(f"{W}val")) <= 4   # at most 2 pt: no blank page after it
    assert not "".join(rule.itertext()).strip()
    bottom = rule.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert bottom.get(f"{W}val") == "single"
    ind = rule.find(f"{W}pPr/{W}ind")
    assert ind.get(f"{W}left") in (None, "0") and ind.get(f"{W}right") in (None, "0")
    assert rule.find(f"{W}pPr/{W}keepNext") is not None  # the rule never stays behind alone


# The copy block: Party, with no settings -------------------------------------------------------------

def test_party_copy_block_defaults_to_the_issuing_body_and_its_signer(party_copies):
    table = _copy_table(party_copies / "103-tb-bcd_ubnd-huyen.docx")
    head_left, head_right = (_texts(c.paragraphs) for c in table.rows[0].cells)
    assert head_left[:3] == ["HUYỆN ỦY KON RẪY", "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG", "*"]
    assert re.fullmatch(r"Số \u00a0{3,}-BS/BCĐ", head_left[3])
    assert head_right == ["TRÍCH SAO", "Kon Rẫy, ngày 14 tháng 7 năm 2023"]
    close_left, close_right = (_texts(c.paragraphs) for c in table.rows[1].cells)
    assert close_left == ["Nơi nhận:", "- Ủy ban nhân dân huyện Kon Rẫy (t/h),", "- Lưu VT."]
    assert close_right == ["PHÓ BÍ THƯ TT HUYỆN ỦY", "kiêm", "TRƯỞNG BAN", "Đinh Thị Mỹ Hảo"]
    heading = table.rows[1].cells[0].paragraphs[0]
    assert heading.runs[0].underline and heading.runs[0].font.size.pt == 14


def test_copy_options_on_the_command_line_override_the_settings(tmp_path):
    ini = tmp_path / "thongbao.ini"
    ini.write_text(PARTY_COPIES, encoding="utf-8")
    result = CliRunner().invoke(main, ["extracts", str(SEED), "-o", str(tmp_path / "out"), "--config", str(ini),
                                       "--copy-code", "VPTU", "--copy-date", "2023-07-17"])
    assert result.exit_code == 0, result.output
    table = _copy_table(tmp_path / "out" / "103-tb-bcd_ubnd-huyen.docx")
    head_left, head_right = (_texts(c.paragraphs) for c in table.rows[0].cells)
    assert head_left[:2] == ["HUYỆN ỦY KON RẪY", "VĂN PHÒNG"]
    assert head_left[-1].endswith("-BS/VPTU")
    assert head_right[1] == "Kon Rẫy, ngày 17 tháng 7 năm 2023"
    assert _texts(table.rows[1].cells[1].paragraphs) == ["T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG", "Y Hương"]


@pytest.mark.parametrize("args, message", [
    (["--copy-body", "VĂN PHÒNG"], "copies.signer: found no signer, expected who signs the copies of VĂN PHÒNG"),
    (["--copy-code", "V/P"], "command line: --copy-code: found 'V/P'"),
    (["--form", "ban-sao"], "Invalid value for '--form'"),
    (["--copy-date", "2023-07-13"], ("command line: --copy-date: found 13/07/2023, expected a day of copying on or "
                                     "after the notice's date (14/07/2023)")),
])
def test_bad_copy_settings_are_one_line_errors(tmp_path, args, message):
    result = CliRunner().invoke(main, ["extracts", str(SEED), "-o", str(tmp_path / "out"),
                                       "--config", str(_empty_ini(tmp_path)), *args])
    assert result.exit_code in (1, 2) and message in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


def test_a_settings_file_with_the_other_styles_authority_is_refused(tmp_path):
    ini = tmp_path / "thongbao.ini"
    ini.write_text(STATE_COPIES, encoding="utf-8")
    result = CliRunner().invoke(main, ["extracts", str(SEED), "-o", str(tmp_path / "out"), "--config", str(ini)])
    assert result.exit_code == 1
    assert "copies.authority: found 'TL. CHỦ TỊCH', expected a party authority form: T/M, K/T, T/L" in result.output


def test_settings_lines_and_unknown_keys(tmp_path):
    ini = tmp_path / "thongbao.ini"
    ini.write_text("[copies]\nauthority = TL. CHỦ TỊCH\n    KT. CHÁNH VĂN PHÒNG\n", encoding="utf-8")
    assert load_config(ini).copies.authority == ("TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG")
    ini.write_text("[copies]\nsigner_name = A\n", encoding="utf-8")
    with pytest.raises(Exception, match="copies.signer_name: found unknown key"):
        load_config(ini)


# check knows both forms ------------------------------------------------------------------------------------

def test_check_passes_both_forms_in_both_styles(state_copies, party_copies, tmp_path):
    write_extracts(SEED, tmp_path / "trich", form="trich")
    write_extracts(STATE, tmp_path / "trich-state", form="trich")
    paths = [state_copies / "05-tb-ubnd_ubnd-huyen.docx", party_copies / "103-tb-bcd_ubnd-huyen.docx",
             party_copies / "103-tb-bcd_ban-dan-van.docx", tmp_path / "trich" / "103-tb-bcd_ubnd-huyen.docx",
             tmp_path / "trich-state" / "05-tb-ubnd_ubnd-huyen.docx"]
    for path in paths:
        report = check_file(path)
        assert report.findings == [], (path, [str(f) for f in report.findings])


def _edited(src: Path, dst: Path, edit) -> Path:
    """A copy of ``src`` whose document.xml is passed through ``edit`` (text -> text)."""
    with zipfile.ZipFile(src) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = edit(parts["word/document.xml"].decode("utf-8")).encode("utf-8")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    dst.write_bytes(buf.getvalue())
    return dst


def _last_rule(xml: str, new: str) -> str:
    k = xml.rindex('<w:bottom w:val="single" w:sz="8"')
    return xml[:k] + new + xml[xml.index("/>", k) + 2:]


@pytest.mark.parametrize("edit, finding", [
    (lambda x: _last_rule(x, ""), "copy block: found no rule above it"),
    (lambda x: _last_rule(x, '<w:bottom w:val="dashed" w:sz="8" w:space="1" w:color="000000"/>'),
     "copy block: found a dashed rule above it, expected a solid rule"),
    (lambda x: x.replace("/TrS-VP", "-TrS/VP"), "copy number: found 'Số: -TrS/VP', expected the form 'Số: 05/TrS-VP'"),
    (lambda x: x.replace("<w:b/><w:bCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr><w:t>TRÍCH SAO",
                         "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr><w:t>TRÍCH SAO"),
     "TRÍCH SAO: found 'TRÍCH SAO' not bold, expected bold"),
    (lambda x: x.replace("<w:i/><w:iCs/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr><w:t>Kon Rẫy, ngày 05",
                         "<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr><w:t>Kon Rẫy, ngày 05"),
     "place-date: found 'Kon Rẫy, ngày 05 tháng 02 năm 2024' not in italic"),
    (lambda x: x.replace("<w:t>- Lưu: VT.</w:t>", "<w:t>- Lưu VT.</w:t>"), "recipients: found '- Lưu VT.' last"),
])
def test_check_finds_a_faulty_copy_block(state_copies, tmp_path, edit, finding):
    path = _edited(state_copies / "05-tb-ubnd_ubnd-huyen.docx", tmp_path / "bad.docx", edit)
    found = [str(f) for f in check_file(path).findings]
    assert any(finding in f for f in found), found


def test_party_copy_number_in_the_state_form_is_a_finding(party_copies, tmp_path):
    path = _edited(party_copies / "103-tb-bcd_ubnd-huyen.docx", tmp_path / "bad.docx",
                   lambda x: x.replace("-BS/BCĐ", "/TrS-BCĐ"))
    found = [str(f) for f in check_file(path).findings]
    assert any("copy number: found 'Số /TrS-BCĐ', expected the form 'Số 24-BS/VPHU'" in f for f in found), found


# Word-valid: the whole trích sao, copy block included, has no finding of ooxml-check -------------------------

def test_trich_sao_extracts_have_no_ooxml_findings(state_copies, party_copies, tmp_path):
    from .test_ooxml import ooxml_findings

    ini = tmp_path / "thongbao.ini"
    ini.write_text(PARTY_COPIES, encoding="utf-8")
    write_extracts(SEED, tmp_path / "vphu", config=ini)
    paths = [state_copies / "05-tb-ubnd_ubnd-huyen.docx", party_copies / "103-tb-bcd_ubnd-huyen.docx",
             tmp_path / "vphu" / "103-tb-bcd_ban-dan-van.docx"]
    assert ooxml_findings(paths) == []


# Issuing: the copy register ----------------------------------------------------------------------------------

@pytest.fixture
def office(tmp_path):
    """A State office's notices folder with its settings and units."""
    shutil.copy(UNITS, tmp_path / "units.yaml")
    (tmp_path / "thongbao.ini").write_text(STATE_COPIES, encoding="utf-8")
    (tmp_path / "2024").mkdir()
    source = tmp_path / "2024" / "05-TB-UBND.yaml"
    shutil.copy(STATE, source)
    return tmp_path, source


def _copy_numbers(folder: Path) -> list[str]:
    out = []
    for path in sorted(folder.glob("*.extract-*.docx")):
        table = docx.Document(str(path)).tables[-1]
        out.append(_texts(table.rows[0].cells[0].paragraphs)[-1])
    return out


def test_issue_numbers_the_copies_consecutively_from_01(office):
    folder, source = office
    result = issue(source, config_path=folder / "thongbao.ini")
    assert _copy_numbers(result.folder) == [f"Số: {n:02d}/TrS-VP" for n in range(1, 12)]
    with Register(folder / "archive", create=False) as reg:
        rows = reg.copies()
    assert [r.number for r in rows] == list(range(1, 12))
    assert {r.series for r in rows} == {"copies state VP 2024"}
    assert rows[0].unit_id == "ubnd-huyen" and rows[0].file_name == "05-TB-UBND.extract-01.docx"
    for path in sorted(result.folder.glob("*.extract-*.docx"))[:2]:
        assert check_file(path).findings == []


def test_the_next_document_continues_the_series_and_an_unchanged_issue_takes_none(office):
    folder, source = office
    ini = folder / "thongbao.ini"
    issue(source, config_path=ini)
    assert issue(source, config_path=ini).status == "unchanged"
    other = folder / "2024" / "09-TB-UBND.yaml"
    other.write_text(source.read_text(encoding="utf-8").replace("number: 5", "number: 9"), encoding="utf-8")
    result = issue(other, config_path=ini)
    assert _copy_numbers(result.folder)[:2] == ["Số: 12/TrS-VP", "Số: 13/TrS-VP"]


def test_a_corrected_version_sends_new_copies_with_new_numbers(office):
    folder, source = office
    ini = folder / "thongbao.ini"
    issue(source, config_path=ini)
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("thông báo để các cơ quan", "thông báo để các cơ quan, tổ chức"), encoding="utf-8")
    result = issue(source, config_path=ini, reason="Sửa câu kết")
    assert result.version == 2
    assert _copy_numbers(result.folder)[0] == "Số: 12/TrS-VP"


def test_party_copies_are_numbered_per_term(tmp_path):
    shutil.copy(UNITS, tmp_path / "units.yaml")
    (tmp_path / "thongbao.ini").write_text(PARTY_COPIES, encoding="utf-8")
    source = tmp_path / "103-TB-BCD.yaml"
    shutil.copy(SEED, source)
    result = issue(source, config_path=tmp_path / "thongbao.ini")
    numbers = _copy_numbers(result.folder)
    assert numbers[:3] == ["Số 01-BS/VPHU", "Số 02-BS/VPHU", "Số 03-BS/VPHU"] and len(numbers) == 25
    with Register(tmp_path / "archive", create=False) as reg:
        assert {r.series for r in reg.copies()} == {"copies party VPHU 2020-07-20.."}


def test_a_section_per_body_code_overrides_the_common_one(tmp_path):
    ini = tmp_path / "thongbao.ini"
    ini.write_text(STATE_COPIES + "\n[copies BCĐ]\nsuperior = HUYỆN ỦY KON RẪY\ncode = VPHU\n"
                   "authority = T/L BAN THƯỜNG VỤ\nsigner = Y Hương\n", encoding="utf-8")
    config = load_config(ini)
    assert config.copies_for("UBND").code == "VP" and config.copies_for("UBND").authority == ("TL. CHỦ TỊCH",)
    party = config.copies_for("BCĐ")
    assert (party.code, party.body, party.authority, party.title) == (
        "VPHU", ("VĂN PHÒNG",), ("T/L BAN THƯỜNG VỤ",), ("CHÁNH VĂN PHÒNG",))
    write_extracts(SEED, tmp_path / "party", config=ini)
    write_extracts(STATE, tmp_path / "state", UNITS, config=ini)
    party_left = _texts(_copy_table(tmp_path / "party" / "103-tb-bcd_ubnd-huyen.docx").rows[0].cells[0].paragraphs)
    state_left = _texts(_copy_table(tmp_path / "state" / "05-tb-ubnd_ubnd-huyen.docx").rows[0].cells[0].paragraphs)
    assert party_left[0] == "HUYỆN ỦY KON RẪY" and party_left[-1].endswith("-BS/VPHU")
    assert state_left[-1].endswith("/TrS-VP")
    ini.write_text("[copies ]\ncode = VP\n", encoding="utf-8")
    with pytest.raises(Exception, match="found no body code after 'copies'"):
        load_config(ini)


def test_verify_finds_a_copy_row_that_disagrees_with_the_manifest(office):
    import sqlite3

    from generator.archive.verify import verify

    folder, source = office
    issue(source, config_path=folder / "thongbao.ini")
    assert verify(folder / "archive").ok
    conn = sqlite3.connect(folder / "archive" / "register.sqlite3")
    conn.execute("DROP TRIGGER copies_no_update")
    conn.execute("UPDATE copies SET symbol = '99/TrS-VP' WHERE number = 1")
    conn.commit()
    conn.close()
    report = verify(folder / "archive")
    assert any("disagrees with the manifest (copy numbers)" in str(f) for f in report.findings), report.findings


def test_party_copies_without_a_term_start_warn(tmp_path):
    shutil.copy(UNITS, tmp_path / "units.yaml")
    (tmp_path / "thongbao.ini").write_text(PARTY_COPIES.replace("* = 2020-07-20", ""), encoding="utf-8")
    source = tmp_path / "103-TB-BCD.yaml"
    shutil.copy(SEED, source)
    result = issue(source, config_path=tmp_path / "thongbao.ini")
    assert any("party-terms.VPHU: found no term start" in w for w in result.warnings), result.warnings
    assert _copy_numbers(result.folder)[0] == "Số 01-BS/VPHU"


def test_the_register_workbook_lists_the_copies(office, tmp_path):
    from openpyxl import load_workbook

    from generator.archive.export import export_register

    folder, source = office
    issue(source, config_path=folder / "thongbao.ini")
    out = tmp_path / "so.xlsx"
    export_register(folder / "archive", out)
    sheet = load_workbook(out)["Bản sao"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Số, ký hiệu bản sao" and len(rows) == 12
    assert rows[1] == ("01/TrS-VP", "05/02/2024", "Trích sao", "05/TB-UBND", 1, "Ủy ban nhân dân huyện Kon Rẫy",
                       "05-TB-UBND.extract-01.docx")
    assert [r[0] for r in rows[1:]] == [f"{n:02d}/TrS-VP" for n in range(1, 12)]
    # It prints like the register's other sheets.
    from .test_print_layout import (
        assert_prints_on_a4_landscape,
        assert_text_is_11_pt_wrapped,
    )

    assert_prints_on_a4_landscape(sheet, "$1:$1")
    assert_text_is_11_pt_wrapped(sheet, 2)
    # A register without numbered copies has no such sheet.
    import dataclasses
    import datetime as dt

    from generator.archive.export import entries, register_xlsx

    plain = [dataclasses.replace(e, copies=[]) for e in entries(folder / "archive")]
    (tmp_path / "plain.xlsx").write_bytes(register_xlsx(plain, "Năm 2024", dt.date(2024, 2, 5)))
    assert load_workbook(tmp_path / "plain.xlsx").sheetnames == ["Sổ văn bản đi", "Phiên bản"]


def test_the_manifest_holds_the_copy_register_rows(office):
    import json

    from generator.archive.register import copies_from_manifest

    folder, source = office
    result = issue(source, config_path=folder / "thongbao.ini")
    m = json.loads((result.folder / "manifest.json").read_text(encoding="utf-8"))
    assert m["copies"] == {"series": "copies state VP 2024", "style": "state", "code": "VP", "date": "2024-02-05"}
    extract = next(f for f in m["files"] if f["role"] == "extract")
    assert (extract["copy_number"], extract["copy_no"]) == ("01/TrS-VP", "1")
    with Register(folder / "archive", create=False) as reg:
        assert copies_from_manifest(m) == reg.copies()


def test_importing_a_trich_sao_reads_the_copied_notice_not_the_copy_block(state_copies, tmp_path):
    import yaml

    from generator.importer import import_file

    out = tmp_path / "imported.yaml"
    import_file(state_copies / "05-tb-ubnd_ubnd-huyen.docx", out)
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["signature"]["name"] == "Trần Văn Bình"
    assert data["signature"]["title"] in ("PHÓ CHỦ TỊCH", ["PHÓ CHỦ TỊCH"])
    assert data["recipients"][-1] == "Lưu: VT, NN"
    assert "TRÍCH SAO" not in out.read_text(encoding="utf-8")


# With the reservations of issue (several issues at once, crashes) -----------------------------------------

def test_a_version_placed_by_a_killed_issue_gets_its_copy_rows_back(office):
    from generator.archive.issue import FAULT_ENV, FAULT_EXIT
    from generator.archive.verify import verify

    from .archive_helpers import cli_process

    folder, source = office
    ini = folder / "thongbao.ini"
    proc = cli_process("issue", source, "--config", ini, cwd=folder, env={FAULT_ENV: "placed"})
    proc.communicate()
    assert proc.returncode == FAULT_EXIT
    again = issue(source, config_path=ini)
    assert again.status == "unchanged" and again.completed
    with Register(folder / "archive", create=False) as reg:
        assert [(c.number, c.symbol) for c in reg.copies()][:2] == [(1, "01/TrS-VP"), (2, "02/TrS-VP")]
        assert len(reg.copies()) == 11
    assert verify(folder / "archive").ok


def test_issues_running_at_once_never_send_the_same_copy_number(office):
    from .archive_helpers import cli_process

    folder, source = office
    text = source.read_text(encoding="utf-8")
    sources = []
    for n in (5, 6, 7):
        path = folder / "2024" / f"{n:02d}-TB-UBND.yaml"
        path.write_text(text.replace("number: 5", f"number: {n}"), encoding="utf-8")
        sources.append(path)
    procs = [cli_process("issue", s, "--config", folder / "thongbao.ini", cwd=folder) for s in sources]
    outs = [p.communicate() for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    with Register(folder / "archive", create=False) as reg:
        numbers = sorted(c.number for c in reg.copies())
    assert numbers == list(range(1, 34))


@pytest.mark.parametrize("point", ["reserved", "staged"])
def test_copy_numbers_held_by_a_killed_issue_are_given_next_so_the_copy_register_has_no_gap(office, point):
    # As for document numbers: another issue goes past the copy numbers of an issue that is then killed;
    # the next issue gets those numbers back, and the copy register has no gap.
    import os
    import sqlite3

    from generator.archive.issue import FAULT_ENV, FAULT_EXIT
    from generator.archive.verify import verify

    from .archive_helpers import cli_process

    folder, source = office
    ini = folder / "thongbao.ini"
    text = source.read_text(encoding="utf-8")
    sources = {}
    for n in (5, 6, 7, 8):
        path = folder / "2024" / f"{n:02d}-TB-UBND.yaml"
        path.write_text(text.replace("number: 5", f"number: {n}"), encoding="utf-8")
        sources[n] = path
    crashing = cli_process("issue", sources[5], "--config", ini, cwd=folder, env={FAULT_ENV: point})
    crashing.communicate()
    assert crashing.returncode == FAULT_EXIT
    register = folder / "archive" / "register.sqlite3"

    def holder(pid: int) -> None:
        conn = sqlite3.connect(register)
        with conn:
            conn.execute("UPDATE reservations SET pid = ?", (pid,))
        conn.close()

    holder(os.getpid())               # the killed issue still running, as far as the next one can tell
    issue(sources[6], config_path=ini)
    holder(crashing.pid)              # ... and now it is gone
    issue(sources[7], config_path=ini)
    issue(sources[8], config_path=ini)
    with Register(folder / "archive", create=False) as reg:
        rows = reg.copies()
    by_doc: dict[int, list[int]] = {}
    for c in rows:
        by_doc.setdefault(c.document_id, []).append(c.number)
    assert sorted(by_doc.values()) == [list(range(1, 12)), list(range(12, 23)), list(range(23, 34))]
    assert verify(folder / "archive").ok
