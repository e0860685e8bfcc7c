"""Operations on a paragraph's runs by character position, and runs -> source markup."""

from __future__ import annotations

import re

from .document import Run

_SPACE = re.compile(r"\s+")


def text_of(runs: list[Run]) -> str:
    return "".join(r.text for r in runs if r.note is None)


def cut(runs: list[Run], start: int, end: int | None = None) -> list[Run]:
    """The runs covering characters ``start:end`` of the paragraph's text (notes kept in place)."""
    out: list[Run] = []
    pos = 0
    stop = end if end is not None else 10**9
    for r in runs:
        if r.note is not None:
            # A mark belongs to the word before it: at a cut it stays on the left.
            if (start < pos or pos == start == 0) and pos <= stop:
                out.append(r)
            continue
        n = len(r.text)
        a, b = max(start - pos, 0), min(stop - pos, n)
        if a < b:
            out.append(Run(r.text[a:b], r.bold, r.superscript))
        pos += n
    return out


def strip(runs: list[Run]) -> list[Run]:
    """Leading and trailing spaces removed (notes stay)."""
    out = [Run(r.text, r.bold, r.superscript, r.note) for r in runs]
    while out and out[0].note is None and not out[0].text.strip():
        out.pop(0)
    while out and out[-1].note is None and not out[-1].text.strip():
        out.pop()
    if out and out[0].note is None:
        out[0].text = out[0].text.lstrip()
    if out and out[-1].note is None:
        out[-1].text = out[-1].text.rstrip()
    return out


def normalise(runs: list[Run]) -> list[Run]:
    """Tabs and runs of spaces as one space, across run boundaries; spaces never bold at the ends."""
    out: list[Run] = []
    prev_space = True
    for r in runs:
        if r.note is not None:
            out.append(r)
            continue
        text = _SPACE.sub(" ", r.text.replace("\u00a0", " "))
        if prev_space and text.startswith(" "):
            text = text[1:]
        if not text:
            continue
        prev_space = text.endswith(" ")
        out.append(Run(text, r.bold, r.superscript))
    return strip(out)


def unbold(runs: list[Run]) -> list[Run]:
    return [Run(r.text, False, r.superscript, r.note) for r in runs]


def all_bold(runs: list[Run]) -> bool:
    texts = [r for r in runs if r.note is None and r.text.strip()]
    return bool(texts) and all(r.bold for r in texts)


def escape(text: str) -> str:
    """Plain text as markup: a backslash before what markup would read (``\\``, ``*``, ``[^``)."""
    return text.replace("\\", "\\\\").replace("*", "\\*").replace("[^", "\\[^")


def markup(runs: list[Run], labels: dict[str, str]) -> str:
    """The source markup of ``runs``: ``**bold**``, ``[^label]`` for notes."""
    out: list[str] = []
    for r in runs:
        if r.note is not None:
            label = labels.get(r.note)
            if label:
                out.append(f"[^{label}]")
            continue
        if r.bold and r.text.strip():
            lead = r.text[: len(r.text) - len(r.text.lstrip())]
            tail = r.text[len(r.text.rstrip()):]
            out.append(f"{escape(lead)}**{escape(r.text.strip())}**{escape(tail)}")
        else:
            out.append(escape(r.text))
    text = "".join(out)
    # Two bold runs side by side read as one: "**a****b**" -> "**ab**".
    return _SPACE.sub(" ", text.replace("****", "")).strip()
