"""Check the archive against its register: every file there, unchanged, and nothing added.

Three records must agree: the register's row of each file (SHA-256 and size),
the version's manifest.json (whose own SHA-256 the register keeps, and which
names the previous version's manifest), and the bytes on disk.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import problem
from .register import CopyRow, DocumentRow, FileRow, Register, VersionRow, guarded
from .store import DOCUMENTS, MANIFEST, REGISTER_FILES, STAGING, leftovers

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
        counts = f"{self.documents} documents, {self.versions} versions, {self.files} files"
        if self.ok:
            return f"{self.archive}: OK ({counts} checked)"
        return f"{self.archive}: found {len(self.findings)} problem(s) in {counts}, expected none"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


@guarded
def verify(archive: Path) -> Report:
    """Recompute every hash of ``archive``; collect what is missing, changed or added."""
    archive = Path(archive)
    report = Report(archive)
    add = report.findings.append
    with Register(archive, create=False) as reg, reg.quiet():
        for message in reg.integrity():
            add(Finding(reg.path, f"a damaged register ({message})", "a register that passes SQLite's integrity check"))
        documents = reg.documents()
        interrupted = set(leftovers(archive, reg))
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
                _check_version(folder, doc, v, previous, rows, add, reg.copies(doc.id, v.version))
                previous = v.manifest_sha256
            if doc_dir.is_dir():
                expected = {f"v{v.version}" for v in versions}
                for entry in sorted(doc_dir.iterdir()):
                    if entry.name not in expected:
                        add(_added(entry, interrupted))
        for entry in _entries(archive / DOCUMENTS):
            if entry.name not in known_folders:
                add(_added(entry, interrupted))
        for entry in _entries(archive):
            if entry.name in REGISTER_FILES or entry.name in (DOCUMENTS, STAGING):
                continue
            add(_added(entry, interrupted))
        for entry in _entries(archive / STAGING):
            add(_added(entry, interrupted))
    return report


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.is_dir() else []


def _added(path: Path, interrupted: set[Path]) -> Finding:
    if path in interrupted:
        return Finding(path, "what an interrupted issue left", "nothing (the next 'thongbao issue' removes it)")
    kind = "folder" if path.is_dir() else "file"
    return Finding(path, f"an added {kind}, not in the register", "only the files the register lists")


def _check_version(folder: Path, doc: DocumentRow, v: VersionRow, previous: str | None, rows: list[FileRow],
                   add: Callable[[Finding], None], copies: list[CopyRow] | None = None) -> None:
    when = f"as filed {v.issued_at}"
    if not folder.is_dir():
        add(Finding(folder, f"no folder for version {v.version} of {doc.symbol}", f"the folder {when}"))
        return
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        add(Finding(manifest_path, "a missing file", f"the manifest {when}"))
    elif (actual := file_sha256(manifest_path)) != v.manifest_sha256:
        add(Finding(manifest_path, f"a changed file (sha256 {actual[:16]}…)", f"sha256 {v.manifest_sha256[:16]}… {when}"))
    else:
        differ = _disagreements(manifest_path, doc, v, previous, rows, copies or [])
        if differ:
            add(Finding(manifest_path, f"a register that disagrees with the manifest ({', '.join(differ)})",
                        "the register's rows as the manifest records them"))
    listed = {r.name for r in rows}
    for row in rows:
        path = folder / row.name
        if not path.is_file():
            add(Finding(path, "a missing file", f"the {row.role} file {when} (sha256 {row.sha256[:16]}…)"))
            continue
        try:
            actual = file_sha256(path)
        except OSError as exc:
            add(Finding(path, f"an unreadable file ({exc.strerror or exc})", f"the {row.role} file {when}"))
            continue
        if actual != row.sha256:
            add(Finding(path, f"a changed file (sha256 {actual[:16]}…)", f"sha256 {row.sha256[:16]}… {when}"))
    for entry in sorted(folder.iterdir()):
        if entry.name != MANIFEST and entry.name not in listed:
            kind = "folder" if entry.is_dir() else "file"
            add(Finding(entry, f"an added {kind}, not in the register", f"only the files {when}"))


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
        return ["an unreadable manifest"]
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
