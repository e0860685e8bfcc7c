"""Issuing into the archive: versions, the manifest, no-ops, corrections, verify, history and diff."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat

import docx
import pytest

from generator import __version__, api
from generator.archive.errors import ArchiveError, IssueError
from generator.archive.files import EXTRACT, NOTICE, SOURCE, TEMPLATE, slug
from generator.archive.files import UNITS as UNITS_ROLE
from generator.archive.history import paragraph_diff, word_diff
from generator.archive.verify import verify
from generator.cli_archive import diff, history, issue
from generator.cli_archive import verify as verify_cmd
from generator.docx.text import paragraph_texts
from generator.errors import SourceError

from .archive_helpers import UNITS, invoke, issue_in, notice, tree, write
from .conftest import SEED

CHANGED_TASK = ("hiệu quả trên địa bàn, nêu rõ định hướng", "hiệu quả trên địa bàn huyện, nêu rõ định hướng")


@pytest.fixture
def archive(tmp_path):
    return tmp_path / "archive"


@pytest.fixture
def seed_copy(tmp_path):
    """The example notice in a notices folder of its own, with the units directory above it."""
    shutil.copy(UNITS, tmp_path / "units.yaml")
    path = tmp_path / "notices" / "103-TB-BCD.yaml"
    path.parent.mkdir()
    shutil.copy(SEED, path)
    return path


def manifest(folder):
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


# Version 1 ----------------------------------------------------------------------------------------

def test_first_issue_files_source_notice_extracts_and_manifest(archive, seed_copy):
    result = issue_in(archive, seed_copy)
    assert (result.status, result.symbol, result.version, result.number_assigned) == ("issued", "103-TB/BCĐ", 1, False)
    assert result.folder == archive / "documents" / "00001-103-TB-BCD" / "v1"
    m = manifest(result.folder)
    roles = [f["role"] for f in m["files"]]
    assert roles[:2] == [SOURCE, NOTICE] and roles.count(EXTRACT) == 25 and UNITS_ROLE in roles and TEMPLATE in roles
    assert (result.folder / "103-TB-BCD.yaml").read_bytes() == seed_copy.read_bytes()
    for f in m["files"]:
        assert sha(result.folder / f["name"]) == f["sha256"]
        assert (result.folder / f["name"]).stat().st_size == f["size"]
    assert sorted(p.name for p in result.folder.iterdir()) == sorted([f["name"] for f in m["files"]] + ["manifest.json"])


def test_manifest_holds_number_dates_signer_subject_recipients_versions_and_hashes(archive, seed_copy):
    m = manifest(issue_in(archive, seed_copy, reason=None).folder)
    assert (m["number"], m["symbol"], m["version"], m["reason"]) == (103, "103-TB/BCĐ", 1, None)
    assert m["date"] == "2023-07-14" and m["document_type"] == "THÔNG BÁO"
    assert m["signer"] == {"authority": None, "title": ["PHÓ BÍ THƯ TT HUYỆN ỦY", "kiêm", "TRƯỞNG BAN"],
                           "name": "Đinh Thị Mỹ Hảo"}
    assert m["subject"].startswith("kết luận Hội nghị giao ban") and m["recipients"][-1] == "Lưu VT"
    assert m["generator"] == {"name": "thongbao", "version": __version__}
    assert m["template"]["name"] == "party.docx"
    assert m["template"]["sha256"] == hashlib.sha256(api.template_for(api.load_notice(SEED).notice).read_bytes()).hexdigest()
    issued = m["issued_at"]
    assert issued[10] == "T" and (issued.endswith("Z") or issued[-6] in "+-")  # a time with its zone
    extract = next(f for f in m["files"] if f["role"] == EXTRACT)
    assert extract["unit"] == "ubnd-huyen" and extract["unit_name"].startswith("Ủy ban nhân dân")


def test_file_names_come_from_the_number_never_from_free_text(archive, tmp_path):
    source = write(tmp_path / "Thông báo: ../../etc (bản cuối).yaml", notice(number=4, body_code="Đ..X"))
    result = issue_in(archive, source)
    assert result.folder.parent.name == "00001-04-TB-D-X"
    assert all(p.parent == result.folder for p in result.files)
    assert {p.name for p in result.files} == {"04-TB-D-X.yaml", "04-TB-D-X.docx", "04-TB-D-X.template.docx",
                                              "manifest.json"}
    assert slug("103-TB/BCĐ") == "103-TB-BCD" and slug("///") == "X"


def test_filed_source_and_template_render_the_filed_notice_again(archive, seed_copy, tmp_path):
    folder = issue_in(archive, seed_copy).folder
    out = tmp_path / "again.docx"
    api.render_file(folder / "103-TB-BCD.yaml", out, folder / "103-TB-BCD.template.docx")
    assert out.read_bytes() == (folder / "103-TB-BCD.docx").read_bytes()


def test_an_unnumbered_source_is_filed_with_the_number_line_added(archive, tmp_path):
    given = notice().encode("utf-8")
    source = write(tmp_path / "draft.yaml", given)
    result = issue_in(archive, source)
    assert result.number_assigned and result.symbol == "01-TB/BCĐ"
    filed = (result.folder / "01-TB-BCD.yaml").read_bytes()
    assert filed == b"number: 1\n" + given
    assert source.read_bytes() == given  # the user's file is not touched
    m = manifest(result.folder)
    assert m["source"]["given_sha256"] == hashlib.sha256(given).hexdigest() and m["source"]["number_line_added"]
    out = tmp_path / "again.docx"
    api.render_file(result.folder / "01-TB-BCD.yaml", out, result.folder / "01-TB-BCD.template.docx")
    assert out.read_bytes() == (result.folder / "01-TB-BCD.docx").read_bytes()
    assert "Số 01-TB/BCĐ" in [p.text for p in docx.Document(str(out)).paragraphs + [
        p for t in docx.Document(str(out)).tables for c in t._cells for p in c.paragraphs]]


def test_next_number_follows_the_highest_issued_one(archive, tmp_path):
    issue_in(archive, write(tmp_path / "a.yaml", notice(number=103)))
    result = issue_in(archive, write(tmp_path / "b.yaml", notice(subject="kết luận khác")))
    assert result.symbol == "104-TB/BCĐ"


# Re-issuing ---------------------------------------------------------------------------------------

def test_issuing_an_unchanged_source_is_a_no_op_that_says_so(archive, tmp_path):
    source = write(tmp_path / "a.yaml", notice(number=5))
    first = issue_in(archive, source)
    before = tree(archive / "documents")
    again = issue_in(archive, source, reason="nothing")
    assert again.status == "unchanged" and again.version == 1 and again.folder == first.folder
    assert tree(archive / "documents") == before
    result = invoke(issue, source, "--archive", archive)
    assert result.exit_code == 0 and "05-TB/BCĐ: unchanged since version 1; nothing filed" in result.output


def test_reissuing_an_unnumbered_source_does_not_take_a_second_number(archive, tmp_path):
    source = write(tmp_path / "a.yaml", notice())
    issue_in(archive, source)
    again = issue_in(archive, source)
    assert again.status == "unchanged" and again.symbol == "01-TB/BCĐ"


def test_a_change_of_comments_only_is_no_new_version(archive, tmp_path):
    source = write(tmp_path / "a.yaml", notice(number=5))
    issue_in(archive, source)
    write(source, "# checked by the office\n" + notice(number=5))
    assert issue_in(archive, source).status == "unchanged"


def test_a_changed_source_without_reason_is_refused(archive, tmp_path):
    source = write(tmp_path / "a.yaml", notice(number=5))
    issue_in(archive, source)
    write(source, notice(number=5, task="Báo cáo **trước ngày 15/8/2023.**"))
    with pytest.raises(IssueError, match=r"a\.yaml: found a source that changes 05-TB/BCĐ \(version 1.*--reason"):
        issue_in(archive, source)
    result = invoke(issue, source, "--archive", archive)
    assert result.exit_code == 1 and result.output.startswith("Error: ") and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (archive / "documents" / "00001-05-TB-BCD" / "v2").exists()


def test_version_2_leaves_version_1_byte_identical(archive, seed_copy):
    v1 = issue_in(archive, seed_copy).folder
    before = tree(v1)
    mtimes = {p.name: p.stat().st_mtime_ns for p in v1.iterdir()}
    seed_copy.write_text(seed_copy.read_text(encoding="utf-8").replace(*CHANGED_TASK), encoding="utf-8")
    result = issue_in(archive, seed_copy, reason="Bổ sung địa bàn huyện")
    assert (result.status, result.version) == ("issued", 2)
    assert result.folder == v1.parent / "v2"
    assert tree(v1) == before
    assert {p.name: p.stat().st_mtime_ns for p in v1.iterdir()} == mtimes
    m2 = manifest(result.folder)
    assert m2["reason"] == "Bổ sung địa bàn huyện"
    assert m2["previous_manifest_sha256"] == sha(v1 / "manifest.json")
    assert verify(archive).ok


def test_filed_versions_are_read_only(archive, tmp_path):
    folder = issue_in(archive, write(tmp_path / "a.yaml", notice(number=5))).folder
    assert not stat.S_IMODE(folder.stat().st_mode) & 0o222
    assert all(not stat.S_IMODE(p.stat().st_mode) & 0o222 for p in folder.iterdir())


def test_reason_on_a_first_issue_is_refused(archive, tmp_path):
    with pytest.raises(IssueError, match="--reason: found a reason for the first issue of 05-TB/BCĐ"):
        issue_in(archive, write(tmp_path / "a.yaml", notice(number=5)), reason="why")
    assert not (archive / "documents").exists() or not any((archive / "documents").iterdir())


def test_an_empty_reason_is_refused(archive, tmp_path):
    source = write(tmp_path / "a.yaml", notice(number=5))
    with pytest.raises(IssueError, match="--reason: found an empty reason"):
        issue_in(archive, source, reason="  ")


def test_an_unnumbered_file_changed_after_its_issue_asks_for_its_number_or_new(archive, tmp_path):
    source = write(tmp_path / "draft.yaml", notice())
    issue_in(archive, source)
    write(source, notice(subject="kết luận Hội nghị khác"))
    with pytest.raises(IssueError, match=r"draft\.yaml: number: found no number .* expected 'number: 1' .* or --new"):
        issue_in(archive, source)
    assert issue_in(archive, source, new=True).symbol == "02-TB/BCĐ"


def test_adding_the_number_to_the_draft_then_correcting_makes_version_2(archive, tmp_path):
    source = write(tmp_path / "draft.yaml", notice())
    issue_in(archive, source)
    write(source, notice(number=1, task="Báo cáo **trước ngày 15/8/2023.**"))
    result = issue_in(archive, source, reason="Lùi thời hạn")
    assert (result.symbol, result.version) == ("01-TB/BCĐ", 2)
    assert manifest(result.folder)["number_assigned"] is True


def test_a_number_taken_by_another_body_is_refused(archive, tmp_path):
    issue_in(archive, write(tmp_path / "a.yaml", notice(number=5)))
    other = write(tmp_path / "b.yaml", notice(number=5, issuing_body="BAN CHỈ ĐẠO KHÁC"))
    with pytest.raises(IssueError, match=r"b\.yaml: number: found 5, already given to 05-TB/BCĐ of 14/07/2023"):
        issue_in(archive, other, reason="x")


def test_an_invalid_source_files_nothing(archive, tmp_path):
    source = write(tmp_path / "a.yaml", notice(number=5).replace("2023-07-14", "2023-02-30"))
    with pytest.raises(SourceError, match=r"a\.yaml:\d+: date: found '2023-02-30'"):
        issue_in(archive, source)
    assert not (archive / "documents").exists()


def test_a_missing_source_is_one_line(archive, tmp_path):
    result = invoke(issue, tmp_path / "nope.yaml", "--archive", archive)
    assert result.exit_code == 1 and result.output == f"Error: {tmp_path / 'nope.yaml'}: found no such file, " \
                                                      "expected a notice source (.yaml)\n"


def test_an_unknown_unit_is_refused_when_extracts_are_made(archive, seed_copy):
    seed_copy.write_text(seed_copy.read_text(encoding="utf-8").replace("to: UBND huyện", "to: UBND huyen X"),
                         encoding="utf-8")
    with pytest.raises(SourceError, match="unknown unit 'UBND huyen X'"):
        issue_in(archive, seed_copy)


def test_a_correction_without_the_units_directory_warns(archive, seed_copy, tmp_path):
    issue_in(archive, seed_copy)
    moved = tmp_path / "elsewhere" / "103.yaml"
    moved.parent.mkdir()
    moved.write_text(seed_copy.read_text(encoding="utf-8").replace(*CHANGED_TASK), encoding="utf-8")
    (tmp_path / "units.yaml").unlink()
    result = issue_in(archive, moved, reason="x")
    assert any("--units: found no units directory, where version 1 filed 25 extracts" in w for w in result.warnings)


def test_the_register_going_missing_stops_issue(archive, tmp_path):
    issue_in(archive, write(tmp_path / "a.yaml", notice(number=5)))
    (archive / "register.sqlite3").unlink()
    with pytest.raises(ArchiveError, match="found no register beside filed documents"):
        issue_in(archive, write(tmp_path / "b.yaml", notice(number=6)))


# Verify -------------------------------------------------------------------------------------------

@pytest.fixture
def filed(archive, tmp_path):
    source = write(tmp_path / "a.yaml", notice(number=5))
    folder = issue_in(archive, source).folder
    write(source, notice(number=5, task="Báo cáo **trước ngày 15/8/2023.**"))
    issue_in(archive, source, reason="Lùi thời hạn")
    return folder


def _writable(path):
    os.chmod(path.parent, 0o755)
    os.chmod(path, 0o644)


def test_verify_passes_an_untouched_archive(archive, filed):
    result = invoke(verify_cmd, "--archive", archive)
    assert result.exit_code == 0, result.output
    assert result.output == f"{archive}: OK (1 documents, 2 versions, 8 files checked)\n"


def test_verify_catches_one_changed_byte(archive, filed):
    docx_path = filed / "05-TB-BCD.docx"
    _writable(docx_path)
    data = bytearray(docx_path.read_bytes())
    data[len(data) // 2] ^= 1
    docx_path.write_bytes(bytes(data))
    result = invoke(verify_cmd, "--archive", archive)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{docx_path}: found a changed file (sha256 ")
    assert "as filed" in lines[0]
    assert lines[-1] == f"Error: {archive}: found 1 problem(s) in 1 documents, 2 versions, 8 files, expected none"


def test_verify_catches_a_changed_byte_in_every_filed_file(archive, filed):
    paths = sorted(p for p in (archive / "documents").rglob("*") if p.is_file())
    assert len(paths) == 8
    for path in paths:
        _writable(path)
        original = path.read_bytes()
        path.write_bytes(original[:-1] + bytes([original[-1] ^ 0x20]))
        # Stored once (archive/objects.py): a changed content shows in every version that holds it.
        assert [f.path for f in verify(archive).findings] == [p for p in paths if p.samefile(path)]
        path.write_bytes(original)
    assert verify(archive).ok


def test_verify_catches_a_missing_and_an_added_file(archive, filed):
    source = filed / "05-TB-BCD.yaml"
    _writable(source)
    source.unlink()
    (filed / "note.txt").write_text("x")
    (archive / "documents" / "stray").mkdir()
    report = verify(archive)
    found = {(f.path.name, f.found.split(" (")[0]) for f in report.findings}
    assert found == {("05-TB-BCD.yaml", "a missing file"), ("note.txt", "an added file, not in the register"),
                     ("stray", "an added folder, not in the register")}


def test_verify_catches_a_manifest_rewritten_to_match_a_changed_file(archive, filed):
    docx_path, man = filed / "05-TB-BCD.docx", filed / "manifest.json"
    for p in (docx_path, man):
        _writable(p)
    docx_path.write_bytes(docx_path.read_bytes() + b"\0")
    m = manifest(filed)
    for f in m["files"]:
        if f["name"] == docx_path.name:
            f["sha256"], f["size"] = sha(docx_path), docx_path.stat().st_size
    man.write_text(json.dumps(m), encoding="utf-8")
    names = {f.path.name for f in verify(archive).findings}
    assert names == {"05-TB-BCD.docx", "manifest.json"}


def test_verify_catches_a_register_row_changed_behind_its_triggers(archive, filed):
    import sqlite3

    conn = sqlite3.connect(archive / "register.sqlite3")
    conn.execute("DROP TRIGGER versions_no_update")
    conn.execute("DROP TRIGGER files_no_update")
    conn.execute("UPDATE versions SET subject = 'kết luận khác' WHERE version = 2")
    docx_path = filed / "05-TB-BCD.docx"
    _writable(docx_path)
    docx_path.write_bytes(b"forged")
    conn.execute("UPDATE files SET sha256 = ?, size = 6 WHERE version = 1 AND name = '05-TB-BCD.docx'",
                 (hashlib.sha256(b"forged").hexdigest(),))
    conn.commit()
    conn.close()
    found = sorted((f.path.parent.name, f.found.split(" (")[0]) for f in verify(archive).findings)
    assert found == [("archive", "no trigger files_no_update"),
                     ("archive", "no trigger versions_no_update"),
                     ("archive", "the hash chain broken at link 1"),
                     ("v1", "a register that disagrees with the manifest"),
                     ("v2", "a register that disagrees with the manifest")]


def test_verify_catches_a_removed_version_folder(archive, filed):
    from generator.output import remove_tree

    remove_tree(filed.parent / "v2")
    findings = verify(archive).findings
    assert [f.found for f in findings] == ["no folder for version 2 of 05-TB/BCĐ"]


def test_verify_without_a_register_is_one_line(tmp_path):
    result = invoke(verify_cmd, "--archive", tmp_path)
    assert result.exit_code == 1
    assert result.output == f"Error: {tmp_path}: found no register (register.sqlite3), expected an archive " \
                            "folder made by 'thongbao issue' (or --archive DIR)\n"


def test_archive_folder_comes_from_the_config_file(tmp_path, monkeypatch):
    write(tmp_path / "thongbao.ini", "[archive]\npath = filed\n")
    source = write(tmp_path / "notices" / "a.yaml", notice(number=5))
    monkeypatch.chdir(tmp_path / "notices")
    result = invoke(issue, source)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "filed" / "documents" / "00001-05-TB-BCD" / "v1").is_dir()
    assert invoke(verify_cmd).output.startswith(f"{tmp_path / 'filed'}: OK")


@pytest.mark.parametrize("ini,said", [
    # A NUL in the path was a ValueError traceback in issue and register.
    ("[archive]\npath = fi\0led\n", ":2: found control character U+0000, expected text without control characters"),
    ("[archive]\npath =\n", ":2: archive.path: found an empty value, expected a folder"),
])
def test_a_bad_archive_path_in_the_config_file_is_one_line(tmp_path, monkeypatch, ini, said):
    (tmp_path / "thongbao.ini").write_bytes(ini.encode())
    source = write(tmp_path / "notices" / "a.yaml", notice(number=5))
    monkeypatch.chdir(tmp_path / "notices")
    for result in (invoke(issue, source), invoke(verify_cmd)):
        assert result.exit_code == 1
        assert result.output == f"Error: {tmp_path / 'thongbao.ini'}{said}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notices", "thongbao.ini"]


def test_an_empty_archive_path_is_said_in_vietnamese(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from generator.cli import main

    (tmp_path / "thongbao.ini").write_text("[archive]\npath =\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["verify"], env={"THONGBAO_LANG": "vi"})
    assert result.output == f"Lỗi: {tmp_path / 'thongbao.ini'}:2: archive.path: gặp giá trị rỗng, cần một thư mục\n"


def test_archive_defaults_to_archive_folder_here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = write(tmp_path / "notices" / "a.yaml", notice(number=5))
    assert invoke(issue, source).exit_code == 0
    assert (tmp_path / "archive" / "register.sqlite3").is_file()


# History and diff ---------------------------------------------------------------------------------

def test_history_lists_versions_with_reason(archive, filed):
    assert invoke(history, "5-tb-bcd", "--archive", archive).output == invoke(history, "05-TB/BCĐ", "--archive", archive).output
    result = invoke(history, "05-TB/BCD", "--archive", archive)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "05-TB/BCĐ  THÔNG BÁO kết luận Hội nghị giao ban"
    assert lines[2].startswith("  version 1  ") and lines[2].endswith("  issued")
    assert lines[4].startswith("  version 2  ") and lines[4].endswith("  correction: Lùi thời hạn")
    assert lines[5].strip() == str(filed.parent / "v2")


def test_history_of_an_unknown_number_is_one_line(archive, filed):
    result = invoke(history, "99", "--archive", archive)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {archive}: NUMBER: found no document '99'")


def test_an_ambiguous_number_asks_for_the_symbol(archive, tmp_path, filed):
    issue_in(archive, write(tmp_path / "bc.yaml", notice(number=5, type_code="BC")))
    result = invoke(history, "5", "--archive", archive)
    assert result.exit_code == 1 and "found 2 documents for '5'" in result.output
    assert invoke(history, "05-BC/BCĐ", "--archive", archive).exit_code == 0


def test_diff_shows_the_one_changed_paragraph_and_the_yaml_change(archive, seed_copy):
    issue_in(archive, seed_copy)
    seed_copy.write_text(seed_copy.read_text(encoding="utf-8").replace(*CHANGED_TASK), encoding="utf-8")
    issue_in(archive, seed_copy, reason="Bổ sung")
    result = invoke(diff, "103", "--archive", archive)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "103-TB-BCD.docx: 1 paragraph differs" in out
    changed = [ln for ln in out.splitlines() if "paragraph" in ln and "changed:" in ln]
    assert len(changed) == 1 and "[-bàn,-]{+bàn huyện,+}" in changed[0]
    assert "-        hiệu quả trên địa bàn, nêu rõ" in out and "+        hiệu quả trên địa bàn huyện, nêu rõ" in out
    assert "extracts: 25 changed (ubnd-huyen, ubmttq-huyen, ban-dan-van, ban-tuyen-giao and 21 more); 0 unchanged" in out
    assert invoke(diff, "103", "1", "2", "--archive", archive).output == out
    assert "only version 1" not in out


def test_diff_of_a_single_version_says_so(archive, tmp_path):
    issue_in(archive, write(tmp_path / "a.yaml", notice(number=5)))
    result = invoke(diff, "5", "--archive", archive)
    assert result.exit_code == 0 and result.output == "05-TB/BCĐ: only version 1 is filed; nothing to compare\n"


def test_diff_takes_none_or_two_versions(archive, filed):
    assert invoke(diff, "5", "1", "--archive", archive).exit_code == 2
    result = invoke(diff, "5", "1", "3", "--archive", archive)
    assert result.exit_code == 1 and "found version 3 of 05-TB/BCĐ, expected a version from 1 to 2" in result.output


def test_word_diff_marks_only_the_changed_words():
    assert word_diff("a b c d", "a b x d") == "a b [-c-]{+x+} d"
    long = " ".join(f"w{i}" for i in range(40))
    shown = word_diff(long, long.replace("w20", "W"))
    assert "[-w20-]{+W+}" in shown and shown.startswith("… ") and shown.endswith(" …") and "w1 " not in shown


def test_paragraph_diff_names_changed_removed_and_added_paragraphs():
    assert [(d.kind, d.text) for d in paragraph_diff(["a", "b x", "c"], ["a", "b y", "c", "d"])] == [
        ("changed", "paragraph 2 changed: b [-x-]{+y+}"), ("added", "paragraph 4 added: + d")]
    assert [(d.kind, d.text) for d in paragraph_diff(["a", "b"], ["b"])] == [("removed", "paragraph 1 removed: - a")]


def test_the_kind_of_a_diff_line_comes_from_the_diff_not_from_its_words(archive, tmp_path):
    # A paragraph whose own words read like the diff's labels ("paragraph 1 added: +", "- ...") is still
    # one changed paragraph; the source's lines are marked by the unified diff, not by what they say.
    first = write(tmp_path / "a.yaml", notice(number=5, task="Báo cáo **trước ngày 31/7/2023.**"))
    issue_in(archive, first)
    write(first, notice(number=5, task='"paragraph 1 added: + thêm - Báo cáo **trước ngày 15/8/2023.**"'))
    issue_in(archive, first, reason="- removed: - sửa")
    lines = api.archive_diff("5", archive=archive)
    kinds = {line.text.strip(): line.kind for line in lines}
    assert [k for k in kinds.values() if k in ("added", "removed")] == ["removed", "added"]   # the source's two lines
    [changed] = [line for line in lines if line.kind == "changed"]
    assert changed.text.endswith(" changed: {+- paragraph 1 added: + thêm +}- Báo cáo trước ngày [-31/7/2023.-]{+15/8/2023.+}")
    assert [line.kind for line in lines][:4] == ["title", "version", "version", "file"]
    assert lines[2].text.endswith("; reason: - removed: - sửa")
    result = invoke(diff, "5", "--archive", archive)
    assert result.output == "".join(line.text + "\n" for line in lines)


def test_docx_text_includes_tables_and_footnotes(seed_docx):
    texts = paragraph_texts(seed_docx.read_bytes())
    assert "Số 103-TB/BCĐ" in texts and "- Lưu VT." in texts
    assert texts[-1].startswith("[footnote] (2) Chương trình mục tiêu quốc gia")


def test_issue_prints_the_number_and_every_path_filed(archive, tmp_path):
    source = write(tmp_path / "draft.yaml", notice())
    result = invoke(issue, source, "--archive", archive)
    assert result.exit_code == 0, result.output
    folder = archive / "documents" / "00001-01-TB-BCD" / "v1"
    assert result.stdout.splitlines() == [
        "Issued 01-TB/BCĐ version 1 (number given now)",
        *(str(folder / n) for n in ("01-TB-BCD.yaml", "01-TB-BCD.docx", "01-TB-BCD.template.docx", "manifest.json")),
    ]
    assert f"add 'number: 1' to {source}" in result.stderr
