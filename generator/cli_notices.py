"""The commands on notice sources: validate, extracts, import and tasks (a thin shell over the library).

The ``thongbao`` group (generator/cli.py) loads this module when one of them runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .cli import _day, _force_option, _warn
from .commands import command_help, loading
from .errors import Problem, SourceError
from .i18n import _, _l, counted, option


@click.command(help=command_help("validate"))
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(sources: tuple[Path, ...]) -> None:
    with loading():
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


@click.command(help=command_help("extracts"))
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

    with loading():
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
        with loading():
            from .pdf_api import extracts_pdf

        sent = extracts_pdf(source, out_dir, units, template, progress, **options)  # LibreOffice starts first
    else:
        with loading():
            from .distribute import write_extracts

        sent = write_extracts(source, out_dir, units, template, progress, **options)
    _warn(sent.warnings)
    dated = sum(1 for a in sent.assignments if a.deadline)
    click.echo(_("{extracts}, {tasks} ({dated} with a deadline) in {folder}").format(
        extracts=counted(len(sent.extracts), "{n} extract", "{n} extracts"),
        tasks=counted(len(sent.assignments), "{n} task", "{n} tasks"), dated=dated, folder=out_dir))
    for path in sent.files:
        click.echo(str(path))


@click.command("import", help=command_help("import"))
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@option("-o", "--output", type=click.Path(path_type=Path),
              help=_l("The source to write (default: beside the file, .yaml); for a folder, the notices folder."))
@option("--units", type=click.Path(dir_okay=False, path_type=Path),
              help=_l("The units directory (default: the nearest units.yaml to the output)."))
@option("--add-units", is_flag=True, help=_l("Append names not in the units directory to it, as new units to check."))
def import_(path: Path, output: Path | None, units: Path | None, add_units: bool) -> None:
    with loading():
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


@click.group(invoke_without_command=True, help=command_help("tasks"))
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
    with loading():
        from .tracking import load_folder, paused_gc, select, select_lines

    today = on or dt.date.today()
    data = load_folder(folder, units)
    _warn(data.warnings)
    overdue_on = today if overdue else None
    if as_csv:
        import csv
        import sys

        from .exports import COLUMNS
        from .exports import rows as export_rows

        rows = select(data, unit=unit, due_before=due_before, overdue_on=overdue_on, on=today)
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow([*COLUMNS, "status"])
        for r in rows:  # one row at a time: a thousand notices' rows never sit in memory twice
            writer.writerow([*export_rows([r.assignment])[0], r.status(today)])
        return
    lines = select_lines(data, unit=unit, due_before=due_before, overdue_on=overdue_on, on=today)
    with paused_gc():
        _print_table(lines, today)


def _print_table(groups, today) -> None:
    """``groups``: (unit, lines) of tracking.select_lines, a line shared by the units it is listed for."""
    import itertools
    import shutil

    if not groups:
        click.echo(_("No tasks."))
        return
    width = max(shutil.get_terminal_size((110, 20)).columns, 80)
    # A label and a status depend only on the deadline fields (and the reports), shared by many lines:
    # each is worked out once (the keys hold ids of objects that the lines keep alive).
    label_memo: dict[tuple, str] = {}
    status_memo: dict[tuple, str] = {}
    shown: list[tuple] = []  # each line listed, once: (line, label, status)
    for r in dict.fromkeys(itertools.chain.from_iterable(lines for _unit, lines in groups)):  # each line once
        a = r.task
        key = (id(a.due), a.deadline)
        label = label_memo.get(key)
        if label is None:
            label = label_memo[key] = _deadline_label(a)
        key = (id(a.due), a.deadline, id(r.received), r.reports)
        status = status_memo.get(key)
        if status is None:
            status = status_memo[key] = r.status(today)
        shown.append((r, label, status))
    label_width = min(max(10, *(len(label) for _r, label, _s in shown)), 32)
    status_width = max(22, *(len(status) for _r, _l, status in shown))
    text: dict[int, str] = {}  # id(line) -> the line printed: the same for every unit it is listed for
    for r, deadline, status in shown:
        a = r.task
        if len(deadline) > label_width:
            deadline = deadline[: label_width - 1] + "…"
        head = f"  {a.ref:<16} {deadline:<{label_width}}  {status:<{status_width}} "
        room = max(width - len(head) - 1, 20)
        text[id(r)] = head + (a.text if len(a.text) <= room else a.text[: room - 1] + "…")
    for unit, lines in groups:  # one unit's lines printed together: a thousand notices print fast
        click.echo(click.style(f"{unit.name} ({unit.id})", bold=True))
        click.echo("\n".join(map(text.__getitem__, map(id, lines))))
    count = sum(len(lines) for _unit, lines in groups)
    units = len({unit.id for unit, _lines in groups})
    click.echo(_("{tasks}, {units}").format(tasks=counted(count, "{n} task", "{n} tasks"),
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

    with loading():
        from .tracking import RECEIVED_FILE, record_received

    folder = ctx.obj["folder"]
    fresh, already = record_received(folder, notice, unit, task, on or dt.date.today(), note, ctx.obj["units"])
    for r in fresh:
        click.echo(_("recorded: {unit} {notice} {task} received {day}").format(
            unit=r.unit_id, notice=r.notice, task=f"{r.conclusion}.{r.task}", day=f"{r.received_on:%d/%m/%Y}"))
    if already:
        click.echo(_("{n} already recorded, left as they were").format(n=already))
    click.echo(str(Path(folder) / RECEIVED_FILE))
