"""A rendered notice as PDF, through LibreOffice in headless mode.

LibreOffice is found on PATH, or through the THONGBAO_SOFFICE setting. Every
run gets a private profile directory, so parallel runs do not collide, and a
time limit (THONGBAO_PDF_TIMEOUT, seconds), after which the whole process
group is stopped.

The .docx stays as Word wants it. LibreOffice 7.4 prints our custom footnote
marks twice ("(1)(1)"): the note's citation already carries the label "(1)",
and the literal mark beside it (and at the start of the note) is printed too.
A batch of documents is converted in ONE LibreOffice process: uno_convert.py,
run by a Python with LibreOffice's UNO bridge (LibreOffice's own, or Debian's
python3 with python3-uno), opens each .docx, removes the repeated literal
marks and exports the PDF. Without a UNO bridge, each document goes docx ->
odt (marks removed in the ODF XML, fix_odt) -> pdf, two starts. The notice's
font is used where it is installed, otherwise its metric-compatible twin, so
line breaks match Word.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

from lxml import etree

from ..errors import ConversionError, Problem
from ..i18n import _
from ..output import write_atomic
from .package import ZIP_ERRORS

ENV_SOFFICE = "THONGBAO_SOFFICE"
ENV_TIMEOUT = "THONGBAO_PDF_TIMEOUT"
DEFAULT_TIMEOUT_S = 180.0
SOFFICE_NAMES = ("soffice", "libreoffice")
VIETNAMESE_PROBE = "1ed8"  # Ộ: a font without it prints Vietnamese in another font

TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
STYLE_NS = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
SVG_NS = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
UNO_SCRIPT = Path(__file__).with_name("uno_convert.py")
# Debian's python3 with python3-uno: the interpreter and the bridge it needs.
DEBIAN_UNO = (("/usr/bin/python3", "/usr/lib/python3/dist-packages/uno.py"),)


def find_soffice(setting: str | os.PathLike | None = None) -> str:
    """The LibreOffice program: ``setting``, else $THONGBAO_SOFFICE, else PATH."""
    chosen = str(setting) if setting else os.environ.get(ENV_SOFFICE, "")
    if chosen:
        found = shutil.which(chosen)
        if not found:
            where = _("the soffice setting") if setting else ENV_SOFFICE
            raise ConversionError(
                _("{where}: found '{chosen}', which is not an executable program, expected the path of LibreOffice's soffice (e.g. /usr/bin/soffice)").format(where=where, chosen=chosen)
            )
        return found
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(
        _("LibreOffice: found no 'soffice' on PATH and {ENV_SOFFICE} is not set, expected LibreOffice installed (Debian: apt install libreoffice-writer-nogui) or {ENV_SOFFICE}=/path/to/soffice").format(ENV_SOFFICE=ENV_SOFFICE)
    )


def timeout_setting(value: float | None = None) -> float:
    """The time limit in seconds: ``value``, else $THONGBAO_PDF_TIMEOUT, else the default."""
    if value is not None:
        return float(value)
    raw = os.environ.get(ENV_TIMEOUT, "")
    if not raw:
        return DEFAULT_TIMEOUT_S
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0
    if seconds <= 0:
        raise ConversionError(_("{ENV_TIMEOUT}: found '{raw}', expected a number of seconds above 0").format(ENV_TIMEOUT=ENV_TIMEOUT, raw=raw))
    return seconds


def pdf_font(font: str, fallback: str) -> tuple[str | None, list[str]]:
    """The font the PDF will use for ``font`` and what is wrong about it, if anything.

    Returns (None, []) when fontconfig is not there to ask (LibreOffice then
    substitutes by itself).
    """
    if not shutil.which("fc-list"):
        return None, []
    for family in (font, fallback):
        if _has_font(family):
            return family, []
    return None, [_("neither {font} nor {fallback} with Vietnamese letters installed").format(font=font, fallback=fallback)]


def _has_font(family: str) -> bool:
    try:
        out = subprocess.run(["fc-list", f"{family}:charset={VIETNAMESE_PROBE}", "family"],
                             check=False, capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return any(family in line.split(",") for line in out.splitlines())


def to_pdf(docx: str | os.PathLike, pdf: str | os.PathLike, *, soffice: str | os.PathLike | None = None,
           timeout: float | None = None, font: str = "Times New Roman",
           fallback: str = "Liberation Serif") -> list[Problem]:
    """Convert ``docx`` to ``pdf`` (written atomically); return warnings.

    Raises ConversionError when LibreOffice is missing, fails or passes the
    time limit; nothing is written then.
    """
    return to_pdfs([(docx, pdf)], soffice=soffice, timeout=timeout, font=font, fallback=fallback)


def to_pdfs(pairs: list[tuple[str | os.PathLike, str | os.PathLike]], *, soffice: str | os.PathLike | None = None,
            timeout: float | None = None, font: str = "Times New Roman",
            fallback: str = "Liberation Serif") -> list[Problem]:
    """Convert each (docx, pdf) pair with ONE LibreOffice start; return warnings (see Batch)."""
    with Batch(soffice=soffice, timeout=timeout, font=font, fallback=fallback) as batch:
        return batch.convert(pairs)


class Batch:
    """One LibreOffice for a batch of conversions, started when the batch opens.

    Open it before rendering what it will convert: LibreOffice starts (about a
    second) while the documents are made. ``convert`` then converts them all
    in that one process and writes every PDF (atomically) only once all
    converted: a failure, a missing LibreOffice or the time limit (counted from
    the opening) leave none written. Without UNO (see uno_python) each document
    goes docx -> odt -> pdf at ``convert``, two starts each. Leaving the batch
    stops LibreOffice, whatever happened.
    """

    def __init__(self, *, soffice: str | os.PathLike | None = None, timeout: float | None = None,
                 font: str = "Times New Roman", fallback: str = "Liberation Serif"):
        self.program = find_soffice(soffice)
        self.limit = timeout_setting(timeout)
        self.font, self.fallback = font, fallback
        self.proc: subprocess.Popen | None = None
        self.tmp: tempfile.TemporaryDirectory | None = None
        self.seeded = False
        self.pipe = ""

    def __enter__(self) -> Batch:
        self.deadline = time.monotonic() + self.limit
        self.tmp = tempfile.TemporaryDirectory(prefix="thongbao-pdf-")
        self.work = Path(self.tmp.name)
        self.profile = self.work / "profile"
        python = uno_python(self.program)
        if python is not None:
            self.seeded = seed_profile(self.program, self.profile)
            self.pipe = "thongbao-" + uuid.uuid4().hex
            cmd = [python, str(UNO_SCRIPT), *([] if self.seeded else ["--office-version"]), self.program,
                   str(self.profile), self.pipe]
            try:
                self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.PIPE, start_new_session=True)
            except OSError:
                self.proc = None  # that Python does not run: two starts per document instead
        return self

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            self._stop(self.proc)
        if self.tmp is not None:
            self.tmp.cleanup()

    def convert(self, pairs: list[tuple[str | os.PathLike, str | os.PathLike]], *, font: str | None = None,
                fallback: str | None = None) -> list[Problem]:
        """Convert every (docx, pdf) pair (``font``/``fallback``: the documents' font, if known only now)."""
        self.font, self.fallback = font or self.font, fallback or self.fallback
        jobs = [(Path(d), Path(p)) for d, p in pairs]
        for docx, _pdf in jobs:
            if not docx.is_file():
                raise ConversionError(_("{docx}: found no such file, expected a .docx to convert").format(docx=docx))
        if not jobs:
            return []
        used, font_problems = pdf_font(self.font, self.fallback)
        warnings = [Problem(str(pdf), None, _("font"), f, _("{font} or {fallback} (Debian: fonts-liberation2), or line breaks differ from Word").format(font=self.font, fallback=self.fallback)) for _, pdf in jobs[:1] for f in font_problems]
        if self.proc is None:
            results = [_two_starts(self.program, self.profile, docx, self.work / f"{k}", self.deadline, self.limit,
                                   self.font, used) for k, (docx, _) in enumerate(jobs)]
        else:
            results = self._one_start(jobs, used)
        for (_docx, pdf), result in zip(jobs, results):
            write_atomic(pdf, result.read_bytes())
        return warnings

    def _one_start(self, jobs: list[tuple[Path, Path]], used: str | None) -> list[Path]:
        """Every job through uno_convert.py: one LibreOffice, the marks fixed in it."""
        assert self.proc is not None
        inputs, outputs = [], []
        memo: dict = {}  # the documents of a batch share their styles and theme: each done once
        for k, (docx, _pdf) in enumerate(jobs):
            folder = self.work / f"{k}"
            folder.mkdir()
            source = folder / "notice.docx"
            source.write_bytes(for_libreoffice(docx.read_bytes(), self.font, used, memo=memo))
            inputs.append(source)
            outputs.append(folder / "notice.pdf")
        shown = jobs[0][0]
        proc, self.proc = self.proc, None
        request = (json.dumps([[str(i), str(o)] for i, o in zip(inputs, outputs)]) + "\n").encode("utf-8")
        try:
            said, err = _answer(proc, request, self.deadline)
        except subprocess.TimeoutExpired:
            self._stop(proc)
            raise _too_slow(shown, self.limit) from None
        self._stop(proc)  # done (or failed): LibreOffice and the helper are stopped at once
        code = proc.returncode
        if said.get("done") != len(jobs) or not all(o.is_file() for o in outputs):
            failed = said.get("docx")
            if failed in map(str, inputs):
                shown = jobs[inputs.index(Path(failed))][0]
            message = said.get("error") or " ".join(err.decode("utf-8", "replace").split())[-200:]
            raise ConversionError(
                _("{shown}: found LibreOffice exit code {code} without a pdf file ({message}), expected a converted file").format(shown=shown, code=said.get('exit', code), message=message or _('no message'))
            )
        if not self.seeded:
            keep_profile_seed(self.program, self.profile, said.get("office"))
        return outputs

    def _stop(self, proc: subprocess.Popen) -> None:
        """Stop the helper and LibreOffice (their process group) and remove LibreOffice's pipes."""
        _stop(proc)
        remove_pipes(self.profile, self.pipe)


# A private profile starts from a seed kept in the user's cache (per installation), made by the
# first conversion, so that LibreOffice skips two things it does in every new profile:
# - the registry of the extensions it ships (user/extensions), which it writes and then restarts for;
# - its graphics self-test (about 0.8 s of CPU here, most of its start): LibreOffice runs it when the
#   profile's "last version" setting (ooSetupLastVersion) is older than itself, and only its window
#   ever writes that setting, so a headless run in a new profile runs the test every time. The seed
#   has that one setting, as LibreOffice's own window would write it. The test checks the screen
#   drawing of the window; headless, its result serves nothing (it writes a log in the profile).
# Nothing else: every other setting is made afresh in each private profile, as before. A seed that
# no longer fits (LibreOffice updated in place) is redone by LibreOffice itself, as for a new profile.
SEED_FILES = ("buildid", "bundled", "shared")      # of user/extensions
SEED_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse">\
<value>{version}</value></prop></item>
</oor:items>
"""


def _seed_name(program: str) -> str:
    """The cache folder for ``program``'s installation: its real path, and size and time of its files."""
    import hashlib

    real = Path(os.path.realpath(program))
    parts = [str(real)]
    for candidate in (real, real.parent / "soffice.bin", real.parent / "versionrc"):
        try:
            st = candidate.stat()
        except OSError:
            continue
        parts.append(f"{candidate}:{st.st_size}:{st.st_mtime_ns}")
    return "libreoffice-seed/" + hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:20]


