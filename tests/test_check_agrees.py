"""`check` agrees with what we make (issue 8 §5): every document `render` and `extracts` write passes it,
an extract keeping the original's footnote marks (2), (9) too; a stacked signature passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import api
from generator.check import check_file
from generator.cli import main
from generator.extracts import render_extracts
from generator.units import find_directory, load_directory

from .conftest import MINIMAL, ROOT, SEED, W, part_xml

STATE_EXAMPLE = ROOT / "notices" / "2024" / "05-TB-UBND.yaml"

UNITS = """\
units:
  - {id: a, name: Phòng A}
  - {id: b, name: Phòng B}
"""

# Nine footnotes; Phòng B's conclusions (1 and 3) refer to notes 2 and 9 only.
NINE_NOTES = MINIMAL.replace(
    "opening: \"Hội nghị kết luận như sau:\"\n",
    "opening: \"Hội nghị[^n1] kết luận như sau:\"\n").replace(
    """  - to: UBND huyện
    tasks:
      - Báo cáo **trước ngày 31/7/2023.**
""", """  - to: Phòng B
    tasks:
      - Rà soát[^n2] **trước ngày 31/7/2023.**
  - to: Phòng A
    tasks:
      - Báo cáo[^n3][^n4][^n5] **trước ngày 31/7/2023.**
      - Tổng hợp[^n6][^n7][^n8].
  - to: Phòng B
    tasks:
      - Kiểm tra[^n9].
""").replace("recipients:", "footnotes:\n" + "".join(f"  n{k}: Ghi chú {k}.\n" for k in range(1, 10))
             + "recipients:")


def findings(path: Path) -> list[str]:
    return [str(p) for p in check_file(path).findings]


@pytest.mark.parametrize("source", [SEED, STATE_EXAMPLE], ids=["party", "state"])
def test_every_extract_of_the_examples_passes_check(source, tmp_path):
    notice = api.load_notice(source).notice
    directory = load_directory(find_directory(source.parent))
    extracts = render_extracts(notice, directory, ROOT / "templates" / f"{notice.style}.docx")
    assert len(extracts) > 5
    for e in extracts:
        path = tmp_path / e.filename
        path.write_bytes(e.data)
        assert findings(path) == [], e.filename


def test_an_extract_keeping_marks_2_and_9_passes_check(tmp_path):
    (tmp_path / "units.yaml").write_text(UNITS, encoding="utf-8")
    src = tmp_path / "n.yaml"
    src.write_text(NINE_NOTES.replace("  - UBND huyện\n  - Lưu VT", "  - Phòng A\n  - Phòng B\n  - Lưu VT"),
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["extracts", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    b = tmp_path / "out" / "07-tb-bcd_b.docx"
    notes = part_xml(b, "word/footnotes.xml")
    marks = ["".join(t.text for t in fn.iter(f"{W}t")).split(" ")[0]
             for fn in notes.iter(f"{W}footnote") if not fn.get(f"{W}type")]
    assert marks == ["(1)", "(2)", "(9)"]  # the opening's note, then Phòng B's, with the original marks
    result = CliRunner().invoke(main, ["check", str(b), str(tmp_path / "out" / "07-tb-bcd_a.docx")])
    assert result.exit_code == 0, result.output


def test_a_notice_with_marks_out_of_order_still_fails(tmp_path):
    (tmp_path / "units.yaml").write_text(UNITS, encoding="utf-8")
    src = tmp_path / "n.yaml"
    src.write_text(NINE_NOTES.replace("  - UBND huyện\n  - Lưu VT", "  - Phòng A\n  - Phòng B\n  - Lưu VT"),
                   encoding="utf-8")
    CliRunner().invoke(main, ["extracts", str(src), "-o", str(tmp_path / "out"), "--form", "trich"])
    b = tmp_path / "out" / "07-tb-bcd_b.docx"
    # The same marks in a notice that is no TRÍCH: (2) must be (2), so (9) as the third note is wrong.
    from .test_check import planted

    plain = planted(b, tmp_path / "plain.docx", ("TRÍCH THÔNG BÁO", "THÔNG BÁO"))
    assert any("the mark '(9)' for note 3" in f and "expected the custom mark '(3)'" in f for f in findings(plain))
    # In the extract, a mark going back is found.
    back = planted(b, tmp_path / "back.docx", ('<w:t>(9)</w:t>', '<w:t>(1)</w:t>'))
    assert any("the mark '(1)' for note 3" in f and "increasing order" in f for f in findings(back))


def test_a_stacked_signature_passes_check(tmp_path):
    from .test_closing import STACKED

    src = tmp_path / "s.yaml"
    src.write_text(STACKED, encoding="utf-8")
    out, _ = api.render_file(src, tmp_path / "s.docx")
    assert findings(out) == []
    from .test_check import planted

    wrong = planted(out, tmp_path / "wrong.docx", ("KT. CHÁNH VĂN PHÒNG", "K/T CHÁNH VĂN PHÒNG"))
    assert f"{wrong}: authority: found 'K/T CHÁNH VĂN PHÒNG', expected 'KT.' (state style: TM., KT., TL., TUQ., " \
           "Q.)" in findings(wrong)
