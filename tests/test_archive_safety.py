"""A filed document is never removed or renumbered, whatever happens to the register; tampering shows.

Each case: an issue killed at a filing step, a register restored from an older backup, rows removed
behind dropped triggers, a dropped trigger, a consistent forgery. verify reports each in one line
(exit 1); `verify --rebuild-register` brings lost rows back from the manifests.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import sqlite3

import pytest

from generator.archive import register as register_mod
from generator.archive.errors import ArchiveError
from generator.archive.issue import FAULT_ENV, FAULT_EXIT
from generator.archive.register import GENESIS, Register, chain_hash
from generator.archive.verify import verify
from generator.cli_archive import issue as issue_cmd
from generator.cli_archive import register as register_cmd
from generator.cli_archive import verify as verify_cmd

from .archive_helpers import cli_process, invoke, issue_in, notice, tree, write

DOC2 = "documents/00002-08-TB-BCD"


def numbers(archive) -> list[int]:
    conn = sqlite3.connect(archive / "register.sqlite3")
    try:
        return [n for (n,) in conn.execute("SELECT number FROM documents ORDER BY number")]
    finally:
        conn.close()


def findings(archive, *args) -> tuple[int, list[str]]:
    """verify's exit code and its finding lines (the summary line left out)."""
    result = invoke(verify_cmd, "--archive", archive, *args)
    return result.exit_code, [line for line in result.output.splitlines() if not line.startswith("Error: ")]


def backup(archive, tmp_path):
    saved = tmp_path / "register-backup.sqlite3"
    shutil.copy(archive / "register.sqlite3", saved)
    return saved


def restore(archive, saved, head_too: bool = False):
    for suffix in ("-wal", "-journal", "-shm"):
        (archive / f"register.sqlite3{suffix}").unlink(missing_ok=True)
    shutil.copy(saved, archive / "register.sqlite3")
    if head_too:  # the head file restored (or lost) with it: only the documents folder tells
        (archive / "register.head").unlink(missing_ok=True)


@pytest.fixture
def archive(tmp_path):
    archive = tmp_path / "archive"
    issue_in(archive, write(tmp_path / "first.yaml", notice(number=7)))
    return archive


def _sql(archive, *statements, params=()):
    conn = sqlite3.connect(archive / "register.sqlite3")
    try:
        for k, sql in enumerate(statements):
            conn.execute(sql, params if k == len(statements) - 1 else ())
        conn.commit()
    finally:
        conn.close()


# Item 1: a register older than the documents ---------------------------------------------------

@pytest.mark.parametrize("head_too", [False, True], ids=["register-only", "register-and-head"])
def test_an_older_register_never_costs_a_filed_document(tmp_path, archive, head_too):
    saved = backup(archive, tmp_path)
    later = issue_in(archive, write(tmp_path / "later.yaml", notice(subject="kết luận sau")))
    assert later.symbol == "08-TB/BCĐ"
    filed = tree(archive / "documents")
    restore(archive, saved, head_too)

    result = invoke(issue_cmd, write(tmp_path / "next.yaml", notice(subject="kết luận khác")), "--archive", archive)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {archive / DOC2 / 'v1'}: found a filed document the register does "
                                    "not know (08-TB/BCĐ version 1, issued ")
    assert "'thongbao verify --rebuild-register' adds its rows from the manifests" in result.output
    assert len(result.output.splitlines()) == 1
    assert tree(archive / "documents") == filed and numbers(archive) == [7]

    code, lines = findings(archive)
    assert code == 1 and len(lines) == 1 and lines[0].startswith(
        f"{archive / DOC2}: found a filed document the register does not know (08-TB/BCĐ version 1")

    result = invoke(verify_cmd, "--archive", archive, "--rebuild-register")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"Added to the register from its manifest: {archive / DOC2 / 'v1'}"
    assert numbers(archive) == [7, 8] and tree(archive / "documents") == filed
    # The number stays with its document: the next notice gets 09.
    assert issue_in(archive, write(tmp_path / "next.yaml", notice(subject="kết luận khác"))).symbol == "09-TB/BCĐ"
    assert verify(archive).ok


def test_an_older_register_missing_a_correction_stops_the_next_correction(tmp_path, archive):
    saved = backup(archive, tmp_path)
    source = write(tmp_path / "first.yaml", notice(number=7, task="Báo cáo **trước ngày 15/8/2023.**"))
    issue_in(archive, source, reason="Lùi hạn")
    filed = tree(archive / "documents")
    restore(archive, saved, head_too=True)
    write(source, notice(number=7, task="Báo cáo **trước ngày 20/8/2023.**"))
    with pytest.raises(ArchiveError, match=r"v2: found a filed document the register does not know \(07-TB/BCĐ "
                                           r"version 2"):
        issue_in(archive, source, reason="Lùi hạn lần nữa")
    assert tree(archive / "documents") == filed


