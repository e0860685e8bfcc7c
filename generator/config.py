"""The project settings file, ``thongbao.ini``: where the archive is, when Party terms start.

An INI file (configparser, so Python 3.10 needs nothing extra)::

    [archive]
    path = archive              ; relative to this file; default: archive/ beside it

    [party-terms]
    ; the first day (the congress) of each term of the cấp ủy, per body code;
    ; "*" holds for every body without a line of its own
    * = 2020-07-20
    BCĐ = 2015-07-10, 2020-07-20

    [copies]
    ; who makes the trích sao copies (extracts): the body, its code in the copy
    ; number, and who signs them; lines of a value go on indented lines
    body = VĂN PHÒNG
    code = VP
    authority = TL. CHỦ TỊCH
    title = CHÁNH VĂN PHÒNG
    signer = Nguyễn Văn A

    [copies BCĐ]
    ; for the notices of one body code: these keys over [copies]
    superior = HUYỆN ỦY KON RẪY

The file is looked for in the source's folder and its parents, then in the
current folder and its parents; ``--config FILE`` names one instead.
"""

from __future__ import annotations

import configparser
import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .archive.errors import ConfigError
from .copies import CopySettings
from .dates import parse_date
from .errors import Problem
from .i18n import _
from .source import strip_forbidden

CONFIG_NAME = "thongbao.ini"
DEFAULT_ARCHIVE = "archive"
SECTIONS: dict[str, tuple[str, ...] | None] = {
    "archive": ("path",),
    "party-terms": None,  # any body code
    "copies": ("body", "code", "superior", "place", "authority", "title", "signer", "file_copy"),
}
_COPY_LINES = ("body", "authority", "title")   # keys whose value may hold several lines


@dataclass(frozen=True)
class Term:
    """The span of dates one numbering series covers: [start, end)."""

    start: dt.date | None
    end: dt.date | None
    configured: bool = True

    def label(self) -> str:
        if self.start is None and self.end is None:
            return _("no term set")
        start = self.start.isoformat() if self.start else "..."
        end = (self.end - dt.timedelta(days=1)).isoformat() if self.end else "..."
        return f"{start} to {end}"


@dataclass(frozen=True)
class Config:
    path: Path | None = None
    archive: Path | None = None
    party_terms: dict[str, tuple[dt.date, ...]] = field(default_factory=dict)
    copies: CopySettings = field(default_factory=CopySettings)
    body_copies: dict[str, CopySettings] = field(default_factory=dict)  # [copies CODE] sections

    def copies_for(self, body_code: str) -> CopySettings:
        """[copies] with the keys of [copies <body_code>] over it."""
        own = self.body_copies.get(body_code)
        return self.copies.merged(own) if own is not None else self.copies

    def archive_dir(self, override: str | Path | None = None) -> Path:
        """``--archive`` first, then the file's setting, then archive/ beside the file or here."""
        if override:
            return Path(override)
        if self.archive is not None:
            return self.archive
        return (self.path.parent if self.path else Path(".")) / DEFAULT_ARCHIVE

    def term(self, body_code: str, on: dt.date) -> Term:
        """The Party term of ``body_code`` that contains the date ``on``."""
        starts = self.party_terms.get(body_code) or self.party_terms.get("*")
        if not starts:
            return Term(None, None, configured=False)
        start: dt.date | None = None
        end: dt.date | None = None
        for s in starts:
            if s <= on:
                start = s
            else:
                end = s
                break
        return Term(start, end)


def find_config(*starts: Path) -> Path | None:
    """The nearest thongbao.ini in each start folder or its parents, in order."""
    for start in starts:
        folder = start.resolve()
        for candidate in (folder, *folder.parents):
            path = candidate / CONFIG_NAME
            if path.is_file():
                return path
    return None


