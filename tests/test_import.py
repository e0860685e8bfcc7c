"""thongbao import: notices from Word drafts, old notices and their text, into notice sources."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx.oxml.ns import qn

from generator import api
from generator.cli import main
from generator.docx.text import paragraph_texts
from generator.importer import import_file, import_folder
from generator.units import find_directory, load_directory

from . import import_drafts as drafts
from .conftest import ROOT, damage_deflate

UNITS = ROOT / "notices" / "units.yaml"
SEED_TEXT = next((ROOT.parent / "shared" / "seeds").glob("*.txt"), None) if (ROOT.parent / "shared" / "seeds").is_dir() \
    else None
SEED_TEXT = SEED_TEXT or ROOT / "tests" / "data" / "seed-103-TB-BCD.txt"
EXAMPLES = sorted(p for p in (ROOT / "notices").rglob("*.yaml") if p.name != "units.yaml")
# Sources of the test data with every structure of format v2 (parts, sub-items, details ...).
STRUCTURES = sorted(p for p in (ROOT / "tests" / "data").rglob("*.yaml") if p.name != "units.yaml")
SEED_DEADLINES = ["trước ngày 31/7/2023.", "trước ngày 20/7/2023.", "trước ngày 31/7/2023.", "trong tháng 8/2023",
                  "trước ngày 07/9/2023", "trước ngày 31/7/2023"]
NOTE_MARK = re.compile(r"(?:^|\s)# (?:ASSUMED|CHECK)(?: \(\w+\))?: ", re.MULTILINE)   # an importer's note


def bold_runs(data: bytes) -> list[str]:
    """The text of every bold run of the body, in order (headers and closing included)."""
    out = []
    for r in docx.Document(io.BytesIO(data)).element.body.iter(qn("w:r")):
        rpr = r.find(qn("w:rPr"))
        if rpr is not None and rpr.find(qn("w:b")) is not None:
            out.append("".join(t.text or "" for t in r.iter(qn("w:t"))))
    return out


def note_citations(data: bytes) -> list[str]:
    """Each footnote citation of the body in order: a note's id, or "again" for a NOTEREF (cited twice)."""
    out = []
    body = docx.Document(io.BytesIO(data)).element.body
    for el in body.iter(qn("w:footnoteReference"), qn("w:instrText")):
        if el.tag == qn("w:footnoteReference"):
            out.append(el.get(qn("w:id")))
        elif "NOTEREF" in (el.text or ""):
            out.append("again")
    return out


def render(source: Path) -> bytes:
    return api.render_notice(api.load_notice(source).notice)


def imported(path: Path, tmp_path: Path, **kw) -> tuple[dict, str, object]:
    result = import_file(path, tmp_path / (path.stem + ".yaml"), units=kw.pop("units", UNITS), **kw)
    text = result.output.read_text(encoding="utf-8")
    return yaml.safe_load(text), text, result


# -- round trip ------------------------------------------------------------------

@pytest.mark.parametrize("example", EXAMPLES + STRUCTURES, ids=lambda p: p.name)
def test_round_trip_renders_the_same_text_bold_and_footnotes(example, tmp_path):
    original = render(example)
    rendered = tmp_path / "original.docx"
    rendered.write_bytes(original)
    units = find_directory(example) or UNITS
    result = import_file(rendered, tmp_path / "again.yaml", units=units)
    again = render(result.output)
    assert paragraph_texts(again) == paragraph_texts(original)  # footnote marks are text in place: "quý)(1);"
    assert bold_runs(again) == bold_runs(original)
    assert note_citations(again) == note_citations(original)


@pytest.mark.parametrize("example", EXAMPLES + STRUCTURES, ids=lambda p: p.name)
def test_round_trip_is_byte_identical(example, tmp_path):
    original = render(example)
    (tmp_path / "x.docx").write_bytes(original)
    result = import_file(tmp_path / "x.docx", tmp_path / "x.yaml", units=find_directory(example) or UNITS)
    assert render(result.output) == original
    assert not [m for m in NOTE_MARK.findall(result.output.read_text(encoding="utf-8")) if "ASSUMED" in m]


# -- the seed (text copied out of a PDF) -----------------------------------------

def _seed_paragraphs() -> list[str]:
    """The seed's paragraphs as the notice prints them: marks as (1), bold markers gone, the split joined."""
    lines = [" ".join(ln.split()) for ln in SEED_TEXT.read_text(encoding="utf-8").splitlines() if ln.strip()]
    out: list[str] = []
    for b in lines:
        b = b.replace("**", "")
        b = re.sub(r"⁽([¹²])⁾", lambda m: "(" + "¹²".index(m.group(1)).__add__(1).__str__() + ")", b)
        if b.startswith("("):
            continue  # a footnote's text: checked as a footnote
        if out and b[:1].islower() and not out[-1].endswith((".", ":", ";")) and out[-1].isupper() is False \
                and not out[-1] in ("THÔNG BÁO",):
            out[-1] += " " + b
            continue
        out.append(b)
    return out


