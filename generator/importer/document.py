"""The intermediate structure every reader produces: paragraphs of runs, and notes.

A reader (.docx, plain text) says what is on the page and nothing more: the
recognisers (recognise.py) decide what each paragraph is. Nothing here knows
XML or YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Run:
    """A piece of a paragraph with one formatting.

    ``note`` is the id of the footnote a native reference points to (the run's
    text is then the printed mark, if any); ``superscript`` marks typed
    superscript text, which may be a hand-made footnote mark.
    """

    text: str
    bold: bool = False
    superscript: bool = False
    note: str | None = None


@dataclass
class Block:
    """One paragraph as read, with where it sat.

    ``cell`` is (table, row, column) for a paragraph inside a table; ``align``
    is "center", "right", "both" or "left" when the reader knows it, else "".
    ``line`` is the line of a text file the paragraph starts on.
    """

    runs: list[Run]
    cell: tuple[int, int, int] | None = None
    align: str = ""
    style: str = ""
    line: int | None = None
    blank_before: bool = True  # text files: a blank line (or the start) before it

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs if r.note is None)


@dataclass
class Document:
    """What a reader found: the paragraphs in reading order and the native footnotes."""

    name: str
    kind: str                      # "docx" or "text"
    blocks: list[Block]
    notes: dict[str, list[Run]] = field(default_factory=dict)   # footnote id -> its text
    warnings: list[str] = field(default_factory=list)
