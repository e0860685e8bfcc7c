"""Regular expressions compiled the first time they are used, not at import.

Compiling a pattern takes a tenth of a millisecond or more; a module that
holds a few (dates, markup, deadlines) is imported by every render, also one
from the notice cache that never reads a date or a deadline.
"""

from __future__ import annotations

import re


class lazy:  # noqa: N801 (used like re.compile)
    """re.compile(pattern, flags), compiled the first time it is used.

    After the first use the compiled pattern's methods are this object's own attributes.
    """

    _METHODS = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split")

    def __init__(self, pattern: str | bytes, flags: int = 0):
        self._args = (pattern, flags)

    def __getattr__(self, name: str):
        if name.startswith("__") or name == "_args":
            raise AttributeError(name)
        compiled = re.compile(*self._args)
        for method in self._METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)
