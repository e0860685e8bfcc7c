"""The rendered notice opens in LibreOffice and lays out as a notice (skipped without it)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(
    not (shutil.which("soffice") and shutil.which("pdftotext")),
    reason="LibreOffice and poppler-utils are not installed (.ci/run installs them)",
)


def test_notice_converts_to_pdf_with_its_text_in_reading_order(seed_docx, tmp_path):
    profile = tmp_path / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(seed_docx)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / "103.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 3
    first = pages[0]
    order = ["HUYỆN ỦY KON RẪY", "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 103-TB/BCĐ", "THÔNG BÁO", "-----", "Tại Hội nghị"]
    positions = [first.find(s) for s in order]
    assert all(p >= 0 for p in positions), positions
    # The two header columns share lines: the issuing body sits left of the Party heading.
    line = next(ln for ln in first.splitlines() if "ĐẢNG CỘNG SẢN VIỆT NAM" in ln)
    assert "HUYỆN ỦY KON RẪY" in line and line.index("HUYỆN") < line.index("ĐẢNG")
    assert first.index("Kon Rẫy, ngày 14 tháng 7 năm 2023") < first.index("THÔNG BÁO")
    assert "Có danh sách các cơ quan" in text  # footnote printed at a page foot
    last = [p for p in pages if p.strip()][-1]
    assert "Nơi nhận:" in last and "Đinh Thị Mỹ Hảo" in last
    # No page number on page 1, "2" centred on page 2.
    assert pages[1].strip().splitlines()[0].strip() == "2"
    assert not first.strip().splitlines()[0].strip().isdigit()


def test_every_extract_converts_cleanly(tmp_path):
    from generator.distribute import write_extracts

    from .conftest import SEED

    sent = write_extracts(SEED, tmp_path / "x")
    docs = [str(p) for p in sent.files if p.suffix == ".docx"]
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), *docs],
        check=True, capture_output=True, timeout=600,
    )
    for extract in sent.extracts:
        pdf = tmp_path / "pdf" / extract.filename.replace(".docx", ".pdf")
        text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
        # A bản trích sao (the default form): the copy block whole on the last page, after the original's closing.
        last = [page for page in text.split("\f") if page.strip()][-1]
        assert "TRÍCH SAO" in last and "TRÍCH THÔNG BÁO" not in text, extract.filename
        assert " ".join(f"- {extract.unit.name} (t/h),".split()) in " ".join(last.split()), extract.filename
        assert text.count("Đinh Thị Mỹ Hảo") == 2 and last.index("TRÍCH SAO") < last.rindex("Đinh Thị Mỹ Hảo")
