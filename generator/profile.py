"""Style profiles: every layout number of a rulebook in one place.

The template builder writes these values into the .docx templates; the
values marked (weak) in the format rules are the ones most likely to change.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import N_, gettext

# The width of "Độc lập - Tự do - Hạnh phúc" in bold Times New Roman, in ems
# (measured on Liberation Serif 2 Bold, which has the same metrics): the State
# motto's rule is as long as the text, so its length follows the font size.
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MOTTO_BOLD_EM = 12.2407
MM_PER_PT = 25.4 / 72


@dataclass(frozen=True)
class Accept:
    """What the checker accepts: the rulebook's ranges (the template picks one value)."""

    paper_mm: tuple[float, float]
    paper_tolerance_mm: float
    margins_mm: dict[str, tuple[float, float]]
    fonts: tuple[str, ...]
    national_heading_pt: tuple[float, float]
    motto_pt: tuple[float, float]          # (0, 0): no motto in this style
    superior_body_pt: tuple[float, float]
    issuing_body_pt: tuple[float, float]
    number_pt: tuple[float, float]
    place_date_pt: tuple[float, float]
    title_pt: tuple[float, float]
    subject_pt: tuple[float, float]
    body_pt: tuple[float, float]
    body_first_line_mm: tuple[float, float]
    body_space_min_pt: float
    body_line_exact_pt: tuple[float, float] | None   # None: exact spacing not accepted
    body_line_multiple: tuple[float, float] | None   # None: "auto" spacing not accepted
    signature_pt: tuple[float, float]
    signature_title_bold: tuple[bool, ...]           # (weak) Party: either is accepted
    signature_gap_min_pt: float                      # room for the hand signature
    recipients_heading_pt: tuple[float, float]
    recipient_pt: tuple[float, float]
    footnote_pt: tuple[float, float]
    motto_rule_ratio: tuple[float, float]            # rule length / text width
    short_rule_mm: tuple[float, float]               # rule under the issuing body / subject


@dataclass(frozen=True)
class Profile:
    name: str
    title: str                  # what `thongbao templates` says about it
    template: str               # file name under templates/
    font: str
    font_fallback: str          # metric-compatible twin used for PDFs when the font is missing
    paper_mm: tuple[float, float]
    margins_mm: dict[str, float]  # top, bottom, left, right
    header_distance_mm: float
    cell_margin_mm: float       # left and right padding of the header and closing cells
    header_columns_mm: tuple[float, float]
    closing_columns_mm: tuple[float, float]
    national_heading: str       # ĐẢNG CỘNG SẢN VIỆT NAM / CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
    national_heading_pt: float
    national_rule_indent_mm: float  # Party: rule under the heading, indented this much each side
    motto: str                  # State: Tiêu ngữ ("" for none)
    motto_pt: float
    motto_rule_slack_mm: float  # the motto's paragraph is this much wider than the text, so it never wraps
    superior_body_pt: float
    issuing_body_pt: float
    issuing_mark: str           # Party: "*" under the issuing body
    issuing_rule_mm: float      # State: short rule under the issuing body (0: none)
    number_pt: float
    place_date_pt: float
    place_date_space_pt: float  # space above the place-date line
    title_pt: float             # THÔNG BÁO
    subject_pt: float
    subject_mark: str           # Party: "-----" under the subject
    subject_rule_mm: float      # State: short rule under the subject (0: none)
    body_pt: float
    body_first_line_mm: float
    body_space_after_pt: float
    body_line_rule: str         # "exact" (points) or "multiple" (lines)
    body_line: float            # (weak) Party: 18-22 pt exactly; State: single to 1.5 lines
    signature_pt: float
    signature_title_bold: bool  # (weak)
    signature_space_lines: int
    recipients_heading_pt: float
    recipients_heading_bold: bool
    recipients_heading_italic: bool
    recipients_heading_underline: bool
    recipient_pt: float
    footnote_pt: float
    number_prefix: str          # "Số " (Party: no colon) / "Số: " (State)
    number_format: str          # str.format with number, type_code, body_code
    number_pattern: str         # regex the checker wants the whole number line to match
    number_example: str
    recipient_separator: str    # "," (Party) / ";" (State) after each recipient line
    recipient_end: str          # "." after the last one
    file_copy_pattern: str      # regex the last recipient (without "- " and end mark) matches
    file_copy_example: str
    authority_forms: tuple[str, ...]  # T/M, K/T ... (Party) / TM., KT. ... (State)
    accept: Accept

    @property
    def motto_width_mm(self) -> float:
        return MOTTO_BOLD_EM * self.motto_pt * MM_PER_PT