def test_seed_renders_every_paragraph_in_order(tmp_path):
    source, text, result = imported(SEED_TEXT, tmp_path)
    printed = paragraph_texts(render(result.output))
    expected = [p for p in _seed_paragraphs() if p != "*"]
    k = 0
    for para in expected:
        assert para in printed[k:], f"missing or out of order: {para[:60]}"
        k = printed.index(para, k) + 1


def test_seed_keeps_its_two_footnotes_native_on_the_right_words(tmp_path):
    source, text, result = imported(SEED_TEXT, tmp_path)
    data = render(result.output)
    printed = paragraph_texts(data)
    notes = [p for p in printed if p.startswith("[footnote]")]
    assert notes == ["[footnote] (1) Có danh sách các cơ quan, đơn vị, địa phương đã có báo cáo định kỳ quý "
                     "II/2023 gửi kèm theo Thông báo này.",
                     "[footnote] (2) Chương trình mục tiêu quốc gia xây dựng nông thôn mới, Chương trình mục "
                     "tiêu quốc gia “Phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số và miền núi, "
                     "giai đoạn 2021-2025”, Chương trình mục tiêu quốc gia giảm nghèo bền vững."]
    assert any("(trước ngày 07 của tháng cuối quý)(1); chưa hoàn thành" in p for p in printed)
    assert any("chương trình mục tiêu quốc gia(2) hỗ trợ" in p for p in printed)
    refs = list(docx.Document(io.BytesIO(data)).element.body.iter(qn("w:footnoteReference")))
    assert [r.get(qn("w:id")) for r in refs] == ["1", "2"]


def test_seed_keeps_its_six_bold_deadlines(tmp_path):
    source, text, result = imported(SEED_TEXT, tmp_path)
    body_bold = [b for b in bold_runs(render(result.output)) if re.search(r"\d/20\d\d", b)]
    assert body_bold == SEED_DEADLINES
    assert result.summary.endswith("6 conclusions, 15 tasks, 2 footnotes, 5 values assumed, 2 to check")


def test_seed_marks_the_lost_header_lines_assumed(tmp_path):
    source, text, result = imported(SEED_TEXT, tmp_path)
    for key in ("issuing_body", "place", "date", "style"):
        lines = text.splitlines()
        at = next(k for k, ln in enumerate(lines) if ln.startswith(key + ":"))
        above = at
        while lines[above - 1].startswith("#"):
            above -= 1
        assert any("# ASSUMED: " in ln for ln in lines[above:at + 1]), key
    assert re.search(r"^# ASSUMED \(superior_body\): .*superior_body", text, re.MULTILINE)   # a field not written
    assert source["number"] == 103 and source["body_code"] == "BCĐ" and source["type_code"] == "TB"
    assert source["issuing_body"] == "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG"  # the body the text names, as the worked example
    assert source["place"] == "Kon Rẫy"  # the district of the units directory
    assert source["date"] == "2023-07-12" or str(source["date"]) == "2023-07-12"  # the meeting the opening names


def test_text_without_bold_gets_its_deadlines_bold_from_the_phrases(tmp_path):
    plain = tmp_path / "seed-plain.txt"
    plain.write_text(SEED_TEXT.read_text(encoding="utf-8").replace("**", ""), encoding="utf-8")
    source, text, result = imported(plain, tmp_path)
    body_bold = [b for b in bold_runs(render(result.output)) if re.search(r"\d/20\d\d", b)]
    assert body_bold == [d.rstrip(".") for d in SEED_DEADLINES]


def test_text_drops_page_numbers_and_reads_bracketed_note_marks(tmp_path):
    text = ("Số 12-TB/BCĐ\n\nTHÔNG BÁO\n\nkết luận giao ban\n\nHội nghị kết luận như sau:\n\n"
            "1. UBND huyện: Rà soát các mô hình(1), báo cáo\n\n2\n\n"
            "(1) Mô hình nhà vườn và mô hình nuôi bò.\n\n"
            "kết quả trước ngày 31/7/2023.\n\n"
            "Nơi nhận:\n- UBND huyện,\n- Lưu VT.\n\nTRƯỞNG BAN\n\nNguyễn Văn A\n")
    path = tmp_path / "typed.txt"
    path.write_text(text, encoding="utf-8")
    source, out, result = imported(path, tmp_path)
    item = source["conclusions"][0]
    assert item["to"] == "UBND huyện"
    assert item["text"] == "Rà soát các mô hình[^1], báo cáo kết quả **trước ngày 31/7/2023**."
    assert source["footnotes"] == {1: "Mô hình nhà vườn và mô hình nuôi bò."}
    assert source["signature"] == {"title": "TRƯỞNG BAN", "name": "Nguyễn Văn A"}


