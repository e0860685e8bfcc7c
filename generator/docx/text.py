""".docx bytes -> the text of its paragraphs, for comparing two versions of a notice."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from lxml import etree

FOOTNOTES_PART = "/word/footnotes.xml"


def _text(p: etree._Element) -> str:
    out = []
    for el in p.iter(qn("w:t"), qn("w:tab"), qn("w:br")):
        out.append(el.text or "" if el.tag == qn("w:t") else ("\t" if el.tag == qn("w:tab") else "\n"))
    return "".join(out)


def paragraph_texts(data: bytes) -> list[str]:
    """Every non-empty paragraph in reading order (tables included), then the footnotes.

    A footnote's paragraphs are given as ``[footnote] (1) text``.
    """
    document = docx.Document(io.BytesIO(data))
    out = [t for t in (_text(p) for p in document.element.body.iter(qn("w:p"))) if t.strip()]
    for part in document.part.package.iter_parts():
        if part.partname != FOOTNOTES_PART:
            continue
        root = etree.fromstring(part.blob)
        for note in root.iter(qn("w:footnote")):
            if note.get(qn("w:type")):
                continue  # separators
            out.extend(f"[footnote] {t.strip()}" for t in (_text(p) for p in note.iter(qn("w:p"))) if t.strip())
    return out
