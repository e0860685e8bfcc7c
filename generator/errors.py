"""One exception hierarchy; every message is a single line a clerk can act on.

Errors subclass click.ClickException so that the CLI prints ``Error: ...`` and
exits 1 without a traceback; library callers catch ThongbaoError.
"""

from __future__ import annotations

import errno
import re

import click

from .i18n import N_, _
from .records import record

# The field of a finding about the whole file; shown translated.
TOP_LEVEL = N_("(top level)")


class ThongbaoError(click.ClickException):
    """Base of every error this package raises on purpose."""

    exit_code = 1


@record(frozen=True)
class Problem:
    """One finding about a notice source: where it is and what is wrong."""

    file: str
    line: int | None
    field: str
    found: str
    expected: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        found = shorten(self.found)
        if self.field:
            field = _(TOP_LEVEL) if self.field == TOP_LEVEL else self.field
            return _("{where}: {field}: found {found}, expected {expected}").format(
                where=where, field=field, found=found, expected=self.expected)
        return _("{where}: found {found}, expected {expected}").format(
            where=where, found=found, expected=self.expected)


# What a finding quotes of the user's text: a 100 KB value in a field made a 100 KB error line.
# A quoted value is cut to its start and end; the whole of what was found only if it is far longer
# than any message of ours (which may hold two paths).
QUOTE_SHOWN = 120
FOUND_SHOWN = 1000
_LONG_QUOTE = re.compile("'([^']{%d,})'" % (QUOTE_SHOWN + 1))


def shorten(text: str) -> str:
    """``text`` with each long quoted value cut to its start ... its end, and at most FOUND_SHOWN long."""
    text = _LONG_QUOTE.sub(lambda m: f"'{m.group(1)[:QUOTE_SHOWN - 30]}...{m.group(1)[-20:]}'", text)
    if len(text) <= FOUND_SHOWN:
        return text
    return f"{text[:FOUND_SHOWN - 40]}...{text[-30:]}"


# The operating system's and SQLite's reasons, which come in English whatever the language: the
# frequent ones in the run's language (the rest as they are).
_OS_REASONS = {
    errno.EACCES: N_("no permission"), errno.EPERM: N_("no permission"),
    errno.EROFS: N_("a read-only file system"),
    errno.ENOSPC: N_("no space left on the disk"), errno.EDQUOT: N_("no space left on the disk"),
    errno.ENOENT: N_("no such file or folder"), errno.EISDIR: N_("a folder"), errno.ENOTDIR: N_("a file where a folder was expected"),
}
_SQLITE_REASONS = {
    "attempt to write a readonly database": N_("a register that can only be read"),
    "database is locked": N_("a register in use by another program"),
    "unable to open database file": N_("a file that cannot be opened"),
    "file is not a database": N_("a file that is not a register (not SQLite)"),
    "database disk image is malformed": N_("a damaged register"),
}


def os_reason(exc: BaseException) -> str:
    """Why an OS or SQLite operation failed, in the run's language where it is a frequent reason."""
    if isinstance(exc, OSError):
        known = _OS_REASONS.get(exc.errno)  # type: ignore[arg-type]
        return _(known) if known else str(exc.strerror or exc)
    text = str(exc)
    known = _SQLITE_REASONS.get(text)
    return _(known) if known else text


# How many warnings are printed before the rest is summed up in one line.
WARNINGS_SHOWN = 20


def summarise(lines: list[str], limit: int = WARNINGS_SHOWN) -> list[str]:
    """Each warning once (the same finding at the same place is one), at most ``limit``,
    then one line for the rest: ``... and 1,203 more``."""
    unique = list(dict.fromkeys(lines))
    if len(unique) <= limit:
        return unique
    return [*unique[:limit], _("... and {n:,} more").format(n=len(unique) - limit)]


class ProblemsError(ThongbaoError):
    """An error made of findings, printed one line each."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__(self.format_message())

    def format_message(self) -> str:
        # One line per problem; click prefixes the first with "Error: ".
        return "\n".join(str(p) for p in self.problems)


class SourceError(ProblemsError):
    """The notice source cannot be read or does not describe a valid notice."""


class TemplateError(ThongbaoError):
    """A .docx template is missing, unreadable or uses unknown variables."""


class RenderError(ThongbaoError):
    """Rendering failed for a reason that is not the source's fault."""


class OutputError(ThongbaoError):
    """The result could not be written."""


class LayoutError(ProblemsError):
    """A .docx does not meet the layout rules (``thongbao check``): one line per finding."""


class ConversionError(RenderError):
    """LibreOffice is missing, failed or took too long to make the PDF."""


class ImportFailure(ThongbaoError):
    """A file could not be imported as a notice (``thongbao import``).

    ``reason`` says why for a caller that words it its own way (the web app): "not_notice",
    "password", "damaged", "empty", "too_big", "conversion", or "" (the message says it).
    """

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason
