"""An issue killed part-way leaves no half version and no number used up without its files;
the next issue cleans up what it left and gives the same number, or, for a version already
placed whole, records it: a filed document is never removed or renumbered."""

from __future__ import annotations

import sqlite3

import pytest

from generator.archive.issue import FAULT_ENV, FAULT_EXIT
from generator.archive.verify import verify
from generator.cli_archive import verify as verify_cmd

from .archive_helpers import cli_process, invoke, issue_in, notice, tree, write


def registered_numbers(archive) -> list[int]:
    conn = sqlite3.connect(archive / "register.sqlite3")
    try:
        return [n for (n,) in conn.execute("SELECT number FROM documents ORDER BY number")]
    finally:
        conn.close()


@pytest.fixture
def archive(tmp_path):
    archive = tmp_path / "archive"
    issue_in(archive, write(tmp_path / "first.yaml", notice(number=7)))
    return archive


def killed(tmp_path, archive, point: str, source):
    proc = cli_process("issue", source, "--archive", archive, cwd=tmp_path, env={FAULT_ENV: point})
    out, err = proc.communicate()
    assert proc.returncode == FAULT_EXIT, (out, err)
    assert out == ""  # it never got to say it issued anything
    return proc


@pytest.mark.parametrize("point, left", [
    ("reserved", None),                                  # the number reserved, no file yet
    ("staged", ".staging"),                              # every file written, not yet in place
    ("placed", "documents/00002-08-TB-BCD"),             # in place, the rows not committed
])
def test_an_interrupted_first_issue_leaves_no_number_used_and_is_cleaned_up(tmp_path, archive, point, left):
    before = tree(archive / "documents")
    source = write(tmp_path / "new.yaml", notice(subject="kết luận mới"))
    killed(tmp_path, archive, point, source)

    assert registered_numbers(archive) == [7]
    assert {k: v for k, v in tree(archive / "documents").items() if k.startswith("00001-")} == before
    if left is None:
        assert verify(archive).ok
    else:
        assert any((archive / left).iterdir()) if left == ".staging" else (archive / left).is_dir()
        result = invoke(verify_cmd, "--archive", archive)
        assert result.exit_code == 1 and len(result.output.splitlines()) == 2  # one finding, the summary
        if point == "staged":
            assert "found what an interrupted issue left, expected nothing (the next 'thongbao issue' removes it)" \
                in result.output
        else:
            assert f"{archive / left / 'v1'}: found a version an interrupted issue filed but did not record, " \
                "expected its rows in the register (the next 'thongbao issue' adds them)" in result.output

    again = issue_in(archive, source)
    assert (again.symbol, again.version) == ("08-TB/BCĐ", 1)
    assert registered_numbers(archive) == [7, 8]
    if point == "placed":
        # Whole and in place: recorded as it was filed, never removed.
        assert again.status == "unchanged" and again.completed == [archive / left / "v1"]
        assert tree(archive / left) == {k[len("00002-08-TB-BCD/"):]: v for k, v in tree(archive / "documents").items()
                                        if k.startswith("00002-")}
    elif left is not None:
        assert again.status == "issued" and again.cleaned
    assert not any((archive / ".staging").iterdir())
    assert verify(archive).ok


@pytest.mark.parametrize("point", ["reserved", "staged", "placed"])
def test_an_interrupted_correction_leaves_version_1_alone_and_files_version_2_next_time(tmp_path, archive, point):
    source = write(tmp_path / "first.yaml", notice(number=7, task="Báo cáo **trước ngày 15/8/2023.**"))
    v1 = archive / "documents" / "00001-07-TB-BCD" / "v1"
    before = tree(v1)
    proc = cli_process("issue", source, "--archive", archive, "--reason", "Lùi hạn", cwd=tmp_path,
                       env={FAULT_ENV: point})
    proc.communicate()
    assert proc.returncode == FAULT_EXIT
    assert tree(v1) == before
    conn = sqlite3.connect(archive / "register.sqlite3")
    assert conn.execute("SELECT COUNT(*) FROM versions").fetchone() == (1,)
    conn.close()

    result = issue_in(archive, source, reason="Lùi hạn")
    assert result.version == 2 and tree(v1) == before
    assert verify(archive).ok


def test_a_crash_while_other_issues_render_costs_no_number_and_loses_no_document(tmp_path, archive):
    # Killed after its version was placed, before its rows were committed: that version is
    # whole, so it is recorded (by whichever issue comes next), never removed, never renumbered.
    crashing = cli_process("issue", write(tmp_path / "a.yaml", notice(subject="a")), "--archive", archive,
                           cwd=tmp_path, env={FAULT_ENV: "placed"})
    waiting = [cli_process("issue", write(tmp_path / f"b{k}.yaml", notice(subject=f"b{k}")), "--archive", archive,
                           cwd=tmp_path) for k in range(3)]
    crashing.communicate()
    outs = [p.communicate() for p in waiting]
    assert crashing.returncode == FAULT_EXIT and all(p.returncode == 0 for p in waiting), outs
    assert issue_in(archive, write(tmp_path / "c.yaml", notice(subject="c"))).number == 12
    assert registered_numbers(archive) == [7, 8, 9, 10, 11, 12]
    assert verify(archive).ok


@pytest.mark.parametrize("point", ["reserved", "staged"])
def test_a_number_held_by_a_killed_issue_is_given_next_so_the_register_has_no_gap(tmp_path, archive, point):
    # The others render beside it and go past its number; the next issue gets that number back.
    crashing = cli_process("issue", write(tmp_path / "a.yaml", notice(subject="a")), "--archive", archive,
                           cwd=tmp_path, env={FAULT_ENV: point})
    waiting = [cli_process("issue", write(tmp_path / f"b{k}.yaml", notice(subject=f"b{k}")), "--archive", archive,
                           cwd=tmp_path) for k in range(3)]
    crashing.communicate()
    outs = [p.communicate() for p in waiting]
    assert crashing.returncode == FAULT_EXIT and all(p.returncode == 0 for p in waiting), outs
    issue_in(archive, write(tmp_path / "c.yaml", notice(subject="c")))
    assert registered_numbers(archive) == [7, 8, 9, 10, 11]
    assert verify(archive).ok


def test_an_issue_killed_after_its_commit_is_filed_and_its_leftover_removed(tmp_path, archive):
    source = write(tmp_path / "new.yaml", notice(subject="kết luận mới"))
    killed(tmp_path, archive, "committed", source)
    assert registered_numbers(archive) == [7, 8]
    result = invoke(verify_cmd, "--archive", archive)
    assert result.exit_code == 1 and len(result.output.splitlines()) == 2
    assert "found what an interrupted issue left" in result.output
    again = issue_in(archive, source)
    assert (again.status, again.symbol) == ("unchanged", "08-TB/BCĐ") and again.cleaned
    assert verify(archive).ok
