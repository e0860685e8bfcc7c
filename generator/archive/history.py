"""Read the archive back: find a document, list its versions, say what changed between two.

The diff is a list of lines, each a ``DiffLine``: its kind (a paragraph
added, removed or changed, a heading, a line of context ...) and its words in
the language of the call. ``thongbao diff`` prints their text and colours them
by kind; the web workspace shows the same lines with a CSS class per kind. A
changed paragraph is shown once, with ``[-removed-]`` and ``{+added+}`` around
the words that changed.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..docx.text import paragraph_texts
from ..i18n import _, ngettext
from .errors import ArchiveError, problem
from .files import EXTRACT, NOTICE, SOURCE, slug
from .register import DocumentRow, Register, VersionRow, guarded
from .store import DOCUMENTS, MANIFEST

CONTEXT_WORDS = 8
_TOKEN = re.compile(r"\s+|[^\s]+")

# The kinds of a diff line.
TITLE = "title"          # "103-TB/BCĐ: version 1 -> version 2" (or: only version 1 is filed)
VERSION = "version"      # "  version 2: issued 2023-08-01T09:00:00+07:00; reason: ..."
FILE = "file"            # "103-TB-BCD.docx: 1 paragraph differs", "103-TB-BCD.yaml: unchanged"
CHANGED = "changed"      # a paragraph changed: "  paragraph 14 changed: ... [-bàn,-]{+bàn huyện,+} ..."
REMOVED = "removed"      # a paragraph, or a line of the source, that went
ADDED = "added"          # a paragraph, or a line of the source, that came
OLD = "old"              # the source diff's "--- version 1"
NEW = "new"              # the source diff's "+++ version 2"
HUNK = "hunk"            # the source diff's "@@ -68,3 +68,3 @@"
SAME = "same"            # a line of the source around a change, as it was
SUMMARY = "summary"      # the extracts, the template, the generator
KINDS = (TITLE, VERSION, FILE, CHANGED, REMOVED, ADDED, OLD, NEW, HUNK, SAME, SUMMARY)


@dataclass(frozen=True)
class DiffLine:
    """One line of a diff: what kind of line it is, and its words (translated, with ``{placeholders}``).

    ``values`` fill the placeholders: the document's own text and numbers, never translated.
    """

    kind: str
    message: str
    values: dict[str, object] = field(default_factory=dict)
    indent: str = ""

    @property
    def text(self) -> str:
        """The line as ``thongbao diff`` prints it."""
        return self.said()

    def said(self, **values: object) -> str:
        """The line with some of its values shown another way (the web writes the time of issue its own way)."""
        return self.indent + self.message.format(**{**self.values, **values})

    def under(self) -> DiffLine:
        """The line indented under the file it is about."""
        return DiffLine(self.kind, self.message, self.values, "  " + self.indent)


def _raw(kind: str, text: str) -> DiffLine:
    """A line whose words are data (a line of the source), not a message."""
    return DiffLine(kind, "{line}", {"line": text})


def find_document(reg: Register, query: str, year: int | None = None) -> DocumentRow:
    """The document ``query`` names: a number (103), a symbol (103-TB/BCĐ, 103-TB-BCD) or a folder name."""
    q = query.strip()
    docs = [d for d in reg.documents() if year is None or d.doc_date.year == year]
    if q.isdigit():
        found = [d for d in docs if d.number == int(q)]
    else:
        found = [d for d in docs if d.folder == q] or [d for d in docs if _key(d.symbol) == _key(q)]
    if not found:
        found_text = (_("no document '{query}' of {year}").format(query=q, year=year) if year
                      else _("no document '{query}'").format(query=q))
        raise ArchiveError(problem(reg.folder, "NUMBER", found_text,
                                   _("a number or symbol of the register ('thongbao register' lists them)")))
    if len(found) > 1:
        listed = ", ".join(_("{symbol} of {date} ({folder})").format(
            symbol=d.symbol, date=f"{d.doc_date:%d/%m/%Y}", folder=d.folder) for d in found)
        raise ArchiveError(problem(reg.folder, "NUMBER", ngettext(
            "{n} document for '{query}': {listed}", "{n} documents for '{query}': {listed}", len(found)).format(
                n=len(found), query=q, listed=listed),
            _("the full symbol, --year, or the folder name of one of them")))
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
                   _("number given at issue") if d.number_assigned else _("number from the source"))]
        for v, folder in zip(self.versions, self.folders):
            what = _("issued") if v.version == 1 else _("correction: {reason}").format(reason=v.reason)
            out.append("  " + _("version {n}").format(n=v.version) + f"  {v.issued_at}  {what}")
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


def paragraph_diff(old: list[str], new: list[str]) -> list[DiffLine]:
    """One line per paragraph changed, removed or added (numbers count non-empty paragraphs from 1)."""
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            out.append(DiffLine(CHANGED, _("paragraph {n} changed: {diff}"),
                                {"n": j1 + k + 1, "diff": word_diff(old[i1 + k], new[j1 + k])}))
        for k in range(i1 + pairs, i2):
            out.append(DiffLine(REMOVED, _("paragraph {n} removed: - {text}"), {"n": k + 1, "text": old[k]}))
        for k in range(j1 + pairs, j2):
            out.append(DiffLine(ADDED, _("paragraph {n} added: + {text}"), {"n": k + 1, "text": new[k]}))
    return out


def source_diff(old: bytes, new: bytes, old_label: str, new_label: str) -> list[DiffLine]:
    """The unified diff of two sources, each line with its kind."""
    a = old.decode("utf-8-sig", errors="replace").splitlines()
    b = new.decode("utf-8-sig", errors="replace").splitlines()
    out = []
    for k, line in enumerate(difflib.unified_diff(a, b, old_label, new_label, n=1, lineterm="")):
        kind = (OLD if k == 0 else NEW if k == 1 else HUNK if line.startswith("@@")
                else REMOVED if line.startswith("-") else ADDED if line.startswith("+") else SAME)
        out.append(_raw(kind, line))
    return out


def _few(units: list[str], shown: int = 4) -> str:
    more = _(" and {n} more").format(n=len(units) - shown) if len(units) > shown else ""
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
            raise ArchiveError(problem(self.folder / name, "",
                                       _("an unreadable file ({reason})").format(reason=exc.strerror or exc),
                                       _("the filed file (run 'thongbao verify')"))) from None


def _filed(archive: Path, doc: DocumentRow, version: VersionRow) -> _Filed:
    folder = archive / DOCUMENTS / doc.folder / f"v{version.version}"
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ArchiveError(problem(folder / MANIFEST, "", _("an unreadable manifest ({reason})").format(reason=exc),
                                   _("the filed manifest (run 'thongbao verify')"))) from None
    return _Filed(version, folder, manifest)


@guarded
def diff(archive: Path, query: str, old: int | None = None, new: int | None = None,
         year: int | None = None) -> list[DiffLine]:
    """What changed from version ``old`` to ``new`` (default: the last two), line by line."""
    with Register(archive, create=False) as reg:
        doc = find_document(reg, query, year)
        versions = {v.version: v for v in reg.versions(doc.id)}
    latest = max(versions)
    if old is None and new is None:
        if latest == 1:
            return [DiffLine(TITLE, _("{symbol}: only version 1 is filed; nothing to compare"), {"symbol": doc.symbol})]
        old, new = latest - 1, latest
    for v in (old, new):
        if v not in versions:
            raise ArchiveError(problem(archive, "V1 V2", _("version {n} of {symbol}").format(n=v, symbol=doc.symbol),
                                       _("a version from 1 to {latest}").format(latest=latest)))
    assert old is not None and new is not None
    a, b = _filed(archive, doc, versions[old]), _filed(archive, doc, versions[new])
    out = [DiffLine(TITLE, _("{symbol}: version {old} -> version {new}"), {"symbol": doc.symbol, "old": old, "new": new})]
    for f in (a, b):
        v = f.version
        said = _("version {n}: issued {when}") + (_("; reason: {reason}") if v.reason else "")
        out.append(DiffLine(VERSION, said, {"n": v.version, "when": v.issued_at, "reason": v.reason}, "  "))

    na, nb = a.file(NOTICE), b.file(NOTICE)
    changes = [] if na["sha256"] == nb["sha256"] else paragraph_diff(
        paragraph_texts(a.read(na["name"])), paragraph_texts(b.read(nb["name"])))
    count = ngettext("{n} paragraph differs", "{n} paragraphs differ", len(changes))
    out.append(DiffLine(FILE, "{name}: " + (count if changes else _("unchanged")), {"name": nb["name"], "n": len(changes)}))
    out.extend(line.under() for line in changes)

    sa, sb = a.file(SOURCE), b.file(SOURCE)
    if sa["sha256"] == sb["sha256"]:
        out.append(DiffLine(FILE, "{name}: " + _("unchanged"), {"name": sb["name"]}))
    else:
        out.append(DiffLine(FILE, "{name}: " + _("the YAML change"), {"name": sb["name"]}))
        out.extend(line.under() for line in source_diff(a.read(sa["name"]), b.read(sb["name"]),
                                                        _("version {n}").format(n=old), _("version {n}").format(n=new)))

    ea = {f["unit"]: f for f in a.manifest["files"] if f["role"] == EXTRACT}
    eb = {f["unit"]: f for f in b.manifest["files"] if f["role"] == EXTRACT}
    if ea or eb:
        changed = [u for u in eb if u in ea and ea[u]["sha256"] != eb[u]["sha256"]]
        same = [u for u in eb if u in ea and ea[u]["sha256"] == eb[u]["sha256"]]
        parts = [_("{n} changed").format(n=len(changed)) + (f" ({_few(changed)})" if changed else ""),
                 _("{n} unchanged").format(n=len(same))]
        if [u for u in eb if u not in ea]:
            parts.append(_("added for {units}").format(units=_few([u for u in eb if u not in ea])))
        if [u for u in ea if u not in eb]:
            parts.append(_("no longer for {units}").format(units=_few([u for u in ea if u not in eb])))
        out.append(DiffLine(SUMMARY, _("extracts: {parts}"), {"parts": "; ".join(parts)}))

    ta, tb = a.manifest["template"], b.manifest["template"]
    if ta["sha256"] != tb["sha256"]:
        out.append(DiffLine(SUMMARY, _("template: {old} -> {new}"), {"old": f"{ta['name']} ({ta['sha256'][:12]})",
                                                                     "new": f"{tb['name']} ({tb['sha256'][:12]})"}))
    ga, gb = a.manifest["generator"]["version"], b.manifest["generator"]["version"]
    if ga != gb:
        out.append(DiffLine(SUMMARY, _("generator: thongbao {old} -> {new}"), {"old": ga, "new": gb}))
    return out
