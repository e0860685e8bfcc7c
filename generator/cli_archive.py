"""The archive's commands: issue, history, diff, verify, register (a thin shell over generator.api).

The ``thongbao`` group registers them (``main.add_command``, see COMMANDS);
``python -m generator.cli_archive COMMAND ...`` runs them on their own.
"""

from __future__ import annotations

import re
from pathlib import Path

import click

from .archive.errors import VerifyError
from .errors import summarise

_archive_option = click.option(
    "--archive", type=click.Path(file_okay=False, path_type=Path),
    help="The archive folder (default: thongbao.ini's [archive] path, else archive/ beside it or here).")
_config_option = click.option(
    "--config", type=click.Path(dir_okay=False, path_type=Path),
    help="The settings file (default: the nearest thongbao.ini).")
_year_option = click.option("--year", type=click.IntRange(1900, 9999), help="Only documents dated in this year.")


def _warn(lines: list[str]) -> None:
    for line in summarise(lines):
        click.echo(f"Warning: {line}", err=True)


@click.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@_archive_option
@_config_option
@click.option("--reason", help="Why a changed source is issued again (a correction): files a new version.")
@click.option("--new", is_flag=True,
              help="Issue an unnumbered source issued before from the same file as a new document.")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path),
              help="A .docx template of your own (default: the built-in one for the notice's style).")
@click.option("--units", type=click.Path(dir_okay=False, path_type=Path),
              help="The units directory for the extracts (default: the nearest units.yaml).")
def issue(source: Path, archive: Path | None, config: Path | None, reason: str | None, new: bool,
          template: Path | None, units: Path | None) -> None:
    """Number (if needed), render and file a notice; print its number and the files filed."""
    from . import api

    result = api.issue_file(source, archive=archive, config=config, template=template, units=units,
                            reason=reason, new=new)
    _warn(result.warnings)
    for path in result.cleaned:
        click.echo(f"Removed what an interrupted issue left: {path}", err=True)
    for path in result.completed:
        click.echo(f"Recorded in the register the version an interrupted issue had filed: {path}", err=True)
    if result.status == "unchanged":
        click.echo(f"{result.symbol}: unchanged since version {result.version}; nothing filed ({result.folder})")
        return
    given = " (number given now)" if result.number_assigned and result.version == 1 else ""
    click.echo(f"Issued {result.symbol} version {result.version}{given}")
    for path in result.files:
        click.echo(str(path))
    if given:
        click.echo(f"To correct it later, add 'number: {result.number}' to {source} and issue it with --reason.",
                   err=True)


@click.command()
@click.argument("number")
@_archive_option
@_config_option
@_year_option
def history(number: str, archive: Path | None, config: Path | None, year: int | None) -> None:
    """List the versions of an issued document (NUMBER: 103, 103-TB/BCĐ or 103-TB-BCD)."""
    from . import api

    for line in api.archive_history(number, archive=archive, config=config, year=year).lines():
        click.echo(line)


_REMOVED = re.compile(r"\[-.*?-\]", re.DOTALL)
_ADDED = re.compile(r"\{\+.*?\+\}", re.DOTALL)


def _colour(line: str) -> str:
    """Red for what went, green for what came; click drops the colours when not on a terminal."""
    body = line.lstrip()
    if body.startswith(("-", "---")) or " removed: " in line:
        return click.style(line, fg="red")
    if body.startswith(("+", "+++")) or " added: " in line:
        return click.style(line, fg="green")
    if body.startswith("@@"):
        return click.style(line, fg="cyan")
    line = _REMOVED.sub(lambda m: click.style(m.group(0), fg="red"), line)
    return _ADDED.sub(lambda m: click.style(m.group(0), fg="green"), line)


@click.command()
@click.argument("number")
@click.argument("versions", nargs=-1, type=click.IntRange(min=1))
@_archive_option
@_config_option
@_year_option
def diff(number: str, versions: tuple[int, ...], archive: Path | None, config: Path | None,
         year: int | None) -> None:
    """Show what changed between two versions (default: the last two), paragraph by paragraph."""
    if len(versions) not in (0, 2):
        raise click.UsageError(f"V1 V2: found {len(versions)} version number(s), expected none or two")
    old, new = versions if versions else (None, None)
    from . import api

    for line in api.archive_diff(number, old, new, archive=archive, config=config, year=year):
        click.echo(_colour(line))


@click.command()
@_archive_option
@_config_option
@click.option("--head", help="The chain head printed on an exported register (e.g. 12:3f9a0c1d2e4b): "
                             "check that the register still holds it.")
@click.option("--rebuild-register", "rebuild", is_flag=True,
              help="First add to the register every filed version it lacks, from the manifests "
                   "(after restoring an older register.sqlite3 from a backup).")
def verify(archive: Path | None, config: Path | None, head: str | None, rebuild: bool) -> None:
    """Recompute every hash of the archive; report files missing, changed or added (exit 1 if any)."""
    from . import api

    if rebuild:
        for path in api.rebuild_register(archive=archive, config=config):
            click.echo(f"Added to the register from its manifest: {path}")
    report = api.verify_archive(archive=archive, config=config, head=head)
    for finding in report.findings:
        click.echo(str(finding))
    if not report.ok:
        raise VerifyError(report.summary())
    click.echo(report.summary())


@click.command()
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The file to write: .xlsx (to print) or .csv.")
@_year_option
@click.option("--body", help="Only documents of this body code (e.g. BCĐ).")
@_archive_option
@_config_option
@click.option("--force", is_flag=True, help="Write over an existing file that thongbao did not make.")
def register(output: Path, year: int | None, body: str | None, archive: Path | None, config: Path | None,
             force: bool) -> None:
    """Write the outgoing register (sổ đăng ký văn bản đi) in its official columns."""
    from . import api

    count = api.export_register(output, archive=archive, config=config, year=year, body=body, force=force)
    click.echo(f"{output} ({count} documents)")


COMMANDS = (issue, history, diff, verify, register)


@click.group()
def _standalone() -> None:
    """thongbao's archive commands, run on their own."""


for _command in COMMANDS:
    _standalone.add_command(_command)

if __name__ == "__main__":
    _standalone(prog_name="python -m generator.cli_archive")