def seed_profile(program: str, profile: Path) -> bool:
    """Start the private ``profile`` from the kept seed, if any; return whether it did."""
    from .. import cache

    seed = cache.read_tree(_seed_name(program))
    if seed is None:
        return False
    # Only what keep_profile_seed puts there is taken, the setting written afresh: anything else in the
    # folder (a macro, an extension, a setting of macro security) never reaches LibreOffice.
    try:
        settings = (seed / "registrymodifications.xcu").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    version = _seed_version(settings)
    if version is None or not all((seed / "extensions" / name).exists() for name in SEED_FILES):
        return False
    try:
        (profile / "user" / "extensions").mkdir(parents=True)
        for name in SEED_FILES:
            found = seed / "extensions" / name
            (shutil.copytree if found.is_dir() else shutil.copyfile)(found, profile / "user" / "extensions" / name)
        (profile / "user" / "registrymodifications.xcu").write_text(SEED_SETTINGS.format(version=version),
                                                                     encoding="utf-8")
    except OSError:
        shutil.rmtree(profile, ignore_errors=True)  # a new profile then, as without a seed
        return False
    return True


def _seed_version(settings: str) -> str | None:
    """The version in a seed's settings, if they are exactly SEED_SETTINGS with one; else None."""
    import re

    head, _sep, tail = SEED_SETTINGS.partition("{version}")
    if not (settings.startswith(head) and settings.endswith(tail)):
        return None
    version = settings[len(head):len(settings) - len(tail)]
    return version if re.fullmatch(r"\d+\.\d+(\.\d+)*", version) else None


