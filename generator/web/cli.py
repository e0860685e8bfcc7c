"""``thongbao serve`` and ``thongbao users``: the web workspace's two commands (loaded by generator.cli when asked for)."""

from __future__ import annotations

import logging
import signal
from pathlib import Path

import click

from ..commands import command_help
from ..errors import ThongbaoError
from ..i18n import LazyOption, _, _l, option


@click.command(help=command_help("serve"))
@option("--notices", default="notices", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help=_l("The folder of notice sources."))
@option("--archive", type=click.Path(file_okay=False, path_type=Path),
              help=_l("The archive folder (default: thongbao.ini's [archive] path, else archive/)."))
@option("--config", type=click.Path(dir_okay=False, path_type=Path), help=_l("The settings file (thongbao.ini)."))
@option("--units", type=click.Path(dir_okay=False, path_type=Path),
              help=_l("The units directory (default: units.yaml in the notices folder or above)."))
@option("--host", default="127.0.0.1", show_default=True,
              help=_l("Address to listen on; any other than 127.0.0.1 needs accounts ('thongbao users add')."))
@option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@option("--users", "users_file", type=click.Path(dir_okay=False, path_type=Path),
              help=_l("The accounts file (default: thongbao-users.json beside thongbao.ini, else here)."))
@option("--https", "secure", is_flag=True, help=_l("Mark the session cookie Secure (behind an HTTPS proxy)."))
def serve(notices: Path, archive: Path | None, config: Path | None, units: Path | None, host: str, port: int,
          users_file: Path | None, secure: bool) -> None:
    from werkzeug.serving import make_server

    from . import create_app, shutdown
    from .accounts import load_users
    from .settings import Settings

    settings = Settings(notices=notices, archive=archive, config=config, units=units, host=host, port=port,
                        users_file=users_file, secure_cookies=secure)
    if not notices.is_dir():
        raise ThongbaoError(_("--notices: found no folder '{notices}', expected the folder of notice sources").format(
            notices=notices))
    if not settings.local and not load_users(settings.users_path()):
        raise ThongbaoError(
            _("--host {host}: found no accounts in {users_path}, expected at least one before serving beyond "
              "this machine (thongbao users add NAME --role issue)").format(host=host, users_path=settings.users_path()))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    server = make_server(host, port, app, threaded=True)
    click.echo(_("thongbao: http://{host}:{server_port}/  (Ctrl+C to stop)").format(
        host=host, server_port=server.server_port))
    def stopped(signum, frame):  # SIGTERM (systemd, kill) stops as Ctrl+C does: LibreOffice with it
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stopped)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        shutdown(app)


@click.group(help=command_help("users"))
def users() -> None:
    pass


def _path(users_file: Path | None, config: Path | None) -> Path:
    from .settings import Settings

    return Settings(users_file=users_file, config=config).users_path()


_users_option = option("--users", "users_file", type=click.Path(dir_okay=False, path_type=Path),
                             help=_l("The accounts file (default: thongbao-users.json beside thongbao.ini, else here)."))
_config_option = option("--config", type=click.Path(dir_okay=False, path_type=Path),
                              help=_l("The settings file (thongbao.ini)."))


@users.command("add", help=_l("Add an account (or set its password and role)."))
@click.argument("name")
@option("--role", type=click.Choice(["issue", "draft"]), default="draft", show_default=True,
              help=_l("issue: may issue notices; draft: may only draft."))
@click.password_option(help=_l("The password (asked if not given)."), prompt=_l("Password"), cls=LazyOption)
@_users_option
@_config_option
def users_add(name: str, role: str, password: str, users_file: Path | None, config: Path | None) -> None:
    from .accounts import add_user

    path = _path(users_file, config)
    add_user(path, name, password, role)
    click.echo(_("{name} ({role}) in {path}").format(name=name, role=role, path=path))


@users.command("remove", help=_l("Remove an account."))
@click.argument("name")
@_users_option
@_config_option
def users_remove(name: str, users_file: Path | None, config: Path | None) -> None:
    from .accounts import remove_user

    path = _path(users_file, config)
    remove_user(path, name)
    click.echo(_("removed {name} from {path}").format(name=name, path=path))


@users.command("list", help=_l("List the accounts and their roles."))
@_users_option
@_config_option
def users_list(users_file: Path | None, config: Path | None) -> None:
    from .accounts import load_users

    for user in load_users(_path(users_file, config)).values():
        click.echo(f"{user.name}\t{user.role}")
