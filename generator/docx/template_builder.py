"""Build the .docx templates in templates/ from the style profiles.

The committed templates are this module's output (a test checks it); a clerk
may still open them in Word or LibreOffice and adjust styles by hand, then
render with ``--template``. Run: ``python -m generator.docx.template_builder``.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from ..profile import (
    PROFILES,
    STYLE_BODY,
    STYLE_CONCLUSION,
    STYLE_DETAIL,
    STYLE_FOOTNOTE_REF,
    STYLE_FOOTNOTE_TEXT,
    STYLE_PART,
    STYLE_POINT,
    STYLE_TASK,
    TEMPLATES_DIR,
    Profile,
)
from .package import reproducible_zip

BUILD_DATE = dt.date(2023, 1, 1)


def _fonts(rpr_parent, font: str) -> None:
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _styles(doc, p: Profile) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = p.font
    normal.font.size = Pt(p.body_pt)
    _fonts(normal.element, p.font)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    # docDefaults too, so tables and headers without a style get the font.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for el in rpr_default.findall(qn("w:rFonts")):
        rpr_default.remove(el)
    rpr_default.insert(0, parse_xml(
        f'<w:rFonts {nsdecls("w")} w:ascii="{p.font}" w:hAnsi="{p.font}" w:cs="{p.font}" w:eastAsia="{p.font}"/>'
    ))

    def para_style(name: str):
        s = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = normal
        s.quick_style = True
        f = s.paragraph_format
        f.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        f.first_line_indent = Mm(p.body_first_line_mm)
        f.space_before = Pt(0)
        f.space_after = Pt(p.body_space_after_pt)
        if p.body_line_rule == "exact":
            f.line_spacing_rule = WD_LINE_SPACING.EXACTLY
            f.line_spacing = Pt(p.body_line)
        else:
            f.line_spacing = p.body_line
        f.widow_control = True
        s.font.size = Pt(p.body_pt)
        return s

    para_style(STYLE_BODY)
    task = para_style(STYLE_TASK)
    para_style(STYLE_CONCLUSION).next_paragraph_style = task
    part = para_style(STYLE_PART)
    part.font.bold = True
    part.paragraph_format.keep_with_next = True
    para_style(STYLE_POINT).next_paragraph_style = task
    para_style(STYLE_DETAIL)

    fn_text = styles.add_style(STYLE_FOOTNOTE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
    fn_text.base_style = normal
    fn_text.font.size = Pt(p.footnote_pt)
    fn_text.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fn_text.paragraph_format.space_after = Pt(0)
    fn_ref = styles.add_style(STYLE_FOOTNOTE_REF, WD_STYLE_TYPE.CHARACTER)
    fn_ref.font.superscript = True


def _section(doc, p: Profile) -> None:
    s = doc.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = Mm(p.paper_mm[0]), Mm(p.paper_mm[1])
    s.top_margin, s.bottom_margin = Mm(p.margins_mm["top"]), Mm(p.margins_mm["bottom"])
    s.left_margin, s.right_margin = Mm(p.margins_mm["left"]), Mm(p.margins_mm["right"])
    s.header_distance = Mm(p.header_distance_mm)
    s.footer_distance = Mm(p.header_distance_mm)
    s.gutter = Mm(0)
    # Page numbers in the top margin, centred, from page 2 on.
    s.different_first_page_header_footer = True
    para = s.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:rPr><w:sz w:val="{int(p.body_pt * 2)}"/></w:rPr>'
        "<w:t>2</w:t></w:r></w:fldSimple>"
    ))
    s.first_page_header.paragraphs[0].text = ""


def _line(container, text: str, size: float, *, bold=False, italic=False, underline=False,
          align=WD_ALIGN_PARAGRAPH.CENTER, first=False):
    para = container.paragraphs[0] if first else container.add_paragraph()
    para.alignment = align
    para.paragraph_format.first_line_indent = Mm(0)
    if text:
        run = para.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold or None
        run.italic = italic or None
        run.underline = underline or None
    return para


def _tag(container, tag: str):
    """A paragraph holding only a docxtpl {%p %} tag; docxtpl removes it."""
    return _line(container, tag, 14)


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


def _borderless_table(doc, widths_mm: tuple[float, float], cell_margin_mm: float):
    table = doc.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_pr.append(parse_xml(
        f'<w:tblBorders {nsdecls("w")}>'
        + "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders>"
    ))
    # table.autofit = False has written <w:tblLayout w:type="fixed"/>; _schema_order puts tblBorders before it.
    margin = _twips(cell_margin_mm)
    tbl_pr.append(parse_xml(
        f'<w:tblCellMar {nsdecls("w")}><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
    ))
    for cell, w in zip(table.rows[0].cells, widths_mm):
        cell.width = Mm(w)
    for col, w in zip(table.columns, widths_mm):
        col.width = Mm(w)
    return table


def _rule_under(para, indent_mm: float) -> None:
    """A rule under the paragraph, shortened by indents to about the text's width."""
    pf = para.paragraph_format
    pf.left_indent = Mm(indent_mm)
    pf.right_indent = Mm(indent_mm)
    para._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
    ))


