"""Style profiles: every layout number of a rulebook in one place.

The template builder writes these values into the .docx templates; the
values marked (weak) in the format rules are the ones most likely to change.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    template: str               # file name under templates/
    font: str
    paper_mm: tuple[float, float]
    margins_mm: dict[str, float]  # top, bottom, left, right
    header_distance_mm: float
    header_columns_mm: tuple[float, float]
    closing_columns_mm: tuple[float, float]
    national_heading_pt: float  # ĐẢNG CỘNG SẢN VIỆT NAM
    superior_body_pt: float
    issuing_body_pt: float
    number_pt: float
    place_date_pt: float
    title_pt: float             # THÔNG BÁO
    subject_pt: float
    body_pt: float
    body_first_line_mm: float
    body_space_after_pt: float
    body_line_exact_pt: float   # (weak) Party: 18-22 pt exactly
    signature_pt: float
    signature_title_bold: bool  # (weak)
    signature_space_lines: int
    recipients_heading_pt: float
    recipient_pt: float
    footnote_pt: float
    number_prefix: str          # "Số " (Party: no colon)
    recipient_separator: str    # "," between recipient lines
    recipient_end: str          # "." after the last one


PARTY = Profile(
    name="party",
    template="party.docx",
    font="Times New Roman",
    paper_mm=(210, 297),
    margins_mm={"top": 20, "bottom": 20, "left": 30, "right": 15},
    header_distance_mm=10,
    header_columns_mm=(86, 92),
    closing_columns_mm=(75, 90),
    national_heading_pt=15,
    superior_body_pt=14,
    issuing_body_pt=14,
    number_pt=14,
    place_date_pt=14,
    title_pt=16,
    subject_pt=14,
    body_pt=14,
    body_first_line_mm=12.7,
    body_space_after_pt=6,
    body_line_exact_pt=18,
    signature_pt=14,
    signature_title_bold=False,
    signature_space_lines=4,
    recipients_heading_pt=14,
    recipient_pt=12,
    footnote_pt=12,
    number_prefix="Số ",
    recipient_separator=",",
    recipient_end=".",
)

PROFILES = {"party": PARTY}

# Names of the paragraph and character styles the renderer fills in; a user
# template must define them (Word: Styles pane) to change the body's look.
STYLE_BODY = "TB Body"
STYLE_CONCLUSION = "TB Conclusion"
STYLE_TASK = "TB Task"
STYLE_FOOTNOTE_TEXT = "Footnote Text"
STYLE_FOOTNOTE_REF = "Footnote Reference"