def keep_profile_seed(program: str, profile: Path, version: object) -> None:
    """Keep the seed of ``profile`` (LibreOffice done with it; ``version``: LibreOffice's, as it said)."""
    import re

    from .. import cache

    found = profile / "user" / "extensions"
    if not all((found / name).exists() for name in SEED_FILES):
        return
    if not (isinstance(version, str) and re.fullmatch(r"\d+\.\d+(\.\d+)*", version)):
        return
    try:
        with tempfile.TemporaryDirectory(prefix="thongbao-seed-") as tmp:
            seed = Path(tmp) / "user"
            (seed / "extensions").mkdir(parents=True)
            for name in SEED_FILES:
                (shutil.copytree if (found / name).is_dir() else shutil.copyfile)(found / name,
                                                                                  seed / "extensions" / name)
            (seed / "registrymodifications.xcu").write_text(SEED_SETTINGS.format(version=version), encoding="utf-8")
            cache.keep_tree(_seed_name(program), seed)
    except OSError:
        pass  # no seed kept: the next conversion makes its profile afresh, as this one did


def uno_python(program: str) -> str | None:
    """A Python with LibreOffice's UNO bridge: LibreOffice's own, this one, or Debian's (python3-uno)."""
    here = Path(os.path.realpath(program)).parent
    for name in ("python", "python.bin", "python.exe"):
        if (here / name).is_file() and os.access(here / name, os.X_OK):
            return str(here / name)
    if importlib.util.find_spec("uno") is not None:
        return sys.executable
    for python, bridge in DEBIAN_UNO:
        if os.access(python, os.X_OK) and Path(bridge).is_file():
            return python
    return None


