"""The ``thongbao`` command: a thin shell over generator.api.

Each command's module is imported when the command runs (generator/commands.py
lists them, with their help, for ``thongbao --help``), and each command imports
what it uses when it runs (generator.api brings docxtpl, python-docx and lxml):
``thongbao render`` loads neither the archive's commands nor the web workspace,
``thongbao tasks`` or ``--help`` no docx library.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__, i18n
from .commands import COMMANDS, command_help, loading, web_available
from .errors import Problem, summarise
from .i18n import _, _l, option

_force_option = option(
    "--force", is_flag=True,
    help=_l("Write over an existing file that thongbao did not make (never over the source, a link or a device)."))

i18n.translate_click()


def _warn(problems: list[Problem]) -> None:
    for line in summarise([str(p) for p in problems]):
        click.echo(_("Warning: {message}").format(message=line), err=True)


def _day(option: str):
    def convert(ctx, param, value):
        from .tracking import parse_day

        return parse_day(value, option) if value else None

    return convert


def _choose_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    """``--lang en``: English messages for this run (eager, so that --help is in it too)."""
    # Kept to the end of the run (errors are shown after the context closes); _Group.main starts
    # each run from the settings again.
    if value:
        i18n.choose(value)


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """``--version``: as click.version_option prints it (which reads the catalog at import for its help)."""
    if value and not ctx.resilient_parsing:
        click.echo(_("%(prog)s, version %(version)s") % {"prog": "thongbao", "version": __version__}, color=ctx.color)
        ctx.exit()


class _Group(click.Group):
    """The command group: a command's module is imported when the command is asked for, and
    ``--help`` lists every command from the table of generator/commands.py without importing them;
    each run starts from the language the settings give (``--lang`` may then choose another).

    The web workspace's commands (serve, users) are listed and run only where Flask,
    Werkzeug and ruamel.yaml are installed.
    """

    def main(self, *args, **kwargs):
        i18n.choose(None)
        return super().main(*args, **kwargs)

    def list_commands(self, ctx):
        web = any(c.web for c in COMMANDS.values()) and web_available()
        return sorted({*super().list_commands(ctx), *(n for n, c in COMMANDS.items() if web or not c.web)})

    def get_command(self, ctx, name):
        found = super().get_command(ctx, name)
        listed = COMMANDS.get(name)
        if found is not None or listed is None or (listed.web and not web_available()):
            return found
        import importlib

        try:
            found = getattr(importlib.import_module(listed.module), listed.attribute)
        except ModuleNotFoundError as missing:  # pragma: no cover
            if not listed.web or missing.name not in ("flask", "werkzeug", "ruamel"):
                raise
            return None
        i18n.translate_paths(found)
        self.add_command(found, name)
        return found

    def resolve_command(self, ctx, args):
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.NoSuchCommand as exc:
            # click suggests among the commands loaded so far ("Did you mean 'validate'?"): among all instead.
            raise click.exceptions.NoSuchCommand(exc.command_name, possibilities=self.list_commands(ctx),
                                                 ctx=ctx) from None

    def format_commands(self, ctx, formatter):
        """The commands with their short help, as click lists them, but from the table: imports none."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.commands.get(name) or click.Command(name, help=command_help(name))
            if not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _command in rows)
            with formatter.section(_("Commands")):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])


@click.group(cls=_Group, help=_l("Turn meeting conclusions (YAML) into official Vietnamese notices (.docx)."))
@option("--lang", type=click.Choice(i18n.LANGUAGES), is_eager=True, expose_value=False,
              callback=_choose_language,
              help=_l("Language of messages: vi (default) or en; else THONGBAO_LANG, then the locale (LANG)."))
@option("--version", is_flag=True, is_eager=True, expose_value=False, callback=_show_version,
        help=_l("Show the version and exit."))
def main() -> None:
    pass


@main.command(help=command_help("render"))
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
        with loading():
            from . import pdf_api

        out, pdf_path, warnings = pdf_api.render_pdf(source, output, template, force=force)
        _warn(warnings)
        click.echo(str(out))
        click.echo(str(pdf_path))
        return
    with loading():
        from . import api

    out, warnings = api.render_file(source, output, template, force=force)
    _warn(warnings)
    click.echo(str(out))


# Every other command (validate, extracts, import, tasks; templates, check; issue, history, diff,
# verify, register; serve, users) is loaded by _Group when asked for: see generator/commands.py.