def test_rows_removed_behind_dropped_triggers_stop_the_next_issue(tmp_path, archive):
    issue_in(archive, write(tmp_path / "later.yaml", notice(subject="kết luận sau")))
    filed = tree(archive / "documents")
    triggers = [sql for (sql,) in sqlite3.connect(archive / "register.sqlite3").execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger'")]
    _sql(archive, *[f"DROP TRIGGER {name}" for name in register_mod.TRIGGERS],
         "DELETE FROM chain WHERE document_id = 2", "DELETE FROM files WHERE document_id = 2",
         "DELETE FROM versions WHERE document_id = 2", "DELETE FROM documents WHERE id = 2",
         "UPDATE sqlite_sequence SET seq = 1 WHERE name = 'documents'", *triggers)
    with pytest.raises(ArchiveError, match="found a filed document the register does not know"):
        issue_in(archive, write(tmp_path / "next.yaml", notice(subject="kết luận khác")))
    assert tree(archive / "documents") == filed
    code, lines = findings(archive)
    assert code == 1 and len(lines) == 1 and "found a filed document the register does not know" in lines[0]


def test_rebuild_makes_a_lost_register_again(tmp_path, archive):
    source = write(tmp_path / "first.yaml", notice(number=7, task="Báo cáo **trước ngày 15/8/2023.**"))
    issue_in(archive, source, reason="Lùi hạn")
    (archive / "register.sqlite3").unlink()
    result = invoke(verify_cmd, "--archive", archive, "--rebuild-register")
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"{archive}: OK (1 documents, 2 versions, 8 files checked)\n")
    with Register(archive, create=False) as reg:
        assert [v.reason for v in reg.versions(1)] == [None, "Lùi hạn"]


def test_rebuild_refuses_a_folder_that_is_no_archive(tmp_path):
    # A mistyped --archive made an empty archive there and said "OK (0 documents ...)".
    typo = tmp_path / "archvie"
    result = invoke(verify_cmd, "--archive", typo, "--rebuild-register")
    assert result.exit_code == 1
    assert result.output == (f"Error: {typo}: found no archive here (no documents/ and no register.sqlite3), "
                             "expected an archive folder made by 'thongbao issue' (or --archive DIR)\n")
    assert not typo.exists()


# Item 1 with the fault points: whatever step is killed, then an older register --------------------

@pytest.mark.parametrize("point", ["reserved", "staged", "placed", "committed"])
def test_a_killed_issue_then_an_older_register_never_removes_or_renumbers(tmp_path, archive, point):
    saved = backup(archive, tmp_path)
    source = write(tmp_path / "new.yaml", notice(subject="kết luận mới"))
    proc = cli_process("issue", source, "--archive", archive, cwd=tmp_path, env={FAULT_ENV: point})
    proc.communicate()
    assert proc.returncode == FAULT_EXIT
    restore(archive, saved)  # from before the killed issue: no trace of its reservation
    before = tree(archive / "documents")
    if point in ("placed", "committed"):
        # Its version is whole in place: a filed document the register does not know.
        with pytest.raises(ArchiveError, match="found a filed document the register does not know"):
            issue_in(archive, source)
        assert tree(archive / "documents") == before
        assert invoke(verify_cmd, "--archive", archive, "--rebuild-register").exit_code == 0
    again = issue_in(archive, source)
    assert again.symbol == "08-TB/BCĐ" and numbers(archive) == [7, 8]
    assert all(tree(archive / "documents").get(k) == v for k, v in before.items())
    assert verify(archive).ok


# Item 4: the hash chain, the triggers, the printed head ------------------------------------------

@pytest.fixture
def three(tmp_path, archive):
    for k in (8, 9):
        issue_in(archive, write(tmp_path / f"n{k}.yaml", notice(number=k, subject=f"kết luận {k}")))
    return archive


def test_every_version_is_a_link_of_the_chain(three):
    with Register(three, create=False) as reg:
        links = reg.links()
        assert [(k.seq, k.document_id, k.version) for k in links] == [(1, 1, 1), (2, 2, 1), (3, 3, 1)]
        assert links[0].previous == GENESIS and all(b.previous == a.hash for a, b in itertools.pairwise(links))
        assert [k.manifest_sha256 for k in links] == [v.manifest_sha256 for v in reg.all_versions()]
    assert (three / "register.head").read_text() == f"3 {links[-1].hash}\n"
    assert findings(three) == (0, [f"{three}: OK (3 documents, 3 versions, 12 files checked)"])


def test_a_dropped_trigger_is_one_line(three):
    _sql(three, "DROP TRIGGER documents_no_delete")
    code, lines = findings(three)
    assert code == 1
    assert lines == [(f"{three / 'register.sqlite3'}: found no trigger documents_no_delete (dropped: rows of "
                      "documents can be changed), expected the register's append-only triggers")]


