"""Errors of issuing and the archive, in the package's one hierarchy (ThongbaoError).

Each message is one line: the file, the line where known, the field, what was
found and what was expected (see generator.errors.Problem).
"""

from __future__ import annotations

from ..errors import Problem, ThongbaoError


class ConfigError(ThongbaoError):
    """The settings file (thongbao.ini) cannot be read or holds a wrong value."""


class ArchiveError(ThongbaoError):
    """The archive or its register refuses the operation, or is not usable."""


class IssueError(ArchiveError):
    """An issue was refused: a changed source without --reason, a number taken ..."""


class VerifyError(ArchiveError):
    """verify found files missing, changed or added."""


def problem(file: object, field: str, found: str, expected: str, line: int | None = None) -> str:
    """The one-line message of every error here."""
    return str(Problem(str(file), line, field, found, expected))