# -- drafts typed by hand -----------------------------------------------------------

def test_draft_with_tabs_reads_header_items_and_closing(tmp_path):
    drafts.tabbed_party(tmp_path / "d.docx")
    source, text, result = imported(tmp_path / "d.docx", tmp_path)
    assert {k: source[k] for k in ("style", "superior_body", "issuing_body", "body_code", "number", "place")} == {
        "style": "party", "superior_body": "HUYỆN ỦY ĐĂK HÀ", "issuing_body": "VĂN PHÒNG", "body_code": "VPHU",
        "number": 45, "place": "Đăk Hà"}
    assert str(source["date"]) == "2024-03-10"
    assert source["subject"] == "kết luận của Thường trực Huyện ủy tại buổi làm việc với Ban Thường vụ Huyện đoàn"
    first, second = source["conclusions"]
    assert first["to"] == "Huyện đoàn" and first["heading"] == "Giao Huyện đoàn:"
    assert first["tasks"][0].endswith("báo cáo Thường trực Huyện ủy **trước ngày 20/3/2024**.")
    assert second == {"to": "Ban Tuyên giáo Huyện ủy",
                      "text": "Hướng dẫn tuyên truyền kỷ niệm Ngày thành lập Đoàn **trong tháng 3/2024**."}
    assert source["recipients"] == ["Thường trực Huyện ủy", "Huyện đoàn", "Ban Tuyên giáo Huyện ủy",
                                    "Lưu Văn phòng Huyện ủy"]
    assert source["signature"] == {"authority": "T/L BAN THƯỜNG VỤ", "title": "CHÁNH VĂN PHÒNG",
                                   "name": "Nguyễn Văn Nam"}
    body = paragraph_texts(render(result.output))
    assert "1. Giao Huyện đoàn:" in body and "2. Ban Tuyên giáo Huyện ủy: Hướng dẫn tuyên truyền kỷ niệm Ngày " \
        "thành lập Đoàn trong tháng 3/2024." in body
    assert not NOTE_MARK.search(text)


def test_draft_in_tables_reads_parts_sub_items_details_and_a_typed_footnote(tmp_path):
    drafts.tables_state(tmp_path / "d.docx")
    source, text, result = imported(tmp_path / "d.docx", tmp_path)
    assert source["style"] == "state" and source["issuing_body"] == ["ỦY BAN NHÂN DÂN", "XÃ ĐĂK RUỒNG"]
    assert (source["number"], source["type_code"], source["body_code"]) == (12, "TB", "UBND")
    first, second = source["parts"]
    assert first["heading"] == "ĐÁNH GIÁ CHUNG"
    assert first["paragraphs"] == ["Trong tháng 3/2024, các ban, ngành của xã đã hoàn thành cơ bản nhiệm vụ[^1]; "
                                   "công tác thu ngân sách còn chậm."]
    assert second["heading"] == "NHIỆM VỤ THỜI GIAN TỚI"
    item, police = second["conclusions"]
    assert item["to"] == "Công chức Địa chính - Xây dựng"
    a, b = item["items"]
    assert a == {"text": "Rà soát hiện trạng sử dụng đất các thôn, hoàn thành **trước ngày 20/4/2024**."}
    assert b["heading"] == "Phối hợp với các thôn:"
    assert b["tasks"] == [{"text": "Kiểm tra các công trình xây dựng trái phép:",
                           "details": ["Thôn 1 và thôn 2;", "Thôn 3."]}]
    assert police == {"to": "Công an xã", "text": "Tăng cường tuần tra, bảo đảm an ninh trật tự trong dịp lễ."}
    assert source["footnotes"] == {1: "Theo báo cáo của Văn phòng - Thống kê xã ngày 31/3/2024."}
    assert source["closing"] == "Ủy ban nhân dân xã thông báo để các ban, ngành, thôn biết, thực hiện./."
    assert source["recipients"] == ["Như trên", "TT Đảng ủy xã (b/c)", "Lưu: VT"]
    assert source["signature"] == {"authority": "TM. ỦY BAN NHÂN DÂN", "title": "CHỦ TỊCH", "name": "Y Bình"}
    assert "# CHECK (to): unknown unit 'Công an xã'" in text


