"""Writing never clobbers what the user did not mean, never leaves half a result; bad input is one line.

Issue 9, items 2, 3, 5, 6, 8, 9 and 10.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import time

import docx
import pytest

from generator import output
from generator.cli import main
from generator.output import made_by_us

from .archive_helpers import invoke, issue_in, notice, write
from .conftest import MINIMAL, ROOT, SEED

UNITS = ROOT / "notices" / "units.yaml"


def run(*args):
    return invoke(main, *args)


def one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines()
             if not line.startswith(("Trích gửi đơn vị", "Extracts for the units"))]  # the progress bar
    assert len(lines) == 1, result.output
    return lines[0]


@pytest.fixture
def source(tmp_path):
    return write(tmp_path / "notice.yaml", MINIMAL)


# Item 2: never over the source, a link, a FIFO, or a file we did not make --------------------------

def test_render_refuses_to_write_over_its_source(source):
    before = source.read_bytes()
    line = one_error_line(run("render", source, "-o", source))
    assert line == (f"Error: {source}: found the file {source} that this command reads, expected another file "
                    "to write to (-o elsewhere)")
    assert source.read_bytes() == before


def test_render_refuses_to_write_over_its_template(source, tmp_path):
    template = tmp_path / "mine.docx"
    shutil.copy(ROOT / "templates" / "party.docx", template)
    before = template.read_bytes()
    assert "that this command reads" in one_error_line(run("render", source, "--template", template, "-o", template))
    assert template.read_bytes() == before


def test_render_refuses_a_fifo_and_a_symlink(source, tmp_path):
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    assert one_error_line(run("render", source, "-o", fifo)) == (
        f"Error: {fifo}: found a FIFO (named pipe), expected a regular file to write to")
    assert fifo.is_fifo()
    precious = write(tmp_path / "precious.txt", "keep me")
    link = tmp_path / "link.docx"
    link.symlink_to(precious)
    assert one_error_line(run("render", source, "-o", link)) == (
        f"Error: {link}: found a symbolic link, expected a regular file to write (give the real path with -o)")
    assert link.is_symlink() and precious.read_text() == "keep me"


def test_render_refuses_a_docx_it_did_not_make_unless_forced(source, tmp_path):
    theirs = tmp_path / "theirs.docx"
    docx.Document().save(str(theirs))
    before = theirs.read_bytes()
    assert not made_by_us(theirs)
    assert one_error_line(run("render", source, "-o", theirs)) == (
        f"Error: {theirs}: found a file thongbao did not make, expected a new file or a .docx made by thongbao "
        "(--force to replace it)")
    assert theirs.read_bytes() == before
    result = run("render", source, "-o", theirs, "--force")
    assert result.exit_code == 0, result.output
    assert made_by_us(theirs)
    assert run("render", source, "-o", theirs).exit_code == 0  # ours now: rendered again freely


def test_render_refuses_any_other_existing_file(source, tmp_path):
    notes = write(tmp_path / "notes.txt", "meeting notes")
    assert "found a file thongbao did not make" in one_error_line(run("render", source, "-o", notes))
    assert notes.read_text() == "meeting notes"


def test_render_pdf_refuses_a_pdf_it_did_not_make_before_writing_anything(source, tmp_path):
    foreign = write(tmp_path / "notice.pdf", b"%PDF-1.4\n1 0 obj << /Producer (Scanner) >> endobj\n%%EOF\n")
    result = run("render", source, "--pdf")
    line = one_error_line(result)
    assert line.startswith(f"Error: {foreign}: found a file thongbao did not make") and "--force" in line
    assert not (tmp_path / "notice.docx").exists()
    assert foreign.read_bytes().startswith(b"%PDF-1.4\n1 0 obj")


def test_our_pdf_is_recognised_by_its_keywords(tmp_path):
    ours = write(tmp_path / "a.pdf", b"%PDF-1.4\n<< /Keywords <FEFF0074006800F4006E0067002C00200074006800"
                                      b"6F006E006700620061006F> >>\n")
    assert made_by_us(ours)
    assert not made_by_us(write(tmp_path / "b.pdf", b"%PDF-1.4\n<< /Keywords (mine) >>\n"))


def test_extracts_refuse_a_file_they_did_not_make_in_the_folder(tmp_path):
    src = shutil.copy(SEED, tmp_path / "103.yaml")
    out = tmp_path / "out"
    out.mkdir()
    theirs = write(out / "tasks.csv", "my own list\n")
    line = one_error_line(run("extracts", src, "-o", out, "--units", UNITS))
    assert line.startswith(f"Error: {theirs}: found a file thongbao did not make")
    assert sorted(p.name for p in out.iterdir()) == ["tasks.csv"]
    assert run("extracts", src, "-o", out, "--units", UNITS, "--force").exit_code == 0
    assert run("extracts", src, "-o", out, "--units", UNITS).exit_code == 0  # all ours now


def test_register_refuses_a_file_it_did_not_make(tmp_path):
    archive = tmp_path / "archive"
    issue_in(archive, write(tmp_path / "a.yaml", notice(number=3)))
    for name, data in (("so.csv", "a;b;c\n1;2;3\n"), ("so.xlsx", b"PK not ours")):
        theirs = write(tmp_path / name, data)
        line = one_error_line(run("register", "--archive", archive, "-o", theirs))
        assert line.startswith(f"Error: {theirs}: found a file thongbao did not make")
        assert run("register", "--archive", archive, "-o", theirs, "--force").exit_code == 0
        assert run("register", "--archive", archive, "-o", theirs).exit_code == 0


# Item 3: extracts are all or nothing ------------------------------------------------------------

@pytest.mark.parametrize("existing", [False, True], ids=["new-folder", "folder-with-earlier-extracts"])
def test_extracts_leave_the_folder_as_it_was_when_the_disk_fills(tmp_path, monkeypatch, existing):
    src = shutil.copy(SEED, tmp_path / "103.yaml")
    out = tmp_path / "out"
    if existing:
        assert run("extracts", src, "-o", out, "--units", UNITS).exit_code == 0
        (out / "old.txt").write_text("kept")
    before = {p.name: p.read_bytes() for p in out.iterdir()} if existing else None
    real, calls = os.fsync, []

    def full(fd):
        calls.append(fd)
        if len(calls) == 7:  # six extracts written, then the disk is full
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(os, "fsync", full)
    line = one_error_line(run("extracts", src, "-o", out, "--units", UNITS))
    assert line.startswith("Error: the disk is full: ")
    if existing:
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    else:
        assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["103.yaml", "out"] if existing else ["103.yaml"]


def test_a_read_only_folder_is_said_in_vietnamese(tmp_path, monkeypatch):
    # The operating system's "read-only file system" came in English inside the Vietnamese line.
    from click.testing import CliRunner

    src = shutil.copy(SEED, tmp_path / "103.yaml")

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "fsync", read_only)
    result = CliRunner().invoke(main, ["render", str(src), "-o", str(tmp_path / "out.docx")],
                                env={"THONGBAO_LANG": "vi"})
    assert result.exit_code == 1
    assert result.output == f"Lỗi: {tmp_path / 'out.docx'}: gặp ổ đĩa chỉ đọc, cần tệp ghi được\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["103.yaml"]


def test_a_failed_move_into_the_folder_puts_back_what_was_there(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "a.csv").write_bytes(b"old a")
    (out / "b.csv").write_bytes(b"old b")
    real, renames = os.rename, []

    def failing(src, dst):
        renames.append(dst)
        if str(dst).endswith("/out/b.csv") and len([d for d in renames if str(d).endswith("/out/b.csv")]) == 1:
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(os, "rename", failing)
    with pytest.raises(Exception, match="input/output error"):
        output.write_folder(out, {"a.csv": b"new a", "b.csv": b"new b"})
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"a.csv": b"old a", "b.csv": b"old b"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# Item 5: deep nesting is one line ----------------------------------------------------------------

DEEP = "style: party\nsubject: " + "[" * 500 + "]" * 500 + "\n"


@pytest.mark.parametrize("command", ["validate", "render", "tasks"])
def test_yaml_nested_500_deep_is_one_line(tmp_path, command):
    folder = tmp_path / "notices"
    deep = write(folder / "deep.yaml", DEEP)
    shutil.copy(UNITS, folder / "units.yaml")
    args = ("tasks", "--notices", folder) if command == "tasks" else (command, deep)
    assert one_error_line(run(*args)) == (f"Error: {deep}:2: found values nested more than 50 levels deep, "
                                          "expected a notice source (a few levels of fields and lists)")


def test_deep_block_nesting_is_one_line_too(tmp_path):
    deep = write(tmp_path / "deep.yaml", "style: party\n" + "".join(" " * k + f"k{k}:\n" for k in range(500))
                 + " " * 500 + "x: 1\n")
    assert "nested more than 50 levels deep" in one_error_line(run("validate", deep))


def test_an_alias_bomb_is_refused_without_expanding_it(tmp_path):
    # "Billion laughs": 9**12 values once expanded. The depth check walked every alias again
    # (minutes of CPU for 9**8); each node is now visited once, and the aliases are refused.
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{k}: &a{k} [{', '.join([f'*a{k - 1}'] * 9)}]" for k in range(1, 12)]
    bomb = write(tmp_path / "bomb.yaml", "\n".join(lines) + "\nb: [" + ", ".join(["*a11"] * 9) + "]\n")
    result = run("validate", bomb)
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = result.output.splitlines()
    assert len(errors) == 12 * 9
    assert all(f"{bomb}:" in line and "found a YAML alias (*name), expected the value written out" in line
               for line in errors), errors


# Item 6: a long subject ----------------------------------------------------------------------------

def test_a_subject_over_255_characters_renders_and_shortens_only_the_property(tmp_path):
    subject = "kết luận Hội nghị " + "về việc triển khai thực hiện nhiệm vụ " * 12 + "quý II/2023"
    assert len(subject) > 255
    src = write(tmp_path / "long.yaml", MINIMAL.replace("subject: kết luận Hội nghị giao ban", f"subject: {subject}"))
    out = tmp_path / "long.docx"
    result = run("render", src, "-o", out)
    assert result.exit_code == 0, result.output
    props = docx.Document(str(out)).core_properties
    assert len(props.subject) <= 255 and props.subject.endswith("…")
    assert subject.startswith(props.subject[:-1]) and len(props.title) <= 255
    text = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    assert " ".join(subject.split()) in " ".join(text.split())


def test_property_cut_never_splits_a_letter_from_its_accent():
    from generator.docx.render import property_value

    decomposed = "a" * 253 + "e\u0302\u0301" + "xyz"  # 'ế' written as e + two combining marks
    cut = property_value(decomposed)
    assert len(cut) <= 255 and cut == "a" * 253 + "…"
    assert property_value("ngắn") == "ngắn"


# Item 8: warnings once, a flood summed up ------------------------------------------------------------

def test_a_flood_of_warnings_is_summed_up(tmp_path):
    tasks = "\n".join(f"      - Việc {k} của của nhau" for k in range(100))
    src = write(tmp_path / "flood.yaml", MINIMAL.replace("      - Báo cáo **trước ngày 31/7/2023.**", tasks))
    result = run("validate", src)
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 21 and len(set(warnings)) == 21
    assert warnings[-1] == "Warning: ... and 80 more"


def test_the_same_warning_at_the_same_place_is_printed_once(tmp_path):
    src = write(tmp_path / "flood.yaml", MINIMAL.replace(
        "Báo cáo **trước ngày 31/7/2023.**", "Báo cáo " + "của của " * 5000 + "xong."))
    result = run("validate", src)
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning: ")]
    assert 1 <= len(warnings) <= 21 and len(set(warnings)) == len(warnings)


# Item 9: stale temporary files are cleaned up --------------------------------------------------------

def test_stale_temporary_files_of_ours_are_removed_at_the_next_write(source, tmp_path):
    dead_pid = 4_000_000  # above any pid_max: no such process
    dead = write(tmp_path / f".out.docx.{dead_pid}.abcd_123.tmp", b"half")
    old = write(tmp_path / ".out.docx.k3j_9x2q.tmp", b"half")  # written by an older thongbao
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    fresh = write(tmp_path / ".out.docx.zz12_abc.tmp", b"someone writing now")
    mine = write(tmp_path / ".notes.tmp", b"not ours")
    live = write(tmp_path / f".out.docx.{os.getppid()}.qwerty12.tmp", b"a live writer")
    result = run("render", source, "-o", tmp_path / "out.docx")
    assert result.exit_code == 0, result.output
    assert not dead.exists() and not old.exists()
    assert fresh.exists() and mine.exists() and live.exists()


# Item 10: the README says the size limit and why -----------------------------------------------------

def test_readme_states_the_source_size_limit_and_its_reason():
    from generator.source import MAX_SOURCE_BYTES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert MAX_SOURCE_BYTES == 5 * 1024 * 1024
    assert re.search(r"at most 5 MB[^.]*\.[^.]*(memory|real notice)", readme, re.DOTALL)


def test_nothing_is_written_into_the_archive(source, tmp_path):
    archive = tmp_path / "archive"
    folder = issue_in(archive, write(tmp_path / "a.yaml", notice(number=3))).folder
    filed = folder / "03-TB-BCD.docx"
    before = filed.read_bytes()
    for target in (filed, folder / "new.docx"):
        line = one_error_line(run("render", source, "-o", target, "--force"))
        assert line.startswith(f"Error: {target}: found a path inside the archive {archive}")
    line = one_error_line(run("extracts", shutil.copy(SEED, tmp_path / "103.yaml"), "-o", folder / "x",
                              "--units", UNITS))
    assert "found a path inside the archive" in line
    assert filed.read_bytes() == before and not (folder / "new.docx").exists() and not (folder / "x").exists()


@pytest.mark.parametrize("name, found", [("notice.txt", "a '.txt' extension"), ("notice", "no extension"),
                                         ("notice.doc", "a '.doc' extension")])
def test_render_refuses_an_output_not_named_docx(source, tmp_path, name, found):
    # A .docx written under another name opens in the wrong program (or not at all) and is sent as such.
    out = tmp_path / name
    line = one_error_line(run("render", source, "-o", out))
    assert line == f"Error: {out}: -o: found {found}, expected a file ending .docx"
    assert not out.exists()
    assert one_error_line(run("render", source, "-o", out, "--pdf")).endswith("expected a file ending .docx")
    assert not out.exists() and not out.with_suffix(".pdf").exists()
    assert run("render", source, "-o", tmp_path / "NOTICE.DOCX").exit_code == 0
