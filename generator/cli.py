"""The ``thongbao`` command: a thin shell over generator.api.

Each command imports what it uses when it runs (generator.api brings docxtpl,
python-docx and lxml): ``thongbao tasks`` or ``--help`` never load them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__, i18n
from .cli_archive import COMMANDS as ARCHIVE_COMMANDS
from .cli_layout import check, templates
from .errors import Problem, SourceError, summarise
from .i18n import _, _l, counted, option

_force_option = option(
    "--force", is_flag=True,
    help=_l("Write over an existing file that thongbao did not make (never over the source, a link or a device)."))

i18n.translate_click()


def _warn(problems: list[Problem]) -> None:
    for line in summarise([str(p) for p in problems]):
        click.echo(_("Warning: {message}").format(message=line), err=True)


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """``--lang en``: English messages for this run (eager, so that --help is in it too)."""
    # Kept to the end of the run (errors are shown after the context closes); _Group.main starts
    # each run from the settings again.
    if value:
        i18n.choose(value)
        i18n.retranslate_click(ctx.command)


class _Group(click.Group):
    """The command group, with the web workspace's commands (serve, users) loaded when asked for;
    each run starts from the language the settings give (``--lang`` may then choose another).

    Importing them loads Flask and the whole workspace: 'thongbao render'
    should not pay for it on every start. They are listed (and run) only where
    Flask and ruamel.yaml are installed, as before.
    """

    LAZY = {"serve": ("generator.web.cli", "serve"), "users": ("generator.web.cli", "users")}

    def main(self, *args, **kwargs):
        i18n.choose(None)
        i18n.retranslate_click(self)
        return super().main(*args, **kwargs)

    @staticmethod
    def _web_available() -> bool:
        import importlib.util

        return all(importlib.util.find_spec(m) is not None for m in ("flask", "werkzeug", "ruamel"))

    def list_commands(self, ctx):
        lazy = list(self.LAZY) if self._web_available() else []
        return sorted({*super().list_commands(ctx), *lazy})

    def get_command(self, ctx, name):
        found = super().get_command(ctx, name)
        if found is not None or name not in self.LAZY or not self._web_available():
            return found
        import importlib

        module, attr = self.LAZY[name]
        try:
            found = getattr(importlib.import_module(module), attr)
        except ModuleNotFoundError as missing:  # pragma: no cover
            if missing.name not in ("flask", "werkzeug", "ruamel"):
                raise
            return None
        self.add_command(found, name)
        return found


@click.group(cls=_Group, help=_l("Turn meeting conclusions (YAML) into official Vietnamese notices (.docx)."))
@option("--lang", type=click.Choice(i18n.LANGUAGES), is_eager=True, expose_value=False,
              callback=_choose_language,
              help=_l("Language of messages: vi (default) or en; else THONGBAO_LANG, then the locale (LANG)."))
@click.version_option(__version__, prog_name="thongbao", message=_l("%(prog)s, version %(version)s"),
                      help=_l("Show the version and exit."), cls=i18n.LazyOption)
def main() -> None:
    pass


@main.command(help=_l("Render a notice source to a .docx ready to sign (and a PDF with --pdf)."))
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help=_l("Where to write the .docx (default: beside the source)."))
@option("--template", type=click.Path(dir_okay=False, path_type=Path),
              help=_l("A .docx template of your own (default: the built-in one for the notice's style)."))
@option("--pdf", is_flag=True,
              help=_l("Also write a PDF beside the .docx (LibreOffice; THONGBAO_SOFFICE=/path/to/soffice "
                      "if not on PATH)."))
@_force_option
def render(source: Path, output: Path | None, template: Path | None, pdf: bool, force: bool) -> None:
    if pdf:
        from . import pdf_api

        out, pdf_path, warnings = pdf_api.render_pdf(source, output, template, force=force)
        _warn(warnings)
        click.echo(str(out))
        click.echo(str(pdf_path))
        return
    from . import api

    out, warnings = api.render_file(source, output, template, force=force)
    _warn(warnings)
    click.echo(str(out))


main.add_command(templates)
main.add_command(check)
# serve and users (the web workspace, which needs Flask): loaded on demand by _Group.
for _command in ARCHIVE_COMMANDS:  # issue, history, diff, verify, register
    main.add_command(_command)


@main.command(help=_l("Check notice sources; print one line per problem."))
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(sources: tuple[Path, ...]) -> None:
    from . import api
    from .distribute import load_with_units
    from .units import find_directory

    problems: list[Problem] = []
    for src in sources:
        try:
            # With a units directory at hand, the units each conclusion names are checked too.
            units_file = find_directory(src) if src.exists() else None
            loaded = load_with_units(src, units_file) if units_file else api.load_notice(src)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        _warn(loaded.warnings)
        notice = loaded.notice
        counts = ([counted(len(notice.parts), "{n} part", "{n} parts")] if notice.parts else []) + [
            counted(len(notice.conclusions), "{n} conclusion", "{n} conclusions"),
            counted(len(notice.tasks), "{n} task", "{n} tasks")]
        click.echo(_("{source}: OK ({counts})").format(source=src, counts=", ".join(counts)))
    if problems:
        raise SourceError(problems)


@main.command(help=_l("Write one extract per unit concerned, plus the task list and deadline calendar."))
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help=_l("Folder for the extracts, tasks.csv, tasks.xlsx and deadlines.ics."))
@option("--units", type=click.Path(dir_okay=False, path_type=Path),
              help=_l("The units directory (default: the nearest units.yaml at or above the source)."))
@option("--template", type=click.Path(dir_okay=False, path_type=Path), help=_l("A .docx template of your own."))
@option("--form", type=click.Choice(["trich-sao", "trich"]), default="trich-sao", show_default=True,
              help=_l("trich-sao: a bản trích sao (the original's full format, then the copy block); trich: the older TRÍCH THÔNG BÁO."))
@option("--copy-body", help=_l("The body making the copies, e.g. \"VĂN PHÒNG\" (default: thongbao.ini [copies] body, else the issuing body)."))
@option("--copy-code", help=_l("Its abbreviation in the copy number, e.g. VP (Số: ../TrS-VP)."))
@option("--copy-date", callback=lambda ctx, p, v: _day("--copy-date")(ctx, p, v),
              help=_l("The day of copying (default: the notice's date)."))
@option("--config", type=click.Path(dir_okay=False, path_type=Path),
              help=_l("The settings file (default: the nearest thongbao.ini)."))
@option("--pdf", is_flag=True,
              help=_l("Also write each extract as PDF beside its .docx, all in one LibreOffice start."))
@_force_option
def extracts(source: Path, out_dir: Path, units: Path | None, template: Path | None, form: str,
             copy_body: str | None, copy_code: str | None, copy_date, config: Path | None, pdf: bool,
             force: bool) -> None:
    import unicodedata

    from .copies import CopySettings

    copy = CopySettings(
        body=(" ".join(unicodedata.normalize("NFC", copy_body).split()),) if copy_body else (),
        code=copy_code or "", date=copy_date)

    def progress(items):
        items = list(items)
        with click.progressbar(items, label=_("Extracts for the units"), file=sys.stderr,
                               item_show_func=lambda u: u.id if u else None) as bar:
            yield from bar

    options = {"force": force, "form": form, "copy": copy, "config": config}
    if pdf:
        from .pdf_api import extracts_pdf

        sent = extracts_pdf(source, out_dir, units, template, progress, **options)  # LibreOffice starts first
    else:
        from .distribute import write_extracts

        sent = write_extracts(source, out_dir, units, template, progress, **options)
    _warn(sent.warnings)
    dated = sum(1 for a in sent.assignments if a.deadline)
    click.echo(_("{extracts}, {tasks} ({dated} with a deadline) in {folder}").format(
        extracts=counted(len(sent.extracts), "{n} extract", "{n} extracts"),
        tasks=counted(len(sent.assignments), "{n} task", "{n} tasks"), dated=dated, folder=out_dir))
    for path in sent.files:
        click.echo(str(path))


@main.command("import", help=_l("Read a notice from Word (.docx, .doc, .odt) or text into a notice source (YAML)."))
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@option("-o", "--output", type=click.Path(path_type=Path),
              help=_l("The source to write (default: beside the file, .yaml); for a folder, the notices folder."))
@option("--units", type=click.Path(dir_okay=False, path_type=Path),
              help=_l("The units directory (default: the nearest units.yaml to the output)."))
@option("--add-units", is_flag=True, help=_l("Append names not in the units directory to it, as new units to check."))
def import_(path: Path, output: Path | None, units: Path | None, add_units: bool) -> None:
    from . import importer

    if path.is_dir():
        if output is None:
            raise click.UsageError(_("importing a folder needs -o FOLDER (e.g. -o notices/)"))

        def progress(files):
            with click.progressbar(files, label=_("Importing notices"), file=sys.stderr,
                                   item_show_func=lambda p: p.name if p else None) as bar:
                yield from bar

        batch = importer.import_folder(
            path, output, units=units, add_units=add_units, progress=progress,
            converting=lambda n: click.echo(_("LibreOffice: converting {n} .doc/.odt files to .docx ...").format(n=n),
                                            err=True))
        for result in batch.imported:
            for w in result.warnings:
                click.echo(_("Warning: {message}").format(message=f"{result.input}: {w}"), err=True)
            click.echo(result.summary)
        for _path, message in batch.failed:
            click.echo(_("Failed: {message}").format(message=message), err=True)
        click.echo(_("{imported} imported, {failed} failed, into {output}").format(
            imported=len(batch.imported), failed=len(batch.failed), output=output))
        if batch.failed and not batch.imported:
            sys.exit(1)
        return
    result = importer.import_file(path, output, units=units, add_units=add_units)
    for w in result.warnings:
        click.echo(_("Warning: {message}").format(message=f"{path}: {w}"), err=True)
    for name in result.units_added:
        click.echo(_("added to the units directory (check it): {name}").format(name=name), err=True)
    click.echo(result.summary)


def _day(option: str):
    def convert(ctx, param, value):
        from .tracking import parse_day

        return parse_day(value, option) if value else None

    return convert


@main.group(invoke_without_command=True,
            help=_l("Who owes what, over all notices of a folder; 'tasks done' records a report."))
@option("--notices", "folder", default="notices", show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help=_l("The folder of notice sources."))
@option("--units", type=click.Path(dir_okay=False, path_type=Path),
              help=_l("The units directory (default: units.yaml in the notices folder or above)."))
@option("--unit", help=_l("Only this unit (id or any of its names)."))
@option("--due-before", callback=_day("--due-before"), help=_l("Only tasks due before this date."))
@option("--overdue", is_flag=True, help=_l("Only tasks past their deadline and not reported."))
@option("--on", "on", callback=_day("--on"), help=_l("The day to judge deadlines on (default: today)."))
@option("--csv", "as_csv", is_flag=True, help=_l("Print CSV instead of a table."))
@click.pass_context
def tasks(ctx, folder: Path, units: Path | None, unit: str | None, due_before, overdue: bool, on,
          as_csv: bool) -> None:
    import datetime as dt

    ctx.ensure_object(dict)
    ctx.obj.update(folder=folder, units=units)
    if ctx.invoked_subcommand:
        return
    from .tracking import load_folder, select

    today = on or dt.date.today()
    data = load_folder(folder, units)
    _warn(data.warnings)
    rows = select(data, unit=unit, due_before=due_before, overdue_on=today if overdue else None, on=today)
    if as_csv:
        import csv
        import sys

        from .exports import COLUMNS
        from .exports import rows as export_rows

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([*COLUMNS, "status"])
        for r in rows:  # one row at a time: a thousand notices' rows never sit in memory twice
            writer.writerow([*export_rows([r.assignment])[0], r.status(today)])
        return
    from .tracking import paused_gc

    with paused_gc():
        _print_table(rows, today)


def _print_table(rows, today) -> None:
    import shutil

    if not rows:
        click.echo(_("No tasks."))
        return
    width = max(shutil.get_terminal_size((110, 20)).columns, 80)
    # A label and a status depend only on the deadline fields (and the reports), shared by many rows:
    # each is worked out once (the keys hold ids of objects that the rows keep alive).
    label_memo: dict[tuple, str] = {}
    status_memo: dict[tuple, str] = {}
    labels, statuses = [], []
    for r in rows:
        a = r.assignment
        key = (id(a.due), a.deadline)
        label = label_memo.get(key)
        if label is None:
            label = label_memo[key] = _deadline_label(a)
        labels.append(label)
        key = (id(a.due), a.deadline, id(r.received), r.reports)
        status = status_memo.get(key)
        if status is None:
            status = status_memo[key] = r.status(today)
        statuses.append(status)
    label_width = min(max(10, *map(len, labels)), 32)
    status_width = max(22, *map(len, statuses))
    current = None
    block: list[str] = []  # one unit's lines, printed together: a thousand notices print fast
    lines: dict[tuple, str] = {}  # a task's line is the same for every unit it is given to
    for r, deadline, status in zip(rows, labels, statuses):
        a = r.assignment
        if a.unit.id != current:
            if block:
                click.echo("\n".join(block))
                block = []
            current = a.unit.id
            click.echo(click.style(f"{a.unit.name} ({a.unit.id})", bold=True))
        key = (a.notice, a.conclusion, a.task, deadline, status, a.text)
        line = lines.get(key)
        if line is None:
            if len(deadline) > label_width:
                deadline = deadline[: label_width - 1] + "…"
            head = f"  {a.ref:<16} {deadline:<{label_width}}  {status:<{status_width}} "
            room = max(width - len(head) - 1, 20)
            text = a.text if len(a.text) <= room else a.text[: room - 1] + "…"
            line = lines[key] = head + text
        block.append(line)
    if block:
        click.echo("\n".join(block))
    units = len({r.assignment.unit.id for r in rows})
    click.echo(_("{tasks}, {units}").format(tasks=counted(len(rows), "{n} task", "{n} tasks"),
                                            units=counted(units, "{n} unit", "{n} units")))


def _deadline_label(a) -> str:
    """"31/07/2023", "quý III/2024", "hằng tháng, ngày 25", or an event as written."""
    if a.due is not None:
        return a.due.label()
    return f"{a.deadline:%d/%m/%Y}" if a.deadline else "-"


@tasks.command("done", help=_l("Record that a unit's report on a task was received."))
@option("--notice", required=True, help=_l("The notice's number and symbol, e.g. 103-TB/BCĐ (or 103)."))
@option("--unit", required=True, help=_l("The unit that reported (id or name)."))
@option("--task", "task", required=True, help=_l("Conclusion.task, e.g. 4.3; or 4 for all of conclusion 4."))
@option("--on", "on", callback=_day("--on"), help=_l("The day the report arrived (default: today)."))
@option("--note", default="", help=_l("A note kept with the record (e.g. the report's number)."))
@click.pass_context
def tasks_done(ctx, notice: str, unit: str, task: str, on, note: str) -> None:
    import datetime as dt

    from .tracking import RECEIVED_FILE, record_received

    folder = ctx.obj["folder"]
    fresh, already = record_received(folder, notice, unit, task, on or dt.date.today(), note, ctx.obj["units"])
    for r in fresh:
        click.echo(_("recorded: {unit} {notice} {task} received {day}").format(
            unit=r.unit_id, notice=r.notice, task=f"{r.conclusion}.{r.task}", day=f"{r.received_on:%d/%m/%Y}"))
    if already:
        click.echo(_("{n} already recorded, left as they were").format(n=already))
    click.echo(str(Path(folder) / RECEIVED_FILE))
