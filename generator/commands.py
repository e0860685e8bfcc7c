"""The ``thongbao`` commands: for each, the module that defines it and its help.

The ``main`` group (generator/cli.py) imports a command's module only when the
command runs, and lists them all in ``thongbao --help`` from this table: a
``thongbao render`` does not load the archive's commands, nor ``--help`` the
web workspace. Each command takes its help from here (``command_help``), so
that the list and the command's own ``--help`` never differ.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from .i18n import N_, LazyText, _l


class Command:
    """Where a command is defined (module, attribute) and its help."""

    __slots__ = ("attribute", "help", "module", "web")

    def __init__(self, module: str, attribute: str, help: str, web: bool = False):
        self.module, self.attribute, self.help = module, attribute, help
        self.web = web   # listed and run only where Flask, Werkzeug and ruamel.yaml are installed


COMMANDS: dict[str, Command] = {
    "render": Command("generator.cli", "render",
                      N_("Render a notice source to a .docx ready to sign (and a PDF with --pdf).")),
    "validate": Command("generator.cli_notices", "validate", N_("Check notice sources; print one line per problem.")),
    "extracts": Command("generator.cli_notices", "extracts",
                        N_("Write one extract per unit concerned, plus the task list and deadline calendar.")),
    "import": Command("generator.cli_notices", "import_",
                      N_("Read a notice from Word (.docx, .doc, .odt) or text into a notice source (YAML).")),
    "tasks": Command("generator.cli_notices", "tasks",
                     N_("Who owes what, over all notices of a folder; 'tasks done' records a report.")),
    "templates": Command("generator.cli_layout", "templates",
                         N_("List the built-in templates and yours; exit 1 if one of yours breaks the template "
                            "contract.")),
    "check": Command("generator.cli_layout", "check",
                     N_("Check .docx notices against the layout rules; one line per finding, exit 1 on any.")),
    "issue": Command("generator.cli_archive", "issue",
                     N_("Number (if needed), render and file a notice; print its number and the files filed.")),
    "history": Command("generator.cli_archive", "history",
                       N_("List the versions of an issued document (NUMBER: 103, 103-TB/BCĐ or 103-TB-BCD).")),
    "diff": Command("generator.cli_archive", "diff",
                    N_("Show what changed between two versions (default: the last two), paragraph by paragraph.")),
    "verify": Command("generator.cli_archive", "verify",
                      N_("Recompute every hash of the archive; report files missing, changed or added (exit 1 if "
                         "any).")),
    "register": Command("generator.cli_archive", "register",
                        N_("Write the outgoing register (sổ đăng ký văn bản đi) in its official columns.")),
    "serve": Command("generator.web.cli", "serve",
                     N_("Start the web workspace for the secretariat (in Vietnamese) on http://HOST:PORT."), web=True),
    "users": Command("generator.web.cli", "users", N_("Accounts for 'thongbao serve' on an office network."),
                     web=True),
}


@contextlib.contextmanager
def loading() -> Iterator[None]:
    """Import the libraries a command works with, the cyclic garbage collector paused meanwhile;
    what the process holds then is left out of the collector's later rounds (``gc.freeze``, once
    per process).

    python-docx, lxml, Jinja, PyYAML, click make tens of thousands of objects that live as long as
    the process: the collector, run every 700 new objects, would scan them over and over while they
    are made, and all of them again in the full collection Python makes at exit (together a tenth
    of a cold render). Garbage made later is collected as ever. What is frozen is not finalized at
    exit, which nothing made before a command's work needs (its files are closed where written).
    """
    import gc

    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() == 0:
            gc.freeze()
        if collecting:
            gc.enable()


def command_help(name: str) -> LazyText:
    """The help of command ``name``, shown in the language of the run."""
    return _l(COMMANDS[name].help)


def web_available() -> bool:
    """Whether the web workspace's commands can run here (without importing Flask)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("flask", "werkzeug", "ruamel"))
