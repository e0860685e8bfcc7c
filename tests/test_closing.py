"""The closing: several authority lines, a signature block that never splits, a closing that never
stands alone, no blank last page, recipient lines that wrap under their text (issue 8 §1, §3)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from generator import api
from generator.cli import main
from generator.context import build_plan
from generator.docx.render import BODY_TOKEN
from generator.docx.template_builder import DASH_SPACE_EM
from generator.profile import PARTY, STATE

from .conftest import MINIMAL, W
from .test_pdf import Word, phrase, words
from .test_state_style import STATE_MINIMAL

HAVE_TOOLS = all(shutil.which(t) for t in ("soffice", "pdftotext", "pdfinfo"))
needs_libreoffice = pytest.mark.skipif(
    not HAVE_TOOLS, reason="LibreOffice and poppler-utils are not installed (.ci/run installs them)")

SHORT_TASK = "      - Báo cáo **trước ngày 31/7/2023.**\n"
STACKED = STATE_MINIMAL.replace(
    "  authority: TL. CHỦ TỊCH\n", "  authority: [TL. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]\n").replace(
    "  title: CHÁNH VĂN PHÒNG\n", "  title: PHÓ CHÁNH VĂN PHÒNG\n")


def _signature_cell(path: Path):
    closing = docx.Document(str(path)).tables[-1]
    return closing.rows[0].cells[1]


# -- several authority lines ----------------------------------------------------------

def test_stacked_authority_prints_each_line_as_its_own_bold_paragraph(write_source, tmp_path):
    assert "KT. CHÁNH VĂN PHÒNG" in STACKED
    out, _ = api.render_file(write_source(STACKED), tmp_path / "n.docx")
    paras = [p for p in _signature_cell(out).paragraphs if p.text.strip()]
    assert [p.text for p in paras] == ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG", "Nguyễn Văn A"]
    assert all(r.bold for p in paras[:2] for r in p.runs)


def test_authority_as_one_text_still_prints_one_line(seed_docx, write_source, tmp_path):
    text = MINIMAL.replace("  title: TRƯỞNG BAN\n", "  authority: K/T TRƯỞNG BAN\n  title: PHÓ TRƯỞNG BAN\n")
    out, _ = api.render_file(write_source(text), tmp_path / "n.docx")
    assert [p.text for p in _signature_cell(out).paragraphs if p.text.strip()] == [
        "K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Nguyễn Văn A"]


def test_old_templates_get_the_lines_joined_in_signature_authority(write_source):
    notice = api.load_notice(write_source(STACKED)).notice
    assert notice.signature.authority == ("TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG")
    context = build_plan(notice, BODY_TOKEN).context
    assert context["signature_authority_lines"] == ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"]
    assert context["signature_authority"] == "TL. CHỦ TỊCH KT. CHÁNH VĂN PHÒNG"
    none = build_plan(api.load_notice(write_source(MINIMAL, "m.yaml")).notice, BODY_TOKEN).context
    assert (none["signature_authority_lines"], none["signature_authority"]) == ([], "")


@pytest.mark.parametrize("authority, line, expected", [
    ("[TL. CHỦ TỊCH, K/T CHÁNH VĂN PHÒNG]", 18,
     ("signature.authority[1]: found 'K/T CHÁNH VĂN PHÒNG', expected 'KT. CHÁNH VĂN PHÒNG' "
      "(state style: TM., KT., TL., TUQ., Q.)")),
    ("[TL. CHỦ TỊCH, KT. Chánh văn phòng]", 18,
     "signature.authority[1]: found 'KT. Chánh văn phòng', expected 'KT. CHÁNH VĂN PHÒNG'"),
    ("[TL. CHỦ TỊCH, CHÁNH VĂN PHÒNG]", 18,
     "signature.authority[1]: found 'CHÁNH VĂN PHÒNG', expected one of TM., KT., TL., TUQ., Q. (state style)"),
    ("[]", 18, "signature.authority: found an empty list, expected the signing authority"),
])
def test_each_authority_line_is_checked_in_the_style_forms(write_source, authority, line, expected):
    path = write_source(STATE_MINIMAL.replace("  authority: TL. CHỦ TỊCH\n", f"  authority: {authority}\n"))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}:{line}: {expected}" in result.output
    assert "Traceback" not in result.output


def test_block_list_of_authority_lines_names_the_line_of_the_bad_one(write_source):
    text = STATE_MINIMAL.replace("  authority: TL. CHỦ TỊCH\n",
                                 "  authority:\n    - TL. CHỦ TỊCH\n    - KT CHÁNH VĂN PHÒNG\n")
    path = write_source(text)
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"Error: {path}:20: signature.authority[1]: found 'KT CHÁNH VĂN PHÒNG', expected one of TM., KT., TL., "
        "TUQ., Q. (state style), then the title in upper case")


# -- the closing in the .docx --------------------------------------------------------------

def _body_xml(path: Path):
    from .conftest import part_xml

    return part_xml(path, "word/document.xml").find(f"{W}body")


def test_closing_row_never_splits_and_signature_lines_keep_together(seed_docx):
    body = _body_xml(seed_docx)
    closing = body.findall(f"{W}tbl")[-1]
    assert closing.find(f"{W}tr/{W}trPr/{W}cantSplit") is not None
    cell = closing.findall(f"{W}tr/{W}tc")[1]
    paras = cell.findall(f"{W}p")
    texts = ["".join(t.text for t in p.iter(f"{W}t")) for p in paras]
    assert texts[0] == "PHÓ BÍ THƯ TT HUYỆN ỦY" and texts[-1] == "Đinh Thị Mỹ Hảo"
    # Every line down to the room for the signature keeps with the next; the name ends the block.
    assert all(p.find(f"{W}pPr/{W}keepNext") is not None for p in paras[:-1])


@pytest.mark.parametrize("closing, keeps", [
    # opening "... như sau:", "1. UBND huyện:" (both announce what follows), 3 tasks, the gap before the table
    (None, [True, True, False, False, True, True]),
    # "1. UBND huyện:", 3 tasks, the closing sentence, the gap
    ("Ban Chỉ đạo thông báo để các đơn vị biết, thực hiện.", [True, False, False, True, True, True]),
])
def test_the_last_lines_of_the_body_go_with_the_closing(write_source, tmp_path, closing, keeps):
    text = MINIMAL.replace(SHORT_TASK, SHORT_TASK * 3)
    if closing:
        text = text.replace("recipients:", f"closing: {closing}\nrecipients:")
    out, _ = api.render_file(write_source(text), tmp_path / "n.docx")
    blocks = list(_body_xml(out))
    closing_at = max(i for i, el in enumerate(blocks) if el.tag == f"{W}tbl")
    gap = blocks[closing_at - 1]
    assert "".join(t.text for t in gap.iter(f"{W}t")) == ""
    body = blocks[closing_at - 1 - 5:closing_at - 1]  # opening, the conclusion's line, its 3 tasks (+ closing)
    assert [p.find(f"{W}pPr/{W}keepNext") is not None for p in (*body, gap)] == keeps
    if closing:
        assert "".join(t.text for t in body[-1].iter(f"{W}t")) == closing


def test_document_ends_in_a_one_point_paragraph_after_the_closing(seed_docx):
    body = _body_xml(seed_docx)
    *_, table, last, sect = list(body)
    assert (table.tag, last.tag, sect.tag) == (f"{W}tbl", f"{W}p", f"{W}sectPr")
    assert last.find(f"{W}r") is None
    spacing = last.find(f"{W}pPr/{W}spacing")
    assert (spacing.get(f"{W}before"), spacing.get(f"{W}after"), spacing.get(f"{W}line"),
            spacing.get(f"{W}lineRule")) == ("0", "0", "20", "exact")
    assert last.find(f"{W}pPr/{W}rPr/{W}sz").get(f"{W}val") == "2"


@pytest.mark.parametrize("profile", [PARTY, STATE])
def test_recipient_lines_hang_under_their_text(profile, seed_docx, write_source, tmp_path):
    out, _ = api.render_file(write_source(MINIMAL if profile is PARTY else STATE_MINIMAL), tmp_path / "n.docx")
    closing = docx.Document(str(out)).tables[-1]
    lines = closing.rows[0].cells[0].paragraphs[1:]
    hang = round(DASH_SPACE_EM * profile.recipient_pt * 20) / 20
    for p in lines:
        f = p.paragraph_format
        assert (round(f.left_indent.pt, 2), round(f.first_line_indent.pt, 2)) == (hang, -hang)


def test_headings_and_lines_that_announce_a_list_keep_with_the_next(write_source, tmp_path):
    text = MINIMAL.replace("opening:", "parts:\n  - heading: NHIỆM VỤ\n    conclusions:\n      - to: UBND huyện\n"
                           "        heading: Sở A\n        items:\n          - heading: \"Theo dõi:\"\n"
                           "            text: Báo cáo hằng tháng.\n          - text: Tổng hợp.\nopening:").replace(
        "conclusions:\n  - to: UBND huyện\n    tasks:\n      - Báo cáo **trước ngày 31/7/2023.**\n", "")
    out, _ = api.render_file(write_source(text), tmp_path / "n.docx")
    paras = [p for p in docx.Document(str(out)).paragraphs if p.style.name.startswith("TB ")]
    shown = [(p.text, bool(p.paragraph_format.keep_with_next)) for p in paras]
    assert shown == [("Hội nghị kết luận như sau:", True), ("I. NHIỆM VỤ", True), ("1. Sở A", False),
                     ("a) Theo dõi: Báo cáo hằng tháng.", False), ("b) Tổng hợp.", True)]


# -- the closing on the pages (LibreOffice) ----------------------------------------------------

LONG_RECIPIENT = "Các cơ quan chuyên môn, đơn vị sự nghiệp thuộc Ủy ban nhân dân huyện và các xã, thị trấn"


def _pages(pdf: Path) -> list[str]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    count = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    return [subprocess.run(["pdftotext", "-f", str(k), "-l", str(k), str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout for k in range(1, count + 1)]


@needs_libreoffice
def test_on_every_length_the_closing_is_whole_with_body_lines_and_no_blank_page(write_source, tmp_path):
    """Party notices of 44 to 55 one-line tasks: the page break walks through the closing."""
    docs = []
    for n in range(44, 56):
        text = MINIMAL.replace(SHORT_TASK, SHORT_TASK * n).replace(
            "  - UBND huyện\n  - Lưu VT\n", f"  - UBND huyện\n  - {LONG_RECIPIENT}\n  - Lưu VT\n")
        out, _ = api.render_file(write_source(text, f"n{n}.yaml"), tmp_path / f"n{n}.docx")
        docs.append(out)
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, docs)],
                   check=True, capture_output=True, timeout=600)
    closing_pages = set()
    for d in docs:
        pages = _pages(d.with_suffix(".pdf"))
        at = next(k for k, t in enumerate(pages) if "Nơi nhận" in t)
        page = pages[at]
        assert "Nguyễn Văn A" in page and "TRƯỞNG BAN" in page, d.name       # the block is whole
        assert "- Báo cáo trước" in page.split("Nơi nhận")[0], d.name        # body lines go with it
        assert at == len(pages) - 1, d.name                                      # nothing after it
        assert all(t.strip() for t in pages), d.name                             # no blank page
        closing_pages.add((len(pages), at))
    assert {(2, 1), (3, 2)} <= closing_pages  # the lengths do cross a page break


@needs_libreoffice
def test_a_long_recipient_line_wraps_under_its_text_not_under_the_dash(write_source, tmp_path):
    text = MINIMAL.replace("  - UBND huyện\n  - Lưu VT\n", f"  - UBND huyện\n  - {LONG_RECIPIENT}\n  - Lưu VT\n")
    out, _ = api.render_file(write_source(text), tmp_path / "n.docx")
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                   check=True, capture_output=True, timeout=300)
    ws, _, _ = words(out.with_suffix(".pdf"), 1)
    dash = phrase(ws, "- Các cơ quan")
    first = phrase(ws, "Các cơ quan")
    tail = next(w for w in ws if w.text == "trấn," and w.y0 > dash.y1 - 1)
    assert tail.y0 > dash.y1  # the line wraps
    second = min((w for w in ws if abs(w.y0 - tail.y0) < 2), key=lambda w: w.x0)  # its second line's first word
    assert isinstance(second, Word)
    assert abs(second.x0 - first.x0) < 1.0, (second, first)  # under the text
    assert second.x0 > dash.x0 + 4                             # not under the "-"