RULE_MARK_PT = 4  # size of the empty paragraph that carries a short rule: keeps it close under the text


def _short_rule(container, length_mm: float, width_mm: float):
    """An empty paragraph whose bottom border is a centred rule ``length_mm`` long."""
    para = container.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _rule_under(para, (width_mm - length_mm) / 2)
    para.paragraph_format.first_line_indent = Mm(0)
    ppr = para._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="{RULE_MARK_PT * 2}"/></w:rPr>'))
    return para


def _header(doc, p: Profile) -> None:
    table = _borderless_table(doc, p.header_columns_mm, p.cell_margin_mm)
    left, right = table.rows[0].cells
    left_width = p.header_columns_mm[0] - 2 * p.cell_margin_mm
    right_width = p.header_columns_mm[1] - 2 * p.cell_margin_mm
    _line(left, "{%p if superior_body %}", 14, first=True)
    _line(left, "{{ superior_body }}", p.superior_body_pt)
    _tag(left, "{%p endif %}")
    _tag(left, "{%p for line in issuing_body_lines %}")
    _line(left, "{{ line }}", p.issuing_body_pt, bold=True)
    _tag(left, "{%p endfor %}")
    if p.issuing_mark:
        _line(left, p.issuing_mark, p.issuing_body_pt)
    if p.issuing_rule_mm:
        _short_rule(left, p.issuing_rule_mm, left_width)
    number = _line(left, "{{ number_line }}", p.number_pt)
    if p.issuing_rule_mm:
        number.paragraph_format.space_before = Pt(6)

    heading = _line(right, p.national_heading, p.national_heading_pt, bold=True, first=True)
    if p.motto:
        motto = _line(right, p.motto, p.motto_pt, bold=True)
        _rule_under(motto, (right_width - p.motto_width_mm - p.motto_rule_slack_mm) / 2)
    else:
        _rule_under(heading, p.national_rule_indent_mm)
    date = _line(right, "{{ place_date }}", p.place_date_pt, italic=True)
    date.paragraph_format.space_before = Pt(p.place_date_space_pt)
    date.paragraph_format.left_indent = Mm(0)


def _title(doc, p: Profile) -> None:
    title = _line(doc, "{{ document_type }}", p.title_pt, bold=True)
    title.paragraph_format.space_before = Pt(18)
    _line(doc, "{{ subject }}", p.subject_pt, bold=True)
    if p.subject_mark:
        mark = _line(doc, p.subject_mark, p.subject_pt)
    else:
        width = p.paper_mm[0] - p.margins_mm["left"] - p.margins_mm["right"]
        mark = _short_rule(doc, p.subject_rule_mm, width)
    mark.paragraph_format.space_after = Pt(12)


# Width of "- " in Times New Roman (hyphen 0.333 em, space 0.25 em): a recipient line
# that wraps goes on under its text, not under the "-".
DASH_SPACE_EM = 0.583


def _keep_with_next(para) -> None:
    para.paragraph_format.keep_with_next = True


