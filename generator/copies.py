"""The copy block of a bản trích sao: what it says, per style. Pure (no I/O, no docx).

NĐ 30/2020 (Điều 3 khoản 12, Điều 25 khoản 3, Phụ lục I Phần II, Phụ lục III
Mẫu 3.1) and 36-HD/VPTW (Mục II khoản 3, Phụ lục 3): a trích sao recreates the
original in full format with the part copied, then, under a solid rule across
the text width, the copy's own block: "TRÍCH SAO", the copying body, the copy's
number, place and date of copying, who signs the copy and its own Nơi nhận.
generator/docx/copy_block.py draws it.
"""

from __future__ import annotations

import datetime as dt
import re

from . import dates
from .errors import Problem
from .i18n import _
from .model import Notice
from .patterns import lazy
from .profile import PROFILES
from .records import record

TRICH_SAO = "trich-sao"          # the bản trích sao (NĐ 30 Điều 25): the default form
TRICH = "trich"                  # the older "TRÍCH THÔNG BÁO" with "Trích gửi: ..."
FORMS = (TRICH_SAO, TRICH)
DEFAULT_FORM = TRICH_SAO
COPY_KIND = "TRÍCH SAO"
# The copy's number: State "Số: 05/TrS-VP" (TrS = trích sao); Party "Số 24-BS/VPHU" (BS for every kind of copy).
KIND_CODE = {"state": "TrS", "party": "BS"}
NUMBER_FORMAT = {"state": "{prefix}{number}/{kind}-{code}", "party": "{prefix}{number}-{kind}/{code}"}
# Not yet issued: the number is left for the clerk to write by hand, as on a printed form.
BLANK_NUMBER = "\u00a0" * 6
FILE_COPY = {"state": "Lưu: VT", "party": "Lưu VT"}
# What `check` accepts as a copy number (whitespace squashed; the number may be left blank to fill by hand).
# State: TrS trích sao, SY sao y, SL sao lục; Party: BS for every kind of copy.
NUMBER_PATTERN = {"state": r"Số: (?:\d{2,})?/(?:TrS|SY|SL)-[^\s/:-]+", "party": r"Số (?:\d{2,})?-BS/[^\s/:-]+"}
NUMBER_EXAMPLE = {"state": "Số: 05/TrS-VP", "party": "Số 24-BS/VPHU"}
COPY_KINDS = ("TRÍCH SAO", "SAO Y", "SAO LỤC")
COPY_KIND_PT = (13.0, 14.0)     # "TRÍCH SAO": upper, 13-14 pt, bold (NĐ 30 Phụ lục I Phần II)
CODE = lazy(r"[^\s/:\-]+")


@record(frozen=True)
class CopySettings:
    """Who makes the copies; every field may be left empty for its default (see copy_block)."""

    body: tuple[str, ...] = ()        # the copying body's lines (bold), e.g. ("VĂN PHÒNG",); () = the issuing body
    code: str = ""                    # its abbreviation in the copy number (VP, VPHU); "" = the notice's body code
    superior: str | None = None       # the upright line above it; None = the issuing body (when `body` is given)
    place: str = ""                   # "" = the notice's place
    date: dt.date | None = None       # the day of copying; None = the notice's date
    authority: tuple[str, ...] = ()   # the copy's signature block; all empty = the original's signer
    title: tuple[str, ...] = ()
    signer: str = ""
    file_copy: str = ""               # the copy's last Nơi nhận line; "" = "Lưu: VT" / "Lưu VT"

    def merged(self, other: CopySettings) -> CopySettings:
        """``other``'s non-empty fields over these (command-line options over the settings file)."""
        out = {}
        for name in self.__dataclass_fields__:
            mine, theirs = getattr(self, name), getattr(other, name)
            out[name] = theirs if theirs not in ((), "", None) else mine
        return CopySettings(**out)


@record(frozen=True)
class CopyBlock:
    """Everything the copy block prints, in print order per column."""

    style: str
    kind: str                         # TRÍCH SAO
    superior: tuple[str, ...]         # upright lines above the body; () for none
    body: tuple[str, ...]
    number: int | None                # None: not issued, the number is written by hand
    number_line: str                  # Số: 05/TrS-VP | Số 24-BS/VPHU | Số: ______/TrS-VP
    place_date: str
    authority: tuple[str, ...]
    title: tuple[str, ...]
    signer: str
    recipients_heading: str
    recipients: tuple[str, ...]       # printed lines, with the style's marks and punctuation


def copy_code(notice: Notice, settings: CopySettings) -> str:
    return settings.code or notice.body_code


