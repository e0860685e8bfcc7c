"""Messages in the clerk's language: Vietnamese by default, English on request.

Every message a person reads is written in English where it is raised and
marked for translation: ``_("found {found}, expected {expected}").format(...)``
(named placeholders, never an f-string inside ``_()``), ``ngettext`` for a
count, ``_l`` for a text read later (click help) and ``N_`` for a text only
marked here and translated where it is shown. The catalog is gettext's
(``generator/locale/vi/LC_MESSAGES/thongbao.po``, managed with Babel); the
English text is the msgid itself, so English needs no catalog.

The language, first found wins:
1. ``--lang`` of the ``thongbao`` command, or ``using(lang)`` in a library caller
   (the web app, per request);
2. the setting ``THONGBAO_LANG`` (``vi`` or ``en``);
3. the locale: ``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` in gettext's
   order; a value starting with ``en`` asks for English, with ``vi`` for
   Vietnamese; any other (``C.UTF-8``, ``fr_FR``) is passed over;
4. Vietnamese.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import gettext as _gettext
import os
import re
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path

import click

DOMAIN = "thongbao"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")

# Set by ``--lang`` or ``using()``; a ContextVar so that each web request (thread) has its own.
_chosen: ContextVar[str | None] = ContextVar("thongbao_language", default=None)


@functools.lru_cache(maxsize=64)  # language() asks on every message: validating a notice shows a hundred
def normalise(value: str | None) -> str | None:
    """'en_US.UTF-8' -> 'en', 'vi' -> 'vi'; None for anything else ('C', 'fr_FR', '')."""
    for entry in (value or "").split(":"):  # LANGUAGE may list several: "en:vi"
        code = re.split(r"[_.@-]", entry.strip(), maxsplit=1)[0].lower()
        if code in LANGUAGES:
            return code
    return None


def language() -> str:
    """The language messages are shown in now: 'vi' or 'en'."""
    chosen = _chosen.get()
    if chosen:
        return chosen
    for variable in ("THONGBAO_LANG", *LOCALE_VARIABLES):
        code = normalise(os.environ.get(variable))
        if code:
            return code
    return DEFAULT_LANGUAGE


def choose(lang: str | None):
    """Show messages in ``lang`` from now on in this context; returns a token for ``reset``."""
    code = normalise(lang) if lang else None
    if lang and code is None:
        raise ValueError(lang)
    return _chosen.set(code)


def reset(token) -> None:
    """Undo a ``choose``."""
    _chosen.reset(token)


@contextlib.contextmanager
def using(lang: str | None) -> Iterator[None]:
    """Show messages in ``lang`` inside the block (None: as the settings say)."""
    token = choose(lang)
    try:
        yield
    finally:
        _chosen.reset(token)


@functools.cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The catalog of ``lang``; English is the msgids themselves."""
    if lang == "en":
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[lang], fallback=True)


def gettext(message: str) -> str:
    """``message`` in the current language."""
    return translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` for ``n``, in the current language."""
    return translations(language()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it here (it is translated where shown)."""
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:
    """Mark a singular/plural pair for the catalog (translated where shown, by ``ngettext``)."""
    return singular, plural


class LazyText(collections.UserString):
    """A message translated each time it is read: for texts fixed at import (click help)."""

    def __init__(self, message: str):  # UserString keeps no data: it is computed
        self._message = str(message)

    @property  # type: ignore[override]
    def data(self) -> str:
        return gettext(self._message)

    def __reduce__(self):
        return (type(self), (self._message,))


def _l(message: str) -> LazyText:
    """``message`` translated when it is shown, not when the module is imported."""
    return LazyText(message)


def counted(n: int, singular: str, plural: str) -> str:
    """'1 task' / '2 tasks' ('1 nhiệm vụ' / '2 nhiệm vụ'): ``singular`` and ``plural`` hold ``{n}``."""
    return ngettext(singular, plural, n).format(n=n)


# click's own messages that a clerk meets, so that the catalog holds them (click marks them
# with the stdlib's gettext; ``translate_click`` points it at this catalog).
CLICK_MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Error: {message}"),
    N_("Show this message and exit."), N_("Show the version and exit."),
    N_("%(prog)s, version %(version)s"), N_("Try '{command} {option}' for help."),
    N_("Aborted!"), N_("Missing argument"), N_("Missing option"), N_("Missing parameter"),
    N_("Missing command."), N_("Missing {param_type}"), N_("Missing parameter: {param_name}"),
    N_("No such command {name!r}."), N_("No such option {name!r}."),
    N_("Option {name!r} does not take a value."),
    N_("Invalid value for {param_hint}: {message}"), N_("Invalid value: {message}"),
    N_("default: {default}"), N_("env var: {var}"), N_("(dynamic)"), N_("deprecated"),
    N_("file"), N_("directory"), N_("path"), N_("unknown error"),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."), N_("{name} {filename!r} is not executable."),
    N_("Could not open file {filename!r}: {message}"),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("Choose from:\n\t{choices}"), N_("Do you want to continue?"),
    N_("Confirm the action without prompting."), N_("Repeat for confirmation"),
    N_("Error: The two entered values do not match."), N_("Error: invalid input"),
)
CLICK_PLURALS = (
    N_plural("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    N_plural("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    N_plural("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    N_plural("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."),
    N_plural("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
)


def translate_click() -> None:
    """Let click's own messages ("Usage:", "Error:", "Missing argument") follow the language too.

    click marks them with the stdlib's ``gettext``, imported into each of its
    modules; pointing those names at this catalog is the hook click leaves.
    Its ``--help`` option gets a lazy help text, as ``option`` gives ours.
    """
    import importlib

    for name in ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    plain = getattr(click.decorators.help_option, "__wrapped__", click.decorators.help_option)

    @functools.wraps(plain)
    def help_option(*param_decls, **kwargs):
        kwargs.setdefault("help", _l("Show this message and exit."))
        kwargs.setdefault("cls", LazyOption)
        return plain(*param_decls, **kwargs)

    click.decorators.help_option = help_option


def retranslate_click(command: click.Command) -> None:
    """Name the file and folder arguments of ``command`` and its subcommands in the language now.

    click.Path names its kind ("file", "directory", "path": metavars and
    "File 'x' does not exist.") once, at import; ``--lang`` comes later.
    """
    for param in command.params:
        kind = param.type
        if isinstance(kind, click.Path):
            kind.name = (_("file") if kind.file_okay and not kind.dir_okay
                         else _("directory") if kind.dir_okay and not kind.file_okay else _("path"))
    for sub in getattr(command, "commands", {}).values():
        retranslate_click(sub)


class LazyOption(click.Option):
    """A click option whose help is translated when shown (click would fix it at import)."""

    def __init__(self, *args, help=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.help = help

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        return (record[0], str(record[1])) if record else None


def option(*param_decls: str, **kwargs):
    """``click.option`` whose ``help=_l(...)`` stays lazy (shown in the language of the run)."""
    kwargs.setdefault("cls", LazyOption)
    return click.option(*param_decls, **kwargs)