_COMMON_MARGINS = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}

PARTY = Profile(
    name="party",
    title="Party style (Hướng dẫn 36-HD/VPTW)",
    template="party.docx",
    font="Times New Roman",
    font_fallback="Liberation Serif",
    paper_mm=(210, 297),
    margins_mm={"top": 20, "bottom": 20, "left": 30, "right": 15},
    header_distance_mm=10,
    cell_margin_mm=1.9,
    header_columns_mm=(86, 92),
    closing_columns_mm=(75, 90),
    national_heading="ĐẢNG CỘNG SẢN VIỆT NAM",
    national_heading_pt=15,
    national_rule_indent_mm=3,
    motto="",
    motto_pt=0,
    motto_rule_slack_mm=0,
    superior_body_pt=14,
    issuing_body_pt=14,
    issuing_mark="*",
    issuing_rule_mm=0,
    number_pt=14,
    place_date_pt=14,
    place_date_space_pt=12,
    title_pt=16,
    subject_pt=14,
    subject_mark="-----",
    subject_rule_mm=0,
    body_pt=14,
    body_first_line_mm=12.7,
    body_space_after_pt=6,
    body_line_rule="exact",
    body_line=18,
    signature_pt=14,
    signature_title_bold=False,
    signature_space_lines=4,
    recipients_heading_pt=14,
    recipients_heading_bold=False,
    recipients_heading_italic=False,
    recipients_heading_underline=True,
    recipient_pt=12,
    footnote_pt=12,
    number_prefix="Số ",
    number_format="{number:02d}-{type_code}/{body_code}",
    number_pattern=r"Số \d{2,}-[^\s/:-]+/[^\s/:-]+",
    number_example="Số 103-TB/BCĐ",
    recipient_separator=",",
    recipient_end=".",
    file_copy_pattern=r"Lưu [^:].*",
    file_copy_example="Lưu VT",
    authority_forms=("T/M", "K/T", "T/L"),
    accept=Accept(
        paper_mm=(210, 297),
        paper_tolerance_mm=1,
        margins_mm=_COMMON_MARGINS,
        fonts=("Times New Roman",),
        national_heading_pt=(15, 15),
        motto_pt=(0, 0),
        superior_body_pt=(14, 14),
        issuing_body_pt=(14, 14),
        number_pt=(14, 14),
        place_date_pt=(14, 14),
        title_pt=(15, 16),
        subject_pt=(14, 15),
        body_pt=(14, 15),
        body_first_line_mm=(10, 12.7),
        body_space_min_pt=6,
        body_line_exact_pt=(18, 22),
        body_line_multiple=None,
        signature_pt=(14, 14),
        signature_title_bold=(False, True),
        signature_gap_min_pt=36,
        recipients_heading_pt=(14, 14),
        recipient_pt=(12, 12),
        footnote_pt=(10, 14),
        motto_rule_ratio=(0, 0),
        short_rule_mm=(0, 0),
    ),
)

