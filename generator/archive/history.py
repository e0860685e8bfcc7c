"""Read the archive back: find a document, list its versions, say what changed between two.

The output is plain text for a terminal: a changed paragraph is shown once,
with ``[-removed-]`` and ``{+added+}`` around the words that changed.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..docx.text import paragraph_texts
from .errors import ArchiveError, problem
from .files import EXTRACT, NOTICE, SOURCE, slug
from .register import DocumentRow, Register, VersionRow, guarded
from .store import DOCUMENTS, MANIFEST

CONTEXT_WORDS = 8
_TOKEN = re.compile(r"\s+|[^\s]+")


def find_document(reg: Register, query: str, year: int | None = None) -> DocumentRow:
    """The document ``query`` names: a number (103), a symbol (103-TB/BCĐ, 103-TB-BCD) or a folder name."""
    q = query.strip()
    docs = [d for d in reg.documents() if year is None or d.doc_date.year == year]
    if q.isdigit():
        found = [d for d in docs if d.number == int(q)]
    else:
        found = [d for d in docs if d.folder == q] or [d for d in docs if _key(d.symbol) == _key(q)]
    if not found:
        where = f" of {year}" if year else ""
        raise ArchiveError(problem(reg.folder, "NUMBER", f"no document '{q}'{where}",
                                   "a number or symbol of the register ('thongbao register' lists them)"))
    if len(found) > 1:
        listed = ", ".join(f"{d.symbol} of {d.doc_date:%d/%m/%Y} ({d.folder})" for d in found)
        raise ArchiveError(problem(reg.folder, "NUMBER", f"{len(found)} documents for '{q}': {listed}",
                                   "the full symbol, --year, or the folder name of one of them"))
    return found[0]


def _key(symbol: str) -> str:
    """``05-TB/BCĐ``, ``5-tb-bcd`` -> one key."""
    return re.sub(r"^0+(?=\d)", "", slug(symbol).casefold())


@dataclass
class History:
    document: DocumentRow
    versions: list[VersionRow]
    folders: list[Path]

    def lines(self) -> list[str]:
        d, first = self.document, self.versions[0]
        out = [f"{d.symbol}  {first.document_type} {self.versions[-1].subject}",
               f"  {d.issuing_body}, {self.versions[-1].doc_date:%d/%m/%Y}; " + (
                   "number given at issue" if d.number_assigned else "number from the source")]
        for v, folder in zip(self.versions, self.folders):
            what = "issued" if v.version == 1 else f"correction: {v.reason}"
            out.append(f"  version {v.version}  {v.issued_at}  {what}")
            out.append(f"             {folder}")
        return out


@guarded
def history(archive: Path, query: str, year: int | None = None) -> History:
    with Register(archive, create=False) as reg:
        doc = find_document(reg, query, year)
        versions = reg.versions(doc.id)
    return History(doc, versions, [archive / DOCUMENTS / doc.folder / f"v{v.version}" for v in versions])


def word_diff(old: str, new: str, context: int = CONTEXT_WORDS) -> str:
    """``... trước ngày [-31/7/2023.-]{+15/8/2023.+}``: the changed words with a few around them."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    parts: list[tuple[str, list[str]]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(("=", a[i1:i2]))
            continue
        removed, added = "".join(a[i1:i2]), "".join(b[j1:j2])
        parts.append(("~", [(f"[-{removed}-]" if removed else "") + (f"{{+{added}+}}" if added else "")]))
    out = []
    for k, (kind, tokens) in enumerate(parts):
        if kind == "~":
            out.extend(tokens)
            continue
        words = tokens
        keep = 2 * context  # tokens alternate word / space
        lead, tail = k > 0, k < len(parts) - 1
        if lead and tail and len(words) > 2 * keep:
            out.extend(words[:keep] + [" … "] + words[-keep:])
        elif lead and not tail and len(words) > keep:
            out.extend(words[:keep] + [" …"])
        elif tail and not lead and len(words) > keep:
            out.extend(["… "] + words[-keep:])
        else:
            out.extend(words)
    return "".join(out)


def paragraph_diff(old: list[str], new: list[str]) -> list[str]:
    """One line per paragraph changed, removed or added (numbers count non-empty paragraphs from 1)."""
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            out.append(f"paragraph {j1 + k + 1} changed: {word_diff(old[i1 + k], new[j1 + k])}")
        for k in range(i1 + pairs, i2):
            out.append(f"paragraph {k + 1} removed: - {old[k]}")
        for k in range(j1 + pairs, j2):
            out.append(f"paragraph {k + 1} added: + {new[k]}")
    return out