def profile_url(profile: Path) -> str:
    """The -env:UserInstallation of ``profile`` (as uno_convert.py gives it)."""
    return Path(os.path.abspath(profile)).as_uri()


def remove_pipes(profile: Path, pipe: str) -> None:
    """Remove the two pipe sockets a LibreOffice stopped by SIGKILL leaves in /tmp: the one it listened
    on (``pipe``) and its single-instance pipe, named after the MD5 of the profile's URL (UTF-16, each
    byte in hex without padding, as LibreOffice's desktop/source/app/officeipcthread.cxx makes it)."""
    import hashlib
    import stat

    digest = hashlib.md5(profile_url(profile).encode("utf-16-le")).digest()
    names = (pipe, "SingleOfficeIPC_" + "".join(f"{b:x}" for b in digest))
    for folder in ("/tmp", "/var/tmp"):
        for name in names:
            path = Path(folder) / f"OSL_PIPE_{os.getuid()}_{name}"
            try:
                if stat.S_ISSOCK(path.lstat().st_mode) and path.lstat().st_uid == os.getuid():
                    path.unlink()
            except OSError:
                pass


def _answer(proc: subprocess.Popen, request: bytes, deadline: float) -> tuple[dict, bytes]:
    """Send ``request`` to the helper and wait (up to ``deadline``) for its answer: its first JSON
    line, or, if it ends without one, what it said; also what it wrote on stderr by then.

    Raises subprocess.TimeoutExpired past the deadline.
    """
    import select

    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    if time.monotonic() >= deadline:
        raise subprocess.TimeoutExpired(proc.args, 0)
    try:
        proc.stdin.write(request)
        proc.stdin.flush()
    except BrokenPipeError:
        pass  # it ended before reading the jobs: its output says why
    out, err = b"", b""
    streams = {proc.stdout.fileno(): "out", proc.stderr.fileno(): "err"}
    while streams:
        said = _last_json(out) if out.endswith(b"\n") else {}
        if said:
            return said, err
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise subprocess.TimeoutExpired(proc.args, 0)
        ready, _w, _x = select.select(list(streams), [], [], remaining)
        for fd in ready:
            chunk = os.read(fd, 65536)
            if not chunk:
                del streams[fd]
            elif streams[fd] == "out":
                out += chunk
            else:
                err += chunk
    proc.wait()
    return _last_json(out), err or out


def _last_json(out: bytes) -> dict:
    for line in reversed(out.decode("utf-8", "replace").splitlines()):
        try:
            found = json.loads(line)
        except ValueError:
            continue
        if isinstance(found, dict):
            return found
    return {}


def _two_starts(program: str, profile: Path, docx: Path, work: Path, deadline: float, limit: float,
                font: str, used: str | None) -> Path:
    """docx -> odt, mark fix, odt -> pdf: two LibreOffice starts (when no UNO bridge is installed)."""
    source = work / "in" / "notice.docx"
    source.parent.mkdir(parents=True)
    shutil.copyfile(docx, source)
    odt = _convert(program, profile, source, "odt", work / "odt", deadline, limit, docx)
    fixed = work / "fixed" / "notice.odt"
    fixed.parent.mkdir()
    fixed.write_bytes(fix_odt(odt.read_bytes(), font=font, use=used))
    return _convert(program, profile, fixed, "pdf:writer_pdf_Export", work / "pdf", deadline, limit, docx)


def replace_docx_font(data: bytes, font: str, use: str) -> bytes:
    """The .docx with ``font`` named ``use`` in its styles, runs and font table."""
    return for_libreoffice(data, font, use, drop_unused_styles=False)


