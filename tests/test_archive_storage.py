"""The archive's object store: one copy per distinct content, linked from each version; both layouts read."""

from __future__ import annotations

import hashlib
import os
import shutil
import stat

import pytest

from generator.archive import objects
from generator.archive import verify as verify_mod
from generator.archive.verify import verify

from .archive_helpers import UNITS, issue_in, notice, write


@pytest.fixture
def archive(tmp_path):
    return tmp_path / "archive"


@pytest.fixture
def two_notices(tmp_path, archive):
    """Two notices with extracts, same template and units file, issued into one archive."""
    shutil.copy(UNITS, tmp_path / "units.yaml")
    task = "Báo cáo **trước ngày 31/7/2023.**"
    results = [issue_in(archive, write(tmp_path / f"n{k}.yaml", notice(number=k, task=task))) for k in (7, 8)]
    return results


def files_of(archive):
    return sorted(p for p in (archive / "documents").rglob("*") if p.is_file() and p.name != "manifest.json")


def test_each_distinct_content_is_stored_once_and_linked_from_every_version(archive, two_notices):
    paths = files_of(archive)
    by_content: dict[str, set[int]] = {}
    for p in paths:
        by_content.setdefault(hashlib.sha256(p.read_bytes()).hexdigest(), set()).add(p.stat().st_ino)
    assert all(len(inodes) == 1 for inodes in by_content.values())          # one copy per content
    template = [p for p in paths if p.name.endswith(".template.docx")]
    units = [p for p in paths if p.name.endswith(".units.yaml")]
    assert len(template) == len(units) == 2
    for shared in (template, units):
        assert shared[0].samefile(shared[1])
        stored = objects.object_path(archive, hashlib.sha256(shared[0].read_bytes()).hexdigest())
        assert stored.samefile(shared[0]) and not stored.stat().st_mode & stat.S_IWUSR
    assert sorted(p.name for p in (archive / "objects" / "sha256").rglob("*") if p.is_file()) == sorted(by_content)


def test_verify_hashes_each_distinct_file_once(archive, two_notices, monkeypatch):
    calls = []
    real = verify_mod.file_sha256
    monkeypatch.setattr(verify_mod, "file_sha256", lambda p: calls.append(p) or real(p))
    report = verify(archive)
    assert report.ok, report.findings
    contents = {hashlib.sha256(p.read_bytes()).hexdigest() for p in files_of(archive)}
    manifests = len(list((archive / "documents").rglob("manifest.json")))
    assert len(calls) == len(contents) + manifests < report.files


def test_an_archive_of_plain_copies_still_verifies_and_takes_new_versions(tmp_path, archive, two_notices):
    # The layout before the store: every file a copy of its own in its version folder.
    for p in files_of(archive):
        data = p.read_bytes()
        os.chmod(p.parent, 0o755)
        p.unlink()
        p.write_bytes(data)
        os.chmod(p, 0o444)
        os.chmod(p.parent, 0o555)
    for folder, dirs, _ in os.walk(archive / "objects"):
        os.chmod(folder, 0o755)
    shutil.rmtree(archive / "objects")
    assert verify(archive).ok
    result = issue_in(archive, write(tmp_path / "n9.yaml", notice(number=9)))
    assert result.status == "issued"
    report = verify(archive)
    assert report.ok, report.findings


def test_without_hard_links_each_version_gets_copies(tmp_path, archive, monkeypatch):
    shutil.copy(UNITS, tmp_path / "units.yaml")

    def no_links(src, dst, *a, **k):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(objects.os, "link", no_links)
    for k in (7, 8):
        issue_in(archive, write(tmp_path / f"n{k}.yaml", notice(number=k)))
    paths = files_of(archive)
    assert all(p.stat().st_nlink == 1 for p in paths)
    assert verify(archive).ok


def test_a_stored_copy_that_is_not_its_content_is_never_linked_and_is_reported(tmp_path, archive, two_notices):
    template = next(p for p in files_of(archive) if p.name.endswith(".template.docx"))
    digest = hashlib.sha256(template.read_bytes()).hexdigest()
    stored = objects.object_path(archive, digest)
    # Someone replaced the stored template (a new file under the same name: the versions keep theirs).
    os.chmod(stored.parent, 0o755)
    stored.unlink()
    stored.write_bytes(b"not the template")
    result = issue_in(archive, write(tmp_path / "n9.yaml", notice(number=9)))
    filed = next(p for p in result.folder.iterdir() if p.name.endswith(".template.docx"))
    assert hashlib.sha256(filed.read_bytes()).hexdigest() == digest and filed.stat().st_nlink == 1
    found = [(f.path, f.found.split(" (")[0]) for f in verify(archive).findings]
    assert found == [(stored, "a changed file")]