STATE = Profile(
    name="state",
    title="State style (Nghị định 30/2020/NĐ-CP)",
    template="state.docx",
    font="Times New Roman",
    font_fallback="Liberation Serif",
    paper_mm=(210, 297),
    margins_mm={"top": 20, "bottom": 20, "left": 30, "right": 15},
    header_distance_mm=10,
    cell_margin_mm=1.9,
    header_columns_mm=(72, 103),
    closing_columns_mm=(80, 90),
    national_heading="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    national_heading_pt=13,
    national_rule_indent_mm=0,
    motto=MOTTO,
    motto_pt=14,
    motto_rule_slack_mm=2,
    superior_body_pt=13,
    issuing_body_pt=13,
    issuing_mark="",
    issuing_rule_mm=18,
    number_pt=13,
    place_date_pt=14,
    place_date_space_pt=6,
    title_pt=14,
    subject_pt=14,
    subject_mark="",
    subject_rule_mm=40,
    body_pt=14,
    body_first_line_mm=12.7,
    body_space_after_pt=6,
    body_line_rule="multiple",
    body_line=1.15,
    signature_pt=14,
    signature_title_bold=True,
    signature_space_lines=4,
    recipients_heading_pt=12,
    recipients_heading_bold=True,
    recipients_heading_italic=True,
    recipients_heading_underline=False,
    recipient_pt=11,
    footnote_pt=12,
    number_prefix="Số: ",
    number_format="{number:02d}/{type_code}-{body_code}",
    number_pattern=r"Số: \d{2,}/[^\s/:-]+-[^\s/:]+",
    number_example="Số: 12/TB-UBND",
    recipient_separator=";",
    recipient_end=".",
    file_copy_pattern=r"Lưu: VT\b.*",
    file_copy_example="Lưu: VT, <unit>",
    authority_forms=("TM.", "KT.", "TL.", "TUQ.", "Q."),
    accept=Accept(
        paper_mm=(210, 297),
        paper_tolerance_mm=1,
        margins_mm=_COMMON_MARGINS,
        fonts=("Times New Roman",),
        national_heading_pt=(12, 13),
        motto_pt=(13, 14),
        superior_body_pt=(12, 13),
        issuing_body_pt=(12, 13),
        number_pt=(13, 13),
        place_date_pt=(13, 14),
        title_pt=(13, 14),
        subject_pt=(13, 14),
        body_pt=(13, 14),
        body_first_line_mm=(10, 12.7),
        body_space_min_pt=6,
        body_line_exact_pt=(15, 24),     # single to 1.5 lines of 13-14 pt text
        body_line_multiple=(1.0, 1.5),
        signature_pt=(13, 14),
        signature_title_bold=(True,),
        signature_gap_min_pt=36,
        recipients_heading_pt=(12, 12),
        recipient_pt=(11, 11),
        footnote_pt=(10, 14),
        motto_rule_ratio=(0.85, 1.2),
        short_rule_mm=(8, 80),
    ),
)

PROFILES = {"party": PARTY, "state": STATE}

STYLE_NAMES = {"party": N_("party"), "state": N_("state")}


def style_name(style: str | None) -> str:
    """The style as a message says it ("as the {style} style has it"): party/state, Đảng/Nhà nước."""
    name = STYLE_NAMES["party" if style == "party" else "state"]
    return gettext(name)

# Names of the paragraph and character styles the renderer fills in; a user
# template must define them (Word: Styles pane) to change the body's look.
STYLE_BODY = "TB Body"
STYLE_CONCLUSION = "TB Conclusion"
STYLE_TASK = "TB Task"
# Optional: a template without them gets TB Conclusion (parts, sub-items) and TB Task ("+" lines).
STYLE_PART = "TB Part"          # "I. ĐÁNH GIÁ CHUNG": bold, kept with the next paragraph
STYLE_POINT = "TB Point"        # "a) ..." sub-items
STYLE_DETAIL = "TB Detail"      # "+ ..." lines under a task
STYLE_FALLBACK = {STYLE_PART: STYLE_CONCLUSION, STYLE_POINT: STYLE_CONCLUSION, STYLE_DETAIL: STYLE_TASK}
STYLE_FOOTNOTE_TEXT = "Footnote Text"
STYLE_FOOTNOTE_REF = "Footnote Reference"
