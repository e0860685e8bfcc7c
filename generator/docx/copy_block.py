"""The copy block of a bản trích sao as WordprocessingML, appended after the original's closing.

Layout (NĐ 30 Phụ lục III Mẫu 3.1; 36-HD Phụ lục 3): an empty paragraph whose
bottom border is a solid rule across the whole text width, then a borderless
two-column table: row 1 the copying body, its mark ("*" Party, a short rule
State) and the copy number on the left, "TRÍCH SAO" and the place-date on the
right; row 2 "Nơi nhận:" and the copy's recipients on the left, the copy's
signature block on the right. Rows never split and the block stays together
(keep-with-next), and a tiny last paragraph keeps Word from adding a page.
Elements are written in the schema's order (ooxml-check).
"""

from __future__ import annotations

from lxml import etree

from ..copies import COPY_KIND_PT, CopyBlock
from ..profile import PROFILES, Profile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

RULE_SIZE = 8            # eighths of a point: the 1 pt solid rule across the text width
SHORT_RULE_SIZE = 6      # the short rule under a State copying body, as under the issuing body
MARK_PT = 4              # the size of an empty paragraph that only carries a rule
TAIL_PT = 1              # the last paragraph: too small to spill onto a new page
SPACE_ABOVE_PT = 12      # between the original's closing and the rule


