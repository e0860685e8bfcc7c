"""What the recognisers make of a document: a notice source still to be written.

Texts are kept in the source's inline markup (``**bold**``, ``[^1]``), so the
writer only lays them out. Every value the importer guessed carries an
ASSUMED note, every place it was unsure a CHECK note; the writer prints them
as YAML comments. A note says which field it is about where its comment cannot
stand beside that field: ``# CHECK (to): ...`` above an item is about the units
the item is addressed to, ``# ASSUMED (superior_body): ...`` at the top stands
for a field that is not written.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Note:
    kind: str   # "ASSUMED" or "CHECK"
    text: str   # in the language of the run (the comment the clerk reads)
    field: str | None = None   # "to": about the units of the item (or sub-item) it is on




@dataclass
class TaskDraft:
    text: str
    details: list[str] = field(default_factory=list)


@dataclass
class PointDraft:
    letter: str
    heading: str | None = None
    text: str | None = None
    text_details: list[str] = field(default_factory=list)   # "+" lines under the text
    to: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


@dataclass
class ItemDraft:
    number: int
    heading: str | None = None
    text: str | None = None
    text_details: list[str] = field(default_factory=list)   # "+" lines under the text
    to: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)
    points: list[PointDraft] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    numbered: bool = True

    def task_count(self) -> int:
        if not self.to and not any(p.to for p in self.points):
            return 0
        count = (1 if self.text else 0) + len(self.tasks)
        for p in self.points:
            if self.to or p.to:
                count += (1 if p.text else 0) + len(p.tasks)
        return count


@dataclass
class PartDraft:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    items: list[ItemDraft] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


@dataclass
class Draft:
    """The fields of a notice source, in the order they are written."""

    style: str | None = None
    superior_body: str | None = None
    issuing_body: list[str] = field(default_factory=list)
    body_code: str | None = None
    number: int | None = None
    type_code: str | None = None
    document_type: str | None = None
    place: str | None = None
    date: str | None = None           # ISO
    item_mark: str = "."
    subject: str | None = None
    opening: list[str] = field(default_factory=list)
    parts: list[PartDraft] = field(default_factory=list)
    items: list[ItemDraft] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)
    closing: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    authority: list[str] = field(default_factory=list)
    title: list[str] = field(default_factory=list)
    name: str | None = None
    notes: dict[str, list[Note]] = field(default_factory=dict)   # field -> notes
    unknown_units: dict[str, str | None] = field(default_factory=dict)  # name -> closest known

    def note(self, key: str, kind: str, text: str) -> None:
        self.notes.setdefault(key, []).append(Note(kind, text))

    @property
    def all_items(self) -> list[ItemDraft]:
        return [i for p in self.parts for i in p.items] + self.items

    def count(self, kind: str) -> int:
        notes = [n for ns in self.notes.values() for n in ns]
        for part in self.parts:
            notes += part.notes
        for item in self.all_items:
            notes += item.notes + [n for p in item.points for n in p.notes]
        return sum(1 for n in notes if n.kind == kind)
