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


class Catalog:
    """A compiled catalog (.mo), looked up in place: as gettext's GNUTranslations answers, without reading it all.

    GNUTranslations decodes every message when it opens the file (3 ms of every
    run that shows one message, or parses a short option: click builds an error
    message on the way). The messages of a .mo are sorted by msgid (Babel
    writes them so; tests/test_i18n.py checks the committed one): a lookup is a
    binary search, and each answer is remembered.
    """

    def __init__(self, data: bytes):
        import struct

        order = {0x950412DE: "<", 0xDE120495: ">"}.get(int.from_bytes(data[:4], "little"))
        if order is None:
            raise ValueError("not a compiled message catalog (.mo)")
        try:
            count, ids_at, strs_at = struct.unpack_from(f"{order}3I", data, 8)
            ids = struct.unpack_from(f"{order}{2 * count}I", data, ids_at)      # (length, offset) pairs
            strs = struct.unpack_from(f"{order}{2 * count}I", data, strs_at)
        except struct.error:
            raise ValueError("a compiled message catalog (.mo) cut short") from None
        # Every message within the file (one cut short would answer empty or cut messages).
        if count and max(max(map(sum, zip(table[::2], table[1::2]))) for table in (ids, strs)) > len(data):
            raise ValueError("a compiled message catalog (.mo) cut short")
        self._data, self._ids, self._strs = data, ids, strs
        self._found: dict[str, tuple[bool, tuple[str, ...]] | None] = {}
        self._plural_forms = "0"
        for line in (self._lookup("") or (False, ("",)))[1][0].splitlines():
            name, _sep, value = line.partition(":")
            if name.strip().lower() == "plural-forms" and "plural=" in value:
                self._plural_forms = value.split("plural=", 1)[1].split(";", 1)[0].strip()

    def _lookup(self, msgid: str) -> tuple[bool, tuple[str, ...]] | None:
        """Whether ``msgid`` has plural forms, and its translations (one per form); None if absent."""
        found = self._found.get(msgid, self)  # one lookup: another thread may clear() between two
        if found is not self:
            return found  # type: ignore[return-value]
        key, data, ids = msgid.encode("utf-8"), self._data, self._ids
        low, high, found = 0, len(ids) // 2, None
        while low < high:
            mid = (low + high) // 2
            length, at = ids[2 * mid], ids[2 * mid + 1]
            stored = data[at:at + length]
            singular = stored.split(b"\0", 1)[0]   # a plural entry: singular NUL plural
            if singular < key:
                low = mid + 1
            elif singular > key:
                high = mid
            else:
                length, at = self._strs[2 * mid], self._strs[2 * mid + 1]
                try:
                    found = (b"\0" in stored,
                             tuple(part.decode("utf-8") for part in data[at:at + length].split(b"\0")))
                except UnicodeDecodeError:
                    found = None  # a damaged message: shown untranslated
                break
        if len(self._found) > 4096:  # the messages are the program's own: a bound only for safety
            self._found.clear()
        self._found[msgid] = found
        return found

    @functools.cached_property
    def plural(self):
        """The catalog's Plural-Forms rule: n -> the index of the form."""
        import gettext

        return gettext.c2py(self._plural_forms)

    def gettext(self, message: str) -> str:
        found = self._lookup(message)
        if found is None:
            return message
        plural, forms = found
        index = self.plural(1) if plural else 0
        return forms[index] if index < len(forms) else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        found = self._lookup(singular)
        if found is not None and found[0]:
            index = self.plural(n)
            if index < len(found[1]):
                return found[1][index]
        return singular if n == 1 else plural


class English:
    """The msgids themselves (as gettext's NullTranslations)."""

    def gettext(self, message: str) -> str:
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


@functools.cache
def translations(lang: str) -> Catalog | English:
    """The catalog of ``lang``; English is the msgids themselves (as is a language without a catalog)."""
    if lang == "en":
        return English()
    try:
        return Catalog((LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").read_bytes())
    except (OSError, ValueError):
        return English()


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
    Its ``--help`` option gets a lazy help text, as ``option`` gives ours, and
    ``click.Path`` is LazyPath (a file or folder named when shown).
    """
    import importlib

    for name in ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _CLICK_GETTEXT.get(name, gettext)  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
    plain = getattr(click.decorators.help_option, "__wrapped__", click.decorators.help_option)

    @functools.wraps(plain)
    def help_option(*param_decls, **kwargs):
        kwargs.setdefault("help", _l("Show this message and exit."))
        kwargs.setdefault("cls", LazyOption)
        return plain(*param_decls, **kwargs)

    click.decorators.help_option = help_option
    click.Path = LazyPath  # type: ignore[misc]


PATH_KINDS = ("file", "directory", "path")


def _click_types_gettext(message: str) -> str:
    # click.Path names its kind when it is made, at import: LazyPath names it when shown instead,
    # so that making one does not read the catalog (a 'thongbao render' that prints no message never does).
    return message if message in PATH_KINDS else gettext(message)


# click.decorators translates only the default texts of the options it makes (help, prompt, the
# version message), also where they are given: shown later, they are translated then.
_CLICK_GETTEXT = {"types": _click_types_gettext, "decorators": _l}


class _Kind(str):
    """A path kind as click starts a sentence with it (``name.title()``): only the first letter
    upper-cased, so that "thư mục" gives "Thư mục '...' là một tệp", not "Thư Mục"."""

    def title(self) -> str:
        return self[:1].upper() + self[1:]


class LazyPath(click.Path):
    """click.Path naming its kind ("file", "directory", "path": in metavars and "File 'x' does
    not exist.") in the language of the moment it is shown, not of the import (``--lang`` comes later)."""

    @property  # type: ignore[override]
    def name(self) -> str:
        if self.file_okay and not self.dir_okay:
            return _Kind(gettext("file"))
        if self.dir_okay and not self.file_okay:
            return _Kind(gettext("directory"))
        return _Kind(gettext("path"))

    @name.setter
    def name(self, value: str) -> None:
        pass  # what click.Path.__init__ names it: computed when shown instead


def translate_paths(command: click.Command) -> None:
    """Make the file and folder arguments of ``command`` and its subcommands LazyPaths.

    For commands made before translate_click (their click.Path is click's own).
    """
    for param in command.params:
        if type(param.type) is click.types.Path:
            param.type.__class__ = LazyPath
    for sub in getattr(command, "commands", {}).values():
        translate_paths(sub)


class LazyOption(click.Option):
    """A click option whose help is translated when shown (click would fix it at import)."""

    def __init__(self, *args, help=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.help = help

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        return (record[0], str(record[1])) if record else None

    def prompt_for_value(self, ctx: click.Context):
        lazy = self.prompt
        if isinstance(lazy, LazyText):   # a prompt given as _l(...): asked in the language of the run
            self.prompt = str(lazy)
        try:
            return super().prompt_for_value(ctx)
        finally:
            self.prompt = lazy


def option(*param_decls: str, **kwargs):
    """``click.option`` whose ``help=_l(...)`` stays lazy (shown in the language of the run)."""
    kwargs.setdefault("cls", LazyOption)
    return click.option(*param_decls, **kwargs)
