"""Inline markup of notice text: ``**bold**`` and footnote references ``[^1]``.

A backslash makes the next character literal (``\\*`` prints a star). Nothing
else is special: braces, percent signs, ampersands and angle brackets are text.
"""

from __future__ import annotations

import re

from .i18n import _
from .model import FootnoteRef, Inline, Span, Text
from .patterns import lazy

_REF = lazy(r"\[\^([^\]\s]+)\]")
# One token at a time: an escaped character, "**", a footnote reference, a run of
# plain text, or any other single character (a lone "*", "[" or final "\").
_TOKEN = lazy(r"\\(.)|(\*\*)|\[\^([^\]\s]+)\]|([^\\*\[]+)|(.)", re.DOTALL)


class MarkupError(ValueError):
    """The text's markup is not well formed; the message says what was expected."""


def parse(source: str) -> Text:
    """Split ``source`` into bold/plain spans and footnote references."""
    pieces: list[Inline] = []
    buf: list[str] = []
    bold = False
    bold_opened_at = -1

    for m in _TOKEN.finditer(source):
        escaped, star, ref, plain, other = m.groups()
        if star:
            if buf:
                pieces.append(Span("".join(buf), bold))
                buf.clear()
            bold = not bold
            bold_opened_at = m.start()
        elif ref:
            if buf:
                pieces.append(Span("".join(buf), bold))
                buf.clear()
            pieces.append(FootnoteRef(ref))
        else:
            buf.append(plain or escaped or other)
    if bold:
        raise MarkupError(
            _("'**' opened at character {n} and never closed").format(n=bold_opened_at + 1)
        )
    if buf:
        pieces.append(Span("".join(buf), bold))
    return Text(source, _merge(pieces))


def _merge(pieces: list[Inline]) -> tuple[Inline, ...]:
    """Join neighbouring spans of the same weight; drop empty ones."""
    out: list[Inline] = []
    for p in pieces:
        if isinstance(p, Span):
            if not p.text:
                continue
            last = out[-1] if out else None
            if isinstance(last, Span) and last.bold == p.bold:
                out[-1] = Span(last.text + p.text, p.bold)
                continue
        out.append(p)
    return tuple(out)


def bold_phrases(text: Text) -> list[str]:
    """The bold runs of a text, in order (deadlines are written bold)."""
    return [p.text for p in text.pieces if isinstance(p, Span) and p.bold]


def concat(*texts: Text, sep: str = " ") -> Text:
    """One paragraph made of several texts (an inline heading and its task)."""
    pieces: list[Inline] = []
    for k, t in enumerate(texts):
        if k and sep:
            pieces.append(Span(sep))
        pieces.extend(t.pieces)
    return Text(sep.join(t.source for t in texts), _merge(pieces))
