"""Writing results: atomically, so a failure never leaves a half-written file, and never over
what the user did not mean to replace.

``check_target`` is asked before anything is rendered: it refuses the source
(and any other input), anything that is not a regular file (a folder, a FIFO,
a device, a symbolic link) and a file that thongbao did not make, unless
``force``. How a file made by thongbao is recognised, by its extension:

- .docx: ``docProps/core.xml`` has the description ``thongbao <version>``;
- .xlsx: ``docProps/core.xml`` has the creator ``thongbao``;
- .pdf: its Keywords hold ``thongbao`` (``render --pdf`` puts it there);
- .csv: its first line is the header thongbao writes there now;
- .ics: its PRODID names thongbao;
- an empty file (nothing to lose).

Temporary files are ``.NAME.PID.RANDOM.tmp`` beside the target; one whose
writer process is gone (on this computer), or older than STALE_AFTER, is
removed at the next write into that folder.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from .errors import OutputError, Problem, os_reason
from .i18n import _
from .patterns import lazy

STALE_AFTER = 10 * 60.0  # seconds
_OUR_TEMP = re.compile(r"^\..+?\.(?:(?P<pid>\d+)\.)?[A-Za-z0-9_]{8}\.tmp$")
_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


def disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` says the disk (or the user's quota) is full."""
    return isinstance(exc, OSError) and exc.errno in _FULL or "disk is full" in str(exc)


def os_error(path: Path, exc: OSError, expected: str) -> OutputError:
    """The one-line error of a failed write, saying so first when the disk is full."""
    what = os_reason(exc)
    what = what[:1].lower() + what[1:]  # "found input/output error" mid-sentence
    if disk_full(exc):
        return OutputError(_("the disk is full: {path}: found {what}, expected free space to write it (free some space and run the command again)").format(path=path, what=what))
    return OutputError(_("{path}: found {what}, expected {expected}").format(path=path, what=what, expected=expected))


# Refusing to write over what is not ours ----------------------------------------

def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


_PDF_KEYWORDS = lazy(rb"/Keywords\s*(?:<(?P<hex>[0-9A-Fa-f\s]*)>|\((?P<lit>(?:\\.|[^\\)])*)\))")


def pdf_keywords(data: bytes) -> list[str]:
    """The Keywords entries of a PDF's document information (hex or literal strings)."""
    out = []
    for m in _PDF_KEYWORDS.finditer(data):
        if m.group("hex") is not None:
            raw = bytes.fromhex(re.sub(rb"\s", b"", m.group("hex")).decode("ascii"))
        else:
            raw = m.group("lit")
        text = raw[2:].decode("utf-16-be", "replace") if raw.startswith(b"\xfe\xff") else raw.decode("latin-1")
        out.append(text)
    return out


def made_by_us(path: Path, new_data: bytes | None = None) -> bool:
    """Whether the regular file ``path`` is one thongbao wrote (see the module docstring)."""
    try:
        size = path.stat().st_size
    except OSError:
        return False
    if size == 0:
        return True
    kind = path.suffix.lower()
    if kind in (".docx", ".xlsx"):
        from .docx.package import core_property

        if kind == ".docx":
            return core_property(path, "description").startswith("thongbao ")
        return core_property(path, "creator") == "thongbao"
    if kind == ".pdf":
        try:
            data = path.read_bytes()
        except OSError:
            return False
        return data.startswith(b"%PDF") and any("thongbao" in k.replace(" ", "").split(",")
                                                for k in pdf_keywords(data))
    if kind == ".csv":
        if new_data is None:
            return False
        first = _first_line(new_data)
        try:
            with open(path, "rb") as fh:
                head = fh.read(len(first) + 8)
        except OSError:
            return False
        return bool(first) and _first_line(head) == first
    if kind == ".ics":
        try:
            with open(path, "rb") as fh:
                head = fh.read(4096)
        except OSError:
            return False
        return b"PRODID:-//thongbao//" in head
    return False


def _first_line(data: bytes) -> bytes:
    data = data.removeprefix(b"\xef\xbb\xbf")
    end = data.find(b"\n")
    return data[: end if end >= 0 else len(data)].rstrip(b"\r")