def _closing(doc, p: Profile) -> None:
    # The closing stays whole and never stands alone: the paragraph before it keeps with it
    # (the renderer keeps the body's last paragraphs with this one), the row never splits.
    gap = doc.add_paragraph()
    gap.paragraph_format.space_after = Pt(0)
    _keep_with_next(gap)
    table = _borderless_table(doc, p.closing_columns_mm, p.cell_margin_mm)
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(parse_xml(f'<w:cantSplit {nsdecls("w")}/>'))
    left, right = table.rows[0].cells
    _line(left, "{{ recipients_heading }}", p.recipients_heading_pt, bold=p.recipients_heading_bold,
          italic=p.recipients_heading_italic, underline=p.recipients_heading_underline,
          align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    _tag(left, "{%p for r in recipients %}")
    recipient = _line(left, "{{ r }}", p.recipient_pt, align=WD_ALIGN_PARAGRAPH.LEFT)
    hang = Pt(round(DASH_SPACE_EM * p.recipient_pt * 20) / 20)
    recipient.paragraph_format.left_indent = hang
    recipient.paragraph_format.first_line_indent = -hang
    _tag(left, "{%p endfor %}")

    # Each authority line its own paragraph ("TL. CHỦ TỊCH" / "KT. CHÁNH VĂN PHÒNG"): never wrapped mid-title.
    _tag(right, "{%p for line in signature_authority_lines %}").paragraph_format.space_before = Pt(0)
    right.paragraphs[0]._p.getparent().remove(right.paragraphs[0]._p)
    _keep_with_next(_line(right, "{{ line }}", p.signature_pt, bold=True))
    _tag(right, "{%p endfor %}")
    _tag(right, "{%p for line in signature_title %}")
    _keep_with_next(_line(right, "{{ line }}", p.signature_pt, bold=p.signature_title_bold))
    _tag(right, "{%p endfor %}")
    for _ in range(p.signature_space_lines):
        _keep_with_next(_line(right, "", p.signature_pt))
    _line(right, "{{ signer_name }}", p.signature_pt, bold=True)
    _end_mark(doc)


END_MARK_PT = 1  # the document's last paragraph, after the closing table


def _end_mark(doc) -> None:
    """A document cannot end in a table: Word adds a paragraph after it, which spills onto a
    blank page when the closing fills the last one. This one is 1 pt high with no spacing."""
    para = doc.add_paragraph()
    pf = para.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.first_line_indent = Mm(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(END_MARK_PT)
    para._p.get_or_add_pPr().append(parse_xml(f'<w:rPr {nsdecls("w")}><w:sz w:val="{END_MARK_PT * 2}"/>'
                                              f'<w:szCs w:val="{END_MARK_PT * 2}"/></w:rPr>'))


# Child order of the property elements we write into (ISO 29500 wml.xsd): Word refuses others.
_SCHEMA_ORDER = {
    "pPr": ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
            "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
            "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
            "sectPr", "pPrChange"),
    "tblPr": ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
              "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
              "tblLook", "tblCaption", "tblDescription", "tblPrChange"),
}


def _schema_order(root) -> None:
    """Put the children of every pPr and tblPr in schema order, each once (the last written wins)."""
    for tag, order in _SCHEMA_ORDER.items():
        rank = {qn(f"w:{name}"): k for k, name in enumerate(order)}
        for el in root.iter(qn(f"w:{tag}")):
            children = {}
            for child in list(el):
                children[child.tag] = child
                el.remove(child)
            for child in sorted(children.values(), key=lambda c: rank.get(c.tag, len(rank))):
                el.append(child)


def build(profile: Profile) -> bytes:
    """The template for ``profile`` as reproducible .docx bytes."""
    doc = Document()
    body = doc.element.body
    for el in list(body):
        if el.tag != qn("w:sectPr"):
            body.remove(el)
    _styles(doc, profile)
    _section(doc, profile)
    _header(doc, profile)
    _title(doc, profile)
    body_para = _line(doc, "{{ body }}", profile.body_pt, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    body_para.style = doc.styles[STYLE_BODY]
    _closing(doc, profile)
    _schema_order(doc.element)
    _schema_order(doc.styles.element)
    for section in doc.sections:
        for part in (section.header, section.first_page_header):
            _schema_order(part._element)
    cp = doc.core_properties
    cp.title = f"thongbao template: {profile.name}"
    cp.author = "thongbao"
    cp.last_modified_by = "thongbao"
    cp.comments = "Built by generator/docx/template_builder.py"
    cp.revision = 1
    stamp = dt.datetime.combine(BUILD_DATE, dt.time())
    cp.created = cp.modified = cp.last_printed = stamp
    buf = io.BytesIO()
    doc.save(buf)
    return reproducible_zip(buf.getvalue(), BUILD_DATE)


def main(argv: list[str] | None = None) -> int:
    out_dir = Path(argv[0]) if argv else TEMPLATES_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    for profile in PROFILES.values():
        path = out_dir / profile.template
        path.write_bytes(build(profile))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
