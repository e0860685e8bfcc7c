"""Vietnamese names folded to ASCII, for file names and for matching references."""

from __future__ import annotations

import unicodedata


def ascii_fold(text: str) -> str:
    """``Đảng ủy`` -> ``Dang uy``: diacritics dropped, Đ as D, other non-ASCII removed."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
