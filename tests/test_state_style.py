"""The State style (NĐ 30/2020): the example renders with its own header, number, closing and signature."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from generator import api
from generator.cli_layout import templates
from generator.context import CONTEXT_KEYS, number_symbol
from generator.errors import SourceError, TemplateError
from generator.profile import MM_PER_PT, MOTTO_BOLD_EM, STATE

from .conftest import MINIMAL, ROOT, W, body_paragraphs

STATE_EXAMPLE = ROOT / "notices" / "2024" / "05-TB-UBND.yaml"
STATE_MINIMAL = (
    MINIMAL.replace("style: party", "style: state")
    .replace("issuing_body: BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG", "superior_body: UBND HUYỆN KON RẪY\nissuing_body: VĂN PHÒNG HĐND VÀ UBND")
    .replace("body_code: BCĐ", "body_code: VP")
    .replace("  - Lưu VT\n", '  - "Lưu: VT, TH"\n')
    .replace("  title: TRƯỞNG BAN\n", "  authority: TL. CHỦ TỊCH\n  title: CHÁNH VĂN PHÒNG\n")
)


@pytest.fixture(scope="module")
def state_docx(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("state") / "05.docx"
    api.render_file(STATE_EXAMPLE, out)
    return out


def _texts(cell) -> list:
    return [p for p in cell.paragraphs if p.text.strip()]


def test_state_header_has_the_national_heading_motto_and_number(state_docx):
    left, right = docx.Document(str(state_docx)).tables[0].rows[0].cells
    assert [p.text for p in _texts(left)] == ["ỦY BAN NHÂN DÂN", "HUYỆN KON RẪY", "Số: 05/TB-UBND"]
    for p in _texts(left)[:2]:
        assert p.runs[0].bold and p.runs[0].font.size == Pt(13)
    number = _texts(left)[2]
    assert not number.runs[0].bold and number.runs[0].font.size == Pt(13)
    # A short rule under the issuing body: an empty paragraph with a bottom border, between name and number.
    rule = next(p for p in left.paragraphs if not p.text and p._p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None)
    width = left.width.mm - 2 * STATE.cell_margin_mm
    assert width - rule.paragraph_format.left_indent.mm - rule.paragraph_format.right_indent.mm == pytest.approx(
        STATE.issuing_rule_mm, abs=0.2)
    heading, motto, date = _texts(right)
    assert heading.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert heading.runs[0].bold and heading.runs[0].font.size == Pt(13)
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.runs[0].bold and motto.runs[0].font.size == Pt(14)
    assert motto._p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None
    # The rule is as long as the text: the paragraph (between its indents) is the text's width plus a little.
    ruled = right.width.mm - 2 * STATE.cell_margin_mm - motto.paragraph_format.left_indent.mm \
        - motto.paragraph_format.right_indent.mm
    assert ruled == pytest.approx(MOTTO_BOLD_EM * 14 * MM_PER_PT, abs=2.5)
    assert date.text == "Kon Rẫy, ngày 05 tháng 02 năm 2024" and date.runs[0].italic


def test_state_title_subject_and_short_rule(state_docx):
    document = docx.Document(str(state_docx))
    paras = document.paragraphs
    k = next(i for i, p in enumerate(paras) if p.text == "THÔNG BÁO")
    assert paras[k].runs[0].bold and paras[k].runs[0].font.size == Pt(14)
    subject = paras[k + 1]
    assert subject.text.startswith("Kết luận của Chủ tịch Ủy ban nhân dân huyện") and subject.runs[0].bold
    rule = paras[k + 2]
    assert rule.text == "" and rule._p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None
    assert "-----" not in [p.text for p in paras]
    first = body_paragraphs_state(state_docx)[0]
    assert first.text.startswith("Ngày 01/02/2024, Chủ tịch Ủy ban nhân dân huyện")
    assert first.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY


def body_paragraphs_state(path: Path) -> list:
    paras = docx.Document(str(path)).paragraphs
    start = next(i for i, p in enumerate(paras) if p.text.startswith("Kết luận của")) + 2
    return [p for p in paras[start:] if p.text.strip()]


def test_state_closing_punctuation_and_signature_follow_the_style(state_docx):
    left, right = docx.Document(str(state_docx)).tables[-1].rows[0].cells
    heading, *lines = _texts(left)
    assert heading.text == "Nơi nhận:"
    assert heading.runs[0].bold and heading.runs[0].italic and not heading.runs[0].underline
    assert heading.runs[0].font.size == Pt(12)
    assert [p.text for p in lines] == [
        "- Như trên;", "- TT Huyện ủy (b/c);", "- TT HĐND huyện (b/c);", "- CT, các PCT UBND huyện;", "- Lưu: VT, NN.",
    ]
    assert all(p.runs[0].font.size == Pt(11) for p in lines)
    sig = _texts(right)
    assert [p.text for p in sig] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Bình"]
    assert all(p.runs[0].bold for p in sig)


def test_state_number_and_properties(state_docx):
    props = docx.Document(str(state_docx)).core_properties
    assert props.identifier == "Số: 05/TB-UBND"
    assert props.created.date().isoformat() == "2024-02-05"


def test_number_symbol_follows_the_style(write_source):
    state = api.load_notice(write_source(STATE_MINIMAL)).notice
    party = api.load_notice(write_source(MINIMAL, "p.yaml")).notice
    assert number_symbol(state) == "07/TB-VP"
    assert number_symbol(party) == "07-TB/BCĐ"


def test_state_governing_body_prints_upright_above_the_issuing_body(write_source, tmp_path):
    out, _ = api.render_file(write_source(STATE_MINIMAL), tmp_path / "x.docx")
    left = docx.Document(str(out)).tables[0].rows[0].cells[0]
    lines = _texts(left)
    assert [p.text for p in lines] == ["UBND HUYỆN KON RẪY", "VĂN PHÒNG HĐND VÀ UBND", "Số: 07/TB-VP"]
    assert not lines[0].runs[0].bold and lines[1].runs[0].bold
    right = docx.Document(str(out)).tables[-1].rows[0].cells[1]
    assert [p.text for p in _texts(right)][:2] == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]


BAD = {
    "party authority in a State notice": (
        STATE_MINIMAL.replace("TL. CHỦ TỊCH", "K/T CHỦ TỊCH"),
        ":18: signature.authority: found 'K/T CHỦ TỊCH', expected 'KT. CHỦ TỊCH' (state style: TM., KT., TL., TUQ., Q.)"),
    "State authority in a Party notice": (
        MINIMAL.replace("  title: TRƯỞNG BAN\n", "  authority: KT. TRƯỞNG BAN\n  title: PHÓ TRƯỞNG BAN\n"),
        ":17: signature.authority: found 'KT. TRƯỞNG BAN', expected 'K/T TRƯỞNG BAN' (party style: T/M, K/T, T/L)"),
    "unknown authority form": (
        MINIMAL.replace("  title: TRƯỞNG BAN\n", "  authority: THAY MẶT BAN\n  title: TRƯỞNG BAN\n"),
        ":17: signature.authority: found 'THAY MẶT BAN', expected one of T/M, K/T, T/L (party style)"),
    "authority not in upper case": (
        STATE_MINIMAL.replace("TL. CHỦ TỊCH", "TL. Chủ tịch"),
        ":18: signature.authority: found 'TL. Chủ tịch', expected 'TL. CHỦ TỊCH'"),
    "Party file copy in a State notice": (
        STATE_MINIMAL.replace('"Lưu: VT, TH"', "Lưu VT"),
        ":16: recipients[1]: found 'Lưu VT', expected 'Lưu: VT, <unit>' (the file copy line of the state style)"),
    "State file copy in a Party notice": (
        MINIMAL.replace("  - Lưu VT\n", '  - "Lưu: VT"\n'),
        ":15: recipients[1]: found 'Lưu: VT', expected 'Lưu VT' (the file copy line of the party style)"),
    "issuing body not in upper case": (
        MINIMAL.replace("BAN CHỈ ĐẠO CUỘC VẬN ĐỘNG", "Ban Chỉ đạo Cuộc vận động"),
        ":2: issuing_body: found 'Ban Chỉ đạo Cuộc vận động', expected upper case, as the header prints it"),
    "unknown style": (MINIMAL.replace("style: party", "style: nhà nước"), ":1: style: found 'nhà nước', expected one of: party, state"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_style_dependent_rules_give_one_clear_line(write_source, name):
    text, want = BAD[name]
    path = write_source(text)
    with pytest.raises(SourceError) as info:
        api.load_notice(path)
    lines = info.value.format_message().splitlines()
    assert len(lines) == 1 and lines[0].startswith(str(path)) and want in lines[0], lines


def test_unquoted_state_file_copy_line_is_read_as_text(write_source):
    text = STATE_MINIMAL.replace('"Lưu: VT, TH"', "Lưu: VT, TH")
    assert api.load_notice(write_source(text)).notice.recipients[-1] == "Lưu: VT, TH"


def test_committed_state_template_is_what_the_builder_makes():
    from generator.docx.template_builder import build

    assert (ROOT / "templates" / "state.docx").read_bytes() == build(STATE), (
        "templates/state.docx is stale: run python -m generator.docx.template_builder"
    )


# -- templates a user can bring ------------------------------------------------

def _user_template(folder: Path, name: str, extra: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    document = docx.Document(str(ROOT / "templates" / "state.docx"))
    if extra:
        document.add_paragraph(extra)
    path = folder / name
    document.save(str(path))
    return path


def test_templates_lists_built_in_and_user_templates(tmp_path):
    _user_template(tmp_path / "mine", "ubnd-xa.docx")
    result = CliRunner().invoke(templates, ["--dir", str(tmp_path / "mine")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert any(ln.startswith("built-in  party") and ln.endswith("party.docx  OK") for ln in lines)
    assert any(ln.startswith("built-in  state") and ln.endswith("state.docx  OK") for ln in lines)
    assert any(ln.startswith("user      state") and "ubnd-xa.docx  OK" in ln for ln in lines)


def test_templates_reads_the_folder_setting(tmp_path, monkeypatch):
    _user_template(tmp_path / "set", "from-setting.docx")
    monkeypatch.setenv("THONGBAO_TEMPLATES", str(tmp_path / "set"))
    result = CliRunner().invoke(templates, [])
    assert "from-setting.docx  OK" in result.output


def test_templates_names_an_unknown_variable_even_in_an_untaken_branch(tmp_path, write_source):
    bad = _user_template(tmp_path / "mine", "typo.docx", "{% if signature_authority %}{{ signer_nmae }}{% endif %}")
    result = CliRunner().invoke(templates, ["--dir", str(tmp_path / "mine")])
    assert result.exit_code == 1
    assert f"Error: {bad}: found 'signer_nmae' is undefined (did you mean 'signer_name'?), expected only the " \
           "variables of the template contract" in result.output
    # Rendering with it fails the same way although this notice has no authority (the branch is not taken).
    with pytest.raises(TemplateError, match=r"'signer_nmae' is undefined \(did you mean 'signer_name'\?\)"):
        api.render_file(write_source(MINIMAL), tmp_path / "o.docx", bad)
    assert not (tmp_path / "o.docx").exists()


def test_template_contract_is_documented_with_every_variable():
    doc = (ROOT / "README.md").read_text(encoding="utf-8")
    section = doc[doc.index("### The template contract"):doc.index("### PDF")]
    for key in CONTEXT_KEYS:
        assert f"`{key}`" in section, key


def test_party_body_is_unchanged_by_the_second_style(seed_docx):
    # The Party notice keeps its "*" and "-----" marks and its comma-separated recipients.
    document = docx.Document(str(seed_docx))
    assert "*" in [p.text for p in document.tables[0].rows[0].cells[0].paragraphs]
    assert "-----" in [p.text for p in document.paragraphs]
    assert body_paragraphs(seed_docx)[0].text.startswith("Tại Hội nghị")