def default_output(source: Path) -> Path:
    """Where a notice's .docx goes when no output is named: beside its source."""
    return source.with_suffix(".docx")


def check_suffix(path: str | Path, suffixes: tuple[str, ...], expected: str, option: str = "-o") -> None:
    """Refuse an output whose name does not say what it holds (``-o notice.txt`` for a .docx): the file
    would open in the wrong program, or not at all, and be sent or filed as what it is not.
    ``expected``: what the message asks for, marked N_() (translated only when said: a render that
    passes reads no catalog), e.g. N_("a file ending .docx")."""
    kind = Path(path).suffix.lower()
    if kind not in suffixes:
        found = _("a '{ext}' extension").format(ext=kind) if kind else _("no extension")
        raise OutputError(str(Problem(str(path), None, option, found, _(expected))))


def check_target(path: str | Path, *, protect: Iterable[str | Path | None] = (), force: bool = False,
                 new_data: bytes | None = None, option: str = "-o") -> None:
    """Refuse to write ``path`` over an input, a non-regular file, or a file we did not make (unless ``force``).

    ``protect``: the files the command reads (source, template, units file),
    never written over, ``force`` or not.
    """
    path = Path(path)
    filed = _inside_archive(path)
    if filed is not None:
        raise OutputError(_("{path}: found a path inside the archive {filed}, whose filed files are never written over, expected a path outside it ({option} elsewhere)").format(path=path, filed=filed, option=option))
    for given in protect:
        if given is not None and (_same_file(path, Path(given)) or path.absolute() == Path(given).absolute()):
            raise OutputError(_("{path}: found the file {given} that this command reads, expected another file to write to ({option} elsewhere)").format(path=path, given=given, option=option))
    try:
        info = path.lstat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise os_error(path, exc, _("a path that can be written")) from None
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(_("{path}: found a symbolic link, expected a regular file to write (give the real path with {option})").format(path=path, option=option))
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(_("{path}: found a folder, expected a file path to write to").format(path=path))
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(_("{path}: found {st_mode}, expected a regular file to write to").format(path=path, st_mode=_kind(info.st_mode)))
    if not force and not made_by_us(path, new_data):
        raise OutputError(_("{path}: found a file thongbao did not make, expected a new file or a {file} made by thongbao (--force to replace it)").format(path=path, file=path.suffix.lower() or 'file'))