def test_a_trigger_made_harmless_is_one_line(three):
    _sql(three, "DROP TRIGGER versions_no_update",
         "CREATE TRIGGER versions_no_update BEFORE UPDATE ON versions BEGIN SELECT 1; END")
    code, lines = findings(three)
    assert code == 1 and len(lines) == 1 and "a trigger versions_no_update that no longer refuses UPDATE" in lines[0]


def forge(archive, folder: str, data: bytes, rewrite_chain: bool = False) -> None:
    """Change a filed .docx, its manifest and its register rows together, triggers put back after."""
    version = archive / "documents" / folder / "v1"
    os.chmod(version, 0o755)
    # The notice itself (the template is stored once for every version: archive/objects.py).
    docx_path = next(p for p in sorted(version.glob("*.docx")) if not p.name.endswith(".template.docx"))
    os.chmod(docx_path, 0o644)
    docx_path.write_bytes(data)
    manifest_path = version / "manifest.json"
    os.chmod(manifest_path, 0o644)
    m = json.loads(manifest_path.read_text(encoding="utf-8"))
    for f in m["files"]:
        if f["name"] == docx_path.name:
            f["sha256"], f["size"] = hashlib.sha256(data).hexdigest(), len(data)
    manifest_path.write_text(json.dumps(m, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    new_manifest = hashlib.sha256(manifest_path.read_bytes()).hexdigest()
    conn = sqlite3.connect(archive / "register.sqlite3")
    conn.row_factory = sqlite3.Row
    triggers = [r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")]
    for name in register_mod.TRIGGERS:
        conn.execute(f"DROP TRIGGER {name}")
    doc_id = conn.execute("SELECT id FROM documents WHERE folder = ?", (folder,)).fetchone()[0]
    conn.execute("UPDATE files SET sha256 = ?, size = ? WHERE document_id = ? AND name = ?",
                 (hashlib.sha256(data).hexdigest(), len(data), doc_id, docx_path.name))
    conn.execute("UPDATE versions SET manifest_sha256 = ? WHERE document_id = ?", (new_manifest, doc_id))
    conn.execute("UPDATE chain SET manifest_sha256 = ? WHERE document_id = ?", (new_manifest, doc_id))
    if rewrite_chain:  # what someone who knows the scheme does: every link made again
        previous = GENESIS
        for link in conn.execute("SELECT * FROM chain ORDER BY seq").fetchall():
            doc = dict(conn.execute("SELECT * FROM documents WHERE id = ?", (link["document_id"],)).fetchone())
            ver = dict(conn.execute("SELECT * FROM versions WHERE document_id = ? AND version = ?",
                                    (link["document_id"], link["version"])).fetchone())
            files = [tuple(r) for r in conn.execute("SELECT name, role, sha256, size FROM files WHERE document_id = ? "
                                                    "AND version = ?", (link["document_id"], link["version"]))]
            digest = chain_hash(previous, link["seq"], doc, ver, files)
            conn.execute("UPDATE chain SET previous = ?, hash = ? WHERE seq = ?", (previous, digest, link["seq"]))
            previous = digest
        (archive / "register.head").write_text(f"{link['seq']} {previous}\n")
    for sql in triggers:
        conn.execute(sql)
    conn.commit()
    conn.close()


def test_a_consistent_forgery_breaks_the_chain_in_one_line(three):
    forge(three, "00002-08-TB-BCD", b"forged")
    code, lines = findings(three)
    assert code == 1
    assert len(lines) == 1 and lines[0].startswith(
        f"{three / 'register.sqlite3'}: found the hash chain broken at link 2 (document 2 version 1): "
        "its rows changed since it was written")


def test_a_rewritten_chain_is_caught_against_the_printed_head(three, tmp_path):
    out = tmp_path / "so.csv"
    assert invoke(register_cmd, "--archive", three, "-o", out).exit_code == 0
    printed = out.read_text(encoding="utf-8-sig").splitlines()[-1].split(": ")[1].split(",")[0]
    assert findings(three, "--head", printed)[0] == 0
    forge(three, "00002-08-TB-BCD", b"forged", rewrite_chain=True)
    assert findings(three)[0] == 0  # the limit the README states: only a printed head shows this
    code, lines = findings(three, "--head", printed)
    assert code == 1 and len(lines) == 1
    assert "found a chain whose link 3 is 3:" in lines[0] and f"not the printed head {printed}" in lines[0]


def test_a_register_of_today_is_migrated_on_open_and_keeps_working(three, tmp_path):
    """A format 1 register (before the chain): opened, it gets its chain in one transaction."""
    chain_triggers = [n for n in register_mod.TRIGGERS if n.startswith("chain_")]
    _sql(three, *[f"DROP TRIGGER {n}" for n in chain_triggers], "DROP TABLE chain", "DROP TABLE reservations",
         "PRAGMA user_version = 1")
    (three / "register.head").unlink()
    assert findings(three) == (0, [f"{three}: OK (3 documents, 3 versions, 12 files checked)"])
    with Register(three, create=False) as reg:
        assert len(reg.links()) == 3 and reg.conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert issue_in(three, write(tmp_path / "n10.yaml", notice(subject="kết luận mười"))).number == 10
    assert verify(three).ok


# Item 7: a full disk says so; a lock message only after waiting ------------------------------------

def test_a_full_disk_says_so_not_cannot_rollback(tmp_path, archive, monkeypatch):
    real = register_mod.Register.__init__

    def tiny(self, folder, *, create):
        real(self, folder, create=create)
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count = {pages}")

    monkeypatch.setattr(register_mod.Register, "__init__", tiny)
    many = "".join(f"  - Đơn vị số {k} của huyện Kon Rẫy\n" for k in range(300))  # a row larger than a page
    big = notice(subject="kết luận mới").replace("  - UBND huyện\n", many)
    assert many in big
    result = invoke(issue_cmd, write(tmp_path / "big.yaml", big), "--archive", archive)
    assert result.exit_code == 1
    assert result.output.startswith("Error: the disk is full: ") and "cannot rollback" not in result.output
    assert len(result.output.splitlines()) == 1
    assert numbers(archive) == [7]


def test_a_lock_message_only_after_waiting(tmp_path, archive, monkeypatch):
    monkeypatch.setattr(register_mod, "LOCK_TIMEOUT", 0.3)
    holder = sqlite3.connect(archive / "register.sqlite3", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(ArchiveError, match=r"found the register still locked after \d+ s \(database is locked\)"):
            issue_in(archive, write(tmp_path / "b.yaml", notice(subject="b")))
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_a_failure_to_begin_that_is_no_lock_is_not_called_one(tmp_path, archive, monkeypatch):
    """SQLite refusing at once (here: a full disk) is said at once, not as a lock held for 600 s."""
    real_connect = sqlite3.connect

    class Refusing:
        def __init__(self, conn):
            object.__setattr__(self, "_conn", conn)

        def __getattr__(self, name):
            return getattr(self._conn, name)

        def __setattr__(self, name, value):
            setattr(self._conn, name, value)

        def execute(self, sql, *args):
            if sql == "BEGIN IMMEDIATE":
                raise sqlite3.OperationalError("database or disk is full")
            return self._conn.execute(sql, *args)

    monkeypatch.setattr(register_mod.sqlite3, "connect", lambda *a, **kw: Refusing(real_connect(*a, **kw)))
    result = invoke(issue_cmd, write(tmp_path / "b.yaml", notice(subject="b")), "--archive", archive)
    assert result.exit_code == 1 and len(result.output.splitlines()) == 1
    assert result.output.startswith("Error: the disk is full: ") and "locked" not in result.output


# Throughput: the register is not locked while an issue renders ---------------------------------------

def test_the_register_lock_is_free_while_an_issue_renders(tmp_path, archive, monkeypatch):
    """Another issue can take the lock (and so number and file) while this one renders."""
    import threading

    from generator.archive import issue as issue_mod

    rendering, go_on = threading.Event(), threading.Event()
    real = issue_mod.outgoing_files

    def slow(*args, **kwargs):
        rendering.set()
        assert go_on.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(issue_mod, "outgoing_files", slow)
    done: list = []
    worker = threading.Thread(target=lambda: done.append(
        issue_in(archive, write(tmp_path / "slow.yaml", notice(subject="chậm")))))
    worker.start()
    try:
        assert rendering.wait(60)
        other = sqlite3.connect(archive / "register.sqlite3", timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")  # 'database is locked' if the renderer held the lock
            reserved = other.execute("SELECT number FROM reservations").fetchall()
            other.execute("ROLLBACK")
        finally:
            other.close()
        assert reserved == [(8,)]
    finally:
        go_on.set()
        worker.join(60)
    assert done and done[0].symbol == "08-TB/BCĐ" and verify(archive).ok


def test_a_register_error_names_the_register_of_the_archive_in_the_runs_language(tmp_path):
    # Named "register.sqlite3" alone, with SQLite's English reason.
    from generator import i18n
    from generator.archive.register import guarded

    @guarded
    def write_something(archive):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    with pytest.raises(ArchiveError) as info:
        write_something(tmp_path / "archive")
    assert str(info.value.message) == (f"{tmp_path / 'archive' / 'register.sqlite3'}: found a register error "
                                       "(a register that can only be read), expected a register that can be read and written")
    with i18n.using("vi"), pytest.raises(ArchiveError) as info:
        write_something(archive=tmp_path / "archive")
    assert "(sổ chỉ đọc được, không ghi được)" in info.value.message
