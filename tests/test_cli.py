"""The thongbao command, driven through click's CliRunner and once as a real process."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import zipfile

import docx
import pytest
from click.testing import CliRunner

from generator.cli import main

from .conftest import MINIMAL, ROOT, SEED, damage_deflate


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_render_writes_the_notice_and_prints_its_path(tmp_path):
    out = tmp_path / "n.docx"
    result = run("render", str(SEED), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    assert zipfile.is_zipfile(out)


def test_render_defaults_to_a_docx_beside_the_source(tmp_path):
    src = tmp_path / "a.yaml"
    shutil.copy(SEED, src)
    result = run("render", str(src))
    assert result.exit_code == 0
    assert (tmp_path / "a.docx").is_file()


def test_validate_accepts_the_example():
    result = run("validate", str(SEED))
    assert result.exit_code == 0
    assert "OK (6 conclusions, 15 tasks)" in result.output


def test_validate_reports_errors_without_traceback(write_source):
    path = write_source(MINIMAL.replace("number: 7\n", ""))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {path}:1: number: found nothing")
    assert "Traceback" not in result.output


def test_failed_render_leaves_an_earlier_good_file_untouched(write_source, tmp_path):
    out = tmp_path / "n.docx"
    assert run("render", str(SEED), "-o", str(out)).exit_code == 0
    before = hashlib.sha256(out.read_bytes()).hexdigest()
    bad = write_source(MINIMAL.replace("date: 2023-07-14", "date: 2023-02-30"))
    result = run("render", str(bad), "-o", str(out))
    assert result.exit_code == 1
    assert hashlib.sha256(out.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["n.docx", "notice.yaml"]


def test_failed_render_writes_no_file(write_source, tmp_path):
    bad = write_source(MINIMAL.replace("name: Nguyễn Văn A", "name:"))
    out = tmp_path / "x.docx"
    assert run("render", str(bad), "-o", str(out)).exit_code == 1
    assert not out.exists()


def test_template_with_an_unknown_variable_is_a_clear_error(tmp_path, write_source):
    template = tmp_path / "mine.docx"
    document = docx.Document(str(ROOT / "templates" / "party.docx"))
    document.add_paragraph("{{ signer_nmae }}")
    document.save(str(template))
    result = run("render", str(write_source(MINIMAL)), "-o", str(tmp_path / "o.docx"), "--template", str(template))
    assert result.exit_code == 1
    assert f"Error: {template}: found 'signer_nmae' is undefined" in result.output
    assert not (tmp_path / "o.docx").exists()


def test_template_without_body_placeholder_is_a_clear_error(tmp_path, write_source):
    template = tmp_path / "mine.docx"
    document = docx.Document(str(ROOT / "templates" / "party.docx"))
    for p in document.paragraphs:
        if p.text == "{{ body }}":
            p._p.getparent().remove(p._p)
    document.save(str(template))
    result = run("render", str(write_source(MINIMAL)), "-o", str(tmp_path / "o.docx"), "--template", str(template))
    assert result.exit_code == 1
    assert "found 0 paragraphs holding {{ body }}, expected exactly one" in result.output


def test_template_that_is_not_a_docx_is_a_clear_error(tmp_path, write_source):
    template = tmp_path / "mine.docx"
    template.write_text("not a zip")
    result = run("render", str(write_source(MINIMAL)), "--template", str(template))
    assert result.exit_code == 1
    assert "expected a .docx template" in result.output


def test_template_damaged_inside_the_zip_is_one_line(tmp_path, write_source, seed_docx):
    template = damage_deflate(seed_docx, tmp_path / "mine.docx")
    result = run("render", str(write_source(MINIMAL)), "--template", str(template), "-o", str(tmp_path / "o.docx"))
    assert result.exit_code == 1
    assert result.output == (f"Error: {template}: found a damaged file (not a readable zip), "
                             "expected a .docx template\n")
    assert not (tmp_path / "o.docx").exists()
    shown = run("templates", "--dir", str(tmp_path))
    assert shown.exit_code == 1 and "Traceback" not in shown.output
    assert f"{template}: found a damaged file (not a readable zip), expected a .docx template" in shown.output


@pytest.mark.parametrize("content_types", [None, "<Types/>"])
def test_template_of_another_shape_is_one_line(tmp_path, write_source, content_types):
    # python-docx raised AttributeError on a [Content_Types].xml without its namespace: a traceback.
    template = tmp_path / "mine.docx"
    with zipfile.ZipFile(template, "w") as z:
        if content_types is not None:
            z.writestr("[Content_Types].xml", content_types)
        z.writestr("word/document.xml", "<a/>")
    result = run("render", str(write_source(MINIMAL)), "--template", str(template), "-o", str(tmp_path / "o.docx"))
    assert result.exit_code == 1
    assert result.output == (f"Error: {template}: found an unreadable file (a package python-docx cannot read), "
                             "expected a .docx template\n")
    shown = run("templates", "--dir", str(tmp_path))
    assert shown.exit_code == 1 and "a package python-docx cannot read" in shown.output
    assert not (tmp_path / "o.docx").exists()


def test_output_into_a_directory_is_refused(tmp_path, write_source):
    result = run("render", str(write_source(MINIMAL)), "-o", str(tmp_path))
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_installed_command_prints_one_line_and_exits_1(write_source):
    exe = shutil.which("thongbao")
    cmd = [exe] if exe else [sys.executable, "-c", "from generator.cli import main; main()"]
    bad = write_source(MINIMAL.replace("date: 2023-07-14", "date: 2023-02-30"))
    proc = subprocess.run([*cmd, "render", str(bad)], capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"Error: {bad}:6: date: found '2023-02-30', expected a real date as YYYY-MM-DD or D/M/YYYY"
    assert proc.stdout == ""


def test_help_lists_every_command_with_its_own_short_help():
    import click

    from generator.commands import COMMANDS, web_available

    result = run("--help")
    assert result.exit_code == 0, result.output
    listed = dict(line.split(None, 1) for line in result.output.split("Commands:\n", 1)[1].splitlines() if line.strip())
    expected = [name for name, c in COMMANDS.items() if web_available() or not c.web]
    assert sorted(listed) == sorted(expected)
    ctx = click.Context(main)
    for name, short in listed.items():
        command = main.get_command(ctx, name)  # the command itself, imported now
        assert short.strip() == command.get_short_help_str(80 - 6 - max(map(len, listed))), name
        assert run(name, "--help").exit_code == 0


def test_an_unknown_command_is_a_usage_error_naming_the_nearest():
    result = run("isue")
    assert result.exit_code == 2
    assert "Error: No such command 'isue'. Did you mean 'issue'?" in result.output
    assert "Traceback" not in result.output


def test_render_imports_neither_the_other_commands_nor_the_web_workspace(tmp_path):
    script = ("import sys\nfrom generator.cli import main\n"
              "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
              "print(' '.join(sorted(m for m in sys.modules if m.startswith(('generator', 'flask')))))")
    out = tmp_path / "n.docx"
    proc = subprocess.run([sys.executable, "-c", script, "render", str(SEED), "-o", str(out)],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    loaded = set(proc.stdout.splitlines()[-1].split())
    assert out.is_file() and "generator.api" in loaded
    assert not loaded & {"generator.cli_notices", "generator.cli_archive", "generator.cli_layout", "generator.web",
                         "generator.archive", "generator.docx.template_builder", "flask"}
