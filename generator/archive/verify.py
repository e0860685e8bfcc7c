"""Check the archive against its register: every file there, unchanged, and nothing added.

Three records must agree: the register's row of each file (SHA-256 and size),
the version's manifest.json (whose own SHA-256 the register keeps, and which
names the previous version's manifest), and the bytes on disk. Then the
register's hash chain must hold link by link, its append-only triggers must be
there, and register.head must name its last link (or a printed head, --head).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import N_, _
from .errors import ArchiveError, problem
from .objects import OBJECTS, object_name_ok
from .register import (
    GENESIS,
    REGISTER_NAME,
    TRIGGERS,
    CopyRow,
    DocumentRow,
    FileRow,
    Register,
    VersionRow,
    guarded,
)
from .store import (
    DOCUMENTS,
    MANIFEST,
    STAGING,
    abandoned,
    complete_manifest,
    describe_unknown,
    head_problem,
    leftovers,
    rebuild,
    register_file,
    write_head,
)

CHUNK = 1 << 20


@dataclass(frozen=True)
class Finding:
    path: Path
    found: str
    expected: str

    def __str__(self) -> str:
        return problem(self.path, "", self.found, self.expected)


@dataclass
class Report:
    archive: Path
    documents: int = 0
    versions: int = 0
    files: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        counts = _("{documents} documents, {versions} versions, {files} files").format(
            documents=self.documents, versions=self.versions, files=self.files)
        if self.ok:
            return _("{archive}: OK ({counts} checked)").format(archive=self.archive, counts=counts)
        return _("{archive}: found {n} problem(s) in {counts}, expected none").format(
            archive=self.archive, n=len(self.findings), counts=counts)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


class DistinctHasher:
    """file_sha256 that reads each distinct file once: the links of one stored object share an inode."""

    def __init__(self) -> None:
        self.known: dict[tuple[int, int, int, int], str] = {}
        self.hashed = 0

    def __call__(self, path: Path) -> str:
        st = path.stat()
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        found = self.known.get(key)
        if found is None:
            found = self.known[key] = file_sha256(path)
            self.hashed += 1
        return found


@guarded
def verify(archive: Path, head: str | None = None) -> Report:
    """Recompute every hash of ``archive``; collect what is missing, changed or added.

    ``head``: a chain head as printed on an exported register (``12:3f9a0c1d2e4b``),
    which the register's chain must still hold.
    """
    archive = Path(archive)
    report = Report(archive)
    add = report.findings.append
    hash_file = DistinctHasher()
    with Register(archive, create=False) as reg, reg.quiet():
        for message in reg.integrity():
            add(Finding(reg.path, _("a damaged register ({message})").format(message=message), _("a register that passes SQLite's integrity check")))
        _check_triggers(reg, add)
        behind = _check_chain(archive, reg, head, add)
        documents = reg.documents()
        left = leftovers(archive, reg)
        placed = {path for _, path in left.complete}
        # The emptied staging folder of a version placed whole is part of that one finding.
        interrupted = set(left.remove) - {archive / STAGING / r.token for r, _ in left.complete}
        live = {r.token for r in reg.reservations() if not abandoned(r)}
        known_folders = {d.folder for d in documents}
        for doc in documents:
            report.documents += 1
            previous: str | None = None
            versions = reg.versions(doc.id)
            doc_dir = archive / DOCUMENTS / doc.folder
            for v in versions:
                report.versions += 1
                folder = doc_dir / f"v{v.version}"
                rows = reg.files(doc.id, v.version)
                report.files += len(rows) + 1
                _check_version(folder, doc, v, previous, rows, add, hash_file, reg.copies(doc.id, v.version))
                previous = v.manifest_sha256
            if doc_dir.is_dir():
                expected = {f"v{v.version}" for v in versions}
                for entry in sorted(doc_dir.iterdir()):
                    if entry.name not in expected:
                        add(_added(entry, interrupted, placed))
        for entry in _entries(archive / DOCUMENTS):
            if entry.name not in known_folders:
                add(_added(entry, interrupted, placed))
        for entry in _entries(archive):
            if register_file(entry.name) or entry.name in (DOCUMENTS, STAGING, OBJECTS):
                continue
            add(_added(entry, interrupted, placed))
        _check_objects(archive / OBJECTS, add, hash_file)
        completing = {r.token for r, _ in left.complete}
        for entry in _entries(archive / STAGING):
            if entry.name not in live and entry.name not in completing:
                add(_added(entry, interrupted, placed))
        # A register older than the documents shows as the filed documents it lacks, named above;
        # said once more only when none is found (rows gone, no folder left to name).
        unknown = _(UNKNOWN).partition(" (")[0]  # store.describe_unknown's finding, in the language of the run
        if behind is not None and not any(f.found.startswith(unknown) for f in report.findings):
            add(behind)
    return report


def _check_triggers(reg: Register, add: Callable[[Finding], None]) -> None:
    if not reg.chained:
        return
    have = reg.triggers()
    for name, (table, op) in TRIGGERS.items():
        sql = " ".join(have.get(name, "").split()).upper()
        if name not in have:
            add(Finding(reg.path, _("no trigger {name} (dropped: rows of {table} can be changed)").format(name=name, table=table),
                        _("the register's append-only triggers")))
        elif f"BEFORE {op} ON {table.upper()}" not in sql or "RAISE(ABORT" not in sql:
            add(Finding(reg.path, _("a trigger {name} that no longer refuses {op} on {table}").format(name=name, op=op, table=table),
                        _("the register's append-only triggers")))


UNKNOWN = N_("a filed document the register does not know ({symbol} version {version}, issued {issued_at})")


def _check_chain(archive: Path, reg: Register, head: str | None, add: Callable[[Finding], None]) -> Finding | None:
    """Link by link: each names the previous one and matches the rows it covers. The first break is reported.

    Returns the finding of a register behind register.head, for the caller to add (or not).
    """
    behind = None
    if not reg.chained:
        return None
    previous, expected_seq = GENESIS, 1
    linked: set[tuple[int, int]] = set()
    links = reg.links()
    for link in links:
        linked.add((link.document_id, link.version))
        where = f"link {link.seq} (document {link.document_id} version {link.version})"
        if link.seq != expected_seq or link.previous != previous:
            add(Finding(reg.path, _("the hash chain broken at {where}: it does not follow link {expected_seq}").format(where=where, expected_seq=expected_seq - 1),
                        _("each link naming the one before (entries removed or inserted?)")))
            break
        actual = reg.link_hash(link.seq, link.previous, link.document_id, link.version)
        if actual is None:
            add(Finding(reg.path, _("the hash chain broken at {where}: its rows are gone").format(where=where),
                        _("the rows each link was made from")))
            break
        if actual != link.hash:
            add(Finding(reg.path, _("the hash chain broken at {where}: its rows changed since it was written (sha256 {actual}…, chain {hash}…)").format(where=where, actual=actual[:12], hash=link.hash[:12]), _("rows as they were filed")))
            break
        previous, expected_seq = link.hash, expected_seq + 1
    else:
        missing = [(v.document_id, v.version) for v in reg.all_versions() if (v.document_id, v.version) not in linked]
        if missing:
            doc_id, version = missing[0]
            more = _(" and {n} more").format(n=len(missing) - 1) if len(missing) > 1 else ""
            add(Finding(reg.path, _("document {doc_id} version {version}{more} not in the hash chain").format(doc_id=doc_id, version=version, more=more),
                        _("every version a link of the chain")))
        trouble = head_problem(archive, reg)
        if trouble:
            behind = Finding(reg.path, trouble, _("the register that filed the documents (restore the latest backup, or 'thongbao verify --rebuild-register')"))
    if head:
        seq_text, _sep, short = head.partition(":")
        link = next((k for k in links if str(k.seq) == seq_text.strip()), None)
        if link is None or not short.strip() or not link.hash.startswith(short.strip().lower()):
            found = f"{link.seq}:{link.hash[:12]}" if link else _("no such link")
            add(Finding(reg.path, _("a chain whose link {seq_text} is {found}, not the printed head {head}").format(seq_text=seq_text.strip(), found=found, head=head),
                        _("the chain the printed register was made from (the register was rewritten since)")))
    return behind


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _added(path: Path, interrupted: set[Path], placed: set[Path]) -> Finding:
    if path in interrupted:
        return Finding(path, _("what an interrupted issue left"), _("nothing (the next 'thongbao issue' removes it)"))
    for p in placed:
        if p == path or p.parent == path:
            return Finding(p, _("a version an interrupted issue filed but did not record"),
                           _("its rows in the register (the next 'thongbao issue' adds them)"))
    if path.is_dir():
        versions = [path] if path.name.startswith("v") else sorted(path.glob("v*"))
        for folder in versions:
            m = complete_manifest(folder)
            if m is not None:
                return Finding(path, *_split(describe_unknown(path, m), path))
    found = _("an added folder, not in the register") if path.is_dir() else _("an added file, not in the register")
    return Finding(path, found, _("only the files the register lists"))


def _check_objects(store: Path, add: Callable[[Finding], None], hash_file: Callable[[Path], str]) -> None:
    """Stray files in the store, and objects no version links whose bytes are not what their name says.

    An object a version links is checked there, as that version's file (and
    named there when changed).
    """
    if not store.is_dir():
        return
    for path in sorted(p for p in store.rglob("*") if not p.is_dir()):
        if path.name.startswith(".new-") and path.name.endswith(".tmp"):
            add(Finding(path, _("what an interrupted write left"), _("nothing (it can be deleted)")))
        elif not object_name_ok(path):
            add(_added(path, set(), set()))
        elif path.stat().st_nlink == 1 and (actual := hash_file(path)) != path.name:
            add(Finding(path, _("a changed file (sha256 {actual}…)").format(actual=actual[:16]), _("the bytes its name gives")))


def _split(line: str, path: Path) -> tuple[str, str]:
    """(found, expected) of a problem() line, to rebuild it as a Finding (in the language it was made in)."""
    head, _sep, rest = _("{where}: found {found}, expected {expected}").partition("{found}")
    between = rest.partition("{expected}")[0]
    found, _sep, expected = line[len(head.format(where=path)):].partition(between)
    return found, expected


@guarded
def rebuild_register(archive: Path) -> list[Path]:
    """Add to the register the rows of every complete filed version it lacks, from the manifests.

    The backup-restore story: restore an older register.sqlite3, run this, and
    the documents filed since come back into it with their own numbers. A
    missing register is made again. Nothing is removed.
    """
    archive = Path(archive)
    if not (archive / DOCUMENTS).is_dir() and not (archive / REGISTER_NAME).is_file():
        # A mistyped --archive made an empty archive there and called it OK.
        raise ArchiveError(problem(archive, "", _("no archive here (no documents/ and no {REGISTER_NAME})").format(
            REGISTER_NAME=REGISTER_NAME), _("an archive folder made by 'thongbao issue' (or --archive DIR)")))
    with Register(archive, create=True) as reg:
        with reg.writing():
            added = rebuild(archive, reg)
        write_head(archive, reg.last_link())
    return added


def _check_version(folder: Path, doc: DocumentRow, v: VersionRow, previous: str | None, rows: list[FileRow],
                   add: Callable[[Finding], None], hash_file: Callable[[Path], str] = file_sha256,
                   copies: list[CopyRow] | None = None) -> None:
    when = _("as filed {when}").format(when=v.issued_at)
    if not folder.is_dir():
        add(Finding(folder, _("no folder for version {version} of {symbol}").format(version=v.version, symbol=doc.symbol), _("the folder {when}").format(when=when)))
        return
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        add(Finding(manifest_path, _("a missing file"), _("the manifest {when}").format(when=when)))
    elif (actual := file_sha256(manifest_path)) != v.manifest_sha256:
        add(Finding(manifest_path, _("a changed file (sha256 {actual}…)").format(actual=actual[:16]), f"sha256 {v.manifest_sha256[:16]}… {when}"))
    else:
        differ = _disagreements(manifest_path, doc, v, previous, rows, copies or [])
        if differ:
            add(Finding(manifest_path, _("a register that disagrees with the manifest ({differ})").format(differ=', '.join(differ)),
                        _("the register's rows as the manifest records them")))
    listed = {r.name for r in rows}
    for row in rows:
        path = folder / row.name
        if not path.is_file():
            add(Finding(path, _("a missing file"), _("the {role} file {when} (sha256 {sha}…)").format(
                role=row.role, when=when, sha=row.sha256[:16])))
            continue
        try:
            actual = hash_file(path)
        except OSError as exc:
            add(Finding(path, _("an unreadable file ({exc})").format(exc=exc.strerror or exc),
                        _("the {role} file {when}").format(role=row.role, when=when)))
            continue
        if actual != row.sha256:
            add(Finding(path, _("a changed file (sha256 {actual}…)").format(actual=actual[:16]), f"sha256 {row.sha256[:16]}… {when}"))
    for entry in sorted(folder.iterdir()):
        if entry.name != MANIFEST and entry.name not in listed:
            found = _("an added folder, not in the register") if entry.is_dir() else _("an added file, not in the register")
            add(Finding(entry, found, _("only the files {when}").format(when=when)))


def _disagreements(manifest_path: Path, doc: DocumentRow, v: VersionRow, previous: str | None,
                   rows: list[FileRow], copies: list[CopyRow] | None = None) -> list[str]:
    """The fields in which the register's rows differ from the (untouched) manifest."""
    try:
        m = json.loads(manifest_path.read_text(encoding="utf-8"))
        signer = m["signer"]
        expected = {
            "document id": m["document_id"], "number": m["number"], "symbol": m["symbol"], "style": m["style"],
            "type code": m["type_code"], "body code": m["body_code"], "series": m["series"],
            "number given at issue": m["number_assigned"], "version": m["version"], "issued at": m["issued_at"],
            "reason": m["reason"], "date": m["date"], "document type": m["document_type"], "subject": m["subject"],
            "signer": signer["name"],
            "signer's title": " ".join(filter(None, (signer["authority"], *signer["title"]))),
            "recipients": m["recipients"], "source given": m["source"]["given_sha256"],
            "generator": m["generator"]["version"], "template": [m["template"]["name"], m["template"]["sha256"]],
            "previous version": m["previous_manifest_sha256"],
            "files": sorted([f["name"], f["role"], f["sha256"], f["size"]] for f in m["files"]),
            "copy numbers": sorted([f["name"], f["copy_number"]] for f in m["files"] if "copy_number" in f),
        }
        if v.version == 1:
            expected.update({"issuing body": " ".join(m["issuing_body"]), "first date": m["date"]})
    except (ValueError, KeyError, TypeError):
        return [_("an unreadable manifest")]
    found = {
        "document id": doc.id, "number": doc.number, "symbol": doc.symbol, "style": doc.style,
        "type code": doc.type_code, "body code": doc.body_code, "series": doc.series,
        "number given at issue": doc.number_assigned, "version": v.version, "issued at": v.issued_at,
        "reason": v.reason, "date": v.doc_date.isoformat(), "document type": v.document_type, "subject": v.subject,
        "signer": v.signer, "signer's title": v.signer_title, "recipients": list(v.recipients),
        "source given": v.given_sha256, "generator": v.generator_version,
        "template": [v.template_name, v.template_sha256], "previous version": previous,
        "files": sorted([r.name, r.role, r.sha256, r.size] for r in rows),
        "copy numbers": sorted([c.file_name, c.symbol] for c in copies or []),
        "issuing body": doc.issuing_body, "first date": doc.doc_date.isoformat(),
    }
    return [key for key, value in expected.items() if found[key] != value]
