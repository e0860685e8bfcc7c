"""``thongbao serve`` and ``thongbao users``: the web workspace's two commands (registered by generator.cli)."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from ..errors import ThongbaoError


@click.command()
@click.option("--notices", default="notices", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder of notice sources.")
@click.option("--archive", type=click.Path(file_okay=False, path_type=Path),
              help="The archive folder (default: thongbao.ini's [archive] path, else archive/).")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path), help="The settings file (thongbao.ini).")
@click.option("--units", type=click.Path(dir_okay=False, path_type=Path),
              help="The units directory (default: units.yaml in the notices folder or above).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; any other than 127.0.0.1 needs accounts ('thongbao users add').")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--users", "users_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The accounts file (default: thongbao-users.json beside thongbao.ini, else here).")
@click.option("--https", "secure", is_flag=True, help="Mark the session cookie Secure (behind an HTTPS proxy).")
def serve(notices: Path, archive: Path | None, config: Path | None, units: Path | None, host: str, port: int,
          users_file: Path | None, secure: bool) -> None:
    """Start the web workspace for the secretariat (in Vietnamese) on http://HOST:PORT."""
    from werkzeug.serving import make_server

    from . import create_app, shutdown
    from .accounts import load_users
    from .settings import Settings

    settings = Settings(notices=notices, archive=archive, config=config, units=units, host=host, port=port,
                        users_file=users_file, secure_cookies=secure)
    if not notices.is_dir():
        raise ThongbaoError(f"--notices: found no folder '{notices}', expected the folder of notice sources")
    if not settings.local and not load_users(settings.users_path()):
        raise ThongbaoError(
            f"--host {host}: found no accounts in {settings.users_path()}, expected at least one before serving "
            "beyond this machine (thongbao users add NAME --role issue)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    server = make_server(host, port, app, threaded=True)
    click.echo(f"thongbao: http://{host}:{server.server_port}/  (Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        shutdown(app)


@click.group()
def users() -> None:
    """Accounts for 'thongbao serve' on an office network."""


def _path(users_file: Path | None, config: Path | None) -> Path:
    from .settings import Settings

    return Settings(users_file=users_file, config=config).users_path()


_users_option = click.option("--users", "users_file", type=click.Path(dir_okay=False, path_type=Path),
                             help="The accounts file (default: thongbao-users.json beside thongbao.ini, else here).")
_config_option = click.option("--config", type=click.Path(dir_okay=False, path_type=Path),
                              help="The settings file (thongbao.ini).")


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["issue", "draft"]), default="draft", show_default=True,
              help="issue: may issue notices; draft: may only draft.")
@click.password_option(help="The password (asked if not given).")
@_users_option
@_config_option
def users_add(name: str, role: str, password: str, users_file: Path | None, config: Path | None) -> None:
    """Add an account (or set its password and role)."""
    from .accounts import add_user

    path = _path(users_file, config)
    add_user(path, name, password, role)
    click.echo(f"{name} ({role}) in {path}")


@users.command("remove")
@click.argument("name")
@_users_option
@_config_option
def users_remove(name: str, users_file: Path | None, config: Path | None) -> None:
    """Remove an account."""
    from .accounts import remove_user

    path = _path(users_file, config)
    remove_user(path, name)
    click.echo(f"removed {name} from {path}")


@users.command("list")
@_users_option
@_config_option
def users_list(users_file: Path | None, config: Path | None) -> None:
    """List the accounts and their roles."""
    from .accounts import load_users

    for user in load_users(_path(users_file, config)).values():
        click.echo(f"{user.name}\t{user.role}")