def source_diff(old: bytes, new: bytes, old_label: str, new_label: str) -> list[str]:
    a = old.decode("utf-8-sig", errors="replace").splitlines()
    b = new.decode("utf-8-sig", errors="replace").splitlines()
    return list(difflib.unified_diff(a, b, old_label, new_label, n=1, lineterm=""))


def _few(units: list[str], shown: int = 4) -> str:
    more = f" and {len(units) - shown} more" if len(units) > shown else ""
    return ", ".join(units[:shown]) + more


@dataclass
class _Filed:
    version: VersionRow
    folder: Path
    manifest: dict

    def file(self, role: str) -> dict:
        return next(f for f in self.manifest["files"] if f["role"] == role)

    def read(self, name: str) -> bytes:
        try:
            return (self.folder / name).read_bytes()
        except OSError as exc:
            raise ArchiveError(problem(self.folder / name, "", f"an unreadable file ({exc.strerror or exc})",
                                       "the filed file (run 'thongbao verify')")) from None


def _filed(archive: Path, doc: DocumentRow, version: VersionRow) -> _Filed:
    folder = archive / DOCUMENTS / doc.folder / f"v{version.version}"
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ArchiveError(problem(folder / MANIFEST, "", f"an unreadable manifest ({exc})",
                                   "the filed manifest (run 'thongbao verify')")) from None
    return _Filed(version, folder, manifest)


@guarded
def diff(archive: Path, query: str, old: int | None = None, new: int | None = None,
         year: int | None = None) -> list[str]:
    """What changed from version ``old`` to ``new`` (default: the last two), as lines of text."""
    with Register(archive, create=False) as reg:
        doc = find_document(reg, query, year)
        versions = {v.version: v for v in reg.versions(doc.id)}
    latest = max(versions)
    if old is None and new is None:
        if latest == 1:
            return [f"{doc.symbol}: only version 1 is filed; nothing to compare"]
        old, new = latest - 1, latest
    for v in (old, new):
        if v not in versions:
            raise ArchiveError(problem(archive, "V1 V2", f"version {v} of {doc.symbol}",
                                       f"a version from 1 to {latest}"))
    assert old is not None and new is not None
    a, b = _filed(archive, doc, versions[old]), _filed(archive, doc, versions[new])
    out = [f"{doc.symbol}: version {old} -> version {new}"]
    for f in (a, b):
        v = f.version
        out.append(f"  version {v.version}: issued {v.issued_at}" + (f"; reason: {v.reason}" if v.reason else ""))

    na, nb = a.file(NOTICE), b.file(NOTICE)
    changes = [] if na["sha256"] == nb["sha256"] else paragraph_diff(
        paragraph_texts(a.read(na["name"])), paragraph_texts(b.read(nb["name"])))
    count = f"{len(changes)} paragraph differs" if len(changes) == 1 else f"{len(changes)} paragraphs differ"
    out.append(f"{nb['name']}: " + (count if changes else "unchanged"))
    out.extend(f"  {line}" for line in changes)

    sa, sb = a.file(SOURCE), b.file(SOURCE)
    if sa["sha256"] == sb["sha256"]:
        out.append(f"{sb['name']}: unchanged")
    else:
        out.append(f"{sb['name']}: the YAML change")
        out.extend(f"  {line}" for line in source_diff(a.read(sa["name"]), b.read(sb["name"]),
                                                       f"version {old}", f"version {new}"))

    ea = {f["unit"]: f for f in a.manifest["files"] if f["role"] == EXTRACT}
    eb = {f["unit"]: f for f in b.manifest["files"] if f["role"] == EXTRACT}
    if ea or eb:
        changed = [u for u in eb if u in ea and ea[u]["sha256"] != eb[u]["sha256"]]
        same = [u for u in eb if u in ea and ea[u]["sha256"] == eb[u]["sha256"]]
        parts = [f"{len(changed)} changed" + (f" ({_few(changed)})" if changed else ""),
                 f"{len(same)} unchanged"]
        if [u for u in eb if u not in ea]:
            parts.append("added for " + _few([u for u in eb if u not in ea]))
        if [u for u in ea if u not in eb]:
            parts.append("no longer for " + _few([u for u in ea if u not in eb]))
        out.append("extracts: " + "; ".join(parts))

    ta, tb = a.manifest["template"], b.manifest["template"]
    if ta["sha256"] != tb["sha256"]:
        out.append(f"template: {ta['name']} ({ta['sha256'][:12]}) -> {tb['name']} ({tb['sha256'][:12]})")
    ga, gb = a.manifest["generator"]["version"], b.manifest["generator"]["version"]
    if ga != gb:
        out.append(f"generator: thongbao {ga} -> {gb}")
    return out