def test_draft_of_plain_paragraphs_reads_dash_numbering_and_bracketed_note(tmp_path):
    drafts.plain_paragraphs(tmp_path / "d.docx")
    source, text, result = imported(tmp_path / "d.docx", tmp_path)
    assert source["superior_body"] == "ĐẢNG ỦY XÃ TÂN LẬP" and source["issuing_body"] == "CHI BỘ THÔN 2"
    assert source["item_mark"] == "-"
    first, second = source["conclusions"]
    assert first["text"] == "Vận động Nhân dân vệ sinh môi trường[^1], hoàn thành **trước ngày 08/02/2024**."
    assert second["to"] == "Chi hội Nông dân thôn"
    assert source["footnotes"] == {1: "Trọng tâm là khu vực chợ và nhà văn hóa thôn."}
    assert source["signature"] == {"authority": "T/M CHI BỘ", "title": "BÍ THƯ", "name": "A Thuận"}


def test_draft_with_word_lists_reads_automatic_numbers_and_bullets(tmp_path):
    drafts.word_lists(tmp_path / "d.docx")
    source, text, result = imported(tmp_path / "d.docx", tmp_path)
    first, second = source["conclusions"]
    assert first["to"] == "UBND huyện" and "heading" not in first
    assert first["tasks"] == ["Hoàn thiện mô hình nhà vườn, báo cáo **trước ngày 15/11/2023**",
                              "Chỉ đạo Phòng Dân tộc theo dõi tiến độ."]
    assert second == {"to": "Ban Dân vận Huyện ủy", "tasks": ["Tổng hợp kết quả các xã."]}
    assert source["signature"] == {"authority": "K/T TRƯỞNG BAN", "title": "PHÓ TRƯỞNG BAN", "name": "Lê Văn Hùng"}
    body = paragraph_texts(render(result.output))
    assert body[body.index("1. UBND huyện:") + 1] == "- Hoàn thiện mô hình nhà vườn, báo cáo trước ngày 15/11/2023"


def test_draft_of_one_unnumbered_conclusion(tmp_path):
    drafts.one_conclusion(tmp_path / "d.docx")
    source, text, result = imported(tmp_path / "d.docx", tmp_path)
    assert source["issuing_body"] == ["ỦY BAN NHÂN DÂN", "HUYỆN KON RẪY"] and "superior_body" not in source
    assert (source["number"], source["body_code"], str(source["date"])) == (31, "UBND", "2024-05-15")
    assert source["subject"] == "Ý kiến kết luận của Chủ tịch UBND huyện về công tác phòng cháy rừng"
    assert source["numbering"] == "none"
    (item,) = source["conclusions"]
    assert item["to"] == "Hạt Kiểm lâm huyện" and item["heading"] == "Giao Hạt Kiểm lâm huyện"
    assert item["text"].startswith("chủ trì kiểm tra") and item["text"].endswith("**trước ngày 31/5/2024**.")
    body = paragraph_texts(render(result.output))
    assert "Giao Hạt Kiểm lâm huyện chủ trì kiểm tra các vùng rừng trọng điểm, báo cáo kết quả trước ngày " \
           "31/5/2024." in body
    assert source["closing"] == "Ủy ban nhân dân huyện thông báo để các cơ quan, đơn vị biết, thực hiện./."
    assert source["signature"] == {"authority": "KT. CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": "Trần Văn Bình"}


def test_add_units_appends_unknown_names_to_the_directory(tmp_path):
    units = tmp_path / "units.yaml"
    shutil.copyfile(UNITS, units)
    drafts.plain_paragraphs(tmp_path / "d.docx")
    result = import_file(tmp_path / "d.docx", tmp_path / "d.yaml", units=units, add_units=True)
    assert result.units_added == ["Ban Công tác Mặt trận thôn", "Chi hội Nông dân thôn"]
    directory = load_directory(units)
    assert directory.lookup("Chi hội Nông dân thôn").id == "chi-hoi-nong-dan-thon"
    assert "# Added by thongbao import from d.docx" in units.read_text(encoding="utf-8")


# -- the command ------------------------------------------------------------------------