def load_config(path: str | Path | None = None, *, near: Path | None = None) -> Config:
    """Read ``path``, or the nearest thongbao.ini to ``near`` and the current folder.

    No file found is no error: the defaults hold.
    """
    if path is None:
        starts = ([near] if near is not None else []) + [Path.cwd()]
        found = find_config(*starts)
        if found is None:
            return Config()
        path = found
    path = Path(path)
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(str(Problem(name, None, "", _("no such file"), _("a settings file ({CONFIG_NAME})").format(CONFIG_NAME=CONFIG_NAME)))) from None
    except UnicodeDecodeError:
        raise ConfigError(str(Problem(name, None, "", _("a file that is not UTF-8"), _("a settings file saved as UTF-8")))) from None
    except OSError as exc:
        raise ConfigError(str(Problem(name, None, "", _("an unreadable file ({strerror})").format(strerror=exc.strerror), _("a readable settings file")))) from None
    for no, line in enumerate(text.splitlines(), 1):
        _clean, removed = strip_forbidden(line)
        if removed:  # a NUL in a path broke the archive commands with a traceback
            raise ConfigError(str(Problem(name, no, "", _("control character {chars}").format(chars=", ".join(removed)),
                                          _("text without control characters"))))
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=(";", "#"),
                                       default_section="\0none")
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # body codes keep their case
    try:
        parser.read_string(text, source=name)
    except configparser.DuplicateOptionError as exc:
        raise ConfigError(str(Problem(name, exc.lineno, f"{exc.section}.{exc.option}",
                                      _("a second value for the same key"), _("each key once")))) from None
    except configparser.DuplicateSectionError as exc:
        raise ConfigError(str(Problem(name, exc.lineno, exc.section, _("a second [section] of that name"),
                                      _("each section once")))) from None
    except configparser.MissingSectionHeaderError as exc:
        raise ConfigError(str(Problem(name, exc.lineno, "", _("a line before any [section]"),
                                      _("a [section] header first, e.g. [archive]")))) from None
    except configparser.ParsingError as exc:
        line = exc.errors[0][0] if exc.errors else None
        raise ConfigError(str(Problem(name, line, "", _("a line that is not 'key = value'"),
                                      _("'key = value' lines under [section] headers")))) from None
    lines = text.splitlines()
    archive: Path | None = None
    terms: dict[str, tuple[dt.date, ...]] = {}
    copies: dict[str, object] = {}
    body_copies: dict[str, dict[str, object]] = {}
    for section in parser.sections():
        where = _line_of(lines, section)
        code = section[len("copies "):].strip() if section.startswith("copies ") else None
        if code is not None and not code:
            raise ConfigError(str(Problem(name, where, section, _("no body code after 'copies'"),
                                          _("[copies] or [copies CODE], e.g. [copies BCĐ]"))))
        if section not in SECTIONS and code is None:
            close = difflib.get_close_matches(section, SECTIONS, n=1, cutoff=0.6)
            hint = (_("a known section (did you mean [{close}]?)").format(close=close[0]) if close
                    else _("one of {choices}").format(choices=", ".join(f"[{s}]" for s in SECTIONS)))
            raise ConfigError(str(Problem(name, where, section, _("unknown section [{section}]").format(section=section), hint)))
        allowed = SECTIONS["copies" if code is not None else section]
        for key, value in parser.items(section):
            line = _line_of(lines, section, key)
            if allowed is not None and key not in allowed:
                raise ConfigError(str(Problem(name, line, f"{section}.{key}", _("unknown key '{key}'").format(key=key),
                                              _("one of ") + ", ".join(allowed))))
            if section == "archive":
                if not value.strip():
                    raise ConfigError(str(Problem(name, line, "archive.path", _("an empty value"), _("a folder"))))
                folder = Path(value.strip()).expanduser()
                archive = folder if folder.is_absolute() else path.parent / folder
            elif section == "copies":
                copies[key] = _copy_value(key, value)
            elif code is not None:
                body_copies.setdefault(code, {})[key] = _copy_value(key, value)
            else:
                terms[key] = _dates(name, line, f"party-terms.{key}", value)
    return Config(path, archive, terms, CopySettings(**copies),  # type: ignore[arg-type]
                  {c: CopySettings(**v) for c, v in body_copies.items()})  # type: ignore[arg-type]


def _copy_value(key: str, value: str) -> object:
    """A [copies] value as CopySettings holds it: NFC text, lines for the keys that take lines."""
    import unicodedata

    lines = [" ".join(x.split()) for x in unicodedata.normalize("NFC", value).splitlines()]
    lines = [x for x in lines if x]
    if key in _COPY_LINES:
        return tuple(lines)
    return " ".join(lines)


def _dates(name: str, line: int | None, field_: str, value: str) -> tuple[dt.date, ...]:
    out = []
    for part in (p.strip() for p in value.split(",")):
        try:
            out.append(parse_date(part))
        except ValueError:
            raise ConfigError(str(Problem(name, line, field_, f"'{part}'",
                                          _("term start dates as YYYY-MM-DD, separated by commas")))) from None
    if len(set(out)) != len(out):
        raise ConfigError(str(Problem(name, line, field_, _("the same date twice"), _("each term start once"))))
    return tuple(sorted(out))


def _line_of(lines: list[str], section: str, key: str | None = None) -> int | None:
    """The line of ``[section]`` or of ``key`` in it (configparser does not keep it)."""
    header = re.compile(rf"^\s*\[\s*{re.escape(section)}\s*\]")
    option = re.compile(rf"^\s*{re.escape(key)}\s*[=:]") if key is not None else None
    inside = False
    for no, text in enumerate(lines, 1):
        if header.match(text):
            if option is None:
                return no
            inside = True
        elif inside and text.lstrip().startswith("["):
            inside = False
        elif inside and option is not None and option.match(text):
            return no
    return None