def _inside_archive(path: Path) -> Path | None:
    """The archive folder (one with register.sqlite3 beside documents/) that ``path`` lies in, if any."""
    try:
        parents = path.resolve().parents
    except (OSError, RuntimeError):
        return None
    for folder in parents:
        if folder.name in ("documents", ".staging") and (folder.parent / "register.sqlite3").is_file():
            return folder.parent
    return None


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return _("a FIFO (named pipe)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("a special file")


# Temporary files ------------------------------------------------------------------

def temp_prefix(name: str) -> str:
    return f".{name}.{os.getpid()}."


def pid_alive(pid: int) -> bool:
    """Whether a process with that id runs on this machine (one of another user's counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: alive
    return True


def clean_stale_temps(folder: Path, now: float | None = None) -> list[Path]:
    """Remove our temporary files and folders in ``folder`` whose writer is gone or that are old."""
    removed: list[Path] = []
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        m = _OUR_TEMP.match(entry.name)
        if not m:
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        pid = int(m.group("pid")) if m.group("pid") else None
        if pid == os.getpid():
            continue
        if not (now - info.st_mtime > STALE_AFTER or (pid is not None and not pid_alive(pid))):
            continue
        path = Path(entry.path)
        try:
            if stat.S_ISDIR(info.st_mode):
                remove_tree(path)
            elif stat.S_ISREG(info.st_mode):
                path.unlink()
            else:
                continue
        except OSError:
            continue
        removed.append(path)
    return removed


def remove_tree(path: Path) -> None:
    """Remove a folder we wrote, read-only parts included; what is already gone is no error."""
    if not path.exists():
        return
    for folder, dirs, _files in os.walk(path):
        for d in (folder, *(os.path.join(folder, d) for d in dirs)):
            try:
                os.chmod(d, stat.S_IRWXU)
            except FileNotFoundError:
                pass

    def gone(function, name, exc_info) -> None:
        if not isinstance(exc_info[1], FileNotFoundError):
            raise exc_info[1]

    shutil.rmtree(path, onerror=gone)


# Writing ----------------------------------------------------------------------------

def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file, fsync and rename.

    Never over a folder, a symbolic link, a FIFO or a device (``check_target``
    decides the rest, before the work starts).
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        info = path.lstat()
    except OSError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        check_target(path, force=True)  # raises the one-line error for what is there
    try:
        folder.mkdir(parents=True, exist_ok=True)
        clean_stale_temps(folder)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=temp_prefix(path.name), suffix=".tmp")
    except OSError as exc:
        raise os_error(path, exc, _("a writable folder")) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise os_error(path, exc, _("a writable file")) from None
        raise
    fsync_dir(folder)


def write_folder(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` into ``out_dir`` so that a failure leaves ``out_dir`` as it was.

    Everything is written and fsynced into a temporary folder beside ``out_dir``
    first. A new ``out_dir`` is that folder renamed into place; into an existing
    one each file is moved (renames need no space), the files it replaces kept
    aside until all are in, and put back if a move fails.
    """
    out_dir = Path(out_dir)
    parent = out_dir.parent if str(out_dir.parent) else Path(".")
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(_("{out_dir}: found a file, expected a folder to write into").format(out_dir=out_dir))
    try:
        parent.mkdir(parents=True, exist_ok=True)
        clean_stale_temps(parent)
        if out_dir.is_dir():
            clean_stale_temps(out_dir)
        work = Path(tempfile.mkdtemp(dir=parent, prefix=temp_prefix(out_dir.name), suffix=".tmp"))
    except OSError as exc:
        raise os_error(out_dir, exc, _("a writable folder")) from None
    try:
        _write_synced(work, files)
        fsync_dir(work)
        if not out_dir.exists():
            os.rename(work, out_dir)
            fsync_dir(parent)
        else:
            _move_in(work, out_dir, list(files))
            remove_tree(work)
    except BaseException as exc:
        try:
            remove_tree(work)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise os_error(out_dir, exc, _("a writable folder")) from None
        raise
    return [out_dir / name for name in files]


def _write_one(path: Path, data: bytes) -> None:
    with open(path, "xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, 0o644)


def _write_synced(work: Path, files: dict[str, bytes]) -> None:
    """Write and fsync every file of ``files`` into ``work``, several at once.

    Each file is still fsynced on its own before ``work`` is fsynced and moved
    into place, so the folder is exactly as durable as with one file after the
    other; only the waits overlap. fsync releases the GIL, and concurrent
    fsyncs on ext4 (and XFS, btrfs) share one journal commit instead of paying
    one each: 40 extracts went from about 0.5 s of waiting to a few
    hundredths. (One syncfs() of the whole file system would also be durable on
    Linux >= 5.8, but it flushes every other program's writes too, and its
    errors are not reported on older kernels.) The first error is raised once
    every thread has finished, and write_folder then removes ``work``.
    """
    if len(files) < 2:
        for name, data in files.items():
            _write_one(work / name, data)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(16, len(files))) as pool:
        futures = [pool.submit(_write_one, work / name, data) for name, data in files.items()]
    for future in futures:
        future.result()  # every thread is done here (the with waited): the first error, if any


def _move_in(work: Path, out_dir: Path, names: list[str]) -> None:
    aside = work / ".replaced"
    aside.mkdir()
    moved: list[tuple[str, bool]] = []
    try:
        for name in names:
            target = out_dir / name
            had = target.exists()
            if had:
                os.rename(target, aside / name)
            moved.append((name, had))
            os.rename(work / name, target)
    except BaseException:
        for name, had in reversed(moved):
            try:
                if (out_dir / name).exists() and not (work / name).exists():
                    os.rename(out_dir / name, work / name)
                if had:
                    os.rename(aside / name, out_dir / name)
            except OSError:
                pass
        raise
    fsync_dir(out_dir)


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new entry in ``folder`` durable (where the OS allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