def test_command_prints_the_summary(tmp_path):
    drafts.tabbed_party(tmp_path / "d.docx")
    result = CliRunner().invoke(main, ["import", str(tmp_path / "d.docx"), "--units", str(UNITS)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{tmp_path / 'd.yaml'}: 2 conclusions, 3 tasks, 0 footnotes, " \
                                    "0 values assumed, 0 to check"


def test_not_a_notice_gets_warnings_and_what_was_found(tmp_path):
    drafts.not_a_notice(tmp_path / "report.docx")
    result = CliRunner().invoke(main, ["import", str(tmp_path / "report.docx"), "--units", str(UNITS)])
    assert result.exit_code == 0
    assert "Warning:" in result.stderr and "no numbered items found" in result.stderr
    assert "Traceback" not in result.output
    assert yaml.safe_load((tmp_path / "report.yaml").read_text(encoding="utf-8"))["number"] == 5


def test_nothing_notice_like_is_one_line_and_exit_1(tmp_path):
    drafts.prose(tmp_path / "menu.docx")
    result = CliRunner().invoke(main, ["import", str(tmp_path / "menu.docx")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: ")
    assert "nothing notice-like" in result.stderr
    assert not (tmp_path / "menu.yaml").exists()


@pytest.mark.parametrize("content, said", [
    (b"PK\x03\x04 this is not really a zip", "damaged"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100,
     "password-protected"),
    (b"\x00\x01\x02garbage", "damaged"),
])
def test_corrupt_or_password_protected_docx_is_one_line(tmp_path, content, said):
    path = tmp_path / "broken.docx"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and said in result.stderr and str(path) in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_docx_damaged_inside_the_zip_is_one_line(tmp_path, seed_docx):
    # The zip's directory reads but word/document.xml does not unpack: was a zlib.error traceback.
    path = damage_deflate(seed_docx, tmp_path / "broken.docx")
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path}: found a damaged file (not a readable zip), " \
                            "expected a Word document that opens without a password\n"
    assert not (tmp_path / "broken.yaml").exists()


def test_doc_without_libreoffice_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("THONGBAO_SOFFICE", str(tmp_path / "no-soffice"))
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "soffice" in result.stderr.lower()


def test_libreoffice_complaint_is_kept_without_its_java_noise():
    from generator.docx.pdf import _libreoffice_said

    noisy = (b"Warning: failed to launch javaldx - java may not function correctly\n"
             b"Error: source file could not be loaded\n")
    assert _libreoffice_said(noisy) == "LibreOffice could not open the file"
    assert _libreoffice_said(b"Warning: failed to launch javaldx - java may not function correctly\n"
                             b"Error: something else\n") == "Error: something else"
    assert _libreoffice_said(b"") == "no message"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_an_odt_that_is_garbage_is_one_line_without_libreoffice_noise(tmp_path):
    path = tmp_path / "broken.odt"
    path.write_bytes(b"PK\x03\x04 this is not really an odt" * 20)
    result = CliRunner().invoke(main, ["import", str(path)])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr
    assert "javaldx" not in result.stderr
    assert not (tmp_path / "broken.yaml").exists()


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
@pytest.mark.parametrize("target", ["odt", "doc:MS Word 97"])
def test_odt_and_doc_are_converted_through_libreoffice(tmp_path, target):
    import time

    from generator.docx.pdf import _convert, find_soffice

    original = render(ROOT / "notices" / "2023" / "103-TB-BCD.yaml")
    (tmp_path / "n.docx").write_bytes(original)
    converted = _convert(find_soffice(), tmp_path / "profile", tmp_path / "n.docx", target, tmp_path / "out",
                         time.monotonic() + 120, 120, tmp_path / "n.docx")
    source, text, result = imported(converted, tmp_path)
    # LibreOffice writes each custom footnote mark a second time as text: read once.
    assert paragraph_texts(render(result.output)) == paragraph_texts(original)


def test_folder_import_reports_failures_and_never_stops(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for example in EXAMPLES[:2]:
        (inbox / (example.stem + ".docx")).write_bytes(render(example))
    shutil.copyfile(SEED_TEXT, inbox / "seed.txt")
    (inbox / "broken.docx").write_bytes(b"PK\x03\x04 broken")
    drafts.prose(inbox / "menu.docx")
    (inbox / "~$lock.docx").write_bytes(b"lock")
    out = tmp_path / "notices"
    shutil.copyfile(UNITS, tmp_path / "units.yaml")
    result = CliRunner().invoke(main, ["import", str(inbox), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == f"3 imported, 2 failed, into {out}"
    failed = [ln for ln in result.stderr.splitlines() if ln.startswith("Failed:")]
    assert len(failed) == 2 and any("broken.docx" in f for f in failed) and any("menu.docx" in f for f in failed)
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.yaml"))
    assert "2023/103-TB-BCD.yaml" in written and "2024/05-TB-UBND.yaml" in written and len(written) == 3
    for path in out.rglob("*.yaml"):
        api.load_notice(path)


def test_folder_import_library_call_never_raises_for_one_file(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_bytes(b"\xff\xfe\x00garbage\x00")
    batch = import_folder(inbox, tmp_path / "out")
    assert not batch.imported and len(batch.failed) == 1


def test_units_with_no_marked_task_are_left_for_the_clerk(tmp_path):
    text = ("Số 12-TB/BCĐ\n\nTHÔNG BÁO\n\nkết luận giao ban\n\nHội nghị kết luận như sau:\n\n"
            "1. UBND huyện:\n\nChỉ đạo các xã rà soát hộ nghèo.\n\n"
            "Nơi nhận:\n- UBND huyện,\n- Lưu VT.\n\nTRƯỞNG BAN\n\nNguyễn Văn A\n")
    path = tmp_path / "typed.txt"
    path.write_text(text, encoding="utf-8")
    source, out, result = imported(path, tmp_path)
    assert source["conclusions"] == [{"heading": "UBND huyện:", "paragraphs": ["Chỉ đạo các xã rà soát hộ nghèo."]}]
    assert "# CHECK (to): addressed to UBND huyện but no paragraph is marked as a task" in out
    assert not [w for w in result.warnings if "does not validate" in w]


def test_never_writes_over_the_file_it_reads(tmp_path):
    path = tmp_path / "notice.yaml"
    path.write_text("Số 12-TB/BCĐ\n\nTHÔNG BÁO\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import", str(path), "-o", str(path)])
    assert result.exit_code == 1 and "the file read" in result.stderr
    assert path.read_text(encoding="utf-8") == "Số 12-TB/BCĐ\n\nTHÔNG BÁO\n"


def test_draft_with_the_header_in_text_boxes(tmp_path):
    drafts.textbox_header(tmp_path / "d.docx")
    source, text, result = imported(tmp_path / "d.docx", tmp_path)
    assert (source["style"], source["superior_body"], source["issuing_body"]) == \
        ("party", "HUYỆN ỦY KON RẪY", "BAN DÂN VẬN")
    assert (source["number"], source["body_code"], str(source["date"])) == (21, "BDVHU", "2024-06-03")
    assert source["conclusions"] == [{"to": "Hội Nông dân huyện", "text": "Tổng kết mô hình liên kết sản xuất, "
                                      "báo cáo **trước ngày 30/6/2024**."}]
    assert source["signature"] == {"authority": "T/M BAN DÂN VẬN", "title": "TRƯỞNG BAN", "name": "Y Hà"}


def test_draft_with_blank_number_and_day(tmp_path):
    drafts.blank_draft(tmp_path / "d.docx")
    source, text, result = imported(tmp_path / "d.docx", tmp_path)
    assert "number" not in source and (source["type_code"], source["body_code"]) == ("TB", "UBND")
    assert "# CHECK (number): the number is left blank (a draft)" in text
    assert source["place"] == "Kon Rẫy" and str(source["date"]) == "2024-06-20"
    assert "ASSUMED: the day is left blank (a draft)" in text
    assert source["issuing_body"] == ["ỦY BAN NHÂN DÂN", "HUYỆN KON RẪY"]
    assert [c["to"] for c in source["conclusions"]] == ["Phòng Tài chính - Kế hoạch", "UBND các xã, thị trấn"]
    assert source["recipients"] == ["Như trên", "Lưu: VT, TCKH"]
    assert source["signature"] == {"authority": "KT. CHỦ TỊCH", "title": "PHÓ CHỦ TỊCH", "name": "Trần Văn Bình"}
    assert api.load_notice(result.output, require_number=False).notice.number == 0


def test_draft_typed_with_line_breaks_inside_paragraphs(tmp_path):
    drafts.line_breaks(tmp_path / "d.docx")
    source, text, result = imported(tmp_path / "d.docx", tmp_path)
    assert (source["superior_body"], source["issuing_body"], source["number"]) == \
        ("HUYỆN ỦY KON RẪY", "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG", 120)
    assert source["conclusions"] == [{"to": "UBND huyện", "tasks": [
        "Tổng hợp kết quả, báo cáo **trước ngày 15/11/2023**.", "Chỉ đạo các xã thực hiện."]}]
    assert source["recipients"] == ["UBND huyện", "Lưu VT"]
    assert source["signature"] == {"title": "TRƯỞNG BAN", "name": "Nguyễn Văn A"}


def test_a_table_of_figures_in_the_body_does_not_end_it(tmp_path):
    drafts.tabbed_party(tmp_path / "d.docx")
    document = docx.Document(str(tmp_path / "d.docx"))
    anchor = next(p for p in document.paragraphs if p.text.startswith("\t- Phối hợp"))
    table = document.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "Xã", (0, 1): "Số hộ", (1, 0): "Đăk Ruồng", (1, 1): "12"}.items():
        table.cell(r, c).text = text
    anchor._p.addnext(table._tbl)
    document.save(str(tmp_path / "d.docx"))
    source, text, result = imported(tmp_path / "d.docx", tmp_path)
    assert len(source["conclusions"]) == 2
    assert source["signature"]["name"] == "Nguyễn Văn Nam"


PDF_COPY = """\
ĐẢNG CỘNG SẢN VIỆT NAM
HUYỆN ỦY KON RẪY
BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG
*
Số 130-TB/BCĐ
Kon Rẫy, ngày 05 tháng 12 năm 2023
THÔNG BÁO
kết luận Hội nghị giao ban quý IV/2023
Hội nghị giao ban ngày 01/12/2023 của Ban Chỉ đạo Cuộc vận động huyện đã
nghe báo cáo và kết luận như sau:
1. UBND huyện:
- Chỉ đạo các xã rà soát, đánh giá kết quả thực hiện các mô hình giảm
nghèo trên địa bàn; báo cáo Ban Chỉ đạo trước ngày 20/12/2023.
- Hướng dẫn các hộ đồng bào dân tộc thiểu số⁽¹⁾ tiếp cận nguồn vốn vay ưu
đãi, hoàn thành trong quý I/2024.
2

⁽¹⁾ Các hộ nghèo và cận nghèo theo chuẩn giai đoạn 2022-2025.
- Tổng hợp danh sách hộ thoát nghèo năm 2023 của các xã và gửi Ủy ban MTTQ
Việt Nam huyện.
2. Ủy ban MTTQ Việt Nam huyện: Phối hợp tuyên truyền, vận động Nhân dân.
Nơi nhận:
- BTV Huyện ủy (b/c),
- Lưu VT.
TRƯỞNG BAN
Nguyễn Văn A
"""


@pytest.mark.parametrize("blank_lines", [False, True])
def test_text_copied_from_a_pdf_with_wrapped_lines_page_numbers_and_notes(tmp_path, blank_lines):
    text = PDF_COPY
    if blank_lines:  # a copy with a blank line between the paragraphs (the wrapped lines stay)
        text = re.sub(r"\n(?=(?:\d\. |- |⁽|Nơi|TRƯỞNG|Nguyễn|Hội nghị|kết luận|THÔNG))", "\n\n", text)
    path = tmp_path / "copy.txt"
    path.write_text(text, encoding="utf-8")
    source, out, result = imported(path, tmp_path)
    assert (source["style"], source["superior_body"], source["issuing_body"], source["number"]) == \
        ("party", "HUYỆN ỦY KON RẪY", "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG", 130)
    assert source["opening"] == ("Hội nghị giao ban ngày 01/12/2023 của Ban Chỉ đạo Cuộc vận động huyện đã "
                                 "nghe báo cáo và kết luận như sau:")
    first, second = source["conclusions"]
    assert first["tasks"] == [
        "Chỉ đạo các xã rà soát, đánh giá kết quả thực hiện các mô hình giảm nghèo trên địa bàn; báo cáo Ban "
        "Chỉ đạo **trước ngày 20/12/2023**.",
        "Hướng dẫn các hộ đồng bào dân tộc thiểu số[^1] tiếp cận nguồn vốn vay ưu đãi, hoàn thành **trong quý "
        "I/2024**.",
        "Tổng hợp danh sách hộ thoát nghèo năm 2023 của các xã và gửi Ủy ban MTTQ Việt Nam huyện."]
    assert second == {"to": "Ủy ban MTTQ Việt Nam huyện", "text": "Phối hợp tuyên truyền, vận động Nhân dân."}
    assert source["footnotes"] == {1: "Các hộ nghèo và cận nghèo theo chuẩn giai đoạn 2022-2025."}
    assert source["recipients"] == ["BTV Huyện ủy (b/c)", "Lưu VT"]


@pytest.mark.parametrize("make", [drafts.tabbed_party, drafts.tables_state, drafts.plain_paragraphs,
                                  drafts.word_lists, drafts.one_conclusion, drafts.textbox_header,
                                  drafts.blank_draft, drafts.line_breaks], ids=lambda f: f.__name__)
def test_every_hand_typed_draft_gives_a_source_that_validates(tmp_path, make):
    make(tmp_path / "d.docx")
    result = import_file(tmp_path / "d.docx", tmp_path / "d.yaml", units=UNITS)
    assert not [w for w in result.warnings if "does not validate" in w]
    if "number:" in result.output.read_text(encoding="utf-8"):
        assert paragraph_texts(render(result.output))


def test_docx_text_in_decomposed_unicode_is_read_as_nfc(tmp_path):
    import unicodedata

    drafts.word_lists(tmp_path / "d.docx")
    document = docx.Document(str(tmp_path / "d.docx"))
    for t in document.element.body.iter(qn("w:t")):
        t.text = unicodedata.normalize("NFD", t.text or "")
    document.save(str(tmp_path / "d.docx"))
    source, text, result = imported(tmp_path / "d.docx", tmp_path)
    assert text == unicodedata.normalize("NFC", text)
    assert source["conclusions"][0]["to"] == "UBND huyện" and source["issuing_body"] == "BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG"


def test_endnotes_are_read_as_the_notice_s_footnotes(tmp_path):
    import zipfile

    original = render(ROOT / "notices" / "2023" / "103-TB-BCD.yaml")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            blob = src.read(name).decode("utf-8") if name.endswith((".xml", ".rels")) else src.read(name)
            if name == "word/footnotes.xml":
                name, blob = "word/endnotes.xml", blob.replace("w:footnote", "w:endnote")
            elif name == "word/document.xml":
                blob = blob.replace("w:footnoteReference", "w:endnoteReference")
            elif name == "word/_rels/document.xml.rels":
                blob = blob.replace("footnotes", "endnotes")
            elif name == "[Content_Types].xml":
                blob = blob.replace("footnotes", "endnotes")
            dst.writestr(name, blob)
    (tmp_path / "end.docx").write_bytes(out.getvalue())
    source, text, result = imported(tmp_path / "end.docx", tmp_path)
    assert paragraph_texts(render(result.output)) == paragraph_texts(original)


def test_note_text_typed_with_a_plain_number_after_the_closing(tmp_path):
    drafts.word_lists(tmp_path / "d.docx")
    document = docx.Document(str(tmp_path / "d.docx"))
    task = next(p for p in document.paragraphs if p.text.startswith("Chỉ đạo Phòng Dân tộc"))
    mark = task.add_run("1")
    mark.font.superscript = True
    document.add_paragraph("__________")
    document.add_paragraph("1. Phòng Dân tộc huyện Kon Rẫy.")
    document.save(str(tmp_path / "d.docx"))
    source, text, result = imported(tmp_path / "d.docx", tmp_path)
    assert source["conclusions"][0]["tasks"][1] == "Chỉ đạo Phòng Dân tộc theo dõi tiến độ.[^1]"
    assert source["footnotes"] == {1: "Phòng Dân tộc huyện Kon Rẫy."}
    assert source["signature"]["name"] == "Lê Văn Hùng"


def test_document_type_other_than_thong_bao_is_kept(tmp_path):
    text = ("Số 12-TB/BCĐ\n\nTHÔNG BÁO KẾT LUẬN\n\ncủa Hội nghị giao ban\n\nHội nghị kết luận như sau:\n\n"
            "1. UBND huyện: Báo cáo trước ngày 31/7/2023.\n\nNơi nhận:\n- UBND huyện,\n- Lưu VT.\n\n"
            "TRƯỞNG BAN\n\nNguyễn Văn A\n")
    path = tmp_path / "typed.txt"
    path.write_text(text, encoding="utf-8")
    source, out, result = imported(path, tmp_path)
    assert source["document_type"] == "THÔNG BÁO KẾT LUẬN" and source["subject"] == "của Hội nghị giao ban"
    assert "THÔNG BÁO KẾT LUẬN" in paragraph_texts(render(result.output))


def test_default_output_never_replaces_a_source_beside_the_file(tmp_path):
    shutil.copyfile(ROOT / "notices" / "2024" / "05-TB-UBND.yaml", tmp_path / "05.yaml")
    (tmp_path / "05.docx").write_bytes(render(tmp_path / "05.yaml"))
    before = (tmp_path / "05.yaml").read_bytes()
    result = import_file(tmp_path / "05.docx", units=UNITS)
    assert result.output == tmp_path / "05-2.yaml"
    assert (tmp_path / "05.yaml").read_bytes() == before


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_folder_of_old_word_files_is_converted_in_one_libreoffice_run(tmp_path, monkeypatch):
    from generator.docx import convert

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # Named .doc, the files go through LibreOffice (which reads them by their content).
    drafts.tabbed_party(inbox / "a.doc")
    drafts.word_lists(inbox / "b.doc")
    runs = []
    real = convert._convert_all
    monkeypatch.setattr(convert, "_convert_all", lambda *a, **k: runs.append(a[2]) or real(*a, **k))
    batch = import_folder(inbox, tmp_path / "out", units=UNITS)
    assert len(runs) == 1 and len(runs[0]) == 2
    assert sorted(r.draft.number for r in batch.imported) == [45, 110] and not batch.failed
