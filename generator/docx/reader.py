"""Read any .docx into the importer's paragraphs of runs (the docx layer of `thongbao import`).

Formatting is resolved the way Word does (direct, character style, paragraph
style and its parents, document defaults) for the two things import needs:
bold and superscript. Native footnote references keep their place in the
text; Word's automatic list numbers and bullets are printed as text ("1. ",
"a) ", "- "), as the recognisers read marks typed by hand.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

from lxml import etree

from ..i18n import _
from ..importer.document import Block, Document, Run
from ..source import strip_forbidden
from .audit import _on, _run_text, _Styles, part_rels, rel_target, w
from .package import MAX_XML_BYTES, ZIP_ERRORS, one_line

CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NOTE_SKIP = ("separator", "continuationSeparator", "continuationNotice")
_ROMAN = (("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90), ("L", 50), ("XL", 40),
          ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1))
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class UnreadableDocx(ValueError):
    """The file cannot be read as a .docx; the message says what it is instead, ``reason`` in a word
    ("damaged", "password", or "" for anything else: see ImportFailure)."""

    def __init__(self, message: str, reason: str = "damaged"):
        super().__init__(message)
        self.reason = reason


def read_docx(data: bytes, name: str) -> Document:
    """The paragraphs and footnotes of the .docx ``data``; raise UnreadableDocx."""
    if data.startswith(CFB_SIGNATURE):
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00e\x00d\x00P\x00a\x00c\x00k\x00a\x00g\x00e" in data:
            raise UnreadableDocx(_("a password-protected (encrypted) Word file"), "password")
        raise UnreadableDocx(_("an old-format Word file (.doc) named .docx"), "")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "word/document.xml" not in names:
                raise UnreadableDocx(_("a zip without word/document.xml (not a Word document)"))
            wanted = [i for i in z.infolist() if i.filename.endswith((".xml", ".rels"))]
            if sum(i.file_size for i in wanted) > MAX_XML_BYTES:
                raise UnreadableDocx(_("a document whose text parts unpack to more than {MAX_XML_BYTES} bytes").format(MAX_XML_BYTES=MAX_XML_BYTES), "")
            parts = {i.filename: z.read(i) for i in wanted}
    except ZIP_ERRORS:
        raise UnreadableDocx(_("a damaged file (not a readable zip)")) from None
    except OSError as exc:
        raise UnreadableDocx(_("a damaged file ({exc})").format(exc=one_line(exc))) from None
    try:
        return _Reader(name, parts).document()
    except etree.XMLSyntaxError as exc:
        raise UnreadableDocx(_("a damaged file (broken XML: {exc})").format(exc=one_line(exc))) from None


class _Reader:
    def __init__(self, name: str, parts: dict[str, bytes]):
        self.name = name
        self.parts = parts
        self.rels = self._rels("word/_rels/document.xml.rels")
        self.styles = _Styles(self._xml(self._target("styles") or "word/styles.xml"), None)
        self.numbering = self._xml(self._target("numbering") or "word/numbering.xml")
        self.counters: dict[tuple[str, int], int] = {}
        self.tables = 0
        self.bookmarks: dict[str, str] = {}   # bookmark name -> the footnote whose mark it holds
        self.open_marks: list[str] = []
        self._levels: dict[tuple[str, int], etree._Element | None] = {}

    def _xml(self, name: str) -> etree._Element | None:
        blob = self.parts.get(name)
        if not blob:
            return None
        return etree.fromstring(blob, etree.XMLParser(resolve_entities=False, huge_tree=True))

    def _rels(self, name: str) -> dict[str, tuple[str, str]]:
        return part_rels(self._xml(name))

    def _target(self, kind: str) -> str | None:
        return rel_target(self.rels, kind)

    def document(self) -> Document:
        root = self._xml("word/document.xml")
        body = root.find(w("body")) if root is not None else None
        blocks: list[Block] = []
        if body is not None:
            self._container(_copied_document(body), blocks, None)  # type: ignore[arg-type]
        return Document(self.name, "docx", blocks, self._notes())

    def _container(self, el: etree._Element, out: list[Block], cell: tuple[int, int, int] | None) -> None:
        for child in el:
            if child.tag == w("p"):
                for box in self._text_boxes(child):  # headers are sometimes typed in text boxes
                    index = self.tables
                    self.tables += 1
                    self._container(box, out, (index, 0, 0))
                out.append(self._para(child, cell))
            elif child.tag == w("tbl"):
                self._table(child, out)
            elif child.tag in (w("sdt"), w("customXml")):
                content = child.find(w("sdtContent")) if child.tag == w("sdt") else child
                if content is not None:
                    self._container(content, out, cell)

    def _text_boxes(self, p: etree._Element) -> list[etree._Element]:
        """The text boxes anchored in ``p`` (once: not the VML copy Word keeps for old readers)."""
        boxes = []
        for box in p.iter(w("txbxContent")):
            parent, fallback = box.getparent(), False
            while parent is not None and parent is not p:
                if parent.tag.endswith("}Fallback") or parent.tag == w("txbxContent"):
                    fallback = True
                    break
                parent = parent.getparent()
            if not fallback:
                boxes.append(box)
        return boxes

    def _table(self, tbl: etree._Element, out: list[Block]) -> None:
        index = self.tables
        self.tables += 1
        for r, tr in enumerate(tbl.findall(w("tr"))):
            for c, tc in enumerate(tr.findall(w("tc"))):
                self._container(tc, out, (index, r, c))

    # -- paragraphs ---------------------------------------------------------
    def _ppr_chain(self, p: etree._Element) -> tuple[list[etree._Element], list[etree._Element], str]:
        ppr = p.find(w("pPr"))
        style = ppr.find(w("pStyle")) if ppr is not None else None
        sid = style.get(w("val")) if style is not None else self.styles.default_para
        styles = self.styles.chain(sid)
        chain = ([ppr] if ppr is not None else []) + [s.find(w("pPr")) for s in styles if s.find(w("pPr")) is not None]
        rprs = [s.find(w("rPr")) for s in styles if s.find(w("rPr")) is not None]
        return chain, rprs, self.styles.name(sid)

    def _para(self, p: etree._Element, cell: tuple[int, int, int] | None, in_note: bool = False) -> Block:
        chain, style_rprs, style = self._ppr_chain(p)
        jc = next((x.find(w("jc")) for x in chain if x.find(w("jc")) is not None), None)
        align = {"both": "both", "distribute": "both", "center": "center", "right": "right",
                 "end": "right"}.get(jc.get(w("val")) if jc is not None else "left", "left")
        runs: list[Run] = []
        mark = self._list_mark(chain)
        if mark:
            runs.append(Run(mark))
        mark = ""  # a custom footnote mark, which LibreOffice also writes again as text after the note
        field: list[str] | None = None   # the instruction of the complex field being read
        in_result = False                # inside the shown result of a NOTEREF field: not text
        for r in p.iter(w("r"), w("bookmarkStart"), w("fldSimple")):
            if r.tag == w("bookmarkStart"):
                self.open_marks.append(r.get(w("name"), ""))
                continue
            if r.tag == w("fldSimple"):
                note = self._noteref(r.get(w("instr"), ""))
                if note is not None and not in_note:
                    runs.append(Run("", note=note))
                continue
            if self._skipped(r, p):
                continue
            fld = r.find(w("fldChar"))
            if fld is not None:
                kind = fld.get(w("fldCharType"))
                if kind == "begin":
                    field, in_result = [], False
                elif kind == "separate" and field is not None:
                    note = self._noteref("".join(field))
                    if note is not None:
                        in_result = True
                        if not in_note:
                            runs.append(Run("", note=note))
                    field = None
                elif kind == "end":
                    field, in_result = None, False
                continue
            if field is not None:
                field.extend(t.text or "" for t in r.iter(w("instrText")))
                continue
            if in_result:
                continue
            ref = r.find(w("footnoteReference"))
            end = r.find(w("endnoteReference")) if ref is None else None
            if ref is not None or end is not None:
                # Endnotes are read as notes too (a notice prints them as footnotes): ids "e1", "e2" ...
                nid = ref.get(w("id"), "") if ref is not None else "e" + end.get(w("id"), "")
                ref = ref if ref is not None else end
                for name in self.open_marks:  # a bookmark around a note's mark: later NOTEREFs cite it
                    self.bookmarks[name] = nid
                self.open_marks = []
                if not in_note:
                    runs.append(Run("", note=nid))
                custom = _on(ref.find(w("customMarkFollows"))) or ref.get(w("customMarkFollows")) in ("1", "true")
                mark = "".join(_run_text(r)).strip() if custom else ""
                continue
            if r.find(w("footnoteRef")) is not None or r.find(w("endnoteRef")) is not None:
                continue  # the automatic mark at the start of a note
            text = "".join(_run_text(r))
            if mark:
                text, mark = _after_mark(text, mark)
            if not text:
                continue
            bold, sup = self._format(r, style_rprs)
            runs.append(Run(text, bold, sup))
        return Block(_merge(runs), cell, align, style)

    def _noteref(self, instr: str) -> str | None:
        """The footnote a NOTEREF field cites again (through the bookmark on its first mark)."""
        m = re.match(r"\s*NOTEREF\s+(\S+)", instr)
        return self.bookmarks.get(m.group(1)) if m else None

    def _skipped(self, r: etree._Element, p: etree._Element) -> bool:
        """Runs in text boxes, deleted text, and field codes are not the paragraph's text."""
        parent = r.getparent()
        while parent is not None and parent is not p:
            if parent.tag in (w("txbxContent"), w("del"), w("moveFrom"), w("fldSimple")):
                return True
            parent = parent.getparent()
        return False

    def _format(self, r: etree._Element, style_rprs: list[etree._Element]) -> tuple[bool, bool]:
        chain = self.styles.run_chain(r, style_rprs)
        bold = next((v for v in (_on(x.find(w("b"))) for x in chain) if v is not None), False)
        va = next((x.find(w("vertAlign")) for x in chain if x.find(w("vertAlign")) is not None), None)
        return bool(bold), va is not None and va.get(w("val")) == "superscript"

    # -- Word's automatic numbering, printed as text ------------------------
    def _list_mark(self, chain: list[etree._Element]) -> str:
        num = next((x.find(w("numPr")) for x in chain if x.find(w("numPr")) is not None), None)
        if num is None or self.numbering is None:
            return ""
        nid_el, lvl_el = num.find(w("numId")), num.find(w("ilvl"))
        nid = nid_el.get(w("val")) if nid_el is not None else None
        level = int(lvl_el.get(w("val"), "0")) if lvl_el is not None else 0
        if not nid or nid == "0":
            return ""
        lvl = self._level(nid, level)
        if lvl is None:
            return ""
        fmt_el, text_el = lvl.find(w("numFmt")), lvl.find(w("lvlText"))
        fmt = fmt_el.get(w("val"), "decimal") if fmt_el is not None else "decimal"
        pattern = text_el.get(w("val"), "") if text_el is not None else ""
        if fmt == "bullet":
            return "+ " if pattern.strip() == "+" else "- "
        start_el = lvl.find(w("start"))
        start = int(start_el.get(w("val"), "1")) if start_el is not None else 1
        key = (nid, level)
        self.counters[key] = self.counters.get(key, start - 1) + 1
        for (n, lv) in list(self.counters):  # a new item restarts the levels below it
            if n == nid and lv > level:
                del self.counters[(n, lv)]
        out = pattern
        for k in range(level + 1):
            value = self.counters.get((nid, k), 1)
            out = out.replace(f"%{k + 1}", _format_number(value, fmt if k == level else "decimal"))
        return out + " " if out else ""

    def _level(self, nid: str, level: int) -> etree._Element | None:
        key = (nid, level)
        if key not in self._levels:
            found = None
            for n in self.numbering.findall(w("num")):
                if n.get(w("numId")) == nid:
                    abstract = n.find(w("abstractNumId"))
                    aid = abstract.get(w("val")) if abstract is not None else None
                    for a in self.numbering.findall(w("abstractNum")):
                        if a.get(w("abstractNumId")) == aid:
                            found = next((lv for lv in a.findall(w("lvl")) if lv.get(w("ilvl")) == str(level)), None)
            self._levels[key] = found
        return self._levels[key]

    # -- footnotes ------------------------------------------------------------
    def _notes(self) -> dict[str, list[Run]]:
        out: dict[str, list[Run]] = {}
        for kind, prefix in (("footnote", ""), ("endnote", "e")):
            target = self._target(kind + "s")
            root = self._xml(target) if target else None
            if root is None:
                continue
            for fn in root.findall(w(kind)):
                if fn.get(w("type")) in _NOTE_SKIP:
                    continue
                runs: list[Run] = []
                for k, p in enumerate(fn.iter(w("p"))):
                    block = self._para(p, None, in_note=True)
                    if k and block.runs:
                        runs.append(Run(" "))
                    runs.extend(block.runs)
                out[prefix + fn.get(w("id"), "")] = runs
        return out


