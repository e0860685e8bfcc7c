"""One copy per distinct content: the archive's object store.

    ARCHIVE/objects/sha256/ab/abcdef...   the bytes whose SHA-256 is the name, read-only

Every file of a filed version is written once here, under its SHA-256, and
the version folder holds a hard link to it under the file's own name. The
folders read as before (``documents/00001-103-TB-BCD/v1/103-TB-BCD.docx``),
but a template, a units file, or an extract unchanged by a correction, takes
its room once however many versions hold it; ``verify`` hashes each distinct
file once. Each manifest names every file with its SHA-256, which is the
file's place in the store.

Where the file system cannot link (some network shares), or the stored copy
is not what its name says, the file is written into the version folder as a
copy of its own, as archives made before the store hold all their files:
both layouts are read the same way, nothing needs migrating.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
from pathlib import Path

from ..output import fsync_dir

OBJECTS = "objects"
ALGORITHM = "sha256"
READ_ONLY_FILE = 0o444


def object_path(archive: Path, sha256: str) -> Path:
    return archive / OBJECTS / ALGORITHM / sha256[:2] / sha256


def place(archive: Path, path: Path, data: bytes, sha256: str | None = None) -> bool:
    """Make ``path`` (new) hold ``data`` as a link into the store; return False where it cannot link.

    The caller then writes ``path`` as a copy of its own.
    """
    sha256 = sha256 or hashlib.sha256(data).hexdigest()
    try:
        stored = _stored(archive, data, sha256)
        if stored is None:
            return False
        os.link(stored, path)
    except OSError:
        return False
    return True


def _stored(archive: Path, data: bytes, sha256: str) -> Path | None:
    """The store's copy of ``data``, written if new; None if the copy there is not ``data``."""
    target = object_path(archive, sha256)
    if target.is_file():
        return target if _holds(target, data, sha256) else None
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".new-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, READ_ONLY_FILE)
        try:
            os.link(tmp, target)          # never replaces: two issues storing the same bytes agree
        except OSError as exc:
            if exc.errno != errno.EEXIST:
                raise
            return target if _holds(target, data, sha256) else None
        fsync_dir(target.parent)
        return target
    finally:
        os.unlink(tmp)


def _holds(path: Path, data: bytes, sha256: str) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return hashlib.sha256(path.read_bytes()).hexdigest() == sha256
    except OSError:
        return False


def object_name_ok(path: Path) -> bool:
    """Whether ``path`` sits where a stored object would: objects/sha256/ab/ab... (64 hex digits)."""
    name, prefix = path.name, path.parent.name
    return (len(name) == 64 and all(c in "0123456789abcdef" for c in name) and name[:2] == prefix
            and path.parent.parent.name == ALGORITHM)
