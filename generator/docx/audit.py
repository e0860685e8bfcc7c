"""Read any .docx (ours or typed by hand) into plain facts for the layout checker.

Everything the checker needs is resolved here, the way Word resolves it:
direct formatting, then the character style, the paragraph style and its
parents, then the document defaults (and the theme for theme fonts). The
result speaks of pages, paragraphs, cells and runs with sizes in points and
millimetres; generator/check.py applies the rules to it and never sees XML.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..i18n import _
from .package import MAX_XML_BYTES, ZIP_ERRORS, one_line

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
V = "urn:schemas-microsoft-com:vml"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
EP = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
DEFAULT_CELL_MARGIN_MM = 1.9  # Word's "Normal Table": 108 twips left and right
DEFAULT_SIZE_PT = 10.0        # what Word uses when nothing sets a size


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def part_rels(root: etree._Element | None) -> dict[str, tuple[str, str]]:
    """A relationships part as {id: (type's last word, target path in the package)}."""
    out = {}
    if root is not None:
        for rel in root.findall(f"{{{REL_NS}}}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else "word/" + target
            out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
    return out


def rel_target(rels: dict[str, tuple[str, str]], kind: str) -> str | None:
    """The target of the first relationship of that kind, or None."""
    return next((t for k, t in rels.values() if k == kind), None)


def twips_mm(value: str | None) -> float:
    return float(value or 0) / 1440 * 25.4


class NotADocx(ValueError):
    """The file is not a Word document this reader can open."""


@dataclass
class RunFacts:
    text: str
    fonts: tuple[str, ...]      # the fonts its characters are printed in
    size_pt: float
    bold: bool
    italic: bool
    underline: bool
    caps: bool
    superscript: bool
    color: str | None           # None or "auto" is black
    field: str = ""             # the instruction of the field whose shown result this run is ("NOTEREF ...")


@dataclass
class Rule:
    """A horizontal rule drawn under (or over) a paragraph, with its length where known."""

    kind: str                   # "border" or "line"
    length_mm: float | None


@dataclass
class Para:
    index: int
    text: str                   # as printed: All Caps applied, list marks ("- ") added
    runs: list[RunFacts]
    style: str
    align: str                  # left, center, right, both
    left_mm: float
    right_mm: float
    first_line_mm: float        # negative for a hanging indent
    space_before_pt: float
    space_after_pt: float
    line_rule: str              # auto (multiple of lines), exact, atLeast
    line_value: float           # lines for auto, points otherwise
    border_bottom: bool
    border_top: bool
    shapes_mm: list[float]      # lengths of horizontal line shapes anchored here
    mark_size_pt: float         # size of the paragraph mark (height of an empty paragraph)
    footnote_refs: list[tuple[str, str]] = field(default_factory=list)  # (id, custom mark or "")
    width_mm: float | None = None  # the width it is laid out in (cell or page), minus indents
    keep_next: bool = False     # kept on the page of the next paragraph (Word: Keep with next)
    border_bottom_kind: str = ""   # the bottom border's w:val: "single" (solid), "dashed", "double" ...

    @property
    def height_pt(self) -> float:
        """The height of one line of its mark, with the space before and after (an empty paragraph)."""
        if self.line_rule == "exact":
            line = self.line_value
        elif self.line_rule == "atLeast":
            line = max(self.line_value, self.mark_size_pt * 1.15)
        else:
            line = self.mark_size_pt * 1.15 * self.line_value
        return self.space_before_pt + line + self.space_after_pt

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def snippet(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 40 else text[:38] + "…"


@dataclass
class Cell:
    width_mm: float
    margins_mm: tuple[float, float]
    paras: list[Para]

    @property
    def text_width_mm(self) -> float:
        return self.width_mm - sum(self.margins_mm)


@dataclass
class Table:
    index: int
    rows: list[list[Cell]]
    cant_split: list[bool] = field(default_factory=list)   # per row: Word's "Allow row to break across pages" off

    @property
    def text(self) -> str:
        return "\n".join(p.text for row in self.rows for c in row for p in c.paras)


@dataclass
class Section:
    page_mm: tuple[float, float]
    landscape: bool
    margins_mm: dict[str, float]
    title_page: bool            # a different first-page header (no number on page 1)
    header_page_field: bool     # PAGE in the header of the other pages
    header_page_align: str | None
    first_header_page_field: bool
    footer_page_field: bool


@dataclass
class Document:
    path: str
    section: Section
    blocks: list[Para | Table]
    footnotes: dict[str, list[Para]]
    pages: int | None           # as the program that saved it counted them
    text_width_mm: float


def read(path: str | Path) -> Document:
    """The facts of the .docx at ``path``; raise NotADocx if it cannot be read as one."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "word/document.xml" not in names:
                raise NotADocx(_("a zip without word/document.xml"))
            wanted = [i for i in z.infolist() if i.filename.endswith((".xml", ".rels"))]
            if sum(i.file_size for i in wanted) > MAX_XML_BYTES:
                raise NotADocx(_("a document whose text parts unpack to more than {MAX_XML_BYTES} bytes").format(
                    MAX_XML_BYTES=MAX_XML_BYTES))
            parts = {i.filename: z.read(i) for i in wanted}
    except FileNotFoundError:
        raise NotADocx(_("no such file")) from None
    except IsADirectoryError:
        raise NotADocx(_("a directory")) from None
    except zipfile.BadZipFile:
        raise NotADocx(_("a file that is not a zip")) from None
    except ZIP_ERRORS:
        raise NotADocx(_("a damaged file (not a readable zip)")) from None
    try:
        return _Reader(str(path), parts).document()
    except etree.XMLSyntaxError as exc:
        raise NotADocx(_("broken XML ({exc})").format(exc=one_line(exc))) from None
    except (AttributeError, TypeError, KeyError, IndexError, ValueError):
        # Well-formed XML of another shape (no w:body, a foreign root): was a traceback.
        raise NotADocx(_("a word/document.xml that is not a Word document")) from None


def _on(el: etree._Element | None) -> bool | None:
    """A toggle property: None when not set here."""
    if el is None:
        return None
    return el.get(w("val"), "true").lower() not in ("0", "false", "off", "none")


class _Styles:
    def __init__(self, styles: etree._Element | None, theme: etree._Element | None):
        self.by_id: dict[str, etree._Element] = {}
        self.default_para = None
        self.default_table = None
        self.rpr_default = None
        self.ppr_default = None
        if styles is not None:
            for s in styles.findall(w("style")):
                self.by_id[s.get(w("styleId"), "")] = s
                if s.get(w("default")) in ("1", "true"):
                    if s.get(w("type")) == "paragraph":
                        self.default_para = s.get(w("styleId"))
                    elif s.get(w("type")) == "table":
                        self.default_table = s.get(w("styleId"))
            dd = styles.find(w("docDefaults"))
            if dd is not None:
                self.rpr_default = dd.find(f"{w('rPrDefault')}/{w('rPr')}")
                self.ppr_default = dd.find(f"{w('pPrDefault')}/{w('pPr')}")
        self.theme_fonts = {}
        if theme is not None:
            for kind in ("major", "minor"):
                latin = theme.find(f".//{{{A}}}{kind}Font/{{{A}}}latin")
                if latin is not None:
                    self.theme_fonts[kind] = latin.get("typeface", "")

    def name(self, style_id: str | None) -> str:
        s = self.by_id.get(style_id or "")
        n = s.find(w("name")) if s is not None else None
        return n.get(w("val"), style_id or "") if n is not None else (style_id or "")

    def chain(self, style_id: str | None) -> list[etree._Element]:
        out, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            s = self.by_id[style_id]
            out.append(s)
            based = s.find(w("basedOn"))
            style_id = based.get(w("val")) if based is not None else None
        return out

    def run_chain(self, r: etree._Element, style_rprs: list[etree._Element]) -> list[etree._Element]:
        """A run's rPr elements, nearest first: its own, its character style's chain, then
        ``style_rprs`` (the paragraph's), then the document default."""
        rpr = r.find(w("rPr"))
        chain = [rpr] if rpr is not None else []
        rstyle = rpr.find(w("rStyle")) if rpr is not None else None
        if rstyle is not None:
            chain += [s.find(w("rPr")) for s in self.chain(rstyle.get(w("val"))) if s.find(w("rPr")) is not None]
        chain += style_rprs
        if self.rpr_default is not None:
            chain.append(self.rpr_default)
        return chain

    def theme_font(self, name: str) -> str:
        kind = "major" if name.startswith("major") else "minor"
        return self.theme_fonts.get(kind, name)


class _Reader:
    def __init__(self, path: str, parts: dict[str, bytes]):
        self.path = path
        self.parts = parts
        self.doc = self._xml("word/document.xml")
        self.rels = self._rels("word/_rels/document.xml.rels")
        self.styles = _Styles(self._xml(self._target("styles") or "word/styles.xml"),
                              self._xml(self._target("theme") or "word/theme/theme1.xml"))
        self.numbering = self._xml(self._target("numbering") or "word/numbering.xml")
        self.index = 0

    # -- parts --------------------------------------------------------------
    def _xml(self, name: str) -> etree._Element | None:
        blob = self.parts.get(name)
        return etree.fromstring(blob) if blob else None

    def _rels(self, name: str) -> dict[str, tuple[str, str]]:
        return part_rels(self._xml(name))

    def _target(self, kind: str) -> str | None:
        return rel_target(self.rels, kind)

    # -- document -----------------------------------------------------------
    def document(self) -> Document:
        body = self.doc.find(w("body"))
        sect = body.find(w("sectPr"))
        if sect is None:
            found = body.findall(f".//{w('sectPr')}")
            sect = found[-1] if found else None
        section = self._section(sect)
        width = section.page_mm[0] - section.margins_mm["left"] - section.margins_mm["right"]
        blocks: list[Para | Table] = []
        for el in body:
            if el.tag == w("p"):
                blocks.append(self._para(el, width))
            elif el.tag == w("tbl"):
                blocks.append(self._table(el))
            elif el.tag == w("sdt"):
                content = el.find(w("sdtContent"))
                for sub in (content if content is not None else []):
                    if sub.tag == w("p"):
                        blocks.append(self._para(sub, width))
                    elif sub.tag == w("tbl"):
                        blocks.append(self._table(sub))
        return Document(self.path, section, blocks, self._footnotes(width), self._pages(), width)

    def _pages(self) -> int | None:
        app = self._xml("docProps/app.xml")
        pages = app.find(f"{{{EP}}}Pages") if app is not None else None
        try:
            return int(pages.text) if pages is not None and pages.text else None
        except ValueError:
            return None

    def _section(self, sect: etree._Element | None) -> Section:
        get = (lambda tag: sect.find(w(tag))) if sect is not None else (lambda tag: None)
        size = get("pgSz")
        page = (twips_mm(size.get(w("w"))), twips_mm(size.get(w("h")))) if size is not None else (215.9, 279.4)
        landscape = size is not None and size.get(w("orient")) == "landscape"
        mar = get("pgMar")
        margins = {k: twips_mm(mar.get(w(k))) if mar is not None else 25.4 for k in ("top", "bottom", "left", "right")}
        title_page = bool(_on(get("titlePg")))
        headers = {r.get(w("type"), "default"): r.get(f"{{{R}}}id")
                   for r in (sect.findall(w("headerReference")) if sect is not None else [])}
        footers = {r.get(w("type"), "default"): r.get(f"{{{R}}}id")
                   for r in (sect.findall(w("footerReference")) if sect is not None else [])}
        default_field, align = self._page_field(headers.get("default"))
        first_field, _ = self._page_field(headers.get("first"))
        if title_page and "first" not in headers:
            first_field = False  # Word leaves page 1 without a header then
        footer_field = any(self._page_field(rid)[0] for rid in footers.values())
        return Section(page, landscape, margins, title_page, default_field, align, first_field, footer_field)

    def _page_field(self, rid: str | None) -> tuple[bool, str | None]:
        if not rid or rid not in self.rels:
            return False, None
        root = self._xml(self.rels[rid][1])
        if root is None:
            return False, None
        for p in root.iter(w("p")):
            instr = " ".join([f.get(w("instr"), "") for f in p.iter(w("fldSimple"))]
                             + [t.text or "" for t in p.iter(w("instrText"))])
            if re.search(r"\bPAGE\b", instr):
                return True, self._para(p, 0).align
        return False, None

    def _footnotes(self, width: float) -> dict[str, list[Para]]:
        target = self._target("footnotes")
        root = self._xml(target) if target else None
        out: dict[str, list[Para]] = {}
        if root is None:
            return out
        for fn in root.findall(w("footnote")):
            if fn.get(w("type")) in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            out[fn.get(w("id"), "")] = [self._para(p, width) for p in fn.iter(w("p"))]
        return out

    # -- tables -------------------------------------------------------------
    def _table(self, tbl: etree._Element) -> Table:
        index = self.index
        self.index += 1
        margins = self._cell_margins(tbl)
        grid = [twips_mm(g.get(w("w"))) for g in tbl.findall(f"{w('tblGrid')}/{w('gridCol')}")]
        rows, cant_split = [], []
        for tr in tbl.findall(w("tr")):
            cant_split.append(bool(_on(tr.find(f"{w('trPr')}/{w('cantSplit')}"))))
            cells, col = [], 0
            for tc in tr.findall(w("tc")):
                pr = tc.find(w("tcPr"))
                span_el = pr.find(w("gridSpan")) if pr is not None else None
                span = int(span_el.get(w("val"), "1")) if span_el is not None else 1
                tcw = pr.find(w("tcW")) if pr is not None else None
                if tcw is not None and tcw.get(w("type"), "dxa") == "dxa" and float(tcw.get(w("w"), 0)) > 0:
                    width = twips_mm(tcw.get(w("w")))
                else:
                    width = sum(grid[col:col + span]) if grid else 0
                col += span
                cell_margins = self._cell_margins(tc, margins)
                inner = width - sum(cell_margins)
                paras = []
                for el in tc:
                    if el.tag == w("p"):
                        paras.append(self._para(el, inner))
                    elif el.tag == w("tbl"):  # a nested table: read its paragraphs in order
                        paras.extend(p for row in self._table(el).rows for c in row for p in c.paras)
                cells.append(Cell(width, cell_margins, paras))
            rows.append(cells)
        return Table(index, rows, cant_split)

    def _cell_margins(self, el: etree._Element, inherited: tuple[float, float] | None = None) -> tuple[float, float]:
        if el.tag == w("tc"):
            mar = el.find(f"{w('tcPr')}/{w('tcMar')}")
        else:
            mar = el.find(f"{w('tblPr')}/{w('tblCellMar')}")
            if mar is None:
                style = el.find(f"{w('tblPr')}/{w('tblStyle')}")
                sid = style.get(w("val")) if style is not None else self.styles.default_table
                for s in self.styles.chain(sid):
                    mar = s.find(f"{w('tblPr')}/{w('tblCellMar')}")
                    if mar is not None:
                        break
        base = inherited or (DEFAULT_CELL_MARGIN_MM, DEFAULT_CELL_MARGIN_MM)
        if mar is None:
            return base
        out = []
        for names, default in ((("left", "start"), base[0]), (("right", "end"), base[1])):
            side = next((mar.find(w(n)) for n in names if mar.find(w(n)) is not None), None)
            out.append(twips_mm(side.get(w("w"))) if side is not None and side.get(w("type"), "dxa") == "dxa"
                       else default)
        return out[0], out[1]

    # -- paragraphs ---------------------------------------------------------
    def _ppr_chain(self, p: etree._Element) -> list[etree._Element]:
        ppr = p.find(w("pPr"))
        style = ppr.find(w("pStyle")) if ppr is not None else None
        sid = style.get(w("val")) if style is not None else self.styles.default_para
        chain = [ppr] if ppr is not None else []
        chain += [s.find(w("pPr")) for s in self.styles.chain(sid) if s.find(w("pPr")) is not None]
        if self.styles.ppr_default is not None:
            chain.append(self.styles.ppr_default)
        return chain

    def _para_style_rprs(self, p: etree._Element) -> list[etree._Element]:
        ppr = p.find(w("pPr"))
        style = ppr.find(w("pStyle")) if ppr is not None else None
        sid = style.get(w("val")) if style is not None else self.styles.default_para
        return [s.find(w("rPr")) for s in self.styles.chain(sid) if s.find(w("rPr")) is not None]

    def _para(self, p: etree._Element, width: float) -> Para:
        index = self.index
        self.index += 1
        chain = self._ppr_chain(p)

        def first(tag: str) -> etree._Element | None:
            for ppr in chain:
                el = ppr.find(w(tag))
                if el is not None:
                    return el
            return None

        def attr(tag: str, *names: str) -> str | None:
            for ppr in chain:
                el = ppr.find(w(tag))
                if el is not None:
                    for n in names:
                        if el.get(w(n)) is not None:
                            return el.get(w(n))
            return None

        jc = first("jc")
        align = {"both": "both", "distribute": "both", "center": "center", "right": "right", "end": "right"}.get(
            jc.get(w("val")) if jc is not None else "left", "left")
        left = twips_mm(attr("ind", "left", "start"))
        right = twips_mm(attr("ind", "right", "end"))
        hanging = attr("ind", "hanging")
        first_line = -twips_mm(hanging) if hanging is not None else twips_mm(attr("ind", "firstLine"))
        before = float(attr("spacing", "before") or 0) / 20
        after = float(attr("spacing", "after") or 0) / 20
        rule = attr("spacing", "lineRule") or "auto"
        line_raw = attr("spacing", "line")
        line = float(line_raw) if line_raw else 240.0
        line_value = line / 240 if rule == "auto" else line / 20
        bdr = first("pBdr")
        border_bottom = _border(bdr, "bottom")
        border_top = _border(bdr, "top")
        style_el = p.find(f"{w('pPr')}/{w('pStyle')}")
        style = self.styles.name(style_el.get(w("val")) if style_el is not None else self.styles.default_para)

        style_rprs = self._para_style_rprs(p)
        runs: list[RunFacts] = []
        refs: list[tuple[str, str]] = []
        shapes: list[float] = []
        instr: list[str] | None = None   # inside a complex field: its instruction so far
        result = ""                      # after its separator: the instruction whose result follows
        for r in p.iter(w("r")):
            if _in_textbox(r, p):
                continue
            char = r.find(w("fldChar"))
            kind = char.get(w("fldCharType")) if char is not None else None
            if kind == "begin":
                instr, result = [], ""
            elif kind == "separate" and instr is not None:
                result, instr = " ".join("".join(instr).split()), None
            elif kind == "end":
                instr, result = None, ""
            if instr is not None:
                instr.extend(t.text or "" for t in r.iter(w("instrText")))
            ref = r.find(w("footnoteReference"))
            text = "".join(_run_text(r))
            if ref is not None:
                custom = _on(ref.find(w("customMarkFollows"))) or ref.get(w("customMarkFollows")) in ("1", "true")
                refs.append((ref.get(w("id"), ""), text if custom else ""))
            shapes.extend(_line_shapes(r))
            if not text:
                continue
            facts = self._run(r, style_rprs, text)
            facts.field = result or _simple_field(r, p)
            runs.append(facts)
        mark_rpr = p.find(f"{w('pPr')}/{w('rPr')}")
        mark_size = self._size([mark_rpr] if mark_rpr is not None else [], style_rprs)
        text = "".join(r.text.upper() if r.caps else r.text for r in runs)
        text = self._list_mark(p, chain) + text
        inner = max(width - left - right, 0) if width else 0
        return Para(index, text, runs, style, align, left, right, first_line, before, after, rule, line_value,
                    border_bottom, border_top, shapes, mark_size, refs, inner or None, bool(_on(first("keepNext"))),
                    border_bottom_kind=_border_kind(bdr, "bottom") if border_bottom else "")

    def _list_mark(self, p: etree._Element, chain: list[etree._Element]) -> str:
        """The printed mark of a bulleted or numbered paragraph ("- " for a dash bullet)."""
        num = None
        for ppr in chain:
            num = ppr.find(w("numPr"))
            if num is not None:
                break
        if num is None or self.numbering is None:
            return ""
        num_id = num.find(w("numId"))
        ilvl = num.find(w("ilvl"))
        nid = num_id.get(w("val")) if num_id is not None else None
        level = ilvl.get(w("val"), "0") if ilvl is not None else "0"
        if not nid or nid == "0":
            return ""
        for n in self.numbering.findall(w("num")):
            if n.get(w("numId")) == nid:
                abstract = n.find(w("abstractNumId")).get(w("val"))
                for a in self.numbering.findall(w("abstractNum")):
                    if a.get(w("abstractNumId")) == abstract:
                        for lvl in a.findall(w("lvl")):
                            if lvl.get(w("ilvl")) == level:
                                fmt = lvl.find(w("numFmt"))
                                txt = lvl.find(w("lvlText"))
                                if fmt is not None and fmt.get(w("val")) == "bullet" and txt is not None:
                                    mark = txt.get(w("val"), "")
                                    return "- " if mark in ("-", "–", "−", "") else mark + " "
                                return ""
        return ""

    # -- runs ---------------------------------------------------------------
    def _size(self, direct: list[etree._Element], style_rprs: list[etree._Element]) -> float:
        for rpr in direct + style_rprs + ([self.styles.rpr_default] if self.styles.rpr_default is not None else []):
            sz = rpr.find(w("sz"))
            if sz is not None and sz.get(w("val")):
                return float(sz.get(w("val"))) / 2
        return DEFAULT_SIZE_PT

    def _run(self, r: etree._Element, style_rprs: list[etree._Element], text: str) -> RunFacts:
        chain = self.styles.run_chain(r, style_rprs)

        def toggle(tag: str) -> bool:
            for rpr in chain:
                v = _on(rpr.find(w(tag)))
                if v is not None:
                    return v
            return False

        def font(slot: str) -> str:
            for rpr in chain:
                f = rpr.find(w("rFonts"))
                if f is None:
                    continue
                if f.get(w(slot)):
                    return f.get(w(slot))
                theme = f.get(w(f"{slot}Theme"))
                if theme:
                    return self.styles.theme_font(theme)
            return "Times New Roman" if slot else ""  # Word's built-in default

        underline = False
        for rpr in chain:
            u = rpr.find(w("u"))
            if u is not None:
                underline = u.get(w("val"), "single") not in ("none", "0")
                break
        superscript = False
        for rpr in chain:
            va = rpr.find(w("vertAlign"))
            if va is not None:
                superscript = va.get(w("val")) == "superscript"
                break
        color = None
        for rpr in chain:
            c = rpr.find(w("color"))
            if c is not None:
                color = c.get(w("val"))
                break
        fonts = {font("ascii")} if text.isascii() else {font("hAnsi")}
        if not text.isascii() and any(ch.isascii() and not ch.isspace() for ch in text):
            fonts.add(font("ascii"))
        size = self._size(chain[:len(chain) - len(style_rprs) - (1 if self.styles.rpr_default is not None else 0)],
                          style_rprs)
        return RunFacts(text, tuple(sorted(fonts)), size, toggle("b"), toggle("i"), underline, toggle("caps"),
                        superscript, color)


def _border(bdr: etree._Element | None, side: str) -> bool:
    if bdr is None:
        return False
    el = bdr.find(w(side))
    return el is not None and el.get(w("val"), "nil") not in ("nil", "none")


def _border_kind(bdr: etree._Element | None, side: str) -> str:
    el = bdr.find(w(side)) if bdr is not None else None
    return el.get(w("val"), "") if el is not None else ""


def _run_text(r: etree._Element):
    for el in r:
        if el.tag == w("t"):
            yield el.text or ""
        elif el.tag == w("tab"):
            yield "\t"
        elif el.tag in (w("br"), w("cr")):
            yield "\n"
        elif el.tag == w("noBreakHyphen"):
            yield "-"


def _simple_field(r: etree._Element, p: etree._Element) -> str:
    """The instruction of the simple field <w:fldSimple w:instr="..."> showing the run, or ""."""
    parent = r.getparent()
    while parent is not None and parent is not p:
        if parent.tag == w("fldSimple"):
            return " ".join(parent.get(w("instr"), "").split())
        parent = parent.getparent()
    return ""


def _in_textbox(r: etree._Element, p: etree._Element) -> bool:
    parent = r.getparent()
    while parent is not None and parent is not p:
        if parent.tag in (w("txbxContent"),):
            return True
        parent = parent.getparent()
    return False


def _line_shapes(r: etree._Element) -> list[float]:
    """Lengths (mm) of the horizontal lines drawn in a run (DrawingML or VML)."""
    out = []
    for drawing in r.iter(w("drawing")):
        geom = drawing.find(f".//{{{A}}}prstGeom")
        extent = drawing.find(f".//{{{WP}}}extent")
        if geom is not None and extent is not None and geom.get("prst") in ("line", "straightConnector1"):
            cx, cy = float(extent.get("cx", 0)), float(extent.get("cy", 0))
            if cx > 0 and cy <= cx / 10:
                out.append(cx / 36000)
        if out:
            return out  # the VML fallback draws the same line again
    for line in r.iter(f"{{{V}}}line"):
        x1, y1 = _vml_point(line.get("from", "0,0"))
        x2, y2 = _vml_point(line.get("to", "0,0"))
        if abs(x2 - x1) > 0 and abs(y2 - y1) <= abs(x2 - x1) / 10:
            out.append(abs(x2 - x1))
    return out


_VML_UNITS = {"pt": 25.4 / 72, "in": 25.4, "mm": 1.0, "cm": 10.0, "px": 25.4 / 96, "": 25.4 / 72}


def _vml_point(value: str) -> tuple[float, float]:
    out = []
    for part in value.split(",")[:2]:
        m = re.match(r"\s*(-?[\d.]+)\s*([a-z]*)", part)
        out.append(float(m.group(1)) * _VML_UNITS.get(m.group(2), 25.4 / 72) if m else 0.0)
    while len(out) < 2:
        out.append(0.0)
    return out[0], out[1]
