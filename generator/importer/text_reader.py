"""Plain text (copied out of a PDF or a web page) -> the importer's paragraphs.

What such a copy loses or adds, and what is done about it:
- running line breaks inside a paragraph: lines are joined back (a blank
  line, a list mark or an upper-case line starts a new paragraph);
- page numbers alone on a line: dropped;
- footnote marks printed as ⁽¹⁾ or ¹: kept as superscript marks, which the
  recognisers match with the note text found elsewhere (``(1)`` is handled
  there too);
- ``**bold**`` left by a Markdown-ish copy: read as bold.
A paragraph split by a page break is joined by the recognisers, which know
where the body is.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from ..source import strip_forbidden
from .document import Block, Document, Run

SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUP_MARK = re.compile(r"⁽([⁰¹²³⁴⁵⁶⁷⁸⁹]+)⁾|(?<=\S)([¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹]*)|^([¹²³⁴⁵⁶⁷⁸⁹][⁰¹²³⁴⁵⁶⁷⁸⁹]*)(?=\s)")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-–]\s*)?\d{1,3}(?:\s*[-–])?\s*$|^\s*Trang\s+\d{1,3}(?:\s*/\s*\d{1,3})?\s*$", re.IGNORECASE)
NEW_PARAGRAPH = re.compile(
    r"^\s*(?:\d{1,2}[.)\-–]\s|[IVX]{1,5}[.)]\s|[a-zđ]\)\s|[-–—•+*]\s|[⁽¹²³⁴⁵⁶⁷⁸⁹]|\(\d{1,2}\)\s|Nơi nhận|Số\b|[^,]{2,40},\s*ngày\s)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_TERMINAL = tuple(".:;!?…")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; raise UnicodeDecodeError otherwise."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def read_text(text: str, name: str) -> Document:
    """Paragraphs of ``text``: NFC, joined lines, page numbers dropped."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00a0", " ").replace("\f", "\n\n")
    lines = text.split("\n")
    warnings: list[str] = []
    paragraphs: list[tuple[int, bool, list[str]]] = []  # (line, blank before, lines)
    blank = True
    nonblank = sum(1 for ln in lines if ln.strip())
    blanks_between = sum(1 for a, b in itertools.pairwise(lines) if a.strip() and not b.strip())
    blank_mode = nonblank and blanks_between >= nonblank * 0.3
    # A PDF copy wraps lines at about the same width: a line well short of it ends its paragraph.
    lengths = sorted(len(ln.strip()) for ln in lines if ln.strip())
    width = lengths[int(len(lengths) * 0.9)] if lengths else 0
    for no, raw in enumerate(lines, 1):
        line, removed = strip_forbidden(raw.replace("\t", "    "))
        if removed:
            warnings.append(f"line {no}: control character {', '.join(removed)} removed")
        if not line.strip():
            blank = True
            continue
        if _PAGE_NUMBER.match(line):
            continue
        stripped = line.strip()
        prev = paragraphs[-1][2][-1] if paragraphs else ""
        joins = paragraphs and not blank and not NEW_PARAGRAPH.match(stripped) and not _upper(stripped) \
            and not _upper(prev) and _has_letters(prev) \
            and (blank_mode or (not prev.rstrip().endswith(_TERMINAL) and len(prev) >= 0.75 * width))
        if joins:
            paragraphs[-1][2].append(stripped)
        else:
            paragraphs.append((no, blank, [stripped]))
        blank = False
    blocks = [Block(_runs(" ".join(parts)), line=no, blank_before=b) for no, b, parts in paragraphs]
    return Document(name, "text", blocks, {}, warnings)


def _has_letters(line: str) -> bool:
    return any(c.isalpha() for c in line)


def _upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) > 1


def _runs(text: str) -> list[Run]:
    """Bold from **...** pairs, superscript footnote marks as marks."""
    text = " ".join(text.split())
    out: list[Run] = []
    pos = 0
    for m in _BOLD.finditer(text):
        out.extend(_marks(text[pos:m.start()], False))
        out.extend(_marks(m.group(1), True))
        pos = m.end()
    out.extend(_marks(text[pos:], False))
    return [r for r in out if r.text]


def _marks(text: str, bold: bool) -> list[Run]:
    out: list[Run] = []
    pos = 0
    for m in _SUP_MARK.finditer(text):
        out.append(Run(text[pos:m.start()], bold))
        digits = next(g for g in m.groups() if g)
        out.append(Run(digits.translate(SUPERSCRIPT_DIGITS), bold, superscript=True))
        pos = m.end()
    out.append(Run(text[pos:], bold))
    return out
