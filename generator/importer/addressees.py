"""Who an item is addressed to: the names of a heading resolved against the units directory.

A heading such as "Các TCCS Đảng, các cơ quan, ban, ngành cấp huyện và Ban
Chỉ đạo Cuộc vận động các xã, thị trấn:" is cut at its commas and "và" and the
pieces joined back into the longest names the directory knows; what it does
not know is kept as written, with the closest known name for the clerk.
"""

from __future__ import annotations

import difflib
import re

from ..i18n import _
from ..units import Directory, name_key
from . import patterns as P
from .draft import Note


class Addressees:
    """Resolves unit names against ``directory`` (None: by the shape of the words only)."""

    def __init__(self, directory: Directory | None):
        self.directory = directory
        self.unknown: dict[str, str | None] = {}  # a name the directory does not know -> the closest it knows

    def resolve(self, heading: str, known_only: bool = False, force: bool = False) -> tuple[list[str], list[Note]]:
        """The units a heading names, resolved against the directory; [] for an assessment heading."""
        text = " ".join(heading.split()).rstrip(":").strip()
        text = re.sub(r"\s*\([^()]*\)\s*$", "", text)  # "(cơ quan thường trực ...)"
        text = P.TRAILING_VERB.sub("", text)  # "Sở Tài chính và Sở Xây dựng phối hợp"
        lead = P.UNIT_LEAD.match(text)
        if lead:
            text = text[lead.end():]
        if not text or len(text) > 250:
            return [], []
        pieces = [p for p in re.split(r"(,\s*|\s+và\s+|;\s*)", text)]
        frags = pieces[0::2]
        seps = pieces[1::2]
        n = len(frags)

        def joined(i: int, j: int) -> str:
            return "".join(frags[k] + (seps[k] if k < j - 1 else "") for k in range(i, j))

        # best[j] = (matched fragments, -segments, segmentation) over frags[:j]
        best: list[tuple[int, int, list[tuple[int, int, str | None, str]]]] = [(0, 0, [])] + [(-1, 0, [])] * n
        for j in range(1, n + 1):
            candidates = []
            for i in range(j):
                if best[i][0] < 0:
                    continue
                name = joined(i, j)
                how, known = self.match(name)
                if known is not None:
                    candidates.append((best[i][0] + (j - i), best[i][1] - 1, best[i][2] + [(i, j, known, how)]))
                if j - i == 1:
                    candidates.append((best[i][0], best[i][1] - 1, best[i][2] + [(i, j, None, "")]))
            best[j] = max(candidates, key=lambda c: (c[0], c[1]))
        segments = best[n][2]
        matched = any(known is not None for _, _, known, _ in segments)
        if not matched and not force and (known_only or not (lead or P.UNIT_WORD.match(text))):
            return [], []
        names: list[str] = []
        notes: list[Note] = []
        unknown: list[tuple[int, int]] = []
        for i, j, known, how in segments:
            if known is not None:
                names.append(P.capital(joined(i, j)) if how == "exact" else known)
                if how == "close":
                    notes.append(Note("CHECK", _("'{j}' read as the known unit '{known}'").format(j=joined(i, j), known=known), "to"))
                continue
            # Unknown: a fragment starting lower-case continues the one before ("..., thị trấn").
            # An unknown piece that does not start a name ("thị trấn", "Thông tin") continues the one before.
            if (unknown and unknown[-1][1] == i and not P.UNIT_WORD.match(frags[i])
                    and not frags[i].lower().startswith("các ") and _prev_unknown(segments, i)):
                unknown[-1] = (unknown[-1][0], j)
                names[-1] = P.capital(joined(*unknown[-1]))
                continue
            unknown.append((i, j))
            names.append(P.capital(joined(i, j)))
        noted: set[str] = set()
        for name in names:
            if self.directory is not None and self.directory.lookup(name) is None and name not in noted:
                noted.add(name)
                close = self.directory.closest(name)
                self.unknown[name] = close
                notes.append(Note("CHECK", _("unknown unit '{name}' (closest known: '{close}')").format(name=name, close=close)
                                  if close else _("unknown unit '{name}'").format(name=name), "to"))
        return P.unique(names), notes

    def mentioned(self, text: str) -> list[str]:
        """Known units (by any of their names) written inside ``text``, longest names first, in text order."""
        if self.directory is None:
            return []
        key = name_key(text)
        found: list[tuple[int, int, str]] = []
        index = self.directory._index  # the directory's own name index
        for name in sorted(index, key=len, reverse=True):
            if len(name) < 4:
                continue
            for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", key):
                if not any(a <= m.start() < b or a < m.end() <= b for a, b, _ in found):
                    entity = index[name]
                    written = next(n for n in (entity.name, *entity.aliases) if name_key(n) == name)
                    found.append((m.start(), m.end(), written))
        return P.unique([w for _, _, w in sorted(found)])

    def match(self, name: str) -> tuple[str, str | None]:
        """('exact' | 'prefix' | 'close', the directory's name) for a name, or ('', None)."""
        if self.directory is None or not name.strip():
            return "", None
        found = self.directory.lookup(name)
        if found is not None:
            return "exact", found.name
        key = name_key(name)
        index = self.directory._index  # the directory's own name index
        for k, entity in index.items():
            if k.startswith(key + " ") and P.PLACE_SUFFIX.match(k[len(key) + 1:]) and len(key) >= 8:
                return "prefix", next(n for n in (entity.name, *entity.aliases) if name_key(n) == k)
        if len(key) >= 12:
            close = difflib.get_close_matches(key, list(index), n=1, cutoff=0.92)
            if close:
                entity = index[close[0]]
                return "close", next(n for n in (entity.name, *entity.aliases) if name_key(n) == close[0])
        return "", None


def _prev_unknown(segments, i: int) -> bool:
    prev = next((s for s in segments if s[1] == i), None)
    return prev is not None and prev[2] is None