def _copied_document(body: etree._Element) -> list[etree._Element]:
    """The body's elements, without the copy block of a bản trích sao (generator/docx/copy_block.py):
    a table whose right column opens with TRÍCH SAO, and the rule just above it. What a trích sao
    copies is the original; its copy block says who copied it, not what the notice says."""
    from ..copies import COPY_KINDS

    children = list(body)
    for k, el in enumerate(children):
        if el.tag != w("tbl"):
            continue
        row = el.find(w("tr"))
        cells = row.findall(w("tc")) if row is not None else []
        texts = ["".join(t.text or "" for t in p.iter(w("t"))) for c in cells[1:] for p in c.iter(w("p"))]
        first = next((" ".join(x.split()).upper() for x in texts if x.strip()), "")
        if first in COPY_KINDS:
            start = k
            before = children[k - 1] if k else None
            if before is not None and before.tag == w("p") and not "".join(before.itertext()).strip():
                start = k - 1
            return children[:start] + [c for c in children[k + 1:] if c.tag == w("sectPr")]
    return children


def _after_mark(text: str, mark: str) -> tuple[str, str]:
    """Text after a custom footnote mark, without what belongs to the mark; the mark still expected.

    LibreOffice splits a mark "(1)" over runs ("(" in the reference, "1)" after it)
    and writes it once more as text: both are the mark, not the notice's text.
    """
    if re.fullmatch(r"\(?\d*", mark):  # a mark cut short: its rest starts this run
        rest = re.match(r"^\d*\)?", text).group(0)
        return text[len(rest):], (mark + rest if rest else "")
    if text.startswith(mark):
        return text[len(mark):], ""
    return text, ""


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = _LETTERS[(value - 1) % 26]
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        out, n = "", value
        for sym, v in _ROMAN:
            while n >= v:
                out += sym
                n -= v
        return out.lower() if fmt == "lowerRoman" else out
    return str(value)


def _merge(runs: list[Run]) -> list[Run]:
    """Neighbouring runs of one formatting as one; text NFC, without what XML text may not hold."""
    out: list[Run] = []
    for r in runs:
        if r.text:
            r = Run(strip_forbidden(unicodedata.normalize("NFC", r.text))[0], r.bold, r.superscript, r.note)
        last = out[-1] if out else None
        if (last is not None and r.note is None and last.note is None and last.bold == r.bold
                and last.superscript == r.superscript):
            out[-1] = Run(last.text + r.text, r.bold, r.superscript)
        else:
            out.append(r)
    return out
