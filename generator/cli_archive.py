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
from .i18n import _, _l, ngettext, option

_archive_option = option(
    "--archive", type=click.Path(file_okay=False, path_type=Path),
    help=_l("The archive folder (default: thongbao.ini's [archive] path, else archive/ beside it or here)."))
_config_option = option(
    "--config", type=click.Path(dir_okay=False, path_type=Path),
    help=_l("The settings file (default: the nearest thongbao.ini)."))
_year_option = option("--year", type=click.IntRange(1900, 9999), help=_l("Only documents dated in this year."))


def _warn(lines: list[str]) -> None:
    for line in summarise(lines):
        click.echo(_("Warning: {message}").format(message=line), err=True)


@click.command(help=_l("Number (if needed), render and file a notice; print its number and the files filed."))
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@_archive_option
@_config_option
@option("--reason", help=_l("Why a changed source is issued again (a correction): files a new version."))
@option("--new", is_flag=True,
              help=_l("Issue an unnumbered source issued before from the same file as a new document."))
@option("--template", type=click.Path(dir_okay=False, path_type=Path),
              help=_l("A .docx template of your own (default: the built-in one for the notice's style)."))
@option("--units", type=click.Path(dir_okay=False, path_type=Path),
              help=_l("The units directory for the extracts (default: the nearest units.yaml)."))
def issue(source: Path, archive: Path | None, config: Path | None, reason: str | None, new: bool,
          template: Path | None, units: Path | None) -> None:
    from . import api

    result = api.issue_file(source, archive=archive, config=config, template=template, units=units,
                            reason=reason, new=new)
    _warn(result.warnings)
    for path in result.cleaned:
        click.echo(_("Removed what an interrupted issue left: {path}").format(path=path), err=True)
    for path in result.completed:
        click.echo(_("Recorded in the register the version an interrupted issue had filed: {path}").format(path=path), err=True)
    if result.status == "unchanged":
        click.echo(_("{symbol}: unchanged since version {version}; nothing filed ({folder})").format(symbol=result.symbol, version=result.version, folder=result.folder))
        return
    given = result.number_assigned and result.version == 1
    click.echo((_("Issued {symbol} version {version} (number given now)") if given
                else _("Issued {symbol} version {version}")).format(symbol=result.symbol, version=result.version))
    for path in result.files:
        click.echo(str(path))
    if given:
        click.echo(_("To correct it later, add 'number: {number}' to {source} and issue it with --reason.").format(number=result.number, source=source),
                   err=True)


@click.command(help=_l("List the versions of an issued document (NUMBER: 103, 103-TB/BCĐ or 103-TB-BCD)."))
@click.argument("number")
@_archive_option
@_config_option
@_year_option
def history(number: str, archive: Path | None, config: Path | None, year: int | None) -> None:
    from . import api

    for line in api.archive_history(number, archive=archive, config=config, year=year).lines():
        click.echo(line)


_REMOVED = re.compile(r"\[-.*?-\]", re.DOTALL)
_ADDED = re.compile(r"\{\+.*?\+\}", re.DOTALL)


def _colour(line) -> str:
    """A ``DiffLine`` of the archive's diff, coloured by its kind: red for what went, green for what came
    (click drops the colours when not on a terminal)."""
    from .archive import history as h

    if line.kind in (h.REMOVED, h.OLD):
        return click.style(line.text, fg="red")
    if line.kind in (h.ADDED, h.NEW):
        return click.style(line.text, fg="green")
    if line.kind == h.HUNK:
        return click.style(line.text, fg="cyan")
    if line.kind == h.CHANGED:
        words = _REMOVED.sub(lambda m: click.style(m.group(0), fg="red"), str(line.values["diff"]))
        return line.said(diff=_ADDED.sub(lambda m: click.style(m.group(0), fg="green"), words))
    return line.text


@click.command(help=_l("Show what changed between two versions (default: the last two), paragraph by paragraph."))
@click.argument("number")
@click.argument("versions", nargs=-1, type=click.IntRange(min=1))
@_archive_option
@_config_option
@_year_option
def diff(number: str, versions: tuple[int, ...], archive: Path | None, config: Path | None,
         year: int | None) -> None:
    if len(versions) not in (0, 2):
        raise click.UsageError(_("V1 V2: found {n} version number(s), expected none or two").format(n=len(versions)))
    old, new = versions if versions else (None, None)
    from . import api

    for line in api.archive_diff(number, old, new, archive=archive, config=config, year=year):
        click.echo(_colour(line))


@click.command(help=_l("Recompute every hash of the archive; report files missing, changed or added (exit 1 if any)."))
@_archive_option
@_config_option
@option("--head", help=_l("The chain head printed on an exported register (e.g. 12:3f9a0c1d2e4b): check that the register still holds it."))
@option("--rebuild-register", "rebuild", is_flag=True,
              help=_l("First add to the register every filed version it lacks, from the manifests (after restoring an older register.sqlite3 from a backup)."))
def verify(archive: Path | None, config: Path | None, head: str | None, rebuild: bool) -> None:
    from . import api

    if rebuild:
        for path in api.rebuild_register(archive=archive, config=config):
            click.echo(_("Added to the register from its manifest: {path}").format(path=path))
    report = api.verify_archive(archive=archive, config=config, head=head)
    for finding in report.findings:
        click.echo(str(finding))
    if not report.ok:
        raise VerifyError(report.summary())
    click.echo(report.summary())


@click.command(help=_l("Write the outgoing register (sổ đăng ký văn bản đi) in its official columns."))
@option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help=_l("The file to write: .xlsx (to print) or .csv."))
@_year_option
@option("--body", help=_l("Only documents of this body code (e.g. BCĐ)."))
@_archive_option
@_config_option
@option("--force", is_flag=True, help=_l("Write over an existing file that thongbao did not make."))
def register(output: Path, year: int | None, body: str | None, archive: Path | None, config: Path | None,
             force: bool) -> None:
    from . import api

    count = api.export_register(output, archive=archive, config=config, year=year, body=body, force=force)
    click.echo(ngettext("{output} ({n} document)", "{output} ({n} documents)", count).format(output=output, n=count))


COMMANDS = (issue, history, diff, verify, register)


@click.group(help=_l("thongbao's archive commands, run on their own."))
def _standalone() -> None:
    pass


for _command in COMMANDS:
    _standalone.add_command(_command)

if __name__ == "__main__":
    _standalone(prog_name="python -m generator.cli_archive")
