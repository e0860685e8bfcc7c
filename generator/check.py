"""The layout checker: does a .docx meet the rulebook (format-rules.md)?

``check_file`` reads any .docx through generator/docx/audit.py and compares
each element of a notice (paper, margins, fonts, header, number, date line,
title, body, footnotes, Nơi nhận, signature) with the style profile's
accepted ranges. Each finding is a Problem: the element, what was found and
what the rule wants.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from .copies import COPY_KIND_PT, COPY_KINDS, NUMBER_EXAMPLE, NUMBER_PATTERN
from .docx import audit
from .docx.audit import Cell, Document, Para, Table
from .errors import LayoutError, Problem
from .i18n import N_, _, ngettext
from .profile import MM_PER_PT, MOTTO_BOLD_EM, PROFILES, Profile, style_name

DATE_LINE = re.compile(r"^(?P<place>.+?),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})\s*$")
AUTHORITY = re.compile(r"^(T/M|K/T|T/L|T/U|TM\.?|KT\.?|TL\.?|TUQ\.?|Q\.)\s+\S")
HONORIFICS = ("ông ", "bà ", "đồng chí ", "đ/c ", "ts. ", "ths. ", "pgs. ", "gs. ", "ks. ", "bs. ", "cn. ")
CONNECTORS = {"kiêm", "và"}   # lower-case words a title block may hold ("PHÓ BÍ THƯ / kiêm / TRƯỞNG BAN")
MARK = re.compile(r"^\(\d+\)$")
FAKE_MARK = re.compile(r"⁽[⁰¹²³⁴⁵⁶⁷⁸⁹]+⁾|[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
MM_TOLERANCE = 0.3           # twips rounding
PT_TOLERANCE = 0.05
END_MARK_MAX_PT = 2          # the empty paragraph a document ending in a table needs (see closing_on_the_page)
# The elements a finding names, translated where it is made (fail).
ELEMENTS = (N_("paper"), N_("font"), N_("colour"), N_("header"), N_("number"), N_("motto"), N_("place-date"),
            N_("title"), N_("subject"), N_("body"), N_("footnotes"), N_("closing"), N_("recipients"),
            N_("signature"), N_("authority"), N_("page numbers"), N_("national heading"), N_("issuing body"),
            N_("superior body"), N_("copy block"), N_("copy number"), N_("copying body"), N_("copy date"),
            N_("margins.top"), N_("margins.bottom"), N_("margins.left"), N_("margins.right"))
# Word's paragraph alignments, as a finding says them ("aligned left").
ALIGNMENTS = {"left": N_("left"), "center": N_("center"), "right": N_("right"), "both": N_("both")}


def _aligned(align: str | None) -> str:
    name = ALIGNMENTS.get(align or "", align or "")
    return _(name) if name else ""


@dataclass
class Report:
    path: str
    style: str
    findings: list[Problem] = field(default_factory=list)


def check_file(path: str | Path, style: str | None = None) -> Report:
    """Audit the .docx at ``path`` against ``style`` (or the style its heading shows)."""
    name = str(path)
    try:
        document = audit.read(path)
    except audit.NotADocx as exc:
        raise LayoutError([Problem(name, None, "", str(exc), _("a Word document (.docx)"))]) from None
    return _Checker(document, style).run()


def check_or_raise(path: str | Path, style: str | None = None) -> Report:
    """As check_file, but raise LayoutError (exit 1, one line per finding) on findings."""
    report = check_file(path, style)
    if report.findings:
        raise LayoutError(report.findings)
    return report


def _range(lo: float, hi: float, unit: str) -> str:
    return f"{lo:g} {unit}" if lo == hi else f"{lo:g}-{hi:g} {unit}"


def _within(value: float, bounds: tuple[float, float], tol: float = PT_TOLERANCE) -> bool:
    return bounds[0] - tol <= value <= bounds[1] + tol


def _squash(text: str) -> str:
    return " ".join(text.split())


class _Checker:
    def __init__(self, document: Document, style: str | None):
        self.d = document
        self.findings: list[Problem] = []
        self.grouped: OrderedDict[tuple[str, str, str], list[str]] = OrderedDict()
        detected = self._detect_style()
        self.style = style or detected or "party"
        self.p: Profile = PROFILES[self.style]
        self.a = self.p.accept
        if style is None and detected is None:
            self.fail(_("national heading"), _("neither 'ĐẢNG CỘNG SẢN VIỆT NAM' nor 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'"),
                      _("the national heading of the Party or the State style (checked as {style}; choose with --style)").format(
                          style=style_name("party")))

    # -- findings -------------------------------------------------------------
    def fail(self, element: str, found: str, expected: str) -> None:
        self.findings.append(Problem(self.d.path, None, _(element), found, expected))

    def group(self, element: str, found: str, expected: str, where: str) -> None:
        """Findings that repeat over many paragraphs or runs become one line."""
        self.grouped.setdefault((element, found, expected), []).append(where)

    def _flush(self) -> None:
        for (element, found, expected), where in self.grouped.items():
            at = (ngettext("{n} place, first", "{n} places, first", len(where)).format(n=len(where))
                  if len(where) > 1 else _("in"))
            self.fail(element, f"{found} ({at} '{where[0]}')", expected)

    def _detect_style(self) -> str | None:
        head = _squash(" ".join(b.text for b in self.d.blocks[:12] if isinstance(b, Table))
                       + " " + " ".join(b.text for b in self.d.blocks[:12] if isinstance(b, Para))).upper()
        if "CỘNG HÒA XÃ HỘI CHỦ NGHĨA" in head or "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA" in head:
            return "state"
        if "ĐẢNG CỘNG SẢN VIỆT NAM" in head:
            return "party"
        return None

    # -- the whole document -----------------------------------------------------
    def run(self) -> Report:
        self.page()
        self.fonts_and_colour()
        # A bản trích sao: the copied document above the rule is checked as a notice, the copy block after.
        self.copy_at = self.copy_block_at()
        full = self.d
        if self.copy_at is not None:
            self.d = dataclasses.replace(full, blocks=full.blocks[:self.copy_at[0]])
        header, title_at = self.header_table()
        if header is not None:
            self.header(header)
        body_start = self.title(title_at) if title_at is not None else None
        closing_at = self.closing_index()
        if closing_at is None:
            self.fail("closing", _("no two-column table with 'Nơi nhận:' and the signature"),
                      _("'Nơi nhận:' and the recipients on the left, the signature block on the right"))
        else:
            self.closing(self.d.blocks[closing_at])  # type: ignore[arg-type]
            if self.copy_at is None:  # a trích sao ends with its copy block, checked below
                self.closing_on_the_page(closing_at)
        if body_start is not None:
            end = closing_at if closing_at is not None else len(self.d.blocks)
            self.body([b for b in self.d.blocks[body_start:end] if isinstance(b, Para) and not b.empty])
        self.footnotes()
        if self.copy_at is not None:
            self.d = full
            start, at = self.copy_at
            self.copy_block(full.blocks[start] if start < at else None, full.blocks[at])  # type: ignore[arg-type]
            self.closing_on_the_page(at)  # kept whole, no blank page after it
        self._flush()
        return Report(self.d.path, self.style, self.findings)

    def page(self) -> None:
        s, a = self.d.section, self.a
        w, h = s.page_mm
        if s.landscape or abs(w - a.paper_mm[0]) > a.paper_tolerance_mm or abs(h - a.paper_mm[1]) > a.paper_tolerance_mm:
            self.fail("paper", f"{w:.0f} x {h:.0f} mm" + (_(" landscape") if s.landscape else ""),
                      _("A4 portrait ({paper_mm:g} x {paper_mm2:g} mm)").format(paper_mm=a.paper_mm[0], paper_mm2=a.paper_mm[1]))
        for side in ("top", "bottom", "left", "right"):
            value = s.margins_mm[side]
            lo, hi = a.margins_mm[side]
            if not _within(value, (lo, hi), MM_TOLERANCE):
                self.fail(f"margins.{side}", f"{value:.1f} mm", _range(lo, hi, "mm"))
        if s.footer_page_field:
            self.fail(_("page numbers"), _("a page number in the footer"), _("page numbers centred in the top margin"))
        if s.header_page_field:
            if s.header_page_align != "center":
                self.fail(_("page numbers"), _("the page number aligned {header_page_align}").format(header_page_align=_aligned(s.header_page_align)), _("centred in the top margin"))
            if not s.title_page or s.first_header_page_field:
                self.fail(_("page numbers"), _("a page number on page 1"), _("numbers from page 2 on (Word: Different First Page)"))
        elif not s.footer_page_field and (self.d.pages or 2) > 1:
            self.fail(_("page numbers"), _("no page number field"), _("Arabic page numbers centred in the top margin from page 2"))

    def _all_paras(self):
        for b in self.d.blocks:
            if isinstance(b, Para):
                yield b
            else:
                for row in b.rows:
                    for cell in row:
                        yield from cell.paras
        for paras in self.d.footnotes.values():
            yield from paras

    def fonts_and_colour(self) -> None:
        for para in self._all_paras():
            for run in para.runs:
                if not run.text.strip():
                    continue
                for font in run.fonts:
                    if font not in self.a.fonts:
                        self.group("font", f"'{font}'", _(" or ").join(self.a.fonts), para.snippet or run.text)
                if run.color and run.color.lower() not in ("auto", "000000"):
                    self.group("colour", _("text coloured #{color}").format(color=run.color), _("black text"), para.snippet)

    # -- header -------------------------------------------------------------------
    def _title_index(self) -> int | None:
        for i, b in enumerate(self.d.blocks):
            if isinstance(b, Para) and not b.empty:
                if DATE_LINE.match(_squash(b.text)):
                    continue  # a date line under the header table
                return i
        return None

    def header_table(self) -> tuple[Table | None, int | None]:
        title = self._title_index()
        tables = [b for b in self.d.blocks[:title] if isinstance(b, Table)]
        header = next((t for t in tables if t.rows and len(t.rows[0]) >= 2), None)
        if header is None:
            self.fail("header", _("no two-column table before the title"),
                      _("the issuing body on the left, the national heading and the date on the right"))
        return header, title

    def header(self, table: Table) -> None:
        left = [p for row in table.rows for p in row[0].paras]
        right = [p for row in table.rows for c in row[1:] for p in c.paras]
        self.header_left(left, table.rows[0][0])
        self.header_right(right)

    def header_left(self, paras: list[Para], cell: Cell) -> None:
        p, a = self.p, self.a
        texts = [x for x in paras if not x.empty]
        number_i = next((k for k, x in enumerate(texts) if re.match(r"^\s*S[ốô]\b", x.text)), None)
        if number_i is None:
            self.fail("number", _("no 'Số ...' line in the header's left column"), f"'{p.number_example}'")
            names = texts
        else:
            self.number(texts[number_i])
            names = texts[:number_i]
        mark = next((k for k, x in enumerate(names) if x.text.strip() == "*"), None)
        if p.issuing_mark:
            if mark is None:
                self.fail(_("issuing body"), _("no '{issuing_mark}' under the issuing body").format(issuing_mark=p.issuing_mark),
                          _("'{issuing_mark}' centred under it ({name} style)").format(issuing_mark=p.issuing_mark, name=style_name(p.name)))
        elif mark is not None:
            self.fail(_("issuing body"), _("a '*' under the issuing body"), _("a short rule under it, no '*' ({name} style)").format(name=style_name(p.name)))
        names = [x for x in names if x.text.strip() != "*"]
        if not names:
            self.fail(_("issuing body"), _("no issuing body above the number"), _("the issuing body's name in bold upper case"))
            return
        superior: list[Para] = []
        if len(names) > 1 and not all(r.bold for r in names[0].runs) and all(r.bold for x in names[1:] for r in x.runs):
            superior, names = names[:1], names[1:]
        for x in superior:
            self.line(x, "superior body", a.superior_body_pt, bold=False, upper=True)
        for x in names:
            self.line(x, "issuing body", a.issuing_body_pt, bold=True, upper=True)
        if p.issuing_rule_mm or a.short_rule_mm[1]:
            last = names[-1]
            rule = self.rule_after(paras, last)
            if rule is None:
                self.fail(_("issuing body"), _("no rule under '{snippet}'").format(snippet=last.snippet), _("a short rule under the issuing body ({name} style)").format(name=style_name(p.name)))
            elif rule.length_mm is not None and not _within(rule.length_mm, a.short_rule_mm, 0.5):
                self.fail(_("issuing body"), _("a rule {length_mm:.0f} mm long under it").format(length_mm=rule.length_mm),
                          _("a short rule ({mm})").format(mm=_range(*a.short_rule_mm, 'mm')))

    def number(self, para: Para) -> None:
        p = self.p
        text = _squash(para.text)
        if not re.fullmatch(p.number_pattern, text):
            self.fail("number", f"'{text}'", _("the form '{number_example}' ({name} style: {number_form})").format(number_example=p.number_example, name=style_name(p.name), number_form=self._number_form()))
        self.line(para, "number", self.a.number_pt, bold=False, italic=False)

    def _number_form(self) -> str:
        if self.p.number_prefix.strip().endswith(":"):
            return _("'Số:' with a colon, '/' before the type, '-' before the body's abbreviation, two digits at least")
        return _("'Số' without a colon, '-' before the type, '/' before the body's abbreviation, two digits at least")

    def header_right(self, paras: list[Para]) -> None:
        p, a = self.p, self.a
        texts = [x for x in paras if not x.empty]
        if not texts:
            self.fail(_("national heading"), _("an empty right column"), f"'{p.national_heading}'")
            return
        heading = texts[0]
        if _squash(heading.text).upper().replace("HOÀ", "HÒA") != p.national_heading:
            other = [q for q in PROFILES.values() if q.national_heading == _squash(heading.text).upper()]
            hint = _(" (a {name} notice: check it with --style {style})").format(
                name=style_name(other[0].name), style=other[0].name) if other else ""
            self.fail(_("national heading"), f"'{_squash(heading.text)}'", f"'{p.national_heading}'{hint}")
        self.line(heading, "national heading", a.national_heading_pt, bold=True, upper=True)
        rest = texts[1:]
        if p.motto:
            motto = rest[0] if rest and not DATE_LINE.match(_squash(rest[0].text)) else None
            if motto is None:
                self.fail("motto", _("no Tiêu ngữ under the national heading"), _("'{motto}' in bold, with a rule under it").format(motto=p.motto))
            else:
                rest = rest[1:]
                if _squash(motto.text) != p.motto:
                    self.fail("motto", f"'{_squash(motto.text)}'", f"'{p.motto}'")
                self.line(motto, "motto", a.motto_pt, bold=True)
                rule = self.rule_after(paras, motto)
                size = max((r.size_pt for r in motto.runs), default=p.motto_pt)
                text_mm = MOTTO_BOLD_EM * size * MM_PER_PT
                if rule is None:
                    self.fail("motto", _("no rule under the Tiêu ngữ"), _("a rule as long as the text (about {text_mm:.0f} mm)").format(text_mm=text_mm))
                elif rule.length_mm is not None and not _within(rule.length_mm / text_mm, a.motto_rule_ratio, 0):
                    self.fail("motto", _("a rule {length_mm:.0f} mm long under it").format(length_mm=rule.length_mm),
                              _("a rule as long as the text (about {text_mm:.0f} mm)").format(text_mm=text_mm))
        elif self.rule_after(paras, heading) is None:
            self.fail(_("national heading"), _("no rule under '{heading}'").format(heading=_squash(heading.text)), _("a rule under the heading"))
        dates = [x for x in rest if DATE_LINE.match(_squash(x.text))]
        if not dates:
            # Some hand-typed notices put the date line under the table.
            title = self._title_index() or 0
            dates = [b for b in self.d.blocks[:title] if isinstance(b, Para) and DATE_LINE.match(_squash(b.text))]
        if not dates:
            self.fail("place-date", _("no 'place, ngày ... tháng ... năm ...' line"),
                      _("the place and date in italic under the national heading"))
        else:
            self.date_line(dates[0])

    def date_line(self, para: Para) -> None:
        text = _squash(para.text)
        m = DATE_LINE.match(text)
        assert m is not None
        d, mo, y = m.group("d"), m.group("m"), m.group("y")
        try:
            dt.date(int(y), int(mo), int(d))
        except ValueError:
            self.fail("place-date", f"'{text}'", _("a real date"))
        want_d = f"{int(d):02d}"
        want_m = f"{int(mo):02d}" if int(mo) <= 2 else str(int(mo))
        if (d, mo) != (want_d, want_m):
            self.fail("place-date", f"'ngày {d} tháng {mo} năm {y}'",
                      _("'ngày {want_d} tháng {want_m} năm {y}' (a day below 10 and the months 1 and 2 take a leading zero, other months none)").format(want_d=want_d, want_m=want_m, y=y))
        self.line(para, "place-date", self.a.place_date_pt, italic=True)

    # -- title and subject ------------------------------------------------------
    def drawn_subject_rule(self, block: Para) -> None:
        """A rule drawn under the subject: right for the State style, not for the Party's '-----'."""
        p = self.p
        if p.subject_mark:
            self.fail("subject", _("a drawn rule under the subject"),
                      _("'{mark}' ({name} style)").format(mark=p.subject_mark, name=style_name(p.name)))
        else:
            self.short_rule(block, "subject")

    def title(self, index: int) -> int | None:
        """Check the title, the subject and the mark under it; return where the body starts."""
        p, a = self.p, self.a
        block = self.d.blocks[index]
        assert isinstance(block, Para)
        self.line(block, "title", a.title_pt, bold=True, upper=True)
        if block.align != "center":
            self.fail("title", _("'{text}' aligned {align}").format(text=block.snippet, align=_aligned(block.align)), _("centred"))
        subject: list[Para] = []
        k = index + 1
        end = None
        while k < len(self.d.blocks) and k <= index + 6:
            b = self.d.blocks[k]
            if isinstance(b, Table):
                break
            if re.fullmatch(r"-{3,}|_{3,}", b.text.strip()):
                end = k + 1
                if not p.subject_mark:
                    self.fail("subject", _("'{text}' under the subject").format(text=b.text.strip()), _("a short rule ({name} style)").format(name=style_name(p.name)))
                    break
                self.line(b, "subject", a.subject_pt)
                if b.align != "center":
                    self.fail("subject", _("'{text}' aligned {align}").format(text=b.text.strip(), align=_aligned(b.align)),
                              _("centred under the subject"))
                break
            if b.empty and (b.border_bottom or b.border_top or b.shapes_mm):
                end = k + 1
                self.drawn_subject_rule(b)
                break
            if not b.empty:
                if subject and b.align != "center":
                    break  # the body has begun: the mark under the subject is missing
                subject.append(b)
                if b.border_bottom or b.shapes_mm:
                    end = k + 1
                    self.drawn_subject_rule(b)
                    break
            k += 1
        if not subject:
            self.fail("subject", _("no subject line (trích yếu) under the title"), _("the subject in bold, centred"))
        for s in subject:
            self.line(s, "subject", a.subject_pt, bold=True)
            if s.align != "center":
                self.fail("subject", _("'{text}' aligned {align}").format(text=s.snippet, align=_aligned(s.align)), _("centred under the title"))
        if subject and p.name == "party" and subject[0].text.strip()[:1].isupper():
            self.fail("subject", f"'{subject[0].snippet}'", _("a lower-case start (Party style: 'kết luận ...')"))
        if end is None:
            want = _("'{mark}' centred").format(mark=p.subject_mark) if p.subject_mark else _("a short rule")
            self.fail("subject", _("nothing under the subject"), _("{want} under the subject ({name} style)").format(want=want, name=style_name(p.name)))
            return index + 1 + len(subject)
        return end

    def short_rule(self, para: Para, element: str) -> None:
        length = para.shapes_mm[0] if para.shapes_mm else para.width_mm
        if length is not None and not _within(length, self.a.short_rule_mm, 0.5):
            self.fail(element, _("a rule {length:.0f} mm long under it").format(length=length), _("a short rule ({mm})").format(mm=_range(*self.a.short_rule_mm, 'mm')))

    def rule_after(self, paras: list[Para], para: Para) -> audit.Rule | None:
        """The rule under ``para``: its bottom border, the next paragraph's top border, an empty
        paragraph with a border right after it, or a line shape in either."""
        if para.shapes_mm:
            return audit.Rule("line", para.shapes_mm[0])
        if para.border_bottom:
            return audit.Rule("border", para.width_mm)
        k = next((i for i, x in enumerate(paras) if x is para), None)
        nxt = paras[k + 1] if k is not None and k + 1 < len(paras) else None
        if nxt is None:
            return None
        if nxt.shapes_mm and nxt.empty:
            return audit.Rule("line", nxt.shapes_mm[0])
        if nxt.border_top or (nxt.empty and nxt.border_bottom):
            return audit.Rule("border", nxt.width_mm)
        return None

    # -- one line's formatting ----------------------------------------------------
    def line(self, para: Para, element: str, sizes: tuple[float, float], *, bold: bool | tuple[bool, ...] | None = None,
             italic: bool | None = None, upper: bool = False, grouped: bool = False) -> None:
        runs = [r for r in para.runs if r.text.strip()]
        if not runs:
            return
        shown = f"'{para.snippet}'"
        wrong = sorted({r.size_pt for r in runs if not _within(r.size_pt, sizes)})
        if wrong and grouped:
            self.group(element, _("text in {wrong} pt").format(wrong=', '.join(f'{s:g}' for s in wrong)), _range(*sizes, "pt"), para.snippet)
        elif wrong:
            self.fail(element, _("{text} in {sizes} pt").format(text=shown, sizes=", ".join(f"{s:g}" for s in wrong)),
                      _range(*sizes, "pt"))
        if bold is not None:
            allowed = bold if isinstance(bold, tuple) else (bold,)
            weights = {r.bold for r in runs}
            if not weights <= set(allowed):
                self.fail(element, f"{shown} " + (_("bold") if True in weights - set(allowed) else _("not bold")),
                          _("bold") if allowed == (True,) else _("upright, not bold"))
        if italic is not None and any(r.italic != italic for r in runs):
            self.fail(element, f"{shown} " + (_("in italic") if not italic else _("not in italic")),
                      _("italic") if italic else _("upright, not italic"))
        if upper:
            words = [wd for wd in para.text.split() if wd.lower() not in CONNECTORS]
            if any(wd != wd.upper() for wd in words):
                self.fail(element, shown, _("upper case ('{text}')").format(text=_squash(para.text).upper()))

    # -- body ---------------------------------------------------------------------
    def body(self, paras: list[Para]) -> None:
        a = self.a
        if not paras:
            self.fail("body", _("no paragraphs between the subject and the closing"), _("the notice's text"))
            return
        lo, hi = a.body_first_line_mm
        for k, para in enumerate(paras):
            where = para.snippet
            if para.align != "both":
                self.group("body", _("paragraphs aligned {align}").format(align=_aligned(para.align)), _("justified"), where)
            if not _within(para.first_line_mm, (lo, hi), MM_TOLERANCE):
                self.group("body", _("first-line indent {first_line_mm:.1f} mm").format(first_line_mm=para.first_line_mm), _range(lo, hi, "mm"), where)
            sizes = sorted({r.size_pt for r in para.runs if r.text.strip() and not r.superscript
                            and not _within(r.size_pt, a.body_pt)})
            for s in sizes:
                self.group("body", _("text in {s:g} pt").format(s=s), _range(*a.body_pt, "pt"), where)
            if k + 1 < len(paras):
                gap = max(para.space_after_pt, paras[k + 1].space_before_pt)
                if gap + PT_TOLERANCE < a.body_space_min_pt:
                    self.group("body", _("{gap:g} pt between paragraphs").format(gap=gap), _("at least {body_space_min_pt:g} pt").format(body_space_min_pt=a.body_space_min_pt), where)
            self.line_spacing(para, where)
            for run in para.runs:
                fake = "".join(FAKE_MARK.findall(run.text))
                # A later citation of a note is a NOTEREF field showing its mark (Word's cross-reference).
                if run.superscript and MARK.match(run.text.strip()) and not para.footnote_refs \
                        and not run.field.startswith("NOTEREF"):
                    fake = run.text.strip()
                if fake:
                    self.fail("footnotes", _("'{fake}' typed as text in '{where}'").format(fake=fake, where=where),
                              _("a real footnote (Word: References > Insert Footnote) with the mark (1)"))

    def line_spacing(self, para: Para, where: str) -> None:
        a = self.a
        if para.line_rule == "auto":
            if a.body_line_multiple is None or not _within(para.line_value, a.body_line_multiple, 0.01):
                self.group("body", _("line spacing {line_value:g} lines").format(line_value=para.line_value), self._line_expected(), where)
        elif a.body_line_exact_pt is None or not _within(para.line_value, a.body_line_exact_pt):
            text = (_("line spacing exactly {line_value:g} pt") if para.line_rule == "exact"
                    else _("line spacing at least {line_value:g} pt"))
            self.group("body", text.format(line_value=para.line_value), self._line_expected(), where)

    def _line_expected(self) -> str:
        a = self.a
        options = []
        if a.body_line_exact_pt:
            options.append(_("exactly {pt}").format(pt=_range(*a.body_line_exact_pt, "pt")))
        if a.body_line_multiple:
            options.append(_range(*a.body_line_multiple, _("lines")))
        return _("{options} ({style} style)").format(options=_(" or ").join(options), style=style_name(self.p.name))

    # -- footnotes ----------------------------------------------------------------
    def _is_extract(self) -> bool:
        """A TRÍCH document (trích thông báo, trích sao) keeps the original's footnote marks."""
        at = self._title_index()
        block = self.d.blocks[at] if at is not None else None
        if self.copy_at is not None:  # a bản trích sao: titled as the original, a copy by its copy block
            return True
        return isinstance(block, Para) and _squash(block.text).upper().startswith("TRÍCH")

    def footnotes(self) -> None:
        refs = [(ref, custom, para) for b in self.d.blocks if isinstance(b, Para) for ref, custom, para in
                ((r, c, b) for r, c in b.footnote_refs)]
        extract = self._is_extract()
        marks: set[str] = set()
        previous = 0
        for n, (ref, custom, para) in enumerate(refs, 1):
            want = f"({n})"
            if ref not in self.d.footnotes:
                self.fail("footnotes", _("a reference to note {ref} that footnotes.xml does not hold").format(ref=ref),
                          _("every reference with its note"))
                continue
            if extract and MARK.match(custom.strip()) and int(custom.strip()[1:-1]) > previous:
                want = custom.strip()  # the original's mark, in the original's order
            if custom.strip() != want:
                shown = _("the mark '{mark}'").format(mark=custom.strip()) if custom.strip() else _("an automatic number")
                expected = (_("the original's marks in increasing order (after '({previous})')").format(previous=previous)
                            if extract else _("the custom mark '{want}'").format(want=want))
                self.fail("footnotes", _("{shown} for note {n} in '{snippet}'").format(shown=shown, n=n, snippet=para.snippet), expected)
            if MARK.match(custom.strip()):
                previous = int(custom.strip()[1:-1])
                marks.add(custom.strip())
            body = [x for x in self.d.footnotes[ref] if not x.empty]
            if body and not body[0].text.lstrip().startswith(want) and custom.strip():
                self.fail("footnotes", _("note {n} starting '{snippet}'").format(n=n, snippet=body[0].snippet), _("the note starting with its mark '{want}'").format(want=want))
            for x in body:
                sizes = sorted({r.size_pt for r in x.runs if r.text.strip() and not MARK.match(r.text.strip())
                                and not _within(r.size_pt, self.a.footnote_pt)})
                for s in sizes:
                    self.fail("footnotes", _("note {n} in {size:g} pt").format(n=n, size=s), _range(*self.a.footnote_pt, "pt"))
        for b in self.d.blocks:
            if not isinstance(b, Para):
                continue
            for run in b.runs:
                if run.field.startswith("NOTEREF") and MARK.match(run.text.strip()) and run.text.strip() not in marks:
                    self.fail("footnotes", _("a reference to the mark '{mark}' in '{snippet}'").format(
                        mark=run.text.strip(), snippet=b.snippet),
                              _("a mark of a note of this document ({marks})").format(
                                  marks=", ".join(sorted(marks)) or _("none")))

    # -- the copy block of a bản trích sao ---------------------------------------------
    def copy_block_at(self) -> tuple[int, int] | None:
        """(where the copy block starts, where its table is): a table whose right column opens with TRÍCH SAO."""
        for i, b in enumerate(self.d.blocks):
            if not (isinstance(b, Table) and b.rows and len(b.rows[0]) >= 2):
                continue
            first = next((p for c in b.rows[0][1:] for p in c.paras if not p.empty), None)
            if first is None or _squash(first.text).upper() not in COPY_KINDS:
                continue
            k = i - 1
            while k >= 0 and isinstance(self.d.blocks[k], Para) and self.d.blocks[k].empty \
                    and not self.d.blocks[k].border_bottom:  # type: ignore[union-attr]
                k -= 1
            rule = self.d.blocks[k] if k >= 0 else None
            if isinstance(rule, Para) and rule.empty and rule.border_bottom:
                return k, i
            return i, i
        return None

    def copy_block(self, rule: Para | None, table: Table) -> None:
        """The rule across the text width, TRÍCH SAO, the copying body, the copy number, the date, Nơi nhận, signer."""
        p, a = self.p, self.a
        width = self.d.text_width_mm
        if rule is None:
            self.fail(_("copy block"), _("no rule above it"),
                      _("a solid rule across the whole text width ({width:.0f} mm) between the copied text and the copy block").format(width=width))
        else:
            if rule.border_bottom_kind not in ("single", "thick"):
                self.fail(_("copy block"), _("a {drawn} rule above it").format(drawn=rule.border_bottom_kind or 'drawn'), _("a solid rule"))
            if rule.width_mm is not None and rule.width_mm < width - 1:
                self.fail(_("copy block"), _("a rule {width_mm:.0f} mm long above it").format(width_mm=rule.width_mm),
                          _("a rule across the whole text width ({width:.0f} mm)").format(width=width))
        left = [x for row in table.rows for x in row[0].paras]
        right = [x for row in table.rows for c in row[1:] for x in c.paras]
        at = next((k for k, x in enumerate(left) if x.text.strip().lower().startswith("nơi nhận")), None)
        head_left, recipients = (left[:at], left[at:]) if at is not None else (left, [])
        texts = [x for x in head_left if not x.empty]
        number_i = next((k for k, x in enumerate(texts) if re.match(r"^\s*S[ốô]\b", x.text)), None)
        if number_i is None:
            self.fail(_("copy number"), _("no 'Số ...' line under the copying body"), f"'{NUMBER_EXAMPLE[p.name]}'")
            names = texts
        else:
            number = texts[number_i]
            shown = _squash(number.text)
            if not re.fullmatch(NUMBER_PATTERN[p.name], shown):
                form = (_("'Số:' with a colon, '/' before TrS (SY, SL), '-' before the copying body's abbreviation")
                        if p.name == "state" else _("'Số' without a colon, '-BS/' before the copying body's abbreviation"))
                self.fail(_("copy number"), f"'{shown}'", _("the form '{name}' ({name2} style: {form})").format(name=NUMBER_EXAMPLE[p.name], name2=style_name(p.name), form=form))
            self.line(number, "copy number", a.number_pt, bold=False, italic=False)
            names = texts[:number_i]
        names = [x for x in names if x.text.strip() != "*"]
        bold = [x for x in names if x.runs and all(r.bold for r in x.runs if r.text.strip())]
        if not bold:
            self.fail(_("copying body"), _("no copying body above the copy number"), _("its name in bold upper case"))
        for x in names:
            if x in bold:
                self.line(x, "copying body", a.issuing_body_pt, bold=True, upper=True)
            else:
                self.line(x, "copying body", a.superior_body_pt, upper=True)
        if bold and p.issuing_rule_mm and self.rule_after(head_left, bold[-1]) is None:
            self.fail(_("copying body"), _("no rule under '{snippet}'").format(snippet=bold[-1].snippet), _("a short rule under it ({name} style)").format(name=style_name(p.name)))
        rtexts = [x for x in right if not x.empty]
        kind = rtexts[0]
        self.line(kind, "TRÍCH SAO", COPY_KIND_PT, bold=True, upper=True)
        date_i = next((k for k, x in enumerate(rtexts) if DATE_LINE.match(_squash(x.text))), None)
        if date_i is None:
            self.fail(_("copy date"), _("no 'place, ngày ... tháng ... năm ...' line under TRÍCH SAO"),
                      _("the place and date of copying in italic"))
            signature = right[right.index(kind) + 1:]
        else:
            self.date_line(rtexts[date_i])
            signature = right[right.index(rtexts[date_i]) + 1:]
        if not recipients:
            self.fail(_("copy block"), _("no 'Nơi nhận:' of the copy"), _("'Nơi nhận:' and the copy's recipients on the left"))
        else:
            self.recipients([x for x in recipients if not x.empty])
        self.signature(signature)

    # -- closing ------------------------------------------------------------------
    def closing_index(self) -> int | None:
        for i in range(len(self.d.blocks) - 1, -1, -1):
            b = self.d.blocks[i]
            if isinstance(b, Table) and b.rows and len(b.rows[0]) >= 2:
                first = next((p for p in b.rows[0][0].paras if not p.empty), None)
                if first is not None and first.text.strip().lower().startswith("nơi nhận"):
                    return i
        return None

    def closing_on_the_page(self, at: int) -> None:
        """The closing stays whole, never alone on a page, and leaves no blank page after it."""
        table = self.d.blocks[at]
        assert isinstance(table, Table)
        if not all(table.cant_split) or len(table.cant_split) != len(table.rows):
            self.fail("closing", _("a closing row that may break across pages"),
                      _("the signature block whole on one page (Word: Table Properties > Row, 'Allow row to break across pages' off)"))
        for row in table.rows[:-1]:
            if not all(p.keep_next for c in row for p in c.paras[-1:]):
                self.fail("closing", _("closing rows that may fall on different pages"),
                          _("each row but the last kept with the next (Keep with next)"))
                break
        before = []
        for b in reversed(self.d.blocks[:at]):
            if not isinstance(b, Para):
                break
            before.append(b)
            if not b.empty:
                break
        loose = [b for b in before if not b.keep_next]
        if before and loose:
            last = next((b for b in before if not b.empty), before[0])
            self.fail("closing", _("the closing may stand alone on a page ('{snippet}' is not kept with it)").format(snippet=last.snippet),
                      _("the body's last paragraph and any empty one after it kept with the closing (Keep with next)"))
        after = self.d.blocks[at + 1:]
        if not after:
            self.fail("closing", _("the document ending in the closing table"),
                      _("a last empty paragraph of at most {END_MARK_MAX_PT:g} pt with no spacing after the table (Word adds a full-size one, which can fall onto a blank page)").format(END_MARK_MAX_PT=END_MARK_MAX_PT))
        else:
            big = [b for b in after if not isinstance(b, Para) or not b.empty or b.height_pt > END_MARK_MAX_PT
                   + PT_TOLERANCE]
            if big:
                what = (f"'{big[0].snippet}'" if isinstance(big[0], Para) and not big[0].empty
                        else _("a paragraph {height:.0f} pt high").format(height=big[0].height_pt)
                        if isinstance(big[0], Para) else _("a table"))
                self.fail("closing", _("{what} after the closing table, which can fall onto a blank page").format(what=what),
                          _("nothing after it but one empty paragraph of at most {END_MARK_MAX_PT:g} pt with no spacing").format(END_MARK_MAX_PT=END_MARK_MAX_PT))

    def closing(self, table: Table) -> None:
        left = [p for row in table.rows for p in row[0].paras if not p.empty]
        right = [p for row in table.rows for c in row[1:] for p in c.paras]
        self.recipients(left)
        self.signature(right)

    def recipients(self, paras: list[Para]) -> None:
        p, a = self.p, self.a
        heading, lines = paras[0], paras[1:]
        if heading.text.strip() != "Nơi nhận:":
            self.fail("recipients", f"'{heading.text.strip()}'", "'Nơi nhận:'")
        fmt = []
        runs = [r for r in heading.runs if r.text.strip()]
        kinds = ((p.recipients_heading_bold, "bold", N_("bold"), N_("not bold")),
                 (p.recipients_heading_italic, "italic", N_("italic"), N_("not italic")),
                 (p.recipients_heading_underline, "underline", N_("underlined"), N_("not underlined")))
        for want, attr, said, not_said in kinds:
            has = bool(runs) and all(getattr(r, attr) for r in runs)
            if want and not has:
                fmt.append(_(not_said))
            if not want and has and attr != "bold":
                fmt.append(_(said))
        if fmt:
            want = ", ".join(_(said) for w_, _attr, said, _not in kinds if w_)
            self.fail("recipients", f"'Nơi nhận:' {', '.join(fmt)}",
                      _("'{heading}' {want} ({name} style)").format(heading="Nơi nhận:", want=want, name=style_name(p.name)))
        self.line(heading, "recipients", a.recipients_heading_pt)
        if not lines:
            self.fail("recipients", _("no recipient lines"), _("one line per recipient, each starting with '- '"))
            return
        for k, x in enumerate(lines):
            text = x.text.strip()
            last = k == len(lines) - 1
            end = p.recipient_end if last else p.recipient_separator
            if not re.match(r"^[-–]\s", text):
                self.group("recipients", _("a line not starting with '- '"), _("each recipient line starting with '- '"), x.snippet)
            if not text.endswith(end):
                what = _("the last line") if last else _("a line")
                self.group("recipients", _("{what} ending '{text}'").format(what=what, text=text[-1:]), _("'{end}' at the end ({name} style: '{recipient_separator}' after each line, '{recipient_end}' after the last)").format(end=end, name=style_name(p.name), recipient_separator=p.recipient_separator, recipient_end=p.recipient_end), x.snippet)
            self.line(x, "recipients", a.recipient_pt, grouped=True)
        last = re.sub(r"^[-–]\s*", "", lines[-1].text.strip()).rstrip(".;,")
        if not re.fullmatch(p.file_copy_pattern, last):
            self.fail("recipients", _("'{text}' last").format(text=lines[-1].text.strip()),
                      _("the file copy last: '- {file_copy_example}{recipient_end}' ({name} style)").format(file_copy_example=p.file_copy_example, recipient_end=p.recipient_end, name=style_name(p.name)))

    def signature(self, paras: list[Para]) -> None:
        p, a = self.p, self.a
        texts = [x for x in paras if not x.empty]
        if len(texts) < 2:
            self.fail("signature", _("no signer's title and name"), _("the signature block in the right column"))
            return
        name = texts[-1]
        lines = texts[:-1]
        # The authority: one line or several ("TL. CHỦ TỊCH" / "KT. CHÁNH VĂN PHÒNG"), each in the style's form.
        count = next((k for k, x in enumerate(lines) if not AUTHORITY.match(x.text.strip())), len(lines))
        authorities, lines = lines[:count], lines[count:]
        authority = authorities[-1] if authorities else None
        for x in authorities:
            head = x.text.strip().split()[0]
            if head not in p.authority_forms:
                twins = {"T/M": "TM.", "K/T": "KT.", "T/L": "TL.", "TM.": "T/M", "KT.": "K/T", "TL.": "T/L",
                         "TM": "TM.", "KT": "KT.", "TL": "TL."}
                twin = twins.get(head)
                hint = (f"'{twin}'" if twin in p.authority_forms
                        else _("one of {choices}").format(choices=", ".join(p.authority_forms)))
                self.fail("authority", f"'{_squash(x.text)}'", _("{hint} ({style} style: {forms})").format(
                    hint=hint, style=style_name(p.name), forms=", ".join(p.authority_forms)))
            self.line(x, "authority", a.signature_pt, bold=True, upper=True)
        for x in lines:
            self.line(x, "signer's title", a.signature_pt, bold=a.signature_title_bold, upper=True)
        self.line(name, "signer's name", a.signature_pt, bold=True)
        if self.style == "state" and _squash(name.text).lower().startswith(HONORIFICS):
            self.fail(_("signer's name"), f"'{_squash(name.text)}'", _("the full name without honorifics or degrees (State style)"))
        # The room for the hand signature: empty lines between the title and the name.
        if lines or authority is not None:
            above = (lines or [authority])[-1]
            i, j = paras.index(above), paras.index(name)
            gap = above.space_after_pt + name.space_before_pt
            for x in paras[i + 1:j]:
                gap += x.space_before_pt + x.space_after_pt + _line_height(x)
            if gap + PT_TOLERANCE < a.signature_gap_min_pt:
                self.fail("signature", _("{gap:.0f} pt between the title and the name").format(gap=gap),
                          _("at least {signature_gap_min_pt:g} pt of room for the signature").format(signature_gap_min_pt=a.signature_gap_min_pt))


def _line_height(para: Para) -> float:
    if para.line_rule == "auto":
        return para.mark_size_pt * 1.15 * para.line_value
    return para.line_value if para.line_rule == "exact" else max(para.line_value, para.mark_size_pt * 1.15)
