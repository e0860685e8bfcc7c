"""Zip-level work: reproducible packages (fixed entry times, order and modes)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

CONTENT_TYPES = "[Content_Types].xml"


def reproducible_zip(data: bytes, when: dt.date) -> bytes:
    """Rewrite a .docx so the same content always gives the same bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    order = sorted(entries, key=lambda e: (e[0] != CONTENT_TYPES, e[0] != "_rels/.rels", e[0]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, blob in order:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            dst.writestr(info, blob, compresslevel=6)
    return out.getvalue()
