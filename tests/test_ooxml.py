"""Valid for Word: every kind of .docx we write passes ooxml-check (Microsoft's Open XML SDK validator,
the ISO 29500 schemas, child order, package rules) with no finding (issue 8 §4).

The kit lives outside the repository: ../shared/tools/ooxml/ooxml-check beside the clone (as CI
checks it out), or where THONGBAO_OOXML_CHECK says. It needs Mono and Python's lxml (Debian packages,
.ci/run installs them); without them the test is skipped and says why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from generator import api
from generator.extracts import render_extracts
from generator.units import find_directory, load_directory

from .conftest import MINIMAL, ROOT, SEED

STATE_EXAMPLE = ROOT / "notices" / "2024" / "05-TB-UBND.yaml"


def ooxml_kit() -> tuple[Path | None, str]:
    """The kit's entry point, or None and why it cannot run."""
    setting = os.environ.get("THONGBAO_OOXML_CHECK")
    candidates = [ROOT.parent / "shared" / "tools" / "ooxml" / "ooxml-check"]
    if setting:
        candidates.insert(0, Path(setting))
    kit = next((c for c in candidates if c.is_file()), None)
    if kit is None:
        return None, (f"ooxml-check not found at {', '.join(map(str, candidates))} "
                      "(clone shared/ beside the repository or set THONGBAO_OOXML_CHECK)")
    if not shutil.which(os.environ.get("MONO", "mono")):
        return None, "mono is not installed (.ci/run installs the kit's Debian packages)"
    python = os.environ.get("PYTHON", "python3")
    if subprocess.run([python, "-c", "import lxml"], capture_output=True, check=False).returncode != 0:
        return None, f"{python} has no lxml (Debian: python3-lxml; .ci/run installs it)"
    return kit, ""


def ooxml_findings(paths: list[Path]) -> list[str]:
    """Run the kit on ``paths``; its findings, one line each. Fails if the SDK validator did not run."""
    kit, why = ooxml_kit()
    if kit is None:
        pytest.skip(why)
    done = subprocess.run([str(kit), "--json", *map(str, paths)], capture_output=True, text=True, timeout=900,
                          check=False)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert report["sdk"]["ran"], report["sdk"]
    assert len(report["files"]) == len(paths)
    return [f"{Path(f['file']).name}: [{f['check']}] {f['part']}: {f['element']}: {f['message']}"
            for f in report["findings"]]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> list[Path]:
    """One of each kind: notices of both styles, extracts of both, a stacked signature, the templates."""
    out = tmp_path_factory.mktemp("ooxml")
    paths = []
    for name, src in (("party", SEED), ("state", STATE_EXAMPLE)):
        path, _ = api.render_file(src, out / f"{name}.docx")
        paths.append(path)
        notice = api.load_notice(src).notice
        directory = load_directory(find_directory(src.parent))
        template = ROOT / "templates" / f"{notice.style}.docx"
        for extract in render_extracts(notice, directory, template)[:2]:
            target = out / f"{name}-{extract.filename}"
            target.write_bytes(extract.data)
            paths.append(target)
    stacked = out / "stacked.yaml"
    stacked.write_text(MINIMAL.replace("style: party", "style: state").replace("body_code: BCĐ", "body_code: VP")
                       .replace("  - Lưu VT\n", '  - "Lưu: VT, TH"\n')
                       .replace("  title: TRƯỞNG BAN\n", "  authority: [TL. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]\n"
                                                         "  title: PHÓ CHÁNH VĂN PHÒNG\n"), encoding="utf-8")
    paths.append(api.render_file(stacked, out / "stacked.docx")[0])
    paths.extend(sorted((ROOT / "templates").glob("*.docx")))
    return paths


def test_every_kind_of_output_is_valid_for_word(outputs):
    assert len(outputs) == 9
    assert ooxml_findings(outputs) == []


def test_the_kit_does_find_what_word_refuses(outputs, tmp_path):
    """A control: the table properties of the old templates (tblLayout twice, tblBorders after tblLook)."""
    import zipfile

    src = outputs[0]
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(src) as z, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as o:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(b'<w:tblLayout w:type="fixed"/>',
                                    b'<w:tblLayout w:type="fixed"/><w:tblLayout w:type="fixed"/>', 1)
            o.writestr(info, data)
    found = ooxml_findings([bad])
    assert any("duplicate child w:tblLayout" in f for f in found), found