STYLE_REFS = tuple(f"{{{W_NS}}}{t}" for t in ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink"))
STYLE_PARTS = ("word/styles.xml", "word/stylesWithEffects.xml")  # the styles themselves, no use of them


def for_libreoffice(data: bytes, font: str, use: str | None, *, drop_unused_styles: bool = True,
                    memo: dict | None = None) -> bytes:
    """The copy of a .docx that LibreOffice converts: ``font`` named ``use`` (if given and other) in its
    styles, runs and font table, and (``drop_unused_styles``) without the styles nothing uses.

    A style that no paragraph, run, table or numbering names, directly or through another style
    (basedOn, next, link, or a style named in it), and that is no default, changes nothing on the
    page, but LibreOffice imports each one: Word's template brings a hundred table styles, and
    without the unused ones a notice loads in about two thirds of the CPU time. The copy is stored
    uncompressed (it is read once, from a temporary folder). ``memo`` (a dict kept for a batch) keeps
    each part's result, so parts the documents share (styles, theme) are worked on once. The .docx
    itself is never changed.
    """
    try:
        return _for_libreoffice(data, font, use, drop_unused_styles, {} if memo is None else memo)
    except (*ZIP_ERRORS, etree.XMLSyntaxError, OSError, ValueError):
        return data  # not a .docx we can read: LibreOffice gets it as it is, and says what is wrong


def _for_libreoffice(data: bytes, font: str, use: str | None, drop_unused_styles: bool, memo: dict) -> bytes:
    renamed = use if use and use != font else None
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as dst:
        parts = src.infolist()
        blobs = {}
        for info in parts:
            blob = src.read(info)
            if renamed and info.filename.startswith("word/") and info.filename.endswith(".xml"):
                blob = _memo(memo, ("font", blob, font, renamed), lambda b=blob: _rename_font(b, font, renamed))
            blobs[info.filename] = blob
        styles = blobs.get("word/styles.xml")
        if drop_unused_styles and styles is not None:
            used = frozenset().union(*(_memo(memo, ("refs", blob), lambda b=blob: _style_refs(b))
                                       for name, blob in blobs.items()
                                       if name.startswith("word/") and name.endswith(".xml") and name not in STYLE_PARTS))
            blobs["word/styles.xml"] = _memo(memo, ("styles", styles, used), lambda: _drop_unused_styles(styles, used))
        for info in parts:
            dst.writestr(info, blobs[info.filename], compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def _memo(memo: dict, key: tuple, make):
    if key not in memo:
        memo[key] = make()
    return memo[key]


def _rename_font(blob: bytes, font: str, use: str) -> bytes:
    root = etree.fromstring(blob)
    attrs = [f"{{{W_NS}}}{a}" for a in ("ascii", "hAnsi", "cs", "eastAsia")]
    changed = False
    for el in root.iter(f"{{{W_NS}}}rFonts", f"{{{W_NS}}}font"):
        for a in (attrs if el.tag.endswith("rFonts") else [f"{{{W_NS}}}name"]):
            if el.get(a) == font:
                el.set(a, use)
                changed = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if changed else blob


def _style_refs(blob: bytes) -> frozenset:
    """The style ids a part names (paragraph, run, table, numbering styles)."""
    if b"tyle" not in blob:  # pStyle, rStyle, tblStyle, numStyleLink, styleLink
        return frozenset()
    root = etree.fromstring(blob)
    return frozenset(el.get(f"{{{W_NS}}}val") for el in root.iter(*STYLE_REFS))


def _drop_unused_styles(blob: bytes, used: frozenset) -> bytes:
    """styles.xml without the styles neither ``used`` nor named by a kept style, nor a default."""
    root = etree.fromstring(blob)
    if root.tag != f"{{{W_NS}}}styles":
        return blob
    val = f"{{{W_NS}}}val"
    by_id = {s.get(f"{{{W_NS}}}styleId"): s for s in root.findall(f"{{{W_NS}}}style")}
    keep = set(used) | {s_id for s_id, s in by_id.items() if s.get(f"{{{W_NS}}}default") in ("1", "true", "on")}
    todo = list(keep)
    while todo:
        style = by_id.get(todo.pop())
        if style is None:
            continue
        for el in style.iter(*STYLE_REFS, f"{{{W_NS}}}basedOn", f"{{{W_NS}}}next", f"{{{W_NS}}}link"):
            if el.get(val) not in keep:
                keep.add(el.get(val))
                todo.append(el.get(val))
    unused = [style for s_id, style in by_id.items() if s_id not in keep]
    if not unused:
        return blob
    for style in unused:
        root.remove(style)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# What LibreOffice prints on every start where Java is missing: noise beside the real complaint.
_NOISE = "Warning: failed to launch javaldx"


def _libreoffice_said(output: bytes) -> str:
    """LibreOffice's complaint on one line, without its Java noise; its most frequent one translated."""
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines()]
    said = " ".join(" ".join(line for line in lines if line and not line.startswith(_NOISE)).split())
    if said == "Error: source file could not be loaded":
        return _("LibreOffice could not open the file")
    return said[-200:] or _("no message")


def _convert(program: str, profile: Path, source: Path, target: str, outdir: Path,
             deadline: float, limit: float, shown: Path) -> Path:
    cmd = [program, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
           "--nolockcheck", "--nodefault", "--convert-to", target, "--outdir", str(outdir), str(source)]
    code, out, err = _run(cmd, deadline, limit, shown, program)
    produced = outdir / (source.stem + "." + target.split(":")[0])
    if code != 0 or not produced.is_file():
        said = _libreoffice_said(err or out or b"")
        raise ConversionError(
            _("{shown}: found LibreOffice exit code {code} without a {split} file ({said}), expected a converted file").format(shown=shown, code=code, split=target.split(':')[0], said=said)
        )
    return produced


def _run(cmd: list[str], deadline: float, limit: float, shown: Path, program: str) -> tuple[int, bytes, bytes]:
    """Run ``cmd`` in its own process group, stopped whole at the deadline."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _too_slow(shown, limit)
    return run_group(cmd, remaining, limit, shown, program)


def run_group(cmd: list[str], timeout: float, limit: float, shown: Path, program: str) -> tuple[int, bytes, bytes]:
    """Start LibreOffice's ``cmd`` in its own process group and wait up to ``timeout`` seconds;
    past that the whole group is stopped and the run is too slow."""
    try:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    except OSError as exc:
        raise ConversionError(_("{program}: found {exc}, expected LibreOffice to start").format(program=program, exc=exc.strerror or exc)) from None
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(proc)
        raise _too_slow(shown, limit) from None
    return proc.returncode, out or b"", err or b""


def _stop(proc: subprocess.Popen) -> None:
    """Stop the conversion and whatever LibreOffice started (its own process group)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        try:
            if pipe is not None:
                pipe.close()
        except OSError:
            pass
    proc.wait()
    _wait_group_gone(proc.pid)


def _wait_group_gone(pgid: int, limit: float = 5.0) -> None:
    """Wait (up to ``limit`` seconds) until no process of group ``pgid`` is still ending: LibreOffice,
    the helper's child, takes some milliseconds to die after SIGKILL, and then nothing of it shows.
    Where /proc does not tell the processes of a group, only whether the group still exists is asked."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return
        if not _live_in_group(pgid):
            return
        time.sleep(0.005)


def _live_in_group(pgid: int) -> bool:
    """Whether a process of group ``pgid`` other than a zombie is left (always False without /proc)."""
    try:
        entries = os.listdir("/proc")
    except OSError:
        return False
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and fields[2] == str(pgid).encode() and fields[0] != b"Z":
            return True
    return False


def _too_slow(shown: Path, limit: float) -> ConversionError:
    return ConversionError(
        _("{shown}: found LibreOffice still converting after {limit:g} s (stopped), expected a PDF within the time limit (set {ENV_TIMEOUT} to allow more)").format(shown=shown, limit=limit, ENV_TIMEOUT=ENV_TIMEOUT)
    )


def fix_odt(data: bytes, *, font: str = "Times New Roman", use: str | None = None) -> bytes:
    """Remove the doubled footnote marks; print ``font`` as ``use`` if that differs."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            blob = src.read(info)
            if info.filename == "meta.xml":
                blob = mark_meta(blob)
            elif info.filename in ("content.xml", "styles.xml"):
                root = etree.fromstring(blob)
                if info.filename == "content.xml":
                    single_note_marks(root)
                if use and use != font:
                    _replace_font(root, font, use)
                blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            # The mimetype entry must stay first and uncompressed.
            kind = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            dst.writestr(info, blob, compress_type=kind)
    return out.getvalue()


OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
META_NS = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
PDF_MARK = "thongbao"


def mark_meta(blob: bytes) -> bytes:
    """Add the keyword ``thongbao``, which the PDF's Keywords carry: how a later write knows the PDF is ours."""
    root = etree.fromstring(blob)
    meta = root.find(f"{{{OFFICE_NS}}}meta")
    if meta is None:
        meta = etree.SubElement(root, f"{{{OFFICE_NS}}}meta")
    keyword = etree.SubElement(meta, f"{{{META_NS}}}keyword")
    keyword.text = PDF_MARK
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def single_note_marks(root: etree._Element) -> int:
    """Drop the literal "(1)" after each note and at the start of its body; return how many notes."""
    count = 0
    for note in root.iter(f"{{{TEXT_NS}}}note"):
        citation = note.find(f"{{{TEXT_NS}}}note-citation")
        label = citation.get(f"{{{TEXT_NS}}}label") if citation is not None else None
        if not label:
            continue  # an auto-numbered note prints once already
        _strip_following(note, label)
        body = note.find(f"{{{TEXT_NS}}}note-body")
        first = body.find(f"{{{TEXT_NS}}}p") if body is not None else None
        if first is not None:
            _strip_leading(first, label)
            _keep_leading_space(first)
        count += 1
    return count


def _keep_leading_space(para: etree._Element) -> None:
    """ODF drops a space at the start of a paragraph; the note's text keeps it as <text:s/>."""
    if (para.text or "").startswith(" "):
        space = etree.Element(f"{{{TEXT_NS}}}s")
        space.tail = para.text.lstrip(" ")
        para.text = None
        para.insert(0, space)


def _strip_following(note: etree._Element, label: str) -> None:
    _mend_bookmark_end(note, label)
    if note.tail and note.tail.startswith(label):
        note.tail = note.tail[len(label):]
        return
    nxt = note.getnext()
    if not (note.tail or "").strip() and nxt is not None and (nxt.text or "").startswith(label):
        nxt.text = nxt.text[len(label):]
        _drop_if_empty(nxt)


def _mend_bookmark_end(note: etree._Element, label: str) -> None:
    """A note cited again has a bookmark around its mark (for the NOTEREF of the later
    citations); LibreOffice ends it one character early, "(1<bookmark-end/>)": end it after the mark."""
    nxt = note.getnext()
    tail = note.tail or ""
    if nxt is None or nxt.tag != f"{{{TEXT_NS}}}bookmark-end" or not tail or tail == label or not label.startswith(tail):
        return
    rest = label[len(tail):]
    if (nxt.tail or "").startswith(rest):
        note.tail = label
        nxt.tail = nxt.tail[len(rest):]  # type: ignore[index]


def _strip_leading(para: etree._Element, label: str) -> None:
    if (para.text or "").startswith(label):
        para.text = para.text[len(label):]
        return
    first = para[0] if len(para) else None
    if not (para.text or "").strip() and first is not None and (first.text or "").startswith(label):
        first.text = first.text[len(label):]
        _drop_if_empty(first)


def _drop_if_empty(el: etree._Element) -> None:
    """Remove a span left empty, keeping the text that follows it."""
    if el.text or len(el):
        return
    parent, prev = el.getparent(), el.getprevious()
    if el.tail:
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _replace_font(root: etree._Element, font: str, use: str) -> None:
    family = f"{{{SVG_NS}}}font-family"
    for face in root.iter(f"{{{STYLE_NS}}}font-face"):
        if face.get(family, "").strip("'\"") == font:
            face.set(family, f"'{use}'")


class Warm:
    """One LibreOffice kept running for many conversions, one after another (the web preview's).

    uno_convert.py --serve starts LibreOffice (private profile) at the first
    ``convert`` and keeps it until ``close``; each later conversion skips the
    start. Each job has the time limit (THONGBAO_PDF_TIMEOUT); a job over it,
    or a LibreOffice (or helper) that died, is stopped whole (its process
    group), and the next job starts a fresh one. A job on a LibreOffice that
    was already running and fails is tried once more on a fresh one (it may
    have died while waiting). Jobs go one at a time (a lock). ``close`` (also
    at interpreter exit) stops LibreOffice. Without a UNO bridge each job is a
    ``to_pdf`` (two starts).
    """

    def __init__(self, *, soffice: str | os.PathLike | None = None, timeout: float | None = None):
        import threading

        self.soffice, self.timeout = soffice, timeout
        self.lock = threading.Lock()
        self.proc: subprocess.Popen | None = None
        self.tmp: tempfile.TemporaryDirectory | None = None
        self.jobs = 0
        self.pipe = ""
        self.closed = False
        import atexit

        atexit.register(self.close)

    def convert(self, docx: str | os.PathLike, pdf: str | os.PathLike, *, font: str = "Times New Roman",
                fallback: str = "Liberation Serif") -> list[Problem]:
        """Convert ``docx`` to ``pdf`` (written atomically); return warnings, as ``to_pdf``."""
        program = find_soffice(self.soffice)
        limit = timeout_setting(self.timeout)
        docx, pdf = Path(docx), Path(pdf)
        if not docx.is_file():
            raise ConversionError(_("{docx}: found no such file, expected a .docx to convert").format(docx=docx))
        python = uno_python(program)
        if python is None:
            return to_pdf(docx, pdf, soffice=program, timeout=limit, font=font, fallback=fallback)
        used, font_problems = pdf_font(font, fallback)
        warnings = [Problem(str(pdf), None, _("font"), f, _("{font} or {fallback} (Debian: fonts-liberation2), or line breaks differ from Word").format(font=font, fallback=fallback)) for f in font_problems]
        data = docx.read_bytes()
        data = for_libreoffice(data, font, used)
        with self.lock:
            if self.closed:
                raise ConversionError(_("{docx}: found the converter closed, expected it open").format(docx=docx))
            for attempt in (1, 2):
                reused = self.proc is not None and self.proc.poll() is None
                try:
                    result = self._job(python, program, data, limit, docx)
                except ConversionError as exc:
                    self._stop()
                    if not reused or attempt == 2 or getattr(exc, "too_slow", False):
                        raise
                    continue
                write_atomic(pdf, result)
                return warnings
        raise AssertionError("unreachable")

    def _job(self, python: str, program: str, data: bytes, limit: float, shown: Path) -> bytes:
        deadline = time.monotonic() + limit
        self._ensure(python, program, deadline, limit, shown)
        assert self.tmp is not None and self.proc is not None and self.proc.stdin is not None
        self.jobs += 1
        folder = Path(self.tmp.name) / f"{self.jobs}"
        folder.mkdir()
        source, out = folder / "notice.docx", folder / "notice.pdf"
        source.write_bytes(data)
        try:
            self.proc.stdin.write((json.dumps({"docx": str(source), "pdf": str(out)}) + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except OSError:
            raise self._failed(shown, {"error": _("no message")}) from None
        said = self._answer(deadline, limit, shown)
        if said.get("done") != 1 or not out.is_file():
            raise self._failed(shown, said)
        result = out.read_bytes()
        shutil.rmtree(folder, ignore_errors=True)
        return result

    def start(self) -> None:
        """Start LibreOffice now, if not running, for the next job (waits until it is ready)."""
        program = find_soffice(self.soffice)
        limit = timeout_setting(self.timeout)
        python = uno_python(program)
        if python is None:
            return
        with self.lock:
            if self.closed:
                return
            try:
                self._ensure(python, program, time.monotonic() + limit, limit, Path(program))
            except ConversionError:
                self._stop()
                raise

    def _ensure(self, python: str, program: str, deadline: float, limit: float, shown: Path) -> None:
        """A running helper with LibreOffice ready, started if need be."""
        if self.proc is None or self.proc.poll() is not None:
            self._stop()
            self.tmp = tempfile.TemporaryDirectory(prefix="thongbao-pdf-")
            profile = Path(self.tmp.name) / "profile"
            seeded = seed_profile(program, profile)
            self.pipe = "thongbao-" + uuid.uuid4().hex
            try:
                self.proc = subprocess.Popen([python, str(UNO_SCRIPT), "--serve",
                                              *([] if seeded else ["--office-version"]), program, str(profile), self.pipe],
                                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                             stderr=subprocess.DEVNULL, start_new_session=True)
            except OSError as exc:
                raise ConversionError(_("{program}: found {exc}, expected LibreOffice to start").format(program=python, exc=exc.strerror or exc)) from None
            said = self._answer(deadline, limit, shown)
            if not said.get("ready"):
                raise self._failed(shown, said)
            if not seeded:  # its first-start files are written (before LibreOffice answered): keep them
                keep_profile_seed(program, profile, said.get("office"))

    def _answer(self, deadline: float, limit: float, shown: Path) -> dict:
        """The helper's next JSON line, by the deadline ({} if it ended)."""
        import select

        assert self.proc is not None and self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        line = b""
        while not line.endswith(b"\n"):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._stop()
                exc = _too_slow(shown, limit)
                exc.too_slow = True  # type: ignore[attr-defined]
                raise exc
            ready, _w, _x = select.select([fd], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                return _last_json(line)
            line += chunk
        return _last_json(line)

    def _failed(self, shown: Path, said: dict) -> ConversionError:
        code = self.proc.poll() if self.proc is not None else None
        return ConversionError(
            _("{shown}: found LibreOffice exit code {code} without a pdf file ({message}), expected a converted file").format(shown=shown, code=said.get("exit", code), message=said.get("error") or _("no message"))
        )

    def _stop(self, graceful: bool = False) -> None:
        """Stop the helper and its LibreOffice (their process group; ``graceful``: first let LibreOffice end
        itself), and drop the profile."""
        proc, self.proc = self.proc, None
        if proc is not None and graceful:
            try:
                proc.stdin.close()  # type: ignore[union-attr]
            except OSError:
                pass
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
        if proc is not None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of the group
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()
            _wait_group_gone(proc.pid)
            for pipe in (proc.stdin, proc.stdout):
                try:
                    pipe.close()  # type: ignore[union-attr]
                except OSError:
                    pass
        if self.tmp is not None:
            if proc is not None:
                remove_pipes(Path(self.tmp.name) / "profile", self.pipe)
            self.tmp.cleanup()
            self.tmp = None

    def close(self) -> None:
        """Stop LibreOffice; later conversions are refused."""
        with self.lock:
            self.closed = True
            self._stop(graceful=True)
