"""The validator's findings for the clerk, each beside the field it is about.

The library says what is wrong through the one message catalog the command
line uses (generator/locale): the web app asks for Vietnamese (create_app
chooses it for every request and job), so a Problem arrives already in the
clerk's words. Here it is only placed and phrased for a form: the field path
becomes words ("conclusions[1].tasks[0]" -> "Kết luận 2, nhiệm vụ 1") and
the finding drops the file and line, which the editor does not show.
"""

from __future__ import annotations

import re

from ..errors import TOP_LEVEL, Problem
from ..i18n import N_, _

LETTERS = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

# The fields of the source format, as the form labels them (translated where shown).
FIELD_NAMES = {
    "style": N_("Style"), "superior_body": N_("Superior body"), "issuing_body": N_("Issuing body"),
    "body_code": N_("Body code"), "number": N_("Number"), "type_code": N_("Document type code"),
    "document_type": N_("Document type"), "place": N_("Place"), "date": N_("Date of issue"),
    "subject": N_("Subject"), "opening": N_("Opening"), "closing": N_("Closing"),
    "recipients": N_("Recipients"), "signature": N_("Signature"), "footnotes": N_("Footnotes"),
    "conclusions": N_("Conclusions"), "parts": N_("Parts"), "numbering": N_("numbering"),
    "item_mark": N_("mark after the number"), "to": N_("units addressed"), "heading": N_("heading"),
    "text": N_("content"), "deadline": N_("deadline"), "report_to": N_("report to"),
    "paragraphs": N_("paragraphs"), "tasks": N_("tasks"), "details": N_("details"), "items": N_("sub-items"),
    "authority": N_("signing authority"), "title": N_("signer's title"), "name": N_("signer's name"),
}

# What "nothing there" looks like in a finding: the form says "not filled in".
_EMPTY = (N_("nothing (the field is missing)"), N_("an empty value"), N_("empty text"), N_("an empty list"),
          N_("nothing"))


def place(path: str) -> str:
    """``conclusions[1].tasks[0].deadline`` -> ``Kết luận 2, nhiệm vụ 1, thời hạn``."""
    if not path or path == TOP_LEVEL:
        return _("Document")
    words: list[str] = []
    previous = ""
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", path):
        if part.startswith("["):
            k = int(part[1:-1])
            if previous == "conclusions":
                words[-1] = _("Conclusion {n}").format(n=k + 1)
            elif previous == "parts":
                words[-1] = _("Part {n}").format(n=ROMAN[k] if k < len(ROMAN) else k + 1)
            elif previous == "items":
                words[-1] = _("sub-item {letter})").format(letter=LETTERS[k] if k < len(LETTERS) else k + 1)
            elif previous == "tasks":
                words[-1] = _("task {n}").format(n=k + 1)
            elif previous == "details":
                words[-1] = _("detail {n}").format(n=k + 1)
            elif previous == "recipients":
                words[-1] = _("Recipients, line {n}").format(n=k + 1)
            elif previous in ("opening", "closing", "paragraphs"):
                words[-1] = _("{field}, paragraph {n}").format(field=words[-1], n=k + 1)
            else:
                words[-1] = _("{field} (line {n})").format(field=words[-1], n=k + 1)
        elif previous == "footnotes":
            words[-1] = _("Footnote ({label})").format(label=part)
        else:
            words.append(_(FIELD_NAMES[part]) if part in FIELD_NAMES else part)
        previous = part if not part.startswith("[") else ""
    if words:
        words[0] = words[0][:1].upper() + words[0][1:]
    return ", ".join(words)


def message(problem: Problem) -> str:
    """The finding as one sentence for the form (without the file, line and place)."""
    if problem.found in {_(e) for e in _EMPTY}:
        return _("not filled in.")
    return _("found {found}, expected {expected}.").format(found=problem.found, expected=problem.expected)


def located(problem: Problem) -> dict:
    """What the editor shows: the field path, where in words, and the message."""
    return {"path": problem.field, "place": place(problem.field), "message": message(problem),
            "line": problem.line}


def full(problem: Problem) -> str:
    return f"{place(problem.field)}: {message(problem)}"
