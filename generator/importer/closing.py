"""The end of a notice: "Nơi nhận:" and its list, the signature (authority lines, title lines, name).

In two columns, laid out as a table (left cell, right cell) or with tabs
(left of the tab, right of it), or as lines one after the other.
"""

from __future__ import annotations

import re

from ..i18n import _
from ..profile import style_name
from . import patterns as P
from .document import Block
from .draft import Draft


class ClosingReader:
    """Fills the draft's recipients and signature; ``found`` collects what was seen."""

    def __init__(self, draft: Draft, found: set[str]):
        self.draft = draft
        self.found = found

    def read(self, blocks: list[Block]) -> None:
        d = self.draft
        left: list[str] = []
        right: list[str] = []
        in_recipients = False
        for b in blocks:
            for segs in P.line_segments(b):
                self._closing_line(b, segs, left, right, in_recipients)
                in_recipients = in_recipients or any(P.RECIPIENTS.match(s.lstrip("\t")) for s in segs)
        d.recipients = [P.recipient(s) for s in left if P.recipient(s)]
        self._signature(right)
        if d.recipients and d.style:
            self._file_copy()

    def _closing_line(self, b: Block, segs: list[str], left: list[str], right: list[str],
                      in_recipients: bool) -> None:
        """One line of the closing: pieces left of a tab are recipients, right of it the signature."""
        for k, seg in enumerate(segs):
            starts_tab = seg.startswith("\t")
            seg = seg.lstrip("\t")
            if P.RULE_LINE.match(seg):
                continue  # "______" above notes typed at the end
            column = 1 if (starts_tab or k > 0) else (b.cell[2] if b.cell is not None else None)
            if P.RECIPIENTS.match(seg):
                in_recipients = True
                self.found.add("recipients")
                tail = P.RECIPIENTS.sub("", seg).strip()
                if tail:
                    left.append(tail)
                continue
            recipient_like = P.BULLET.match(seg) or (in_recipients and seg.endswith((",", ";", "."))
                                                    and not P.is_upper(seg))
            if column == 0 or (column is None and recipient_like):
                left.append(seg)
            else:
                right.append(seg)

    def _file_copy(self) -> None:
        d = self.draft
        last = d.recipients[-1]
        m = re.match(r"^Lưu\s*:?\s*(.*)$", last, re.IGNORECASE)
        if not m:
            d.note("recipients", "CHECK", _("the last line is usually the file copy ('Lưu VT' / 'Lưu: VT, ...')"))
            return
        want = f"Lưu {m.group(1)}".strip() if d.style == "party" else f"Lưu: {m.group(1)}".strip()
        if want != last:
            d.recipients[-1] = want
            d.note("recipients", "CHECK", _("file copy line '{last}' written '{want}', as the {style} style has it").format(last=last, want=want, style=style_name(d.style)))

    def _signature(self, lines: list[str]) -> None:
        d = self.draft
        lines = [" ".join(s.split()) for s in lines if s.strip()]
        kept: list[str] = []
        for s in lines:
            if P.SIGNED.match(s):
                d.note("signature", "CHECK", _("'{s}' left out (the signed copy is signed by hand)").format(s=s))
                continue
            kept.append(s)
        if not kept:
            return
        self.found.add("signature")
        name_at = None
        for k in range(len(kept) - 1, -1, -1):
            if not P.is_upper(kept[k]) and kept[k] not in ("kiêm",) and not P.AUTHORITY.match(kept[k]):
                name_at = k
                break
        if name_at is not None and name_at == len(kept) - 1:
            d.name = kept[name_at]
            head = kept[:name_at]
        else:
            head = kept
            d.note("signature", "CHECK", _("no signer's name found"))
        for s in head:
            m = P.AUTHORITY.match(s)
            if m and not d.title:
                form = m.group(1).replace("T.M", "T/M").replace("K.T", "K/T")
                d.authority.append(f"{form} {m['rest'].strip()}" if form.endswith(".") or "/" in form else s)
            else:
                d.title.append(s)
        self._authority_forms()

    def _authority_forms(self) -> None:
        d = self.draft
        twins = {"T/M": "TM.", "K/T": "KT.", "T/L": "TL.", "TM.": "T/M", "KT.": "K/T", "TL.": "T/L"}
        party = d.style == "party"
        fixed = []
        for line in d.authority:
            head, _sep, rest = line.partition(" ")
            if (party and head in ("TM.", "KT.", "TL.")) or (d.style == "state" and head in ("T/M", "K/T", "T/L")):
                new = f"{twins[head]} {rest}"
                d.note("signature", "CHECK", _("'{line}' written '{new}', as the {style} style has it").format(line=line, new=new, style=style_name(d.style)))
                line = new
            fixed.append(line)
        d.authority = fixed
