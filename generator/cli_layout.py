"""Commands for templates and layout: ``thongbao templates`` and ``thongbao check``.

Plain click commands; the ``main`` group in cli.py registers them
(``main.add_command(templates)``, ``main.add_command(check)``).
"""

from __future__ import annotations

from pathlib import Path

import click

from .errors import LayoutError, Problem, TemplateError
from .i18n import _, _l, ngettext, option
from .profile import PROFILES, style_name


@click.command(help=_l("List the built-in templates and yours; exit 1 if one of yours breaks the template contract."))
@option("--dir", "folders", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help=_l("A folder of your templates (default: $THONGBAO_TEMPLATES, else ~/.config/thongbao/templates)."))
def templates(folders: tuple[Path, ...]) -> None:
    from .user_templates import list_templates, user_folders

    listed = list_templates(folders)
    bad: list[str] = []
    for t in listed:
        status = _("OK") if t.ok else ngettext("{n} problem", "{n} problems", len(t.problems)).format(
            n=len(t.problems))
        origin = _("built-in") if t.origin == "built-in" else _("user")
        click.echo(f"{origin:<9} {t.style or '?':<6} {t.path}  {status}")
        bad.extend(f"{t.path}: {p}" for p in t.problems)
    if not any(t.origin == "user" for t in listed):
        where = ", ".join(str(f) for f in user_folders(folders))
        click.echo(_("(no templates of yours in {where}; use --template FILE with render, "
                     "or put .docx files there)").format(where=where))
    if bad:
        raise TemplateError("\n".join(bad))


@click.command(help=_l("Check .docx notices against the layout rules; one line per finding, exit 1 on any."))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@option("--style", type=click.Choice(list(PROFILES)), default=None,
              help=_l("The rulebook to check against (default: the one the notice's heading shows)."))
def check(files: tuple[Path, ...], style: str | None) -> None:
    from .check import check_file

    findings: list[Problem] = []
    for path in files:
        try:
            report = check_file(path, style)
        except LayoutError as exc:
            findings.extend(exc.problems)
            continue
        if report.findings:
            findings.extend(report.findings)
        else:
            click.echo(_("{path}: OK ({style} style)").format(path=path, style=style_name(report.style)))
    if findings:
        raise LayoutError(findings)