def copy_symbol(style: str, code: str, number: int | None) -> str:
    """``05/TrS-VP`` (State) or ``24-BS/VPHU`` (Party); a blank for the number when not issued."""
    shown = f"{number:02d}" if number is not None else BLANK_NUMBER
    return NUMBER_FORMAT[style].format(prefix="", number=shown, kind=KIND_CODE[style], code=code)


def number_line(style: str, code: str, number: int | None) -> str:
    return PROFILES[style].number_prefix + copy_symbol(style, code, number)


def copy_date(notice: Notice, settings: CopySettings) -> dt.date:
    return settings.date or notice.date


def check_settings(notice: Notice, settings: CopySettings, where: str) -> list[Problem]:
    """What stops a copy block: one Problem per bad setting (``where`` names the settings' origin)."""
    problems = []
    profile = PROFILES[notice.style]
    if settings.code and not CODE.fullmatch(settings.code):
        problems.append(Problem(where, None, "copies.code", f"'{settings.code}'",
                                _("the copying body's abbreviation without spaces, '/', ':' or '-' (e.g. VP, VPHU)")))
    for name in ("body", "authority", "title"):
        for line in getattr(settings, name):
            if line != line.upper():
                problems.append(Problem(where, None, f"copies.{name}", f"'{line}'",
                                        _("upper case, as printed ('{line}')").format(line=line.upper())))
    if settings.superior and settings.superior != settings.superior.upper():
        problems.append(Problem(where, None, "copies.superior", f"'{settings.superior}'",
                                _("upper case, as printed ('{superior}')").format(superior=settings.superior.upper())))
    for line in settings.authority[:1]:
        if line.split()[0] not in profile.authority_forms:
            problems.append(Problem(where, None, "copies.authority", f"'{line}'",
                                    _("a {name} authority form: {authority_forms}").format(name=profile.name, authority_forms=', '.join(profile.authority_forms))))
    if settings.file_copy and not re.fullmatch(profile.file_copy_pattern, settings.file_copy):
        problems.append(Problem(where, None, "copies.file_copy", f"'{settings.file_copy}'",
                                _("the file copy in the {name} form: '{file_copy_example}'").format(name=profile.name, file_copy_example=profile.file_copy_example)))
    if (settings.body or settings.authority or settings.title) and not settings.signer:
        body = " ".join(settings.body) or _("the copying body")
        problems.append(Problem(where, None, "copies.signer", _("no signer"),
                                _("who signs the copies of {body}: signer, title (and authority) under [copies] in thongbao.ini").format(body=body)))
    if settings.date is not None and settings.date < notice.date:
        problems.append(Problem(where, None, "copies.date", f"{settings.date:%d/%m/%Y}",
                                _("a day of copying on or after the notice's date ({date:%d/%m/%Y})").format(date=notice.date)))
    if settings.signer and not settings.title:
        problems.append(Problem(where, None, "copies.title", _("a signer ('{signer}') without a title").format(signer=settings.signer),
                                _("the signer's title, e.g. CHÁNH VĂN PHÒNG")))
    return problems


def copy_block(notice: Notice, settings: CopySettings, recipient: str, number: int | None) -> CopyBlock:
    """The copy block of the trích sao of ``notice`` sent to ``recipient``.

    By default the issuing body makes the copy and the original's signer signs
    it; settings name another copying body (usually the Văn phòng) and its signer.
    """
    profile = PROFILES[notice.style]
    if settings.body:
        body = settings.body
        superior = tuple(notice.issuing_body)  # the Văn phòng of the issuing body
    else:
        body = notice.issuing_body
        superior = (notice.superior_body,) if notice.superior_body else ()
    if settings.superior is not None:
        superior = (settings.superior,) if settings.superior else ()
    if settings.signer:
        authority, title, signer = settings.authority, settings.title, settings.signer
    else:
        original = notice.signature
        authority = _lines(original.authority)
        title, signer = tuple(original.title), original.name
    file_copy = settings.file_copy or FILE_COPY[notice.style]
    items = (recipient, file_copy)
    lines = tuple(f"- {item}{profile.recipient_end if k == len(items) - 1 else profile.recipient_separator}"
                  for k, item in enumerate(items))
    return CopyBlock(
        style=notice.style, kind=COPY_KIND, superior=superior, body=tuple(body), number=number,
        number_line=number_line(notice.style, copy_code(notice, settings), number),
        place_date=dates.place_date_line(settings.place or notice.place, copy_date(notice, settings)),
        authority=authority, title=title, signer=signer, recipients_heading="Nơi nhận:", recipients=lines,
    )


def _lines(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """A signature's authority as lines, whether the model holds a string or lines."""
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