def _q(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _el(parent: etree._Element | None, tag: str, **attrs: str) -> etree._Element:
    el = etree.Element(_q(tag), nsmap={"w": W_NS}) if parent is None else etree.SubElement(parent, _q(tag))
    for k, v in attrs.items():
        el.set(_q(k), v)
    return el


def _twips(mm: float) -> str:
    return str(round(mm / 25.4 * 1440))


def _half_points(pt: float) -> str:
    return str(round(pt * 2))


def _para(text: str, size_pt: float, *, align: str = "center", bold: bool = False, italic: bool = False,
          underline: bool = False, keep_next: bool = True, before_pt: float = 0, indent_mm: float = 0,
          rule_below: bool = False, hanging_mm: float = 0) -> etree._Element:
    p = _el(None, "p")
    ppr = _el(p, "pPr")
    if keep_next:
        _el(ppr, "keepNext")
    if rule_below:
        bdr = _el(ppr, "pBdr")
        _el(bdr, "bottom", val="single", sz=str(SHORT_RULE_SIZE if indent_mm else RULE_SIZE), space="1", color="000000")
    _el(ppr, "spacing", before=str(round(before_pt * 20)), after="0", line="240", lineRule="auto")
    ind = {"firstLine": "0"} if not hanging_mm else {"hanging": _twips(hanging_mm)}
    if indent_mm or hanging_mm:
        ind = {"left": _twips(indent_mm + hanging_mm), "right": _twips(indent_mm if rule_below else 0), **ind}
    _el(ppr, "ind", **ind)
    _el(ppr, "jc", val=align)
    mark = _el(ppr, "rPr")
    _el(mark, "sz", val=_half_points(size_pt))
    _el(mark, "szCs", val=_half_points(size_pt))
    if text:
        r = _el(p, "r")
        rpr = _el(r, "rPr")
        if bold:
            _el(rpr, "b")
            _el(rpr, "bCs")
        if italic:
            _el(rpr, "i")
            _el(rpr, "iCs")
        _el(rpr, "sz", val=_half_points(size_pt))
        _el(rpr, "szCs", val=_half_points(size_pt))
        if underline:
            _el(rpr, "u", val="single")
        t = _el(r, "t")
        t.text = text
        if text != text.strip() or "  " in text:
            t.set(XML_SPACE, "preserve")
    return p


def _cell(tr: etree._Element, width_mm: float, paras: list[etree._Element]) -> None:
    tc = _el(tr, "tc")
    tcpr = _el(tc, "tcPr")
    _el(tcpr, "tcW", w=_twips(width_mm), type="dxa")
    for p in paras:
        tc.append(p)


def _table(profile: Profile, rows: list[tuple[list[etree._Element], list[etree._Element]]]) -> etree._Element:
    widths = profile.closing_columns_mm
    tbl = _el(None, "tbl")
    pr = _el(tbl, "tblPr")
    _el(pr, "tblW", w=_twips(sum(widths)), type="dxa")
    _el(pr, "jc", val="center")
    borders = _el(pr, "tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _el(borders, side, val="nil")
    _el(pr, "tblLayout", type="fixed")
    mar = _el(pr, "tblCellMar")
    _el(mar, "left", w=_twips(profile.cell_margin_mm), type="dxa")
    _el(mar, "right", w=_twips(profile.cell_margin_mm), type="dxa")
    _el(pr, "tblLook", val="0000", firstRow="0", lastRow="0", firstColumn="0", lastColumn="0", noHBand="1",
        noVBand="1")
    grid = _el(tbl, "tblGrid")
    for w in widths:
        _el(grid, "gridCol", w=_twips(w))
    for left, right in rows:
        tr = _el(tbl, "tr")
        trpr = _el(tr, "trPr")
        _el(trpr, "cantSplit")
        _cell(tr, widths[0], left)
        _cell(tr, widths[1], right)
    return tbl


def copy_block_elements(block: CopyBlock) -> list[etree._Element]:
    """The rule, the copy block's table and the closing tiny paragraph, in document order."""
    p = PROFILES[block.style]
    left_width = p.closing_columns_mm[0] - 2 * p.cell_margin_mm
    rule = _para("", MARK_PT, before_pt=SPACE_ABOVE_PT, rule_below=True)

    head_left = [_para(line, p.superior_body_pt) for line in block.superior]
    head_left += [_para(line, p.issuing_body_pt, bold=True) for line in block.body]
    if p.issuing_mark:
        head_left.append(_para(p.issuing_mark, p.issuing_body_pt))
    if p.issuing_rule_mm:
        head_left.append(_para("", MARK_PT, rule_below=True, indent_mm=(left_width - p.issuing_rule_mm) / 2))
    head_left.append(_para(block.number_line, p.number_pt, before_pt=6 if p.issuing_rule_mm else 0))
    head_right = [
        _para(block.kind, COPY_KIND_PT[1], bold=True),
        _para(block.place_date, p.place_date_pt, italic=True, before_pt=6),
    ]

    close_left = [_para(block.recipients_heading, p.recipients_heading_pt, align="left",
                        bold=p.recipients_heading_bold, italic=p.recipients_heading_italic,
                        underline=p.recipients_heading_underline, before_pt=12)]
    close_left += [_para(line, p.recipient_pt, align="left", hanging_mm=3) for line in block.recipients]
    close_right = [_para(line, p.signature_pt, bold=True, before_pt=12 if k == 0 else 0)
                   for k, line in enumerate(block.authority)]
    close_right += [_para(line, p.signature_pt, bold=p.signature_title_bold,
                          before_pt=12 if not block.authority and k == 0 else 0)
                    for k, line in enumerate(block.title)]
    close_right += [_para("", p.signature_pt) for _ in range(p.signature_space_lines)]
    close_right.append(_para(block.signer, p.signature_pt, bold=True, keep_next=False))
    # The last row: nothing of it needs to keep with what follows.
    for el in close_left:
        keep = el.find(f"{_q('pPr')}/{_q('keepNext')}")
        if keep is not None:
            keep.getparent().remove(keep)
    table = _table(p, [(head_left, head_right), (close_left, close_right)])
    tail = _para("", TAIL_PT, keep_next=False)
    return [rule, table, tail]


def append_copy_block(body: etree._Element, block: CopyBlock) -> None:
    """Add the copy block right after the original's closing (the body's last table).

    A template that ends the document with a paragraph after the closing (the tiny
    one that keeps Word from adding a blank page) keeps it as the last element;
    otherwise the block brings its own.
    """
    rule, table, tail = copy_block_elements(block)
    tables = body.findall(_q("tbl"))
    if not tables:
        sect = body.find(_q("sectPr"))
        for el in (rule, table, tail):
            if sect is not None:
                sect.addprevious(el)
            else:
                body.append(el)
        return
    closing = tables[-1]
    closing.addnext(rule)
    rule.addnext(table)
    follower = table.getnext()
    if follower is None or follower.tag != _q("p"):
        table.addnext(tail)
