"""The user's cache: results worth keeping between runs, never needed for correctness.

Everything here can be deleted at any time; it is only read back when its key
(a content hash, or a file's path, size, mtime and hash) still matches, and a
cache that cannot be read or written is simply not used.

Folder: $THONGBAO_CACHE, else $XDG_CACHE_HOME/thongbao, else ~/.cache/thongbao.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

ENV_CACHE = "THONGBAO_CACHE"


def cache_dir() -> Path:
    chosen = os.environ.get(ENV_CACHE)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "thongbao"


def read_json(name: str) -> dict:
    """The cache file ``name`` as a dict; {} if absent, unreadable or not a dict."""
    try:
        with open(cache_dir() / name, encoding="utf-8") as fh:
            found = json.load(fh)
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def write_json(name: str, data: dict) -> None:
    """Replace the cache file ``name`` in one step; any failure leaves the cache unused, nothing else."""
    folder = cache_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, folder / name)
    except (OSError, TypeError, ValueError):
        try:
            os.unlink(tmp)
        except OSError:
            pass
