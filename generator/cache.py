"""The user's cache: results worth keeping between runs, never needed for correctness.

Everything here can be deleted at any time; it is only read back when its key
(a content hash, or a file's path, size, mtime and hash) still matches, and a
cache that cannot be read or written is simply not used.

Folder: $THONGBAO_CACHE, else $XDG_CACHE_HOME/thongbao, else ~/.cache/thongbao;
made private (0700) when new. A folder another user could write in (not ours,
writable by others, or by a group other than the user's own) is neither read nor
written: compiled Jinja code is kept here and run by a render (see root).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

ENV_CACHE = "THONGBAO_CACHE"


def cache_dir() -> Path:
    chosen = os.environ.get(ENV_CACHE)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "thongbao"


def root(create: bool = False) -> Path | None:
    """cache_dir(), if only this user can write in it (``create``: made, private, if absent); else None."""
    folder = cache_dir()
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        if not create:
            return None
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            folder.mkdir(mode=0o700, exist_ok=True)
            st = os.stat(folder)
        except OSError:
            return None
    except OSError:
        return None
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o002
                                  or (st.st_mode & 0o020 and st.st_gid != os.getgid())):
        return None  # (writable by the user's own group, as umask 002 makes it with a group per user: used)
    return folder


def _path(name: str, create: bool = False) -> Path | None:
    found = root(create)
    return None if found is None else found / name


def read_json(name: str) -> dict:
    """The cache file ``name`` as a dict; {} if absent, unreadable or not a dict."""
    path = _path(name)
    if path is None:
        return {}
    try:
        with open(path, encoding="utf-8") as fh:
            found = json.load(fh)
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def write_json(name: str, data: dict) -> None:
    """Replace the cache file ``name`` in one step; any failure leaves the cache unused, nothing else."""
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return
    _replace(name, text.encode("utf-8"))


def read_bytes(name: str) -> bytes | None:
    """What write_bytes stored as ``name`` (a path below the cache folder); None if absent or damaged."""
    path = _path(name)
    if path is None:
        return None
    try:
        stored = path.read_bytes()
    except OSError:
        return None
    digest, _, data = stored.partition(b"\n")
    return data if hashlib.sha256(data).hexdigest().encode() == digest else None


_CHUNK = 1 << 20
_TRAILER = 65  # b"\n" and the SHA-256 (hex) of everything before it


def write_stream(name: str, write: Callable[[BinaryIO], None]) -> None:
    """Replace the cache file ``name`` in one step with what ``write(file)`` writes, and a SHA-256 of it
    after (for open_stream); any failure leaves the cache unused, nothing else. Nothing is held in memory
    whole: for files of many megabytes."""
    def with_trailer(fh: BinaryIO) -> None:
        write(fh)
        fh.flush()
        fh.seek(0)
        digest = hashlib.sha256()
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
        fh.write(b"\n" + digest.hexdigest().encode())

    _replace_with(name, with_trailer)


def open_stream(name: str) -> BinaryIO | None:
    """What write_stream wrote as ``name``, open at its start (the caller closes it), where its hash still
    matches; else None. Read twice, never whole: to check it, and by the caller."""
    path = _path(name)
    if path is None:
        return None
    try:
        fh = open(path, "rb")  # noqa: SIM115 -- handed to the caller
    except OSError:
        return None
    try:
        size = os.fstat(fh.fileno()).st_size - _TRAILER
        digest, left = hashlib.sha256(), size
        while left > 0:
            chunk = fh.read(min(_CHUNK, left))
            if not chunk:
                break
            digest.update(chunk)
            left -= len(chunk)
        if size < 0 or left or fh.read() != b"\n" + digest.hexdigest().encode():
            fh.close()
            return None
        fh.seek(0)
        return fh
    except OSError:
        fh.close()
        return None


def write_bytes(name: str, data: bytes) -> None:
    """Replace the cache file ``name`` in one step; any failure leaves the cache unused, nothing else."""
    _replace(name, hashlib.sha256(data).hexdigest().encode() + b"\n" + data)  # read_bytes checks it


def _replace(name: str, data: bytes) -> None:
    _replace_with(name, lambda fh: fh.write(data))


def _replace_with(name: str, write: Callable[[BinaryIO], object]) -> None:
    """Write the cache file ``name`` in one step (a temporary file beside it, then a rename); on any
    failure the temporary file goes and the file is left as it was: a cache is simply not written."""
    path = _path(name, create=True)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w+b") as fh:
            write(fh)
        os.replace(tmp, path)
    except Exception:  # noqa: BLE001 -- whatever write() raised, the cache is simply not written
        try:
            os.unlink(tmp)
        except OSError:
            pass


def read_tree(name: str) -> Path | None:
    """The folder keep_tree stored as ``name``, if there is one (to be copied, never changed)."""
    found = _path(name)
    return found if found is not None and found.is_dir() else None


def keep_tree(name: str, source: Path, ignore=None) -> None:
    """Store a copy of the folder ``source`` as ``name``, unless one is there already; in one step
    (a copy beside it, then renamed), so a reader finds a whole folder or none. Any failure leaves
    the cache unused, nothing else."""
    import shutil

    target = _path(name, create=True)
    if target is None or target.exists():
        return
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    except OSError:
        return
    try:
        shutil.copytree(source, tmp / "tree", ignore=ignore)
        os.rename(tmp / "tree", target)
    except OSError:
        pass  # another run stored it first, or the copy failed: either way nothing to keep
    shutil.rmtree(tmp, ignore_errors=True)
