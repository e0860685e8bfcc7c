"""The ``thongbao`` command: a thin shell over generator.api."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__, api
from .errors import Problem, SourceError


def _warn(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(f"Warning: {p}", err=True)


@click.group()
@click.version_option(__version__, prog_name="thongbao")
def main() -> None:
    """Turn meeting conclusions (YAML) into official Vietnamese notices (.docx)."""


@main.command()
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the .docx (default: beside the source).")
@click.option("--template", type=click.Path(dir_okay=False, path_type=Path),
              help="A .docx template of your own (default: the built-in one for the notice's style).")
def render(source: Path, output: Path | None, template: Path | None) -> None:
    """Render a notice source to a .docx ready to sign."""
    out, warnings = api.render_file(source, output, template)
    _warn(warnings)
    click.echo(str(out))


@main.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def validate(sources: tuple[Path, ...]) -> None:
    """Check notice sources; print one line per problem."""
    problems: list[Problem] = []
    for src in sources:
        try:
            loaded = api.load_notice(src)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        _warn(loaded.warnings)
        click.echo(f"{src}: OK ({len(loaded.notice.conclusions)} conclusions, {len(loaded.notice.tasks)} tasks)")
    if problems:
        raise SourceError(problems)
